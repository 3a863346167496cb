"""Properties over arbitrary input: loaders never raise; extraction never raises and quotes exactly."""

from __future__ import annotations

import os
import tempfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policyatlas.extract.pipeline import extract
from policyatlas.ingest.sources import LOADERS, LoadError, decode_bytes, load_path
from policyatlas.text.documents import Document

EXTENSIONS = sorted(LOADERS) + [".json", "", ".TXT", ".Csv"]
#: Bytes that make a file look like each format, so arbitrary tails reach the format's parser.
PREFIXES = [b"", b"\xef\xbb\xbf", b"\xff\xfe", b"\xff\xfe\x00\x00", b"PK\x03\x04", b"%PDF-1.4\n",
            b"<html><meta charset=big5>", b"year,full_text\n", b'{"content": ', "2026年".encode()]

ZH_PIECES = ["大力发展", "人工智能", "产业", "低空经济", "，", "。", "；", "\n", "到2027年", "产值达到", "100亿元",
             "一、", "二、2026年主要工作", "（", "）", "“", "”", "我省", "广东省", "将", "不", "...", " ", "、", "万辆"]
EN_PIECES = ["We will", " develop", " artificial intelligence", " offshore wind", ".", "...", "\n", ", ", " by 2027",
             " 100 billion yuan", "Guangdong", " will not", " (", ")", "Mr.", " U.S.", "I.", " ", "; "]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=st.sampled_from(PREFIXES), body=st.binary(max_size=600), suffix=st.sampled_from(EXTENSIONS))
def test_load_path_never_raises_on_arbitrary_bytes(prefix, body, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "input" + suffix)
        with open(path, "wb") as fh:
            fh.write(prefix + body)
        items = list(load_path(path))
    assert items, "neither a document nor a LoadError"
    for item in items:
        assert isinstance(item, (Document, LoadError))
        if isinstance(item, Document):
            item.text.encode("utf-8")  # storable: no lone surrogates
        else:
            assert item.stage in ("list", "read", "decode", "parse", "limit", "metadata")


@settings(max_examples=80, deadline=None)
@given(data=st.binary(max_size=300))
def test_decode_bytes_returns_text_or_a_named_error(data):
    try:
        assert isinstance(decode_bytes(data), str)
    except ValueError as exc:  # SourceError
        assert str(exc)




def _texts(pieces: list[str]) -> st.SearchStrategy[str]:
    return st.lists(st.one_of(st.sampled_from(pieces), st.text(max_size=4)), max_size=60).map("".join)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=st.one_of(_texts(ZH_PIECES), _texts(EN_PIECES)), lang=st.sampled_from(["zh", "en"]),
       report=st.booleans(), year=st.one_of(st.none(), st.integers(1949, 2100)))
def test_extract_never_raises_and_quotes_its_sentence_exactly(text, lang, report, year):
    title = ("2026年湖南省政府工作报告" if lang == "zh" else "Report on the Work of the Government") if report else None
    doc = Document(text=text, source="<prop>", title=title, year=year, lang=lang,
                   adcode="430000" if report else None, level="province" if report else None)
    for commitment in extract(doc, include_rejected=True):
        assert doc.text[commitment.start:commitment.end] == commitment.sentence
        assert commitment.start <= commitment.mention_start < commitment.mention_end <= commitment.end


def test_a_zero_denominator_does_not_raise():
    text = "二、2026年主要工作\n大力发展人工智能产业，到2027年产值达到1/0亿元。"
    doc = Document(text=text, source="<prop>", title="2026年湖南省政府工作报告", year=2026, lang="zh",
                   adcode="430000", level="province")
    extract(doc, include_rejected=True)


@settings(max_examples=150, deadline=None)
@given(text=_texts(ZH_PIECES + ["\n\n", "。”", "！", "  ", "\u3000", "人工智能" * 300]), data=st.data())
def test_sentences_from_the_whole_text_equal_a_fresh_split(text, data):
    from policyatlas.text import sentences

    line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]
    start = data.draw(st.sampled_from(line_starts))
    end = data.draw(st.integers(start, len(text)))
    assert sentences.split_sentences(text, start, end, "zh") == sentences._zh(text, start, end)
