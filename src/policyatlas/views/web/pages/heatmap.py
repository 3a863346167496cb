"""The heatmap: provinces × industries for a year, columns sortable by crowding."""

from __future__ import annotations

from typing import Literal, Optional

from fastapi import APIRouter, Query, Request

from policyatlas.atlas import Atlas
from ..render import Result, records, respond
from . import FORMAT_DOC, TABLE_DOC, site

router = APIRouter(tags=["pages"])

Sort = Literal["crowding", "taxonomy"]


def data(atlas: Atlas, year: int | None = None, sort: Sort = "crowding", axis: str = "industry") -> Result:
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
                "regions": counts[s], "share": round(counts[s] / max(len(matrix), 1), 3)} for s in slugs]
    rows = [{"adcode": a, "name_zh": r["name_zh"], "name_en": r["name_en"], "industries": int(r["_n"]),
             "cells": [int(r[s]) for s in slugs]} for a, r in matrix.iterrows()]
    tables = {"matrix": records(matrix.drop(columns="_n")[["name_en", "name_zh", *slugs]]), "crowding": columns,
              "crowding_analysis": records(atlas.crowding(year))}
    payload = {"year": year, "sort": sort, "axis": axis, "columns": columns, "rows": rows}
    return Result(payload, tables, "heatmap.html", f"Heatmap {year}")


@router.get("/heatmap", summary="Provinces × industries strength matrix, sortable by crowding")
def heatmap_page(request: Request, year: Optional[int] = Query(None, ge=1949, le=2100), sort: Sort = "crowding",
                       axis: Literal["industry", "instrument"] = "industry",
                       format: str = Query("html", description=FORMAT_DOC), table: Optional[str] = Query(None, description=TABLE_DOC)):
    s = site(request)
    result = data(s.atlas, year, sort, axis)
    return respond(result, format, table, lambda: s.html(result), f"heatmap-{result.data['year']}")
