"""The store: one embedded DuckDB file holding documents, sections, commitments and targets.

The `commitments` table holds every industry mention that extraction judged, committed or
not: `committed` is true only for plan-part intentions, and `reason` says why a row is not
(review part, uptake, background, negation). Queries for "who plans what" filter on it; the
rejected rows serve `--include-review` and the error listings of `eval`.

The `files` table makes builds incremental: each file read is recorded with its mtime, size and
the extractor version that read it, and its documents point back to it (`documents.file`).

Writes go to a copy of the database that replaces the original only when complete
(`os.replace`), so a build that fails half-way leaves the previous atlas intact. All writes are
bulk appends of DataFrames, one per table per batch, never row by row.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pandas as pd

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
CREATE TABLE IF NOT EXISTS files (
    path VARCHAR PRIMARY KEY, mtime_ns BIGINT, size BIGINT, extractor VARCHAR);
ALTER TABLE documents ADD COLUMN IF NOT EXISTS file VARCHAR;
ALTER TABLE skipped ADD COLUMN IF NOT EXISTS file VARCHAR;
ALTER TABLE skipped ADD COLUMN IF NOT EXISTS doc_id VARCHAR;
"""

#: Indexes on what the queries filter and join on (created once the data is in: bulk loads
#: into indexed tables are slower than building the index afterwards).
INDEXES = """
CREATE INDEX IF NOT EXISTS commitments_slug ON commitments (slug, year);
CREATE INDEX IF NOT EXISTS commitments_adcode ON commitments (adcode, year);
CREATE INDEX IF NOT EXISTS commitments_doc ON commitments (doc_id);
CREATE INDEX IF NOT EXISTS targets_commitment ON targets (commitment_id);
CREATE INDEX IF NOT EXISTS sections_doc ON sections (doc_id);
CREATE INDEX IF NOT EXISTS documents_file ON documents (file);
"""

COLUMNS = {
    "documents": ["id", "level", "adcode", "year", "title", "source", "lang", "chars", "text", "meta", "file"],
    "sections": ["doc_id", "ord", "kind", "start", "end", "heading"],
    "commitments": ["id", "doc_id", "adcode", "year", "section", "slug", "axis", "term", "action", "strength",
                    "sentence", "start", "end", "mention_start", "mention_end", "committed", "reason"],
    "targets": ["commitment_id", "doc_id", "value", "unit", "modifier", "deadline", "text", "start", "end"],
    "files": ["path", "mtime_ns", "size", "extractor"],
    "skipped": ["source", "reason", "file", "doc_id"],
    "regions": ["adcode", "level", "name_zh", "short_zh", "name_en", "pinyin", "abbr", "parent"],
    "taxonomy": ["slug", "axis", "name_zh", "name_en", "sei_2018", "future_2024", "frontier"],
}
COMMITMENT_COLUMNS = COLUMNS["commitments"]
TARGET_COLUMNS = COLUMNS["targets"]
#: What an export writes: the three fact tables, each with the year it is partitioned by.
EXPORTS = {
    "documents": "SELECT id, level, adcode, year, title, source, lang, chars, text, meta FROM documents",
    "commitments": "SELECT * FROM commitments",
    "targets": "SELECT t.*, c.year FROM targets t JOIN commitments c ON c.id = t.commitment_id",
}


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


def working_copy(db: str | Path) -> Path:
    """Where a build writes before publishing (`<db>.building`, beside the atlas)."""
    path = Path(db)
    return path.with_name(path.name + ".building")


def remove_working_copy(db: str | Path) -> None:
    work = working_copy(db)
    for stale in (work, Path(str(work) + ".wal")):
        stale.unlink(missing_ok=True)


