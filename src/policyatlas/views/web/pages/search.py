"""Search: one box for regions, industries (Chinese or English, slugs) and cited sentences."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, Query, Request

from policyatlas.atlas import Atlas
from policyatlas.knowledge.regions import UnknownRegion
from policyatlas.knowledge.taxonomy import UnknownSlug
from ..render import Result, records, respond
from . import FORMAT_DOC, TABLE_DOC, site

router = APIRouter(tags=["pages"])


def _industry(atlas: Atlas, slug: str, match: str) -> dict:
    e = atlas.taxonomy.get(slug)
    return {"slug": e.slug, "name_zh": e.name_zh, "name_en": e.name_en, "axis": e.axis, "match": match}


def data(atlas: Atlas, q: str = "", limit: int = 50) -> Result:
    """Regions and slugs the query names (or nearly names), and the committed sentences matching
    it: one row per sentence with its industries, grouped by region (`by_region`)."""
    q = q.strip()
    regions: list[dict] = []
    industries: list[dict] = []
    sentences: list[dict] = []
    groups: list[dict] = []
    if q:
        try:
            r = atlas.region(q)
            regions.append({"adcode": r.adcode, "name_zh": r.name_zh, "name_en": r.name_en, "level": r.level, "match": "exact"})
        except UnknownRegion as exc:
            for label in exc.suggestions[:5]:
                code = next((w for w in label.replace("(", " ").replace(")", " ").split() if w.isdigit() and len(w) == 6), None)
                if code:
                    r = atlas.gazetteer.get(code)
                    regions.append({"adcode": r.adcode, "name_zh": r.name_zh, "name_en": r.name_en, "level": r.level, "match": "close"})
        named = atlas.taxonomy.matching(q)  # what the sentence search also looks for
        try:
            exact = atlas.industry(q).slug
        except UnknownSlug as exc:
            exact, close = None, exc.suggestions
        else:
            close = []
        for slug in dict.fromkeys(([exact] if exact else []) + named):
            industries.append(_industry(atlas, slug, "exact" if slug == exact else "term"))
        for slug in close[:5]:
            if slug not in named:
                industries.append(_industry(atlas, slug, "close"))
        frame = atlas.search_sentences(q, limit)
        for row in records(frame):
            matched = set(row.pop("matched"))
            row["industries"] = [_industry(atlas, slug, "matched" if slug in matched else "") for slug in row.pop("slugs")]
            sentences.append(row)
            if not groups or groups[-1]["adcode"] != row["adcode"]:
                groups.append({"adcode": row["adcode"], "name_zh": row["name_zh"], "name_en": row["name_en"],
                               "total": row["region_total"], "sentences": []})
            groups[-1]["sentences"].append(row)
    # CSV: one line per sentence, its industries as slugs and English names
    flat = [{k: v for k, v in row.items() if k != "industries"}
            | {"industries": " ".join(i["slug"] for i in row["industries"]),
               "industries_en": "; ".join(i["name_en"] for i in row["industries"])} for row in sentences]
    regions_hit = [{k: v for k, v in g.items() if k != "sentences"} | {"shown": len(g["sentences"])} for g in groups]
    payload = {"q": q, "regions": regions, "industries": industries, "sentences": sentences,
               "total": sum(g["total"] for g in groups),
               "by_region": groups}
    return Result(payload, {"sentences": flat, "by_region": regions_hit, "regions": regions, "industries": industries},
                  "search.html", f"Search {q}" if q else "Search")


@router.get("/search", summary="Search regions, industries and cited sentences")
def search_page(request: Request, q: str = Query("", max_length=100), limit: int = Query(50, ge=1, le=500),
                      format: str = Query("html", description=FORMAT_DOC), table: Optional[str] = Query(None, description=TABLE_DOC)):
    s = site(request)
    result = data(s.atlas, q, limit)
    return respond(result, format, table, lambda: s.html(result), "search")
