"""Attribution: which region a statement commits.

A report speaks for its own region: every statement in a provincial report is that province's
plan, even when it names a city or a neighbour (支持深圳…, 深化京津冀协同). A text without a
region of its own (news, commentary) commits the regions that a sentence makes its subject;
the English rules live in `attribution_en.py`.
"""

from __future__ import annotations

from ..text.documents import Document
from ..knowledge.regions import RegionMention, gazetteer


def subject_regions_zh(text: str, sentence: tuple[int, int], anchor: int) -> list[str]:
    """Regions named in a Chinese sentence before the anchor (its subject position)."""
    mentions = [m for m in gazetteer().find(text[sentence[0]:anchor]) if m.region is None or m.region.adcode != gazetteer().national.adcode]
    return _adcodes(mentions)


def _adcodes(mentions: list[RegionMention]) -> list[str]:
    out: list[str] = []
    for mention in mentions:
        for code in mention.adcodes:
            if code not in out:
                out.append(code)
    return out


def attribute(doc: Document, sentence: tuple[int, int], anchor: int) -> list[str | None]:
    """Adcodes the statement at `anchor` commits: the document's region, else the sentence subject."""
    if doc.adcode:
        return [doc.adcode]
    if doc.lang == "zh":
        found = subject_regions_zh(doc.text, sentence, anchor)
    else:
        from .attribution_en import subject_regions_en

        found = subject_regions_en(doc.text, sentence, anchor)
    return list(found) or [None]
