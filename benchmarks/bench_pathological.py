"""Extraction time per MB on pathological text, 10 KB → 5 MB (→ 50 MB with --huge).

Each kind of text repeats one unit (a clause, a run of dots, a heading-like line…) to the
size; a linear-time pipeline keeps seconds per MB flat, so the printed ratio to the 10 KB
figure stays near 1 (a quadratic stage doubles it with every doubling of the size).

    .venv/bin/python benchmarks/bench_pathological.py [--huge] [--news] [--kind NAME] [--max-seconds S]
"""

from __future__ import annotations

import argparse
import sys
import time

from policyatlas.extract.pipeline import extract
from policyatlas.text.documents import Document

KB = 1024
MB = 1024 * KB

#: name → (language, repeated unit, optional prefix): each a shape that once cost super-linear time.
KINDS: dict[str, tuple[str, str, str]] = {
    # a whole report on one line (no line breaks, no sentence ends)
    "one-line-zh": ("zh", "大力发展人工智能产业和低空经济，推动商业航天、生物制造等新兴产业发展，", "二、2026年主要工作\n"),
    # one sentence of target-like clauses ("到2027年，产值达到100亿元，…")
    "target-clauses": ("zh", "到2027年，新能源汽车产量达到100万辆、产值突破1000亿元，", "二、2026年主要工作\n大力发展"),
    # English runs of dots between words
    "dot-runs-en": ("en", "We will develop offshore wind power" + "." * 200 + " ", "Report on the Work of the Government\n"),
    # a line of only dots, very long
    "dots-only": ("en", "....................", "We will develop artificial intelligence.\n"),
    # thousands of heading-shaped lines (一、 二、 …) and list items
    "heading-lines": ("zh", "一、大力发展人工智能产业\n（一）培育低空经济。\n", "各位代表：\n"),
    # many short sentences, each with a mention
    "short-sentences": ("zh", "发展低空经济。", "二、2026年主要工作\n"),
    # unbalanced brackets and quotes, which clause splitting keeps whole
    "open-brackets": ("zh", "（大力发展“人工智能（产业，", "二、2026年主要工作\n"),
}


def make_text(kind: str, size: int) -> tuple[str, str]:
    """(language, text of about `size` characters) of one pathological kind."""
    lang, unit, prefix = KINDS[kind]
    count = max(1, (size - len(prefix)) // len(unit))
    return lang, prefix + unit * count


def seconds(kind: str, size: int, news: bool = False) -> float:
    lang, text = make_text(kind, size)
    # a region's own report (what a loaded work report is) unless --news: then the clause-subject
    # attribution of news texts runs too
    title = None if news else ("2026年湖南省政府工作报告" if lang == "zh" else "Report on the Work of the Government")
    doc = Document(text=text, source=f"<{kind}>", title=title, year=2026, lang=lang,
                   adcode="430000", level="province")
    started = time.perf_counter()
    extract(doc, include_rejected=True)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--huge", action="store_true", help="go up to 50 MB (slow)")
    parser.add_argument("--kind", action="append", choices=sorted(KINDS), help="only these kinds")
    parser.add_argument("--news", action="store_true", help="texts without a report title (news attribution)")
    parser.add_argument("--max-seconds", type=float, default=120.0,
                        help="stop a kind once one size takes longer than this")
    args = parser.parse_args(argv)
    sizes = [10 * KB, 100 * KB, 1 * MB, 5 * MB] + ([20 * MB, 50 * MB] if args.huge else [])
    print(f"{'kind':<16} {'size':>8} {'seconds':>9} {'s/MB':>8} {'ratio to 10 KB':>15}")
    worst = 0.0
    for kind in args.kind or list(KINDS):
        base = None
        for size in sizes:
            took = seconds(kind, size, args.news)
            per_mb = took / (size / MB)
            # the 10 KB figure is noisy: take the best of several runs
            if base is None:
                per_mb = min([per_mb] + [seconds(kind, size, args.news) / (size / MB) for _ in range(4)])
                base = per_mb
            ratio = per_mb / base if base else float("nan")
            worst = max(worst, ratio)
            label = f"{size // MB} MB" if size >= MB else f"{size // KB} KB"
            print(f"{kind:<16} {label:>8} {took:9.3f} {per_mb:8.3f} {ratio:15.2f}", flush=True)
            if took > args.max_seconds:
                print(f"{kind:<16} stopped: over {args.max_seconds:g} s", flush=True)
                break
    print(f"worst ratio: {worst:.2f} (flat ≈ 1; quadratic doubles with each size step)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
