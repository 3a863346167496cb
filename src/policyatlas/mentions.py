"""Mentions: every place a taxonomy term occurs, found in one Aho-Corasick pass.

All terms and exclusion phrases of a language go into one automaton matched leftmost-longest,
so 人形机器人 beats 机器人 and an exclusion (抽水蓄能, 量子城市) that covers a term silences it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import ahocorasick_rs

from .taxonomy import Taxonomy, taxonomy


@dataclass(frozen=True)
class Mention:
    """A term naming one slug at text[start:end]."""

    start: int
    end: int
    term: str
    slug: str
    axis: str


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch == "_")


class MentionFinder:
    """Compiled matcher for one language; immutable, safe to share between workers."""

    def __init__(self, tax: Taxonomy, lang: str):
        self.lang = lang
        self.index = tax.term_index(lang)
        axes = {slug: entry.axis for slug, entry in tax.entries.items()}
        self.axes = axes
        excluded = tax.exclusions(lang) - set(self.index)
        patterns = list(self.index) + sorted(excluded)
        self.casefold = lang == "en"
        if self.casefold:
            lowered = [p.lower() for p in patterns]
            # keep the first pattern of each lowered form (terms come before exclusions)
            seen: dict[str, int] = {}
            for i, p in enumerate(lowered):
                seen.setdefault(p, i)
            self.patterns = [patterns[i] for i in sorted(seen.values())]
            keys = [p.lower() for p in self.patterns]
        else:
            self.patterns = patterns
            keys = patterns
        self.automaton = ahocorasick_rs.AhoCorasick(keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest)

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        """Mentions inside text[start:end], with absolute offsets, in text order."""
        end = len(text) if end is None else end
        haystack = text[start:end]
        if self.casefold:
            lowered = haystack.lower()
            haystack = lowered if len(lowered) == len(haystack) else haystack
        found: list[Mention] = []
        for index, s, e in self.automaton.find_matches_as_indexes(haystack):
            term = self.patterns[index]
            slugs = self.index.get(term)
            if not slugs:
                continue  # an exclusion phrase won here
            if term.isascii() and not self._bounded(haystack, s, e):
                continue
            for slug in slugs:
                found.append(Mention(start + s, start + e, text[start + s:start + e], slug, self.axes[slug]))
        return found

    @staticmethod
    def _bounded(haystack: str, s: int, e: int) -> bool:
        """ASCII terms (AI, 6G, EV, chip) must not sit inside a longer Latin word or number."""
        before = haystack[s - 1] if s > 0 else " "
        after = haystack[e] if e < len(haystack) else " "
        term = haystack[s:e]
        if _is_word_char(term[0]) and _is_word_char(before):
            return False
        if _is_word_char(term[-1]) and _is_word_char(after):
            return False
        return True


@cache
def finder(lang: str = "zh") -> MentionFinder:
    """The mention finder for a language over the packaged taxonomy, compiled once."""
    return MentionFinder(taxonomy(), "zh" if lang == "zh" else "en")
