"""Numeric targets: phrase-level rules, then precision/recall on the development gold."""

from __future__ import annotations

import csv
import dataclasses
import re
from pathlib import Path

import pytest

from policyatlas.extract.targets import Target, extract_targets, score_targets

SHARED = Path(__file__).resolve().parents[2] / "shared"
GOLD = SHARED / "gold"
CORPUS = SHARED / "corpus" / "provincial"
OVERRIDES = Path(__file__).resolve().parents[1] / "eval" / "target_overrides.tsv"


def targets(phrase: str, year: int | None = 2025, lang: str = "zh", five_year: bool = False) -> list[tuple]:
    found = extract_targets(phrase, 0, len(phrase), year, lang=lang, five_year=five_year)
    return [(t.value, t.unit, t.modifier, t.deadline) for t in found]


@pytest.mark.parametrize(("phrase", "expected"), [
    ("建成2个万卡智算集群", (2, "个", "exact", 2025)),
    ("产值达1600亿元", (1600, "亿元", "exact", 2025)),
    ("出口增长20%以上", (20, "%", "at_least", 2025)),
    ("外调绿电规模力争达到400亿千瓦时", (400, "亿千瓦时", "strive", 2025)),
    ("力争新增科技贷款1000亿元以上", (1000, "亿元", "at_least", 2025)),
    ("到2030年，产业规模突破1万亿元", (1, "万亿元", "exceed", 2030)),
    ("城镇调查失业率控制在3%以内", (3, "%", "at_most", 2025)),
    ("建设约50个示范基地", (50, "个", "about", 2025)),
    ("建设示范基地50个左右", (50, "个", "about", 2025)),
    ("建设十个产业园", (10, "个", "exact", 2025)),
    ("打造两个产业园", (2, "个", "exact", 2025)),
    ("生物医药等九大专项攻关行动", (9, "个", "exact", 2025)),
    ("规模以上工业增加值增长6%左右", (6, "%", "about", 2025)),
    ("推动超1万家工业企业开展技术改造", (1, "万家", "exceed", 2025)),
    ("持续将1/3以上的专项资金投向基础研究", (0.3333, "fraction", "at_least", 2025)),
    ("新增智能算力1.7万P", (1.7, "万P", "exact", 2025)),
    ("完成3800万平方米建筑智能化供热改造", (3800, "万平方米", "exact", 2025)),
    ("新培育企业１２０家", (120, "家", "exact", 2025)),
    ("承接成果不少于300项", (300, "项", "at_least", 2025)),
    ("新增护理型床位超过1000张", (1000, "张", "exceed", 2025)),
    ("省级财政五年统筹投入100亿元支持旅游产业发展", (100, "亿元", "exact", None)),
])
def test_phrase(phrase: str, expected: tuple) -> None:
    assert targets(phrase) == [expected]


def test_text_and_offsets_point_into_the_document() -> None:
    doc = "前言。\n今年要建成2个万卡智算集群，新增1000家企业。"
    start = doc.index("今年")
    found = extract_targets(doc, start, len(doc), 2025)
    assert [t.text for t in found] == ["2个", "1000家"]
    assert all(doc[t.start:t.end] == t.text for t in found)
    first = found[0]
    assert doc[first.clause_start:first.clause_end].startswith("今年要建成2个万卡智算集群")
    assert isinstance(first, Target) and first.clause_end <= found[1].clause_start


def test_two_targets_in_one_clause_keep_their_own_qualifiers() -> None:
    assert targets("新培育智能工厂200家、省级绿色工厂200家以上") == [
        (200, "家", "exact", 2025), (200, "家", "at_least", 2025)]


def test_five_year_outlook_has_a_stated_deadline_or_none() -> None:
    outlook = "大力发展生物医药和高端医疗器械等十大新兴产业"
    assert targets(outlook, 2026, five_year=True) == [(10, "个", "exact", None)]
    assert targets("到2030年，新增企业500家", 2026, five_year=True) == [(500, "家", "exact", 2030)]


def test_range_keeps_its_floor() -> None:
    assert targets("地区生产总值增长5%—5.5%") == [(5, "%", "at_least", 2025)]


@pytest.mark.parametrize("phrase", [
    "2025年是“十四五”规划收官之年",         # years, 十四五
    "编制“十五五”规划",
    "办好第15届全运会",                        # ordinal
    "（三）加快建设现代化产业体系，一是发展新材料", # list markers
    "1.“岳山造林”",
    "推动5G网络覆盖，建设8.6代显示面板产线",    # model numbers
    "深刻领悟“两个确立”的决定性意义，坚决做到“两个维护”",  # slogans
    "加强“四个中心”功能建设，坚持“五子”联动",
    "承接三大科学城成果",                      # a name, not a count (no 等)
    "充分用好两个市场、两种资源",
    "重点抓好以下十二个方面",
    "大力实施“3个100”市重点工程",               # quoted name
    "采购H20芯片",                             # numbers inside Latin words
    "落实中央八项规定精神",
    "3个月内完成审批",                          # a duration
    "去年新增企业300家",                        # past result
])
def test_non_targets(phrase: str) -> None:
    assert targets(phrase) == []


@pytest.mark.parametrize(("phrase", "expected"), [
    ("exports will grow by at least 20 percent", (20, "percent", "at_least", 2025)),
    ("support more than 1,000 enterprises", (1000, "enterprises", "exceed", 2025)),
    ("GDP growth of about 6%", (6, "%", "about", 2025)),
    ("build 2 10,000-card computing clusters", (2, "clusters", "exact", 2025)),
    ("invest 100 billion yuan in the industry by 2030", (100, "billion yuan", "exact", 2030)),
    ("strive to bring in 40 billion kWh of green power", (40, "billion kWh", "strive", 2025)),
    ("cultivate 30 clusters or more", (30, "clusters", "at_least", 2025)),
])
def test_english(phrase: str, expected: tuple) -> None:
    assert targets(phrase, lang="en") == [expected]


