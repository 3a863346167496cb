"""Sentences and clauses: trimmed spans that never cross a sentence end, on the real corpus."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from policyatlas.text.documents import PLAN_KINDS, Document
from policyatlas.text.sections import annotate_sections
from policyatlas.text.sentences import split_clauses, split_sentences
from policyatlas.ingest.sources import load_path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
SPACE = " \t\r\n\u3000\u00a0\u200b"


@pytest.fixture(scope="module")
def provincial() -> dict[tuple[int, str], Document]:
    with open(CORPUS / "manifest.csv", encoding="utf-8") as fh:
        rows = [row for row in csv.DictReader(fh) if row["level"] == "province"]
    docs = {}
    for row in rows:
        (doc,) = list(load_path(CORPUS / row["path"]))
        docs[(int(row["year"]), row["region"])] = annotate_sections(doc)
    return docs


def test_sentences_are_trimmed_and_end_at_terminators(provincial):
    for key, doc in provincial.items():
        spans = split_sentences(doc.text)
        assert len(spans) > 100, key
        previous_end = 0
        for start, end in spans:
            piece = doc.text[start:end]
            assert start >= previous_end and start < end
            assert piece[0] not in SPACE and piece[-1] not in SPACE, (key, piece)
            assert "\n" not in piece
            body = piece.rstrip("”’」』）)]")
            assert "。" not in body[:-1] and "！" not in body[:-1] and "？" not in body[:-1], (key, piece)
            previous_end = end


def test_every_sentence_end_is_a_boundary(provincial):
    """Whatever follows a 。 (after closing quotes) starts a new sentence."""
    doc = provincial[(2025, "北京")]
    starts = {start for start, _ in split_sentences(doc.text)}
    for index, char in enumerate(doc.text[:-1]):
        if char == "。" and doc.text[index + 1] not in "”’」』）)\n" + SPACE:
            assert index + 1 in starts


def test_a_real_plan_sentence_is_one_sentence(provincial):
    doc = provincial[(2025, "北京")]
    at = doc.text.index("建成2个万卡智算集群")
    assert doc.section_at(at).kind in PLAN_KINDS
    (span,) = [(s, e) for s, e in split_sentences(doc.text) if s <= at < e]
    sentence = doc.text[span[0] : span[1]]
    assert sentence.endswith("建成2个万卡智算集群。")
    assert "5G移动网络" in sentence and doc.text[span[0] - 1] in "。\n"
    clauses = [doc.text[s:e] for s, e in split_clauses(doc.text, *span)]
    assert clauses[-1] == "建成2个万卡智算集群"
    assert len(clauses) == 3 and all("，" not in clause for clause in clauses)


def test_ranges_are_respected(provincial):
    doc = provincial[(2026, "上海")]
    for section in doc.sections:
        spans = split_sentences(doc.text, section.start, section.end)
        assert all(section.start <= s < e <= section.end for s, e in spans)
    assert split_sentences(doc.text, 5, 5) == []


def test_chinese_sentences():
    text = "　　各位代表！今年要“稳中求进。”我们将发展人工智能？\n\n２０２５年目标：增长5%左右\n。\n"
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "各位代表！",
        "今年要“稳中求进。”",
        "我们将发展人工智能？",
        "２０２５年目标：增长5%左右",
    ]
    assert [text[s:e] for s, e in split_sentences(text, 2, 9)] == ["各位代表！", "今年"]


def test_clauses():
    text = "到2027年，人工智能核心产业规模达到3000亿元（其中，算力1,000亿元）；建成“算力券，模型券”制度。"
    assert [text[s:e] for s, e in split_clauses(text)] == [
        "到2027年，人工智能核心产业规模达到3000亿元（其中，算力1,000亿元）",
        "建成“算力券，模型券”制度",
    ]
    for s, e in split_clauses(text):
        assert "；" not in text[s:e] and text[s:e] == text[s:e].strip()


def test_clauses_never_cross_sentences(provincial):
    doc = provincial[(2026, "安徽")]
    for start, end in split_sentences(doc.text)[:2000]:
        for s, e in split_clauses(doc.text, start, end):
            assert start <= s < e <= end
            assert "；" not in doc.text[s:e] and "\n" not in doc.text[s:e]


def test_english_sentences():
    text = (
        "Mr. Li met U.S. officials on Jan. 5. The economy grew 5.0 percent! "
        "\"We will act,\" he said. No. 1 priority is jobs, e.g. for graduates.\n"
        "  Work for 2025  \nIn 2025, we will develop new industries such as AI, quantum technology "
        "and biomanufacturing; GDP growth of around 5 percent."
    )
    assert [text[s:e] for s, e in split_sentences(text, lang="en")] == [
        "Mr. Li met U.S. officials on Jan. 5.",
        "The economy grew 5.0 percent!",
        "\"We will act,\" he said.",
        "No. 1 priority is jobs, e.g. for graduates.",
        "Work for 2025",
        "In 2025, we will develop new industries such as AI, quantum technology and biomanufacturing; "
        "GDP growth of around 5 percent.",
    ]
    last = split_sentences(text, lang="en")[-1]
    assert [text[s:e] for s, e in split_clauses(text, *last, lang="en")] == [
        "In 2025, we will develop new industries such as AI",
        "quantum technology and biomanufacturing",
        "GDP growth of around 5 percent.",
    ]
