"""Side by side: two or more provinces' portfolios in one year, each industry with every region's strength and evidence."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, HTTPException, Query, Request

from policyatlas.atlas import Atlas
from ..render import Result, records, respond
from . import FORMAT_DOC, TABLE_DOC, site

router = APIRouter(tags=["pages"])


def parse(regions: str | None) -> list[str]:
    """"Anhui,Beijing" or "安徽，北京" → the names asked for (empty parts dropped)."""
    return [p.strip() for p in (regions or "").replace("，", ",").replace("、", ",").split(",") if p.strip()]


def data(atlas: Atlas, regions: list[str], year: int | None = None) -> Result:
    """`Atlas.compare` as one row per industry, and a long table (region × industry) for CSV."""
    frame = atlas.compare(regions, year)
    chosen, year = frame.attrs["regions"], frame.attrs["year"]
    rows = []
    for r in records(frame):
        rows.append({"slug": r["slug"], "name_en": r["name_en"], "name_zh": r["name_zh"], "shared_by": r["shared_by"], "all": r["all"],
                     "cells": [{"adcode": c["adcode"], "strength": r[f"strength_{c['adcode']}"], "evidence": r[f"evidence_{c['adcode']}"]}
                               for c in chosen]})
    wide = [{"slug": r["slug"], "name_en": r["name_en"], "name_zh": r["name_zh"], "shared_by": r["shared_by"],
             **{f"{c['name_en']}": cell["strength"] for c, cell in zip(chosen, r["cells"])}} for r in rows]
    long = [{"adcode": cell["adcode"], "region": c["name_en"], "slug": r["slug"], "name_en": r["name_en"], "strength": cell["strength"],
             **({"doc": cell["evidence"]["doc"], "start": cell["evidence"]["start"], "end": cell["evidence"]["end"],
                 "sentence": cell["evidence"]["sentence"]} if cell["evidence"] else {})}
            for r in rows for c, cell in zip(chosen, r["cells"])]
    summary = [{"adcode": c["adcode"], "name_en": c["name_en"], "name_zh": c["name_zh"],
                "industries": sum(1 for r in rows if r["cells"][i]["strength"]),
                "only_here": sum(1 for r in rows if r["shared_by"] == 1 and r["cells"][i]["strength"])} for i, c in enumerate(chosen)]
    payload = {"year": year, "regions": chosen, "rows": rows, "summary": summary, "shared": sum(r["all"] for r in rows),
               "choices": _choices(atlas), "asked": [c["adcode"] for c in chosen]}
    title = " · ".join(c["name_en"] for c in chosen) + f" {year}"
    return Result(payload, {"industries": wide, "evidence": long, "summary": summary}, "compare.html", f"Compare {title}")


def _choices(atlas: Atlas) -> list[dict]:
    return [{"adcode": r.adcode, "name_zh": r.name_zh, "name_en": r.name_en} for r in atlas.gazetteer.provinces()
            if atlas.region_years(r.adcode)]


@router.get("/compare", summary="Two or more provinces side by side (regions=Anhui,Beijing)")
def compare_page(request: Request, regions: Optional[str] = Query(None, description="two or more regions, comma-separated"),
                 year: Optional[int] = Query(None, ge=1949, le=2100),
                 format: str = Query("html", description=FORMAT_DOC), table: Optional[str] = Query(None, description=TABLE_DOC)):
    s = site(request)
    asked = parse(regions)
    if len(asked) < 2:
        if format != "html":
            raise HTTPException(400, "compare needs at least two regions, e.g. /compare?regions=Anhui,Beijing")
        picked = [s.atlas.region(a).adcode for a in asked]
        result = Result({"year": year, "regions": [], "rows": [], "summary": [], "shared": 0, "choices": _choices(s.atlas),
                         "asked": picked}, {}, "compare.html", "Compare provinces")
        return respond(result, format, table, lambda: s.html(result), "compare")
    result = data(s.atlas, asked, year)
    return respond(result, format, table, lambda: s.html(result),
                   "compare-" + "-".join(c["adcode"] for c in result.data["regions"]) + f"-{result.data['year']}")
