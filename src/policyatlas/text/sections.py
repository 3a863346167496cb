"""Sections: which part of a report is front matter, review, plan, outlook, glossary or leftover.

Only the plan part (this year's tasks and, in a plan's first year, the five-year outlook)
commits a region to anything, so every later stage asks "is this offset in a plan section?".
A report is cut at heading lines; the cues that recognise headings are language data
(`data/<lang>/sections.toml`), this module only walks the lines:

* a top-level numbered heading (一、二、三… counting up) or a short bare heading line that a
  rule recognises starts a section; the first matching `[[heading]]` rule gives its kind;
* a numbered heading no rule recognises (poetic ones: "二、一张蓝图绘到底…") is decided by
  the first lines of its body ("“十五五”时期是…" → outlook, "2025年是…" → review), else by
  the section before it (after the review comes this year's work);
* a `[[split]]` heading covering two periods ("“十四五”时期发展成就和“十五五”时期主要目标任务")
  is review up to the paragraph that opens the new plan period, outlook from there;
* page furniture after the front matter is `leftover`; the text after it resumes.

Sections cover the text contiguously from 0 to len(text) and start at line starts.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import NamedTuple

import cn2an

from .documents import Document, Section
from .normalize import map_fullwidth, nfkc

_CN_DIGITS = "零一二三四五六七八九"
_ROMAN = {"I": 1, "V": 5, "X": 10}


@dataclass(frozen=True)
class _Cues:
    """The compiled cues of one language for one report year."""

    numbered: re.Pattern[str]
    numbered_max_len: int
    bare_max_len: int
    bare_reject: re.Pattern[str]
    annex: re.Pattern[str]
    note: re.Pattern[str]
    headings: tuple[tuple[str, re.Pattern[str]], ...]
    splits: tuple[tuple[re.Pattern[str], str, str, re.Pattern[str]], ...]
    body_lines: int
    body_when: frozenset[str]
    body: tuple[tuple[str, re.Pattern[str]], ...]
    after: dict[str, str]
    leftover_line: re.Pattern[str]
    leftover_cut: re.Pattern[str]


@cache
def _data(lang: str) -> dict:
    """The raw cue file of a language (English for any language without its own)."""
    folder = resources.files("policyatlas.data")
    path = folder.joinpath(f"{lang}/sections.toml")
    if not path.is_file():
        path = folder.joinpath("en/sections.toml")
    with path.open("rb") as fh:
        return tomllib.load(fh)


def _cn_number(n: int) -> str:
    """1..99 as Chinese numerals, as plan ordinals are written (十五, 十四)."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _CN_DIGITS[tens] + "十")
    return head + (_CN_DIGITS[ones] if ones else "")


