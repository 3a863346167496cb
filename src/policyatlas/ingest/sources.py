"""Sources → documents: read files and folders of any supported format into `Document`s.

Loaders register by file extension in `LOADERS` (the one place that says which formats
exist). A loader gets a file's bytes and yields `Record`s (text plus whatever metadata the
format carries) or `LoadError`s for the parts it could not read (a bad CSV row, a bad JSONL
line); the caller cleans web leftovers, infers missing metadata and gets a `Document` or a
`LoadError` naming the file, the stage and the problem. `load_path` never raises, so one bad
file never stops a batch, and `iter_files` names every path it does not hand on.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import stat
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from charset_normalizer import from_bytes

from .cleaning import strip_leftovers
from .limits import Limits
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

#: The stages a `LoadError` may name, in the order a file goes through them.
STAGES = ("list", "read", "decode", "parse", "limit", "metadata")


@dataclass
class Record:
    """Raw text from one file or row, with the metadata the format itself states."""

    text: str
    source: str
    meta: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class LoadError:
    """Why one path (file, row or line) could not become a document, and at which stage."""

    source: str
    reason: str
    stage: str = "load"

    def __str__(self) -> str:
        return f"{self.source}: {self.stage}: {self.reason}"


class SourceError(ValueError):
    """A file that cannot be read as its format; the message names the problem."""

    def __init__(self, reason: str, stage: str = "parse") -> None:
        super().__init__(reason)
        self.stage = stage


class LimitHit(SourceError):
    """An input over one of the `Limits` (the message names the setting)."""

    def __init__(self, what: str, limits: Limits, name: str) -> None:
        super().__init__(f"{what} (over the limit {limits.describe(name)})", "limit")


# --------------------------------------------------------------------------- decoding

_BOMS = (  # UTF-32 first: its little-endian BOM starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
#: Declared charsets that name a subset of a codec that decodes more (gb2312 text is GB18030).
_SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "big5": "big5hkscs",
              "shift_jis": "cp932", "euc_kr": "cp949", "ascii": "utf-8", "latin_1": "cp1252",
              "iso8859-1": "cp1252"}
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.I)
#: A handful of stray bytes in otherwise valid UTF-8 become U+FFFD; more means another encoding.
_MAX_STRAY = 8
_ISO2022 = re.compile(rb"\x1b(?:\$[@B(D]|\(J|\(I|\$\)C|\.A|N)")


def _canonical(name: str) -> str | None:
    """A Python codec name for a declared charset, or None when Python has no such codec."""
    try:
        return codecs.lookup(name.strip().lower()).name
    except LookupError:
        return None


def html_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a `<meta>` in its first 4 KB, if Python knows it."""
    match = _META_CHARSET.search(data[:4096])
    return _canonical(match.group(1).decode("ascii")) if match else None


class _Counter:
    """A codec error handler that replaces with U+FFFD and counts the bad stretches."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, exc: UnicodeDecodeError) -> tuple[str, int]:
        self.count += 1
        return "\ufffd", exc.end


def _decode_counting(data: bytes, encoding: str) -> tuple[str, int]:
    counter = _Counter()
    name = f"policyatlas-count-{id(counter)}"
    codecs.register_error(name, counter)
    return data.decode(encoding, errors=name), counter.count


def _mostly_utf8(data: bytes) -> str | None:
    """UTF-8 text cut mid-character or with a few stray bytes, with U+FFFD for each bad stretch."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        text = decoder.decode(data, final=False)
        if decoder.getstate()[0]:  # only the last character is incomplete
            return text + "\ufffd"
    except UnicodeDecodeError:
        pass
    text, bad = _decode_counting(data, "utf-8")
    if bad > _MAX_STRAY:
        return None
    multibyte = len(text.encode("utf-8", "surrogatepass")) - len(text) - 2 * bad
    # a Latin-1 or GBK text has few valid multi-byte UTF-8 sequences around its bad bytes
    return text if multibyte >= 8 * bad else None


def _try(data: bytes, *encodings: str) -> str | None:
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return None


#: Bytes that charset detection looks at (the whole file is then decoded with what it found).
_DETECT_SAMPLE = 1 << 21


