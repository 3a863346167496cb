"""Benchmark: the build at scale — throughput, memory, incremental rebuilds, processes and Dask.

Builds synthetic replicas of the real corpus (each document written k times as its own JSONL
file, with its true region, year and level, and a marker line that makes every copy a distinct
text) and prints, in one run:

  * documents/s, MB/s and peak RSS of a fresh build at 3×, 30× (and 300× with --full);
  * an unchanged rebuild and a rebuild after adding one new file, as fractions of a fresh build;
  * `--workers 2` vs `--workers 1` speedup;
  * a Dask LocalCluster (2 worker processes) vs the local process pool.

Each build runs in its own subprocess, so peak RSS is that build's own. Machines here are
noisy: read the ratios, which compare runs made minutes apart in the same benchmark.

    .venv/bin/python benchmarks/bench_scale.py [--full] [--scales 3,30] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"

#: Runs one build in a fresh interpreter and prints its figures as JSON.
RUNNER = textwrap.dedent("""
    import json, resource, sys, time
    from policyatlas.build.pipeline import build
    folder, db, workers, scheduler = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    cluster = None
    if scheduler == "local-cluster":
        from distributed import LocalCluster
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        scheduler = cluster.scheduler_address
    started = time.perf_counter()
    report = build([folder], db, workers=workers, scheduler=scheduler or None)
    seconds = time.perf_counter() - started
    if cluster is not None:
        cluster.close()
    usage = lambda who: resource.getrusage(who).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "read": report.files_read, "unchanged": report.files_unchanged,
                      "documents": report.documents_total, "commitments": report.commitments,
                      "rss_mb": usage(resource.RUSAGE_SELF), "children_rss_mb": usage(resource.RUSAGE_CHILDREN)}))
""")


def replicate(copies: int, out: Path) -> tuple[int, float]:
    """`copies` distinct copies of every corpus document as one-line JSONL files; (files, MB of text)."""
    from policyatlas.ingest.sources import LoadError, load_paths

    docs = [d for d in load_paths([CORPUS]) if not isinstance(d, LoadError)]
    out.mkdir(parents=True, exist_ok=True)
    megabytes = 0.0
    for k in range(copies):
        for n, doc in enumerate(docs):
            text = f"{doc.text}\n（副本 {k}）"
            row = {"title": doc.title, "year": doc.year, "adcode": doc.adcode, "level": doc.level, "text": text}
            (out / f"r{k:04d}_{n:03d}.jsonl").write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
            megabytes += len(text.encode("utf-8")) / 1e6
    return copies * len(docs), megabytes


def run(folder: Path, db: Path, workers: int = 1, scheduler: str = "") -> dict:
    result = subprocess.run([sys.executable, "-c", RUNNER, str(folder), str(db), str(workers), scheduler],
                            capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"build failed:\n{result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also build the 300× replica (40,200 documents)")
    parser.add_argument("--scales", default="3,30", help="replica factors to build (default 3,30)")
    parser.add_argument("--keep", help="keep replicas and atlases in this folder")
    args = parser.parse_args()
    scales = [int(s) for s in args.scales.split(",")] + ([300] if args.full else [])
    root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="bench-scale-"))
    fresh: dict[int, dict] = {}
    try:
        print(f"{'scale':>6} {'docs':>7} {'MB':>7} {'seconds':>8} {'docs/s':>7} {'MB/s':>6} {'RSS MB':>7}")
        sizes = {}
        for scale in scales:
            folder = root / f"x{scale}"
            shutil.rmtree(folder, ignore_errors=True)
            sizes[scale] = replicate(scale, folder)
            db = root / f"x{scale}.duckdb"
            db.unlink(missing_ok=True)
            fresh[scale] = r = run(folder, db, workers=1)
            print(f"{scale:>5}× {r['documents']:>7} {sizes[scale][1]:>7.1f} {r['seconds']:>8.1f} "
                  f"{r['documents'] / r['seconds']:>7.1f} {sizes[scale][1] / r['seconds']:>6.2f} {r['rss_mb']:>7.0f}")
        small, large = scales[0], scales[-1]
        print(f"\npeak RSS {large}× / {small}×: {fresh[large]['rss_mb'] / fresh[small]['rss_mb']:.2f} (target <= 1.5)")

        scale = 30 if 30 in scales else large
        folder, db = root / f"x{scale}", root / f"x{scale}.duckdb"
        base = fresh[scale]["seconds"]
        unchanged = run(folder, db)
        assert unchanged["read"] == 0, unchanged
        extra = folder / "new_file.jsonl"
        shutil.copy(sorted(folder.glob("r0000_*.jsonl"))[0], extra)
        extra.write_text(extra.read_text(encoding="utf-8").replace("副本 0", "新增文件"), encoding="utf-8")
        one_new = run(folder, db)
        assert one_new["read"] == 1, one_new
        print(f"unchanged rebuild at {scale}×: {unchanged['seconds']:.2f} s = {unchanged['seconds'] / base:.1%} of fresh (target <= 15%)")
        print(f"one new file at {scale}×:      {one_new['seconds']:.2f} s = {one_new['seconds'] / base:.1%} of fresh (target <= 20%)")
        extra.unlink()

        two = run(folder, root / f"x{scale}-w2.duckdb", workers=2)
        one = run(folder, root / f"x{scale}-w1.duckdb", workers=1)
        print(f"--workers 2 vs 1 at {scale}×: {one['seconds']:.1f} s / {two['seconds']:.1f} s = "
              f"{one['seconds'] / two['seconds']:.2f}× faster (target >= 1.5×); writer RSS {two['rss_mb']:.0f} MB")

        dask = run(folder, root / f"x{scale}-dask.duckdb", workers=2, scheduler="local-cluster")
        print(f"Dask LocalCluster (2 processes) vs --workers 2 at {scale}×: {dask['seconds']:.1f} s vs {two['seconds']:.1f} s "
              f"= {two['seconds'] / dask['seconds']:.2f}× the local speed")
        assert dask["commitments"] == two["commitments"] == one["commitments"]
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
