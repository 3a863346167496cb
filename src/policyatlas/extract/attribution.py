"""Attribution: which region a statement commits.

A report speaks for its own region: every statement in a provincial report is that province's
plan, even when it names a city or a neighbour (支持深圳…, 深化京津冀协同). A text about several
regions (news, roundups) credits each clause to the region its clause makes the subject; a
clause without one (an implicit subject, 该省/全省/报告, "It will …", "Officials plan …")
takes the region under discussion — the subject of the nearest earlier sentence that has one —
and only then the region the headline names. Datelines are places of writing, suggestions of
deputies and restated results are no region's plan. Cue words: `data/<lang>/attribution.toml`;
the English subject rules live in `attribution_en.py`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..knowledge.regions import RegionMention, gazetteer
from ..text.documents import Document
from ..text.sentences import split_clauses, split_sentences
from .actions import lexicon

#: Titles (or file names) of a text that speaks for one region as a whole.
_REPORT = re.compile(r"报告|决议|report|resolution", re.IGNORECASE)
_ANY_DATELINE = re.compile(r"\d{1,2}月\d{1,2}日电|\((?:Xinhua|Reuters|AFP|AP|CNS)\)\s*(?:--|—|–|-)")


@dataclass(frozen=True)
class _ZhCues:
    dateline: re.Pattern[str]
    lookback: int
    predicates: tuple[str, ...]
    suggestion: tuple[str, ...]
    single: tuple[str, ...]
    plural: tuple[str, ...]
    past: re.Pattern[str]


@cache
def _zh_cues() -> _ZhCues:
    """The Chinese attribution cues, compiled once."""
    raw = resources.files("policyatlas.data").joinpath("zh/attribution.toml").read_text("utf-8")
    data = tomllib.loads(raw)
    return _ZhCues(
        dateline=re.compile(data["dateline"]),
        lookback=int(data["lookback"]),
        predicates=tuple(data["predicate"]["words"]),
        suggestion=tuple(data["predicate"]["suggestion"]),
        single=tuple(sorted(data["anaphor"]["single"], key=len, reverse=True)),
        plural=tuple(data["anaphor"]["plural"]),
        past=re.compile("|".join(data["past"]["patterns"])),
    )


def speaks_for_one_region(doc: Document) -> bool:
    """Whether the document is one region's own text (a report), not news about regions.

    A dateline or a title that is no report's title marks news; only a report's region is
    credited with every statement in it.
    """
    if not doc.adcode:
        return False
    if _ANY_DATELINE.search(doc.text[:300]):
        return False
    return bool(_REPORT.search(doc.title or "") or _REPORT.search(doc.source or ""))


def _adcodes(mentions: list[RegionMention]) -> list[str]:
    national = gazetteer().national.adcode
    out: list[str] = []
    for mention in mentions:
        for code in mention.adcodes:
            if code != national and code not in out:
                out.append(code)
    return out


def _after_dateline_zh(text: str, start: int, end: int) -> int:
    """Skip a dateline ("中新社 成都5月14日电 (记者 …)") at the sentence start."""
    match = _zh_cues().dateline.match(text[start:end])
    return start + match.end() if match else start


def _first_predicate_zh(text: str, start: int, end: int) -> int:
    """Offset of the first predicate word or action cue in text[start:end] (end if none)."""
    piece = text[start:end]
    found = [i for i in (piece.find(w) for w in _zh_cues().predicates) if i >= 0]
    cues = lexicon("zh").cues(text, start, end)
    if cues:
        found.append(cues[0].start - start)
    return start + min(found) if found else end


@dataclass(frozen=True)
class _Subject:
    """What a clause's subject stretch says: its regions, an anaphor, a suggestion."""

    regions: tuple[str, ...]
    anaphor: str  # "", "single" or "plural"
    suggestion: bool


