"""A region's page: its portfolio with strengths, targets, signature industries and the change since last year."""

from __future__ import annotations

import math
from typing import Optional

from fastapi import APIRouter, Query, Request

from policyatlas.extract.actions import strength_name
from policyatlas.atlas import Atlas
from ..render import Result, records, respond
from . import FORMAT_DOC, TABLE_DOC, site

router = APIRouter(tags=["pages"])


def region_years(atlas: Atlas, adcode: str) -> list[int]:
    return atlas.region_years(adcode)


def data(atlas: Atlas, region: str, year: int | None = None) -> Result:
    """The profile of one region and year, plus signature industries and the diff against its previous year."""
    found, year = atlas.check_region(region, year)
    years = atlas.region_years(found.adcode)
    profile = atlas.profile(found.adcode, year)
    for item in profile["industries"] + profile["instruments"]:
        item["strength_name"] = strength_name(item["strength"], "en") if item["strength"] else ""
        item["strength_name_zh"] = strength_name(item["strength"], "zh") if item["strength"] else ""
    previous = [y for y in years if y < year]
    diff = _diff(atlas, found.adcode, previous[-1], year) if previous else []
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
    return Result(payload, tables, "region.html", f"{found.name_zh} {found.name_en} {year}")


def _diff(atlas: Atlas, adcode: str, year_from: int, year_to: int) -> list[dict]:
    """`Atlas.diff` of the two years, each change with the evidence of its later side (else its earlier one)."""
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
            "strength": item["strength"], "strength_name": item.get("strength_name", ""),
            "strength_name_zh": item.get("strength_name_zh", ""), "evidence_count": len(item["evidence"]),
            "targets": "; ".join(t["text"] for t in item["targets"]), "first_sentence": first.get("sentence", ""),
            "doc": first.get("doc", ""), "start": first.get("start"), "end": first.get("end")}


def _signature(atlas: Atlas, adcode: str, year: int, profile: dict) -> list[dict]:
    """The region's signature industries (docs/analysis.md): its largest contributions t·w among picks
    named by at most ⌊N/3⌋ covered provinces, at most three — the `signature` of `Atlas.specialization`."""
    if atlas.gazetteer.get(adcode).level != "province":
        return []
    from policyatlas.analysis.specialization import SIGNATURE_SHARE, SIGNATURES

    evidence = {i["slug"]: i["evidence"][:1] for i in profile["industries"]}
    cap = max(1, math.floor(SIGNATURE_SHARE * len(atlas.covered(year))))
    rows = [r for r in records(atlas.signatures(year, adcode)) if r["regions_naming"] <= cap][:SIGNATURES]
    return [{"slug": r["slug"], "name_en": r.get("industry_en", r["slug"]), "name_zh": atlas.taxonomy.get(r["slug"]).name_zh,
             "strength": r["strength"], "provinces": r["regions_naming"],
             "provinces_label": f"{r['regions_naming']} province" + ("" if r["regions_naming"] == 1 else "s"),
             "rarity": round(r["rarity"], 3), "contribution": round(r["contribution"], 4), "cap": cap,
             "evidence": evidence.get(r["slug"], [])} for r in rows]


@router.get("/region/{region}", summary="A region's portfolio with evidence, targets, signature industries and diff")
def region_page(request: Request, region: str, year: Optional[int] = Query(None, ge=1949, le=2100),
                      format: str = Query("html", description=FORMAT_DOC), table: Optional[str] = Query(None, description=TABLE_DOC)):
    s = site(request)
    result = data(s.atlas, region, year)
    return respond(result, format, table, lambda: s.html(result), f"region-{result.data['region']['adcode']}-{result.data['year']}")
