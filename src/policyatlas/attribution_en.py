"""English subject attribution for multi-region texts (news, translations)."""

from __future__ import annotations

from .regions import gazetteer

NATIONAL = "100000"


def subject_regions_en(text: str, sentence: tuple[int, int], anchor: int) -> list[str]:
    """Regions named in an English sentence before the anchor (a first approximation)."""
    out: list[str] = []
    for mention in gazetteer().find(text[sentence[0]:anchor]):
        for code in mention.adcodes:
            if code != NATIONAL and code not in out:
                out.append(code)
    return out
