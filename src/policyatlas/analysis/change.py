"""The change map: per province, how its commitment to one industry moved between two years.

Only provinces with a report in both years get a move (`gained`, `lost`, `strengthened`,
`weakened`, `unchanged` — committed both years at the same strength — or `absent`, named in
neither); the others are `no_data`, so a missing report never reads as a dropped industry.
Each row carries the evidence of the later year (else the earlier one).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from . import strongest

if TYPE_CHECKING:  # pragma: no cover
    from ..atlas import Atlas

#: The move names of the change map (the region diff's added/dropped, as a dashboard user says them).
MOVES = {"added": "gained", "dropped": "lost", "strengthened": "strengthened", "weakened": "weakened"}


def move(before: int, after: int) -> str:
    """The change-map category of a strength pair (0 = not named)."""
    from .diff import change

    name = change(before, after)
    if name == "unchanged":
        return "unchanged" if before else "absent"
    return MOVES[name]


def province_change(atlas: "Atlas", industry: str, year_from: int, year_to: int, level: str = "province") -> pd.DataFrame:
    """One row per region of `level`: strengths in both years, the move, and its evidence."""
    slug = atlas.industry(industry).slug
    year_from, year_to = atlas.check_year(year_from, level), atlas.check_year(year_to, level)
    axis = atlas.taxonomy.get(slug).axis
    both = set(atlas.covered(year_from, level)) & set(atlas.covered(year_to, level))
    best = {}
    for year in (year_from, year_to):
        frame = atlas.plan_frame(year, level, axis)
        frame = frame[frame["slug"] == slug]
        best[year] = {r["adcode"]: r for r in strongest(frame).to_dict("records")} if len(frame) else {}
    rows = []
    regions = atlas.gazetteer.provinces() if level == "province" else [atlas.gazetteer.get(a) for a in sorted(both)]
    for region in regions:
        a, b = best[year_from].get(region.adcode), best[year_to].get(region.adcode)
        s0, s1 = (int(a["strength"]) if a else 0), (int(b["strength"]) if b else 0)
        ev = b or a
        rows.append({"adcode": region.adcode, "name_en": region.name_en, "name_zh": region.name_zh, "slug": slug,
                     "year_from": year_from, "year_to": year_to, "strength_from": s0, "strength_to": s1,
                     "change": move(s0, s1) if region.adcode in both else "no_data",
                     "doc": ev["doc_id"] if ev is not None else None, "start": int(ev["start"]) if ev is not None else None,
                     "end": int(ev["end"]) if ev is not None else None, "sentence": ev["sentence"] if ev is not None else None})
    return pd.DataFrame(rows, dtype=object)  # offsets stay integers (None where there is no evidence)
