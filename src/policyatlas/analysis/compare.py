"""Side-by-side comparison of two or more regions in one year: every industry any of them names,
with each region's strength and its strongest evidence (and which regions share it)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from . import strongest

if TYPE_CHECKING:  # pragma: no cover
    from ..atlas import Atlas


def compare(atlas: "Atlas", regions: list[str], year: int | None = None, axis: str | None = "industry") -> pd.DataFrame:
    """One row per slug named by any of `regions` (each needs a report that year): strengths, evidence, overlap."""
    if len(regions) < 2:
        raise ValueError("compare needs at least two regions, e.g. regions=Anhui,Beijing")
    found = []
    for query in regions:
        region, year = atlas.check_region(query, year)
        if region.adcode not in [r.adcode for r in found]:
            found.append(region)
    if len(found) < 2:
        raise ValueError("compare needs at least two different regions")
    best: dict[str, dict[str, dict]] = {}
    for region in found:
        frame = atlas.commitments(year=year, adcode=region.adcode, level=region.level, axis=axis)
        best[region.adcode] = {r["slug"]: r for r in strongest(frame).to_dict("records")} if len(frame) else {}
    order = {s: i for i, s in enumerate(atlas.taxonomy.slugs(axis))}
    slugs = sorted({s for picks in best.values() for s in picks}, key=lambda s: order.get(s, len(order)))
    rows = []
    for slug in slugs:
        entry = atlas.taxonomy.get(slug)
        row = {"year": year, "slug": slug, "axis": entry.axis, "name_en": entry.name_en, "name_zh": entry.name_zh}
        naming = [r.adcode for r in found if slug in best[r.adcode]]
        row["shared_by"] = len(naming)
        row["all"] = len(naming) == len(found)
        for region in found:
            ev = best[region.adcode].get(slug)
            row[f"strength_{region.adcode}"] = int(ev["strength"]) if ev else 0
            row[f"evidence_{region.adcode}"] = ({"doc": ev["doc_id"], "start": int(ev["start"]), "end": int(ev["end"]),
                                                 "sentence": ev["sentence"]} if ev else None)
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame.attrs["regions"] = [{"adcode": r.adcode, "name_en": r.name_en, "name_zh": r.name_zh} for r in found]
    frame.attrs["year"] = year
    return frame
