"""Quality on news: per-file (province, slug) pairs against an answer key with distractors.

A news gold folder (`../shared/gold/news_dev`) holds excerpts `en/NN.txt`, `zh/NN.txt` and
three tables: `sources.tsv` (file, lang, …, report_year), `answer_key.tsv` (file,
region_adcode, slug, evidence, note) and `distractors.tsv` (pairs a careless tool would emit).
Scoring is strict and per file: a committed fact counts as its province-level region × slug;
a fact without a region finds nothing, and a city's or the nation's fact is no province
pair. Every pair predicted and not in the key is a false positive; those the distractor table
lists are also named as distractors hit. The year is checked apart from F1: a file whose committed
facts carry any year other than `sources.tsv`'s `report_year` (None included) counts in
`files_with_wrong_year` and is listed among the errors as a "wrong year".
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..extract.facts import facts_from_document
from ..ingest.sources import LoadError, load_path
from ..knowledge.regions import gazetteer
from .reports import Score

Pair = tuple[str, str]  # (province adcode, slug)
Extractor = Callable[[Path, dict[str, str]], list[dict]]


@dataclass
class FileResult:
    """What one news file scored: the pairs found, missed and wrongly emitted."""

    file: str
    lang: str
    gold: set[Pair]
    predicted: set[Pair]
    distractors: set[Pair]
    evidence: dict[Pair, str] = field(default_factory=dict)
    expected_year: int | None = None
    years: set[int | None] = field(default_factory=set)

    @property
    def wrong_year(self) -> bool:
        """Whether some committed fact carries a year other than the report's (None counts)."""
        return self.expected_year is not None and any(y != self.expected_year for y in self.years)

    @property
    def misses(self) -> set[Pair]:
        return self.gold - self.predicted

    @property
    def false_positives(self) -> set[Pair]:
        return self.predicted - self.gold

    @property
    def distractors_hit(self) -> set[Pair]:
        return self.predicted & self.distractors


def is_news_gold(path: Path) -> bool:
    """Whether a path is a news gold folder (an answer key beside the excerpts)."""
    return path.is_dir() and (path / "answer_key.tsv").exists()


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle, delimiter="\t")]


def _pairs(rows: Iterable[dict[str, str]]) -> dict[str, set[Pair]]:
    by_file: dict[str, set[Pair]] = {}
    for row in rows:
        by_file.setdefault(row["file"], set()).add((row["region_adcode"], row["slug"]))
    return by_file


def extract_file(path: Path, overrides: dict[str, str]) -> list[dict]:
    """Committed facts of one file, as `policyatlas extract FILE --json` prints them."""
    facts: list[dict] = []
    for item in load_path(str(path), overrides):
        if isinstance(item, LoadError):
            raise ValueError(f"{path}: {item}")
        facts.extend(facts_from_document(item))
    return facts


def province_pairs(facts: Iterable[dict]) -> dict[Pair, str]:
    """(province adcode, slug) of every committed province-level fact, with its first evidence."""
    found: dict[Pair, str] = {}
    for fact in facts:
        region = fact.get("region")
        if not fact.get("committed", True) or not region:
            continue
        if gazetteer().get(region["adcode"]).level != "province":
            continue
        found.setdefault((region["adcode"], fact["slug"]), fact["sentence"])
    return found


def score_files(gold_dir: Path, extractor: Extractor = extract_file) -> list[FileResult]:
    """Score every file that `sources.tsv` lists (else every file with an answer-key row)."""
    gold = _pairs(_rows(gold_dir / "answer_key.tsv"))
    distractors = _pairs(_rows(gold_dir / "distractors.tsv"))
    sources = _rows(gold_dir / "sources.tsv") or [{"file": f} for f in sorted(gold)]
    results = []
    for source in sources:
        name = source["file"]
        # no metadata is passed: the year and regions must come from the text itself
        facts = extractor(gold_dir / name, {})
        found = province_pairs(facts)
        lang = source.get("lang") or name.split("/", 1)[0]
        expected_year = int(source["report_year"]) if source.get("report_year", "").isdigit() else None
        years = {f.get("year") for f in facts if f.get("committed", True)}
        results.append(FileResult(name, lang, gold.get(name, set()), set(found), distractors.get(name, set()),
                                  found, expected_year, years))
    return results


def summarize(results: list[FileResult]) -> dict:
    """Overall and per-language P/R/F1 plus every miss, false positive and distractor hit."""
    def score(subset: list[FileResult]) -> dict:
        s = Score()
        for r in subset:
            s.tp += len(r.gold & r.predicted)
            s.fp += len(r.false_positives)
            s.fn += len(r.misses)
        out = s.as_dict()
        out.pop("tn")
        out["distractors_hit"] = sum(len(r.distractors_hit) for r in subset)
        out["files"] = len(subset)
        out["files_with_wrong_year"] = sum(r.wrong_year for r in subset)
        return out

    names = {code: gazetteer().get(code).name_en for r in results for code, _ in r.gold | r.predicted}
    listing = []
    for r in results:
        for kind, pairs in (("miss", r.misses), ("false positive", r.false_positives)):
            for code, slug in sorted(pairs):
                listing.append({"file": r.file, "kind": kind, "adcode": code, "region": names[code], "slug": slug,
                                "distractor": (code, slug) in r.distractors, "sentence": r.evidence.get((code, slug), "")})
        if r.wrong_year:
            found = ", ".join(str(y) for y in sorted(r.years, key=lambda y: (y is None, y or 0)))
            listing.append({"file": r.file, "kind": "wrong year", "adcode": "", "region": "", "slug": "",
                            "distractor": False, "sentence": f"report year {r.expected_year}; facts carry {found}"})
    langs = sorted({r.lang for r in results})
    return {
        "overall": score(results),
        "by_lang": {lang: score([r for r in results if r.lang == lang]) for lang in langs},
        "errors": listing,
    }


def evaluate_news(gold_dir: Path, extractor: Extractor = extract_file) -> dict:
    """The news evaluation of a gold folder, as a JSON-ready dict."""
    result = summarize(score_files(gold_dir, extractor))
    result["gold"] = str(gold_dir)
    return result
