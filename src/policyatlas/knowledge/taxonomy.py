"""The industry and instrument taxonomy, loaded from the editable `data/taxonomy.toml`."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from rapidfuzz import process


@dataclass(frozen=True)
class Industry:
    """One slug of the taxonomy: an industry, or a policy instrument (axis 'instrument')."""

    slug: str
    axis: str
    name_zh: str
    name_en: str
    sei_2018: str
    future_2024: str
    frontier: bool
    terms_zh: tuple[str, ...]
    terms_en: tuple[str, ...]
    exclude_zh: tuple[str, ...]
    exclude_en: tuple[str, ...]

    def terms(self, lang: str) -> tuple[str, ...]:
        return self.terms_zh if lang == "zh" else self.terms_en

    def excludes(self, lang: str) -> tuple[str, ...]:
        return self.exclude_zh if lang == "zh" else self.exclude_en


class UnknownSlug(LookupError):
    """A slug or term the taxonomy does not know; carries close matches for the error message."""

    def __init__(self, query: str, suggestions: list[str]):
        self.query = query
        self.suggestions = suggestions
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"unknown industry or instrument '{query}'{hint}")

    def __str__(self) -> str:
        return self.args[0]


@dataclass(frozen=True)
class Taxonomy:
    """All slugs plus the term → slugs index that the mention finder compiles."""

    version: str
    entries: dict[str, Industry]
    multi: dict[str, tuple[str, ...]]

    def get(self, slug: str) -> Industry:
        """The entry for a slug, or UnknownSlug with close matches."""
        try:
            return self.entries[slug]
        except KeyError:
            raise UnknownSlug(slug, self.suggest(slug)) from None

    def resolve(self, query: str) -> Industry:
        """A slug, a Chinese or English name, or any term of an entry."""
        query = query.strip()
        if query in self.entries:
            return self.entries[query]
        lowered = query.lower()
        for entry in self.entries.values():
            names = (entry.slug, entry.name_zh, entry.name_en.lower(), *entry.terms_zh, *(t.lower() for t in entry.terms_en))
            if query in names or lowered in names:
                return entry
        raise UnknownSlug(query, self.suggest(query))

    def matching(self, query: str) -> list[str]:
        """Slugs a search query names, so a search in English (or by slug) finds Chinese sentences.

        Entries whose slug, name or a term equals the query (case-insensitive) win; failing that, an
        English query matches entries whose English name or terms contain it as a whole word
        ("fusion" → nuclear-fusion, "robot" → robotics and humanoid-robots). A Chinese query only
        matches exactly: a literal search of the text already finds longer Chinese phrases.
        """
        query = query.strip().lower()
        if not query:
            return []
        exact = [e.slug for e in self.entries.values()
                 if query in (e.slug, e.name_zh, e.name_en.lower(), *e.terms_zh, *(t.lower() for t in e.terms_en))]
        if exact or _term_lang(query) == "zh":
            return exact
        word = re.compile(rf"(?<![a-z0-9]){re.escape(query)}(?![a-z0-9])")
        return [e.slug for e in self.entries.values()
                if any(word.search(x.lower()) for x in (e.slug, e.name_en, *e.terms_en))]

    def suggest(self, query: str, limit: int = 5) -> list[str]:
        """Close matches among slugs and names, for error messages."""
        choices = {e.slug: e.slug for e in self.entries.values()}
        choices.update({e.name_zh: e.slug for e in self.entries.values()})
        choices.update({e.name_en: e.slug for e in self.entries.values()})
        found = process.extract(query, list(choices), limit=limit * 2, score_cutoff=50)
        seen: list[str] = []
        for choice, _score, _ in found:
            slug = choices[choice]
            if slug not in seen:
                seen.append(slug)
        return seen[:limit]

    def rows(self, axis: str | None = None) -> list[dict]:
        """The taxonomy as plain rows (slug, axis, names, classification, terms), in file order:
        what `policyatlas industries` and /api/industries list."""
        return [{"slug": e.slug, "axis": e.axis, "name_zh": e.name_zh, "name_en": e.name_en, "frontier": e.frontier,
                 "future_2024": e.future_2024, "sei_2018": e.sei_2018,
                 "terms_zh": list(e.terms_zh), "terms_en": list(e.terms_en)}
                for e in self.entries.values() if axis is None or e.axis == axis]

    def slugs(self, axis: str | None = None) -> list[str]:
        """Slugs in file order, optionally of one axis."""
        return [s for s, e in self.entries.items() if axis is None or e.axis == axis]

    def term_index(self, lang: str) -> dict[str, tuple[str, ...]]:
        """term → slugs it names: every entry listing it, plus `[terms.multi]`."""
        index: dict[str, list[str]] = {}
        for entry in self.entries.values():
            for term in entry.terms(lang):
                index.setdefault(term, [])
                if entry.slug not in index[term]:
                    index[term].append(entry.slug)
        for term, slugs in self.multi.items():
            if term in index or _term_lang(term) == lang:
                merged = index.setdefault(term, [])
                merged.extend(s for s in slugs if s not in merged)
        return {term: tuple(slugs) for term, slugs in index.items()}

    def exclusions(self, lang: str) -> set[str]:
        return {phrase for entry in self.entries.values() for phrase in entry.excludes(lang)}


def _term_lang(term: str) -> str:
    return "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in term) else "en"


def parse_taxonomy(data: dict) -> Taxonomy:
    """A Taxonomy from the TOML structure (validated: unknown slugs in `multi` are errors)."""
    entries: dict[str, Industry] = {}
    for raw in data["entry"]:
        entry = Industry(
            slug=raw["slug"], axis=raw.get("axis", "industry"), name_zh=raw["name_zh"],
            name_en=raw["name_en"], sei_2018=str(raw.get("sei_2018", "")),
            future_2024=raw.get("future_2024", ""), frontier=bool(raw.get("frontier", False)),
            terms_zh=tuple(raw.get("terms_zh", ())), terms_en=tuple(raw.get("terms_en", ())),
            exclude_zh=tuple(raw.get("exclude_zh", ())), exclude_en=tuple(raw.get("exclude_en", ())),
        )
        if entry.slug in entries:
            raise ValueError(f"taxonomy: duplicate slug {entry.slug}")
        entries[entry.slug] = entry
    multi = {term: tuple(slugs) for term, slugs in data.get("terms", {}).get("multi", {}).items()}
    for term, slugs in multi.items():
        for slug in slugs:
            if slug not in entries:
                raise ValueError(f"taxonomy: term {term!r} names unknown slug {slug!r}")
    return Taxonomy(version=str(data["version"]), entries=entries, multi=multi)


@cache
def taxonomy(path: str | None = None) -> Taxonomy:
    """The taxonomy (the packaged file unless a path is given), loaded once."""
    if path:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    else:
        data = tomllib.loads(resources.files("policyatlas.data").joinpath("taxonomy.toml").read_text("utf-8"))
    return parse_taxonomy(data)
