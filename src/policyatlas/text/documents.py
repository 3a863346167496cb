"""The `Document`: one text whose characters never change after loading.

Every later stage (sections, sentences, mentions, commitments, targets) is a span of
character offsets into `Document.text`, so any fact can be quoted back exactly.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

Level = Literal["national", "province", "prefecture"]
SectionKind = Literal["front", "review", "plan", "outlook", "glossary", "leftover"]

#: Sections whose statements are commitments of the region ("plans to support").
PLAN_KINDS: frozenset[str] = frozenset({"plan", "outlook"})


@dataclass(frozen=True)
class Section:
    """A labelled part of a document: `text[start:end]`; `heading` is where it starts."""

    kind: str
    start: int
    end: int
    heading: str = ""


@dataclass
class Document:
    """A loaded text plus what we know about it (level, region, year, title, source)."""

    text: str
    source: str
    title: str | None = None
    level: str | None = None
    adcode: str | None = None
    year: int | None = None
    lang: str = "zh"
    meta: dict[str, str] = field(default_factory=dict)
    sections: list[Section] = field(default_factory=list)

    @cached_property
    def id(self) -> str:
        """Content hash: rebuilding the same text never stores it twice (computed once: the text
        never changes after loading, and hashing a long text on every access dominated extraction)."""
        return content_id(self.text)

    def section_at(self, offset: int) -> Section | None:
        """The section containing a character offset (None before sections are known)."""
        for section in self.sections:
            if section.start <= offset < section.end:
                return section
        return None

    def section_range(self, kind: str) -> tuple[int, int] | None:
        """The [start, end) of the first section of a kind, for listings and tests."""
        for section in self.sections:
            if section.kind == kind:
                return (section.start, section.end)
        return None


def content_id(text: str) -> str:
    """A stable 16-hex-digit id for a text (sha256 prefix)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
