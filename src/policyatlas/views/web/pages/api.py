"""The JSON API, mirroring the CLI: each endpoint returns what the `--json` of its command prints.

Every endpoint also answers `?format=csv` (one table; `&table=` picks it when there are several).
Pages (`/map`, `/region/…`, …) answer `?format=json|csv` too, from the same view functions.
"""

from __future__ import annotations

from typing import Literal, Optional

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from ..render import Result, records, respond, to_json
from . import document, heatmap, industries, map as map_view, region as region_view, search as search_view, site

router = APIRouter(prefix="/api", tags=["api"])
Fmt = Literal["json", "csv"]
YEAR = Query(None, ge=1949, le=2100, description="year (default: latest)")


def _out(result: Result, format: str, table: str | None, name: str) -> Response:
    return respond(result, format, table, lambda: "", name)


def _table(rows, format: str, name: str, table: str | None = None) -> Response:
    """A list of rows (or a DataFrame) as JSON or CSV."""
    rows = records(rows)
    return _out(Result(rows, {name: rows}), format, table, name)  # type: ignore[arg-type]


@router.get("/regions", summary="Provinces (and regions with documents), with names and years covered")
def regions(request: Request, level: Literal["province", "prefecture", "all"] = "province", format: Fmt = "json"):
    atlas = site(request).atlas
    years: dict[str, list[int]] = {}
    for adcode, year in atlas.con.execute("SELECT DISTINCT adcode, year FROM documents WHERE adcode IS NOT NULL AND year IS NOT NULL "
                                          "ORDER BY year").fetchall():
        years.setdefault(adcode, []).append(int(year))
    pool = atlas.gazetteer.regions.values()
    rows = [{"adcode": r.adcode, "level": r.level, "name_zh": r.name_zh, "short_zh": r.short_zh, "name_en": r.name_en,
             "parent": r.parent, "years": years.get(r.adcode, [])}
            for r in pool if (level == "all" and r.adcode in years) or r.level == level]
    return _table(rows, format, "regions")


@router.get("/industries", summary="The taxonomy: industries and instruments")
def industries_api(request: Request, axis: Optional[Literal["industry", "instrument"]] = None, format: Fmt = "json"):
    rows = [r for r in industries(site(request).atlas) if axis is None or r["axis"] == axis]
    return _table(rows, format, "industries")


@router.get("/who/{slug}", summary="Regions committing to an industry, with evidence (CLI: who)")
def who(request: Request, slug: str, year: Optional[int] = YEAR, level: Optional[str] = "province", format: Fmt = "json"):
    atlas = site(request).atlas
    rows = atlas.who(slug, year, level=level or None)
    if format == "csv":
        flat = [dict({k: v for k, v in r.items() if k != "evidence"}, **e) for r in rows for e in r["evidence"]]
        return _table(flat, format, "who")
    return _out(Result(rows), format, None, "who")  # type: ignore[arg-type]


@router.get("/profile/{region}", summary="A region's industries and instruments with evidence and targets (CLI: profile)")
def profile(request: Request, region: str, year: Optional[int] = YEAR, format: Fmt = "json",
                  table: Optional[str] = Query(None, description="for csv: industries, evidence, targets, signature or diff")):
    result = region_view.data(site(request).atlas, region, year)
    if format == "json":
        return _out(Result(site(request).atlas.profile(result.data["region"]["adcode"], result.data["year"])), format, None, "profile")
    return _out(result, format, table, f"profile-{result.data['region']['adcode']}")


@router.get("/matrix", summary="Province × slug strength matrix (CLI: matrix)")
def matrix(request: Request, year: Optional[int] = YEAR, axis: Literal["industry", "instrument"] = "industry", format: Fmt = "json"):
    atlas = site(request).atlas
    year = atlas.check_year(year)
    rows = records(atlas.matrix(year, "province", axis))
    if format == "json":
        return Response(to_json({"year": year, "rows": rows}), media_type="application/json")
    return _table(rows, format, f"matrix-{year}")


