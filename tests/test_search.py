"""Search over the real atlas: one row per sentence with its industries, grouped by region, fair to
every region, English terms through the taxonomy, and the same result as HTML, JSON and CSV."""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from policyatlas.views.web import create_app


@pytest.fixture(scope="module")
def client(atlas_db: Path) -> TestClient:
    return TestClient(create_app(atlas_db), raise_server_exceptions=False)


def test_a_sentence_naming_many_industries_is_one_row_with_all_of_them(atlas) -> None:
    frame = atlas.search_sentences("氢能", 500)
    keys = Counter(zip(frame["doc"], frame["start"], frame["adcode"]))
    assert max(keys.values()) == 1, keys.most_common(3)  # before: Anhui's one sentence came 18 times
    anhui = frame[(frame["adcode"] == "340000") & (frame["year"] == 2026)]
    widest = max(anhui["slugs"], key=len)
    assert "hydrogen" in widest and len(widest) >= 10, widest


def test_results_are_grouped_by_region_and_no_region_crowds_out_the_others(atlas) -> None:
    frame = atlas.search_sentences("氢能", 50)
    order = list(dict.fromkeys(frame["adcode"]))
    assert order == sorted(order)                                  # grouped, region by region
    assert len(order) == frame["adcode"].nunique() >= 20            # a fair share: ≥ 20 provinces in 50 rows
    assert all(frame["region_total"] >= frame.groupby("adcode")["doc"].transform("size"))
    ten = atlas.search_sentences("氢能", 10)
    assert ten["adcode"].nunique() == 10                           # each region's newest before any region's second


def test_an_english_term_finds_the_chinese_sentences_of_its_industry(atlas) -> None:
    assert atlas.taxonomy.matching("fusion") == ["nuclear-fusion"]
    frame = atlas.search_sentences("fusion", 50)
    assert len(frame) >= 3                                         # before: 0 sentences
    assert all("nuclear-fusion" in slugs for slugs in frame["matched"])
    assert all("聚变" in s or "托卡马克" in s or "人造太阳" in s for s in frame["sentence"])
    for row in frame.to_dict("records"):                           # the hit is the mention, in document offsets
        assert row["start"] <= row["hit_start"] < row["hit_end"] <= row["end"]
    assert set(atlas.taxonomy.matching("AI")) >= {"artificial-intelligence"}
    assert "integrated-circuits" not in atlas.taxonomy.matching("AI")   # "AI chips" is not an exact term


def test_literal_hits_locate_the_query(atlas) -> None:
    frame = atlas.search_sentences("氢能", 50)
    text = frame[frame["match"] == "text"]
    assert len(text) and all(s[h - a:e - a] == "氢能" for s, h, e, a in zip(text["sentence"], text["hit_start"], text["hit_end"], text["start"]))


def test_the_page_shows_each_sentence_once_with_its_industries(client: TestClient, atlas) -> None:
    page = client.get("/search", params={"q": "氢能"}).text
    anhui = atlas.search_sentences("氢能", 500)
    sentence = max(anhui[anhui["adcode"] == "340000"]["sentence"], key=len)
    assert page.count(sentence[10:40]) <= 2                        # the quote (and its title attribute), once
    assert "安徽省 Anhui" in page and "Hydrogen energy" in page and 'class="matched"' in page
    fusion = client.get("/search", params={"q": "fusion"}).text
    assert "聚变" in fusion and "<mark>" in fusion and "Nuclear fusion" in fusion


def test_search_answers_as_json_and_csv(client: TestClient) -> None:
    data = client.get("/search", params={"q": "fusion", "format": "json"}).json()
    assert data == client.get("/api/search", params={"q": "fusion"}).json()
    assert data["total"] == sum(g["total"] for g in data["by_region"]) >= len(data["sentences"])
    assert all(any(i["slug"] == "nuclear-fusion" and i["match"] for i in s["industries"]) for s in data["sentences"])
    assert [g["adcode"] for g in data["by_region"]] == list(dict.fromkeys(s["adcode"] for s in data["sentences"]))
    rows = list(csv.DictReader(io.StringIO(client.get("/search", params={"q": "fusion", "format": "csv"}).text.lstrip("\ufeff"))))
    assert len(rows) == len(data["sentences"]) and all("nuclear-fusion" in r["industries"].split() for r in rows)
    assert "Nuclear fusion" in rows[0]["industries_en"]
    regions = client.get("/api/search", params={"q": "fusion", "format": "csv", "table": "by_region"}).text
    assert "340000" in regions
