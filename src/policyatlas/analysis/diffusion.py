"""From the centre to the provinces: when a term entered the national work report, how often it
has been said since, and which provinces commit to its industry in each provincial year.

National counts read the whole text of each year's report (all sections: the question is when
the centre first says it); a year's report is the longest national document of that year (the
NPC resolution on it is a page). Counting a whole slug skips hits inside its excluded phrases
(量子城市 …); a single typed term is counted wherever it is said.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING, Any

import pandas as pd

from . import SENTENCE_STOPS, quote_span
from ..extract.mentions import MentionFinder
from ..knowledge.taxonomy import Industry, Taxonomy, UnknownSlug

if TYPE_CHECKING:  # pragma: no cover
    from ..atlas import Atlas


def count_terms(text: str, terms: tuple[str, ...], excludes: tuple[str, ...] = ()) -> list[tuple[int, int, str]]:
    """Non-overlapping hits (start, end, term) of any term, longest first, outside excluded phrases.

    The same matcher as extraction (`MentionFinder`), over a one-entry taxonomy of the query.
    """
    if not terms:
        return []
    return [(m.start, m.end, m.term) for m in _query_finder(tuple(terms), tuple(excludes)).find(text)]


@cache
def _query_finder(terms: tuple[str, ...], excludes: tuple[str, ...]) -> MentionFinder:
    entry = Industry(slug="query", axis="query", name_zh="", name_en="", sei_2018="", future_2024="",
                     frontier=False, terms_zh=terms, terms_en=(), exclude_zh=excludes, exclude_en=())
    return MentionFinder(Taxonomy(version="query", entries={"query": entry}, multi={}), "zh")


def term_timeline(reports: pd.DataFrame, terms: tuple[str, ...], excludes: tuple[str, ...] = ()) -> pd.DataFrame:
    """Per report (columns year, id, text): hits, which terms, and the first hit's offsets."""
    rows = []
    for report in reports.sort_values("year").to_dict("records"):
        hits = count_terms(report["text"], terms, excludes)
        per_term: dict[str, int] = {}
        for _s, _e, term in hits:
            per_term[term] = per_term.get(term, 0) + 1
        rows.append({"year": int(report["year"]), "doc_id": report["id"], "count": len(hits), "terms": per_term,
                     "first_start": hits[0][0] if hits else None, "first_end": hits[0][1] if hits else None})
    frame = pd.DataFrame(rows, columns=["year", "doc_id", "count", "terms", "first_start", "first_end"])
    frame["decade"] = frame["year"] // 10 * 10
    return frame


def decades(timeline: pd.DataFrame) -> pd.DataFrame:
    """Reports, hits and reports naming the term, per decade."""
    grouped = timeline.groupby("decade")
    return pd.DataFrame({"reports": grouped.size(), "count": grouped["count"].sum(),
                         "reports_naming": grouped["count"].apply(lambda c: int((c > 0).sum()))}).reset_index()


def _chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def resolve_query(atlas: "Atlas", query: str) -> tuple[Industry | None, tuple[str, ...]]:
    """A Chinese string → that exact term (and its slug, if the taxonomy knows it); a slug or
    English name → all the slug's Chinese terms.

    Typing 低空经济 asks when the centre said 低空经济, not 通航 or 无人机 (which the slug also
    lists); an unknown Chinese term is still counted, anything else unknown raises UnknownSlug.
    """
    query = query.strip()
    try:
        entry = atlas.industry(query)
    except UnknownSlug:
        if _chinese(query):
            return None, (query,)
        raise
    return entry, ((query,) if _chinese(query) else entry.terms_zh)


def _excludes(entry: Industry | None, terms: tuple[str, ...]) -> tuple[str, ...]:
    """A slug's excluded phrases guard its whole term list; one typed term is counted as said."""
    return entry.exclude_zh if entry is not None and terms == entry.terms_zh else ()


def national_reports(atlas: "Atlas") -> pd.DataFrame:
    """The longest national document of each year, with its text."""
    frame = atlas.frame("""
        SELECT id, year, text FROM (
            SELECT id, year, text, row_number() OVER (PARTITION BY year ORDER BY chars DESC, id) AS n
            FROM documents WHERE level = 'national' AND year IS NOT NULL)
        WHERE n = 1 ORDER BY year""")
    return frame


def timeline(atlas: "Atlas", query: str) -> pd.DataFrame:
    """`term_timeline` of a slug or term over the stored national reports."""
    entry, terms = resolve_query(atlas, query)
    return term_timeline(national_reports(atlas), terms, _excludes(entry, terms))


def adoption(atlas: "Atlas", slug: str, level: str = "province") -> pd.DataFrame:
    """Per stored year of a level: how many regions commit to a slug, and which."""
    rows = []
    for year in atlas.years(level):
        names = sorted(atlas.commitments(year=year, slug=slug, level=level)["adcode"].unique().tolist())
        rows.append({"year": year, "count": len(names), "covered": len(atlas.covered(year, level)), "regions": names})
    return pd.DataFrame(rows, columns=["year", "count", "covered", "regions"])


def summary(atlas: "Atlas", query: str) -> dict[str, Any]:
    """First national year (with the quoted sentence), frequency by year and decade, provincial adoption."""
    entry, terms = resolve_query(atlas, query)
    reports = national_reports(atlas)
    line = term_timeline(reports, terms, _excludes(entry, terms))
    named = line[line["count"] > 0]
    first = None
    if len(named):
        row = named.iloc[0]
        text = reports.loc[reports["id"] == row["doc_id"], "text"].iloc[0]
        start, end = quote_span(text, int(row["first_start"]), int(row["first_end"]), SENTENCE_STOPS)
        first = {"year": int(row["year"]), "doc": row["doc_id"], "start": start, "end": end, "quote": text[start:end],
                 "term": text[int(row["first_start"]):int(row["first_end"])]}
    adopted = adoption(atlas, entry.slug).to_dict("records") if entry else []
    for item in adopted:
        item["years_after_centre"] = item["year"] - first["year"] if first else None
    return {
        "query": query, "slug": entry.slug if entry else None, "name_en": entry.name_en if entry else None,
        "terms": list(terms), "first_year": first["year"] if first else None, "first": first,
        "reports": len(line), "reports_naming": int(len(named)),
        "by_year": [{"year": int(r["year"]), "doc": r["doc_id"], "count": int(r["count"]), "terms": r["terms"]}
                    for r in line.to_dict("records")],
        "by_decade": decades(line).to_dict("records") if len(line) else [],
        "adoption": adopted,
    }
