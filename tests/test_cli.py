"""The CLI: JSON shapes, readable tables, and clear errors with close matches."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from policyatlas.views.cli import app

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
    start, end = report["sections"]["plan"][0]
    assert shown["text"][start:end].lstrip().startswith("二、2025年")
    table = run("documents", "--db", atlas_db)
    assert table.exit_code == 0 and f"{start}–{end}" in table.stdout


def test_documents_keep_each_range_of_a_recurring_section_kind(atlas_db):
    """A kind that recurs (review, plan, review …) is listed range by range, never merged over the kinds between."""
    docs = run_json("documents", "--db", atlas_db)
    for d in docs:
        shown = run_json("show", d["id"], "--db", atlas_db) if d is docs[0] else None
        ranges = sorted((a, b, kind) for kind, spans in d["sections"].items() for a, b in spans)
        for (a1, b1, _k1), (a2, _b2, _k2) in zip(ranges, ranges[1:]):
            assert b1 <= a2, (d["id"], ranges)          # no range overlaps (spans) another
        if shown is not None:
            assert ranges == sorted((s["start"], s["end"], s["kind"]) for s in shown["sections"])
    assert any(len(spans) > 1 for d in docs for spans in d["sections"].values()), "no document with a recurring kind"


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


@pytest.mark.parametrize("args,needle", [
    (("crowding", "--year", "2024"), "no provincial reports for 2024; years with data: 2025, 2026"),
    (("profile", "Taiwan"), "no report for Taiwan (710000)"),
    (("brief", "--year", "2024"), "no provincial reports for 2024; years with data: 2025, 2026"),
    (("similar", "Taiwan", "--year", "2026"), "no provincial report for Taiwan (710000) in 2026"),
    (("diff", "Guangdong", "--from", "2024", "--to", "2026"), "no provincial report for Guangdong (440000) in 2024; years with data: 2025, 2026"),
    (("matrix", "--year", "2024"), "no provincial reports for 2024"),
    (("overview", "--year", "2024"), "no provincial reports for 2024"),
])
def test_asking_for_data_the_atlas_lacks_exits_2_with_what_exists(atlas_db, args, needle):
    result = run(*args, "--db", atlas_db)
    assert result.exit_code == 2, result.output
    assert needle in " ".join(result.output.split())
    assert "Traceback" not in result.output


def test_overview_is_the_crowding_of_both_axes(atlas_db):
    from policyatlas.atlas import Atlas

    shown = run_json("overview", "--year", "2026", "--db", atlas_db)
    assert shown["year"] == 2026
    rows = {r["slug"]: r for r in shown["industries"]}
    with Atlas(atlas_db) as atlas:
        assert set(rows) == set(atlas.taxonomy.slugs())                       # industries and instruments
        for slug in ("artificial-intelligence", "pilot-platforms"):
            who = atlas.who(slug, 2026, level="province")
            assert rows[slug]["regions"] == [r["adcode"] for r in who]
            assert rows[slug]["names_en"] == [r["name_en"] for r in who] and rows[slug]["count"] == len(who)
    assert set(shown["industries"][0]) == {"slug", "axis", "name_en", "name_zh", "count", "regions", "names_en"}
    counts = [r["count"] for r in shown["industries"]]
    assert counts == sorted(counts, reverse=True)


@pytest.mark.parametrize("command", ["build", "extract"])
def test_unknown_explicit_region_exits_2_before_any_work(tmp_path, command):
    db = tmp_path / "atlas.duckdb"
    source = tmp_path / "2026年广东省政府工作报告.txt"
    source.write_text("2026年广东省政府工作报告\n二、2026年工作安排\n大力发展人工智能产业。\n", encoding="utf-8")
    args = ["build", source, "--db", db] if command == "build" else ["extract", source]
    result = run(*args, "--region", "Atlantis")
    assert result.exit_code == 2, result.output
    assert "Atlantis" in result.output and "Traceback" not in result.output
    assert not db.exists()                                  # nothing was built
    good = run(*args, "--region", "Guangdong")
    assert good.exit_code == 0, good.output


@pytest.mark.parametrize("text", ["", "  \n\n"])
def test_extract_of_empty_stdin_is_a_one_line_error(text):
    result = runner.invoke(app, ["extract", "-"], input=text)
    assert result.exit_code == 1
    assert "<stdin>: empty file" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_brief_out_is_written_atomically(atlas_db, tmp_path, monkeypatch):
    import policyatlas.analysis.brief as brief_module

    out = tmp_path / "brief.md"
    ok = run("brief", "--year", "2026", "--out", out, "--db", atlas_db)
    assert ok.exit_code == 0, ok.output
    before = out.read_text(encoding="utf-8")
    assert before.startswith("# ") and "/document/" in before

    def broken(*args, **kwargs):  # a text that cannot be encoded fails half-way through the write
        return "# half a briefing\n" * 5000 + "\ud800"

    monkeypatch.setattr(brief_module, "render_brief", broken)
    failed = run("brief", "--year", "2025", "--out", out, "--db", atlas_db)
    assert failed.exit_code != 0
    assert out.read_text(encoding="utf-8") == before          # the old briefing is intact
    assert [p.name for p in tmp_path.iterdir()] == ["brief.md"]  # no temporary file left behind


@pytest.mark.parametrize("doc_id", ["%", "_"])
def test_show_takes_an_id_prefix_literally(atlas_db, doc_id):
    result = run("show", doc_id, "--db", atlas_db)
    assert result.exit_code == 2 and f"no document with id '{doc_id}'" in result.output


def test_show_accepts_a_unique_prefix(atlas_db):
    doc = run_json("documents", "--db", atlas_db)[0]
    assert run_json("show", doc["id"][:10], "--db", atlas_db)["id"] == doc["id"]


def test_build_of_a_typod_path_exits_nonzero_and_leaves_the_db_alone(tmp_path):
    """`build ../shared/corpuss --db existing.duckdb` used to print "Built…" and exit 0."""
    existing = tmp_path / "existing.duckdb"
    existing.write_bytes(b"old atlas")
    before = existing.stat().st_mtime_ns
    result = run("build", tmp_path / "corpuss", "--db", existing)
    assert result.exit_code == 2
    assert "corpuss" in result.output
    assert existing.read_bytes() == b"old atlas" and existing.stat().st_mtime_ns == before
    fresh = tmp_path / "fresh.duckdb"
    assert run("build", tmp_path / "nothing-here", "--db", fresh).exit_code == 2
    assert not list(tmp_path.glob("fresh.duckdb*"))


def test_version_prints_the_package_version():
    from policyatlas import __version__

    result = run("--version")
    assert result.exit_code == 0 and result.output.strip() == f"policyatlas {__version__}"
