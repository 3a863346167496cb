"""The store: every offset quotes its sentence, rebuilds are idempotent and atomic."""

from __future__ import annotations

import hashlib
import shutil

import duckdb
import pytest
from conftest import CORPUS

from policyatlas.build.pipeline import build


def test_every_commitment_quotes_its_document_exactly(atlas):
    texts = dict(atlas.con.execute("SELECT id, text FROM documents").fetchall())
    rows = atlas.con.execute("SELECT doc_id, start, \"end\", sentence, mention_start, mention_end, term FROM commitments").fetchall()
    assert len(rows) > 2000
    for doc_id, start, end, sentence, m_start, m_end, term in rows:
        assert texts[doc_id][start:end] == sentence
        assert texts[doc_id][m_start:m_end] == term
        assert start <= m_start < m_end <= end


def test_every_target_quotes_its_document_exactly(atlas):
    texts = dict(atlas.con.execute("SELECT id, text FROM documents").fetchall())
    rows = atlas.con.execute("SELECT doc_id, start, \"end\", text FROM targets").fetchall()
    assert rows
    for doc_id, start, end, text in rows:
        assert texts[doc_id][start:end] == text


def test_stored_sections_tile_each_document(atlas):
    for listed in atlas.documents():
        doc = atlas.document(listed["id"])
        spans = [(s["start"], s["end"]) for s in doc["sections"]]
        assert spans and spans[0][0] == 0 and spans[-1][1] == len(doc["text"]), doc["source"]
        assert all(a[1] == b[0] for a, b in zip(spans, spans[1:])), doc["source"]


def test_rebuilding_the_same_files_adds_nothing(tmp_path):
    db = tmp_path / "a.duckdb"
    folder = CORPUS / "provincial" / "2025"
    first = build([folder], db)
    second = build([folder], db)
    assert first.documents_added == 31
    assert second.documents_added == 0 and second.files_read == 0 and second.files_unchanged == 31
    assert second.documents_total == 31
    assert second.commitments == first.commitments


def test_a_failed_build_leaves_the_previous_atlas_intact(tmp_path):
    db = tmp_path / "a.duckdb"
    build([CORPUS / "provincial" / "2025"], db)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    with pytest.raises(RuntimeError, match="injected"):
        build([CORPUS / "provincial" / "2026"], db, fail_after=1)
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 31
    con.close()
    assert not (tmp_path / "a.duckdb.building").exists()
