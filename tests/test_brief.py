"""The briefing: every quote it cites is the cited document's text at the cited offsets."""

from __future__ import annotations

import html
import re

import pytest

from policyatlas.analysis.brief import amount, build_brief, render_brief

# Links are the server's document route (`ServerLinks.document`), the same the other pages use.
MD_QUOTE = re.compile(r"「([^」]*)」 — \[doc/([0-9a-f]+)#(\d+)-(\d+)\]\(/document/\2\?start=\3&end=\4#c\3\)")
MD_LINK = re.compile(r"\]\(/document/([0-9a-f]+)\?start=(\d+)&end=(\d+)#c\2\)")
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
        assert text(doc)[int(start):int(end)] == quote
    links = MD_LINK.findall(md)
    assert len(links) == len(citations)
    for doc, start, end in links:
        assert 0 <= int(start) < int(end) <= len(text(doc))
    page = render_brief(brief, "html")
    for quote, doc, start, end in HTML_QUOTE.findall(page):
        assert text(doc)[int(start):int(end)] == html.unescape(quote)
    assert len(HTML_QUOTE.findall(page)) == len(quoted)


def test_crowded_sentence_states_the_real_count(atlas) -> None:
    brief = build_brief(atlas, 2026, "en")
    crowd = atlas.crowding(2026)
    first = brief.sections[0].sentences[0]
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
    links = MD_LINK.findall(md)
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
