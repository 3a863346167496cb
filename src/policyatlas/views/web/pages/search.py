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


def data(atlas: Atlas, q: str = "", limit: int = 50) -> Result:
    """Regions and slugs the query names (or nearly names), and committed sentences containing it."""
    q = q.strip()
    regions: list[dict] = []
    industries: list[dict] = []
    sentences: list[dict] = []
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
        try:
            e = atlas.industry(q)
            industries.append({"slug": e.slug, "name_zh": e.name_zh, "name_en": e.name_en, "axis": e.axis, "match": "exact"})
        except UnknownSlug as exc:
            for slug in exc.suggestions[:5]:
                e = atlas.taxonomy.get(slug)
                industries.append({"slug": e.slug, "name_zh": e.name_zh, "name_en": e.name_en, "axis": e.axis, "match": "close"})
        frame = atlas.search_sentences(q, limit)
        sentences = records(frame)
    payload = {"q": q, "regions": regions, "industries": industries, "sentences": sentences}
    return Result(payload, {"sentences": sentences, "regions": regions, "industries": industries}, "search.html",
                  f"Search {q}" if q else "Search")


@router.get("/search", summary="Search regions, industries and cited sentences")
def search_page(request: Request, q: str = Query("", max_length=100), limit: int = Query(50, ge=1, le=500),
                      format: str = Query("html", description=FORMAT_DOC), table: Optional[str] = Query(None, description=TABLE_DOC)):
    s = site(request)
    result = data(s.atlas, q, limit)
    return respond(result, format, table, lambda: s.html(result), "search")
