"""Benchmark: policyatlas extraction vs the jieba keyword-count baseline and vs one bare
Aho-Corasick pass of the taxonomy's terms over the same texts, same corpus, same process.

Prints each method's throughput (MB/s of UTF-8 text) and peak traced memory, and the ratios
(the scale target: extract within 5× of the bare Aho-Corasick pass).
Not a test: machines here are noisy, so only ratios measured in one run mean anything.

    .venv/bin/python benchmarks/bench_extract.py [CORPUS] [--repeat N]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

from policyatlas.evaluate.baseline import KeywordCounter
from policyatlas.text.documents import Document
from policyatlas.extract.pipeline import extract
from policyatlas.ingest.sources import LoadError, load_paths

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def measure(label: str, work: Callable[[], int], megabytes: float, repeat: int) -> tuple[float, int]:
    """Best-of-N seconds and peak traced bytes of one pass."""
    work()  # warm caches (automata, jieba dictionary)
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - started)
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<34} {best:7.3f} s  {megabytes / best:7.2f} MB/s  peak {peak / 2**20:6.1f} MiB")
    return best, peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    docs: list[Document] = [d for d in load_paths([args.corpus]) if not isinstance(d, LoadError)]
    megabytes = sum(len(d.text.encode("utf-8")) for d in docs) / 1e6
    print(f"{len(docs)} documents, {megabytes:.2f} MB of text, best of {args.repeat}")

    def ours() -> int:
        for d in docs:
            d.sections = []  # section detection is part of the work measured
        return sum(len(extract(d)) for d in docs)

    counter = KeywordCounter()

    def baseline() -> int:
        return sum(len(counter.counts(d.text)) for d in docs)

    from policyatlas.extract.mentions import finder

    automata = {lang: finder(lang).automaton for lang in ("zh", "en")}

    def one_pass() -> int:
        return sum(len(automata.get(d.lang, automata["zh"]).find_matches_as_indexes(d.text)) for d in docs)

    ours_s, ours_mem = measure("policyatlas extract", ours, megabytes, args.repeat)
    ac_s, _ = measure("one ahocorasick-rs pass (terms)", one_pass, megabytes, args.repeat)
    base_s, base_mem = measure("baseline (jieba + term counts)", baseline, megabytes, args.repeat)
    print(f"speed ratio policyatlas / baseline: {base_s / ours_s:.1f}x")
    print(f"extract time / one ahocorasick pass: {ours_s / ac_s:.1f}x (target <= 5x)")
    print(f"peak memory ratio policyatlas / baseline: {ours_mem / base_mem:.2f}")


if __name__ == "__main__":
    main()
