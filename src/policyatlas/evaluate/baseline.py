"""The keyword-count baseline used by most published studies, kept for comparison.

jieba segments the report; a slug counts when any of its Chinese terms appears as a token
(terms are added to jieba's dictionary so they segment whole). No sections, no context.
"""

from __future__ import annotations

import logging

import jieba

from ..knowledge.taxonomy import taxonomy


class KeywordCounter:
    """Term dictionary + jieba: the whole method in two lines of `slugs_in`."""

    def __init__(self) -> None:
        jieba.setLogLevel(logging.WARNING)
        self.tokenizer = jieba.Tokenizer()
        self.index = taxonomy().term_index("zh")
        for term in self.index:
            self.tokenizer.add_word(term, freq=100000)

    def counts(self, text: str) -> dict[str, int]:
        """How many times each slug's terms occur as tokens."""
        found: dict[str, int] = {}
        for token in self.tokenizer.cut(text):
            for slug in self.index.get(token, ()):
                found[slug] = found.get(slug, 0) + 1
        return found

    def slugs_in(self, text: str) -> set[str]:
        return set(self.counts(text))
