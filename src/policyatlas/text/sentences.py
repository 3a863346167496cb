"""Sentences and clauses as character spans, so every mention can be quoted in context.

A sentence is the unit of evidence (a commitment is quoted as its sentence); a clause is the
neighbourhood whose cues decide a mention (uptake, background, negation, strength) and within
whose list item a numeric target is attached to its industry term (`commitments.clause_bounds`). Both are
`(start, end)` offsets into the untouched text, trimmed of surrounding whitespace, found by
one compiled-regex scan per range.
"""

from __future__ import annotations

import re

#: Chinese: from a non-space, a run without a line break or a terminator, then its terminators
#: and any closing quotes/brackets ("……。”"). It starts and ends on a non-space, so spans
#: come out trimmed; a line holding only "。" yields nothing.
_ZH_SENTENCE = re.compile(
    r"[^\s\u200b-\u200d\ufeff。！？!?]"
    r"(?:[^\n。！？!?]*[^\s\u200b-\u200d\ufeff。！？!?])?"
    r"(?:[^\S\n]*[。！？!?]+[”’」』）)\]]*)?"
)

#: English: a candidate end — terminator(s) and closing quotes followed by space and a capital,
#: digit or opening quote — or a line break.
#: A run of terminators is tried only from its first character and never backtracks, so a run
#: of 40,000 dots costs one pass, not one pass per dot.
_EN_BREAK = re.compile(r"(?<![.!?])[.!?]++[\"'”’)\]]*+(?=[^\S\n]+[\"'“‘(\[]?[A-Z0-9])|\n")
_EN_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st no nos vs etc e.g i.e cf fig art sec jan feb mar apr jun jul aug "
    "sep sept oct nov dec inc ltd co corp jr sr gen gov rep sen rev u.s u.k u.n p.r".split()
)
_EN_WORD_BEFORE = re.compile(r"(?<![A-Za-z])([A-Za-z][A-Za-z.]*)\.$")

#: Clause pieces: bracketed or quoted stretches stay whole; thousands separators do not split.
_CLAUSE = re.compile(
    r"(?:（[^（）\n]*）|“[^“”\n]*”|\([^()\n]*\)|(?<=\d),(?=\d{3}(?!\d))|[^，,；;。！？!?\n])+"
)
#: Pieces shorter than this that end at a comma are merged into the next one ("到2027年，…").
_MIN_CLAUSE = {"zh": 9, "en": 20}

_SPACE = " \t\r\n\f\v\u3000\u00a0\u200b\u200c\u200d\ufeff"


def split_sentences(text: str, start: int = 0, end: int | None = None, lang: str = "zh") -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets) inside `text[start:end]`; a line break always ends one."""
    end = len(text) if end is None else end
    if lang == "zh":
        return [m.span() for m in _ZH_SENTENCE.finditer(text, start, end)]
    spans: list[tuple[int, int]] = []
    begin = start
    for match in _EN_BREAK.finditer(text, start, end):
        newline = match.group() == "\n"
        if not newline and _is_abbreviation(text, begin, match.start() + 1):
            continue
        _append(spans, text, begin, match.start() if newline else match.end())
        begin = match.end()
    _append(spans, text, begin, end)
    return spans


def split_clauses(text: str, start: int = 0, end: int | None = None, lang: str = "zh") -> list[tuple[int, int]]:
    """Clause spans inside `text[start:end]`, to keep a number next to the term it measures.

    Splits at ；, sentence ends and line breaks, and at commas when the piece before is long
    enough to stand alone ("到2027年，…" stays with what follows); brackets and quotes stay whole.
    """
    end = len(text) if end is None else end
    minimum = _MIN_CLAUSE.get(lang, _MIN_CLAUSE["en"])
    spans: list[tuple[int, int]] = []
    carry: int | None = None  # start of a short piece to be merged into the next one
    last = start
    for match in _CLAUSE.finditer(text, start, end):
        s, e = _trim(text, *match.span())
        if s >= e:
            continue
        begin = s if carry is None else carry
        soft = match.end() < end and text[match.end()] in "，,"
        if soft and e - begin < minimum:
            carry, last = begin, e
            continue
        spans.append((begin, e))
        carry = None
    if carry is not None:  # a short piece at the very end of the range stands alone
        spans.append((carry, last))
    return spans


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Narrow a span to exclude surrounding whitespace (including full-width spaces)."""
    while start < end and text[start] in _SPACE:
        start += 1
    while end > start and text[end - 1] in _SPACE:
        end -= 1
    return start, end


def _append(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    """Append the trimmed span if anything is left of it."""
    s, e = _trim(text, start, end)
    if s < e:
        spans.append((s, e))


def _is_abbreviation(text: str, begin: int, dot_end: int) -> bool:
    """Whether the period ending at `dot_end` belongs to an abbreviation (Mr., U.S., No.)."""
    if text[dot_end - 1] != ".":
        return False
    # only the word right before the dot, found by a bounded step back (not a scan from `begin`)
    word_start = dot_end - 1
    while word_start > begin and (text[word_start - 1].isascii() and (text[word_start - 1].isalpha() or text[word_start - 1] == ".")):
        word_start -= 1
    word = _EN_WORD_BEFORE.search(text, word_start, dot_end)
    if word is None:
        return False
    token = word.group(1).lower()
    return token in _EN_ABBREVIATIONS or len(token) == 1 or "." in token
