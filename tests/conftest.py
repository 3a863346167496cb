"""Shared fixtures: the real corpus is the fixture; the atlas is built from it once per session."""

from __future__ import annotations

import csv
import importlib.util
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from types import ModuleType
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
GOLD = SHARED / "gold"


def manifest() -> list[dict]:
    """Rows of the corpus manifest (true level, region, adcode and year of each file)."""
    with open(CORPUS / "manifest.csv", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture(scope="session")
def atlas_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An atlas built from the whole corpus, once per test session."""
    from policyatlas.build.pipeline import build

    db = tmp_path_factory.mktemp("atlas") / "atlas.duckdb"
    report = build([CORPUS], db)
    assert report.documents_total > 100, report.skipped
    return db


@pytest.fixture(scope="session")
def atlas(atlas_db: Path):
    from policyatlas.atlas import Atlas

    with Atlas(atlas_db) as opened:
        yield opened


@contextmanager
def serving(db: Path) -> Iterator[int]:
    """`policyatlas serve --db DB` on a free loopback port, in a subprocess; yields the port once it listens."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    exe = Path(sys.executable).with_name("policyatlas")
    proc = subprocess.Popen([str(exe), "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if proc.poll() is not None or time.time() > deadline:
                proc.kill()
                pytest.fail(f"serve did not start: {proc.stderr.read().decode(errors='replace')}")
            time.sleep(0.2)
    try:
        yield port
    finally:
        proc.terminate()
        proc.wait(10)


@cache
def fuzz_inputs() -> ModuleType:
    """scripts/fuzz_inputs.py as a module (its generators and `tiny_pdf` serve the loader tests too)."""
    spec = importlib.util.spec_from_file_location("fuzz_inputs", REPO / "scripts" / "fuzz_inputs.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["fuzz_inputs"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module
