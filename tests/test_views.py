"""Dashboard views a new user measured (issue 10, item 7): readable map labels, a heatmap in the
reader's language whose cells open their evidence, signature industries as documented, and the
change map, comparison and chart download a dashboard user expects — every view also as JSON/CSV."""

from __future__ import annotations

import csv
import html
import io
import math
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from policyatlas.views.web import create_app


@pytest.fixture(scope="module")
def client(atlas_db: Path) -> TestClient:
    return TestClient(create_app(atlas_db), raise_server_exceptions=False)


def rows_of_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


# --- map ---

def test_map_labels_are_readable_on_every_fill(client: TestClient) -> None:
    from policyatlas.views.web.render import contrast

    page = client.get("/map", params={"industry": "artificial-intelligence", "year": 2026, "format": "json"}).json()
    palette = page["palette"]
    assert [p["value"] for p in palette] == [-1, 0, 1, 2, 3, 4]
    for p in palette:
        assert contrast(p["label_color"], p["color"]) >= 4.5, p     # WCAG AA for small text
    assert palette[-1]["label_color"].lower() in ("#fff", "#ffffff")  # white on the darkest blue


def test_map_page_title_names_industry_and_year(client: TestClient) -> None:
    page = client.get("/map", params={"industry": "humanoid-robots", "year": 2025}).text
    title = re.search(r"<title>(.*?)</title>", page).group(1)
    assert "人形机器人" in title and "2025" in title
    script = client.get("/static/map.js").text
    assert "document.title" in script                               # and it follows the user's switches


def test_map_chart_downloads_as_png(client: TestClient) -> None:
    page = client.get("/map", params={"industry": "6g", "year": 2026}).text
    assert 'id="png"' in page and "download=" in page
    script = client.get("/static/map.js").text
    assert "saveAsImage" in script and "getDataURL" in script


# --- heatmap ---

def test_heatmap_headers_in_english_on_english_pages(client: TestClient, atlas) -> None:
    en = client.get("/heatmap", params={"year": 2026, "lang": "en"}).text
    heads = re.findall(r'<th class="rot"[^>]*><span>(.*?)</span>', en)
    names = {html.unescape(h) for h in heads}
    assert "Integrated circuits / semiconductors" in names and "Artificial intelligence" in names
    assert not any(re.search(r"[\u4e00-\u9fff]", h) for h in names)
    assert ">Guangdong</a>" in en                                    # row heads too
    zh = client.get("/heatmap", params={"year": 2026}).text
    assert "<span>集成电路</span>" in zh
    assert "/heatmap?year=2026&amp;sort=crowding&amp;lang=en" in zh    # the switch between the two


