"""Shared fixtures: the real corpus is the fixture; the atlas is built from it once per session."""

from __future__ import annotations

import csv
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
