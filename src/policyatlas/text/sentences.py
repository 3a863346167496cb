"""Sentences and clauses as character spans, so every mention can be quoted in context.

A sentence is the unit of evidence (a commitment is quoted as its sentence); a clause is the
neighbourhood whose cues decide a mention (uptake, background, negation, strength) and within
whose list item a numeric target is attached to its industry term (`commitments.clause_bounds`). Both are
`(start, end)` offsets into the untouched text, trimmed of surrounding whitespace, found by
one compiled-regex scan per range.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

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

#: A "sentence" longer than this (no terminator for pages: a one-line dump, a run of clauses) is
#: cut at its last comma/space before the bound, so per-sentence work downstream (clauses,
#: attribution, targets) stays bounded and extraction linear. Real sentences are far shorter
#: (the corpus's longest is ~640 characters).
MAX_SENTENCE = 1000
_SOFT_BREAK = re.compile(r"[，；、：,;:\s]")


def split_sentences(text: str, start: int = 0, end: int | None = None, lang: str = "zh") -> list[tuple[int, int]]:
    """Sentence spans (absolute offsets) inside `text[start:end]`; a line break always ends one."""
    end = len(text) if end is None else end
    if lang == "zh":
        if start == 0 or text[start - 1] == "\n":
            return _zh_from_whole(text, start, end)
        return _zh(text, start, end)
    spans: list[tuple[int, int]] = []
    begin = start
    for match in _EN_BREAK.finditer(text, start, end):
        newline = match.group() == "\n"
        if not newline and _is_abbreviation(text, begin, match.start() + 1):
            continue
        _append(spans, text, begin, match.start() if newline else match.end())
        begin = match.end()
    _append(spans, text, begin, end)
    return spans if all(e - s <= MAX_SENTENCE for s, e in spans) else _bounded(text, spans)


def _zh(text: str, start: int, end: int) -> list[tuple[int, int]]:
    found = [m.span() for m in _ZH_SENTENCE.finditer(text, start, end)]
    return found if all(e - s <= MAX_SENTENCE for s, e in found) else _bounded(text, found)


#: The sentences of the last text split whole: (text, starts, ends, spans). Callers that ask for
#: every sentence before each mention ("the region under discussion") then cost a bisect and a
#: list copy per call, not a regex pass over the whole prefix.
_WHOLE: tuple[str, list[int], list[int], list[tuple[int, int]]] | None = None


def _zh_from_whole(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """`_zh(text, start, end)` for a range starting at a line start, from the whole text's split.

    Exact: no sentence crosses a line break, so a line start is a sentence boundary, and the
    only sentence that differs is the one `end` cuts, which is split again on its own.
    """
    global _WHOLE
    whole = _WHOLE
    if whole is None or whole[0] is not text:
        spans = _zh(text, 0, len(text))
        whole = _WHOLE = (text, [s for s, _ in spans], [e for _, e in spans], spans)
    _, starts, ends, spans = whole
    first, last = bisect_left(starts, start), bisect_right(ends, end)
    out = spans[first:last]
    if last < len(spans) and last >= first and starts[last] < end:
        out.extend(_zh(text, starts[last], end))
    return out


def _bounded(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The spans with each one over MAX_SENTENCE cut at soft breaks (each cut looks at one window)."""
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while e - s > MAX_SENTENCE:
            low, high = s + MAX_SENTENCE // 2, s + MAX_SENTENCE
            cut = high
            for match in _SOFT_BREAK.finditer(text, low, high):
                cut = match.end()
            _append(out, text, s, cut)
            s = cut
        _append(out, text, s, e)
    return out


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