def decode_bytes(data: bytes, source: str = "", declared: str | None = None) -> str:
    """Decode text whose encoding is unknown: BOM, ISO-2022 escapes, UTF-8, a declared charset, detection.

    GB18030 is used only when detection finds it the best fit (a Big5 or Shift-JIS file also
    decodes as GB18030 without error, into nonsense).
    """
    if not data.strip(b" \t\r\n\f\v"):
        raise SourceError("empty file", "decode")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            text, bad = _decode_counting(data[len(bom):], encoding)
            if bad > _MAX_STRAY:
                raise SourceError(f"not valid {encoding} despite its byte-order mark ({bad} bad sequences)", "decode")
            return text
    if max(data) < 0x80 and _ISO2022.search(data[:65536]):
        text = _try(data, "iso2022_jp_2", "iso2022_jp_ext", "iso2022_kr")
        if text is not None:
            return text
    text = _try(data, "utf-8")
    if text is not None:
        return text
    codec = _canonical(declared) if declared else None
    if codec:
        text = _try(data, codec, _SUPERSETS.get(codec, codec))
        if text is not None:
            return text  # else the declaration is wrong: detect
    mostly = _mostly_utf8(data)
    if mostly is not None:
        return mostly
    best = from_bytes(data[:_DETECT_SAMPLE]).best()
    if best is not None:
        text = _try(data, best.encoding, _SUPERSETS.get(best.encoding, best.encoding))
        if text is not None:
            return text
        if len(data) <= _DETECT_SAMPLE:
            return str(best)
    best = from_bytes(data).best() if len(data) > _DETECT_SAMPLE else None
    if best is None:
        raise SourceError("binary or undecodable content (no text encoding fits)", "decode")
    return str(best)


