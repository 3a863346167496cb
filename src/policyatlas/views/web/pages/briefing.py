"""The briefing page: the written summary of a year (from `policyatlas.brief`) shown in a sandboxed frame."""

from __future__ import annotations

from typing import Literal, Optional

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from policyatlas.atlas import Atlas
from policyatlas.analysis.brief import build_brief, render_brief
from ..links import ServerLinks
from ..render import Result, respond
from . import FORMAT_DOC, site

router = APIRouter(tags=["pages"])


def data(atlas: Atlas, year: int | None = None, lang: str = "zh", links: ServerLinks | None = None,
         md_links: ServerLinks | None = None) -> Result:
    """The briefing as HTML and Markdown, its citations linked in `links` (the server's routes by default).

    The `citations` table lists every cited span (the export writes a page for each cited document).
    """
    links = links or ServerLinks()
    doc = build_brief(atlas, year, lang)
    payload = {"year": doc.year, "lang": lang, "html": render_brief(doc, "html", links), "markdown": render_brief(doc, "md", md_links or links)}
    citations = [{"adcode": c.adcode, "region": c.region, "doc": c.doc, "start": c.start, "end": c.end, "quote": c.quote,
                  "url": links.document(c.doc, c.start, c.end)} for c in doc.citations()]
    return Result(payload, {"citations": citations}, "briefing.html", f"Briefing {doc.year}")


@router.get("/briefing", summary="The briefing of a year (html, json, csv of its citations, or md with format=md)")
def briefing_page(request: Request, year: Optional[int] = Query(None, ge=1949, le=2100), lang: Literal["zh", "en"] = "zh",
                        format: str = Query("html", description=FORMAT_DOC + ", or md")):
    s = site(request)
    # the Markdown is a download: its links are absolute, so they open from wherever it is read
    result = data(s.atlas, year, lang, s.links, ServerLinks(str(request.base_url)))
    if format == "md":
        return Response(result.data["markdown"], media_type="text/markdown; charset=utf-8")
    return respond(result, format, None, lambda: s.html(result), f"briefing-{result.data['year']}")
