"""The map: a choropleth of provinces for one industry and year (all years' data ride along)."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Query, Request

from policyatlas.extract.actions import strength_name
from policyatlas.atlas import Atlas
from ..render import Result, palette, respond
from . import FORMAT_DOC, TABLE_DOC, industries, map_names, site

router = APIRouter(tags=["pages"])


#: Atlas.fingerprint → the strengths of every year; the same for every industry and year asked,
#: so computed once per atlas file state (it was ~70 ms of each uncached /map page).
_STRENGTHS: dict[tuple, tuple[dict, dict]] = {}


def strengths(atlas: Atlas) -> tuple[dict[str, dict[str, dict[str, int]]], dict[str, list[str]]]:
    """Per year: slug → {adcode: strength} for committed provinces, and the provinces with a report."""
    key = atlas.fingerprint
    cached = _STRENGTHS.get(key)
    if cached is not None:
        return cached
    values: dict[str, dict[str, dict[str, int]]] = {}
    reported: dict[str, list[str]] = {}
    for yr in atlas.years("province"):
        per_slug: dict[str, dict[str, int]] = {}
        for axis in ("industry", "instrument"):
            table = atlas.matrix(yr, "province", axis)
            for column in table.columns[2:]:
                nonzero = table[column][table[column] > 0]
                per_slug[column] = {str(a): int(v) for a, v in nonzero.items()}
            reported[str(yr)] = sorted(str(a) for a in table.index)
        values[str(yr)] = per_slug
    if len(_STRENGTHS) >= 8:  # old atlas versions and closed atlases
        _STRENGTHS.clear()
    _STRENGTHS[key] = (values, reported)
    return values, reported


def data(atlas: Atlas, industry: str | None = None, year: int | None = None) -> Result:
    """Strength of every province's commitment to every slug, by year; the chosen one as a table."""
    year = atlas.check_year(year)
    slug = atlas.industry(industry).slug if industry else atlas.taxonomy.slugs("industry")[0]
    years = atlas.years("province")
    names = map_names()
    regions = [{"adcode": r.adcode, "name_zh": r.name_zh, "name_en": r.name_en, "map_name": names[r.adcode]}
               for r in atlas.gazetteer.provinces()]
    values, reported = strengths(atlas)
    rows = []
    for r in regions:
        strength = values[str(year)].get(slug, {}).get(r["adcode"], 0)
        rows.append({"adcode": r["adcode"], "name_zh": r["name_zh"], "name_en": r["name_en"], "year": year, "slug": slug,
                     "reported": r["adcode"] in reported[str(year)], "committed": strength > 0, "strength": strength,
                     "strength_name": strength_name(strength, "en") if strength else ""})
    levels = {str(k): strength_name(k, "en") for k in range(1, 5)} | {f"zh{k}": strength_name(k, "zh") for k in range(1, 5)}
    payload = {"year": year, "years": years, "industry": slug, "industries": industries(atlas), "regions": regions,
               "values": values, "reported": reported, "levels": levels, "provinces": rows, "palette": strength_palette()}
    return Result(payload, {"provinces": rows}, "map.html", map_title(atlas, slug, year))


#: Fills of the strength map: no report, not committed, then strength 1 … 4 (light to dark).
STRENGTH_FILLS = ["#dddddd", "#eef2f7", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]


def strength_palette() -> list[dict]:
    """The strength legend with, for each fill, the label colour readable on it (white on dark blues)."""
    labels = ["no report 无报告", "not committed 未提及"] + [f"{k} {strength_name(k, 'zh')} {strength_name(k, 'en')}" for k in range(1, 5)]
    return palette(list(zip(range(-1, 5), labels, STRENGTH_FILLS)))


def map_title(atlas: Atlas, slug: str, year: int) -> str:
    """The page title of a map (map.js sets the same one when the industry or year changes)."""
    entry = atlas.taxonomy.get(slug)
    return f"{entry.name_zh} {entry.name_en} · {year}"


@router.get("/map", summary="Choropleth of provinces for an industry and year")
def map_page(request: Request, industry: Optional[str] = Query(None, description="slug, Chinese or English name"),
                   year: Optional[int] = Query(None, ge=1949, le=2100), format: str = Query("html", description=FORMAT_DOC),
                   table: Optional[str] = Query(None, description=TABLE_DOC)):
    s = site(request)
    result = data(s.atlas, industry, year)
    return respond(result, format, table, lambda: s.html(result), f"map-{result.data['industry']}-{result.data['year']}")
