"""The web layer over a real built atlas: API data, page renderings, 4xx on bad input, escaping."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from policyatlas.views.web import create_app


@pytest.fixture(scope="module")
def client(atlas_db: Path) -> TestClient:
    return TestClient(create_app(atlas_db), raise_server_exceptions=False)


def rows_of_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def test_regions_and_industries(client: TestClient, atlas) -> None:
    regions = {r["adcode"]: r for r in client.get("/api/regions").json()}
    assert regions["440000"]["name_zh"] == "广东省" and regions["440000"]["years"] == [2025, 2026]
    slugs = [i["slug"] for i in client.get("/api/industries").json()]
    assert slugs == atlas.taxonomy.slugs()


def test_who_evidence_offsets_index_the_document_text(client: TestClient, atlas) -> None:
    result = client.get("/api/who/artificial-intelligence", params={"year": 2026}).json()
    assert len(result) >= 25
    texts: dict[str, str] = {}
    for row in result[:8]:
        for ev in row["evidence"]:
            doc = texts.setdefault(ev["doc"], client.get(f"/api/documents/{ev['doc']}").json()["document"]["text"])
            assert doc[ev["start"]:ev["end"]] == ev["sentence"]


def test_profile_matrix_and_map_agree_with_the_atlas(client: TestClient, atlas) -> None:
    assert client.get("/api/profile/广东", params={"year": 2026}).json() == client.get("/api/profile/440000?year=2026").json()
    profile = client.get("/api/profile/440000?year=2026").json()
    assert [i["slug"] for i in profile["industries"]] == [i["slug"] for i in atlas.profile("440000", 2026)["industries"]]
    matrix = atlas.matrix(2026)
    api = {r["adcode"]: r for r in client.get("/api/matrix?year=2026").json()["rows"]}
    assert api["440000"]["artificial-intelligence"] == int(matrix.loc["440000", "artificial-intelligence"])
    page = client.get("/map", params={"industry": "artificial-intelligence", "year": 2026, "format": "json"}).json()
    shown = {r["adcode"]: r["strength"] for r in page["provinces"]}
    assert shown["440000"] == int(matrix.loc["440000", "artificial-intelligence"])
    assert set(page["values"]) == {"2025", "2026"}
    # every province with a report has a name on the vendored map (short names matched via the gazetteer)
    names = {r["adcode"]: r["map_name"] for r in page["regions"]}
    assert names["440000"] in ("广东", "广东省") and names["650000"] in ("新疆", "新疆维吾尔自治区")


def test_every_page_table_downloads_as_csv(client: TestClient) -> None:
    for url, table in [("/map?year=2025", "provinces"), ("/heatmap?year=2026", "matrix"), ("/heatmap?year=2026", "crowding"),
                       ("/region/440000?year=2026", "industries"), ("/region/440000?year=2026", "evidence"),
                       ("/region/440000?year=2026", "diff"), ("/search?q=人工智能", "sentences")]:
        response = client.get(url + f"&format=csv&table={table}")
        assert response.status_code == 200, (url, response.text)
        assert response.headers["content-type"].startswith("text/csv")
        assert rows_of_csv(response.text), (url, table)
    for url in ["/api/regions", "/api/matrix", "/api/crowding", "/api/documents", "/api/who/6g", "/api/diffusion/人工智能"]:
        response = client.get(url, params={"format": "csv"})
        assert response.status_code == 200, url
        assert rows_of_csv(response.text), url


def test_pages_render(client: TestClient, atlas) -> None:
    assert "广东省" in client.get("/region/440000").text
    heat = client.get("/heatmap?year=2026").text
    assert "crowding" in heat and "广东省" in heat
    doc_id = atlas.who("artificial-intelligence", 2026)[0]["evidence"][0]["doc"]
    ev = atlas.who("artificial-intelligence", 2026)[0]["evidence"][0]
    page = client.get(f"/document/{doc_id}", params={"start": ev["start"], "end": ev["end"]}).text
    assert f'<mark class="hl" id="c{ev["start"]}">' in page
    found = client.get("/search", params={"q": "Guangdong"}).text
    assert "/region/440000" in found
    assert client.get("/docs").status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/regions", "/api/industries", "/api/who/{slug}", "/api/profile/{region}", "/api/matrix", "/api/crowding",
                 "/api/specialization", "/api/diff/{region}", "/api/diffusion/{query}", "/api/documents", "/api/documents/{doc_id}", "/api/search"):
        assert path in paths


def test_analysis_endpoints_answer(client: TestClient) -> None:
    for url in ["/api/crowding?year=2026", "/api/specialization?year=2026", "/api/similar/440000?year=2026",
                "/api/diff/440000?from_year=2025&to_year=2026", "/api/diff?from_year=2025&to_year=2026", "/api/diffusion/人工智能",
                "/briefing?year=2026"]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.text)


@pytest.mark.parametrize("url, status", [
    ("/map?year=1999", 404), ("/map?year=abc", 422), ("/map?industry=no-such-thing", 404), ("/map?format=xml", 400),
    ("/heatmap?sort=sideways", 422), ("/region/nowhere", 404), ("/region/440000?year=1980", 404),
    ("/region/440000?format=csv&table=nope", 400), ("/document/0000000000000000", 404), ("/document/..%2Fetc%2Fpasswd", 404),
    ("/document/abc$", 400), ("/api/who/no-such-thing", 404), ("/api/profile/Atlantis", 404), ("/api/matrix?year=2100", 404),
    ("/api/diff/440000?from_year=2025", 422), ("/api/search", 422), ("/api/search?q=" + "x" * 200, 422),
    ("/api/documents/%2E%2E", 400), ("/api/crowding?year=-5", 422),
    # a year or region the atlas holds no report for: 404 saying what exists, never a 500
    ("/api/similar/Taiwan", 404), ("/api/similar/Shenzhen?year=2026", 404),
    ("/api/diff/Taiwan?from_year=2025&to_year=2026", 404), ("/api/diff/Guangdong?from_year=2024&to_year=2026", 404),
    ("/api/diff?from_year=2024&to_year=2026", 404), ("/api/crowding?year=2024", 404), ("/api/specialization?year=2024", 404),
    ("/api/specialization?year=2026&region=Shenzhen", 404), ("/api/profile/Taiwan", 404), ("/region/Taiwan", 404),
    ("/api/who/6g?year=2024", 404), ("/heatmap?year=2024", 404), ("/briefing?year=2024", 404),
    ("/api/search?q=", 400), ("/api/search?q=%20%20", 400),
])
def test_bad_parameters_get_4xx_with_a_message(client: TestClient, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.text)
    assert response.json().get("error") or response.json().get("detail")


@pytest.mark.parametrize("url, needle", [
    ("/api/similar/Taiwan", "no provincial report for Taiwan (710000) in 2026"),
    ("/api/diff/Guangdong?from_year=2024&to_year=2026", "no provincial report for Guangdong (440000) in 2024; years with data: 2025, 2026"),
    ("/api/crowding?year=2024", "no provincial reports for 2024; years with data: 2025, 2026"),
    ("/api/profile/Taiwan", "no report for Taiwan (710000)"),
])
def test_missing_data_message_says_what_exists(client: TestClient, url: str, needle: str) -> None:
    response = client.get(url)
    assert response.status_code == 404 and needle in response.json()["error"], response.text
    page = client.get(url.replace("/api/profile/", "/region/"), headers={"accept": "text/html"})
    assert page.status_code == 404


def test_search_takes_the_query_literally(client: TestClient, atlas) -> None:
    everything = len(atlas.commitments())
    for q in ("%", "_", "%%", "\\"):
        found = client.get("/api/search", params={"q": q, "limit": 500}).json()["sentences"]
        assert len(found) < min(everything, 500), q
        assert all(q in row["sentence"] or q.lower() in row["sentence"].lower() for row in found), q
    percent = client.get("/api/search", params={"q": "%", "limit": 500}).json()["sentences"]
    assert percent and all("%" in row["sentence"] for row in percent)
    assert client.get("/api/search", params={"q": "人工智能"}).json()["sentences"]
    assert client.get("/search", params={"q": ""}).status_code == 200          # the empty search form still opens


def test_document_range_must_fit_the_text(client: TestClient, atlas) -> None:
    doc_id = atlas.documents()[0]["id"]
    assert client.get(f"/document/{doc_id}?start=5").status_code == 400
    assert client.get(f"/document/{doc_id}?start=10&end=5").status_code == 400
    assert client.get(f"/document/{doc_id}?start=0&end=99999999").status_code == 400


HOSTILE = """2026年广东省人民政府工作报告
——2026年1月在广东省第十四届人民代表大会第五次会议上
一、2025年工作回顾
过去一年，我们做了很多工作。
二、2026年工作安排
大力发展人工智能<script>alert('xss')</script>产业，培育<img src=x onerror=alert(1)>人形机器人等未来产业，打造具身智能产业集群。
加快发展低空经济和商业航天，推动量子科技<b onmouseover=alert(2)>产业化。
"""


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory: pytest.TempPathFactory) -> TestClient:
    from policyatlas.build.pipeline import build

    folder = tmp_path_factory.mktemp("hostile")
    source = folder / "2026年广东省政府工作报告.txt"
    source.write_text(HOSTILE, encoding="utf-8")
    db = folder / "atlas.duckdb"
    build([source], db)
    return TestClient(create_app(db), raise_server_exceptions=False)


def test_document_text_is_escaped(hostile_client: TestClient) -> None:
    docs = hostile_client.get("/api/documents").json()
    assert docs, "the hostile document was not stored"
    page = hostile_client.get(f"/document/{docs[0]['id']}").text
    assert "&lt;script&gt;alert(" in page and "<script>alert(" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page
    assert "<b onmouseover" not in page
    searched = hostile_client.get("/search", params={"q": "人工智能"}).text
    assert "<script>alert(" not in searched and "<img src=x" not in searched
    region = hostile_client.get("/region/440000").text
    assert "<script>alert(" not in region and "<img src=x" not in region and "onerror=alert(1)>" not in region


ABSOLUTE = ('href="/', "href='/", 'src="/', "src='/", 'href="http', 'src="http', 'action="/')


def test_export_site_opens_from_disk(atlas_db: Path, tmp_path: Path) -> None:
    import re

    from policyatlas.views.web.export import export_site

    site = tmp_path / "site"
    pages = export_site(atlas_db, site)
    index = (site / "index.html").read_text(encoding="utf-8")
    assert pages > 60 and 'src="static/map.js"' in index
    assert (site / "region-440000-2026.html").exists()
    assert (site / "static" / "map.js").exists()
    files = sorted(site.glob("*.html"))
    assert len(files) == pages
    for path in files:                                     # every page, not only index.html
        text = path.read_text(encoding="utf-8")
        for marker in ABSOLUTE:
            assert marker not in text, (path.name, marker)
        # the briefing sits in a srcdoc frame: its links are escaped once more
        for marker in ('href=&quot;/', "href=&#34;/", "href=&quot;http"):
            assert marker not in text, (path.name, marker)
        for target in re.findall(r'href=(?:"|&quot;|&#34;)([^"&#]+\.html)', text):
            assert (site / target).exists(), (path.name, target)   # every page linked to was written
    brief = (site / "briefing-2026-en.html").read_text(encoding="utf-8")
    assert "doc-" in brief and "/document/" not in brief


def test_export_site_failure_keeps_the_previous_site(atlas_db: Path, tmp_path: Path, monkeypatch) -> None:
    from policyatlas.views.web import export
    from policyatlas.views.web.pages import briefing

    site = tmp_path / "site"
    export.export_site(atlas_db, site)
    before = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}

    def broken(*args, **kwargs):
        raise RuntimeError("renderer failed")

    monkeypatch.setattr(briefing, "data", broken)
    with pytest.raises(RuntimeError, match="renderer failed"):
        export.export_site(atlas_db, site)
    after = {p.relative_to(site): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert after == before
    assert [p.name for p in tmp_path.iterdir()] == ["site"]          # no temporary folder left behind
    monkeypatch.undo()
    (site / "stale.html").write_text("old", encoding="utf-8")
    export.export_site(atlas_db, site)                                  # a re-export replaces the whole site
    assert not (site / "stale.html").exists() and (site / "index.html").exists()


def test_export_site_refuses_to_replace_a_folder_that_is_not_a_site(atlas_db: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from policyatlas.views.cli import app

    folder = tmp_path / "notes"
    folder.mkdir()
    (folder / "mine.txt").write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(app, ["export-site", str(folder), "--db", str(atlas_db)])
    assert result.exit_code == 2 and "not a policyatlas site" in result.output
    assert [p.name for p in folder.iterdir()] == ["mine.txt"]


def test_serve_binds_localhost_by_default(atlas_db: Path) -> None:
    """`policyatlas serve` without --host listens on 127.0.0.1 only (checked in the kernel's socket table)."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    tables = [Path("/proc/net/tcp"), Path("/proc/net/tcp6")]
    if not tables[0].exists():
        pytest.skip("needs Linux /proc/net/tcp")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-c", "from policyatlas.views.cli import app; app()", "serve", "--db", str(atlas_db),
                             "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert proc.poll() is None, proc.stderr.read().decode()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/industries", timeout=2) as response:
                    assert response.status == 200
                break
            except OSError:
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.1)
        listening = []
        for table in tables:
            if not table.exists():
                continue
            for line in table.read_text().splitlines()[1:]:
                local, state = line.split()[1], line.split()[3]
                address, hexport = local.split(":")
                if state == "0A" and int(hexport, 16) == port:      # 0A = LISTEN
                    listening.append(address)
        assert listening == ["0100007F"], listening                  # 127.0.0.1 (little-endian hex), nothing else
    finally:
        proc.terminate()
        proc.wait(timeout=10)
