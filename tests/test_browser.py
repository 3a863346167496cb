"""The dashboard in headless Chromium (Debian's /usr/bin/chromium driven by Playwright).

Outside CI the tests skip when Chromium is missing; in CI (CI=true) they must run.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
SHOTS = Path(os.environ.get("POLICYATLAS_SHOTS", "/tmp/policyatlas-screenshots"))

if not Path(CHROMIUM).exists() and not IN_CI:
    pytest.skip(f"{CHROMIUM} not found (apt-get install chromium fonts-wqy-microhei); required when CI=true",
                allow_module_level=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(atlas_db: Path):
    import uvicorn

    from policyatlas.views.web import create_app
    from policyatlas.views.web.app import VENDOR

    assert (VENDOR / "echarts.min.js").exists(), "vendored assets missing: run `make vendor`"
    port = free_port()
    config = uvicorn.Config(create_app(atlas_db), host="127.0.0.1", port=port, log_level="warning")
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), f"{CHROMIUM} missing: .ci/run installs it with apt"
    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def exported_site(atlas_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The static export of the atlas, made once for the tests that open it from disk."""
    from policyatlas.views.web.export import export_site

    site = tmp_path_factory.mktemp("export") / "site"
    export_site(atlas_db, site)
    return site


@pytest.fixture()
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    yield opened
    context.close()
    assert not errors, errors


def pixel_stats(page, png: bytes) -> dict:
    """Variance and distinct colours of a PNG, decoded by the browser itself (no imaging library needed)."""
    import base64

    return page.evaluate("""async (src) => {
        const img = new Image(); img.src = src; await img.decode();
        const c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
        const g = c.getContext('2d'); g.drawImage(img, 0, 0);
        const d = g.getImageData(0, 0, c.width, c.height).data;
        let n = 0, sum = 0, sq = 0; const colours = new Set();
        for (let i = 0; i < d.length; i += 4) {
            const v = (d[i] + d[i + 1] + d[i + 2]) / 3; n++; sum += v; sq += v * v;
            if (colours.size < 5000) colours.add((d[i] << 16) | (d[i + 1] << 8) | d[i + 2]);
        }
        const mean = sum / n; return { mean, variance: sq / n - mean * mean, colours: colours.size, width: c.width, height: c.height };
    }""", "data:image/png;base64," + base64.b64encode(png).decode())


