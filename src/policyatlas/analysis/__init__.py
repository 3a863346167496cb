"""Analysis over stored commitments: crowding, specialization, similarity, diffs, diffusion.

Each analysis is a function of an `Atlas` returning a pandas DataFrame; `AnalysisMixin` makes
them methods of `Atlas` so notebooks, the CLI and the web layer call the same code. The
formulas themselves are pure functions over a commitments frame (see each module), so they
can be checked on a small hand-made frame; `docs/analysis.md` states them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

if TYPE_CHECKING:  # pragma: no cover
    from ..atlas import Atlas


def portfolio(frame: pd.DataFrame, regions: list[str] | None = None, slugs: list[str] | None = None) -> pd.DataFrame:
    """Region × slug table of the strongest commitment (0 = none): the shape every comparison starts from."""
    if len(frame):
        table = frame.groupby(["adcode", "slug"])["strength"].max().clip(lower=1).unstack(fill_value=0)
    else:
        table = pd.DataFrame(dtype=int)
    rows = sorted(set(regions) if regions is not None else set(table.index))
    cols = slugs if slugs is not None else sorted(table.columns)
    table = table.reindex(index=rows, columns=cols, fill_value=0).fillna(0).astype(int)
    table.index.name, table.columns.name = "adcode", "slug"
    return table


def strongest(frame: pd.DataFrame) -> pd.DataFrame:
    """One evidence row per region × slug: the strongest commitment, earliest in the text on ties."""
    if not len(frame):
        return frame
    ordered = frame.sort_values(["adcode", "slug", "strength", "start"], ascending=[True, True, False, True])
    return ordered.drop_duplicates(["adcode", "slug"]).reset_index(drop=True)


#: Characters that end a quotable clause, and a sentence (Chinese and Western punctuation).
CLAUSE_STOPS = "，。！？；;,!?\n"
SENTENCE_STOPS = "。！？!?\n"


def quote_span(text: str, start: int, end: int, stops: str = CLAUSE_STOPS, minimum: int = 30,
               limit: int = 160) -> tuple[int, int]:
    """The clause of `text` around [start, end), widened clause by clause to `minimum` characters.

    Quotes in briefings and diffusion cite this span so they stay short yet readable; a span
    never crosses a sentence end and never exceeds `limit` characters on either side.
    """
    left, right = _edge(text, start, -1, stops, limit), _edge(text, end, 1, stops, limit)
    while right - left < minimum:
        wider_right = _edge(text, right, 1, stops, limit) if right < len(text) and text[right - 1] not in SENTENCE_STOPS else right
        wider_left = _edge(text, left - 1, -1, stops, limit) if left > 0 and text[left - 1] not in SENTENCE_STOPS else left
        if (wider_left, wider_right) == (left, right):
            break
        left, right = wider_left, wider_right
    while left < start and text[left].isspace():
        left += 1
    return left, right


def _edge(text: str, pos: int, step: int, stops: str, limit: int) -> int:
    """The clause boundary from pos in a direction (a right edge keeps its stop character)."""
    if step < 0:
        left = pos
        while left > 0 and pos - left < limit and text[left - 1] not in stops:
            left -= 1
        return left
    right = pos
    while right < len(text) and right - pos < limit and text[right] not in stops:
        right += 1
    return right + 1 if right < len(text) and text[right] in stops and not text[right].isspace() else right


class AnalysisMixin:
    """Methods added to `Atlas` (see `policyatlas.atlas`)."""

    def covered(self: "Atlas", year: int, level: str = "province") -> list[str]:
        """Regions with a stored document of a level in a year: the denominator of every share."""
        rows = self.con.execute("SELECT DISTINCT adcode FROM documents WHERE level = ? AND year = ? "
                                "AND adcode IS NOT NULL ORDER BY adcode", [level, year]).fetchall()
        return [r[0] for r in rows]

    def plan_frame(self: "Atlas", year: int, level: str = "province", axis: str | None = "industry",
                   adcode: str | None = None) -> pd.DataFrame:
        """The strongest committed plan row of each region × slug in one year, crediting regions of
        one level (the input of every analysis: `portfolio` and `strongest` give the same result on
        it as on all rows; the level is the credited region's, as in `Atlas.commitments`).

        Reduced inside DuckDB, so the frame has at most regions × slugs rows however many documents
        the atlas holds (at 40,200 documents the unreduced frame took ~0.8 s to reach pandas)."""
        where, params = ["c.committed", "c.year = ?"], [year]
        for column, value in (("c.axis", axis), ("c.adcode", adcode)):
            if value is not None:
                where.append(f"{column} = ?")
                params.append(value)
        return self.frame(f"""
            WITH best AS (
                SELECT arg_min(c.id, (-c.strength, c.start, c.doc_id)) AS id
                FROM commitments c
                WHERE {' AND '.join(where)} AND c.adcode IN (SELECT adcode FROM regions WHERE level = ?)
                GROUP BY c.adcode, c.slug)
            SELECT c.*, d.level, d.title AS doc_title
            FROM best JOIN commitments c ON c.id = best.id JOIN documents d ON d.id = c.doc_id
            ORDER BY c.adcode, c.year, c.slug, c.start""", params + [level])

    def crowding(self: "Atlas", year: int | None = None, level: str = "province", axis: str | None = "industry") -> pd.DataFrame:
        """Industries by how many regions commit to them, with new entrants since the previous year."""
        from .crowding import crowding

        return crowding(self, year, level, axis)

    def specialization(self: "Atlas", year: int | None = None, level: str = "province", axis: str | None = "industry") -> pd.DataFrame:
        """Regions from most tailored to most generic, with their signature industries."""
        from .specialization import specialization

        return specialization(self, year, level, axis)

    def signatures(self: "Atlas", year: int | None = None, region: str | None = None, level: str = "province",
                   axis: str | None = "industry") -> pd.DataFrame:
        """Each region × industry with its rarity and contribution to the region's score."""
        from .specialization import signatures

        return signatures(self, year, region, level, axis)

    def similar(self: "Atlas", region: str, year: int | None = None, level: str = "province", axis: str | None = "industry") -> pd.DataFrame:
        """Regions nearest to one region by portfolio."""
        from .similarity import similar

        return similar(self, region, year, level, axis)

    def clusters(self: "Atlas", year: int | None = None, k: int = 6, level: str = "province", axis: str | None = "industry") -> pd.DataFrame:
        """Groups of regions with similar plans (average-linkage clustering)."""
        from .similarity import clusters

        return clusters(self, year, k, level, axis)

    def diff(self: "Atlas", region: str, year_from: int, year_to: int, axis: str | None = "industry") -> pd.DataFrame:
        """A region's industries added, dropped, strengthened or weakened between two years."""
        from .diff import region_diff

        return region_diff(self, region, year_from, year_to, axis)

    def diff_all(self: "Atlas", year_from: int, year_to: int, level: str = "province", axis: str | None = "industry") -> pd.DataFrame:
        """Industries by regions gained and lost between two years."""
        from .diff import all_diff

        return all_diff(self, year_from, year_to, level, axis)

    def change(self: "Atlas", industry: str, year_from: int, year_to: int, level: str = "province") -> pd.DataFrame:
        """Per province, how its commitment to one industry moved between two years (the change map)."""
        from .change import province_change

        return province_change(self, industry, year_from, year_to, level)

    def compare(self: "Atlas", regions: list[str], year: int | None = None, axis: str | None = "industry") -> pd.DataFrame:
        """Two or more regions side by side: each industry any of them names, with strengths and evidence."""
        from .compare import compare

        return compare(self, regions, year, axis)

    def diffusion(self: "Atlas", query: str) -> pd.DataFrame:
        """A term's occurrences in each national report, year by year."""
        from .diffusion import timeline

        return timeline(self, query)

    def diffusion_summary(self: "Atlas", query: str) -> dict[str, Any]:
        """When the centre first named a term, how often since, and which provinces adopted it."""
        from .diffusion import summary

        return summary(self, query)
