"""Attribution: which region a statement commits.

A report speaks for its own region: every statement in a provincial report is that province's
plan, even when it names a city or a neighbour (支持深圳…, 深化京津冀协同). A text about several
regions (news, roundups) credits each clause to the region its clause makes the subject; a
clause without one (an implicit subject, 该省/全省/报告, "It will …", "Officials plan …")
takes the region under discussion — the subject of the nearest earlier sentence that has one —
and only then the region the headline names. Datelines are places of writing, suggestions of
deputies and restated results are no region's plan. Cue words: `data/<lang>/attribution.toml`;
the English subject rules live in `attribution_en.py`.

`discourse(doc)` adds what only a news text needs (None for a report, which keeps the plain
pipeline): the year of its plans read from the text (publication date, "2025年将…", the year
after a reviewed one — never a deadline), industries named again by an anaphor ("the sector",
该产业), a sentence continuing the plan of the one before ("Among them, …", 其中…), senses a text
rules out ("aerospace" beside launch sites is not aviation, 算力芯片 are chips) and mentions that
are no plan (a company described by its industry, robots inspected, a suggestion).
"""

from __future__ import annotations

import re
import tomllib
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from importlib import resources

from ..knowledge.regions import RegionMention, gazetteer
from ..text.documents import Document
from ..text.sentences import split_clauses, split_sentences
from .actions import lexicon
from .commitments import Decision, SentenceView
from .mentions import Mention

#: File names of a text that speaks for one region as a whole.
_REPORT = re.compile(r"报告|决议|report|resolution", re.IGNORECASE)
#: Titles of such a text: a report's or resolution's own title ("2025年广东省政府工作报告",
#: "…关于政府工作报告的决议", "Report on the Work of the Government"), not a headline that
#: mentions one ("杭州“六小龙”首次写进浙江政府工作报告，…", "Guangdong's work report bets on AI").
_REPORT_TITLE = re.compile(
    r"(?:报告|决议)\s*(?:[（(][^）)]{0,10}[）)])?\s*$"
    r"|^\s*(?:full\s+text\s*:\s*)?report\s+on\s+the\s+work\s+of\s+the\s+government\b"
    r"|^\s*(?:\d{4}\s+)?(?:[A-Z][\w'’-]*\s+){0,3}(?:government\s+)?work\s+report\s*(?:\(\d{4}\))?\s*$",
    re.IGNORECASE)
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
    future: re.Pattern[str]
    speakers: tuple[str, ...]
    speech: tuple[str, ...]
    topic: re.Pattern[str]


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
        future=re.compile("|".join(map(re.escape, data["past"]["unless_after"]))),
        speakers=tuple(data["predicate"]["speakers"]),
        speech=tuple(data["predicate"]["speech"]),
        topic=re.compile(data["topic"]["pattern"]),
    )


def _restates_result(text: str, start: int, end: int) -> bool:
    """Whether a clause restates a result (成功落地, 增长107.9%) — not when a future marker comes
    before the match ("将建设全球领先的…集群", "力争增长10%" are plans)."""
    cues = _zh_cues()
    match = cues.past.search(text, start, end)
    return match is not None and cues.future.search(text, start, match.start()) is None


def speaks_for_one_region(doc: Document) -> bool:
    """Whether the document is one region's own text (a report), not news about regions.

    A dateline or a title that is no report's title marks news; only a report's region is
    credited with every statement in it.
    """
    if not doc.adcode:
        return False
    if _ANY_DATELINE.search(doc.text[:300]):
        return False
    title = doc.title or ""
    if _REPORT_TITLE.search(title) and not re.search(r"[，,:：“”\"!?！？|【】]", title):
        return True
    return bool(_REPORT.search(doc.source or ""))


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
    if not suggestion and any(w in zone for w in cues.speakers):
        # a deputy, expert or business person speaking: "…董事长张某表示，应加快…"
        suggestion = any(text.startswith(w, stop) or w in zone for w in cues.speech)
    return _Subject(regions, anaphor, suggestion)


_OPEN, _CLOSE = "“‘《（(【「", "”’》）)】」"


