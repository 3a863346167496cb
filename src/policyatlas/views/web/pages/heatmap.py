"""The heatmap: provinces × industries for a year, columns sortable by crowding."""

from __future__ import annotations

from typing import Literal, Optional

from fastapi import APIRouter, Query, Request

from policyatlas.atlas import Atlas
from ..render import Result, records, respond
from . import FORMAT_DOC, TABLE_DOC, site

router = APIRouter(tags=["pages"])

Sort = Literal["crowding", "taxonomy"]
Lang = Literal["zh", "en"]


def plural(n: int, one: str, many: str) -> str:
    """"1 province", "2 provinces"."""
    return f"{n} {one if n == 1 else many}"


def data(atlas: Atlas, year: int | None = None, sort: Sort = "crowding", axis: str = "industry", lang: Lang = "zh") -> Result:
    """The strength matrix plus how many provinces commit to each slug (crowding)."""
    year = atlas.check_year(year)
    matrix = atlas.matrix(year, "province", axis)
    slugs = list(matrix.columns[2:])
    counts = {s: int((matrix[s] > 0).sum()) for s in slugs}
    if sort == "crowding":
        order = {s: i for i, s in enumerate(slugs)}
        slugs.sort(key=lambda s: (-counts[s], order[s]))
    matrix = matrix.assign(_n=(matrix[slugs] > 0).sum(axis=1)).sort_values(["_n", "adcode"], ascending=[False, True])
    columns = [{"slug": s, "name_en": atlas.taxonomy.get(s).name_en, "name_zh": atlas.taxonomy.get(s).name_zh,
                "regions": counts[s], "regions_label": plural(counts[s], "province", "provinces"),
                "share": round(counts[s] / max(len(matrix), 1), 3)} for s in slugs]
    rows = [{"adcode": a, "name_zh": r["name_zh"], "name_en": r["name_en"], "industries": int(r["_n"]),
             "cells": [int(r[s]) for s in slugs]} for a, r in matrix.iterrows()]
    # each committed cell opens that region × industry's evidence (the row of the region page)
    cells = [{"adcode": row["adcode"], "slug": s, "strength": v} for row in rows for s, v in zip(slugs, row["cells"]) if v]
    tables = {"matrix": records(matrix.drop(columns="_n")[["name_en", "name_zh", *slugs]]), "crowding": columns, "cells": cells,
              "crowding_analysis": records(atlas.crowding(year))}
    from policyatlas.extract.actions import strength_name

    levels = [{"rank": k, "zh": strength_name(k, "zh"), "en": strength_name(k, "en")} for k in range(1, 5)]
    payload = {"year": year, "sort": sort, "axis": axis, "lang": lang, "columns": columns, "rows": rows, "levels": levels}
    title = f"热力图 {year}" if lang == "zh" else f"Heatmap {year}"
    return Result(payload, tables, "heatmap.html", f"{title} · {'产业' if lang == 'zh' else 'industries'}" if axis == "industry" else title)


@router.get("/heatmap", summary="Provinces × industries strength matrix, sortable by crowding")
def heatmap_page(request: Request, year: Optional[int] = Query(None, ge=1949, le=2100), sort: Sort = "crowding",
                       axis: Literal["industry", "instrument"] = "industry", lang: Lang = Query("zh", description="zh or en: the language of names"),
                       format: str = Query("html", description=FORMAT_DOC), table: Optional[str] = Query(None, description=TABLE_DOC)):
    s = site(request)
    result = data(s.atlas, year, sort, axis, lang)
    return respond(result, format, table, lambda: s.html(result), f"heatmap-{result.data['year']}")
