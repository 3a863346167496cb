"""Load benchmark of `policyatlas serve`: req/s and p50/p99 per endpoint under 1, 8 and 32 clients.

    .venv/bin/python benchmarks/bench_serve.py [--db atlas.duckdb] [--seconds 5] [--clients 8,32]

Starts `policyatlas serve` on a free loopback port in a subprocess (over `--db`, or over an atlas
built from ../shared/corpus into a temp folder), then loads it from this process with threads,
each a keep-alive HTTP/1.1 client (Python only: no wrk needed). Endpoints: /map (cycling over
every industry and year, so the page cache sees many distinct pages), /api/who/<slug> and
/static/app.css; then "static under map load": one client fetching /static/app.css while N
clients hammer /map, cached and uncached (the issue's 17.2 s case). "/map uncached" adds a unique,
ignored parameter to every request, so each one computes its page (the page cache never hits).
Each row shows the ratio to the 1-client baseline of the same endpoint measured in the same run.
The machine is shared: repeat and compare ratios. `--seconds 1 --clients 8` is a quick smoke run.
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int) -> subprocess.Popen:
    exe = Path(sys.executable).with_name("policyatlas")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "policyatlas"]
    proc = subprocess.Popen(cmd + ["serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {proc.stderr.read().decode(errors='replace')}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start within 60 s")


class Client:
    """One keep-alive connection; reconnects when the server closes it."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.conn: http.client.HTTPConnection | None = None

    def get(self, path: str) -> tuple[int, float]:
        started = time.perf_counter()
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
            try:
                self.conn.request("GET", path, headers={"Accept": "text/html"})
                response = self.conn.getresponse()
                response.read()
                if response.getheader("connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response.status, time.perf_counter() - started
            except (http.client.HTTPException, OSError):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt:
                    return 599, time.perf_counter() - started
        return 599, time.perf_counter() - started


def load(port: int, paths, clients: int, seconds: float, stop: threading.Event | None = None) -> dict:
    """`clients` threads GETting from the shared `paths` cycle for `seconds`; latencies and statuses."""
    cycle = paths if isinstance(paths, Iterator) else itertools.cycle(paths)
    lock = threading.Lock()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    end = time.perf_counter() + seconds
    stop = stop or threading.Event()

    def worker() -> None:
        client = Client(port)
        while time.perf_counter() < end and not stop.is_set():
            with lock:
                path = next(cycle)
            status, took = client.get(path)
            with lock:
                latencies.append(took)
                statuses[status] = statuses.get(status, 0) + 1
        if client.conn is not None:
            client.conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return summary(latencies, statuses, elapsed)


def summary(latencies: list[float], statuses: dict[int, int], elapsed: float) -> dict:
    ordered = sorted(latencies) or [float("nan")]

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000

    return {"requests": len(latencies), "rps": len(latencies) / elapsed if elapsed else 0.0,
            "p50_ms": pct(0.50), "p99_ms": pct(0.99), "max_ms": ordered[-1] * 1000,
            "errors": sum(n for s, n in statuses.items() if s >= 500)}


def static_under_map_load(port: int, map_paths, clients: int, seconds: float) -> dict:
    """One client on /static/app.css while `clients` clients load /map."""
    stop = threading.Event()
    background = threading.Thread(target=load, args=(port, map_paths, clients, seconds + 1, stop), daemon=True)
    background.start()
    time.sleep(min(1.0, seconds / 4))  # let the map clients fill the server first
    probe = load(port, ["/static/app.css"], 1, seconds)
    stop.set()
    background.join()
    return probe


def prepare_db(args) -> tuple[Path, tempfile.TemporaryDirectory | None]:
    if args.db:
        return Path(args.db), None
    tmp = tempfile.TemporaryDirectory(prefix="bench_serve_")
    db = Path(tmp.name) / "atlas.duckdb"
    print(f"building an atlas from {CORPUS} …", flush=True)
    from policyatlas.build.pipeline import build

    build([CORPUS], db)
    return db, tmp


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", help="atlas to serve (default: build one from ../shared/corpus)")
    parser.add_argument("--seconds", type=float, default=5.0, help="seconds per measurement")
    parser.add_argument("--clients", default="8,32", help="concurrency levels besides the 1-client baseline")
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    levels = [int(c) for c in args.clients.split(",") if c.strip()]

    db, tmp = prepare_db(args)
    port = args.port or free_port()
    server = start_server(db, port)
    try:
        probe = Client(port)
        _, _ = probe.get("/map")  # warm up (first query, templates)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        conn.request("GET", "/api/industries")
        slugs = [i["slug"] for i in json.loads(conn.getresponse().read()) if i.get("axis", "industry") == "industry"]
        conn.request("GET", "/api/regions")
        years = sorted({y for r in json.loads(conn.getresponse().read()) for y in r.get("years", [])})
        conn.close()
        map_paths = [f"/map?industry={s}&year={y}" for y in years for s in slugs] or ["/map"]
        endpoints = {
            "/map": map_paths,
            # a unique (ignored) parameter per request: every page computed, none from the page cache
            "/map uncached": (f"{p}&_={n}" for n, p in enumerate(itertools.cycle(map_paths))),
            "/api/who/<slug>": [f"/api/who/{s}?year={years[-1]}" if years else f"/api/who/{s}" for s in slugs],
            "/static/app.css": ["/static/app.css"],
        }
        results: list[dict] = []
        print(f"server on 127.0.0.1:{port} over {db}; {len(map_paths)} distinct /map pages; {args.seconds:g} s each\n")
        header = f"{'endpoint':<28}{'clients':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'5xx':>6}{'× req/s':>9}{'× p50':>8}"
        print(header)
        print("-" * len(header))
        for name, paths in endpoints.items():
            base = None
            for clients in [1] + levels:
                row = load(port, paths, clients, args.seconds)
                base = base or row
                results.append({"endpoint": name, "clients": clients, **row})
                print(f"{name:<28}{clients:>8}{row['rps']:>9.1f}{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}"
                      f"{row['max_ms']:>9.1f}{row['errors']:>6}{row['rps'] / base['rps'] if base['rps'] else 0:>9.2f}"
                      f"{row['p50_ms'] / base['p50_ms'] if base['p50_ms'] else 0:>8.2f}", flush=True)
        static_base = next(r for r in results if r["endpoint"] == "/static/app.css" and r["clients"] == 1)
        for name, load_paths in (("/static under /map", map_paths), ("/static under uncached /map", endpoints["/map uncached"])):
            for clients in levels:
                row = static_under_map_load(port, load_paths, clients, args.seconds)
                results.append({"endpoint": name, "clients": clients, **row})
                print(f"{name:<28}{clients:>8}{row['rps']:>9.1f}{row['p50_ms']:>9.1f}{row['p99_ms']:>9.1f}"
                      f"{row['max_ms']:>9.1f}{row['errors']:>6}{'':>9}{row['p50_ms'] / static_base['p50_ms']:>8.2f}", flush=True)
        if args.json:
            Path(args.json).write_text(json.dumps(results, indent=1), encoding="utf-8")
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    main()
