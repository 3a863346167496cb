"""Mentions: one Aho-Corasick pass, longest match first, exclusions owned by their slug."""

from __future__ import annotations

import pytest

from policyatlas.extract.mentions import finder


def found(text: str, lang: str = "zh") -> set[tuple[str, str]]:
    return {(m.term, m.slug) for m in finder(lang).find(text)}


@pytest.mark.parametrize("text, expected", [
    ("大力发展人形机器人", {("人形机器人", "humanoid-robots"), ("人形机器人", "robotics")}),
    ("加快抽水蓄能电站建设", set()),                       # pumped hydro is not new-type storage
    ("建设量子城市", set()),                              # a city-governance platform
    ("推动超聚变做大做强", set()),                         # a server maker, not fusion
    ("打造硅基光伏产业集群", {("光伏", "solar-photovoltaics")}),  # IC's exclusion does not silence solar
    ("发展光电芯片", {("芯片", "integrated-circuits")}),      # solar's exclusion does not silence chips
    ("推动硅基产业转型升级", set()),                        # silicon (硅石, 工业硅) materials, not chips
    ("大力发展硅基、铜基等新材料产业", {("铜基", "new-materials"), ("新材料", "new-materials")}),
    ("推进5G-A和万兆光网建设", set()),                      # 5G is not 6G
    ("护航发展", set()),
    ("发展6G和AI", {("6G", "6g"), ("AI", "artificial-intelligence")}),
    ("OpenAI发布新模型", set()),                          # ASCII terms need word boundaries
])
def test_chinese_mentions(text, expected):
    assert found(text) == expected


def test_english_mentions_are_case_insensitive_and_bounded():
    text = "Hainan will build Offshore Wind farms and LLMs, while EV sales rose; the chipmaker said."
    assert found(text, "en") >= {("Offshore Wind farms", "offshore-wind"), ("LLMs", "large-models"), ("chipmaker", "integrated-circuits")}
    assert not any(slug == "new-energy-vehicles" for _, slug in found(text, "en"))  # "EV sales" is uptake


def test_offsets_quote_the_text():
    text = "二、2026年工作安排\n大力发展集成电路、新能源汽车、低空经济等产业。"
    for m in finder("zh").find(text, 10):
        assert text[m.start:m.end] == m.term and m.start >= 10
