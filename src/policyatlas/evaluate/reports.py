"""Quality as a number: precision, recall and F1 of the atlas against a labelled gold set.

The gold set (`../shared/gold/dev_plan_labels.tsv`) labels region × year × slug decisions.
Label overrides we are sure of live in `eval/label_overrides.tsv` with their reasons and are
applied on top, never silently. The same scorer rates the keyword-count baseline.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

Key = tuple[int, str, str]  # (year, adcode, slug)

#: The repository's overrides (an installed package falls back to ./eval/ of the working directory).
DEFAULT_OVERRIDES = next(
    (p for p in (Path(__file__).resolve().parents[3] / "eval" / "label_overrides.tsv",
                 Path("eval") / "label_overrides.tsv") if p.exists()),
    Path("eval") / "label_overrides.tsv",
)


@dataclass
class GoldRow:
    year: int
    adcode: str
    region: str
    slug: str
    label: int
    evidence: str
    note: str
    overridden: str = ""


@dataclass
class Score:
    """Counts and rates; `rows` keeps every decision for the error listing."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, gold: int, predicted: bool) -> None:
        if gold and predicted:
            self.tp += 1
        elif gold:
            self.fn += 1
        elif predicted:
            self.fp += 1
        else:
            self.tn += 1

    def as_dict(self) -> dict:
        return {"precision": round(self.precision, 4), "recall": round(self.recall, 4), "f1": round(self.f1, 4),
                "tp": self.tp, "fp": self.fp, "fn": self.fn, "tn": self.tn}


@dataclass
class Evaluation:
    overall: Score
    by_slug: dict[str, Score]
    by_region: dict[str, Score]
    errors: list[dict] = field(default_factory=list)
    overrides: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "overall": self.overall.as_dict(),
            "by_slug": {k: v.as_dict() for k, v in sorted(self.by_slug.items())},
            "by_region": {k: v.as_dict() for k, v in sorted(self.by_region.items())},
            "errors": self.errors,
            "overrides": self.overrides,
        }


def read_gold(path: str | Path, overrides: str | Path | None = DEFAULT_OVERRIDES) -> list[GoldRow]:
    """Gold labels with our recorded overrides applied (each keeps the reason)."""
    with open(path, encoding="utf-8") as fh:
        rows = [GoldRow(int(r["year"]), r["adcode"], r["region"], r["slug"], int(r["label"]),
                        r.get("evidence", ""), r.get("note", ""))
                for r in csv.DictReader(fh, delimiter="\t")]
    if overrides and Path(overrides).exists():
        with open(overrides, encoding="utf-8") as fh:
            fixes = {(int(r["year"]), r["adcode"], r["slug"]): r
                     for r in csv.DictReader((l for l in fh if not l.startswith("#")), delimiter="\t")}
        for row in rows:
            fix = fixes.get((row.year, row.adcode, row.slug))
            if fix:
                row.overridden = f"{row.label}→{fix['label']}: {fix['reason']}"
                row.label = int(fix["label"])
    return rows


def score(gold: list[GoldRow], predicted: set[Key], explain: dict[Key, str] | None = None) -> Evaluation:
    """Score predicted (year, adcode, slug) keys against gold rows (only gold rows are judged)."""
    explain = explain or {}
    result = Evaluation(Score(), {}, {})
    for row in gold:
        key = (row.year, row.adcode, row.slug)
        hit = key in predicted
        result.overall.add(row.label, hit)
        result.by_slug.setdefault(row.slug, Score()).add(row.label, hit)
        result.by_region.setdefault(f"{row.year} {row.region}", Score()).add(row.label, hit)
        if bool(row.label) != hit:
            result.errors.append({
                "kind": "false_negative" if row.label else "false_positive",
                "year": row.year, "adcode": row.adcode, "region": row.region, "slug": row.slug,
                "gold_evidence": row.evidence, "gold_note": row.note,
                "sentence": explain.get(key, ""),
            })
        if row.overridden:
            result.overrides.append({"year": row.year, "adcode": row.adcode, "slug": row.slug, "override": row.overridden})
    return result


