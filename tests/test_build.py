"""The build: incremental, parallel (processes or a Dask cluster), locked, atomic, exportable.

Each test builds real corpus files; equality tests compare whole tables (ids aside), so a
parallel or Dask build that drops, duplicates or reorders facts fails.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest
from conftest import CORPUS

from policyatlas.build import pipeline
from policyatlas.build.lock import BuildLocked, build_lock
from policyatlas.build.pipeline import NothingToBuild, build

PROVINCIAL_2025 = CORPUS / "provincial" / "2025"
PROVINCIAL_2026 = CORPUS / "provincial" / "2026"
CLI = [str(Path(sys.executable).with_name("policyatlas"))]


def contents(db: Path) -> dict[str, list]:
    """Every stored fact, without the build-assigned commitment ids."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            "documents": sorted(con.execute("SELECT id, level, adcode, year, title, source, lang, chars FROM documents").fetchall()),
            "sections": sorted(con.execute('SELECT doc_id, ord, kind, start, "end" FROM sections').fetchall()),
            "commitments": sorted(con.execute(
                'SELECT doc_id, adcode, year, section, slug, term, action, strength, start, "end", mention_start, '
                "committed, reason FROM commitments").fetchall(), key=repr),
            "targets": sorted(con.execute(
                "SELECT c.doc_id, c.slug, c.adcode, c.mention_start, t.value, t.unit, t.text, t.start FROM targets t "
                "JOIN commitments c ON c.id = t.commitment_id").fetchall(), key=repr),
        }
    finally:
        con.close()