def test_heatmap_cells_link_to_their_evidence(client: TestClient, atlas) -> None:
    page = client.get("/heatmap", params={"year": 2026}).text
    links = re.findall(r'<td class="s([1-4])" data-v="\1"><a href="(/region/(\d+)\?year=2026#slug-([a-z0-9-]+))"', page)
    matrix = atlas.matrix(2026)
    committed = int((matrix.iloc[:, 2:] > 0).to_numpy().sum())
    assert len(links) == committed
    for strength, href, adcode, slug in links[:: max(1, len(links) // 5)]:
        assert int(matrix.loc[adcode, slug]) == int(strength)
        region = client.get(href.split("#")[0]).text
        assert f'id="slug-{slug}"' in region                         # the anchor opens that row's evidence
    cells = client.get("/heatmap", params={"year": 2026, "format": "csv", "table": "cells"})
    assert len(rows_of_csv(cells.text)) == committed


def test_heatmap_says_1_province_not_1_provinces(client: TestClient, atlas) -> None:
    crowd = atlas.crowding(2025)
    assert (crowd["count"] == 1).any()
    page = client.get("/heatmap", params={"year": 2025}).text
    assert not re.search(r"(?<!\d)1 provinces", page)
    assert re.search(r"(?<!\d)1 province(?!s)", page)


def test_heatmap_table_is_not_in_a_height_limited_scroll_box(client: TestClient) -> None:
    page = client.get("/heatmap", params={"year": 2026}).text
    wrapper = re.search(r'<div class="([^"]+)">\s*<table class="heat"', page).group(1)
    css = client.get("/static/app.css").text
    rule = re.search(r"\." + re.escape(wrapper) + r" \{([^}]*)\}", css).group(1)
    assert "max-height" not in rule and "overflow-y: visible" in rule


# --- region: signature industries as docs/analysis.md defines them ---

@pytest.mark.parametrize("year", [2025, 2026])
def test_region_signatures_respect_the_documented_cap(client: TestClient, atlas, year: int) -> None:
    covered = atlas.covered(year)
    cap = math.floor(len(covered) / 3)
    spec = {r["adcode"]: r["signature"] for r in atlas.specialization(year).to_dict("records")}
    for adcode in covered:
        signature = client.get(f"/region/{adcode}", params={"year": year, "format": "json"}).json()["signature"]
        assert len(signature) <= 3
        assert all(s["provinces"] <= cap for s in signature), (adcode, signature)
        assert [s["slug"] for s in signature] == spec[adcode]          # the same list the analysis gives


# --- change map ---

def test_change_map_agrees_with_each_regions_diff(client: TestClient, atlas) -> None:
    page = client.get("/change", params={"industry": "humanoid-robots", "from": 2025, "to": 2026, "format": "json"}).json()
    assert page["year_from"] == 2025 and page["year_to"] == 2026 and page["industry"] == "humanoid-robots"
    rows = {r["adcode"]: r for r in page["provinces"]}
    assert len(rows) == len(atlas.gazetteer.provinces())
    both = set(atlas.covered(2025)) & set(atlas.covered(2026))
    moves = {"added": "gained", "dropped": "lost", "strengthened": "strengthened", "weakened": "weakened"}
    for adcode in both:
        diff = atlas.diff(adcode, 2025, 2026)
        mine = diff[diff["slug"] == "humanoid-robots"]
        expected = moves[mine["change"].iloc[0]] if len(mine) else ("unchanged" if rows[adcode]["strength_to"] else "absent")
        assert rows[adcode]["change"] == expected, adcode
    assert all(rows[a]["change"] == "no_data" for a in rows if a not in both)
    assert page["counts"]["gained"] >= 1
    gained = next(r for r in page["provinces"] if r["change"] == "gained")
    assert atlas.document(gained["doc"])["text"][gained["start"]:gained["end"]] == gained["sentence"]
    from policyatlas.views.web.render import contrast
    assert all(contrast(p["label_color"], p["color"]) >= 4.5 for p in page["palette"])


def test_change_map_renders_and_downloads(client: TestClient) -> None:
    page = client.get("/change", params={"industry": "低空经济"})
    assert page.status_code == 200 and 'id="map"' in page.text and 'id="png"' in page.text
    assert "低空经济" in re.search(r"<title>(.*?)</title>", page.text).group(1)
    for table in ("provinces", "summary"):
        got = client.get("/change", params={"industry": "low-altitude-economy", "format": "csv", "table": table})
        assert got.status_code == 200 and rows_of_csv(got.text)
    assert client.get("/change", params={"from": 2026, "to": 2025}).status_code == 400
    assert client.get("/change", params={"industry": "no-such-thing"}).status_code == 404


# --- comparison ---

def test_compare_two_provinces_side_by_side(client: TestClient, atlas) -> None:
    page = client.get("/compare", params={"regions": "Anhui,Beijing", "year": 2026, "format": "json"}).json()
    assert [r["adcode"] for r in page["regions"]] == ["340000", "110000"]
    union = {i["slug"] for a in ("340000", "110000") for i in atlas.profile(a, 2026)["industries"]}
    assert {r["slug"] for r in page["rows"]} == union
    matrix = atlas.matrix(2026)
    for row in page["rows"]:
        for cell in row["cells"]:
            assert cell["strength"] == int(matrix.loc[cell["adcode"], row["slug"]])
            if cell["evidence"]:
                ev = cell["evidence"]
                assert atlas.document(ev["doc"])["text"][ev["start"]:ev["end"]] == ev["sentence"]
        assert row["shared_by"] == sum(1 for c in row["cells"] if c["strength"])
    html_page = client.get("/compare", params={"regions": "安徽,北京,Guangdong", "year": 2026}).text
    assert "安徽省" in html_page and "北京市" in html_page and "广东省" in html_page
    for table in ("industries", "evidence", "summary"):
        got = client.get("/compare", params={"regions": "Anhui,Beijing", "format": "csv", "table": table})
        assert got.status_code == 200 and rows_of_csv(got.text), table


@pytest.mark.parametrize("url, status", [("/compare?regions=Anhui&format=json", 400), ("/compare?regions=Anhui,Atlantis", 404),
                                         ("/compare?regions=Anhui,Taiwan&format=json", 404), ("/compare?regions=Anhui,Anhui&format=json", 400)])
def test_compare_needs_two_known_provinces(client: TestClient, url: str, status: int) -> None:
    assert client.get(url).status_code == status


def test_compare_page_without_regions_offers_a_picker(client: TestClient) -> None:
    page = client.get("/compare").text
    assert 'name="pick"' in page and "Anhui" in page
