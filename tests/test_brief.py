"""The briefing: every quote it cites is the cited document's text at the cited offsets."""

from __future__ import annotations

import html
import re

import pytest

from policyatlas.analysis.brief import amount, build_brief, render_brief

# HTML links are the server's document route (`ServerLinks.document`), the same the other pages use;
# Markdown is read outside the server, so it links the exported site's pages and names doc id + offsets.
MD_QUOTE = re.compile(r"「([^」]*)」 — \[doc/([0-9a-f]+)#(\d+)-(\d+)\]\(doc-\2\.html#c\3\)")
MD_LINK = re.compile(r"\]\(doc-([0-9a-f]+)\.html#c(\d+)\)")
SERVED_MD_LINK = re.compile(r"\]\(http://testserver/document/([0-9a-f]+)\?start=(\d+)&end=(\d+)#c\2\)")
HTML_QUOTE = re.compile(r'<q>(.*?)</q> <a href="/document/([0-9a-f]+)\?start=(\d+)&amp;end=(\d+)#c\3" target="_top"')
HTML_HREF = re.compile(r'href="([^"#][^"]*)"')


def test_amounts_in_words() -> None:
    assert amount(2000, "亿元", "exceed", "en") == "more than CNY 200 billion"
    assert amount(400, "万千瓦", "at_least", "en") == "at least 4,000 MW"
    assert amount(12, "个", "exact", "en") == "12 个"
    assert amount(200, "亿元", "exceed", "zh") == "突破200亿元"


@pytest.mark.parametrize("year", [2025, 2026])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_cited_quote_is_in_the_cited_document(atlas, year: int, lang: str) -> None:
    brief = build_brief(atlas, year, lang)
    texts: dict[str, str] = {}

    def text(doc: str) -> str:
        return texts.setdefault(doc, atlas.document(doc)["text"])

    citations = brief.citations()
    assert len(citations) > 50
    for c in citations:
        assert text(c.doc)[c.start:c.end] == c.quote
    for section in brief.sections:
        for sentence in section.sentences:
            assert sentence.citations, sentence.text   # no sentence without evidence
    md = render_brief(brief, "md")
    quoted = MD_QUOTE.findall(md)
    assert len(quoted) == sum(c.shown for c in citations)
    for quote, doc, start, end in quoted:
        assert text(doc)[int(start):int(end)] == html.unescape(quote)   # escaped for Markdown, exact once unescaped
    links = MD_LINK.findall(md)
    assert len(links) == len(citations)
    for doc, start in links:
        assert 0 <= int(start) < len(text(doc))
    page = render_brief(brief, "html")
    for quote, doc, start, end in HTML_QUOTE.findall(page):
        assert text(doc)[int(start):int(end)] == html.unescape(quote)
    assert len(HTML_QUOTE.findall(page)) == len(quoted)


def test_crowded_sentence_states_the_real_count(atlas) -> None:
    brief = build_brief(atlas, 2026, "en")
    crowd = atlas.crowding(2026)
    first = next(s for s in brief.sections if s.key == "crowded").sentences[0]
    top = crowd.iloc[0]
    assert str(int(top["count"])) in first.text
    assert len(first.citations) == top["count"]                     # one citation per counted province
    assert {c.adcode for c in first.citations} == set(top["regions"])
    names = [c.region for c in first.citations if c.shown]
    assert all(name in first.text for name in names)


def test_new_since_last_year_only_when_there_is_a_last_year(atlas) -> None:
    titles_2025 = [s.title for s in build_brief(atlas, 2025, "en").sections]
    titles_2026 = [s.title for s in build_brief(atlas, 2026, "en").sections]
    assert not any("since" in t for t in titles_2025)
    assert any("since 2025" in t for t in titles_2026)


@pytest.fixture(scope="module")
def client(atlas_db):
    from fastapi.testclient import TestClient

    from policyatlas.views.web import create_app

    return TestClient(create_app(atlas_db), raise_server_exceptions=False)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_served_briefing_links_open_the_highlighted_quote(client, atlas, lang: str) -> None:
    served = client.get("/briefing", params={"year": 2026, "lang": lang, "format": "json"})
    assert served.status_code == 200
    page = served.json()["html"]
    quotes = HTML_QUOTE.findall(page)
    assert quotes
    hrefs = HTML_HREF.findall(page)
    assert hrefs and all(h.startswith("/document/") for h in hrefs)
    framed = client.get("/briefing", params={"year": 2026, "lang": lang}).text
    assert html.escape(hrefs[0]) in framed or html.escape(html.escape(hrefs[0])) in framed
    for quote, doc, start, end in quotes[:3] + quotes[-2:]:
        url = f"/document/{doc}?start={start}&end={end}"
        assert url in {html.unescape(h).split("#")[0] for h in hrefs}
        opened = client.get(url)
        assert opened.status_code == 200, (url, opened.text[:200])
        marked = "".join(re.findall(r'<mark class="hl"[^>]*>(.*?)</mark>', opened.text, re.S))
        assert html.unescape(marked) == html.unescape(quote)
        assert f'<mark class="hl" id="c{start}">' in opened.text       # the link's #c<start> anchor exists
    for href in hrefs[:40]:                                            # every kind of link, quoted or not
        assert client.get(html.unescape(href)).status_code == 200, href


def test_markdown_briefing_links_open_on_the_server(client) -> None:
    md = client.get("/briefing", params={"year": 2025, "lang": "en", "format": "md"}).text
    links = SERVED_MD_LINK.findall(md)   # absolute: the downloaded file still opens them
    assert links
    for doc, start, end in links[:5]:
        assert client.get(f"/document/{doc}", params={"start": start, "end": end}).status_code == 200


