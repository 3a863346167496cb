"""Crowding: how many regions pile into each industry, and who joined since last year.

The most-crowded industries are the "everyone piles in" risk analysts write about; the count is
the number of regions whose plan commits to the industry at any strength.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from . import portfolio

if TYPE_CHECKING:  # pragma: no cover
    from ..atlas import Atlas

COLUMNS = ["slug", "count", "share", "regions", "strength_mean", "pillars", "new_entrants", "leavers",
           "previous_count"]


def crowding_table(frame: pd.DataFrame, regions: list[str], previous: pd.DataFrame | None = None,
                   previous_regions: list[str] | None = None, slugs: list[str] | None = None) -> pd.DataFrame:
    """Per slug: regions committing, mean strength, and entrants/leavers among regions covered both years.

    `regions` are the regions with a document this year (the share's denominator); a region with
    no document in the previous year is neither an entrant nor a leaver.
    """
    now = portfolio(frame, regions, slugs)
    both = set(regions) & set(previous_regions or [])
    before = portfolio(previous, sorted(both), list(now.columns)) if previous is not None and both else None
    rows = []
    for slug in now.columns:
        strengths = now[slug][now[slug] > 0]
        names = sorted(strengths.index)
        row = {
            "slug": slug, "count": len(names), "share": len(names) / len(regions) if regions else 0.0,
            "regions": names,
            "strength_mean": round(float(strengths.mean()), 3) if len(strengths) else 0.0,
            "pillars": int((strengths == 4).sum()),
            "new_entrants": None, "leavers": None, "previous_count": None,
        }
        if before is not None:
            had = set(before.index[before[slug] > 0])
            has = set(names) & both
            row.update(new_entrants=sorted(has - had), leavers=sorted(had - has), previous_count=len(had))
        rows.append(row)
    table = pd.DataFrame(rows, columns=COLUMNS)
    return table.sort_values(["count", "strength_mean", "slug"], ascending=[False, False, True]).reset_index(drop=True)


def crowding(atlas: "Atlas", year: int | None, level: str = "province", axis: str | None = "industry") -> pd.DataFrame:
    """`crowding_table` for a stored year (default: the latest) against the year before, with industry names."""
    year = atlas.check_year(year, level)
    regions = atlas.covered(year, level)
    prior = [y for y in atlas.years(level) if y < year]
    previous = previous_regions = None
    if prior:
        previous = atlas.plan_frame(prior[-1], level, axis)
        previous_regions = atlas.covered(prior[-1], level)
    table = crowding_table(atlas.plan_frame(year, level, axis), regions, previous, previous_regions,
                           atlas.taxonomy.slugs(axis))
    entries = [atlas.taxonomy.get(s) for s in table["slug"]]
    table.insert(1, "name_en", [e.name_en for e in entries])
    table.insert(2, "name_zh", [e.name_zh for e in entries])
    table.insert(3, "frontier", [e.frontier for e in entries])
    table.insert(4, "year", year)
    table["previous_year"] = prior[-1] if prior else None
    return table
