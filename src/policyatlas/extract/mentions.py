"""Mentions: every place a taxonomy term occurs, found in one Aho-Corasick pass.

All terms and exclusion phrases of a language go into one automaton matched leftmost-longest,
so 人形机器人 beats 机器人 and an exclusion (抽水蓄能, 量子城市) that covers a term silences it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import ahocorasick_rs

from ..text.boundaries import latin_bounded
from ..knowledge.taxonomy import Taxonomy, taxonomy


@dataclass(frozen=True)
class Mention:
    """A term naming one slug at text[start:end]."""

    start: int
    end: int
    term: str
    slug: str
    axis: str


class MentionFinder:
    """Compiled matcher for one language; immutable, safe to share between workers."""

    def __init__(self, tax: Taxonomy, lang: str):
        self.lang = lang
        self.casefold = lang == "en"
        key = (lambda p: p.lower()) if self.casefold else (lambda p: p)
        self.axes = {slug: entry.axis for slug, entry in tax.entries.items()}
        self.index = {key(term): slugs for term, slugs in reversed(list(tax.term_index(lang).items()))}
        # an exclusion phrase silences only the slugs that list it (抽水蓄能 is not storage, but
        # it may still name another slug's term)
        self.owners: dict[str, set[str]] = {}
        for entry in tax.entries.values():
            for phrase in entry.excludes(lang):
                if key(phrase) not in self.index:
                    self.owners.setdefault(key(phrase), set()).add(entry.slug)
        self.patterns = list(self.index) + sorted(self.owners)
        kind = ahocorasick_rs.MatchKind.LeftmostLongest
        self.automaton = ahocorasick_rs.AhoCorasick(self.patterns, matchkind=kind)
        self.terms_only = ahocorasick_rs.AhoCorasick(list(self.index), matchkind=kind)

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[Mention]:
        """Mentions inside text[start:end], with absolute offsets, in text order."""
        end = len(text) if end is None else end
        haystack = text[start:end]
        if self.casefold:
            lowered = haystack.lower()
            haystack = lowered if len(lowered) == len(haystack) else haystack
        found: list[Mention] = []
        for index, s, e in self.automaton.find_matches_as_indexes(haystack):
            pattern = self.patterns[index]
            if pattern in self.owners:  # an exclusion phrase won: look inside it for other slugs' terms
                hits = [(self.index[self.patterns[i]], s + a, s + b) for i, a, b in self.terms_only.find_matches_as_indexes(haystack[s:e])]
                hits = [(tuple(x for x in slugs if x not in self.owners[pattern]), a, b) for slugs, a, b in hits]
            else:
                hits = [(self.index[pattern], s, e)]
            for slugs, a, b in hits:
                if not slugs or (haystack[a:b].isascii() and not latin_bounded(haystack, a, b)):
                    continue
                for slug in slugs:
                    found.append(Mention(start + a, start + b, text[start + a:start + b], slug, self.axes[slug]))
        return found



@cache
def finder(lang: str = "zh") -> MentionFinder:
    """The mention finder for a language over the packaged taxonomy, compiled once."""
    return MentionFinder(taxonomy(), "zh" if lang == "zh" else "en")
