"""One module per page type; each has a data function (the table) and a route (its three renderings)."""

from __future__ import annotations

import json
from functools import lru_cache

from fastapi import HTTPException, Request

from ...atlas import Atlas

FORMAT_DOC = "html (default), json or csv"
TABLE_DOC = "for csv: which table of the page (default: the first)"


def site(request: Request):
    return request.app.state.site


def check_year(atlas: Atlas, year: int | None, level: str = "province") -> int:
    """The year asked for if the atlas has documents for it, else the latest; 404 otherwise."""
    years = atlas.years(level)
    if not years:
        raise HTTPException(404, "the atlas holds no documents")
    if year is None:
        return years[-1]
    if year not in years:
        raise HTTPException(404, f"no {level} documents for year {year}; years available: {', '.join(str(y) for y in years)}")
    return year


def need(atlas: Atlas, name: str):
    """An analysis method of the atlas, or 501 when this version does not have it yet."""
    method = getattr(atlas, name, None)
    if method is None:
        raise HTTPException(501, f"'{name}' is not available in this version of policyatlas")
    return method


@lru_cache(maxsize=1)
def map_names() -> dict[str, str]:
    """adcode → the name the vendored China map uses for that province (short or full)."""
    from ...regions import UnknownRegion, gazetteer
    from ..app import VENDOR

    path = VENDOR / "china-names.json"
    names: dict[str, str] = {}
    if path.exists():
        for feature in json.loads(path.read_text(encoding="utf-8"))["features"]:
            try:
                names[gazetteer().resolve(feature["name"]).adcode] = feature["name"]
            except UnknownRegion:
                continue
    for region in gazetteer().provinces():
        names.setdefault(region.adcode, region.short_zh)
    return names


def industries(atlas: Atlas) -> list[dict]:
    """The taxonomy as rows (slug, axis, names), in file order."""
    return [{"slug": e.slug, "axis": e.axis, "name_en": e.name_en, "name_zh": e.name_zh, "frontier": e.frontier,
             "future_2024": e.future_2024, "sei_2018": e.sei_2018} for e in atlas.taxonomy.entries.values()]