_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\ufffd]")
_WORD = re.compile(r"[^\W_]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _check_text(text: str) -> str:
    """Reject text that decoded but is not prose (binary junk decodes to control characters)."""
    if not _WORD.search(text):
        raise SourceError("no text (only blanks, control or invisible characters)", "parse")
    sample = text[:20000]
    bad = len(_CONTROL.findall(sample))
    if bad > max(5, len(sample) // 100):
        raise SourceError("binary or corrupt content (too many control characters)", "decode")
    return text


def _clean_chars(text: str) -> str:
    """Text that can be stored: lone surrogates (from JSON escapes) become U+FFFD, NULs go."""
    if _SURROGATE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
        text = _SURROGATE.sub("\ufffd", text)
    return text.replace("\x00", "") if "\x00" in text else text


def _check_chars(text: str, limits: Limits, what: str = "document") -> None:
    if len(text) > limits.max_chars_per_document:
        raise LimitHit(f"{what} has {len(text):,} characters", limits, "max_chars_per_document")


# --------------------------------------------------------------------------- loaders

Loader = Callable[[str, bytes, Limits], Iterator["Record | LoadError"]]


def load_text(path: str, data: bytes, limits: Limits) -> Iterator[Record]:
    """Plain text and Markdown."""
    text = decode_bytes(data, path)
    _check_chars(text, limits)
    yield Record(_check_text(text), path)


def _sniff_magic(data: bytes) -> str:
    """What a file that should be a zip looks like instead (for the reason of a skip)."""
    head = data[:512].lstrip().lower()
    if head.startswith(b"%pdf"):
        return "a PDF"
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        return "an HTML page"
    if head.startswith(b"<?xml"):
        return "an XML file"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old binary Word (.doc) file"
    if head.startswith(b"{\\rtf"):
        return "an RTF file"
    return "not a zip archive"


def check_zip(archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse a zip whose declared unpacked size is over the limit, before reading any member."""
    total = sum(info.file_size for info in archive.infolist())
    if total > limits.max_decompressed_bytes:
        raise LimitHit(f"archive unpacks to {total:,} bytes", limits, "max_decompressed_bytes")


def _paragraph_text(p) -> str:
    from docx.text.paragraph import Paragraph

    return Paragraph(p, None).text


def load_docx(path: str, data: bytes, limits: Limits) -> Iterator[Record]:
    """Word documents: paragraphs, then table rows (cells read as `w:tc`, spans never expanded)."""
    import docx  # python-docx
    from docx.oxml.ns import qn

    if not data.startswith(b"PK"):
        raise SourceError(f"not a .docx ({_sniff_magic(data)})")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            check_zip(archive, limits)
            if "word/document.xml" not in archive.namelist():
                raise SourceError("not a .docx (zip without word/document.xml)")
    except zipfile.BadZipFile as exc:
        raise SourceError(f"not a readable .docx (truncated or corrupt: {exc})") from exc
    try:
        document = docx.Document(io.BytesIO(data))
    except SourceError:
        raise
    except Exception as exc:  # python-docx raises PackageNotFoundError, KeyError, lxml errors…
        raise SourceError(f"not a readable .docx ({type(exc).__name__}: {str(exc)[:120]})") from exc
    body = document.element.body
    lines = [_paragraph_text(p) for p in body.iterchildren(qn("w:p"))]
    for table in body.iterchildren(qn("w:tbl")):
        for row in table.iterchildren(qn("w:tr")):
            cells = ("\n".join(_paragraph_text(p) for p in tc.iterchildren(qn("w:p")))
                     for tc in row.iterchildren(qn("w:tc")))
            lines.append("\t".join(cells))
    meta = {}
    try:
        title = (document.core_properties.title or "").strip()
    except Exception:  # noqa: BLE001 - a corrupt core.xml costs the title, not the document
        title = ""
    if title:
        meta["title"] = title
    text = "\n".join(lines)
    _check_chars(text, limits)
    yield Record(_check_text(text), path, meta)


_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]{0,30})(?:[^<>]{0,2000}?(/))?")
#: Elements that never hold others or close themselves implicitly: not counted as nesting.
_FLAT = frozenset("area base br col embed hr img input link meta param source track wbr p li dt dd tr td th "
                  "tbody thead tfoot option optgroup rb rt rp colgroup caption html head body".split())


def html_depth(page: str, stop: int) -> int:
    """How deep the elements of a page nest (approximately, in one pass; stops counting past `stop`)."""
    depth = deepest = 0
    for close, name, selfclosing in _TAG.findall(page):
        if selfclosing or name.lower() in _FLAT:
            continue
        if close:
            depth = max(0, depth - 1)
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop:
                    break
    return deepest


def load_html(path: str, data: bytes, limits: Limits) -> Iterator[Record]:
    """Web pages: visible text of the body, one block per line, scripts and styles dropped."""
    from selectolax.lexbor import LexborHTMLParser

    page = decode_bytes(data, path, declared=html_charset(data))
    _check_chars(page, limits, "page")
    if page.count("<") > limits.max_html_depth and html_depth(page, limits.max_html_depth) > limits.max_html_depth:
        # the HTML parser's time grows with the square of the nesting depth
        raise LimitHit(f"elements nest deeper than {limits.max_html_depth}", limits, "max_html_depth")
    tree = LexborHTMLParser(page)
    for node in tree.css("script, style, noscript, nav, footer, header"):
        node.decompose()
    meta = {}
    title = tree.css_first("title")
    if title is not None and title.text(strip=True):
        meta["title"] = title.text(strip=True)
    body = tree.body or tree.root
    text = body.text(separator="\n", strip=True) if body is not None else ""
    _check_chars(text, limits)
    yield Record(_check_text(text), path, meta)


def load_pdf(path: str, data: bytes, limits: Limits) -> Iterator[Record]:
    """PDF files with a text layer (scanned PDFs without one, and locked ones, are reported)."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except Exception as exc:  # noqa: BLE001 - unsupported cipher, missing dependency
                raise SourceError(f"encrypted PDF that cannot be opened ({type(exc).__name__}: {exc})") from exc
            if not opened:
                raise SourceError("encrypted PDF (needs a password)")
        parts, size = [], 0
        for page in reader.pages:
            part = page.extract_text() or ""
            size += len(part)
            if size > limits.max_chars_per_document:
                raise LimitHit(f"PDF text over {size:,} characters", limits, "max_chars_per_document")
            parts.append(part)
        text = "\n".join(parts)
    except SourceError:
        raise
    except Exception as exc:  # noqa: BLE001 - pypdf raises many kinds on a broken file
        raise SourceError(f"not a readable PDF ({type(exc).__name__}: {str(exc)[:120]})") from exc
    if not text.strip():
        raise SourceError("PDF has no text layer (scanned?)")
    yield Record(_check_text(text), path)


def _as_text(value: object) -> str:
    """A cell or JSON value as text: strings as they are, lists joined, objects as JSON (never repr)."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "\n".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _meta_text(value: object) -> str:
    if isinstance(value, list) and all(isinstance(v, (str, int, float)) for v in value):
        return "、".join(str(v) for v in value)
    return _as_text(value)


class _Columns:
    """Where a row keeps its text and metadata, worked out once per set of column names."""

    def __init__(self, names: Iterable[object]) -> None:
        keys = {str(k).strip().lstrip("\ufeff").lower(): k for k in names if k is not None}
        self.names = list(keys)
        self.text = next((keys[c] for c in TEXT_COLUMNS if c in keys), None)
        self.meta = [(name, keys[c]) for name, candidates in META_COLUMNS.items()
                     for c in candidates if c in keys]


def _row_record(row: object, source: str, where: str, columns: _Columns | None = None) -> Record:
    """One record from a row (CSV) or object (JSONL); the text column is the first of TEXT_COLUMNS present."""
    if not isinstance(row, dict):
        raise SourceError(f"{where} is not an object (found {type(row).__name__})")
    columns = columns or _Columns(row)
    if columns.text is None:
        found = ", ".join(columns.names[:12]) or "none"
        raise SourceError(f"no text column (expected one of {', '.join(TEXT_COLUMNS)}; found {found[:200]})")
    meta: dict[str, str] = {}
    for name, key in columns.meta:
        if name not in meta:
            value = row.get(key)
            if value not in (None, "", []):
                meta[name] = _meta_text(value).strip()
    return Record(_as_text(row[columns.text]), source, meta)


def _dialect(header: str) -> type[csv.Dialect] | csv.Dialect:
    """Standard CSV quoting (csv.excel); another delimiter only when the header clearly uses it."""
    bare = re.sub(r'"[^"]*"', "", header)
    counts = {d: bare.count(d) for d in ",;\t|"}
    if counts[","]:
        return csv.excel
    delimiter = max(counts, key=counts.get)
    if not counts[delimiter]:
        return csv.excel

    class Sniffed(csv.excel):
        pass

    Sniffed.delimiter = delimiter
    return Sniffed


def load_csv(path: str, data: bytes, limits: Limits, tab: bool = False) -> Iterator[Record | LoadError]:
    """CSV (or ;/tab/| separated) with a header and a text column, one document per row."""
    text = decode_bytes(data, path)
    csv.field_size_limit(max(limits.max_chars_per_document + 1, 1 << 20))
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    dialect = _dialect("\t" if tab else header)
    reader = csv.DictReader(io.StringIO(text, newline=""), dialect=dialect)
    try:
        fields = reader.fieldnames
    except csv.Error as exc:
        raise SourceError(f"malformed CSV header ({exc})") from exc
    if not fields:
        raise SourceError("CSV has no header")
    columns = _Columns(fields)
    rows = 0
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                yield LoadError(f"{path}#line={line}", f"line {line}: a field is over the limit "
                                f"{limits.describe('max_chars_per_document')}", "limit")
            else:
                yield LoadError(f"{path}#line={line}", f"line {line}: malformed CSV ({exc})", "parse")
            if reader.line_num < line:  # nothing consumed: the reader cannot go on
                break
            continue
        rows += 1
        source = f"{path}#row={rows}"
        if rows > limits.max_rows_per_file:
            yield LoadError(source, f"rows from {rows:,} on not read (over the limit "
                            f"{limits.describe('max_rows_per_file')})", "limit")
            return
        if None in row:  # more cells than the header names: keep the text, note it
            row.pop(None)
        try:
            record = _row_record(row, source, f"row {rows}", columns)
            _check_chars(record.text, limits, f"row {rows}")
            yield record
        except SourceError as exc:
            yield LoadError(source, str(exc), exc.stage)
    if rows == 0:
        raise SourceError("CSV has a header but no rows")


def load_tsv(path: str, data: bytes, limits: Limits) -> Iterator[Record | LoadError]:
    """Tab-separated tables (as CSV, tab-delimited)."""
    return load_csv(path, data, limits, tab=True)


_BRACKETS = re.compile(r'"(?:[^"\\]++|\\.)*+"|[^\[\]{}"]++')


def json_depth(line: str) -> int:
    """The deepest nesting of arrays and objects in a JSON text (strings skipped), in one pass."""
    depth = deepest = 0
    for ch in _BRACKETS.sub("", line):
        if ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
    return deepest


def _jsonl_lines(data: bytes, path: str) -> Iterator[tuple[int, str | None]]:
    """(line number, text) of each line; JSON is UTF-8, so a line that is not is None, alone."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)):
        yield from enumerate(decode_bytes(data, path).split("\n"), start=1)
        return
    lines = data.removeprefix(codecs.BOM_UTF8).split(b"\n")
    bad = 0
    for raw in lines:
        try:
            raw.decode("utf-8")
        except UnicodeDecodeError:
            bad += 1
    if bad * 2 > len([raw for raw in lines if raw.strip()]):  # a whole file in another encoding
        yield from enumerate(decode_bytes(data, path).lstrip("\ufeff").split("\n"), start=1)
        return
    for number, raw in enumerate(lines, start=1):
        try:
            yield number, raw.decode("utf-8")
        except UnicodeDecodeError:
            yield number, None


def load_jsonl(path: str, data: bytes, limits: Limits) -> Iterator[Record | LoadError]:
    """JSON lines, one document per line with a text field; a broken line is its own error."""
    if not data.strip(b" \t\r\n\f\v"):
        raise SourceError("empty file", "decode")
    rows = 0
    for number, line in _jsonl_lines(data, path):
        source = f"{path}#line={number}"
        if line is None:
            yield LoadError(source, f"line {number} is not valid UTF-8", "decode")
            continue
        line = line.strip().lstrip("\ufeff")
        if not line:
            continue
        rows += 1
        if rows > limits.max_rows_per_file:
            yield LoadError(source, f"lines from {number:,} on not read (over the limit "
                            f"{limits.describe('max_rows_per_file')})", "limit")
            return
        try:
            _check_chars(line, limits, f"line {number}")
            if line.count("[") + line.count("{") > limits.max_json_depth and json_depth(line) > limits.max_json_depth:
                raise LimitHit(f"line {number} nests deeper than {limits.max_json_depth}", limits, "max_json_depth")
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                raise SourceError(f"line {number} is not JSON ({exc.msg} at column {exc.colno})") from None
            except (ValueError, RecursionError) as exc:  # huge integers, deep nesting
                raise SourceError(f"line {number} is not readable JSON ({type(exc).__name__}: {str(exc)[:100]})") from None
            yield _row_record(value, source, f"line {number}")
        except SourceError as exc:
            yield LoadError(source, str(exc) if f"line {number}" in str(exc) else f"line {number}: {exc}", exc.stage)
    if rows == 0:
        raise SourceError("no text (no JSON lines)", "parse")


#: Format registry: file extension → loader. Add a format here and nowhere else.
LOADERS: dict[str, Loader] = {
    ".txt": load_text,
    ".text": load_text,
    ".md": load_text,
    ".markdown": load_text,
    ".docx": load_docx,
    ".html": load_html,
    ".htm": load_html,
    ".xhtml": load_html,
    ".pdf": load_pdf,
    ".csv": load_csv,
    ".tsv": load_tsv,
    ".jsonl": load_jsonl,
}


#: Files that describe a corpus rather than belong to it; reported as skipped, never loaded.
NOT_SOURCES = frozenset({"readme.md", "readme.txt", "readme", "manifest.csv", "license", "license.md", "license.txt"})
_NOT_SOURCE_REASON = "documentation or manifest file, not a source text (skipped)"

_FILE_TYPES = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISSOCK, "a socket"),
               (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
               (stat.S_ISDIR, "a folder"))


def _kind(mode: int) -> str:
    return next((name for test, name in _FILE_TYPES if test(mode)), "not a regular file")


def _printable(path: str) -> str:
    """A path as a report can store it: itself, or its repr when the name is not valid UTF-8."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return repr(path)


def _unsupported(name: str) -> str:
    suffix = os.path.splitext(name)[1]
    return f"unsupported file type {suffix}" if suffix else "unsupported file type (no extension)"


def _inside(real: str, roots: list[str]) -> bool:
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


def iter_files(paths: Iterable[str | Path], limits: Limits | None = None) -> Iterator[str | LoadError]:
    """Every supported file under the given files and folders, in a stable order, and a `LoadError`
    for every path not handed on (hidden, unsupported, not a regular file, a symlink leaving the
    roots, a name that is not UTF-8, missing): nothing is dropped without a word."""
    limits = limits or Limits()
    given = [os.fsdecode(os.fspath(p)) for p in paths]
    roots = [os.path.realpath(p) for p in given if os.path.isdir(p)]
    roots += [os.path.dirname(os.path.realpath(p)) for p in given if not os.path.isdir(p)]
    for path in given:
        try:
            st = os.stat(path)
        except OSError as exc:
            yield LoadError(_printable(path), f"no such file or folder ({exc.strerror or exc})"
                            if isinstance(exc, FileNotFoundError) else f"cannot read ({exc.strerror or exc})", "list")
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(path, roots, limits, {os.path.realpath(path)})
        else:
            yield from _entry(path, os.path.basename(path), st, roots, limits, explicit=True)


def _walk(folder: str, roots: list[str], limits: Limits, visited: set[str]) -> Iterator[str | LoadError]:
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        yield LoadError(_printable(folder), f"cannot list folder ({exc.strerror or exc})", "list")
        return
    for name in names:
        path = os.path.join(folder, name)
        shown = _printable(path)
        if shown != path:
            yield LoadError(shown, "file name is not valid UTF-8 (skipped)", "list")
            continue
        if name.startswith("."):
            yield LoadError(path, "hidden file (skipped)", "list")
            continue
        try:
            lst = os.lstat(path)
        except OSError as exc:
            yield LoadError(path, f"cannot read ({exc.strerror or exc})", "list")
            continue
        if stat.S_ISLNK(lst.st_mode):
            real = os.path.realpath(path)
            try:
                st = os.stat(path)
            except OSError:
                yield LoadError(path, "broken symlink (skipped)", "list")
                continue
            if not _inside(real, roots) and not limits.follow_symlinks:
                yield LoadError(path, "symlink to outside the given folders (not followed; "
                                "set follow_symlinks to allow)", "list")
                continue
            if stat.S_ISDIR(st.st_mode):
                if real in visited or _inside(real, roots):
                    yield LoadError(path, "symlink to a folder that is listed anyway (skipped)", "list")
                    continue
                yield from _walk(path, roots, limits, visited | {real})
                continue
        else:
            st = lst
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(path, roots, limits, visited)
        else:
            yield from _entry(path, name, st, roots, limits)


def _entry(path: str, name: str, st: os.stat_result, roots: list[str], limits: Limits,
           explicit: bool = False) -> Iterator[str | LoadError]:
    shown = _printable(path)
    if shown != path:
        yield LoadError(shown, "file name is not valid UTF-8 (skipped)", "list")
    elif not stat.S_ISREG(st.st_mode):
        yield LoadError(path, f"{_kind(st.st_mode)}, not a regular file (skipped)", "list")
    elif name.lower() in NOT_SOURCES:
        yield LoadError(path, _NOT_SOURCE_REASON, "list")
    elif os.path.splitext(name)[1].lower() not in LOADERS:
        yield LoadError(path, _unsupported(name), "list")
    else:
        yield path


# --------------------------------------------------------------------------- documents


def record_to_document(record: Record, overrides: dict[str, str] | None = None) -> Document:
    """Clean a record's text and infer what the format did not state; explicit values win."""
    text, removed = strip_leftovers(_clean_chars(record.text))
    _check_text(text)
    meta = {k: _clean_chars(v) for k, v in record.meta.items()}
    meta.update({k: v for k, v in (overrides or {}).items() if v not in (None, "")})
    try:
        document = infer_metadata(text, _clean_chars(record.source), meta)
    except UnknownRegion as exc:
        raise SourceError(str(exc), "metadata") from None
    if removed:
        document.meta["leftover_lines_removed"] = str(removed)
    return document


def _read(path: str, limits: Limits) -> bytes:
    """A regular file's bytes, after checking its type and size (a FIFO is never opened)."""
    try:
        st = os.stat(path)
    except OSError as exc:
        raise SourceError(f"cannot read file ({exc.strerror or exc})", "read") from None
    if not stat.S_ISREG(st.st_mode):
        raise SourceError(f"{_kind(st.st_mode)}, not a regular file (skipped)", "read")
    if st.st_size > limits.max_file_bytes:
        raise LimitHit(f"file has {st.st_size:,} bytes", limits, "max_file_bytes")
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):  # swapped after the check
                raise SourceError("not a regular file (skipped)", "read")
            data = fh.read(limits.max_file_bytes + 1)
    except OSError as exc:
        raise SourceError(f"cannot read file ({exc.strerror or exc})", "read") from None
    if len(data) > limits.max_file_bytes:
        raise LimitHit("file grew past the limit while read", limits, "max_file_bytes")
    return data


def load_path(
    path: str | Path, overrides: dict[str, str] | None = None, limits: Limits | None = None
) -> Iterator[Document | LoadError]:
    """Documents from one file; every problem comes back as a `LoadError` naming the file (never raises)."""
    try:
        name = os.fsdecode(os.fspath(path))
    except Exception as exc:  # noqa: BLE001
        yield LoadError(repr(path), f"not a path ({type(exc).__name__})", "read")
        return
    shown = _printable(name)
    try:
        yield from _load(name, shown, overrides, limits or Limits())
    except Exception as exc:  # noqa: BLE001 - the promise: one bad file never raises
        yield LoadError(shown, f"{type(exc).__name__}: {str(exc)[:200]}", "parse")


def _load(path: str, shown: str, overrides: dict[str, str] | None, limits: Limits) -> Iterator[Document | LoadError]:
    base = os.path.basename(path)
    if base.lower() in NOT_SOURCES:
        yield LoadError(shown, _NOT_SOURCE_REASON, "list")
        return
    loader = LOADERS.get(os.path.splitext(base)[1].lower())
    if loader is None:
        yield LoadError(shown, _unsupported(base), "list")
        return
    records: list[Record | LoadError] = []
    try:
        data = _read(path, limits)
        for record in loader(shown, data, limits):
            records.append(record)
    except SourceError as exc:
        records.append(LoadError(shown, str(exc), exc.stage))
    except MemoryError:
        records.append(LoadError(shown, "out of memory while reading", "limit"))
    except Exception as exc:  # noqa: BLE001 - a loader bug on one file is that file's skip
        records.append(LoadError(shown, f"{type(exc).__name__}: {str(exc)[:200]}", "parse"))
    for record in records:
        if isinstance(record, LoadError):
            yield record
            continue
        try:
            yield record_to_document(record, overrides)
        except SourceError as exc:
            yield LoadError(record.source, str(exc), exc.stage)
        except Exception as exc:  # noqa: BLE001
            yield LoadError(record.source, f"{type(exc).__name__}: {str(exc)[:200]}", "metadata")


def load_paths(
    paths: Iterable[str | Path], overrides: dict[str, str] | None = None, limits: Limits | None = None
) -> Iterator[Document | LoadError]:
    """Documents from files and folders (recursively), with every refused path named; see `load_path`."""
    for item in iter_files(paths, limits):
        if isinstance(item, LoadError):
            yield item
        else:
            yield from load_path(item, overrides, limits)


def load_string(text: str, source: str = "<text>", overrides: dict[str, str] | None = None) -> Document:
    """A document from text already in memory (stdin, tests, the web API)."""
    return record_to_document(Record(text, source), overrides)
