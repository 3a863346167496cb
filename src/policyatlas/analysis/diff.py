"""Year over year: what a region added, dropped, strengthened or weakened, and which industries
gained or lost the most regions. Only regions with a document in both years are compared, so a
missing report never reads as a dropped industry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from . import portfolio, strongest

if TYPE_CHECKING:  # pragma: no cover
    from ..atlas import Atlas

EVIDENCE = ["doc_id", "start", "end", "sentence"]


def change(before: int, after: int) -> str:
    """The name of a strength move (0 = not named)."""
    if before == after:
        return "unchanged"
    if not before:
        return "added"
    if not after:
        return "dropped"
    return "strengthened" if after > before else "weakened"


def _evidence(frame: pd.DataFrame) -> dict[str, dict]:
    return {row["slug"]: {k: (int(row[k]) if k in ("start", "end") else row[k]) for k in EVIDENCE}
            for row in strongest(frame).to_dict("records")}


def diff_table(before: pd.DataFrame, after: pd.DataFrame, keep_unchanged: bool = False) -> pd.DataFrame:
    """Per slug of one region's two commitment frames: strengths, the move, and each year's evidence."""
    old, new = _evidence(before), _evidence(after)
    a = before.groupby("slug")["strength"].max() if len(before) else pd.Series(dtype=int)
    b = after.groupby("slug")["strength"].max() if len(after) else pd.Series(dtype=int)
    rows = []
    for slug in sorted(set(a.index) | set(b.index)):
        s0, s1 = int(a.get(slug, 0)), int(b.get(slug, 0))
        move = change(s0, s1)
        if move == "unchanged" and not keep_unchanged:
            continue
        rows.append({"slug": slug, "change": move, "strength_from": s0, "strength_to": s1,
                     "evidence_from": old.get(slug), "evidence_to": new.get(slug)})
    order = {"added": 0, "dropped": 1, "strengthened": 2, "weakened": 3, "unchanged": 4}
    frame = pd.DataFrame(rows, columns=["slug", "change", "strength_from", "strength_to", "evidence_from", "evidence_to"])
    return frame.sort_values(["change", "slug"], key=lambda c: c.map(order) if c.name == "change" else c).reset_index(drop=True)


def gains_table(before: pd.DataFrame, after: pd.DataFrame, regions: list[str], slugs: list[str] | None = None) -> pd.DataFrame:
    """Per slug: regions naming it in each year (among `regions`), who joined, who left, the net move."""
    old, new = portfolio(before, regions, slugs), portfolio(after, regions, slugs)
    columns = sorted(set(old.columns) | set(new.columns)) if slugs is None else slugs
    old, new = old.reindex(columns=columns, fill_value=0), new.reindex(columns=columns, fill_value=0)
    rows = []
    for slug in columns:
        had, has = set(old.index[old[slug] > 0]), set(new.index[new[slug] > 0])
        rows.append({"slug": slug, "count_from": len(had), "count_to": len(has), "net": len(has) - len(had),
                     "gained": sorted(has - had), "lost": sorted(had - has)})
    frame = pd.DataFrame(rows, columns=["slug", "count_from", "count_to", "net", "gained", "lost"])
    frame["moved"] = frame["gained"].map(len) + frame["lost"].map(len)
    return frame.sort_values(["net", "moved", "slug"], ascending=[False, False, True]).reset_index(drop=True)


def region_diff(atlas: "Atlas", region: str, year_from: int, year_to: int, axis: str | None = "industry") -> pd.DataFrame:
    """`diff_table` for one region between two stored years (NoData unless it has a report in both)."""
    found = atlas.check_region(region, year_from, atlas.region(region).level)[0]
    atlas.check_region(found.adcode, year_to, found.level)
    frames = [atlas.plan_frame(y, found.level, axis, adcode=found.adcode) for y in (year_from, year_to)]
    table = diff_table(*frames)
    table.insert(1, "name_en", [atlas.taxonomy.get(s).name_en for s in table["slug"]])
    table.insert(2, "name_zh", [atlas.taxonomy.get(s).name_zh for s in table["slug"]])
    table.insert(0, "adcode", found.adcode)
    return table


def all_diff(atlas: "Atlas", year_from: int, year_to: int, level: str = "province", axis: str | None = "industry") -> pd.DataFrame:
    """`gains_table` over regions with a document of a level in both years (NoData unless both years are stored)."""
    year_from, year_to = atlas.check_year(year_from, level), atlas.check_year(year_to, level)
    regions = sorted(set(atlas.covered(year_from, level)) & set(atlas.covered(year_to, level)))
    table = gains_table(atlas.plan_frame(year_from, level, axis), atlas.plan_frame(year_to, level, axis),
                        regions, atlas.taxonomy.slugs(axis))
    table.insert(1, "name_en", [atlas.taxonomy.get(s).name_en for s in table["slug"]])
    table.insert(2, "name_zh", [atlas.taxonomy.get(s).name_zh for s in table["slug"]])
    return table
