"""Benchmark: every CLI/API query of `Atlas` on the corpus atlas and on a 300× replica of it.

The replica (40,200 documents at 300×) is made inside DuckDB by copying every stored
document, section, commitment and target with new ids — what a build of 300 distinct copies
of the corpus would store, in seconds instead of minutes. Each query is timed in-process
(best of 3) on both atlases; the ratio to the 1× atlas is printed, with the 0.3 s goal.

    .venv/bin/python benchmarks/bench_queries.py [--copies 300] [--db ATLAS]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def replicate(source: Path, target: Path, copies: int) -> int:
    """`target`: `source` with every document stored `copies` times (distinct ids); documents stored."""
    shutil.copyfile(source, target)
    con = duckdb.connect(str(target))
    step = con.execute("SELECT coalesce(max(id), 0) FROM commitments").fetchall()[0][0]
    con.execute("CREATE TEMP TABLE k AS SELECT range AS k FROM range(1, ?)", [copies])
    con.execute("CREATE TEMP TABLE d0 AS SELECT * FROM documents")
    con.execute("CREATE TEMP TABLE s0 AS SELECT * FROM sections")
    con.execute("CREATE TEMP TABLE c0 AS SELECT * FROM commitments")
    con.execute("CREATE TEMP TABLE t0 AS SELECT * FROM targets")
    con.execute("INSERT INTO documents SELECT d0.* REPLACE (id || '-' || k AS id, source || '#copy' || k AS source) FROM d0, k")
    con.execute("INSERT INTO sections SELECT s0.* REPLACE (doc_id || '-' || k AS doc_id) FROM s0, k")
    con.execute(f"INSERT INTO commitments SELECT c0.* REPLACE (id + k * {step} AS id, doc_id || '-' || k AS doc_id) FROM c0, k")
    con.execute(f"INSERT INTO targets SELECT t0.* REPLACE (commitment_id + k * {step} AS commitment_id, "
                "doc_id || '-' || k AS doc_id) FROM t0, k")
    count = con.execute("SELECT count(*) FROM documents").fetchall()[0][0]
    con.execute("CHECKPOINT")
    con.close()
    return count


def queries(atlas) -> dict[str, Callable[[], object]]:
    """One call per CLI command / API route that reads the atlas."""
    year = atlas.latest_year()
    return {
        "who ai": lambda: atlas.who("artificial-intelligence", year),
        "who fusion": lambda: atlas.who("nuclear-fusion", year),
        "profile Anhui": lambda: atlas.profile("Anhui", year),
        "matrix": lambda: atlas.matrix(year),
        "crowding": lambda: atlas.crowding(year),
        "specialization": lambda: atlas.specialization(year),
        "signatures Beijing": lambda: atlas.signatures(year, "Beijing"),
        "similar Anhui": lambda: atlas.similar("Anhui", year),
        "clusters": lambda: atlas.clusters(year),
        "diff Anhui 2025→2026": lambda: atlas.diff("Anhui", year - 1, year),
        "diff_all 2025→2026": lambda: atlas.diff_all(year - 1, year),
        "search 氢能": lambda: atlas.search_sentences("氢能"),
        "documents (API page)": lambda: atlas.documents(limit=1000),
        "years": lambda: atlas.years(),
    }


def best(call: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        call()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=300)
    parser.add_argument("--db", help="a corpus atlas to start from (default: build one)")
    args = parser.parse_args()
    from policyatlas.atlas import Atlas
    from policyatlas.build.pipeline import build

    folder = Path(tempfile.mkdtemp(prefix="bench-queries-"))
    try:
        small = Path(args.db) if args.db else folder / "x1.duckdb"
        if not args.db:
            build([CORPUS], small)
        large = folder / f"x{args.copies}.duckdb"
        count = replicate(small, large, args.copies)
        print(f"1× atlas vs {args.copies}× atlas ({count} documents), best of 3 in-process")
        print(f"{'query':<24} {'1× s':>8} {f'{args.copies}× s':>8} {'ratio':>7}  goal < 0.3 s")
        with Atlas(small) as one, Atlas(large) as many:
            a, b = queries(one), queries(many)
            worst = 0.0
            for name in a:
                t1, tn = best(a[name]), best(b[name])
                worst = max(worst, tn)
                print(f"{name:<24} {t1:>8.3f} {tn:>8.3f} {tn / t1:>7.1f}  {'ok' if tn < 0.3 else 'SLOW'}")
            print(f"slowest at {args.copies}×: {worst:.3f} s")
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
