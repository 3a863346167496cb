"""Numeric targets in plan text: how much of what, by when, and how firmly.

A target is a number with a unit ("建成2个万卡智算集群" → 2 个; "产值达1600亿元" → 1600 亿元) plus
the qualifier around it (以上, 左右, 突破 …) and a deadline. One regex, built from the lists in
`data/<lang>/targets.toml`, finds every number-with-unit in one pass; the data file's skip rules
then drop ordinals, slogans, specifications, sizes of counted items, quoted names and past
results. Offsets are absolute, so every target points back into the document; the cues looked up
"earlier in the sentence" (力争, 到2030年) are found once per span, so the work stays linear.
`render_target` writes a target for readers (units from `data/<lang>/units.toml`: 200万千瓦 →
"2 GW", 建成超充站1000座 → "1,000 supercharging stations").
Conventions: ../../shared/annotation-conventions.md.
"""

from __future__ import annotations

import bisect
import math
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import cn2an

#: Fullwidth digits and number signs → ASCII, one character for one, so offsets are unchanged.
#: (Not the fullwidth comma: "，" separates clauses, it is never a thousands separator.)
_FULLWIDTH = str.maketrans("０１２３４５６７８９％．／", "0123456789%./")


@dataclass(frozen=True)
class Target:
    """One quantity target at text[start:end], found in the clause text[clause_start:clause_end]."""

    value: float
    unit: str
    modifier: str
    deadline: int | None
    text: str
    start: int
    end: int
    clause_start: int
    clause_end: int
    #: A count right after 等 ("…、生物医药等十大新兴产业"): it counts the enumerated set as a whole,
    #: so it is a target of no single industry named inside the enumeration.
    enumerated: bool = False


@dataclass(frozen=True)
class _Rules:
    """One language's target grammar, compiled from its data file."""

    pattern: re.Pattern[str]
    clause: re.Pattern[str]
    sentence: re.Pattern[str]
    deadline: re.Pattern[str]
    fold: Callable[[str], str]            # how cue lists are compared (lower-case for English)
    prefix: dict[str, str]
    suffix: dict[str, str]
    strive: tuple[str, ...]
    strive_pattern: re.Pattern[str]
    range_modifier: str
    open_period: tuple[str, ...]
    collective: dict[str, str]
    collective_requires: tuple[str, ...]
    skip_units: frozenset[str]
    skip_before: tuple[str, ...]
    specifications: tuple[str, ...]
    batch_before: tuple[str, ...]
    per_item_counters: frozenset[str]
    enumerated_after: tuple[str, ...]
    before_window: int
    slogan_nouns: tuple[str, ...]
    phrases: tuple[str, ...]
    size_classes: tuple[str, ...]
    size_class_units: tuple[str, ...]
    quotes: tuple[str, ...]
    quote_span: int
    background: tuple[str, ...]
    joiners: tuple[str, ...]
    years: re.Pattern[str] | None
    min_chinese: int
    fraction_unit: str
    fraction_digits: int