@lru_cache(maxsize=4096)
def _subject_clauses(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """The comma/semicolon clauses of text[start:end], however short ("北京将布局6G," is one:
    in a roundup each short clause may have a subject of its own); quotes and brackets stay whole."""
    out, depth, begin = [], 0, start
    for i in range(start, end):
        ch = text[i]
        if ch in _OPEN:
            depth += 1
        elif ch in _CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in "，,；;：:":
            out.append((begin, i + 1))
            begin = i + 1
    if begin < end:
        out.append((begin, end))
    return tuple(out)


@lru_cache(maxsize=16384)
def _plain_clause_subject_zh(text: str, start: int, end: int) -> _Subject:
    """`_clause_subject_zh` of a clause without the anchor: the same for every mention of a
    sentence, so computed once (a str caches its hash, so the key costs nothing)."""
    return _clause_subject_zh(text, start, end, None)


@lru_cache(maxsize=4096)
def _sentence_subject_zh(text: str, sentence: tuple[int, int], anchor: int | None) -> _Subject:
    """The subject governing `anchor` (or the sentence's first one): its clause, else earlier ones.

    A suggestion ("…委员张华建议，广西应…") anywhere before the anchor makes the whole statement
    a suggestion, even when a later clause names a region as its subject. An anaphor (我省, 该省)
    first takes a region named by an earlier clause of the same sentence ("江西省省长说，今年我省将…").
    """
    start = _after_dateline_zh(text, *sentence)
    clauses = list(_subject_clauses(text, start, sentence[1])) or [(start, sentence[1])]
    if anchor is not None:
        clauses = [c for c in clauses if c[0] <= anchor]
    if anchor is not None and clauses and _zh_cues().topic.match(text, *clauses[-1]):
        # "在人形机器人领域，北京、上海等地将…": the topic's subject is the next clause's
        following = next((c for c in _subject_clauses(text, start, sentence[1]) if c[0] >= clauses[-1][1]), None)
        if following is not None:
            clauses.append(following)
    found_all = [_clause_subject_zh(text, c_start, c_end, anchor) if anchor and c_start <= anchor < c_end
                 else _plain_clause_subject_zh(text, c_start, c_end) for c_start, c_end in clauses]
    suggestion = any(f.suggestion for f in found_all)
    for index in range(len(found_all) - 1, -1, -1):
        found = found_all[index]
        if found.regions:
            return _Subject(found.regions, found.anaphor, suggestion)
        if found.anaphor:
            if found.anaphor == "single":
                earlier = next((f.regions for f in reversed(found_all[:index]) if f.regions), ())
                if earlier:
                    return _Subject(earlier, "", suggestion)
            return _Subject((), found.anaphor, suggestion)
    return _Subject((), "", suggestion)


@lru_cache(maxsize=4096)
def _earlier_subject_zh(text: str, start: int, end: int) -> _Subject:
    """`_sentence_subject_zh` of a whole earlier sentence, computed once per sentence: every mention
    after it looks back over the same sentences (a str caches its hash, so the key costs nothing)."""
    return _sentence_subject_zh(text, (start, end), None)


@lru_cache(maxsize=1024)
def _discourse_regions_zh(text: str, before: int, plural: bool) -> tuple[str, ...]:
    """`_discourse_zh`, once per sentence start (every mention of a sentence asks the same)."""
    return tuple(_discourse_zh(text, before, plural))


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
        found = _earlier_subject_zh(text, s, e)
        if found.regions and not found.suggestion:
            return list(found.regions)
    return []


@lru_cache(maxsize=1024)
def _clauses_zh(text: str, start: int, end: int) -> tuple[tuple[int, int], ...]:
    """A sentence's clauses, split once for all its mentions."""
    return tuple(split_clauses(text, start, end, "zh"))


def subject_regions_zh(text: str, sentence: tuple[int, int], anchor: int) -> list[str]:
    """Regions the clause holding `anchor` makes its subject (explicit, anaphoric or implicit).

    [] when no region acts: a suggestion, a restated result, or nothing to resolve to.
    """
    clauses = _clauses_zh(text, *sentence)
    c_start = max((s for s, _ in clauses if s <= anchor), default=sentence[0])
    c_end = next((e for s, e in clauses if s <= anchor < e), sentence[1])
    if _restates_result(text, c_start, c_end):
        return []
    subject = _sentence_subject_zh(text, sentence, anchor)
    if subject.suggestion:
        return []
    if subject.regions:
        return list(subject.regions)
    return list(_discourse_regions_zh(text, sentence[0], subject.anaphor == "plural"))


def release() -> None:
    """Drop the per-sentence caches (their keys hold the text): called after each document, so a
    long build keeps no text alive and memory does not grow with the corpus."""
    for cached in (_earlier_subject_zh, _subject_clauses, _plain_clause_subject_zh, _clauses_zh, _fallback_region,
                   _sentence_subject_zh, _discourse_regions_zh):
        cached.cache_clear()


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
    if not found and not _past_or_suggestion(doc, sentence, anchor):
        fallback = _fallback_region(doc.text, doc.title or "", doc.adcode, doc.lang)
        found = [fallback] if fallback else []
    return list(found) or [None]


@lru_cache(maxsize=64)
def _fallback_region(text: str, title: str, adcode: str | None, lang: str) -> str | None:
    """The region a news text is about, for clauses that name none: the document's region,
    unless it was guessed from the dateline (the newsroom's city: "中新网郑州1月21日电",
    "CHENGDU, May 15 (Xinhua) --"); then the one province-level region the headline or the lead
    sentence names, if exactly one (a roundup's first region is no default)."""
    if not adcode:
        return None
    dateline = _ANY_DATELINE.search(text[:300])
    if dateline is None:
        return adcode
    line_start = text.rfind("\n", 0, dateline.start()) + 1
    place = text[line_start:dateline.end()]
    if adcode not in _adcodes(gazetteer().find(place)):
        return adcode  # the guessed region is not the dateline's place
    lead_end = min((i for i in (text.find(p, dateline.end()) for p in "。!?\n") if i >= 0), default=len(text))
    for piece in ((title if not _ANY_DATELINE.search(title) else ""), text[dateline.end():lead_end + 1]):
        provinces = [c for c in _adcodes(gazetteer().find(piece)) if gazetteer().get(c).level == "province"]
        if len(provinces) == 1:
            return provinces[0]
        if provinces:
            return None
    return None


def _past_or_suggestion(doc: Document, sentence: tuple[int, int], anchor: int) -> bool:
    """Whether the clause at `anchor` is a restated result or a suggestion (no fallback then)."""
    if doc.lang != "zh":
        from .attribution_en import is_past_en, is_suggestion_en

        return is_past_en(doc.text, sentence) or is_suggestion_en(doc.text, sentence, anchor)
    clause = next((c for c in _clauses_zh(doc.text, *sentence) if c[0] <= anchor < c[1]), sentence)
    if _restates_result(doc.text, *clause):
        return True
    return _sentence_subject_zh(doc.text, sentence, anchor).suggestion


# --- discourse of a news text: its year, industry anaphors, continuations, incidental mentions ---

@cache
def _discourse_data(lang: str) -> dict:
    """The `[year]`, `[industry_anaphor]`, `[continuation]`, `[sense]` and `[incidental]` tables."""
    raw = resources.files("policyatlas.data").joinpath(f"{'zh' if lang == 'zh' else 'en'}/attribution.toml").read_text("utf-8")
    data = tomllib.loads(raw)
    flags = re.IGNORECASE if lang != "zh" else 0
    year = data["year"]
    return {
        "published": [re.compile(p, flags) for p in year["published"]],
        "header_chars": int(year["header_chars"]),
        "plan": [re.compile(p, flags) for p in year["plan"]],
        "review": [re.compile(p, flags) for p in year["review"]],
        "deadline": [re.compile(p, flags) for p in year["deadline"]],
        "zodiac": {k.lower(): int(v) for k, v in year.get("zodiac", {}).items()},
        "zodiac_pattern": re.compile(year["zodiac_pattern"], flags) if year.get("zodiac_pattern") else None,
        "anaphor": re.compile("|".join(sorted((re.escape(w) for w in data["industry_anaphor"]["words"]), key=len, reverse=True)), flags),
        "anaphor_lookback": int(data["industry_anaphor"]["lookback"]),
        "continuation": re.compile(data["continuation"]["pattern"], flags),
        "senses": data.get("sense", {}),
    }


def _years(patterns: list[re.Pattern[str]], text: str) -> list[int]:
    return [int(next(g for g in m.groups() if g and len(g) == 4)) for p in patterns for m in p.finditer(text)]


def _zodiac_year(cycle_year: int) -> int:
    """The latest year of the named zodiac sign not after next year (the Year of the Snake → 2025 in 2026)."""
    ceiling = date.today().year + 1
    return ceiling - ((ceiling - cycle_year) % 12)


def news_year(doc: Document) -> int | None:
    """The year of the plans a news text reports, read from the text (never a year it reviews).

    In order: a full publication date near the top ("Updated: 2024-01-26", "13:32, May 15, 2025",
    "发布时间:2025-03-10", "2026年1月26日"); a year the text makes the plan year ("2025年将…",
    "2026年是…开局之年", "priorities for 2025"); the year after a reviewed year ("2025年全省…增长20%",
    "2025年以来" → 2026); any full date further down; a zodiac year ("the Year of the Snake");
    the document's own year unless the text uses it only as a deadline (到2027年) or a reviewed
    year; else None.
    """
    cues = _discourse_data(doc.lang)
    text = doc.text
    header = text[:cues["header_chars"]]
    for pattern in cues["published"]:
        found = _years([pattern], header)
        if found:
            return found[0]
    plan = _years(cues["plan"], text)
    if plan:
        return max(set(plan), key=lambda y: (plan.count(y), -plan.index(y)))
    review = _years(cues["review"], text)
    if review:
        return max(review) + 1
    dated = _years(cues["published"], text)
    if dated:
        return dated[0]
    if cues["zodiac_pattern"] is not None:
        match = cues["zodiac_pattern"].search(text)
        if match and match.group(1).lower() in cues["zodiac"]:
            return _zodiac_year(cues["zodiac"][match.group(1).lower()])
    if doc.year is not None and doc.year in set(_years(cues["deadline"], text)):
        return None
    return doc.year


class Discourse:
    """What a news text adds to its sentences: the plans' year, industries named by an anaphor
    ("the sector's growth", 该产业), plans continued by the next sentence ("Among them, …", 其中…),
    and mentions that are no plan (a company described by its industry, a robot inspected).

    `discourse(doc)` is None for a region's own report: reports keep the plain pipeline.
    """

    def __init__(self, doc: Document):
        self.doc = doc
        self.year = news_year(doc)
        self.cues = _discourse_data(doc.lang)
        self._lowered: str | None = None

    def mentions(self, sentences: list[tuple[int, int]], mentions: list[Mention]) -> list[Mention]:
        """The mentions of a section plus those an industry anaphor stands for, minus terms whose
        sense the text rules out ("aerospace" in a text about launch sites is not aviation)."""
        text = self.doc.text
        kept = [m for m in mentions if self._sense_ok(m)]
        if self.doc.lang == "zh":
            # a term that only modifies the next industry term is no industry of its own: 算力芯片
            # are chips, not computing capacity; an instrument after it (人工智能产业基金) keeps the industry
            spans: dict[tuple[int, int], set[str]] = {}
            for m in kept:
                if m.axis == "industry":
                    spans.setdefault((m.start, m.end), set()).add(m.slug)
            heads = {start: slugs for (start, _end), slugs in spans.items()}
            kept = [m for m in kept if not (m.axis == "industry" and m.end in heads
                                            and not heads[m.end] & spans[(m.start, m.end)])]
        added: list[Mention] = []
        lookback = self.cues["anaphor_lookback"]
        industries = [m for m in kept if m.axis == "industry"]
        starts = [m.start for m in industries]
        covered = sorted((m.start, m.end) for m in kept)
        for index, (s, e) in enumerate(sentences):
            for match in self.cues["anaphor"].finditer(text, s, e):
                at = bisect_right(covered, (match.start(), len(text)))
                if at and covered[at - 1][1] > match.start():
                    continue  # inside a longer term
                if re.match(r"\s+of\b", text[match.end():match.end() + 4]):
                    continue  # "the field of AI" names its industry itself
                window = sentences[max(0, index - lookback)][0]
                before = bisect_left(starts, match.start())
                if not before or starts[before - 1] < window:
                    continue
                last = starts[before - 1]
                for m in industries[bisect_left(starts, last):before]:
                    added.append(Mention(match.start(), match.end(), match.group(), m.slug, m.axis))
        return sorted(kept + added, key=lambda m: (m.start, m.end, m.slug))

    def _sense_ok(self, mention: Mention) -> bool:
        rule = self.cues["senses"].get(mention.term.lower())
        if not rule or mention.slug != rule["slug"]:
            return True
        if self._lowered is None:
            self._lowered = self.doc.text.lower()
        lowered = self._lowered
        if any(w.lower() in lowered for w in rule["keep_if_any"]):
            return True
        return not any(w.lower() in lowered for w in rule["drop_if_any"])

    def vet(self, view: SentenceView, mention: Mention, decision: Decision, previous: tuple[int, int] | None) -> Decision:
        """The decision for a mention of a news sentence, after the discourse is taken into account."""
        text, lang = self.doc.text, self.doc.lang
        sentence = (view.start, view.end)
        if decision.committed:
            if lang != "zh":
                from .attribution_en import incidental_en, is_suggestion_en

                reason = incidental_en(text, sentence, mention)
                if not reason and is_suggestion_en(text, sentence, mention.start):
                    reason = "suggestion: what a deputy, adviser or expert proposes"
            elif _past_or_suggestion(self.doc, sentence, mention.start):
                reason = "background or suggestion: a result restated, or what someone proposes"
            else:
                reason = ""
            return Decision(False, decision.action, decision.strength, reason) if reason else decision
        if decision.reason != "no action cue in the sentence" or previous is None:
            return decision
        if not self.cues["continuation"].match(text, view.start, view.end):
            return decision
        cues = lexicon(lang).cues(text, *previous)
        if not cues or _past_or_suggestion(self.doc, previous, cues[-1].start):
            return decision
        strongest = max(cues, key=lambda c: c.rank)
        return Decision(True, strongest.text, strongest.rank, clause=view.clause(mention.start))


def discourse(doc: Document) -> Discourse | None:
    """The discourse layer of a news text (None for a region's own report)."""
    return None if speaks_for_one_region(doc) else Discourse(doc)
