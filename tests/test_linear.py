"""Text stages stay linear on pathological input: work per sentence, not per mention × sentence."""

from __future__ import annotations

import time

from policyatlas.extract import commitments
from policyatlas.extract.pipeline import extract
from policyatlas.text.documents import Document
from policyatlas.text.sentences import MAX_SENTENCE, split_sentences


def _doc(text: str, lang: str = "zh") -> Document:
    return Document(text=text, source="<pathological>", lang=lang, adcode="440000", level="province", year=2026)


def test_clauses_are_split_once_per_sentence_not_once_per_mention(monkeypatch) -> None:
    calls = []
    real = commitments.split_clauses
    monkeypatch.setattr(commitments, "split_clauses", lambda *a, **k: calls.append(a[1:3]) or real(*a, **k))
    # one sentence without punctuation naming the industry 300 times (a one-line web dump)
    text = "今后工作安排\n" + "大力发展人工智能" * 300 + "。"
    found = extract(_doc(text), include_rejected=True)
    assert len(found) >= 1
    assert len(calls) == len(set(calls)), "a sentence's clauses were split more than once"


def _seconds(fn, *args) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        fn(*args)
        best = min(best, time.perf_counter() - started)
    return best


def test_english_sentence_split_is_linear_on_a_run_of_dots() -> None:
    # quadratic before: 20k → 40k dots took 3.6 → 14.3 s. A ratio in one process, not a clock.
    small = "Guangdong will develop artificial intelligence" + "." * 5_000
    large = "Guangdong will develop artificial intelligence" + "." * 20_000
    spans = split_sentences(large, lang="en")
    # one sentence, cut into pieces of at most MAX_SENTENCE (per-sentence work stays bounded)
    assert spans[0][0] == 0 and spans[-1][1] == len(large) and all(e - s <= MAX_SENTENCE for s, e in spans)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))
    ratio = _seconds(split_sentences, large, 0, None, "en") / max(_seconds(split_sentences, small, 0, None, "en"), 1e-6)
    assert ratio < 10, f"4× the dots took {ratio:.1f}× the time (quadratic would be ~16×)"


def test_abbreviation_runs_do_not_rescan_the_sentence() -> None:
    text = "Mr. " * 8_000 + "Smith said Guangdong will develop AI."
    spans = split_sentences(text, lang="en")
    assert spans and text[spans[-1][0]:spans[-1][1]].endswith("develop AI.")
    half = "Mr. " * 2_000 + "Smith said Guangdong will develop AI."
    ratio = _seconds(split_sentences, text, 0, None, "en") / max(_seconds(split_sentences, half, 0, None, "en"), 1e-6)
    assert ratio < 10, f"4× the abbreviations took {ratio:.1f}× the time"