def some_files(tmp_path: Path, count: int = 4) -> Path:
    """A corpus folder of our own (copies of real reports) that the test may change."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    for path in sorted(PROVINCIAL_2026.glob("*.csv"))[:count]:
        shutil.copy(path, folder / path.name)
    return folder


def test_unchanged_files_are_not_read_again_and_a_changed_one_is(tmp_path):
    folder, db = some_files(tmp_path), tmp_path / "a.duckdb"
    first = build([folder], db)
    assert first.files_read == 4 and first.documents_total == 4
    again = build([folder], db)
    assert again.files_read == 0 and again.files_unchanged == 4
    assert contents(db) == contents(db) and again.commitments == first.commitments

    changed = sorted(folder.iterdir())[0]
    changed.write_bytes(changed.read_bytes().replace("人工智能".encode(), "人工智慧".encode()))
    third = build([folder], db)
    assert third.files_read == 1 and third.files_unchanged == 3
    assert third.documents_total == 4, "the changed file replaces its old document, it does not add one"
    assert third.commitments < first.commitments

    shutil.copy(sorted(PROVINCIAL_2026.glob("*.csv"))[5], folder)
    fourth = build([folder], db)
    assert (fourth.files_read, fourth.documents_total) == (1, 5)

    sorted(folder.iterdir())[1].unlink()
    fifth = build([folder], db)
    assert (fifth.files_read, fifth.files_removed, fifth.documents_total) == (0, 1, 4)

    forced = build([folder], db, rebuild=True)
    assert forced.files_read == 4 and forced.files_unchanged == 0
    assert contents(db) == contents(db)


def test_a_changed_extractor_or_taxonomy_re_extracts_everything(tmp_path):
    folder, db = some_files(tmp_path, 2), tmp_path / "a.duckdb"
    build([folder], db)
    before = contents(db)
    con = duckdb.connect(str(db))
    con.execute("UPDATE meta SET value = 'an older extractor' WHERE key = 'extractor_version'")
    con.close()
    report = build([folder], db)
    assert report.reextracted and report.files_read == 2
    assert contents(db) == before
    con = duckdb.connect(str(db), read_only=True)
    stored = dict(con.execute("SELECT key, value FROM meta").fetchall())
    con.close()
    assert stored["extractor_version"] == pipeline.extractor_version()
    assert stored["taxonomy_version"] == report.taxonomy_version


def test_a_duplicate_survives_when_its_kept_copy_is_deleted(tmp_path):
    folder, db = some_files(tmp_path, 1), tmp_path / "a.duckdb"
    original = next(folder.iterdir())
    copy = folder / ("z_copy_" + original.name)
    shutil.copy(original, copy)
    first = build([folder], db)
    assert first.duplicates == 1 and first.documents_total == 1
    assert any("duplicate of" in reason and str(original) in reason for _, reason in first.skipped)
    original.unlink()
    second = build([folder], db)
    assert second.documents_total == 1, "the copy must take over, not vanish with the deleted original"
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT source FROM documents").fetchall()[0][0].startswith(str(copy))
    con.close()


def test_two_worker_processes_build_the_same_atlas(tmp_path):
    serial, parallel = tmp_path / "serial.duckdb", tmp_path / "parallel.duckdb"
    a = build([CORPUS], serial, workers=1)
    b = build([CORPUS], parallel, workers=2)
    assert a.documents_total == b.documents_total > 100
    assert contents(serial) == contents(parallel)


def test_a_dask_cluster_builds_the_same_atlas(tmp_path):
    distributed = pytest.importorskip("distributed")
    paths = [PROVINCIAL_2025, CORPUS / "national"]
    local, clustered = tmp_path / "local.duckdb", tmp_path / "dask.duckdb"
    build(paths, local)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        report = build(paths, clustered, scheduler=cluster.scheduler_address)
    assert report.documents_total > 50
    assert contents(local) == contents(clustered)


def test_fsspec_urls_build_like_plain_paths(tmp_path):
    folder = some_files(tmp_path, 2)
    plain, url = tmp_path / "plain.duckdb", tmp_path / "url.duckdb"
    build([folder], plain)
    report = build([f"file://{folder}"], url)
    assert report.documents_total == 2
    a, b = contents(plain), contents(url)
    assert a["commitments"] == b["commitments"] and a["targets"] == b["targets"]
    assert all(source.startswith("file://") for *_, source, _, _ in b["documents"])


def test_parquet_export_is_partitioned_by_year_and_complete(tmp_path):
    db, out = tmp_path / "a.duckdb", tmp_path / "parquet"
    build([PROVINCIAL_2025, PROVINCIAL_2026], db)
    result = subprocess.run(CLI + ["export", str(out), "--db", str(db), "--json"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in (out / "commitments").iterdir()) == ["year=2025", "year=2026"]
    con = duckdb.connect()
    for table in ("documents", "commitments", "targets"):
        exported = con.execute(f"SELECT year, count(*) FROM read_parquet('{out}/{table}/*/*.parquet', "
                               "hive_partitioning = true) GROUP BY year ORDER BY year").fetchall()
        stored = duckdb.connect(str(db), read_only=True)
        sql = {"documents": "SELECT year, count(*) FROM documents GROUP BY year ORDER BY year",
               "commitments": "SELECT year, count(*) FROM commitments GROUP BY year ORDER BY year",
               "targets": "SELECT c.year, count(*) FROM targets t JOIN commitments c ON c.id = t.commitment_id "
                          "GROUP BY c.year ORDER BY c.year"}[table]
        assert exported == stored.execute(sql).fetchall() and exported, table
        stored.close()


def test_nothing_to_build_touches_no_database(tmp_path):
    empty, db = tmp_path / "empty", tmp_path / "a.duckdb"
    empty.mkdir()
    (empty / "notes.json").write_text("{}")
    with pytest.raises(NothingToBuild, match="no source file"):
        build([empty], db)
    assert not db.exists()
    result = subprocess.run(CLI + ["build", str(empty), "--db", str(db)], capture_output=True, text=True)
    assert result.returncode == 2 and str(empty) in result.stderr and not db.exists()


def test_a_second_build_waits_for_the_lock_or_exits_clearly(tmp_path):
    folder, db = some_files(tmp_path, 1), tmp_path / "a.duckdb"
    with build_lock(db):
        with pytest.raises(BuildLocked, match="another build"):
            build([folder], db, wait=False)
        result = subprocess.run(CLI + ["build", str(folder), "--db", str(db), "--no-wait"],
                                capture_output=True, text=True)
        assert result.returncode == 1 and "another build" in result.stderr
    assert not db.exists()
    assert build([folder], db).documents_total == 1


def test_concurrent_builds_into_one_atlas_lose_nothing(tmp_path):
    db = tmp_path / "a.duckdb"
    runs = [subprocess.Popen(CLI + ["build", str(folder), "--db", str(db), "--workers", "1", "--json"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for folder in (PROVINCIAL_2025, PROVINCIAL_2026)]
    for run in runs:
        _, stderr = run.communicate(timeout=300)
        assert run.returncode == 0, stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchall()[0][0] == 62
    con.close()


def test_sigterm_removes_the_working_copy_and_keeps_the_old_atlas(tmp_path):
    db = tmp_path / "a.duckdb"
    build([PROVINCIAL_2025], db)
    before = contents(db)
    run = subprocess.Popen(CLI + ["build", str(CORPUS), "--db", str(db), "--rebuild", "--workers", "1"],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    working = tmp_path / "a.duckdb.building"
    deadline = time.monotonic() + 120
    while not working.exists() and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    if run.poll() is not None:
        pytest.skip("the build finished before it could be interrupted")
    run.send_signal(signal.SIGTERM)
    assert run.wait(timeout=60) != 0
    assert not working.exists() and not Path(str(working) + ".wal").exists()
    assert contents(db) == before


def test_document_id_is_hashed_once(monkeypatch):
    from policyatlas.text import documents

    calls = []
    real = documents.content_id
    monkeypatch.setattr(documents, "content_id", lambda text: calls.append(1) or real(text))
    doc = documents.Document(text="北京市将发展集成电路产业。" * 100, source="x")
    assert doc.id == doc.id == doc.id
    assert len(calls) == 1
