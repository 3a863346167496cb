"""The CLI: JSON shapes, readable tables, and clear errors with close matches."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from policyatlas.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def run_json(*args: str):
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_who_lists_regions_with_evidence(atlas_db):
    rows = run_json("who", "offshore-wind", "--year", "2026", "--db", atlas_db)
    adcodes = {r["adcode"] for r in rows}
    assert {"460000", "350000"} <= adcodes
    assert "650000" not in adcodes  # Xinjiang is landlocked
    for row in rows:
        assert set(row) >= {"adcode", "name_en", "name_zh", "year", "evidence"}
        assert row["evidence"] and set(row["evidence"][0]) >= {"sentence", "doc", "start", "end"}


def test_profile_accepts_names_in_any_language(atlas_db):
    by_en = run_json("profile", "Anhui", "--year", "2026", "--db", atlas_db)
    by_zh = run_json("profile", "安徽", "--year", "2026", "--db", atlas_db)
    by_code = run_json("profile", "340000", "--year", "2026", "--db", atlas_db)
    assert by_en == by_zh == by_code
    slugs = {i["slug"] for i in by_en["industries"]}
    assert {"nuclear-fusion", "quantum-technology", "deep-space-exploration"} <= slugs
    assert {i["slug"] for i in by_en["instruments"]} >= {"pilot-platforms"}


def test_profile_include_review_marks_review(atlas_db):
    plain = run_json("profile", "Hunan", "--year", "2026", "--db", atlas_db)
    review = run_json("profile", "Hunan", "--year", "2026", "--include-review", "--db", atlas_db)
    bci = [i for i in review["industries"] if i["slug"] == "brain-computer-interfaces"]
    assert bci and not bci[0]["committed"] and all(e["review"] for e in bci[0]["evidence"])
    assert "brain-computer-interfaces" not in {i["slug"] for i in plain["industries"]}


def test_matrix_csv_and_documents_and_show(atlas_db):
    csv_out = run("matrix", "--year", "2025", "--format", "csv", "--db", atlas_db)
    assert csv_out.exit_code == 0
    lines = csv_out.stdout.strip().splitlines()
    assert lines[0].startswith("adcode,name_en,name_zh,integrated-circuits")
    assert len(lines) == 32
    docs = run_json("documents", "--db", atlas_db)
    assert len(docs) >= 134
    report = next(d for d in docs if d["adcode"] == "110000" and d["year"] == 2025)
    assert "plan" in report["sections"]
    shown = run_json("show", report["id"], "--db", atlas_db)
    start, end = report["sections"]["plan"]
    assert shown["text"][start:end].lstrip().startswith("二、2025年")


def test_extract_from_stdin_without_a_database():
    text = "2026年浙江省政府工作报告\n一、2025年工作回顾\n去年建成了一批智算中心。\n二、2026年工作安排\n大力发展人形机器人和商业航天，建成2个万卡智算集群。\n"
    result = runner.invoke(app, ["extract", "-", "--json"], input=text)
    assert result.exit_code == 0, result.output
    facts = json.loads(result.stdout)
    slugs = {f["slug"] for f in facts}
    assert {"humanoid-robots", "robotics", "commercial-space", "computing-infrastructure"} <= slugs
    for fact in facts:
        assert fact["region"]["adcode"] == "330000" and fact["section"] == "plan"
        assert text[fact["start"]:fact["end"]] == fact["sentence"]
    cluster = next(f for f in facts if f["slug"] == "computing-infrastructure")
    assert cluster["targets"] and cluster["targets"][0]["value"] == 2


@pytest.mark.parametrize("args,needle", [
    (("who", "quantum-tech"), "quantum-technology"),
    (("profile", "Guangdon"), "Guangdong"),
])
def test_unknown_slug_or_region_exits_2_with_suggestions(atlas_db, args, needle):
    result = run(*args, "--db", atlas_db)
    assert result.exit_code == 2
    assert needle in result.output


def test_missing_database_is_a_clear_error(tmp_path):
    result = run("who", "6g", "--db", tmp_path / "nothing.duckdb")
    assert result.exit_code == 1 and "policyatlas build" in result.output
