"""Commitments: plan-part intentions count; uptake, background, negation and the review do not."""

from __future__ import annotations

import pytest

from policyatlas.extract.facts import facts_from_document
from policyatlas.ingest.sources import load_string

REPORT = "2026年青海省政府工作报告\n一、2025年工作回顾\n{review}\n二、2026年工作安排\n{plan}\n"


def decisions(plan: str, review: str = "去年全省经济稳中有进。") -> dict[str, tuple[bool, str]]:
    doc = load_string(REPORT.format(plan=plan, review=review), "<test>")
    return {f["slug"]: (f["committed"], f["reason"]) for f in facts_from_document(doc, include_rejected=True)}


@pytest.mark.parametrize("plan, slug, committed, reason", [
    ("大力发展集成电路、新能源汽车、低空经济等新兴产业。", "low-altitude-economy", True, ""),
    ("大力发展人工智能、消费电子、低空经济等新兴领域。", "artificial-intelligence", True, ""),  # 消费 inside a term is no uptake
    ("开展新能源汽车以旧换新，扩大汽车消费。", "new-energy-vehicles", False, "incidental"),
    ("探索大模型在便民健康服务等方面的应用。", "large-models", False, "incidental"),
    ("电子信息、高端装备等一批万亿级产业集群基本形成。", "high-end-equipment", False, "background"),
    ("不再新建数据中心。", "computing-infrastructure", False, "negated"),
    ("建立健全中试基地体系。", "pilot-platforms", True, ""),
    ("围绕人工智能、深海深空等重点领域，攻克关键技术200项以上。", "deep-space-exploration", True, ""),
])
def test_plan_part_decisions(plan, slug, committed, reason):
    got = decisions(plan)[slug]
    assert got[0] is committed and got[1].startswith(reason), got


def test_review_part_is_never_a_commitment():
    got = decisions("加强生态保护。", review="脑机接口关键技术取得突破，建成一批智算中心。")
    assert got["brain-computer-interfaces"] == (False, "review part")
    assert got["computing-infrastructure"][0] is False


def test_targets_attach_to_the_term_of_their_own_list_item():
    doc = load_string(REPORT.format(review="去年稳中有进。", plan="推动盐湖化工、新能源汽车、国达化工60万吨钾肥等项目建设。建成2个万卡智算集群。"), "<t>")
    facts = {f["slug"]: f for f in facts_from_document(doc)}
    assert facts["new-energy-vehicles"]["targets"] == []
    (cluster,) = facts["computing-infrastructure"]["targets"]
    assert (cluster["value"], cluster["unit"], cluster["modifier"], cluster["deadline"]) == (2, "个", "exact", 2026)


def test_strength_is_the_strongest_cue_of_the_sentence_for_the_slug():
    facts = {f["slug"]: f for f in facts_from_document(load_string(REPORT.format(
        review="去年稳中有进。", plan="大力发展海上风电，打造海上风电装备制造基地。前瞻布局量子科技。"), "<t>"))}
    assert facts["offshore-wind"]["strength"] == 4 and facts["quantum-technology"]["strength"] == 1
