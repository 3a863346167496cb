"""The store: one embedded DuckDB file holding documents, sections, commitments and targets.

The `commitments` table holds every industry mention that extraction judged, committed or
not: `committed` is true only for plan-part intentions, and `reason` says why a row is not
(review part, uptake, background, negation). Queries for "who plans what" filter on it; the
rejected rows serve `--include-review` and the error listings of `eval`.

Writes go to a copy of the database that replaces the original only when complete
(`os.replace`), so a build that fails half-way leaves the previous atlas intact.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

from ..extract.commitments import Commitment
from ..text.documents import Document

DEFAULT_DB = "atlas.duckdb"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR);
CREATE TABLE IF NOT EXISTS documents (
    id VARCHAR PRIMARY KEY, level VARCHAR, adcode VARCHAR, year INTEGER, title VARCHAR,
    source VARCHAR, lang VARCHAR, chars INTEGER, text VARCHAR, meta VARCHAR);
CREATE TABLE IF NOT EXISTS sections (
    doc_id VARCHAR, ord INTEGER, kind VARCHAR, start INTEGER, "end" INTEGER, heading VARCHAR);
CREATE TABLE IF NOT EXISTS commitments (
    id INTEGER, doc_id VARCHAR, adcode VARCHAR, year INTEGER, section VARCHAR, slug VARCHAR,
    axis VARCHAR, term VARCHAR, action VARCHAR, strength INTEGER, sentence VARCHAR,
    start INTEGER, "end" INTEGER, mention_start INTEGER, mention_end INTEGER,
    committed BOOLEAN, reason VARCHAR);
CREATE TABLE IF NOT EXISTS targets (
    commitment_id INTEGER, doc_id VARCHAR, value DOUBLE, unit VARCHAR, modifier VARCHAR,
    deadline INTEGER, text VARCHAR, start INTEGER, "end" INTEGER);
CREATE TABLE IF NOT EXISTS regions (
    adcode VARCHAR PRIMARY KEY, level VARCHAR, name_zh VARCHAR, short_zh VARCHAR,
    name_en VARCHAR, pinyin VARCHAR, abbr VARCHAR, parent VARCHAR);
CREATE TABLE IF NOT EXISTS taxonomy (
    slug VARCHAR PRIMARY KEY, axis VARCHAR, name_zh VARCHAR, name_en VARCHAR,
    sei_2018 VARCHAR, future_2024 VARCHAR, frontier BOOLEAN);
CREATE TABLE IF NOT EXISTS skipped (source VARCHAR, reason VARCHAR);
"""

COMMITMENT_COLUMNS = [
    "id", "doc_id", "adcode", "year", "section", "slug", "axis", "term", "action", "strength",
    "sentence", "start", "end", "mention_start", "mention_end", "committed", "reason",
]
TARGET_COLUMNS = ["commitment_id", "doc_id", "value", "unit", "modifier", "deadline", "text", "start", "end"]


class StoreError(RuntimeError):
    """A database that is missing or not a policyatlas store."""


def connect(db: str | Path, read_only: bool = True) -> duckdb.DuckDBPyConnection:
    """Open an existing atlas (read-only by default)."""
    path = Path(db)
    if not path.exists():
        raise StoreError(f"no atlas at {path}: run `policyatlas build PATH… --db {path}` first")
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        raise StoreError(f"{path} is not a readable atlas database ({exc})") from exc


@contextmanager
def atomic_write(db: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a working copy that replaces `db` only if the block completes."""
    path = Path(db)
    work = path.with_name(path.name + ".building")
    for stale in (work, Path(str(work) + ".wal")):
        stale.unlink(missing_ok=True)
    if path.exists():
        shutil.copyfile(path, work)
    con = duckdb.connect(str(work))
    try:
        con.execute(SCHEMA)
        yield con
        con.execute("CHECKPOINT")
        con.close()
        os.replace(work, path)
    except BaseException:
        con.close()
        work.unlink(missing_ok=True)
        Path(str(work) + ".wal").unlink(missing_ok=True)
        raise


def stored_ids(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute("SELECT id FROM documents").fetchall()}


def insert_document(con: duckdb.DuckDBPyConnection, doc: Document) -> None:
    con.execute(
        "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [doc.id, doc.level, doc.adcode, doc.year, doc.title, doc.source, doc.lang,
         len(doc.text), doc.text, json.dumps(doc.meta, ensure_ascii=False)],
    )


def load_documents(con: duckdb.DuckDBPyConnection) -> list[Document]:
    """Stored documents as `Document`s (sections not yet annotated)."""
    rows = con.execute(
        "SELECT level, adcode, year, title, source, lang, text, meta FROM documents ORDER BY source").fetchall()
    return [Document(text=text, source=source, title=title, level=level, adcode=adcode, year=year, lang=lang,
                     meta=json.loads(meta or "{}"))
            for level, adcode, year, title, source, lang, text, meta in rows]


def replace_extraction(
    con: duckdb.DuckDBPyConnection, results: list[tuple[Document, list[Commitment]]]
) -> int:
    """Replace all sections, commitments and targets with fresh results; returns commitments stored."""
    con.execute("DELETE FROM sections; DELETE FROM commitments; DELETE FROM targets;")
    section_rows, commitment_rows, target_rows = [], [], []
    next_id = 1
    for doc, commitments in results:
        for order, section in enumerate(doc.sections):
            section_rows.append((doc.id, order, section.kind, section.start, section.end, section.heading))
        for c in commitments:
            commitment_rows.append((next_id, c.doc_id, c.adcode, c.year, c.section, c.slug, c.axis, c.term,
                                    c.action, c.strength, c.sentence, c.start, c.end, c.mention_start,
                                    c.mention_end, c.committed, c.reason))
            for t in c.targets:
                target_rows.append((next_id, c.doc_id, t.value, t.unit, t.modifier, t.deadline, t.text, t.start, t.end))
            next_id += 1
    _append(con, "sections", ["doc_id", "ord", "kind", "start", "end", "heading"], section_rows)
    _append(con, "commitments", COMMITMENT_COLUMNS, commitment_rows)
    _append(con, "targets", TARGET_COLUMNS, target_rows)
    return len(commitment_rows)


def _append(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    frame = pd.DataFrame(rows, columns=columns)
    con.register("_frame", frame)
    try:
        con.execute(f"INSERT INTO {table} SELECT * FROM _frame")
    finally:
        con.unregister("_frame")


def write_reference(con: duckdb.DuckDBPyConnection, regions: list, entries: list) -> None:
    """Refresh the regions and taxonomy tables (knowledge the queries join against)."""
    con.execute("DELETE FROM regions; DELETE FROM taxonomy;")
    _append(con, "regions", ["adcode", "level", "name_zh", "short_zh", "name_en", "pinyin", "abbr", "parent"],
            [(r.adcode, r.level, r.name_zh, r.short_zh, r.name_en, r.pinyin, r.abbr, r.parent) for r in regions])
    _append(con, "taxonomy", ["slug", "axis", "name_zh", "name_en", "sei_2018", "future_2024", "frontier"],
            [(e.slug, e.axis, e.name_zh, e.name_en, e.sei_2018, e.future_2024, e.frontier) for e in entries])


def set_meta(con: duckdb.DuckDBPyConnection, **values: str) -> None:
    for key, value in values.items():
        con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, str(value)])


def add_skipped(con: duckdb.DuckDBPyConnection, skipped: list[tuple[str, str]]) -> None:
    con.execute("DELETE FROM skipped")
    _append(con, "skipped", ["source", "reason"], skipped)
