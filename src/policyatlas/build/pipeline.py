"""Build: stream files through extraction into the store, incrementally, on all cores or a Dask cluster.

    paths ─ listing ─ unchanged? ─ map (worker.process_file: read → load → extract → rows) ─ one writer
                         │             serial │ process pool │ Dask cluster                  │
                    skipped (files        (executors.run_map, in order, bounded)      bulk appends per
                    recorded with the                                                 batch of files into a
                    same mtime/size/version)                                          working copy (atomic)

A file whose path, mtime and size are recorded with the current extractor version is neither
read nor extracted again; a changed file replaces what it stored; a file gone from a folder
that is built again is forgotten. Memory is bounded by the batch size, not the corpus size.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from ..ingest.sources import LoadError, iter_files
from ..knowledge.regions import gazetteer
from ..knowledge.taxonomy import taxonomy
from ..store import database as store
from .executors import chunks, run_map
from .lock import build_lock, terminate_as_exit
from .worker import FileResult, file_key, file_state, is_url, skip_reason

Progress = Callable[[str, int, int], None]

#: Files per write batch: bounds the writer's memory whatever the corpus size.
BATCH_FILES = 32
#: Paths per lookup of recorded file states.
LOOKUP_CHUNK = 512
#: What the build's own DuckDB connection may hold in memory (it spills to disk beyond).
MEMORY_LIMIT = "1GB"
#: The code whose change must re-extract stored documents, besides the data files.
EXTRACTOR_PACKAGES = ("ingest", "text", "knowledge", "extract")


class NothingToBuild(ValueError):
    """The given paths hold no file that could be a source (the atlas is not touched)."""


@dataclass
class BuildReport:
    """What a build did: counts for the summary, and every path skipped or ignored with its reason."""

    documents_added: int = 0
    documents_removed: int = 0
    documents_total: int = 0
    duplicates: int = 0
    files_read: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    reextracted: bool = False
    commitments: int = 0
    regions: int = 0
    years: list[int] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    extractor_version: str = ""
    taxonomy_version: str = ""
    seconds: float = 0.0

    def as_dict(self) -> dict:
        return dict(self.__dict__)


@lru_cache(maxsize=1)
def extractor_version() -> str:
    """A hash of the extraction code and every data file: when it changes, stored documents are re-extracted."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    files = [p for sub in EXTRACTOR_PACKAGES for p in (package / sub).rglob("*.py")]
    files += [p for p in (package / "data").rglob("*") if p.suffix in (".toml", ".tsv")]
    for path in sorted(files):
        digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def build(
    paths: Iterable[str | Path],
    db: str | Path = store.DEFAULT_DB,
    overrides: dict[str, str] | None = None,
    progress: Progress | None = None,
    fail_after: int | None = None,
    workers: int | None = 1,
    scheduler: object | None = None,
    rebuild: bool = False,
    limits: object | None = None,
    wait: bool = True,
    notify: Callable[[str], None] | None = None,
) -> BuildReport:
    """Ingest files into `db` and extract, incrementally; on any failure the previous `db` stays as it was.

    `workers` processes (None: all cores) or a Dask `scheduler` (address or Client) read and
    extract; this process writes. `rebuild` re-reads everything. `fail_after` is a
    fault-injection hook for tests (raise after N files came back).
    """
    started = time.perf_counter()
    report = BuildReport(extractor_version=extractor_version(), taxonomy_version=taxonomy().version)
    roots = [str(p) for p in paths]
    listing = _listing(roots, report, limits)
    first = next(listing, None)
    if first is None:
        reasons = "; ".join(f"{s}: {r}" for s, r in report.skipped[:5])
        raise NothingToBuild(f"no source file in {', '.join(roots)}" + (f" ({reasons})" if reasons else ""))
    listing = itertools.chain([first], listing)
    with build_lock(db, wait, notify), terminate_as_exit(), store.atomic_write(db, MEMORY_LIMIT) as con:
        stored = store.meta(con)
        if rebuild or stored.get("extractor_version") != report.extractor_version \
                or stored.get("taxonomy_version") != report.taxonomy_version:
            report.reextracted = bool(stored.get("built_at")) and not rebuild
            store.clear(con)
        con.execute("CREATE OR REPLACE TEMP TABLE _seen (path VARCHAR)")
        writer = _Writer(con, report)
        todo = _changed(con, listing, report)
        for number, result in enumerate(run_map(todo, workers, scheduler, overrides, limits), start=1):
            if progress:
                progress(f"extracting {Path(result.path).name}", number, 0)
            writer.add(result)
            if fail_after is not None and number >= fail_after:
                raise RuntimeError(f"injected failure after {number} files")
        writer.flush()
        writer.forget(_vanished(con, roots), report)
        while writer.redo:
            again, writer.redo = writer.redo, []
            for result in run_map(again, 1, None, overrides, limits):
                writer.add(result)
            writer.flush()
        store.write_reference(con, list(gazetteer().regions.values()), list(taxonomy().entries.values()))
        store.replace_listing_skips(con, [s for s in report.skipped if s[0] not in writer.file_skips])
        store.set_meta(con, taxonomy_version=report.taxonomy_version, extractor_version=report.extractor_version,
                       built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"))
        _summarise(con, report)
    report.seconds = time.perf_counter() - started
    return report


def _listing(roots: list[str], report: BuildReport, limits: object | None) -> Iterator[str]:
    """Paths to consider, in a stable order; refused paths (LoadErrors) go into the report."""
    local = [r for r in roots if not is_url(r)]
    items = iter_files(local, limits=limits)
    for item in itertools.chain(items, _url_listing([r for r in roots if is_url(r)])):
        if isinstance(item, LoadError):
            report.skipped.append((item.source, skip_reason(item)))
        else:
            yield str(item)


def _url_listing(urls: list[str]) -> Iterator[str | LoadError]:
    """Files under fsspec URLs (object stores, HDFS…), by the loaders' extensions."""
    if not urls:
        return
    import fsspec

    from ..ingest.sources import LOADERS

    for url in urls:
        fs, root = fsspec.core.url_to_fs(url)
        protocol = url.split("://", 1)[0]
        try:
            found = sorted(fs.find(root)) if fs.isdir(root) else [root] if fs.exists(root) else []
        except OSError as exc:
            yield LoadError(url, f"cannot list ({exc})")
            continue
        if not found:
            yield LoadError(url, "no such file or folder")
        for inner in found:
            name = f"{protocol}://{inner.removeprefix(protocol + '://')}"
            if Path(inner).name.startswith("."):
                yield LoadError(name, "hidden file (skipped)")
            elif Path(inner).suffix.lower() not in LOADERS:
                yield LoadError(name, f"unsupported file type '{Path(inner).suffix or '(none)'}'")
            else:
                yield name


def _changed(con, paths: Iterator[str], report: BuildReport) -> Iterator[str]:
    """The paths whose mtime/size/extractor differ from what the store recorded (looked up in chunks);
    every path considered is remembered in `_seen` (to find the files that vanished)."""
    for chunk in chunks(paths, LOOKUP_CHUNK):
        keys = [file_key(p) for p in chunk]
        con.execute("INSERT INTO _seen SELECT UNNEST(?)", [keys])
        known = store.file_index(con, keys)
        for path, key in zip(chunk, keys):
            state = file_state(path)
            if state is not None and known.get(key) == (*state, report.extractor_version):
                report.files_unchanged += 1
            else:
                yield path


def _vanished(con, roots: list[str]) -> list[str]:
    """Recorded files under a folder that is built again but which the listing no longer holds."""
    gone: list[str] = []
    for root in roots:
        if is_url(root) or not os.path.isdir(root):
            continue
        prefix = os.path.abspath(root).rstrip("/") + "/"
        gone += [r[0] for r in con.execute(
            "SELECT path FROM files WHERE starts_with(path, ?) AND path NOT IN (SELECT path FROM _seen)",
            [prefix]).fetchall()]
    return gone


class _Writer:
    """The one writer: gathers file results into batches and appends each batch in bulk."""

    def __init__(self, con, report: BuildReport):
        self.con, self.report = con, report
        self.batch: list[FileResult] = []
        self.next_id = store.next_commitment_id(con)
        self.file_skips: set[str] = set()
        self.redo: list[str] = []

    def add(self, result: FileResult) -> None:
        self.batch.append(result)
        if len(self.batch) >= BATCH_FILES:
            self.flush()

    def forget(self, paths: list[str], report: BuildReport | None = None) -> None:
        """Drop what these files stored; files whose duplicates lost their kept copy are read again."""
        if not paths:
            return
        before = store.scalar(self.con, "SELECT count(*) FROM documents")
        self.redo += store.forget_files(self.con, paths)
        if report is not None:
            report.files_removed += len(paths)
            report.documents_removed += before - store.scalar(self.con, "SELECT count(*) FROM documents")

    def flush(self) -> None:
        batch, self.batch = self.batch, []
        if not batch:
            return
        self.forget([r.path for r in batch])
        report = self.report
        kept = store.kept_copies(self.con, [d["id"] for r in batch for d in r.documents])
        rows: dict[str, list[tuple]] = {t: [] for t in ("documents", "sections", "commitments", "targets",
                                                        "files", "skipped")}
        for result in batch:
            report.files_read += 1
            rows["files"].append((result.path, result.mtime_ns, result.size, report.extractor_version))
            for source, reason in result.skipped:
                report.skipped.append((source, reason))
                self.file_skips.add(source)
                rows["skipped"].append((source, reason, result.path, None))
            for doc in result.documents:
                if doc["id"] in kept:
                    report.duplicates += 1
                    reason = f"duplicate of {kept[doc['id']]} (kept)"
                    report.skipped.append((doc["source"], reason))
                    self.file_skips.add(doc["source"])
                    rows["skipped"].append((doc["source"], reason, result.path, doc["id"]))
                    continue
                kept[doc["id"]] = doc["source"]
                report.documents_added += 1
                rows["documents"].append(doc["document"])
                rows["sections"].extend(doc["sections"])
                rows["commitments"].extend((self.next_id + c[0],) + c[1:] for c in doc["commitments"])
                rows["targets"].extend((self.next_id + t[0],) + t[1:] for t in doc["targets"])
                self.next_id += len(doc["commitments"])
        store.append_batch(self.con, rows)


def _summarise(con, report: BuildReport) -> None:
    total, regions = con.execute("SELECT count(*), count(DISTINCT adcode) FROM documents").fetchall()[0]
    report.documents_total, report.regions = int(total), int(regions)
    report.commitments = int(store.scalar(con, "SELECT count(*) FROM commitments WHERE committed"))
    report.years = [int(r[0]) for r in con.execute(
        "SELECT DISTINCT year FROM documents WHERE year IS NOT NULL ORDER BY year").fetchall()]
