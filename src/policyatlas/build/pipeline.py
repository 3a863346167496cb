"""Build: load sources into the store and (re-)extract every stored document, atomically."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..store import database as store
from ..extract.commitments import Commitment
from ..text.documents import Document
from ..extract.pipeline import extract
from ..knowledge.regions import gazetteer
from ..ingest.sources import LoadError, iter_files, load_path
from ..knowledge.taxonomy import taxonomy

Progress = Callable[[str, int, int], None]


@dataclass
class BuildReport:
    """What a build did: counts for the summary, and every file skipped with its reason."""

    documents_added: int = 0
    documents_total: int = 0
    duplicates: int = 0
    commitments: int = 0
    regions: int = 0
    years: list[int] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


def build(
    paths: Iterable[str | Path],
    db: str | Path = store.DEFAULT_DB,
    overrides: dict[str, str] | None = None,
    progress: Progress | None = None,
    fail_after: int | None = None,
) -> BuildReport:
    """Ingest files into `db` and extract; on any failure the previous `db` stays as it was.

    `fail_after` is a fault-injection hook for tests (raise after extracting N documents).
    """
    started = time.perf_counter()
    report = BuildReport()
    files = list(iter_files(paths))
    with store.atomic_write(db) as con:
        known = store.stored_ids(con)
        for number, path in enumerate(files, start=1):
            if progress:
                progress(f"loading {Path(path).name}", number, len(files))
            for item in load_path(path, overrides):
                if isinstance(item, LoadError):
                    report.skipped.append((item.source, item.reason))
                elif item.id in known:
                    report.duplicates += 1
                else:
                    store.insert_document(con, item)
                    known.add(item.id)
                    report.documents_added += 1
        documents = store.load_documents(con)
        results: list[tuple[Document, list[Commitment]]] = []
        for number, doc in enumerate(documents, start=1):
            if progress:
                progress("extracting", number, len(documents))
            results.append((doc, extract(doc, include_rejected=True)))
            if fail_after is not None and number >= fail_after:
                raise RuntimeError(f"injected failure after {number} documents")
        store.replace_extraction(con, results)
        store.write_reference(con, list(gazetteer().regions.values()), list(taxonomy().entries.values()))
        store.add_skipped(con, report.skipped)
        store.set_meta(con, taxonomy_version=taxonomy().version,
                       built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
        report.documents_total = len(documents)
        report.commitments = sum(1 for _, cs in results for c in cs if c.committed)
        report.regions = len({d.adcode for d in documents if d.adcode})
        report.years = sorted({d.year for d in documents if d.year})
    report.seconds = time.perf_counter() - started
    return report