@router.get("/crowding", summary="Industries by how many provinces commit to them (CLI: crowding)")
def crowding(request: Request, year: Optional[int] = YEAR, format: Fmt = "json"):
    return _table(site(request).atlas.crowding(year), format, "crowding")


@router.get("/specialization", summary="Provinces from most tailored to most generic (CLI: specialization)")
def specialization(request: Request, year: Optional[int] = YEAR, region: Optional[str] = None, format: Fmt = "json"):
    atlas = site(request).atlas
    if region:
        return _table(atlas.signatures(year, region), format, "signatures")
    return _table(atlas.specialization(year), format, "specialization")


@router.get("/similar/{region}", summary="Provinces with the most similar portfolio (CLI: similar)")
def similar(request: Request, region: str, year: Optional[int] = YEAR, format: Fmt = "json"):
    return _table(site(request).atlas.similar(region, year), format, "similar")


@router.get("/diff", summary="Industries by provinces gained and lost between two years (CLI: diff --all)")
def diff_all(request: Request, from_year: int = Query(..., ge=1949, le=2100), to_year: int = Query(..., ge=1949, le=2100),
                   format: Fmt = "json"):
    return _table(site(request).atlas.diff_all(from_year, to_year), format, "diff")


@router.get("/diff/{region}", summary="A region's industries added, dropped, strengthened or weakened (CLI: diff)")
def diff(request: Request, region: str, from_year: int = Query(..., ge=1949, le=2100), to_year: int = Query(..., ge=1949, le=2100),
               format: Fmt = "json"):
    return _table(site(request).atlas.diff(region, from_year, to_year), format, "diff")


@router.get("/diffusion/{query}", summary="A term's occurrences in national reports, year by year (CLI: diffusion)")
def diffusion(request: Request, query: str, format: Fmt = "json"):
    atlas = site(request).atlas
    if len(query) > 50:
        raise HTTPException(400, "query too long (50 characters at most)")
    if format == "json":
        return Response(to_json(atlas.diffusion_summary(query)), media_type="application/json")
    return _table(atlas.diffusion(query), format, "diffusion")


@router.get("/documents", summary="Stored documents with their section ranges, a page at a time (CLI: documents)")
def documents(request: Request, format: Fmt = "json",
              limit: int = Query(1000, ge=1, le=10000, description="Documents per page"),
              offset: int = Query(0, ge=0, description="Documents to skip (next page: offset + limit)")):
    rows = site(request).atlas.documents(limit=limit, offset=offset)
    if format == "csv":
        rows = [dict({k: v for k, v in d.items() if k != "sections"},
                     sections=" ".join(f"{k}:{a}-{b}" for k, ranges in d["sections"].items() for a, b in ranges))
                for d in rows]
    return _table(rows, format, "documents")


@router.get("/documents/{doc_id}", summary="One document's text, sections and cited spans (offsets index the text)")
def document_api(request: Request, doc_id: str, format: Fmt = "json"):
    if not doc_id.isalnum() or len(doc_id) > 64:
        raise HTTPException(400, "a document id is letters and digits (see /api/documents)")
    result = document.data(site(request).atlas, doc_id)
    result.data.pop("segments")
    return _out(result, format, None, f"document-{doc_id}")


@router.get("/search", summary="Regions, industries and cited sentences matching a query")
def search(request: Request, q: str = Query(..., max_length=100, description="text to find (taken literally)"),
                 limit: int = Query(50, ge=1, le=500), format: Fmt = "json", table: Optional[str] = None):
    if not q.strip():
        raise HTTPException(400, "empty search query: give q=some text")
    return _out(search_view.data(site(request).atlas, q, limit), format, table, "search")


@router.get("/map", summary="The map's data: strengths by year, slug and province")
def map_data(request: Request, industry: Optional[str] = None, year: Optional[int] = YEAR, format: Fmt = "json"):
    return _out(map_view.data(site(request).atlas, industry, year), format, None, "map")


@router.get("/heatmap", summary="The heatmap's data: matrix sorted by crowding")
def heatmap_data(request: Request, year: Optional[int] = YEAR, format: Fmt = "json", table: Optional[str] = None):
    return _out(heatmap.data(site(request).atlas, year), format, table, "heatmap")