def test_english_non_targets() -> None:
    assert targets("In 2025 new energy vehicles and 5G networks will grow", lang="en") == []


def test_score_counts_precision_only_over_gold_covered_clauses() -> None:
    def pred(value: float, start: int, clause: tuple[int, int]) -> dict:
        return {"year": 2025, "adcode": "110000", "value": value, "unit": "项", "modifier": "exact",
                "deadline": 2025, "start": start, "end": start + 4,
                "clause_start": clause[0], "clause_end": clause[1]}

    gold = [
        {"year": "2025", "adcode": "110000", "value": "100", "unit": "项", "modifier": "exact",
         "deadline": "2025", "clause": "推进100项在建重大项目", "clause_start": 0, "clause_end": 12},
        {"year": "2025", "adcode": "110000", "value": "100", "unit": "项", "modifier": "exact",
         "deadline": "2025", "clause": "100项重点招商项目", "clause_start": 13, "clause_end": 23},
        {"year": "2025", "adcode": "110000", "value": "7", "unit": "项", "modifier": "exact",
         "deadline": "", "clause": "7项", "clause_start": 50, "clause_end": 52},
    ]
    predicted = [pred(100, 2, (0, 24)), pred(100, 13, (0, 24)), pred(5, 30, (25, 40))]
    score = score_targets(predicted, gold)
    assert score["precision"] == 1.0           # the 5-item in an uncovered clause is not counted
    assert score["recall"] == pytest.approx(2 / 3)
    assert [g["clause"] for g in score["false_negatives"]] == ["7项"]
    assert score["false_positives"] == []


# --- the development gold --------------------------------------------------------------

REPORTS = {  # (year, adcode): file
    (2025, "110000"): CORPUS / "2025" / "2025年北京市政府工作报告.docx",
    (2025, "440000"): CORPUS / "2025" / "2025年广东省政府工作报告.docx",
    (2026, "340000"): CORPUS / "2026" / "2026_安徽省_政府工作报告.csv",
}


def read_text(path: Path) -> str:
    if path.suffix == ".docx":
        import docx

        return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    csv.field_size_limit(10**8)
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return next(csv.DictReader(fh))["full_text"]


def read_tsv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def plan_parts(text: str, year: int, heading: str, plan_end: str) -> list[tuple[int, int, bool]]:
    """(start, end, five_year) spans of the plan part: a five-year outlook runs up to the
    heading of this year's tasks ("三、2026年重点工作"), which starts the annual part."""
    start = text.index(heading)
    end = len(text) if plan_end == "end of text" else text.index(plan_end, start)
    if "十五五" not in heading:
        return [(start, end, False)]
    annual = re.compile(rf"\n[一二三四五六七八九十]+、{year}年").search(text, start, end)
    assert annual, "no annual-tasks heading after the five-year outlook"
    return [(start, annual.start() + 1, True), (annual.start() + 1, end, False)]


def apply_overrides(gold: list[dict]) -> list[dict]:
    """Gold rows corrected in eval/target_overrides.tsv (year, adcode, clause, field, …)."""
    if not OVERRIDES.exists():
        return gold
    for fix in read_tsv(OVERRIDES):
        for row in gold:
            if (row["year"], row["adcode"], row["clause"]) == (fix["year"], fix["adcode"], fix["clause"]):
                assert row[fix["field"]] == fix["gold_value"], fix
                row[fix["field"]] = fix["corrected_value"]
    return gold


@pytest.fixture(scope="module")
def gold_score() -> dict:
    gold = apply_overrides(read_tsv(GOLD / "dev_targets.tsv"))
    sections = {(int(r["year"]), r["adcode"]): r for r in read_tsv(GOLD / "dev_plan_sections.tsv")}
    predicted: list[dict] = []
    for (year, adcode), path in REPORTS.items():
        text = read_text(path)
        section = sections[(year, adcode)]
        parts = plan_parts(text, year, section["plan_start_heading"], section["plan_end"])
        for row in gold:  # gold clauses are verbatim: give them offsets in the same text
            if (int(row["year"]), row["adcode"]) == (year, adcode):
                at = text.index(row["clause"], parts[0][0])
                row["clause_start"], row["clause_end"] = at, at + len(row["clause"])
        for start, end, five_year in parts:
            for target in extract_targets(text, start, end, year, five_year=five_year):
                predicted.append(dataclasses.asdict(target) | {"year": year, "adcode": adcode})
    assert len(gold) == 46
    return score_targets(predicted, gold)


def test_gold_precision_and_recall(gold_score: dict) -> None:
    def show(rows: list[dict]) -> list[str]:
        fields = ("value", "unit", "modifier", "deadline")
        return [" ".join([r.get("text") or r["clause"], *(str(r[f]) for f in fields)]) for r in rows]

    assert gold_score["recall"] >= 0.9, show(gold_score["false_negatives"])
    assert gold_score["precision"] >= 0.9, show(gold_score["false_positives"])


def test_rough_native_numeral_ranges_are_not_targets():
    text = "培育三五个千亿级产业集群，新增七八家上市企业，建设十个产业园区。"
    assert [(t.text, t.value) for t in extract_targets(text, 0, len(text), 2026)] == [("十个", 10.0)]
