"""The CLI over the real atlas (issue 10, item 6): evidence windows around the mention, mention
offsets in --json, `policyatlas industries`, and Chinese strength labels where pages are Chinese."""

from __future__ import annotations

import csv
import io
import json

from typer.testing import CliRunner

from policyatlas.views.cli import app

runner = CliRunner()


def run(*args: object):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def test_who_and_profile_json_locate_the_mention_in_the_document(atlas_db, atlas) -> None:
    rows = json.loads(run("who", "hydrogen", "--year", "2025", "--db", atlas_db, "--json").stdout)
    profile = json.loads(run("profile", "Jilin", "--year", "2025", "--db", atlas_db, "--json").stdout)
    evidence = [e for r in rows for e in r["evidence"]] + [e for i in profile["industries"] for e in i["evidence"]]
    texts: dict[str, str] = {}
    for ev in evidence[:60]:
        text = texts.setdefault(ev["doc"], atlas.document(ev["doc"])["text"])
        assert text[ev["start"]:ev["end"]] == ev["sentence"]
        assert ev["start"] <= ev["mention_start"] < ev["mention_end"] <= ev["end"]
        assert text[ev["mention_start"]:ev["mention_end"]] == ev["term"]


def test_the_evidence_column_shows_the_mention_not_the_sentence_start(atlas_db, atlas) -> None:
    rows = atlas.who("hydrogen", 2025)
    late = [(r, e) for r in rows for e in r["evidence"][:1] if e["mention_start"] - e["start"] > 100 and e["sentence"].count(e["term"]) == 1]
    assert late, "no sentence mentions hydrogen past its 100th character"
    region, ev = late[0]
    out = run("who", "hydrogen", "--year", "2025", "--db", atlas_db).stdout.replace("│", "").replace(" ", "").replace("\n", "")
    assert ev["term"] in out.split(region["name_zh"], 1)[1][:400]     # before: only the first 90 characters
    assert f"{ev['doc'][:8]}@{ev['mention_start']}" in out            # where to find it


def test_mention_window_centres_and_marks_the_mention() -> None:
    from policyatlas.views.cli import mention_window

    sentence = "甲" * 100 + "氢能" + "乙" * 100
    ev = {"sentence": sentence, "start": 1000, "mention_start": 1100, "mention_end": 1102}
    window = mention_window(ev, 30)
    plain = window.plain
    assert plain.startswith("…") and plain.endswith("…") and "氢能" in plain and len(plain) <= 32
    assert abs(plain.index("氢能") - 15) <= 2
    bold = [window.plain[s.start:s.end] for s in window.spans if "bold" in str(s.style)]
    assert bold == ["氢能"]
    short = mention_window({"sentence": "发展氢能。", "start": 0, "mention_start": 2, "mention_end": 4}, 30)
    assert short.plain == "发展氢能。"


def test_industries_lists_slugs_names_axis_and_terms(atlas) -> None:
    rows = json.loads(run("industries", "--json").stdout)
    assert [r["slug"] for r in rows] == atlas.taxonomy.slugs()
    fusion = next(r for r in rows if r["slug"] == "nuclear-fusion")
    assert fusion["name_zh"] == "核聚变" and fusion["axis"] == "industry" and "核聚变" in fusion["terms_zh"] and "fusion" in fusion["terms_en"]
    instruments = json.loads(run("industries", "--axis", "instrument", "--json").stdout)
    assert instruments and {r["axis"] for r in instruments} == {"instrument"}
    table = list(csv.DictReader(io.StringIO(run("industries", "--format", "csv").stdout)))
    assert [r["slug"] for r in table] == atlas.taxonomy.slugs() and "核聚变" in table[[r["slug"] for r in table].index("nuclear-fusion")]["terms_zh"]
    shown = run("industries").stdout
    assert all(slug in shown for slug in atlas.taxonomy.slugs())     # a slug is never cut
    assert runner.invoke(app, ["industries", "--axis", "nope"]).exit_code == 2


def test_chinese_strength_labels_come_from_the_data_file() -> None:
    from policyatlas.extract.actions import strength_name
    from policyatlas.views.cli import strength_label

    assert [strength_name(k, "zh") for k in range(1, 5)] == ["探索", "培育", "发展", "支柱"]   # before: "exploring" …
    assert [strength_name(k, "en") for k in range(1, 5)] == ["exploring", "cultivating", "developing", "pillar"]
    assert strength_label(4, "zh") == "4 支柱" and strength_label(3) == "3 developing"


def test_chinese_pages_show_chinese_strength_labels(atlas_db) -> None:
    from fastapi.testclient import TestClient

    from policyatlas.views.web import create_app

    client = TestClient(create_app(atlas_db))
    mapped = client.get("/map", params={"industry": "hydrogen", "year": 2026, "format": "json"}).json()
    assert [mapped["levels"][f"zh{k}"] for k in range(1, 5)] == ["探索", "培育", "发展", "支柱"]
    region = client.get("/region/440000", params={"year": 2026}).text
    assert "发展" in region or "支柱" in region
    heat = client.get("/heatmap", params={"year": 2026}).text
    assert all(label in heat for label in ("探索", "培育", "发展", "支柱"))
    rows = client.get("/region/440000", params={"year": 2026, "format": "csv", "table": "industries"}).text
    assert "strength_name_zh" in rows.splitlines()[0]