def test_briefing_links_follow_the_given_link_scheme(atlas) -> None:
    from policyatlas.analysis.brief import brief
    from policyatlas.views.web.links import StaticLinks

    page = brief(atlas, 2026, "en", "html", links=StaticLinks())
    hrefs = HTML_HREF.findall(page)
    assert hrefs and all(re.fullmatch(r"doc-[0-9a-f]+\.html#c\d+", h) for h in hrefs), hrefs[:3]
    assert "/document/" not in page and "/doc/" not in page
    md = brief(atlas, 2026, "en", "md", links=StaticLinks())
    assert "](doc-" in md and "](/" not in md


# --- item 8: the briefing reads like reporting (themes, concrete commitments, clean Markdown) ---

def _theme(brief, key: str):
    found = [s for s in brief.sections if s.key == key]
    assert found, [s.key for s in brief.sections]
    return found[0]


def test_2025_briefing_leads_with_chips_and_names_every_chip_province(atlas) -> None:
    brief = build_brief(atlas, 2025, "en")
    assert brief.sections[0].key == "chokepoint"                 # the lead, as the press had it
    chips = _theme(brief, "chokepoint")
    text = " ".join(s.text for s in chips.sentences)
    assert "semiconductor" in text.lower()
    committed = set(atlas.plan_frame(2025).query("slug == 'integrated-circuits'")["adcode"])
    assert len(committed) >= 10
    for adcode in committed:
        assert atlas.gazetteer.get(adcode).name_en in text, adcode
    assert {c.adcode for s in chips.sentences for c in s.citations} == committed


@pytest.mark.parametrize("lang, needle", [("en", "Beijing: build two 10,000-card intelligent computing clusters"),
                                          ("zh", "北京：建成2个万卡智算集群")])
def test_2025_briefing_names_beijings_two_10000_card_clusters(atlas, lang: str, needle: str) -> None:
    brief = build_brief(atlas, 2025, lang)
    hits = [s for sec in brief.sections[:5] for s in sec.sentences if needle in s.text]
    assert hits, needle
    quote = hits[0].citations[0]
    assert "2个万卡智算集群" in quote.quote and quote.adcode == "110000"
    assert atlas.document(quote.doc)["text"][quote.start:quote.end] == quote.quote


@pytest.mark.parametrize("key", ["chokepoint", "compute", "strength", "frontier", "instruments"])
def test_every_theme_has_items_with_a_quote(atlas, key: str) -> None:
    for lang in ("en", "zh"):
        section = _theme(build_brief(atlas, 2025, lang), key)
        items = [s for s in section.sentences if s.item]
        assert items and all(len(s.citations) == 1 and s.citations[0].shown for s in items)


def test_themes_are_data_in_both_languages() -> None:
    from policyatlas.analysis.brief import strings, theme_rules

    keys = [t["key"] for t in theme_rules()]
    assert keys[:2] == ["chokepoint", "compute"] and "frontier" in keys and "instruments" in keys
    assert set(strings("zh")["themes"]) == set(keys)


@pytest.mark.parametrize("year", [2025, 2026])
def test_english_sentences_begin_with_capitals(atlas, year: int) -> None:
    for section in build_brief(atlas, year, "en").sections:
        for sentence in [section.title] + [s.text for s in section.sentences]:
            first = next(ch for ch in sentence if ch.isalnum())
            assert not (first.isascii() and first.islower()), sentence


def test_markdown_has_no_raw_html_from_document_text() -> None:
    from policyatlas.analysis.brief import Brief, Citation, Section, Sentence

    hostile = Citation("440000", "Guangdong", "ab12", 0, 40, '<script>alert(1)</script>[x](javascript:1) *a*')
    brief = Brief(2026, "en", "T", "N", [Section("S", [Sentence("A sentence.", [hostile])])])
    md = render_brief(brief, "md")
    assert "<script" not in md and "](javascript" not in md and "*a*" not in md
    quote = MD_QUOTE.search(md).group(1)
    assert html.unescape(quote) == hostile.quote


def test_markdown_links_open_outside_the_server(atlas) -> None:
    md = render_brief(build_brief(atlas, 2025, "en"), "md")
    assert "](/" not in md and "](doc-" in md
    assert re.search(r"\[doc/[0-9a-f]+#\d+-\d+\]", md)            # doc id and offsets travel with the file
    from policyatlas.views.web.links import StaticLinks

    hosted = render_brief(build_brief(atlas, 2025, "en"), "md", StaticLinks("https://example.org/atlas"))
    assert "](https://example.org/atlas/doc-" in hosted


def test_cli_markdown_links_are_absolute_or_into_the_exported_site(atlas_db) -> None:
    from typer.testing import CliRunner

    from policyatlas.views.cli import app

    served = CliRunner().invoke(app, ["brief", "--year", "2025", "--db", str(atlas_db)])
    assert served.exit_code == 0, served.output
    assert "](/" not in served.stdout and "](http://127.0.0.1:8000/document/" in served.stdout
    hosted = CliRunner().invoke(app, ["brief", "--year", "2025", "--site", "https://example.org/atlas/", "--db", str(atlas_db)])
    assert "](https://example.org/atlas/doc-" in hosted.stdout and "](/" not in hosted.stdout


def test_exported_site_has_the_markdown_briefing_and_its_link_targets(atlas_db, tmp_path) -> None:
    from policyatlas.views.web.export import export_site

    site = tmp_path / "site"
    export_site(atlas_db, site)
    md = (site / "briefing-2025-en.md").read_text(encoding="utf-8")
    targets = set(MD_LINK.findall(md))
    assert targets
    for doc, start in targets:
        page = (site / f"doc-{doc}.html").read_text(encoding="utf-8")
        assert f'id="c{start}"' in page                               # the link lands on the cited span