def _alt(words: list[str] | dict[str, str]) -> str:
    """A regex alternation that tries longer words first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) or "(?!)"


def _compile(data: dict) -> _Rules:
    """Build the single scanning regex and the skip tables from a targets.toml structure."""
    num, units, mods, skip = data["number"], data["units"], data["modifiers"], data["skip"]
    spaced = num.get("spaced", False)
    sp, wb = (r"\s*", r"\b") if spaced else ("", "")  # token gap, cue word boundary
    end = r"(?![A-Za-z])"  # a unit or cue must not run on into a Latin word ("20 percentage")
    digits = r"(?<![0-9A-Za-z.])(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
    chinese = "(?!)"  # never matches: a language without native numerals
    if num["chinese_digits"]:
        cont = num["chinese_continue"]
        chinese = rf"(?<![{cont}万亿])[{num['chinese_digits']}][{cont}]*"
    number = rf"(?P<num>{digits})(?:/(?P<den>\d+))?|(?P<cn>{chinese})"
    base = _alt(units["base"] + units.get("skip", []) + list(units.get("collective", {})))
    unit = rf"(?:(?P<mag>{_alt(units['magnitudes'])}){sp})?(?:{base})"
    plain_unit = rf"(?:(?:{_alt(units['magnitudes'])}){sp})?(?:{_alt(units['base'])})"
    token, words = r"(?:[\w-]|,(?=\d))+", units.get("max_words_before_noun", 0)
    noun = rf"|\s+(?P<filler>(?:{token}\s+){{0,{words}}}?)(?P<noun>{_alt(units.get('count_nouns', []))}){end}"
    pattern = (
        rf"(?:{wb}(?P<pre>{_alt(mods['prefix'])}){sp})?(?:{number})"
        rf"(?:{sp}(?:{plain_unit})?{sp}(?:{_alt(mods['range_separators'])}){sp}(?P<num2>{digits}))?"
        rf"(?:{sp}(?P<unit>{unit}){end}{noun})?"
        rf"(?:{sp}(?P<post>{_alt(mods['suffix'])}){end})?"
    )
    flags = re.IGNORECASE if spaced else 0
    fold = str.lower if spaced else (lambda s: s)
    deadline = "|".join(data["deadline"]["patterns"])
    # Every cue of a "before the number" list must fit in the look-back window.
    before_cues = [*skip["before"], *skip.get("specifications", ()), *skip.get("batch_before", ())]
    return _Rules(
        pattern=re.compile(pattern, flags),
        clause=re.compile(data["segments"]["clause"]),
        sentence=re.compile(data["segments"]["sentence"]),
        deadline=re.compile(deadline, flags),
        fold=fold,
        prefix={fold(k): v for k, v in mods["prefix"].items()},
        suffix={fold(k): v for k, v in mods["suffix"].items()},
        strive=tuple(fold(c) for c in mods["strive"]),
        # overlapping matches (a lookahead), so each cue's position is known in one pass
        strive_pattern=re.compile(rf"(?=({_alt(mods['strive'])}))", flags),
        range_modifier=mods["range_modifier"],
        open_period=tuple(fold(c) for c in data["deadline"]["open_period"]),
        collective=units.get("collective", {}),
        collective_requires=tuple(units.get("collective_requires", ())),
        skip_units=frozenset(fold(u) for u in units.get("skip", ())),
        skip_before=tuple(skip["before"]),
        specifications=tuple(skip.get("specifications", ())),
        batch_before=tuple(skip.get("batch_before", ())),
        per_item_counters=frozenset(skip.get("per_item_counters", ())),
        enumerated_after=tuple(units.get("enumerated_after", ())),
        before_window=max([12, *(len(c) + 2 for c in before_cues)]),
        slogan_nouns=tuple(skip["slogan_nouns"]),
        phrases=tuple(skip.get("phrases", ())),
        size_classes=tuple(skip.get("size_classes", ())),
        size_class_units=tuple(skip.get("size_class_units", ())),
        quotes=tuple(skip["quotes"]),
        quote_span=int(skip["quote_span"]),
        background=tuple(fold(c) for c in skip["background"]),
        joiners=tuple(num.get("adjective_joiners", ())),
        years=re.compile(skip["years"]) if skip.get("years") else None,
        min_chinese=int(num["min_chinese_count"]),
        fraction_unit=num["fraction_unit"],
        fraction_digits=int(num["fraction_digits"]),
    )


@cache
def _rules(lang: str) -> _Rules:
    lang = "en" if lang == "en" else "zh"
    raw = resources.files("policyatlas.data").joinpath(f"{lang}/targets.toml").read_text("utf-8")
    return _compile(tomllib.loads(raw))


def _segments(text: str, breaks: re.Pattern[str]) -> tuple[list[int], list[int]]:
    """Starts and ends of the segments between break characters (breaks belong to neither)."""
    found = list(breaks.finditer(text))
    return [0] + [m.end() for m in found], [m.start() for m in found] + [len(text)]


def _around(segments: tuple[list[int], list[int]], pos: int) -> tuple[int, int]:
    """The segment [start, end) holding pos."""
    starts, ends = segments
    i = bisect.bisect_right(starts, pos) - 1
    return starts[i], ends[i]


def _quoted(text: str, s: int, e: int, rules: _Rules) -> bool:
    """Whether text[s:e] sits inside a short quotation or title (a name, not a target)."""
    lo = max(0, s - rules.quote_span)
    for pair in rules.quotes:
        opening, closing = pair[0], pair[1]
        still_open = text.rfind(opening, lo, s) > text.rfind(closing, lo, s)
        if still_open and text.find(closing, e, e + rules.quote_span) != -1:
            return True
    return False


def _in_phrase(text: str, s: int, e: int, phrases: tuple[str, ...]) -> bool:
    """Whether text[s:e] lies inside one of the set phrases (铁人三项, 八项规定)."""
    return any(text.find(p, max(0, e - len(p)), s + len(p)) != -1 for p in phrases)


#: Two adjacent different digits in native numerals read as a rough range ("三五个" = three to five).
_APPROXIMATE = re.compile(r"[一二两三四五六七八九]{2}")


def _value(m: re.Match[str], rules: _Rules) -> float:
    if m["cn"]:
        return float(cn2an.cn2an(m["cn"], "smart"))
    value = float(m["num"].replace(",", ""))
    if m["den"]:
        return round(value / float(m["den"]), rules.fraction_digits)
    return value


def _unit(m: re.Match[str], rules: _Rules) -> str | None:
    """The unit as written; a collective counter (九大) becomes its count unit; None if no unit."""
    if m["noun"]:
        return m["noun"]
    if m["unit"]:
        return rules.collective.get(m["unit"], m["unit"])
    return rules.fraction_unit if m["den"] else None


def _skipped(m: re.Match[str], text: str, clause: str, rules: _Rules, after_count: bool = False) -> bool:
    """Whether a number-with-unit is an ordinal, slogan, name, past result, adjective, or the
    specification or size of what is counted (`after_count`: it directly follows a count)."""
    s = m.start()
    unit, before = m["unit"] or "", text[max(0, s - rules.before_window):s]
    if rules.fold(unit) in rules.skip_units or before.rstrip().endswith(rules.skip_before):
        return True
    before = before.rstrip()
    if after_count or before.endswith(rules.specifications):
        return True
    batch = next((b for b in rules.batch_before if before.endswith(b)), None)
    if batch and not before[:-len(batch)].endswith(rules.skip_before):  # 第一批12项: an ordinal batch
        return True
    if unit in rules.collective and not before.endswith(rules.collective_requires):
        return True
    if m["cn"] and _APPROXIMATE.fullmatch(m["cn"]):  # 三五个, 七八家: "a few", not a target
        return True
    if m["cn"] and not m["mag"]:  # a native-numeral count: an idiom or a slogan?
        if _value(m, rules) < rules.min_chinese or text.startswith(rules.slogan_nouns, m.end()):
            return True
    if m["num"] and not m["num2"] and text.startswith(rules.joiners, m.end("num")):
        return True
    if m["noun"] and rules.years and rules.years.fullmatch(m["num"] or ""):
        return True
    if _quoted(text, s, m.end(), rules) or _in_phrase(text, s, m.end(), rules.phrases):
        return True
    if unit.endswith(rules.size_class_units) and text.startswith(rules.size_classes, m.end()):
        # "30亿元以上项目": an amount that classifies what is counted, not a target
        return True
    return any(c in rules.fold(clause) for c in rules.background)


class _Earlier:
    """Cue occurrences over a whole span, asked "is there one inside [lo, pos)?" in O(log n).

    Asking per number with a slice of the sentence before it (`span[ss:m.start()]`) is
    quadratic on a long sentence; the occurrences are found once and looked up by position.
    """

    def __init__(self, found: list[tuple[int, int, str]]):
        found.sort(key=lambda f: f[1])
        self.ends = [e for _, e, _ in found]
        self.latest: list[tuple[int, str]] = []  # among occurrences ending by here, the latest-starting
        for s, _, value in found:
            self.latest.append(max(self.latest[-1], (s, value)) if self.latest else (s, value))

    def last(self, lo: int, pos: int) -> str | None:
        """The value of the latest-starting occurrence lying wholly inside [lo, pos), if any."""
        i = bisect.bisect_right(self.ends, pos) - 1
        if i < 0 or self.latest[i][0] < lo:
            return None
        return self.latest[i][1]


def _modifier(m: re.Match[str], strive_before: bool, rules: _Rules) -> str:
    """Qualifier after the number, else before it, else a range floor, else 力争 in the sentence."""
    for group, table in (("post", rules.suffix), ("pre", rules.prefix)):
        if m[group]:
            return table[rules.fold(re.sub(r"\s+", " ", m[group]))]
    if m["num2"]:
        return rules.range_modifier
    return "strive" if strive_before else "exact"


def _deadline(
    stated_before: str | None, after: str, clause: str, year: int | None, five_year: bool, rules: _Rules
) -> int | None:
    """The year stated earlier in the sentence (else later in the clause: "… by 2030"), else
    none for multi-year spans and five-year outlooks, else the report year."""
    stated = [stated_before] if stated_before else [next(g for g in m.groups() if g) for m in rules.deadline.finditer(after)][:1]
    if stated:
        return int(stated[0])
    if five_year or any(c in rules.fold(clause) for c in rules.open_period):
        return None
    return year


def extract_targets(
    text: str, start: int, end: int, year: int | None, lang: str = "zh", five_year: bool = False
) -> list[Target]:
    """Quantity targets in the plan span text[start:end], so the atlas can cite how much by when.

    `year` is the report year (the deadline of this year's tasks); `five_year=True` marks a
    five-year outlook, whose targets carry only a stated year (到2030年) or none.
    """
    rules = _rules(lang)
    span = text[start:end].translate(_FULLWIDTH)
    clauses, sentences = _segments(span, rules.clause), _segments(span, rules.sentence)
    # Cues looked up "earlier in the sentence": found once over the span (linear, not per number).
    strive = _Earlier([(c.start(1), c.end(1), "strive") for c in rules.strive_pattern.finditer(span)])
    stated = _Earlier([(d.start(), d.end(), next(g for g in d.groups() if g)) for d in rules.deadline.finditer(span)])
    found: list[Target] = []
    previous_end, previous_counter = -1, False
    for m in rules.pattern.finditer(span):
        # "3座35万千瓦光热电站": a quantity glued between a count and the noun it sizes
        after_count = previous_counter and m.start() == previous_end and span[m.end():m.end() + 1].isalnum()
        previous_end, previous_counter = m.end(), (m["unit"] or "") in rules.per_item_counters
        unit = _unit(m, rules)
        if unit is None or (m["den"] and not float(m["den"])):  # "1/0" is no quantity
            continue
        cs, ce = _around(clauses, m.start())
        if _skipped(m, span, span[cs:ce], rules, after_count):
            continue
        ss, _ = _around(sentences, m.start())
        after = span[m.end():ce]
        found.append(Target(
            value=_value(m, rules), unit=unit,
            modifier=_modifier(m, strive.last(ss, m.start()) is not None, rules),
            deadline=_deadline(stated.last(ss, m.start()), after, span[cs:ce], year, five_year, rules),
            text=text[start + m.start():start + m.end()],
            start=start + m.start(), end=start + m.end(),
            clause_start=start + cs, clause_end=start + ce,
            enumerated=bool(rules.enumerated_after) and span[max(0, m.start() - 4):m.start()].rstrip().endswith(rules.enumerated_after),
        ))
    return found


# --- rendering: a target in the reader's language ------------------------------------------

#: Where the phrase naming what is counted stops (clause and list punctuation, conjunctions).
_PHRASE_END = re.compile(r"[，。；：！？、,.;:!?（）()“”《》\s和及与或]")
_PHRASE_CHARS = 16


@cache
def _units(lang: str) -> dict:
    lang = "zh" if lang == "zh" else "en"
    raw = resources.files("policyatlas.data").joinpath(f"{lang}/units.toml").read_text("utf-8")
    return tomllib.loads(raw)


def _number(value: float, lang: str = "en") -> str:
    """1000 → "1,000" (English) or "1000" (Chinese); decimals only where there are any."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "") if lang == "zh" else text


def counted_object(text: str, start: int, end: int, lang: str = "en") -> str | None:
    """What the count text[start:end] counts, from the nouns around it: the English name (the
    Chinese noun as written for lang 'zh'), from the [objects] table of data/en/units.toml.

    The noun phrase right after the count is read first ("2个万卡智算集群"), else the one right
    before it ("建成电动汽车超充站1000座"); within a phrase the noun ending nearest its head (the
    end of the phrase after the count, the number for the phrase before) wins, then the longest.
    """
    objects: dict[str, str] = _units("en").get("objects", {})
    after = text[end:end + _PHRASE_CHARS]
    cut = _PHRASE_END.search(after)
    after = after[:cut.start()] if cut else after
    before = text[max(0, start - _PHRASE_CHARS):start]
    cuts = list(_PHRASE_END.finditer(before))
    before = before[cuts[-1].end():] if cuts else before
    for phrase in (after, before):
        best: tuple[int, int, str] | None = None
        for noun, english in objects.items():
            at = phrase.rfind(noun)
            if at != -1 and (best is None or (at + len(noun), len(noun)) > best[:2]):
                best = (at + len(noun), len(noun), noun if lang == "zh" else english)
        if best:
            return best[2]
    return None


def render_amount(value: float, unit: str, modifier: str = "exact", lang: str = "en", counted: str | None = None) -> str:
    """A target's amount as a reader of `lang` expects it: "CNY 10 billion", "2 GW", "1,000
    supercharging stations" (English, from data/en/units.toml) or "1000座以上" (Chinese, as written).

    `counted` names what a counter unit counts (see `counted_object`); without it the unit's
    fallback noun is used ("1,000 stations").
    """
    data = _units(lang)
    conv = data.get("units", {}).get(unit)
    if lang == "zh":  # as written, the counted noun after the qualifier: "50万个以上充电设施"
        text = f"{_number(value * conv['factor'], lang)}{conv.get('unit', unit)}" if conv else f"{_number(value, lang)}{unit}"
        return data.get("modifier", {}).get(modifier, "{amount}").format(amount=text) + (counted or "")
    if conv is None:  # an English source's own unit ("30 clusters"), or one the table lacks
        text = f"{_number(value, lang)} {unit}"
    else:
        total = float(value) * conv["factor"]
        name = counted if conv.get("noun") and counted else conv.get("unit", "")
        for size, larger in sorted(conv.get("larger", []), reverse=True):
            if total >= size:
                total, name = total / size, larger
                break
        number = _number(total, lang)
        small = data.get("scale", {}).get("small", [])
        if conv.get("noun") and float(total).is_integer() and 0 <= total < len(small):
            number = small[int(total)]
        if conv.get("money") or conv.get("words"):
            for size, word in data.get("scale", {}).get("words", []):
                if total >= size:
                    number = f"{_number(total / size, lang)} {word}"
                    break
        if conv.get("money"):
            currency = data.get("scale", {}).get("currency", "")
            text = f"{currency} {number}".strip() if currency else f"{number} {name}".strip()
        else:
            text = f"{number}{conv.get('glue', ' ')}{name}".rstrip()
    return data.get("modifier", {}).get(modifier, "{amount}").format(amount=text)


def render_target(target: Target | dict, lang: str = "en", text: str | None = None, offset: int = 0) -> str:
    """A target in words of a language, naming what is counted when `text` is given.

    `target` is a Target or a stored row (value, unit, modifier and start/end, or t_start/t_end);
    `text` holds the target at [start - offset, end - offset] — the document text (offset 0) or
    the commitment's sentence with its start as `offset`.
    """
    get = target.get if isinstance(target, dict) else lambda k, d=None: getattr(target, k, d)
    counted = None
    if text is not None and _units("en").get("units", {}).get(str(get("unit")), {}).get("noun"):  # a counter
        start = get("t_start", get("start"))
        end = get("t_end", get("end"))
        if start is not None and end is not None:
            counted = counted_object(text, int(start) - offset, int(end) - offset, lang)
    return render_amount(float(get("value")), str(get("unit")), str(get("modifier") or "exact"), lang, counted)


def _same_target(p: dict, g: dict) -> bool:
    def deadline(r: dict) -> int | None:
        d = r.get("deadline")
        return None if d in (None, "") or (isinstance(d, float) and math.isnan(d)) else int(d)

    a, b = float(p["value"]), float(g["value"])
    return (
        abs(a - b) <= 1e-3 * max(abs(a), abs(b))
        and str(p["unit"]) == str(g["unit"])
        and p["modifier"] == g["modifier"]
        and deadline(p) == deadline(g)
    )


def _placement(p: dict, g: dict) -> int:
    """2 if p's number phrase lies inside g's clause, 1 if only the clauses overlap, else 0."""
    if (int(p["year"]), str(p["adcode"])) != (int(g["year"]), str(g["adcode"])):
        return 0
    if "clause_start" in g:
        inside = g["clause_start"] <= p["start"] and p["end"] <= g["clause_end"]
        overlap = p["clause_start"] < g["clause_end"] and g["clause_start"] < p["clause_end"]
    else:  # gold without offsets: compare the clause strings
        clause = p.get("clause", "")
        inside = bool(p.get("text")) and p["text"] in g["clause"]
        overlap = bool(clause) and (g["clause"] in clause or clause in g["clause"])
    return 2 if inside and overlap else 1 if overlap else 0


def score_targets(predicted: list[dict], gold: list[dict]) -> dict:
    """Precision over gold-covered clauses and recall over all gold, since gold lists only chosen targets.

    Rows carry year, adcode, value, unit, modifier and deadline. A predicted row also carries its
    offsets (start, end, clause_start, clause_end); a gold row carries its `clause` text and,
    ideally, the clause's offsets in the same document (clause_start, clause_end), else the
    predicted row's `clause` and `text` strings are compared instead.

    Rule: a predicted target matches a gold target when region and year agree, the value agrees
    within 1e-3 relative, unit, modifier and deadline agree, and the predicted target's clause
    overlaps the gold clause. Matching is one-to-one; targets whose number phrase lies inside the
    gold clause are paired first, so two equal targets in one clause ("推进100项…、100项…") each
    find their own gold row. Precision is counted only over predicted targets whose clause
    overlaps some gold clause ("precision over gold-covered clauses"); recall is over all gold.
    """
    matched: list[tuple[dict, dict]] = []
    used: set[int] = set()
    open_gold = list(range(len(gold)))
    for level in (2, 1):
        for gi in list(open_gold):
            for pi, p in enumerate(predicted):
                if pi not in used and _placement(p, gold[gi]) >= level and _same_target(p, gold[gi]):
                    matched.append((p, gold[gi]))
                    used.add(pi)
                    open_gold.remove(gi)
                    break
    covered = [pi for pi, p in enumerate(predicted) if any(_placement(p, g) for g in gold)]
    precision = len(matched) / len(covered) if covered else 0.0
    recall = len(matched) / len(gold) if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision, "recall": recall, "f1": f1,
        "matched": matched,
        "false_positives": [predicted[pi] for pi in covered if pi not in used],
        "false_negatives": [gold[gi] for gi in open_gold],
    }
