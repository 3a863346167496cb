"""The change map: per province, gained / lost / strengthened / weakened for one industry between two years."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Query, Request

from policyatlas.atlas import Atlas
from ..render import Result, palette, records, respond
from . import FORMAT_DOC, TABLE_DOC, industries, map_names, site

router = APIRouter(tags=["pages"])

#: Categories of the change map: (value, label, fill), in legend order.
CHANGES = [("gained", "gained 新增", "#1a7f37"), ("strengthened", "strengthened 加强", "#8fd19e"),
           ("unchanged", "unchanged 持平", "#c6dbef"), ("weakened", "weakened 减弱", "#f4a582"),
           ("lost", "lost 不再提及", "#b42318"), ("absent", "named in neither year 均未提及", "#eef2f7"),
           ("no_data", "no report in one year 缺报告", "#dddddd")]


def data(atlas: Atlas, industry: str | None = None, year_from: int | None = None, year_to: int | None = None) -> Result:
    """`Atlas.change` for one industry and two years (default: the two latest provincial years)."""
    years = atlas.years("province")
    year_to = atlas.check_year(year_to)
    if year_from is None:
        earlier = [y for y in years if y < year_to]
        if not earlier:
            raise LookupError(f"no provincial year before {year_to} to compare with; years with data: {', '.join(map(str, years))}")
        year_from = earlier[-1]
    year_from = atlas.check_year(year_from)
    if year_from >= year_to:
        raise ValueError(f"from ({year_from}) must be before to ({year_to})")
    slug = atlas.industry(industry).slug if industry else atlas.taxonomy.slugs("industry")[0]
    names = map_names()
    rows = records(atlas.change(slug, year_from, year_to))
    for r in rows:
        r["map_name"] = names.get(r["adcode"], r["name_zh"])
    counts = {key: sum(r["change"] == key for r in rows) for key, _, _ in CHANGES}
    entry = atlas.taxonomy.get(slug)
    payload = {"industry": slug, "name_en": entry.name_en, "name_zh": entry.name_zh, "year_from": year_from, "year_to": year_to,
               "years": years, "industries": industries(atlas), "counts": counts, "palette": palette(CHANGES), "provinces": rows}
    summary = [{"change": k, "label": label, "provinces": counts[k]} for k, label, _ in CHANGES]
    return Result(payload, {"provinces": rows, "summary": summary}, "change.html",
                  f"{entry.name_zh} {entry.name_en} · {year_from}→{year_to}")


@router.get("/change", summary="Change map: per province, gained / lost / strengthened for an industry between two years")
def change_page(request: Request, industry: Optional[str] = Query(None, description="slug, Chinese or English name"),
                year_from: Optional[int] = Query(None, alias="from", ge=1949, le=2100),
                year_to: Optional[int] = Query(None, alias="to", ge=1949, le=2100),
                format: str = Query("html", description=FORMAT_DOC), table: Optional[str] = Query(None, description=TABLE_DOC)):
    s = site(request)
    result = data(s.atlas, industry, year_from, year_to)
    d = result.data
    return respond(result, format, table, lambda: s.html(result), f"change-{d['industry']}-{d['year_from']}-{d['year_to']}")
