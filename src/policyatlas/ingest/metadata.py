"""Infer a document's language, title, year, region and level from its content and file name.

Explicit values (tabular columns, CLI options) always win; inference only fills gaps.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from functools import cache, lru_cache
from importlib import resources
from pathlib import PurePath

import cn2an

from ..text.documents import Document
from ..knowledge.regions import gazetteer

_YEAR = re.compile(r"(?<!\d)((?:19[5-9]|20[0-9])\d)(?:年|_|\s|-|(?!\d))")
_STATED_YEAR = re.compile(r"(?<!\d)((?:19[5-9]|20[0-9])\d)年")
_EN_DATE = re.compile(r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? \d{1,2}, ((?:19|20)\d\d)\b")
_MEETING_YEAR = re.compile(r"——\s*((?:19|20)\d\d)年\d{1,2}月")
_RESOLUTION_YEAR = re.compile(r"同意报告提出的((?:19|20)\d\d)年")
_NATIONAL_CUES = ("国务院", "全国人民代表大会", "中华人民共和国政府工作报告", "State Council", "Premier")
_REPORT_TITLE = re.compile(r"报告|决议|report|resolution", re.I)
_EN_REPORT = re.compile(r"report on the work of the (?:provincial |municipal )?government|government work report", re.I)
_CN_NUMERAL_YEAR = str.maketrans("〇一二三四五六七八九", "0123456789")
_NPC_MEETING = re.compile(r"第([一二三四五六七八九十]+)届全国人民代表大会第([一二三四五六七八九十]+)次会议")


@cache
def _npc_sessions() -> dict:
    raw = resources.files("policyatlas.data").joinpath("zh/npc_sessions.toml").read_text("utf-8")
    return tomllib.loads(raw)


def npc_meeting_year(title: str) -> int | None:
    """The year of an NPC meeting named in a title (第十四届全国人民代表大会第三次会议 → 2025)."""
    match = _NPC_MEETING.search(title)
    if not match:
        return None
    congress, meeting = (int(cn2an.cn2an(g, "strict")) for g in match.groups())
    sessions = _npc_sessions()
    exception = sessions["exceptions"].get(f"{congress}-{meeting}")
    if exception:
        return int(exception)
    first = sessions["first_year"].get(str(congress))
    return int(first) + meeting - 1 if first else None


_CJK = re.compile("[\u4e00-\u9fff]")
_LATIN = re.compile("[A-Za-z]")


def detect_lang(text: str) -> str:
    """'zh' when CJK characters make up a real share of the letters, else 'en'."""
    sample = text[:5000]
    cjk = len(_CJK.findall(sample))
    latin = len(_LATIN.findall(sample))
    return "zh" if cjk * 3 >= latin else "en"


def guess_title(text: str) -> str | None:
    """The first short line that looks like a title."""
    for line in text.split("\n")[:15]:
        line = line.strip()
        if 4 <= len(line) <= 80 and not line.startswith(("——", "各位代表")):
            return line
    return None


def guess_year(*candidates: str, strict: bool = False) -> int | None:
    """The first plausible year stated in the candidates (titles, file names, opening lines).

    `strict` (for running text) accepts only stated dates — 2026年, a meeting dateline, an
    English date — never a bare four-digit number, which in prose is usually a quantity.
    """
    patterns = (_RESOLUTION_YEAR, _MEETING_YEAR) + ((_STATED_YEAR, _EN_DATE) if strict else (_YEAR,))
    for candidate in candidates:
        if not candidate:
            continue
        normal = unicodedata.normalize("NFKC", candidate)
        for pattern in patterns:
            match = pattern.search(normal)
            if match:
                return int(match.group(1))
        cn = re.search(r"([〇一二三四五六七八九]{4})年", normal)
        if cn:
            return int(cn.group(1).translate(_CN_NUMERAL_YEAR))
    return None


def guess_region(*candidates: str) -> tuple[str | None, str | None]:
    """(adcode, level) of the single region a title, file name or opening names first."""
    for candidate in candidates:
        if not candidate:
            continue
        if any(cue in candidate for cue in _NATIONAL_CUES):
            return gazetteer().national.adcode, "national"
        for mention in gazetteer().find(candidate):
            if mention.region is not None and mention.region.level != "national":
                return mention.region.adcode, mention.region.level
    return None, None


@lru_cache(maxsize=256)
def _stem(path: str) -> str:
    """A file's name without its extension (cached: every row of a table asks for it)."""
    return PurePath(path).stem


#: Years a stated year may take (the PRC's first to a planning horizon); others are dropped with a note.
YEAR_RANGE = (1949, 2100)


def stated_year(value: object) -> tuple[int | None, str | None]:
    """A stated year as an int, or None and why it was dropped ('inf', '1e30', '二〇二五' ≠ a year)."""
    if value in (None, ""):
        return None, None
    raw = str(value).strip()[:40]
    try:
        number = float(raw)
    except ValueError:
        return None, f"stated year {raw!r} is not a number (dropped)"
    if number != number or number in (float("inf"), float("-inf")) or number != int(number):
        return None, f"stated year {raw!r} is not a whole number (dropped)"
    year = int(number)
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        return None, f"stated year {raw!r} is outside {YEAR_RANGE[0]}–{YEAR_RANGE[1]} (dropped)"
    return year, None


def infer_metadata(text: str, source: str, meta: dict[str, str]) -> Document:
    """A `Document` with every field that the metadata states or the content reveals."""
    lang = meta.get("lang") or detect_lang(text)
    title = meta.get("title") or guess_title(text)
    filename = _stem(source.split("#", 1)[0])
    opening = text[:400]

    year, note = stated_year(meta.get("year"))
    if year is None:
        named = title if title and _REPORT_TITLE.search(title) else ""
        year = (npc_meeting_year(title or "") or guess_year(named, filename)
                or guess_year(title or "", opening, text[:3000], strict=True))

    adcode, level = None, meta.get("level") or None
    if meta.get("region"):  # stated explicitly: it must resolve (UnknownRegion names close matches)
        region = gazetteer().resolve(meta["region"])
        adcode, level = region.adcode, level or region.level
    if adcode is None and (lang == "zh" or _EN_REPORT.search(title or "")):
        # an English headline naming a province is news about it, not that province's own report
        adcode, guessed_level = guess_region(title or "", filename, opening if lang == "zh" else "")
        level = level or guessed_level

    kept = {k: v for k, v in meta.items() if k in ("url", "date") and v}
    if note:
        kept["year_note"] = note
    return Document(
        text=text, source=source, title=title, level=level, adcode=adcode,
        year=year, lang=lang, meta=kept,
    )
