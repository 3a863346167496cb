"""Facts: commitments rendered as the self-contained records `extract` prints and the API serves."""

from __future__ import annotations

from .commitments import Commitment
from ..text.documents import Document
from .pipeline import extract
from ..knowledge.regions import gazetteer


def region_ref(adcode: str | None) -> dict | None:
    """{adcode, name_en, name_zh} for an adcode, or None when unattributed."""
    if not adcode:
        return None
    region = gazetteer().get(adcode)
    return {"adcode": region.adcode, "name_en": region.name_en, "name_zh": region.name_zh}


def as_fact(c: Commitment) -> dict:
    """One commitment as a fact record with its evidence offsets and targets."""
    return {
        "region": region_ref(c.adcode), "year": c.year, "doc": c.doc_id, "slug": c.slug, "axis": c.axis,
        "section": c.section, "action": c.action, "strength": c.strength, "term": c.term,
        "committed": c.committed, "reason": c.reason,
        "sentence": c.sentence, "start": c.start, "end": c.end,
        "targets": [{"value": t.value, "unit": t.unit, "modifier": t.modifier, "deadline": t.deadline,
                     "text": t.text, "start": t.start, "end": t.end} for t in c.targets],
    }


def facts_from_document(doc: Document, include_rejected: bool = False) -> list[dict]:
    """All facts of one document (only commitments unless `include_rejected`)."""
    return [as_fact(c) for c in extract(doc, include_rejected=include_rejected)]
