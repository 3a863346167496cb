"""The `Atlas`: the one object every face (CLI, web, notebooks) queries.

Each method runs one query over the store and returns plain data (lists of dicts or pandas
DataFrames); the CLI and the web layer only render what these return.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd

from .store import database as store
from .analysis import AnalysisMixin, portfolio
from .text.documents import PLAN_KINDS
from .knowledge.regions import Region, gazetteer
from .knowledge.taxonomy import Industry, taxonomy

PLAN_SQL = "(" + ", ".join(f"'{k}'" for k in sorted(PLAN_KINDS)) + ")"

#: How a message names the documents of a level ("no provincial reports for 2024").
LEVEL_WORDS = {"province": "provincial", "prefecture": "prefectural", "national": "national"}


class NoData(LookupError):
    """Nothing is stored for what was asked (a year of a level, a region's report for a year).

    The message says what is missing and what exists, e.g. "no provincial reports for 2024;
    years with data: 2025, 2026". The CLI exits 2 with it; the web layer answers 404.
    """

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "no data"


def _reports(level: str | None, plural: bool = True) -> str:
    word = "reports" if plural else "report"
    return f"{LEVEL_WORDS.get(level, level)} {word}" if level else word


class Atlas(AnalysisMixin):
    """Read-only access to a built atlas (`atlas.duckdb` by default)."""

    def __init__(self, db: str | Path = store.DEFAULT_DB):
        self.db = Path(db)
        self._root = store.connect(self.db)
        self._local = threading.local()
        self.taxonomy = taxonomy()
        self.gazetteer = gazetteer()

    @property
    def con(self):
        """This thread's DuckDB cursor: one connection object must not run two queries at once, and the
        web handlers run in a threadpool (so a slow query never blocks the event loop)."""
        cursor = getattr(self._local, "cursor", None)
        if cursor is None:
            cursor = self._local.cursor = self._root.cursor()
        return cursor

    def close(self) -> None:
        self._root.close()

    def __enter__(self) -> "Atlas":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- lookups -------------------------------------------------------------------------
    def region(self, query: str) -> Region:
        """A region by adcode, Chinese or English name (UnknownRegion with suggestions)."""
        return self.gazetteer.resolve(str(query))

    def industry(self, query: str) -> Industry:
        """A slug by slug, name or term (UnknownSlug with suggestions)."""
        return self.taxonomy.resolve(query)

    def frame(self, sql: str, params: list | None = None) -> pd.DataFrame:
        return self.con.execute(sql, params or []).df()

    def years(self, level: str | None = "province") -> list[int]:
        """Years with stored documents (of a level)."""
        sql = "SELECT DISTINCT year FROM documents WHERE year IS NOT NULL"
        params: list = []
        if level:
            sql += " AND level = ?"
            params.append(level)
        return sorted(int(r[0]) for r in self.con.execute(sql, params).fetchall())

    def latest_year(self, level: str | None = "province") -> int | None:
        years = self.years(level)
        return years[-1] if years else None

    def check_year(self, year: int | None = None, level: str | None = "province") -> int:
        """`year` if the atlas has documents of `level` for it, the latest such year if None; else NoData."""
        years = self.years(level)
        if not years:
            raise NoData(f"the atlas holds no {_reports(level)}")
        if year is None:
            return years[-1]
        if int(year) not in years:
            raise NoData(f"no {_reports(level)} for {year}; years with data: {', '.join(map(str, years))}")
        return int(year)

    def region_years(self, region: str, level: str | None = None) -> list[int]:
        """Years with a stored document of a region (any name `region` takes), optionally of one level."""
        adcode = self.region(region).adcode
        sql = "SELECT DISTINCT year FROM documents WHERE adcode = ? AND year IS NOT NULL"
        params: list = [adcode]
        if level:
            sql += " AND level = ?"
            params.append(level)
        return sorted(int(r[0]) for r in self.con.execute(sql, params).fetchall())

    def check_region(self, region: str, year: int | None = None, level: str | None = None) -> tuple[Region, int]:
        """The region and `year` if it has a report (of `level`) that year, its latest year if None; else NoData."""
        found = self.region(region)
        years = self.region_years(found.adcode, level)
        label = f"{found.name_en} ({found.adcode})"
        if not years:
            if year is None:
                raise NoData(f"no {_reports(level, False)} for {label} in the atlas")
            raise NoData(f"no {_reports(level, False)} for {label} in {year}; the atlas holds no {_reports(level)} for {found.name_en}")
        if year is None:
            return found, years[-1]
        if int(year) not in years:
            raise NoData(f"no {_reports(level, False)} for {label} in {year}; years with data: {', '.join(map(str, years))}")
        return found, int(year)

    def meta(self) -> dict[str, str]:
        return dict(self.con.execute("SELECT key, value FROM meta").fetchall())

    # --- commitments ---------------------------------------------------------------------
    def commitments(
        self,
        year: int | None = None,
        slug: str | None = None,
        adcode: str | None = None,
        level: str | None = None,
        include_review: bool = False,
        axis: str | None = None,
    ) -> pd.DataFrame:
        """Commitment rows joined with region, industry and document names."""
        where = ["(c.committed" + (" OR c.section = 'review'" if include_review else "") + ")"]
        params: list = []
        for column, value in (("c.year", year), ("c.slug", slug), ("c.adcode", adcode), ("d.level", level), ("c.axis", axis)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        sql = f"""
            SELECT c.*, r.name_en AS region_en, r.name_zh AS region_zh, d.level, d.title AS doc_title,
                   t.name_en AS industry_en, t.name_zh AS industry_zh
            FROM commitments c
            JOIN documents d ON d.id = c.doc_id
            LEFT JOIN regions r ON r.adcode = c.adcode
            LEFT JOIN taxonomy t ON t.slug = c.slug
            WHERE {' AND '.join(where)}
            ORDER BY c.adcode, c.year, c.slug, c.start"""
        return self.frame(sql, params)

    def targets_of(self, commitment_ids: list[int]) -> dict[int, list[dict]]:
        """Targets attached to the given commitments, by commitment id."""
        if not commitment_ids:
            return {}
        frame = self.frame(
            "SELECT * FROM targets WHERE commitment_id IN (SELECT UNNEST(?)) ORDER BY start",
            [list(map(int, commitment_ids))],
        )
        out: dict[int, list[dict]] = {}
        for row in frame.to_dict("records"):
            out.setdefault(int(row["commitment_id"]), []).append({
                "value": row["value"], "unit": row["unit"], "modifier": row["modifier"],
                "deadline": None if pd.isna(row["deadline"]) else int(row["deadline"]),
                "text": row["text"], "doc": row["doc_id"], "start": int(row["start"]), "end": int(row["end"]),
            })
        return out

    @staticmethod
    def evidence(row: dict) -> dict:
        """The citation of one commitment row."""
        return {"sentence": row["sentence"], "doc": row["doc_id"], "start": int(row["start"]),
                "end": int(row["end"]), "section": row["section"], "action": row["action"],
                "strength": int(row["strength"]), "term": row["term"]}

    def who(self, slug: str, year: int | None = None, level: str | None = None) -> list[dict]:
        """Regions whose plan commits to a slug, each with its evidence sentences."""
        entry = self.industry(slug)
        if year is not None:
            self.check_year(year, level)
        frame = self.commitments(year=year, slug=entry.slug, level=level)
        out = []
        for (adcode, yr), group in frame.groupby(["adcode", "year"], sort=True):
            region = self.gazetteer.get(adcode)
            rows = group.to_dict("records")
            out.append({
                "adcode": adcode, "name_en": region.name_en, "name_zh": region.name_zh, "year": int(yr),
                "strength": int(group["strength"].max()),
                "evidence": [self.evidence(r) for r in rows],
            })
        return out

    def profile(self, region: str, year: int | None = None, include_review: bool = False) -> dict:
        """A region's portfolio for a year: industries and instruments, with evidence and targets."""
        found, year = self.check_region(region, year)
        frame = self.commitments(year=year, adcode=found.adcode, include_review=include_review)
        targets = self.targets_of(frame["id"].tolist()) if len(frame) else {}
        result: dict = {
            "region": {"adcode": found.adcode, "name_en": found.name_en, "name_zh": found.name_zh},
            "year": year, "industries": [], "instruments": [],
        }
        order = {slug: i for i, slug in enumerate(self.taxonomy.slugs())}
        for slug, group in sorted(frame.groupby("slug"), key=lambda kv: order.get(kv[0], 999)):
            entry = self.taxonomy.get(slug)
            rows = group.to_dict("records")
            committed = [r for r in rows if r["committed"]]
            item = {
                "slug": slug, "name_en": entry.name_en, "name_zh": entry.name_zh,
                "strength": int(max((r["strength"] for r in committed), default=0)),
                "committed": bool(committed),
                "evidence": [dict(self.evidence(r), review=not r["committed"]) if include_review else self.evidence(r) for r in rows],
                "targets": [t for r in rows for t in targets.get(int(r["id"]), [])],
            }
            result["industries" if entry.axis == "industry" else "instruments"].append(item)
        return result

    def matrix(self, year: int | None = None, level: str = "province", axis: str = "industry") -> pd.DataFrame:
        """Region × slug strength matrix (0 = no commitment) for one year, with region names."""
        year = self.check_year(year, level)
        table = portfolio(self.commitments(year=year, level=level, axis=axis), self.covered(year, level), self.taxonomy.slugs(axis))
        table.columns.name = None
        names = {r: self.gazetteer.get(r) for r in table.index}
        table.insert(0, "name_en", [names[r].name_en for r in table.index])
        table.insert(1, "name_zh", [names[r].name_zh for r in table.index])
        return table

    def target_rows(self, year: int, level: str = "province", axis: str | None = "industry") -> pd.DataFrame:
        """Targets of committed plan rows of a year and level, each with its commitment's columns
        (the target's own offsets as t_start, t_end)."""
        where, params = ["c.committed", "c.year = ?", "d.level = ?"], [year, level]
        if axis is not None:
            where.append("c.axis = ?")
            params.append(axis)
        return self.frame(f"""
            SELECT t.value, t.unit, t.modifier, t.deadline, t.start AS t_start, t."end" AS t_end, c.*
            FROM targets t JOIN commitments c ON c.id = t.commitment_id JOIN documents d ON d.id = c.doc_id
            WHERE {' AND '.join(where)} ORDER BY c.adcode, t.start""", params)

    def search_sentences(self, query: str, limit: int = 50) -> pd.DataFrame:
        """Committed sentences (or matched terms) containing `query` literally, case-insensitively, newest first."""
        needle = query.strip().lower()
        if not needle:
            raise ValueError("empty search query")
        return self.frame(
            'SELECT c.doc_id AS doc, c.adcode, c.year, c.slug, c."start", c."end", c.sentence, r.name_zh, r.name_en '
            "FROM commitments c LEFT JOIN regions r ON r.adcode = c.adcode WHERE c.committed AND "
            "(strpos(lower(c.sentence), ?) > 0 OR strpos(lower(c.term), ?) > 0) "
            'ORDER BY c.year DESC, c.adcode, c."start" LIMIT ?',
            [needle, needle, int(limit)])

    # --- documents -----------------------------------------------------------------------
    def documents_frame(self, level: str | None = None, year: int | None = None) -> pd.DataFrame:
        where, params = [], []
        for column, value in (("level", level), ("year", year)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        return self.frame(f"SELECT id, level, adcode, year, title, source, lang, chars FROM documents {clause} ORDER BY level, year, adcode, source", params)

    def documents(self) -> list[dict]:
        """Every stored document with its section ranges: kind → [[start, end], …] in text order.

        Adjacent sections of one kind merge into one range; a kind interrupted by another keeps
        separate ranges, so no range ever spans text of another kind.
        """
        sections: dict[str, dict[str, list[list[int]]]] = {}
        for doc_id, kind, start, end in self.con.execute(
            'SELECT doc_id, kind, start, "end" FROM sections ORDER BY doc_id, ord').fetchall():
            ranges = sections.setdefault(doc_id, {}).setdefault(kind, [])
            if ranges and ranges[-1][1] == start:
                ranges[-1][1] = int(end)
            else:
                ranges.append([int(start), int(end)])
        out = []
        for row in self.documents_frame().to_dict("records"):
            out.append({
                "id": row["id"], "level": row["level"], "adcode": row["adcode"],
                "year": None if pd.isna(row["year"]) else int(row["year"]), "title": row["title"],
                "source": row["source"], "chars": int(row["chars"]), "sections": sections.get(row["id"], {}),
            })
        return out

    def document(self, doc_id: str) -> dict:
        """One document's metadata, sections and full text (the text all offsets refer to)."""
        row = self.con.execute(
            "SELECT id, level, adcode, year, title, source, lang, chars, text FROM documents WHERE id = ? OR starts_with(id, ?)",
            [doc_id, doc_id]).fetchall()
        if len(row) != 1:
            raise KeyError(f"no document with id '{doc_id}'" if not row else f"id prefix '{doc_id}' is ambiguous")
        _id, level, adcode, year, title, source, lang, chars, text = row[0]
        sections = [
            {"kind": k, "start": s, "end": e, "heading": h}
            for k, s, e, h in self.con.execute(
                'SELECT kind, start, "end", heading FROM sections WHERE doc_id = ? ORDER BY ord', [_id]).fetchall()
        ]
        return {"id": _id, "level": level, "adcode": adcode, "year": year, "title": title, "source": source,
                "lang": lang, "chars": chars, "sections": sections, "text": text}

    def skipped(self) -> list[dict]:
        return [{"source": s, "reason": r} for s, r in self.con.execute("SELECT source, reason FROM skipped").fetchall()]
