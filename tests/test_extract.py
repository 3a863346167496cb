"""Extraction on the real corpus: commitments that must be found and mentions that must not count.

Each case was checked by reading the report; the quote is a substring of the evidence sentence.
"""

from __future__ import annotations

import pytest

# (year, adcode, slug, quote from the plan-part sentence that commits the region)
MUST_FIND = [
    (2025, "110000", "computing-infrastructure", "建成2个万卡智算集群"),
    (2025, "340000", "deep-space-exploration", "国际月球科研站大科学工程"),
    (2025, "340000", "nuclear-fusion", "建成聚变堆主机关键系统综合研究设施"),
    (2025, "460000", "offshore-wind", "加快海上风电场建设"),
    (2025, "460000", "cell-gene-therapy", "推动细胞治疗等生物医学新技术落地"),
    (2025, "410000", "cell-gene-therapy", "加快中原细胞和基因治疗等特色专业园区建设"),
    (2025, "430000", "quantum-technology", "发展人工智能、量子科技、前沿材料、人形机器人"),
    (2025, "430000", "humanoid-robots", "发展人工智能、量子科技、前沿材料、人形机器人"),
    (2025, "430000", "robotics", "发展人工智能、量子科技、前沿材料、人形机器人"),
    (2025, "610000", "quantum-technology", "前瞻布局量子科技、生物制造"),
    (2025, "350000", "offshore-wind", "有力有序发展海上风电"),
    (2025, "620000", "commercial-space", "聚焦氢能与新型储能、商业航天、低空经济"),
    (2025, "230000", "deep-space-exploration", "深海深空等重点领域"),
    (2026, "230000", "6g", "第六代移动通信等新经济增长点"),
    (2026, "230000", "brain-computer-interfaces", "打造氢能、脑机接口、具身智能"),
    (2026, "460000", "offshore-wind", "打造海上风电装备制造基地"),
    (2026, "340000", "deep-space-exploration", "高标准建设深空探测实验室"),
    (2026, "350000", "offshore-wind", "壮大海上风电、海洋生物医药"),
    (2026, "350000", "biomedicine", "壮大海上风电、海洋生物医药"),
    (2026, "610000", "quantum-technology", "谋划布局量子科技、生物制造"),
    (2026, "460000", "brain-computer-interfaces", "推动生物制造、氢能、脑机接口、具身智能等未来产业落子布局"),
]

# (year, adcode, slug, why it must not count)
MUST_NOT = [
    (2025, "410000", "nuclear-fusion", "超聚变 is a server company (xFusion), not fusion"),
    (2026, "410000", "nuclear-fusion", "超聚变 again, a company name"),
    (2026, "430000", "brain-computer-interfaces", "only in the review of 2025"),
    (2026, "430000", "offshore-wind", "only a review achievement (海上风电变压器)"),
    (2026, "230000", "deep-space-exploration", "only past results (火星探测) in the review"),
    (2025, "460000", "quantum-technology", "海南量子试验基地 progress is in the review only"),
    (2026, "310000", "high-end-equipment", "高端装备 only in the 十四五 recap (基本形成)"),
    (2026, "460000", "large-models", "uptake only: exploring LLM use in health services"),
    (2026, "310000", "smart-terminals", "uptake only: 智能终端…广泛运用; a consumer-electronics expo"),
    (2025, "110000", "large-models", "large models appear in the review only"),
    (2025, "110000", "aviation", "airports and air-cargo hubs are transport, not the aviation industry"),
    (2025, "420000", "6g", "only 5G base stations in the plan; 6G only in the review"),
    (2025, "440000", "cell-gene-therapy", "人类细胞谱系 is a basic-science facility, not cell therapy"),
    (2026, "310000", "quantum-technology", "量子城市 is a city-governance platform name"),
    (2026, "460000", "new-energy-vehicles", "uptake only: NEV penetration and ownership shares"),
    (2025, "320000", "smart-terminals", "uptake only: trade-in of smart terminals"),
]


def _committed(atlas, year, adcode, slug):
    return atlas.commitments(year=year, adcode=adcode, slug=slug)


@pytest.mark.parametrize("year,adcode,slug,quote", MUST_FIND)
def test_must_find(atlas, year, adcode, slug, quote):
    frame = _committed(atlas, year, adcode, slug)
    assert len(frame), f"{year} {adcode} {slug}: no commitment"
    assert any(quote in s for s in frame["sentence"]), list(frame["sentence"])[:3]
    assert set(frame["section"]) <= {"plan", "outlook"}


@pytest.mark.parametrize("year,adcode,slug,why", MUST_NOT)
def test_must_not(atlas, year, adcode, slug, why):
    frame = _committed(atlas, year, adcode, slug)
    assert len(frame) == 0, f"{why}: {list(frame['sentence'])[:2]}"


def test_strength_orders_exploring_below_pillar(atlas):
    frame = atlas.commitments(year=2025, adcode="610000", slug="quantum-technology")
    assert frame["strength"].max() == 1  # 前瞻布局: exploring
    hainan = atlas.commitments(year=2026, adcode="460000", slug="offshore-wind")
    assert hainan["strength"].max() == 4  # 打造…制造基地: pillar


def test_commitments_name_their_action(atlas):
    frame = atlas.commitments(year=2025, adcode="350000", slug="offshore-wind")
    assert "发展" in set(frame["action"])
