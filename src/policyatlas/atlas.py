"""The `Atlas`: the one object every face (CLI, web, notebooks) queries.

Each method runs one query over the store and returns plain data (lists of dicts or pandas
DataFrames); the CLI and the web layer only render what these return.
"""

from __future__ import annotations

import os
import threading
import time
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

    #: Seconds between two looks at the db file for a rebuild (a stat call; 0 looks on every query).
    RECHECK_SECONDS = 1.0
    #: Seconds a replaced atlas stays open for the queries still running on it.
    RETIRE_SECONDS = 60.0

    #: Evidence sentences listed per region × year × industry by `who` and `profile` (the rest are
    #: counted in `evidence_total`): at 40,000 documents a popular industry has thousands.
    EVIDENCE_PER_GROUP = 20

    def __init__(self, db: str | Path = store.DEFAULT_DB):
        self.db = Path(db)
        self._lock = threading.Lock()
        self._local = threading.local()
        self._retired: list[tuple[float, object]] = []
        self._root, self._stamp = self._open_root()
        #: Bumped whenever a rebuilt atlas file is opened (caches key on it).
        self.version = 0
        self._checked = time.monotonic()
        self.taxonomy = taxonomy()
        self.gazetteer = gazetteer()

    @property
    def fingerprint(self) -> tuple[str, tuple[int, int, int] | None]:
        """Which atlas file, in which state, this object reads: a cache key that changes on rebuild."""
        return str(self.db.resolve()), self._stamp

    def _file_stamp(self) -> tuple[int, int, int] | None:
        try:
            st = os.stat(self.db)
        except OSError:
            return None
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _open_root(self):
        """A fresh connection to the file as it is now, and its stamp (inode, mtime, size).

        The file is ATTACHed to a new in-memory database rather than opened with `duckdb.connect(path)`:
        DuckDB caches database instances by path, so connecting again while the old instance is alive
        would hand back the old atlas after `build` replaced the file (os.replace)."""
        import duckdb

        stamp = self._file_stamp()
        if stamp is None:
            store.connect(self.db).close()  # a missing file: StoreError with the advice to build
        root = duckdb.connect(":memory:")
        try:
            root.execute(f"ATTACH '{str(self.db).replace(chr(39), chr(39) * 2)}' AS atlas (READ_ONLY)")
            root.execute("USE atlas")
        except duckdb.Error as exc:
            root.close()
            raise store.StoreError(f"{self.db} is not a readable atlas database ({exc})") from exc
        return root, stamp

    def _refresh(self) -> None:
        """Reopen the atlas if its file was replaced since it was opened (looked at once per RECHECK_SECONDS)."""
        now = time.monotonic()
        if now - self._checked < self.RECHECK_SECONDS:
            return
        self._checked = now
        stamp = self._file_stamp()
        if stamp is None or stamp == self._stamp:
            return
        with self._lock:
            if stamp == self._stamp:
                return
            try:
                root, stamp = self._open_root()
            except store.StoreError:
                return  # a file that does not open (yet): keep serving the one we have
            self._retired.append((now, self._root))
            self._root, self._stamp = root, stamp
            self.version += 1
            keep = []
            for when, old in self._retired:
                if now - when > self.RETIRE_SECONDS:
                    old.close()
                else:
                    keep.append((when, old))
            self._retired = keep

    @property
    def con(self):
        """This thread's DuckDB cursor: one connection object must not run two queries at once, and the
        web handlers run in a threadpool (so a slow query never blocks the event loop). After a rebuild
        replaced the db file, the next query (within RECHECK_SECONDS) runs on the new atlas."""
        self._refresh()
        cursor = getattr(self._local, "cursor", None)
        if cursor is None or self._local.version != self.version:
            with self._lock:
                root, version = self._root, self.version
            cursor = root.cursor()
            cursor.execute("USE atlas")
            self._local.cursor, self._local.version = cursor, version
        return cursor

    def close(self) -> None:
        with self._lock:
            for _, old in self._retired:
                old.close()
            self._retired = []
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
        per_group: int | None = None,
    ) -> pd.DataFrame:
        """Commitment rows joined with region, industry and document names.

        `per_group` keeps at most that many rows (earliest in the text) of each region × year ×
        slug, chosen inside DuckDB; `group_rows` and `group_strength` then say how many rows the
        group has and its strongest commitment, so a capped listing still counts right at any size.

        `level` filters on the level of the region each commitment credits (`r.level`), not on the
        document's: a news text or a provincial document may credit a city (Shenzhen's own plan is
        a prefecture fact whose parent is Guangdong), and a province-level query must not count it
        as the province's; a news text filed under a city may credit its province."""
        where = ["(c.committed" + (" OR c.section = 'review'" if include_review else "") + ")"]
        params: list = []
        for column, value in (("c.year", year), ("c.slug", slug), ("c.adcode", adcode), ("r.level", level), ("c.axis", axis)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        if per_group is not None:
            return self.frame(f"""
                WITH ranked AS (
                    SELECT c.id,
                           row_number() OVER (PARTITION BY c.adcode, c.year, c.slug
                                              ORDER BY c.committed DESC, c.start, c.doc_id) AS n,
                           count(*) OVER (PARTITION BY c.adcode, c.year, c.slug) AS group_rows,
                           max(CASE WHEN c.committed THEN c.strength END)
                               OVER (PARTITION BY c.adcode, c.year, c.slug) AS group_strength
                    FROM commitments c LEFT JOIN regions r ON r.adcode = c.adcode
                    WHERE {' AND '.join(where)})
                SELECT c.*, r.name_en AS region_en, r.name_zh AS region_zh, d.level, d.title AS doc_title,
                       t.name_en AS industry_en, t.name_zh AS industry_zh, ranked.group_rows, ranked.group_strength
                FROM ranked
                JOIN commitments c ON c.id = ranked.id
                JOIN documents d ON d.id = c.doc_id
                LEFT JOIN regions r ON r.adcode = c.adcode
                LEFT JOIN taxonomy t ON t.slug = c.slug
                WHERE ranked.n <= ?
                ORDER BY c.adcode, c.year, c.slug, c.start""", params + [int(per_group)])
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
        """The citation of one commitment row: its sentence (start, end) and the mention in it
        (mention_start, mention_end), both as offsets into the document's text."""
        return {"sentence": row["sentence"], "doc": row["doc_id"], "start": int(row["start"]),
                "end": int(row["end"]), "mention_start": int(row["mention_start"]), "mention_end": int(row["mention_end"]),
                "section": row["section"], "action": row["action"],
                "strength": int(row["strength"]), "term": row["term"]}

    def who(self, slug: str, year: int | None = None, level: str | None = None,
            evidence: int | None = EVIDENCE_PER_GROUP) -> list[dict]:
        """Regions whose plan commits to a slug, each with its evidence sentences.

        With `level` ("province") only commitments crediting a region of that level count: a city's
        own plan in a provincial text or a news story is the city's row, never its province's.
        At most `evidence` sentences per region and year (None: all); `evidence_total` counts them all."""
        entry = self.industry(slug)
        if year is not None:
            self.check_year(year, level)
        frame = self.commitments(year=year, slug=entry.slug, level=level, per_group=evidence)
        out = []
        for (adcode, yr), group in frame.groupby(["adcode", "year"], sort=True):
            region = self.gazetteer.get(adcode)
            rows = group.to_dict("records")
            out.append({
                "adcode": adcode, "name_en": region.name_en, "name_zh": region.name_zh, "year": int(yr),
                "strength": int(group["group_strength" if evidence is not None else "strength"].max()),
                "evidence_total": int(group["group_rows"].iloc[0]) if evidence is not None else len(rows),
                "evidence": [self.evidence(r) for r in rows],
            })
        return out

    def profile(self, region: str, year: int | None = None, include_review: bool = False,
                evidence: int | None = EVIDENCE_PER_GROUP) -> dict:
        """A region's portfolio for a year: industries and instruments, with evidence and targets
        (at most `evidence` sentences per industry, None: all; `evidence_total` counts them all)."""
        found, year = self.check_region(region, year)
        # only the region's own commitments, at its own level: a province's profile never counts
        # the facts of its cities (they carry the city's adcode, with the province as parent)
        frame = self.commitments(year=year, adcode=found.adcode, level=found.level, include_review=include_review,
                                 per_group=evidence)
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
                "evidence_total": int(rows[0]["group_rows"]) if evidence is not None else len(rows),
                "evidence": [dict(self.evidence(r), review=not r["committed"]) if include_review else self.evidence(r) for r in rows],
                "targets": [t for r in rows for t in targets.get(int(r["id"]), [])],
            }
            result["industries" if entry.axis == "industry" else "instruments"].append(item)
        return result

    def matrix(self, year: int | None = None, level: str = "province", axis: str = "industry") -> pd.DataFrame:
        """Region × slug strength matrix (0 = no commitment) for one year, with region names."""
        year = self.check_year(year, level)
        table = portfolio(self.plan_frame(year, level, axis), self.covered(year, level), self.taxonomy.slugs(axis))
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
        """Committed sentences matching `query`, one row per sentence (and region) with all its
        industries, so one sentence naming 18 industries is one hit, not 18.

        A sentence matches when it (or a matched term) contains the query literally,
        case-insensitively, or when it commits to a slug the query names through the taxonomy
        (`Taxonomy.matching`: "fusion" → sentences on 核聚变). `limit` is shared out fairly: every
        region's newest sentence comes before any region's second, so one province cannot crowd
        out the others. Rows come grouped by region (adcode order), newest first within a region;
        `region_total` counts a region's matching sentences beyond the limit, `hit_start`/`hit_end`
        locate the match (the literal text, else the matched mention) in the document.
        """
        needle = query.strip().lower()
        if not needle:
            raise ValueError("empty search query")
        slugs = self.taxonomy.matching(query)
        frame = self.frame("""
            WITH hits AS (  -- the matching sentences first (one scan), then all rows of just those
                SELECT DISTINCT c.doc_id, c."start" FROM commitments c
                WHERE c.committed AND (contains({sentence}, $1) OR contains(lower(c.term), $1)
                                       OR list_contains($2::VARCHAR[], c.slug))
            ), rows AS (
                SELECT c.doc_id AS doc, c.adcode, c.year, c."start", c."end", c.sentence, c.slug,
                       c.mention_start, c.mention_end, strpos({sentence}, $1) AS pos,
                       strpos(lower(c.term), $1) > 0 OR list_contains($2::VARCHAR[], c.slug) AS named
                FROM commitments c SEMI JOIN hits h ON h.doc_id = c.doc_id AND h."start" = c."start"
                WHERE c.committed
            ), sentences AS (
                SELECT doc, adcode, year, "start", "end", any_value(sentence) AS sentence,
                       list_sort(list(DISTINCT slug)) AS slugs,
                       list_sort(list(DISTINCT slug) FILTER (WHERE named)) AS matched,
                       max(pos) AS pos, min(mention_start) FILTER (WHERE named) AS m_start,
                       arg_min(mention_end, mention_start) FILTER (WHERE named) AS m_end
                FROM rows GROUP BY doc, adcode, year, "start", "end"
                HAVING max(pos) > 0 OR bool_or(named)
            ), ranked AS (
                SELECT *, row_number() OVER (PARTITION BY adcode ORDER BY year DESC, "start", doc) AS rank_in_region,
                       count(*) OVER (PARTITION BY adcode) AS region_total
                FROM sentences
            )
            SELECT r.*, g.name_zh, g.name_en FROM ranked r LEFT JOIN regions g ON g.adcode = r.adcode
            ORDER BY rank_in_region, year DESC, adcode LIMIT $3""".format(
                # lower() of every sentence costs more than the search: only a query with letters needs it
                sentence="lower(c.sentence)" if needle != needle.upper() else "c.sentence"), [needle, slugs, int(limit)])
        order = {slug: i for i, slug in enumerate(self.taxonomy.slugs())}
        literal = frame["pos"].fillna(0).astype(int) > 0
        frame["hit_start"] = (frame["start"] + frame["pos"].fillna(1).astype(int) - 1).where(literal, frame["m_start"])
        frame["hit_end"] = (frame["hit_start"] + len(needle)).where(literal, frame["m_end"])
        frame["match"] = literal.map({True: "text", False: "industry"})
        for column in ("slugs", "matched"):
            frame[column] = [sorted(v if isinstance(v, (list, tuple)) or hasattr(v, "tolist") else [], key=lambda x: order.get(x, 999))
                             for v in frame[column]]
        frame = frame.drop(columns=["pos", "m_start", "m_end", "rank_in_region"])
        frame = frame.sort_values(["adcode", "year", "start"], ascending=[True, False, True], kind="stable")
        return frame.reset_index(drop=True)

    # --- documents -----------------------------------------------------------------------
    def documents_frame(self, level: str | None = None, year: int | None = None) -> pd.DataFrame:
        where, params = [], []
        for column, value in (("level", level), ("year", year)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        clause = ("WHERE " + " AND ".join(where)) if where else ""
        return self.frame(f"SELECT id, level, adcode, year, title, source, lang, chars FROM documents {clause} ORDER BY level, year, adcode, source", params)

    def documents(self, limit: int | None = None, offset: int = 0) -> list[dict]:
        """Stored documents (all, or a page of `limit` from `offset`) with their section ranges:
        kind → [[start, end], …] in text order.

        Adjacent sections of one kind merge into one range; a kind interrupted by another keeps
        separate ranges, so no range ever spans text of another kind. Sections are read for the
        page's documents only, so a page costs the same at 40,000 documents as at 100.
        """
        page = "" if limit is None else f" LIMIT {int(limit)} OFFSET {int(offset)}"
        rows = self.con.execute("SELECT id, level, adcode, year, title, source, chars FROM documents "
                                "ORDER BY level, year, adcode, source" + page).fetchall()
        sql = 'SELECT doc_id, kind, start, "end" FROM sections'
        params: list = []
        if limit is not None:
            sql += " WHERE doc_id IN (SELECT UNNEST(?))"
            params.append([r[0] for r in rows])
        sections: dict[str, dict[str, list[list[int]]]] = {}
        for doc_id, kind, start, end in self.con.execute(sql + " ORDER BY doc_id, ord", params).fetchall():
            ranges = sections.setdefault(doc_id, {}).setdefault(kind, [])
            if ranges and ranges[-1][1] == start:
                ranges[-1][1] = end
            else:
                ranges.append([start, end])
        return [{"id": i, "level": lv, "adcode": ad, "year": yr, "title": title, "source": source, "chars": chars,
                 "sections": sections.get(i, {})} for i, lv, ad, yr, title, source, chars in rows]

    def document_count(self) -> int:
        return int(self.con.execute("SELECT count(*) FROM documents").fetchall()[0][0])

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
