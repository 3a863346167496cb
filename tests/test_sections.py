"""Sections on the real corpus: where each provincial report's plan part starts, and what never is plan."""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from policyatlas.text.documents import PLAN_KINDS, Document, Section
from policyatlas.text.sections import annotate_sections, split_sections
from policyatlas.ingest.sources import load_path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
GOLD = CORPUS.parent / "gold"

#: Where the plan part (plan or outlook) starts in each provincial report, checked by reading
#: the report. Beijing and Guangxi 2026 start inside "二、“十四五”时期发展成就和“十五五”时期
#: 主要目标任务": its first paragraphs review the 14th plan period, the plan part starts at the
#: paragraph that opens the 15th (the section's heading is then that paragraph's first clause).
PLAN_START: dict[tuple[int, str], str] = {
    (2025, "上海"): "二、2025年主要任务",
    (2025, "云南"): "二、2025年总体要求",
    (2025, "内蒙古"): "二、2025年工作安排",
    (2025, "北京"): "二、2025年工作总体要求和重点任务",
    (2025, "吉林"): "二、2025年工作安排",
    (2025, "四川"): "2025年工作安排建议",
    (2025, "天津"): "二、2025年工作安排",
    (2025, "宁夏"): "二、2025年目标任务",
    (2025, "安徽"): "二、2025年工作总体要求和主要目标任务",
    (2025, "山东"): "二、2025年工作总体要求和主要目标",
    (2025, "山西"): "二、2025年工作安排",
    (2025, "广东"): "二、2025年工作安排",
    (2025, "广西"): "二、2025年目标任务和重点工作",
    (2025, "新疆"): "二、2025年重点工作",
    (2025, "江苏"): "二、2025年工作总体要求和目标任务",
    (2025, "江西"): "二、2025年工作安排",
    (2025, "河北"): "二、2025年目标任务和主要工作",
    (2025, "河南"): "二、2025年工作总体要求和主要目标",
    (2025, "浙江"): "二、2025年目标任务和重点工作",
    (2025, "海南"): "二、2025年工作总体要求和主要目标",
    (2025, "湖北"): "二、2025年工作思路和重点任务",
    (2025, "湖南"): "二、关于2025年工作",
    (2025, "甘肃"): "二、2025年工作总体要求和预期目标",
    (2025, "福建"): "二、牢记历史使命，在中国式现代化建设中奋勇争先",
    (2025, "西藏"): "2025年工作安排",
    (2025, "贵州"): "二、2025年主要目标任务",
    (2025, "辽宁"): "二、2025年工作安排",
    (2025, "重庆"): "二、2025年主要任务",
    (2025, "陕西"): "二、2025年工作安排",
    (2025, "青海"): "二、2025年目标任务和重点工作",
    (2025, "黑龙江"): "二、2025年工作总体要求",
    (2026, "上海"): "二、关于《上海市国民经济和社会发展第十五个五年规划纲要（草案）》的说明",
    (2026, "云南"): "二、“十五五”时期主要目标任务",
    (2026, "内蒙古"): "“十五五”时期主要目标和2026年重点工作",
    (2026, "北京"): "“十五五”时期是基本实现社会主义现代化夯实基础、全面发力的关键时期",
    (2026, "吉林"): "二、2026年工作安排",
    (2026, "四川"): "二、“十五五”发展的主要考虑",
    (2026, "天津"): "二、“十五五”时期主要目标与重点任务",
    (2026, "宁夏"): "二、“十五五”时期主要任务",
    (2026, "安徽"): "二、“十五五”时期主要目标和重大任务",
    (2026, "山东"): "二、“十五五”时期经济社会发展目标任务",
    (2026, "山西"): "二、“十五五”时期总体要求和目标任务",
    (2026, "广东"): "二、“十五五”时期的主要目标和重点任务",
    (2026, "广西"): "根据《中国共产党广西壮族自治区委员会关于制定国民经济和社会发展第十五个五年规划的建议》",
    (2026, "新疆"): "二、“十五五”时期经济社会发展的主要目标和战略举措",
    (2026, "江苏"): "二、“十五五”时期工作总体要求和目标任务",
    (2026, "江西"): "二、“十五五”时期发展的主要考虑",
    (2026, "河北"): "二、“十五五”时期的主要目标任务",
    (2026, "河南"): "二、“十五五”时期主要目标任务",
    (2026, "浙江"): "二、“十五五”时期的主要目标任务",
    (2026, "海南"): "二、“十五五”时期主要目标任务",
    (2026, "湖北"): "二、“十五五”时期工作的主要考虑",
    (2026, "湖南"): "二、“十五五”时期主要目标任务",
    (2026, "甘肃"): "“十五五”时期的主要目标任务",
    (2026, "福建"): "二、一张蓝图绘到底，奋力谱写中国式现代化福建篇章",
    (2026, "西藏"): "二、“十五五”时期经济社会发展把握的重要要求",
    (2026, "贵州"): "二、“十五五”时期主要目标任务",
    (2026, "辽宁"): "二、“十五五”时期目标任务和2026年工作安排",
    (2026, "重庆"): "二、“十五五”时期主要目标任务",
    (2026, "陕西"): "二、“十五五”时期主要目标和重大举措",
    (2026, "青海"): "二、“十五五”主要目标任务",
    (2026, "黑龙江"): "二、“十五五”时期经济社会发展重点任务",
}

