"""The briefing page: the written summary of a year (from `policyatlas.brief`) shown in a sandboxed frame."""

from __future__ import annotations

from typing import Literal, Optional

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import Response

from ...atlas import Atlas
from ..render import Result, respond
from . import FORMAT_DOC, check_year, site

router = APIRouter(tags=["pages"])


def data(atlas: Atlas, year: int | None = None, lang: str = "zh") -> Result:
    """The briefing as HTML and Markdown (501 until the briefing module exists)."""
    try:
        from ...brief import brief
    except ImportError:
        raise HTTPException(501, "briefings are not available in this version of policyatlas") from None
    year = check_year(atlas, year)
    payload = {"year": year, "lang": lang, "html": brief(atlas, year, lang, "html"), "markdown": brief(atlas, year, lang, "md")}
    return Result(payload, {}, "briefing.html", f"Briefing {year}")


@router.get("/briefing", summary="The briefing of a year (html, json, or md with format=md)")
async def briefing_page(request: Request, year: Optional[int] = Query(None, ge=1949, le=2100), lang: Literal["zh", "en"] = "zh",
                        format: str = Query("html", description=FORMAT_DOC + ", or md")):
    s = site(request)
    result = data(s.atlas, year, lang)
    if format == "md":
        return Response(result.data["markdown"], media_type="text/markdown; charset=utf-8")
    return respond(result, format, None, lambda: s.html(result), f"briefing-{result.data['year']}")
