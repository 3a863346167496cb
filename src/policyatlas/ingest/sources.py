"""Sources → documents: read files and folders of any supported format into `Document`s.

Loaders register by file extension in `LOADERS` (the one place that says which formats
exist). A loader yields `Record`s (text plus whatever metadata the format carries); the
caller cleans web leftovers, infers missing metadata and gets a `Document` or a
`LoadError` naming the file and the problem, so one bad file never stops a batch.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

from .cleaning import strip_leftovers
from ..text.documents import Document
from .metadata import infer_metadata
from ..knowledge.regions import UnknownRegion

#: Column names that may hold a tabular record's text, in order of preference.
TEXT_COLUMNS = ("full_text", "content", "text", "body", "article")
#: Column names for metadata that a tabular corpus may carry explicitly.
META_COLUMNS = {
    "title": ("title",),
    "year": ("year",),
    "region": ("province", "region", "adcode", "city"),
    "level": ("level",),
    "url": ("source_url", "url"),
    "date": ("publish_date", "date"),
}


@dataclass
class Record:
    """Raw text from one file or row, with the metadata the format itself states."""

    text: str
    source: str
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadError:
    """Why one file (or row) could not become a document."""

    source: str
    reason: str

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


class SourceError(ValueError):
    """A file that cannot be read as its format; the message names the problem."""


def decode_bytes(data: bytes, source: str) -> str:
    """Decode text whose encoding is unknown: BOM'd or plain UTF-8, else GB18030/GBK, else detect."""
    if not data.strip():
        raise SourceError("empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data).best()
    if best is None:
        raise SourceError("binary or undecodable content (no text encoding fits)")
    return str(best)


def _check_text(text: str) -> str:
    """Reject text that decoded but is not prose (binary junk decodes to control characters)."""
    if not text.strip():
        raise SourceError("no text content")
    sample = text[:20000]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    bad += sample.count("\ufffd")
    if bad > max(5, len(sample) // 100):
        raise SourceError("binary or corrupt content (too many control characters)")
    return text


def load_text(path: Path) -> Iterator[Record]:
    """Plain text and Markdown."""
    yield Record(_check_text(decode_bytes(path.read_bytes(), str(path))), str(path))


def load_docx(path: Path) -> Iterator[Record]:
    """Word documents: paragraphs (and table cells) joined by newlines."""
    import docx  # python-docx

    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise SourceError(f"not a readable .docx (truncated or corrupt: {exc})") from exc
    except Exception as exc:  # python-docx raises PackageNotFoundError and friends
        raise SourceError(f"not a readable .docx ({type(exc).__name__}: {exc})") from exc
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append("\t".join(cell.text for cell in row.cells))
    meta = {}
    title = (document.core_properties.title or "").strip()
    if title:
        meta["title"] = title
    yield Record(_check_text("\n".join(lines)), str(path), meta)


def load_html(path: Path) -> Iterator[Record]:
    """Web pages: visible text of the body, one block per line, scripts and styles dropped."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(decode_bytes(path.read_bytes(), str(path)))
    for node in tree.css("script, style, noscript, nav, footer, header"):
        node.decompose()
    meta = {}
    title = tree.css_first("title")
    if title is not None and title.text(strip=True):
        meta["title"] = title.text(strip=True)
    body = tree.body or tree.root
    text = body.text(separator="\n", strip=True) if body is not None else ""
    yield Record(_check_text(text), str(path), meta)


def load_pdf(path: Path) -> Iterator[Record]:
    """PDF files with a text layer (scanned PDFs without one are reported, not guessed)."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        text = "\n".join(page.extract_text() or "" for page in reader.pages)
    except (PdfReadError, ValueError, OSError) as exc:
        raise SourceError(f"not a readable PDF ({exc})") from exc
    if not text.strip():
        raise SourceError("PDF has no text layer (scanned?)")
    yield Record(_check_text(text), str(path))


def _rows_to_records(rows: Iterable[dict], source: str) -> Iterator[Record]:
    """One record per row; the text column is the first of TEXT_COLUMNS present."""
    for number, row in enumerate(rows, start=1):
        if not isinstance(row, dict):
            raise SourceError(f"row {number} is not an object")
        keys = {str(k).strip().lstrip("\ufeff").lower(): k for k in row}
        text_key = next((keys[c] for c in TEXT_COLUMNS if c in keys), None)
        if text_key is None:
            raise SourceError(
                f"no text column (expected one of {', '.join(TEXT_COLUMNS)}; found {', '.join(keys) or 'none'})"
            )
        meta: dict[str, str] = {}
        for name, candidates in META_COLUMNS.items():
            for candidate in candidates:
                value = row.get(keys.get(candidate, ""), None)
                if value not in (None, ""):
                    meta[name] = str(value).strip()
                    break
        yield Record(str(row[text_key] or ""), f"{source}#row={number}", meta)


def load_csv(path: Path) -> Iterator[Record]:
    """CSV (or ;/tab/| separated) with a header and a text column, one document per row."""
    text = decode_bytes(path.read_bytes(), str(path))
    csv.field_size_limit(1 << 30)
    try:
        dialect = csv.Sniffer().sniff(text[:4096].split("\n", 1)[0], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    try:
        rows = list(csv.DictReader(io.StringIO(text), dialect=dialect))
    except csv.Error as exc:
        raise SourceError(f"malformed CSV ({exc})") from exc
    if not rows:
        raise SourceError("CSV has a header but no rows")
    yield from _rows_to_records(rows, str(path))


def load_jsonl(path: Path) -> Iterator[Record | LoadError]:
    """JSON lines, one document per line with a text field; a broken line is its own error."""
    text = decode_bytes(path.read_bytes(), str(path))
    rows, numbers = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            rows.append(json.loads(line))
            numbers.append(number)
        except json.JSONDecodeError as exc:
            yield LoadError(f"{path}#line={number}", f"line {number} is not JSON ({exc.msg})")
    for number, record in zip(numbers, _rows_to_records(rows, str(path))):
        record.source = f"{path}#line={number}"
        yield record


#: Format registry: file extension → loader. Add a format here and nowhere else.
LOADERS: dict[str, Callable[[Path], Iterator[Record | LoadError]]] = {
    ".txt": load_text,
    ".md": load_text,
    ".docx": load_docx,
    ".html": load_html,
    ".htm": load_html,
    ".pdf": load_pdf,
    ".csv": load_csv,
    ".jsonl": load_jsonl,
}


#: Files that describe a corpus rather than belong to it; reported as skipped, never loaded.
NOT_SOURCES = frozenset({"readme.md", "readme.txt", "readme", "manifest.csv", "license", "license.md", "license.txt"})


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Every supported file under the given files and folders, recursively, in a stable order."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in LOADERS and not child.name.startswith("."):
                    yield child
        else:
            yield path


def record_to_document(record: Record, overrides: dict[str, str] | None = None) -> Document:
    """Clean a record's text and infer what the format did not state; explicit values win."""
    text, removed = strip_leftovers(record.text)
    _check_text(text)
    meta = dict(record.meta)
    meta.update({k: v for k, v in (overrides or {}).items() if v not in (None, "")})
    try:
        document = infer_metadata(text, record.source, meta)
    except UnknownRegion as exc:
        raise SourceError(str(exc)) from None
    if removed:
        document.meta["leftover_lines_removed"] = str(removed)
    return document


def load_path(
    path: str | Path, overrides: dict[str, str] | None = None
) -> Iterator[Document | LoadError]:
    """Documents from one file; problems come back as `LoadError`s naming the file."""
    path = Path(path)
    if path.name.lower() in NOT_SOURCES:
        yield LoadError(str(path), "documentation or manifest file, not a source text (skipped)")
        return
    loader = LOADERS.get(path.suffix.lower())
    if loader is None:
        yield LoadError(str(path), f"unsupported file type '{path.suffix or '(none)'}'")
        return
    try:
        records = list(loader(path))
    except SourceError as exc:
        yield LoadError(str(path), str(exc))
        return
    except OSError as exc:
        yield LoadError(str(path), f"cannot read file ({exc.strerror or exc})")
        return
    for record in records:
        if isinstance(record, LoadError):
            yield record
            continue
        try:
            yield record_to_document(record, overrides)
        except SourceError as exc:
            yield LoadError(record.source, str(exc))


def load_paths(
    paths: Iterable[str | Path], overrides: dict[str, str] | None = None
) -> Iterator[Document | LoadError]:
    """Documents from files and folders (recursively); see `load_path`."""
    for path in iter_files(paths):
        yield from load_path(path, overrides)


def load_string(text: str, source: str = "<text>", overrides: dict[str, str] | None = None) -> Document:
    """A document from text already in memory (stdin, tests, the web API)."""
    return record_to_document(Record(text, source), overrides)