def atlas_predictions(atlas, gold: list[GoldRow]) -> tuple[set[Key], dict[Key, str]]:
    """Keys the atlas commits to, and for every gold key a sentence that explains our decision."""
    years = sorted({g.year for g in gold})
    frame = atlas.frame(
        "SELECT year, adcode, slug, committed, section, reason, sentence FROM commitments "
        "WHERE year IN (SELECT UNNEST(?)) ORDER BY start", [years])
    predicted: set[Key] = set()
    explain: dict[Key, str] = {}
    for row in frame.itertuples(index=False):
        key = (int(row.year), row.adcode, row.slug)
        if row.committed and key not in predicted:
            predicted.add(key)
            explain[key] = row.sentence  # the first committing sentence explains a hit
        elif not row.committed:
            explain.setdefault(key, f"[not committed: {row.reason}] {row.sentence}")
    return predicted, explain


def _plan_text(doc: dict) -> str:
    from ..text.documents import PLAN_KINDS

    return "".join(doc["text"][s["start"]:s["end"]] for s in doc["sections"] if s["kind"] in PLAN_KINDS)


def _reports(atlas, wanted: set[tuple[int, str]]) -> Iterator[dict]:
    """The stored documents (with text and sections) of the wanted (year, adcode) reports."""
    for doc in atlas.documents():
        if (doc["year"], doc["adcode"]) in wanted:
            yield atlas.document(doc["id"])


def baseline_predictions(atlas, gold: list[GoldRow], counter=None, plan_only: bool = False) -> set[Key]:
    """The keyword-count method: jieba tokens of the whole report matched against the terms."""
    from .baseline import KeywordCounter

    counter = counter or KeywordCounter()
    predicted: set[Key] = set()
    for doc in _reports(atlas, {(g.year, g.adcode) for g in gold}):
        text = _plan_text(doc) if plan_only else doc["text"]
        predicted.update((doc["year"], doc["adcode"], slug) for slug in counter.slugs_in(text))
    return predicted


def gold_kind(path: str | Path) -> str:
    """'labels' or 'targets', from the gold file's header."""
    with open(path, encoding="utf-8") as fh:
        header = fh.readline().rstrip("\n").split("\t")
    if {"slug", "label"} <= set(header):
        return "labels"
    if {"clause", "value", "unit", "modifier"} <= set(header):
        return "targets"
    raise ValueError(f"{path}: not a gold file (expected columns slug,label or clause,value,unit,modifier)")


def evaluate_labels(atlas, path: str | Path, baseline: bool = False,
                    overrides: str | Path | None = DEFAULT_OVERRIDES) -> dict:
    """The full evaluation of the atlas (and optionally the baseline) against a labels file."""
    gold = read_gold(path, overrides)
    predicted, explain = atlas_predictions(atlas, gold)
    result = {"gold": str(path), "rows": len(gold), "positives": sum(g.label for g in gold),
              "atlas": score(gold, predicted, explain).as_dict()}
    if baseline:
        from .baseline import KeywordCounter

        counter = KeywordCounter()  # one jieba dictionary for both variants
        result["baseline"] = score(gold, baseline_predictions(atlas, gold, counter)).as_dict()
        result["baseline_plan_only"] = score(gold, baseline_predictions(atlas, gold, counter, plan_only=True)).as_dict()
    return result


def read_gold_targets(path: str | Path) -> list[dict]:
    """Gold numeric targets (year, adcode, clause, value, unit, modifier, deadline, slug)."""
    with open(path, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    for row in rows:
        row["year"] = int(row["year"])
        row["value"] = float(row["value"])
        row["deadline"] = int(row["deadline"]) if row.get("deadline") else None
    return rows


def predicted_targets(atlas, reports: Iterable[tuple[int, str]]) -> list[dict]:
    """Every numeric target our extractor finds in the plan parts of the given reports."""
    from ..text.documents import PLAN_KINDS
    from ..extract.targets import extract_targets

    out: list[dict] = []
    for doc in _reports(atlas, set(reports)):
        for section in doc["sections"]:
            if section["kind"] not in PLAN_KINDS:
                continue
            for t in extract_targets(doc["text"], section["start"], section["end"], doc["year"], doc["lang"],
                                     five_year=section["kind"] == "outlook"):
                item = dict(t.__dict__)
                item.update(year=doc["year"], adcode=doc["adcode"], doc=doc["id"],
                            clause=doc["text"][t.clause_start:t.clause_end])
                out.append(item)
    return out


def evaluate_targets(atlas, path: str | Path) -> dict:
    """Precision/recall of numeric-target extraction against a gold targets file."""
    from ..extract.targets import score_targets

    gold = read_gold_targets(path)
    predicted = predicted_targets(atlas, {(g["year"], g["adcode"]) for g in gold})
    result = score_targets(predicted, gold)
    return {"gold": str(path), "rows": len(gold), "targets": result}
