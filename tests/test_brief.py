"""The briefing: every quote it cites is the cited document's text at the cited offsets."""

from __future__ import annotations

import html
import re

import pytest

from policyatlas.brief import amount, build_brief, render_brief

MD_QUOTE = re.compile(r"「([^」]*)」 — \[doc/([0-9a-f]+)#(\d+)-(\d+)\]")
MD_LINK = re.compile(r"\]\(doc/([0-9a-f]+)#(\d+)-(\d+)\)")
HTML_QUOTE = re.compile(r'<q>(.*?)</q> <a href="/doc/([0-9a-f]+)\?start=(\d+)&amp;end=(\d+)"')


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
    for doc, start, end in MD_LINK.findall(md):
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