@contextmanager
def atomic_write(db: str | Path, memory_limit: str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to a working copy that replaces `db` only if the block completes.

    Callers hold the build lock (`build.lock`), so the working copy is theirs alone.
    """
    path = Path(db)
    work = working_copy(path)
    remove_working_copy(path)
    con = None
    try:
        if path.exists():
            shutil.copyfile(path, work)
        con = duckdb.connect(str(work))
        if memory_limit:
            con.execute(f"SET memory_limit = '{memory_limit}'")
        con.execute(SCHEMA)
        yield con
        con.execute(INDEXES)
        con.execute("CHECKPOINT")
        con.close()
        os.replace(work, path)
    except BaseException:
        if con is not None:
            con.close()
        remove_working_copy(path)
        raise


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None):
    """One value, with the result fully consumed (DuckDB refuses other work on an open result)."""
    rows = con.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def meta(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute("SELECT key, value FROM meta").fetchall())


def set_meta(con: duckdb.DuckDBPyConnection, **values: str) -> None:
    con.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", [[k, str(v)] for k, v in values.items()])


def file_index(con: duckdb.DuckDBPyConnection, paths: list[str]) -> dict[str, tuple[int, int, str]]:
    """(mtime_ns, size, extractor version) recorded for these file paths (one lookup per batch)."""
    if not paths:
        return {}
    rows = con.execute("SELECT path, mtime_ns, size, extractor FROM files WHERE path IN (SELECT UNNEST(?))",
                       [paths]).fetchall()
    return {p: (m, z, e) for p, m, z, e in rows}


def kept_copies(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, str]:
    """For document ids already stored, the source of the stored copy (a duplicate names it)."""
    if not ids:
        return {}
    return dict(con.execute("SELECT id, source FROM documents WHERE id IN (SELECT UNNEST(?))", [ids]).fetchall())


def forget_files(con: duckdb.DuckDBPyConnection, paths: list[str]) -> list[str]:
    """Drop what earlier builds stored from these files (they changed, vanished or are read again).

    Returns the files whose documents were skipped as duplicates of a document dropped here:
    they must be read again, or that text would vanish from the atlas.
    """
    if paths:  # only files an earlier build recorded have anything to drop (a fresh build: none)
        paths = list(file_index(con, paths))
    if not paths:
        return []
    con.register("_paths", pd.DataFrame({"path": paths}))
    try:
        con.execute("CREATE OR REPLACE TEMP TABLE _gone AS "
                    "SELECT id FROM documents WHERE file IN (SELECT path FROM _paths)")
        orphans = [r[0] for r in con.execute(
            "SELECT DISTINCT file FROM skipped WHERE doc_id IN (SELECT id FROM _gone) "
            "AND file NOT IN (SELECT path FROM _paths)").fetchall()]
        con.execute("DELETE FROM targets WHERE doc_id IN (SELECT id FROM _gone)")
        con.execute("DELETE FROM commitments WHERE doc_id IN (SELECT id FROM _gone)")
        con.execute("DELETE FROM sections WHERE doc_id IN (SELECT id FROM _gone)")
        con.execute("DELETE FROM documents WHERE id IN (SELECT id FROM _gone)")
        con.execute("DELETE FROM skipped WHERE file IN (SELECT path FROM _paths)")
        con.execute("DELETE FROM files WHERE path IN (SELECT path FROM _paths)")
        con.execute("DROP TABLE _gone")
    finally:
        con.unregister("_paths")
    if orphans:
        orphans += forget_files(con, orphans)
    return orphans


def clear(con: duckdb.DuckDBPyConnection) -> None:
    """Forget every stored result (a changed extractor or `--rebuild`): every file is read again."""
    for table in ("targets", "commitments", "sections", "documents", "files", "skipped"):
        con.execute(f"DELETE FROM {table}")


def files_under(con: duckdb.DuckDBPyConnection, root: str) -> list[str]:
    """Recorded files below a folder (to find the ones that vanished since the last build)."""
    prefix = root.rstrip("/") + "/"
    return [r[0] for r in con.execute("SELECT path FROM files WHERE starts_with(path, ?)", [prefix]).fetchall()]


def next_commitment_id(con: duckdb.DuckDBPyConnection) -> int:
    return int(scalar(con, "SELECT coalesce(max(id), 0) + 1 FROM commitments"))


def append_batch(con: duckdb.DuckDBPyConnection, batch: dict[str, list[tuple]]) -> None:
    """Bulk-append one batch of rows per table (one DataFrame insert per table)."""
    for table, rows in batch.items():
        append(con, table, rows)


def append(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    """Append rows (tuples in `COLUMNS[table]` order) through one registered DataFrame."""
    if not rows:
        return
    columns = COLUMNS[table]
    frame = pd.DataFrame(rows, columns=columns)
    names = ", ".join(f'"{c}"' for c in columns)
    sql = f"INSERT INTO {table} ({names}) SELECT {names} FROM _frame"
    con.register("_frame", frame)
    try:
        con.execute(sql)
    finally:
        con.unregister("_frame")


def write_reference(con: duckdb.DuckDBPyConnection, regions: list, entries: list) -> None:
    """Refresh the regions and taxonomy tables (knowledge the queries join against)."""
    con.execute("DELETE FROM regions")
    con.execute("DELETE FROM taxonomy")
    append(con, "regions", [(r.adcode, r.level, r.name_zh, r.short_zh, r.name_en, r.pinyin, r.abbr, r.parent)
                            for r in regions])
    append(con, "taxonomy", [(e.slug, e.axis, e.name_zh, e.name_en, e.sei_2018, e.future_2024, e.frontier)
                             for e in entries])


def replace_listing_skips(con: duckdb.DuckDBPyConnection, skipped: list[tuple[str, str]]) -> None:
    """Paths refused before any file was read (listing); per-file skips are stored with their file."""
    con.execute("DELETE FROM skipped WHERE file IS NULL")
    append(con, "skipped", [(source, reason, None, None) for source, reason in skipped])


def export_parquet(db: str | Path, outdir: str | Path) -> dict[str, int]:
    """documents/commitments/targets as Parquet datasets partitioned by year (DuckDB, Dask, Spark read them).

    Written into a fresh folder beside OUTDIR that replaces it when complete, like the atlas itself.
    """
    out = Path(outdir)
    out.parent.mkdir(parents=True, exist_ok=True)
    work = out.with_name(f".{out.name}.exporting")
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    counts: dict[str, int] = {}
    con = connect(db)
    try:
        for name, sql in EXPORTS.items():
            target = str(work / name).replace("'", "''")
            con.execute(f"COPY ({sql}) TO '{target}' (FORMAT parquet, PARTITION_BY (year))")
            counts[name] = int(scalar(con, f"SELECT count(*) FROM ({sql})"))
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    finally:
        con.close()
    if out.exists():
        shutil.rmtree(out)
    os.replace(work, out)
    return counts
