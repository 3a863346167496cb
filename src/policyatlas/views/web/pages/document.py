"""The document reader: the report text with cited sentences marked and the chosen one highlighted."""

from __future__ import annotations

from typing import Optional

from fastapi import APIRouter, HTTPException, Query, Request

from policyatlas.atlas import Atlas
from ..render import Result, respond
from . import FORMAT_DOC, TABLE_DOC, site

router = APIRouter(tags=["pages"])


def data(atlas: Atlas, doc_id: str, start: int | None = None, end: int | None = None,
         anchors: tuple[tuple[int, int], ...] = ()) -> Result:
    """The document (by id from the store only) with the spans of its cited sentences.

    `anchors` are further ranges to make addressable as `#c<start>` (an exported site has no
    `?start=&end=`, so the briefing's quotes are reached this way).
    """
    try:
        doc = atlas.document(doc_id)
    except KeyError as exc:
        raise HTTPException(404, exc.args[0]) from None
    text = doc["text"]
    if (start is None) != (end is None):
        raise HTTPException(400, "give both start and end, or neither")
    if start is not None and not (0 <= start < end <= len(text)):  # type: ignore[operator]
        raise HTTPException(400, f"start/end must satisfy 0 <= start < end <= {len(text)}")
    cited = atlas.frame(
        'SELECT "start", "end", list(DISTINCT slug ORDER BY slug) AS slugs, max(strength) AS strength, '
        'list(DISTINCT adcode ORDER BY adcode) AS regions FROM commitments WHERE doc_id = ? AND committed '
        'GROUP BY "start", "end" ORDER BY "start"', [doc["id"]])
    spans = [{"start": int(r["start"]), "end": int(r["end"]), "slugs": list(r["slugs"]), "regions": list(r["regions"]),
              "strength": int(r["strength"])} for r in cited.to_dict("records")]
    segments = _segments(text, spans, (start, end) if start is not None else None, anchors)
    evidence = [dict(s, sentence=text[s["start"]:s["end"]], slugs=" ".join(s["slugs"]), regions=" ".join(s["regions"])) for s in spans]
    payload = {"document": doc, "spans": spans, "highlight": {"start": start, "end": end} if start is not None else None,
               "segments": segments}
    return Result(payload, {"evidence": evidence}, "document.html", doc["title"] or doc["id"])


def _segments(text: str, spans: list[dict], highlight: tuple[int, int] | None,
              anchors: tuple[tuple[int, int], ...] = ()) -> list[dict]:
    """The text cut into plain and cited pieces (cited sentences never overlap; the highlight may be any range).

    A piece's `anchor` (its id `c<offset>`) is set where a cited sentence, the highlight or an anchor range starts.
    """
    anchors = tuple((int(a), int(b)) for a, b in anchors if 0 <= int(a) < int(b) <= len(text))
    cuts = sorted({0, len(text), *(p for s in spans for p in (s["start"], s["end"])), *(highlight or ()),
                   *(p for pair in anchors for p in pair)})
    starts = {a for a, _b in anchors} | ({highlight[0]} if highlight else set())
    by_start = {s["start"]: s for s in spans}
    out, current = [], None
    for a, b in zip(cuts, cuts[1:]):
        if a in by_start:
            current = by_start[a]
        if current is not None and a >= current["end"]:
            current = None
        cite = current["start"] if current and a == current["start"] else None
        out.append({"text": text[a:b], "cite": cite, "anchor": a if cite is not None or a in starts else None,
                    "cited": current is not None, "slugs": current["slugs"] if current else [],
                    "hl": bool(highlight and highlight[0] <= a and b <= highlight[1])})
    return out


@router.get("/document/{doc_id}", summary="A document's text with cited sentences; start/end highlight one range")
def document_page(request: Request, doc_id: str, start: Optional[int] = Query(None, ge=0), end: Optional[int] = Query(None, ge=1),
                        format: str = Query("html", description=FORMAT_DOC), table: Optional[str] = Query(None, description=TABLE_DOC)):
    if not doc_id.isalnum() or len(doc_id) > 64:
        raise HTTPException(400, "a document id is letters and digits (see /api/documents)")
    s = site(request)
    result = data(s.atlas, doc_id, start, end)
    if format == "json":
        result.data.pop("segments")
    return respond(result, format, table, lambda: s.html(result), f"document-{result.data['document']['id']}")
