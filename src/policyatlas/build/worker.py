"""What a build worker does with one path: read, load and extract it into plain table rows.

This is the map of the build's map/reduce. It runs in a worker process (local pool) or on a
Dask worker, so it takes a path, not a document (paths are small; the worker reads the file
itself) and returns rows, never raising: a failure of any stage becomes a named skip.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..extract.commitments import Commitment
from ..extract.pipeline import extract
from ..ingest.sources import LoadError, load_path
from ..text.documents import Document

#: Time one document may take in extraction when the limits do not say (a hit is a named skip).
DEFAULT_SECONDS_PER_DOCUMENT = 60.0


@dataclass
class FileResult:
    """One file's documents as table rows (commitment ids local to the document) and its skips."""

    path: str
    mtime_ns: int = 0
    size: int = -1
    documents: list[dict] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def is_url(path: str) -> bool:
    """fsspec URLs (s3://, gs://, hdfs://, file://…) are read through fsspec; plain paths directly."""
    return "://" in path


def file_key(path: str | Path) -> str:
    """How the store names a file: absolute for local paths (so two spellings are one file), URLs as given."""
    path = str(path)
    return path if is_url(path) else os.path.abspath(path)


def file_state(path: str) -> tuple[int, int] | None:
    """(mtime_ns, size) of a file, or None when it cannot be read: what makes a build incremental."""
    try:
        if not is_url(path):
            st = os.stat(path)
            return st.st_mtime_ns, st.st_size
        import fsspec

        fs, inner = fsspec.core.url_to_fs(path)
        info = fs.info(inner)
        stamp = info.get("mtime") or info.get("LastModified") or info.get("ETag") or info.get("created") or 0
        try:
            mtime = int(float(stamp.timestamp() if hasattr(stamp, "timestamp") else stamp) * 1e9)
        except (TypeError, ValueError):
            mtime = int.from_bytes(str(stamp).encode()[:8].ljust(8, b"\0"), "big") >> 1
        return mtime, int(info.get("size") or 0)
    except (OSError, ValueError, ImportError):
        return None


@contextmanager
def local_copy(path: str) -> Iterator[str]:
    """A local file path for `path`: itself, or a temporary copy of an fsspec URL (loaders want files)."""
    if not is_url(path):
        yield path
        return
    import fsspec

    with tempfile.TemporaryDirectory(prefix="policyatlas-") as folder:
        local = os.path.join(folder, Path(path.split("?")[0]).name or "source")
        with fsspec.open(path, "rb") as remote, open(local, "wb") as out:
            shutil.copyfileobj(remote, out)
        yield local


class _Timeout(Exception):
    pass


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise `_Timeout` after `seconds`; only on a process's main thread (where signals arrive).

    Dask runs tasks in threads: there the limit is not enforced, and the linear-time stages are
    what keeps a document from taking forever.
    """
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def alarm(signum: int, frame: object) -> None:
        raise _Timeout()

    old = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def skip_reason(item: LoadError) -> str:
    """A skip's reason as the build reports it ("stage: cause")."""
    stage = item.stage
    return f"{stage}: {item.reason}" if stage and not item.reason.startswith(stage) else item.reason


def process_file(path: str, overrides: dict[str, str] | None = None, limits: object | None = None) -> FileResult:
    """Read, load and extract one file (never raises: every failure is a named skip)."""
    result = FileResult(path=file_key(path))
    state = file_state(path)
    if state is None:
        result.skipped.append((path, "read: cannot stat file"))
        return result
    result.mtime_ns, result.size = state
    seconds = float(getattr(limits, "seconds_per_document", 0) or DEFAULT_SECONDS_PER_DOCUMENT)
    try:
        with local_copy(path) as local:
            items = list(load_path(local, overrides, limits=limits))
    except Exception as exc:  # noqa: BLE001 - one bad file never stops a build
        result.skipped.append((path, f"load: {type(exc).__name__}: {str(exc)[:200]}"))
        return result
    for item in items:
        if isinstance(item, LoadError):
            result.skipped.append((_rename(item.source, local, path), skip_reason(item)))
            continue
        item.source = _rename(item.source, local, path)
        try:
            with deadline(seconds):
                commitments = extract(item, include_rejected=True)
        except _Timeout:
            result.skipped.append((item.source, f"extract: over the limit of {seconds:g} s per document"))
            continue
        except Exception as exc:  # noqa: BLE001
            result.skipped.append((item.source, f"extract: {type(exc).__name__}: {str(exc)[:200]}"))
            continue
        result.documents.append(document_rows(item, commitments, result.path))
    return result


def process_files(paths: list[str], overrides: dict[str, str] | None = None,
                  limits: object | None = None) -> list[FileResult]:
    """`process_file` over a few paths: one task per chunk keeps scheduling overhead per file small."""
    return [process_file(path, overrides, limits) for path in paths]


def _rename(source: str, local: str, original: str) -> str:
    """A source named after the temporary copy is renamed after the URL it came from."""
    return original + source[len(local):] if local != original and source.startswith(local) else source


def document_rows(doc: Document, commitments: list[Commitment], file: str) -> dict:
    """A document and its extraction as rows of the store's tables (`store.COLUMNS` order)."""
    document = (doc.id, doc.level, doc.adcode, doc.year, doc.title, doc.source, doc.lang, len(doc.text),
                doc.text, json.dumps(doc.meta, ensure_ascii=False), file)
    sections = [(doc.id, order, s.kind, s.start, s.end, s.heading) for order, s in enumerate(doc.sections)]
    rows, targets = [], []
    for local, c in enumerate(commitments):
        rows.append((local, c.doc_id, c.adcode, c.year, c.section, c.slug, c.axis, c.term, c.action, c.strength,
                     c.sentence, c.start, c.end, c.mention_start, c.mention_end, c.committed, c.reason))
        targets.extend((local, c.doc_id, t.value, t.unit, t.modifier, t.deadline, t.text, t.start, t.end)
                       for t in c.targets)
    return {"id": doc.id, "source": doc.source, "year": doc.year, "adcode": doc.adcode, "document": document,
            "sections": sections, "commitments": rows, "targets": targets}


def warm_up() -> None:
    """Load the lexicons once per worker process, before the first file arrives."""
    from ..extract.actions import lexicon
    from ..extract.mentions import finder
    from ..knowledge.regions import gazetteer
    from ..knowledge.taxonomy import taxonomy

    taxonomy(), gazetteer()
    for lang in ("zh", "en"):
        finder(lang), lexicon(lang)