def _clause_subject_zh(text: str, start: int, end: int, anchor: int | None) -> _Subject:
    """The subject stretch of one clause: from its start to its first predicate (or the anchor)."""
    cues = _zh_cues()
    stop = _first_predicate_zh(text, start, end)
    if anchor is not None and start <= anchor < stop:
        stop = anchor
    zone = text[start:stop]
    regions = tuple(_adcodes(gazetteer().find(zone)))
    anaphor = "plural" if any(w in zone for w in cues.plural) else ("single" if any(w in zone for w in cues.single) else "")
    suggestion = any(text.startswith(w, stop) or w in zone for w in cues.suggestion)
    return _Subject(regions, anaphor, suggestion)


def _sentence_subject_zh(text: str, sentence: tuple[int, int], anchor: int | None) -> _Subject:
    """The subject governing `anchor` (or the sentence's first one): its clause, else earlier ones."""
    start = _after_dateline_zh(text, *sentence)
    clauses = [c for c in split_clauses(text, start, sentence[1], "zh") or [(start, sentence[1])]]
    if anchor is not None:
        clauses = [c for c in clauses if c[0] <= anchor]
    suggestion = False
    for c_start, c_end in reversed(clauses):
        found = _clause_subject_zh(text, c_start, c_end, anchor if c_start <= (anchor or -1) < c_end else None)
        suggestion = suggestion or found.suggestion
        if found.regions or found.anaphor:
            return _Subject(found.regions, found.anaphor, suggestion)
    return _Subject((), "", suggestion)


def _discourse_zh(text: str, before: int, plural: bool) -> list[str]:
    """The region(s) under discussion: subject of the nearest earlier sentence that has one.

    A plural anaphor (上述…) takes the nearest earlier sentence naming several regions.
    """
    spans = split_sentences(text, 0, before, "zh")[-_zh_cues().lookback:]
    for s, e in reversed(spans):
        if plural:
            named = _adcodes(gazetteer().find(text[s:e]))
            if len(named) > 1:
                return named
            continue
        found = _sentence_subject_zh(text, (s, e), None)
        if found.regions and not found.suggestion:
            return list(found.regions)
    return []


def subject_regions_zh(text: str, sentence: tuple[int, int], anchor: int) -> list[str]:
    """Regions the clause holding `anchor` makes its subject (explicit, anaphoric or implicit).

    [] when no region acts: a suggestion, a restated result, or nothing to resolve to.
    """
    cues = _zh_cues()
    c_start = max((s for s, _ in split_clauses(text, *sentence, "zh") if s <= anchor), default=sentence[0])
    c_end = next((e for s, e in split_clauses(text, *sentence, "zh") if s <= anchor < e), sentence[1])
    if cues.past.search(text, c_start, c_end):
        return []
    subject = _sentence_subject_zh(text, sentence, anchor)
    if subject.suggestion:
        return []
    if subject.regions:
        return list(subject.regions)
    return _discourse_zh(text, sentence[0], subject.anaphor == "plural")


def attribute(doc: Document, sentence: tuple[int, int], anchor: int) -> list[str | None]:
    """Adcodes the statement at `anchor` commits: a report's own region, else the clause's actor.

    For news the headline's region (`doc.adcode`, guessed from the title) is only the last
    fallback, after the clause subject and the region under discussion.
    """
    if speaks_for_one_region(doc):
        return [doc.adcode]
    if doc.lang == "zh":
        found = subject_regions_zh(doc.text, sentence, anchor)
    else:
        from .attribution_en import regions_en

        found = regions_en(doc.text, sentence, anchor)
    if not found and doc.adcode and not _past_or_suggestion(doc, sentence, anchor):
        found = [doc.adcode]
    return list(found) or [None]


def _past_or_suggestion(doc: Document, sentence: tuple[int, int], anchor: int) -> bool:
    """Whether the clause at `anchor` is a restated result or a suggestion (no fallback then)."""
    if doc.lang != "zh":
        from .attribution_en import is_past_en

        return is_past_en(doc.text, sentence)
    clause = next((c for c in split_clauses(doc.text, *sentence, "zh") if c[0] <= anchor < c[1]), sentence)
    if _zh_cues().past.search(doc.text, *clause):
        return True
    return _sentence_subject_zh(doc.text, sentence, anchor).suggestion
