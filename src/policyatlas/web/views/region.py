"""A region's page: its portfolio with strengths, targets, signature industries and the change since last year."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, HTTPException, Query, Request

from ...actions import strength_name
from ...atlas import Atlas
from ..render import Result, records, respond
from . import FORMAT_DOC, TABLE_DOC, site

router = APIRouter(tags=["pages"])


def region_years(atlas: Atlas, adcode: str) -> list[int]:
    return sorted(int(y) for (y,) in atlas.con.execute(
        "SELECT DISTINCT year FROM documents WHERE adcode = ? AND year IS NOT NULL", [adcode]).fetchall())


def changes(before: dict, after: dict) -> list[dict]:
    """Slugs added, dropped, strengthened or weakened between two profiles (evidence from the later one if any)."""
    old = {i["slug"]: i for i in before["industries"] + before["instruments"]}
    new = {i["slug"]: i for i in after["industries"] + after["instruments"]}
    out = []
    for slug in list(new) + [s for s in old if s not in new]:
        a, b = old.get(slug), new.get(slug)
        s_from, s_to = (a or {}).get("strength", 0), (b or {}).get("strength", 0)
        status = "added" if a is None else "dropped" if b is None else "strengthened" if s_to > s_from else "weakened" if s_to < s_from else None
        if status is None:
            continue
        item = b or a
        out.append({"slug": slug, "name_en": item["name_en"], "name_zh": item["name_zh"], "status": status,
                    "from_year": before["year"], "to_year": after["year"], "strength_from": s_from, "strength_to": s_to,
                    "evidence": item["evidence"][:1]})
    order = {"added": 0, "strengthened": 1, "weakened": 2, "dropped": 3}
    return sorted(out, key=lambda r: order[r["status"]])


def data(atlas: Atlas, region: str, year: int | None = None) -> Result:
    """The profile of one region and year, plus signature industries and the diff against its previous year."""
    found = atlas.region(region)
    years = region_years(atlas, found.adcode)
    if year is not None and year not in years:
        raise HTTPException(404, f"no document of {found.name_en} for {year}; years available: {', '.join(map(str, years)) or 'none'}")
    profile = atlas.profile(found.adcode, year)
    year = profile["year"]
    for item in profile["industries"] + profile["instruments"]:
        item["strength_name"] = strength_name(item["strength"], "en") if item["strength"] else ""
    previous = [y for y in years if year is not None and y < year]
    diff = _diff(atlas, found.adcode, previous[-1], year, profile) if previous else []
    signature = _signature(atlas, found.adcode, year, profile)
    items = profile["industries"] + profile["instruments"]
    tables: dict[str, list[dict]] = {
        "industries": [_flat(i, "industry") for i in profile["industries"]] + [_flat(i, "instrument") for i in profile["instruments"]],
        "evidence": [dict(slug=i["slug"], **e) for i in items for e in i["evidence"]],
        "targets": [dict(slug=i["slug"], **t) for i in items for t in i["targets"]],
        "signature": [{k: v for k, v in r.items() if k != "evidence"} for r in signature],
        "diff": [{k: v for k, v in d.items() if k != "evidence"} for d in diff],
    }
    payload = {"region": profile["region"], "year": year, "years": years, "previous_year": previous[-1] if previous else None,
               "industries": profile["industries"], "instruments": profile["instruments"], "signature": signature, "diff": diff}
    return Result(payload, tables, "region.html", f"{found.name_zh} {found.name_en} {year or ''}")


def _diff(atlas: Atlas, adcode: str, year_from: int, year_to: int, profile: dict) -> list[dict]:
    """The analysis layer's diff when present (with evidence of each side), else a diff of two profiles."""
    if not hasattr(atlas, "diff"):
        return changes(atlas.profile(adcode, year_from), profile)
    rows = []
    for r in records(atlas.diff(adcode, year_from, year_to)):
        ev = r.get("evidence_to") or r.get("evidence_from")
        rows.append({"slug": r["slug"], "name_en": r["name_en"], "name_zh": r["name_zh"], "status": r["change"],
                     "from_year": year_from, "to_year": year_to, "strength_from": r["strength_from"], "strength_to": r["strength_to"],
                     "evidence": [{"doc": ev["doc_id"], "start": ev["start"], "end": ev["end"], "sentence": ev["sentence"]}] if ev else []})
    return rows


def _flat(item: dict, axis: str) -> dict:
    first = item["evidence"][0] if item["evidence"] else {}
    return {"slug": item["slug"], "axis": axis, "name_en": item["name_en"], "name_zh": item["name_zh"],
            "strength": item["strength"], "strength_name": item.get("strength_name", ""), "evidence_count": len(item["evidence"]),
            "targets": "; ".join(t["text"] for t in item["targets"]), "first_sentence": first.get("sentence", ""),
            "doc": first.get("doc", ""), "start": first.get("start"), "end": first.get("end")}


def _signature(atlas: Atlas, adcode: str, year: int | None, profile: dict) -> list[dict]:
    """The region's rarest industries this year (the analysis layer's signatures when present)."""
    if year is None or atlas.gazetteer.get(adcode).level != "province":
        return []
    evidence = {i["slug"]: i["evidence"][:1] for i in profile["industries"]}
    if hasattr(atlas, "signatures"):
        rows = records(atlas.signatures(year, adcode))
        return [{"slug": r["slug"], "name_en": r.get("industry_en", r["slug"]), "name_zh": atlas.taxonomy.get(r["slug"]).name_zh,
                 "strength": r["strength"], "provinces": r["regions_naming"], "rarity": round(r["rarity"], 3),
                 "evidence": evidence.get(r["slug"], [])} for r in rows[:6]]
    matrix = atlas.matrix(year, "province", "industry")
    rows = []
    for item in profile["industries"]:
        if item["slug"] in matrix.columns and item["strength"] > 0:
            rows.append({"slug": item["slug"], "name_en": item["name_en"], "name_zh": item["name_zh"], "strength": item["strength"],
                         "provinces": int((matrix[item["slug"]] > 0).sum()), "rarity": None, "evidence": item["evidence"][:1]})
    rows.sort(key=lambda r: (r["provinces"], -r["strength"]))
    return rows[:6]


@router.get("/region/{region}", summary="A region's portfolio with evidence, targets, signature industries and diff")
async def region_page(request: Request, region: str, year: Optional[int] = Query(None, ge=1949, le=2100),
                      format: str = Query("html", description=FORMAT_DOC), table: Optional[str] = Query(None, description=TABLE_DOC)):
    s = site(request)
    result = data(s.atlas, region, year)
    return respond(result, format, table, lambda: s.html(result), f"region-{result.data['region']['adcode']}-{result.data['year']}")
