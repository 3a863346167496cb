"""Action verbs, strength levels and incidental-use cues, from `data/<lang>/actions.toml`."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources

import ahocorasick_rs

from ..text.boundaries import latin_bounded


@dataclass(frozen=True)
class Cue:
    """An action or strength cue at text[start:end] with its level rank (1–4)."""

    start: int
    end: int
    text: str
    rank: int


@dataclass(frozen=True)
class Lexicon:
    """Compiled cue tables for one language."""

    lang: str
    level_names: dict[int, str]
    level_labels: dict[int, str]
    cue_rank: dict[str, int]
    uptake: tuple[str, ...]
    production: tuple[str, ...]
    background: tuple[str, ...]
    negation: tuple[str, ...]
    background_patterns: tuple[re.Pattern[str], ...]
    automaton: ahocorasick_rs.AhoCorasick
    patterns: tuple[str, ...]

    def cues(self, text: str, start: int, end: int) -> list[Cue]:
        """Action/strength cues within text[start:end] (absolute offsets, text order)."""
        haystack = text[start:end]
        if self.lang == "en" and len(haystack.lower()) == len(haystack):  # offsets must not drift
            haystack = haystack.lower()
        found = []
        for index, s, e in self.automaton.find_matches_as_indexes(haystack):
            pattern = self.patterns[index]
            if self.lang == "en" and not latin_bounded(haystack, s, e):
                continue
            found.append(Cue(start + s, start + e, text[start + s:start + e], self.cue_rank[pattern]))
        return found

    def is_background(self, text: str) -> bool:
        """Whether a clause restates a past result (基本形成, 从…增加到…) rather than a plan."""
        return self.has_any(text, self.background) or any(p.search(text) for p in self.background_patterns)

    def has_any(self, text: str, phrases: tuple[str, ...]) -> bool:
        """Whether any phrase occurs in text (case-insensitive for English)."""
        if self.lang == "en":
            text = text.lower()
            return any(p.lower() in text for p in phrases)
        return any(p in text for p in phrases)


def parse_lexicon(data: dict, lang: str) -> Lexicon:
    """A Lexicon from the TOML structure; a cue listed at two levels keeps the higher."""
    cue_rank: dict[str, int] = {}
    names: dict[int, str] = {}
    labels: dict[int, str] = {}
    for level in data["level"]:
        names[int(level["rank"])] = level["name"]
        labels[int(level["rank"])] = level.get("label", level["name"])
        for cue in level["cues"]:
            key = cue.lower() if lang == "en" else cue
            cue_rank[key] = max(cue_rank.get(key, 0), int(level["rank"]))
    patterns = tuple(cue_rank)
    incidental = data.get("incidental", {})
    return Lexicon(
        lang=lang, level_names=names, level_labels=labels, cue_rank=cue_rank,
        uptake=tuple(incidental.get("uptake_cues", ())),
        production=tuple(incidental.get("production_cues", ())),
        background=tuple(incidental.get("background_cues", ())),
        negation=tuple(incidental.get("negation_cues", ())),
        background_patterns=tuple(re.compile(p) for p in incidental.get("background_patterns", ())),
        automaton=ahocorasick_rs.AhoCorasick(list(patterns), matchkind=ahocorasick_rs.MatchKind.LeftmostLongest),
        patterns=patterns,
    )


@cache
def lexicon(lang: str = "zh") -> Lexicon:
    """The packaged lexicon for a language ('zh' or 'en'), loaded once."""
    lang = "zh" if lang == "zh" else "en"
    raw = resources.files("policyatlas.data").joinpath(f"{lang}/actions.toml").read_text("utf-8")
    return parse_lexicon(tomllib.loads(raw), lang)


def strength_name(rank: int, lang: str = "zh") -> str:
    """How a reader of `lang` names a strength rank: 'exploring' … 'pillar' in English, 探索/培育/
    发展/支柱 in Chinese (each level's `label` in data/<lang>/actions.toml, else its `name`)."""
    return lexicon(lang).level_labels.get(rank, "unknown")