def _ordinal(n: int) -> str:
    """15 → '15th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _placeholders(year: int | None) -> dict[str, str]:
    """Regex fragments for the year-dependent placeholders of the cue files."""
    if year is None or 1963 <= year <= 1965:  # no plan ran in 1963–65 (the adjustment years)
        return {
            "{year}": r"\d{4}",
            "{last}": r"\d{4}",
            "{plan}": "[一二三四五六七八九十]{1,2}五",
            "{plan_cn}": "[一二三四五六七八九十]{1,3}",
            "{plan_ord}": r"\d{1,2}(?:st|nd|rd|th)",
        }
    # The 15th five-year plan runs 2026–2030; plans are contiguous from the 3rd (1966–70) on;
    # the 1st ran 1953–57 and the 2nd 1958–62.
    number = 15 + (year - 2026) // 5 if year >= 1966 else (1 if year <= 1957 else 2)
    return {
        "{year}": str(year),
        "{last}": str(year - 1),
        "{plan}": _cn_number(number) + "五",
        "{plan_cn}": _cn_number(number),
        "{plan_ord}": _ordinal(number),
    }


@cache
def _cues(lang: str, year: int | None) -> _Cues:
    """Compile a language's cues with the year's placeholders filled in."""
    data = _data(lang)
    flags = re.IGNORECASE if data.get("ignore_case") else 0
    fill = _placeholders(year)

    def compile_(pattern: str) -> re.Pattern[str]:
        for key, value in fill.items():
            pattern = pattern.replace(key, value)
        return re.compile(pattern, flags)

    lines = data["lines"]
    return _Cues(
        numbered=compile_(lines["numbered"]),
        numbered_max_len=lines["numbered_max_len"],
        bare_max_len=lines["bare_max_len"],
        bare_reject=compile_(lines["bare_reject"]),
        annex=compile_(lines["annex"]),
        note=compile_(lines["note"]),
        headings=tuple((rule["kind"], compile_(rule["pattern"])) for rule in data["heading"]),
        splits=tuple(
            (compile_(rule["pattern"]), rule["kind"], rule["then"], compile_(rule["body"]))
            for rule in data.get("split", [])
        ),
        body_lines=data["body"]["lines"],
        body_when=frozenset(data["body"].get("when", ())),
        body=tuple((cue["kind"], compile_(cue["pattern"])) for cue in data["body"]["cue"]),
        after=dict(data["after"]),
        leftover_line=compile_(data["leftover"]["line"]),
        leftover_cut=compile_(data["leftover"]["cut"]),
    )


def _numeral(label: str) -> int | None:
    """The value of a heading number: 三 → 3, 十二 → 12, IV → 4, 7 → 7."""
    if label.isdigit():
        return int(label)
    if all(ch in _ROMAN for ch in label.upper()):
        values = [_ROMAN[ch] for ch in label.upper()]
        return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))
    if not label or any(ch not in _CN_DIGITS + "十" for ch in label):
        return None
    try:
        return int(cn2an.cn2an(label, "strict"))
    except ValueError:
        return None


class _Line(NamedTuple):
    offset: int  # where the line starts in the text
    text: str  # stripped
    norm: str  # stripped and NFKC-normalised, for matching ("１９９４年" → "1994年")


def _lines(text: str) -> list[_Line]:
    """Every non-blank line of a text."""
    out, offset = [], 0
    for line, mapped in zip(text.split("\n"), map_fullwidth(text).split("\n")):
        stripped = line.strip()
        if stripped:
            out.append(_Line(offset, stripped, nfkc(mapped.strip(), mapped=True)))
        offset += len(line) + 1
    return out


class _Heading(NamedTuple):
    kind: str  # a section kind, or "?" for a numbered heading no rule recognises
    text: str
    numbered: bool = False
    joined: bool = False  # "附件1" joined with the line after it
    then: tuple[str, re.Pattern[str]] | None = None  # a split heading's second part


def split_sections(text: str, year: int | None, lang: str = "zh") -> list[Section]:
    """Label the parts of a report so that only its plan part is read as commitments."""
    if not text.strip():
        return [Section("front", 0, len(text), "")] if text else []
    cues = _cues(lang, year)
    lines = _lines(text)
    marks: list[tuple[int, str, str]] = []  # (offset, kind, heading), in text order
    kind, heading, top = "front", lines[0].text, 0
    then: tuple[str, re.Pattern[str]] | None = None  # pending second part of a split heading
    resume: tuple[str, str] | None = None  # the section a leftover line interrupted
    skip = -1
    for index, line in enumerate(lines):
        if index <= skip:
            continue
        if kind != "front":
            if cues.leftover_cut.search(line.norm) and line.offset > len(text) // 2:
                marks.append((line.offset, "leftover", line.text))
                break
            if cues.leftover_line.search(line.norm):
                if kind != "leftover":
                    resume, kind, heading = (kind, heading), "leftover", line.text
                    marks.append((line.offset, kind, heading))
                continue
        found = _heading(lines, index, top, cues)
        if found is None and kind not in ("front", "glossary") and cues.note.search(line.norm):
            found = _Heading("glossary", line.text)
        if found is not None:
            before = resume[0] if kind == "leftover" and resume else kind
            new_kind = found.kind
            if new_kind == "?":  # ask its body (before the plan part), then what came before
                if before in cues.body_when:
                    new_kind = _from_body(lines[index + 1 : index + 1 + cues.body_lines], cues)
                new_kind = new_kind if new_kind not in (None, "?") else cues.after.get(before, before)
            kind, heading, resume, then = new_kind, found.text, None, found.then
            marks.append((line.offset, kind, heading))
            top = top + 1 if found.numbered else top
            if found.joined:
                skip = index + 1
            if kind == "glossary" or found.joined:
                top = 1000  # annexes and notes may number their own lists 一、二、…
        elif kind == "leftover" and resume is not None:
            kind, heading = resume
            resume = None
            marks.append((line.offset, kind, heading))
        elif then is not None and then[1].search(line.norm):
            kind, heading = then[0], _first_clause(line.text)
            then = None
            marks.append((line.offset, kind, heading))
    report = any(o in text for o in _data(lang).get("report_openings", ()))
    if not marks and not report:
        # no headings and no report opening: a news article or a note, read whole as statements
        return [Section("plan", 0, len(text), "")]
    sections = _to_sections(text, marks)
    if not report:
        # not a report: the text before its first heading is the article's lead, not front matter
        # (a "1、 Overall requirements" line must not silence the paragraphs above it)
        sections = [Section("plan", s.start, s.end, s.heading) if s.kind == "front" else s for s in sections]
    return sections


def _heading(lines: list[_Line], index: int, top: int, cues: _Cues) -> _Heading | None:
    """The heading that the line at `index` is, if it is one."""
    line = lines[index]
    numbered = cues.numbered.match(line.norm)
    joined = False
    if numbered:
        value = _numeral(numbered.group(0).strip().rstrip("、."))
        if len(line.norm) > cues.numbered_max_len or "。" in line.norm or value != top + 1:
            return None
        text, norm = line.text, line.norm
    elif cues.annex.search(line.norm) and index + 1 < len(lines):
        after = lines[index + 1]
        if not _bare_ok(after.norm, cues):
            return None
        text, norm, joined = f"{line.text} {after.text}", f"{line.norm} {after.norm}", True
    elif _bare_ok(line.norm, cues):
        text, norm = line.text, line.norm
    else:
        return None
    for pattern, kind, then_kind, then_pattern in cues.splits:
        if pattern.search(norm):
            return _Heading(kind, text, bool(numbered), joined, (then_kind, then_pattern))
    kind = next((kind for kind, pattern in cues.headings if pattern.search(norm)), None)
    if kind is None and not numbered:
        return None
    return _Heading(kind or "?", text, bool(numbered), joined)


def _bare_ok(line: str, cues: _Cues) -> bool:
    """Whether an unnumbered line is shaped like a heading rather than prose."""
    return len(line) <= cues.bare_max_len and not cues.bare_reject.search(line)


def _from_body(body: list[_Line], cues: _Cues) -> str | None:
    """The kind suggested by the opening lines under a heading no rule recognised."""
    for line in body:
        if cues.numbered.match(line.norm):
            break
        for kind, pattern in cues.body:
            if pattern.search(line.norm):
                return kind
    return None


def _first_clause(line: str) -> str:
    """A short quotable label for a section that starts inside a paragraph."""
    return re.split(r"[，。；,;.]", line, maxsplit=1)[0][:60]


def _to_sections(text: str, marks: list[tuple[int, str, str]]) -> list[Section]:
    """Contiguous sections from section-start marks; text before the first mark is front."""
    starts: dict[int, tuple[str, str]] = {}
    for offset, kind, heading in marks:
        starts[offset] = (kind, heading)  # two marks at one offset: the later one wins
    first = min(starts, default=len(text))
    if text[:first].strip():
        starts[0] = ("front", text[:first].strip().split("\n")[0].strip())
    elif first:
        starts[0] = starts.pop(first)
    offsets = sorted(starts)
    ends = offsets[1:] + [len(text)]
    return [Section(starts[s][0], s, e, starts[s][1]) for s, e in zip(offsets, ends)]


def annotate_sections(doc: Document) -> Document:
    """Set `doc.sections`, so later stages can keep to the plan part."""
    doc.sections = split_sections(doc.text, doc.year, doc.lang)
    return doc