#: Lines that are glossary, never plan: notes headings and numbered notes.
GLOSSARY_LINE = re.compile(r"^(附件\s*\d*\s*)?(名词解释|注释)$|名词注释$|^［\d+］")
LEFTOVERS = ("相关报道", "相关文档", "扫一扫", "分享到", "打印本页", "关闭窗口", "责任编辑", "点击图片进入专题")


def _manifest() -> list[dict[str, str]]:
    with open(CORPUS / "manifest.csv", encoding="utf-8") as fh:
        return [row for row in csv.DictReader(fh) if row["level"] == "province"]


@pytest.fixture(scope="module")
def provincial() -> dict[tuple[int, str], Document]:
    """The 62 provincial reports as loaded by `load_path`, with sections."""
    docs = {}
    for row in _manifest():
        (doc,) = list(load_path(CORPUS / row["path"]))
        assert isinstance(doc, Document), doc
        docs[(int(row["year"]), row["region"])] = annotate_sections(doc)
    return docs


@pytest.fixture(scope="module")
def national() -> list[tuple[int, str]]:
    """(year, text) of the 52 national reports (the resolutions have no year)."""
    with open(CORPUS / "national" / "government_work_reports_national.jsonl", encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return [(int(row["year"]), row["content"]) for row in rows if row["year"]]


def first_plan(doc: Document) -> Section:
    return next(section for section in doc.sections if section.kind in PLAN_KINDS)


def in_plan(doc: Document, offset: int) -> bool:
    section = doc.section_at(offset)
    return section is not None and section.kind in PLAN_KINDS


def assert_contiguous(sections: list[Section], text: str) -> None:
    assert sections, "no sections"
    assert sections[0].start == 0 and sections[-1].end == len(text)
    for before, after in zip(sections, sections[1:]):
        assert before.end == after.start
    assert all(section.start < section.end for section in sections)


def test_every_provincial_report_is_expected(provincial):
    assert set(provincial) == set(PLAN_START)


@pytest.mark.parametrize("key", sorted(PLAN_START), ids=lambda key: f"{key[0]}-{key[1]}")
def test_plan_starts_at_the_verified_heading(provincial, key):
    doc = provincial[key]
    section = first_plan(doc)
    assert section.heading == PLAN_START[key]
    assert doc.text[section.start :].lstrip().startswith(PLAN_START[key])


def test_plan_starts_agree_with_the_gold(provincial):
    with open(GOLD / "dev_plan_sections.tsv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh, delimiter="\t"))
    assert len(rows) == 12
    for row in rows:
        key = (int(row["year"]), row["region"])
        assert PLAN_START[key] == row["plan_start_heading"], key
        doc = provincial[key]
        plan_end = row["plan_end"]
        if plan_end != "end of text" and plan_end in doc.text:  # web leftovers are cleaned away
            end = doc.text.index(plan_end)
            assert not in_plan(doc, end) and in_plan(doc, end - 2)


@pytest.mark.parametrize("key", sorted(PLAN_START), ids=lambda key: f"{key[0]}-{key[1]}")
def test_sections_cover_the_text_and_review_comes_first(provincial, key):
    doc = provincial[key]
    assert_contiguous(doc.sections, doc.text)
    kinds = [section.kind for section in doc.sections]
    assert kinds[0] == "front" and "review" in kinds
    assert kinds.index("review") < min(kinds.index(kind) for kind in PLAN_KINDS if kind in kinds)


@pytest.mark.parametrize("key", sorted(PLAN_START), ids=lambda key: f"{key[0]}-{key[1]}")
def test_glossary_and_leftovers_are_never_plan(provincial, key):
    doc = provincial[key]
    offset = 0
    for line in doc.text.split("\n"):
        if GLOSSARY_LINE.search(line.strip()):
            assert not in_plan(doc, offset + len(line) - len(line.lstrip())), line
        offset += len(line) + 1
    for section in doc.sections:
        if section.kind in PLAN_KINDS:
            body = doc.text[section.start : section.end]
            assert not [word for word in LEFTOVERS if word in body]


def test_named_glossaries_are_found(provincial):
    expectations = {(2025, "广东"): "附件2 名词解释", (2026, "海南"): "［28］三个立法权", (2026, "江西"): "26.治安"}
    for key, marker in expectations.items():
        doc = provincial[key]
        at = doc.text.index(marker)
        assert doc.section_at(at).kind == "glossary"
        assert all(s.kind == "glossary" for s in doc.sections if s.start >= at)
    hainan = provincial[(2026, "海南")]
    notes = [m.start() for m in re.finditer(r"^［\d+］", hainan.text, re.M)]
    assert len(notes) == 28 and all(hainan.section_at(at).kind == "glossary" for at in notes)


def test_annexed_livelihood_projects_are_plan(provincial):
    annexes = {(2025, "广东"): "附件1", (2025, "云南"): "2025年10件惠民实事", (2026, "内蒙古"): "2026年自治区民生实事"}
    for key, marker in annexes.items():
        doc = provincial[key]
        assert in_plan(doc, doc.text.rindex(marker)), key


def test_difficult_reports(provincial):
    def kinds(key):
        return [(s.kind, s.heading[:6]) for s in provincial[key].sections]

    # Beijing 2026: the 14th-plan review paragraphs of part 二 stay review.
    beijing = provincial[(2026, "北京")]
    assert beijing.section_at(beijing.text.index("这五年")).kind == "review"
    assert beijing.section_at(beijing.text.index("三、2026年重点工作")).kind == "plan"
    # Fujian 2026: poetic headings — review, outlook, plan, plan (government self-building).
    assert [k for k, _ in kinds((2026, "福建"))] == ["front", "review", "outlook", "plan", "plan"]
    # Inner Mongolia 2026: outlook, then this year's work from "今年是…", thematic parts are plan.
    mongolia = provincial[(2026, "内蒙古")]
    for heading in ("一、把铸牢中华民族共同体意识", "三、全力抓好七项重点工作", "四、把坚持党的全面领导"):
        assert mongolia.section_at(mongolia.text.index(heading)).kind == "plan"
    # Shanghai 2026: the explanation of the 15th plan outline is the outlook.
    assert [k for k, _ in kinds((2026, "上海"))] == ["front", "review", "outlook", "plan", "plan"]
    # Gansu 2026: bare headings without numbers.
    assert [k for k, _ in kinds((2026, "甘肃"))] == ["front", "review", "outlook", "plan"]
    # Liaoning 2026: one heading for the outlook and this year's work, split at "今年是…".
    assert [k for k, _ in kinds((2026, "辽宁"))] == ["front", "review", "outlook", "plan", "plan"]
    # Government self-building after the tasks is still plan.
    shanxi = provincial[(2025, "山西")]
    assert shanxi.section_at(shanxi.text.index("三、全面提升政府治理效能")).kind == "plan"


def test_raw_web_pages_keep_leftovers_out_of_the_plan():
    """Even without cleaning, page furniture of the 2026 CSVs never lands in a plan section."""
    csv.field_size_limit(10**8)
    for path in sorted((CORPUS / "provincial" / "2026").glob("*.csv")):
        with open(path, encoding="utf-8-sig") as fh:
            text = next(csv.DictReader(fh))["full_text"]
        sections = split_sections(text, 2026)
        assert_contiguous(sections, text)
        for section in sections:
            if section.kind in PLAN_KINDS:
                body = text[section.start : section.end]
                assert not [word for word in LEFTOVERS if word in body], path.name


def test_national_reports(national):
    assert len(national) == 52
    for year, text in national:
        sections = split_sections(text, year)
        assert_contiguous(sections, text)
        kinds = [section.kind for section in sections]
        if year >= 2003:
            assert kinds.index("review") < kinds.index("plan"), year
    (text,) = [text for year, text in national if year == 2025]
    assert [(s.kind, s.heading) for s in split_sections(text, 2025)][1:] == [
        ("review", "一、2024年工作回顾"),
        ("plan", "二、2025年经济社会发展总体要求和政策取向"),
        ("plan", "三、2025年政府工作任务"),
    ]
    (text,) = [text for year, text in national if year == 2021]
    assert "outlook" in [s.kind for s in split_sections(text, 2021)]


def test_edge_cases():
    assert split_sections("", 2025) == []
    assert split_sections("  \n", 2025) == [Section("front", 0, 3, "")]
    text = "标题\n各位代表：\n一段话。\n"
    assert split_sections(text, None) == [Section("front", 0, len(text), "标题")]
    text = "一、2024年工作回顾\n去年很好。\n二、2025年工作安排\n今年要做。"
    assert [(s.kind, s.start) for s in split_sections(text, 2025)] == [("review", 0), ("plan", text.index("二、"))]
    # Unknown year: any year is accepted in the cues.
    assert [s.kind for s in split_sections(text, None)] == ["review", "plan"]


def test_english_sections():
    text = (
        "Report on the Work of the Government\n"
        "Fellow Deputies,\n"
        "I. Review of Our Work in 2024\n"
        "The past year was eventful.\n"
        "II. Overall Requirements and Policy Orientation for 2025\n"
        "This year we will keep growth stable.\n"
        "III. Government Tasks for 2025\n"
        "We will foster emerging industries.\n"
        "Share to:\n"
        "We will also build a stronger government.\n"
        "Explanatory notes\n"
        "[1] Two new: equipment upgrades and consumer trade-ins.\n"
    )
    sections = split_sections(text, 2025, "en")
    assert_contiguous(sections, text)
    assert [s.kind for s in sections] == ["front", "review", "plan", "plan", "leftover", "plan", "glossary"]
    assert sections[1].heading == "I. Review of Our Work in 2024"
