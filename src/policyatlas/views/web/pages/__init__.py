"""One module per page type; each has a data function (the table) and a route (its three renderings)."""

from __future__ import annotations

import json
from functools import lru_cache

from fastapi import Request

from policyatlas.atlas import Atlas

FORMAT_DOC = "html (default), json or csv"
TABLE_DOC = "for csv: which table of the page (default: the first)"


def site(request: Request):
    return request.app.state.site


@lru_cache(maxsize=1)
def map_names() -> dict[str, str]:
    """adcode → the name the vendored China map uses for that province (short or full)."""
    from policyatlas.knowledge.regions import UnknownRegion, gazetteer
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
    """The taxonomy as rows (slug, axis, names, terms), in file order (as `policyatlas industries`)."""
    return atlas.taxonomy.rows()