def platform_fonts(page, selector: str) -> list[str]:
    """The fonts Chromium actually used to draw a node's text (DevTools CSS.getPlatformFontsForNode)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    return [f["familyName"] for f in fonts]


def load_ms(page) -> dict:
    return page.evaluate("""() => { const n = performance.getEntriesByType('navigation')[0];
        return { domContentLoaded: Math.round(n.domContentLoadedEventEnd), load: Math.round(n.loadEventEnd) }; }""")


def wait_map(page, state: str | None = None) -> None:
    selector = f'body[data-map-ready="{state}"]' if state else "body[data-map-ready]"
    page.wait_for_selector(selector, state="attached", timeout=20000)


def test_map_switch_industry_and_year_then_click_a_province(server: str, page) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    page.goto(f"{server}/map?industry=artificial-intelligence&year=2026")
    wait_map(page)
    drawn = (time.perf_counter() - start) * 1000
    timing = load_ms(page)
    print(f"\n[timing] map: DOMContentLoaded {timing['domContentLoaded']} ms, load {timing['load']} ms, "
          f"map drawn {drawn:.0f} ms after navigation start")
    assert page.locator("#map canvas").count() >= 1
    page.select_option("#industry", "humanoid-robots")
    wait_map(page, "humanoid-robots/2026")
    page.click("button.year[data-year='2025']")
    wait_map(page, "humanoid-robots/2025")
    assert "year=2025" in page.url and "humanoid-robots" in page.url
    assert "人形机器人" in page.inner_text("#summary")
    shot = page.locator("#map").screenshot(path=str(SHOTS / "map.png"))
    stats = pixel_stats(page, shot)
    assert stats["variance"] > 100 and stats["colours"] > 20, stats
    # the South China Sea islands inset is part of the map
    regions = page.evaluate("() => echarts.getInstanceByDom(document.getElementById('map')).getModel()"
                            ".getSeriesByIndex(0).coordinateSystem.regions.map(r => r.name)")
    assert "南海诸岛" in regions and "广东" in regions, regions
    # click on Guangdong (near Guangzhou) and land on its page
    point = page.evaluate("() => echarts.getInstanceByDom(document.getElementById('map')).convertToPixel({seriesIndex: 0}, [113.4, 23.4])")
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    page.wait_for_url("**/region/440000?year=2025", timeout=10000)
    assert "广东省" in page.inner_text("#region-name")


def test_region_evidence_opens_highlighted_sentence_in_chinese(server: str, page) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.goto(f"{server}/region/440000?year=2026")
    heading = page.locator("#region-name")
    assert "广东省" in heading.inner_text()
    fonts = platform_fonts(page, "#region-name")
    assert any("WenQuanYi" in f or "文泉" in f for f in fonts), fonts
    glyphs = pixel_stats(page, heading.screenshot(path=str(SHOTS / "region-heading.png")))
    assert glyphs["variance"] > 50, glyphs
    page.screenshot(path=str(SHOTS / "region.png"), full_page=False)
    first = page.locator("table.portfolio details").first
    first.locator("summary").click()
    link = first.locator("a.cite").first
    expected = first.locator("q").first.inner_text()
    link.click()
    page.wait_for_url("**/document/**")
    mark = page.locator("mark.hl")
    mark.wait_for()
    assert mark.inner_text().strip() == expected.strip()
    assert mark.is_visible()
    in_view = page.evaluate("() => { const r = document.querySelector('mark.hl').getBoundingClientRect();"
                            " return r.top >= 0 && r.top < window.innerHeight; }")
    assert in_view
    background = page.evaluate("() => getComputedStyle(document.querySelector('mark.hl')).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    shot = page.screenshot(path=str(SHOTS / "document.png"))
    assert pixel_stats(page, shot)["variance"] > 50


def test_heatmap_loads_and_sorts(server: str, page) -> None:
    start = time.perf_counter()
    page.goto(f"{server}/heatmap?year=2026")
    page.wait_for_selector("#heatmap tbody tr")
    took = (time.perf_counter() - start) * 1000
    timing = load_ms(page)
    print(f"\n[timing] heatmap: DOMContentLoaded {timing['domContentLoaded']} ms, load {timing['load']} ms, "
          f"table shown {took:.0f} ms after navigation start")
    counts = [int(x) for x in page.locator("#heatmap tr.crowd th").all_inner_texts()[2:]]
    assert counts == sorted(counts, reverse=True)  # columns ordered by crowding
    last = page.locator("#heatmap thead tr:first-child th[data-col]").last
    last.click()
    shot = page.screenshot()
    assert pixel_stats(page, shot)["variance"] > 100


def test_exported_site_opens_from_disk(exported_site: Path, browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto((exported_site / "index.html").as_uri() + "#6g/2026")
    wait_map(page, "6g/2026")
    page.click("#province-table a >> nth=0")
    page.wait_for_url("**/region-*-2026.html")
    assert page.locator("#region-name").inner_text()
    context.close()
    assert not errors, errors


def test_briefing_citation_opens_the_highlighted_quote(server: str, page) -> None:
    page.goto(f"{server}/briefing?year=2026&lang=en")
    frame = page.frame_locator("iframe.briefing")
    quote = frame.locator("li q").first.inner_text()
    frame.locator("li q + a").first.click()
    page.wait_for_url("**/document/**", timeout=10000)
    mark = page.locator("mark.hl")
    mark.first.wait_for()
    assert "".join(mark.all_inner_texts()).strip() == quote.strip()
    assert mark.first.is_visible()


def test_exported_briefing_citation_opens_its_document_from_disk(exported_site: Path, browser) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto((exported_site / "briefing-2026-en.html").as_uri())
    frame = page.frame_locator("iframe.briefing")
    quote = frame.locator("li q").first.inner_text()
    frame.locator("li q + a").first.click()
    page.wait_for_url("**/doc-*.html#c*", timeout=10000)
    target = page.locator(f"#{page.url.rsplit('#', 1)[1]}")
    assert target.is_visible() and quote.startswith(target.inner_text().strip()[:10])
    context.close()
    assert not errors, errors


def test_hostile_document_runs_no_script(browser, tmp_path: Path) -> None:
    import uvicorn

    from policyatlas.build.pipeline import build
    from policyatlas.views.web import create_app
    from test_web import HOSTILE

    source = tmp_path / "2026年广东省政府工作报告.txt"
    source.write_text(HOSTILE, encoding="utf-8")
    build([source], tmp_path / "hostile.duckdb")
    port = free_port()
    instance = uvicorn.Server(uvicorn.Config(create_app(tmp_path / "hostile.duckdb"), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    while not instance.started:
        time.sleep(0.05)
    try:
        context = browser.new_context()
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        doc_id = page.request.get(f"http://127.0.0.1:{port}/api/documents").json()[0]["id"]
        for url in (f"/document/{doc_id}", "/region/440000", "/search?q=人工智能"):
            page.goto(f"http://127.0.0.1:{port}{url}")
            page.wait_for_load_state("load")
            page.mouse.move(300, 300)
            assert page.locator("main img, main script").count() == 0
        assert "<script>alert('xss')</script>" in page.inner_text("main")  # shown as text
        context.close()
        assert not dialogs, dialogs
    finally:
        instance.should_exit = True
        thread.join(timeout=10)


# --- issue 10, item 7: what only a browser shows ---

def _label_colours(page) -> dict:
    """Province name → (fill, label colour) as ECharts drew them."""
    return page.evaluate("""() => {
        const chart = echarts.getInstanceByDom(document.getElementById('map'));
        const opt = chart.getOption(); const pieces = opt.visualMap[0].pieces; const out = {};
        for (const d of opt.series[0].data) {
            const piece = pieces.find(p => p.value === d.value);
            out[d.name] = [piece ? piece.color : null, d.label && d.label.color];
        }
        return out; }""")


def test_map_labels_readable_title_follows_and_png_downloads(server: str, page) -> None:
    from policyatlas.views.web.render import contrast

    page.goto(f"{server}/map?industry=artificial-intelligence&year=2026")
    wait_map(page, "artificial-intelligence/2026")
    drawn = _label_colours(page)
    dark = [name for name, (fill, _) in drawn.items() if fill == "#08306b"]
    assert dark, drawn                                               # some provinces are pillar-dark
    for name, (fill, label) in drawn.items():
        if fill is None:       # a map feature without data of ours (the South China Sea islands inset)
            continue
        assert label and contrast(fill, label) >= 4.5, (name, fill, label)
    page.select_option("#industry", "humanoid-robots")
    wait_map(page, "humanoid-robots/2026")
    page.click("button.year[data-year='2025']")
    wait_map(page, "humanoid-robots/2025")
    assert "人形机器人" in page.title() and "2025" in page.title()
    with page.expect_download() as info:
        page.click("#png")
    download = info.value
    assert download.suggested_filename == "map-humanoid-robots-2025.png"
    data = Path(download.path()).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    toolbox = page.evaluate("() => Object.keys(echarts.getInstanceByDom(document.getElementById('map')).getOption().toolbox[0].feature)")
    assert "saveAsImage" in toolbox


def test_heatmap_shows_every_row_without_an_inner_scroll_box(server: str, page) -> None:
    page.goto(f"{server}/heatmap?year=2026&lang=en")
    page.wait_for_selector("#heatmap tbody tr")
    box = page.evaluate("""() => { const t = document.getElementById('heatmap'); const w = t.parentElement;
        return { scroll: w.scrollHeight, client: w.clientHeight, rows: t.tBodies[0].rows.length, table: t.offsetHeight }; }""")
    assert box["rows"] >= 30 and box["scroll"] <= box["client"] + 2, box     # the page scrolls, not a box
    assert box["table"] > 900                                          # taller than the viewport: all rows laid out
    cell = page.locator("#heatmap tbody td a").first
    cell.click()
    page.wait_for_url("**/region/**#slug-*")
    slug = page.url.rsplit("#slug-", 1)[1]
    assert page.locator(f"#slug-{slug}").is_visible()


def test_change_map_draws_with_readable_labels_and_downloads(server: str, page) -> None:
    from policyatlas.views.web.render import contrast

    page.goto(f"{server}/change?industry=humanoid-robots&from=2025&to=2026")
    wait_map(page, "change/humanoid-robots")
    drawn = page.evaluate("""() => echarts.getInstanceByDom(document.getElementById('map')).getOption().series[0].data
        .filter(d => d.itemStyle).map(d => [d.name, d.itemStyle.areaColor, d.label.color])""")
    assert len(drawn) >= 31
    for name, fill, label in drawn:
        assert contrast(fill, label) >= 4.5, (name, fill, label)
    with page.expect_download() as info:
        page.click("#png")
    assert Path(info.value.path()).read_bytes()[:4] == b"\x89PNG"
