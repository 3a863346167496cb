"""Analysis formulas on a hand-computed 3-region frame, then on the real corpus (checked by reading)."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from typer.testing import CliRunner

from policyatlas.analysis import portfolio, quote_span
from policyatlas.analysis.crowding import crowding_table
from policyatlas.analysis.diff import change, diff_table, gains_table
from policyatlas.analysis.diffusion import count_terms
from policyatlas.analysis.similarity import average_linkage, cluster_table, cosine_matrix, neighbours
from policyatlas.analysis.specialization import rarity, signature_table, specialization_table

A, B, C = "110000", "120000", "130000"
LN3 = math.log(3)


def rows(*items: tuple[str, str, int]) -> pd.DataFrame:
    """A commitments frame with the columns the analyses read."""
    return pd.DataFrame([
        {"adcode": a, "slug": s, "strength": k, "doc_id": f"doc-{a}", "start": 10 * i, "end": 10 * i + 5,
         "sentence": f"{a}-{s}"}
        for i, (a, s, k) in enumerate(items)
    ])


# A: x(4), y(2); B: x(3); C: x(1), z(3).  N = 3, n_x = 3, n_y = n_z = 1.
TOY = rows((A, "x", 4), (A, "y", 2), (A, "x", 1), (B, "x", 3), (C, "x", 1), (C, "z", 3))


def test_portfolio_keeps_strongest_and_zero_fills() -> None:
    table = portfolio(TOY, [A, B, C], ["x", "y", "z"])
    assert table.loc[A].tolist() == [4, 2, 0]
    assert table.loc[B].tolist() == [3, 0, 0]
    assert table.loc[C].tolist() == [1, 0, 3]


def test_rarity_is_log_inverse_frequency() -> None:
    w = rarity(portfolio(TOY, [A, B, C], ["x", "y", "z"]))
    assert w["x"] == pytest.approx(0.0)          # ln(3/3)
    assert w["y"] == pytest.approx(LN3)          # ln(3/1)
    assert w["z"] == pytest.approx(LN3)


def test_specialization_score_by_hand() -> None:
    table = portfolio(TOY, [A, B, C], ["x", "y", "z"])
    ranked = specialization_table(table).set_index("adcode")
    # D_A = 4/6·0 + 2/6·ln3; D_B = 0; D_C = 1/4·0 + 3/4·ln3
    assert ranked.loc[A, "score"] == pytest.approx(LN3 / 3)
    assert ranked.loc[B, "score"] == pytest.approx(0.0)
    assert ranked.loc[C, "score"] == pytest.approx(0.75 * LN3)
    assert ranked["rank"].to_dict() == {C: 1, A: 2, B: 3}
    # signatures: picks named by at most floor(3/3) = 1 region
    assert ranked.loc[A, "signature"] == ["y"] and ranked.loc[C, "signature"] == ["z"]
    assert ranked.loc[B, "signature"] == []
    detail = signature_table(table)
    row = detail[(detail["adcode"] == C) & (detail["slug"] == "z")].iloc[0]
    assert (row["share"], row["regions_naming"]) == (0.75, 1)


def test_crowding_counts_and_entrants() -> None:
    previous = rows((A, "x", 3), (B, "y", 2))            # C had no report the year before
    table = crowding_table(TOY, [A, B, C], previous, [A, B], ["x", "y", "z"]).set_index("slug")
    assert table.loc["x", "count"] == 3 and table.loc["x", "regions"] == [A, B, C]
    assert table.loc["x", "strength_mean"] == pytest.approx((4 + 3 + 1) / 3, abs=1e-3)
    assert table.loc["x", "pillars"] == 1
    assert table.loc["x", "new_entrants"] == [B] and table.loc["x", "leavers"] == []
    assert table.loc["y", "new_entrants"] == [A] and table.loc["y", "leavers"] == [B]
    assert table.loc["z", "new_entrants"] == []        # C is not compared: no previous report
    assert table.index[0] == "x"                        # most crowded first


def test_cosine_of_rarity_weighted_vectors_by_hand() -> None:
    table = portfolio(TOY, [A, B, C], ["x", "y", "z"])
    sims = cosine_matrix(table)
    wy = 1 + LN3
    a, c = (4, 2 * wy, 0), (1, 0, 3 * wy)
    norm = lambda v: math.sqrt(sum(x * x for x in v))  # noqa: E731
    assert sims.loc[A, B] == pytest.approx(4 / norm(a))
    assert sims.loc[A, C] == pytest.approx(4 / (norm(a) * norm(c)))
    assert sims.loc[B, C] == pytest.approx(1 / norm(c))
    near = neighbours(table, A)
    assert near["adcode"].tolist() == [B, C]
    assert near.iloc[0]["shared"] == ["x"] and near.iloc[0]["only_region"] == ["y"]


def test_average_linkage_merges_nearest_first() -> None:
    distance = pd.DataFrame([[0, 0.3, 0.9, 0.8], [0.3, 0, 0.85, 0.9], [0.9, 0.85, 0, 0.2], [0.8, 0.9, 0.2, 0]]).to_numpy()
    assert average_linkage(distance, 2) == [0, 0, 1, 1]
    assert average_linkage(distance, 4) == [0, 1, 2, 3]
    clusters = cluster_table(portfolio(TOY, [A, B, C], ["x", "y", "z"]), 2).set_index("adcode")
    assert clusters["cluster"].to_dict() == {A: 0, B: 0, C: 1}
    assert clusters.loc[A, "cluster_shared"] == ["x"]


def test_diff_moves_and_evidence() -> None:
    before = rows((A, "x", 2), (A, "y", 3), (A, "z", 1))
    after = rows((A, "x", 3), (A, "y", 3), (A, "w", 1))
    table = diff_table(before, after).set_index("slug")
    assert table["change"].to_dict() == {"w": "added", "z": "dropped", "x": "strengthened"}
    assert table.loc["z", "evidence_to"] is None and table.loc["z", "evidence_from"]["sentence"] == f"{A}-z"
    assert [change(0, 2), change(3, 1), change(2, 2)] == ["added", "weakened", "unchanged"]


def test_gains_only_compare_regions_covered_both_years() -> None:
    before = rows((A, "x", 3), (C, "x", 3))
    after = rows((A, "x", 3), (B, "x", 2), (B, "y", 1))
    table = gains_table(before, after, [A, B], ["x", "y"]).set_index("slug")   # C left out: no later report
    assert table.loc["x", ["count_from", "count_to", "net"]].tolist() == [1, 2, 1]
    assert table.loc["x", "gained"] == [B] and table.loc["x", "lost"] == []


def test_quote_span_widens_clause_by_clause() -> None:
    text = "总体上，培育新一代信息技术、生物医药等主导产业，持续建设高地。下一句。"
    i = text.index("生物医药")
    s, e = quote_span(text, i, i + 4, minimum=0)
    assert text[s:e] == "培育新一代信息技术、生物医药等主导产业，"
    s, e = quote_span(text, i, i + 4, minimum=25)
    assert text[s:e] == "总体上，培育新一代信息技术、生物医药等主导产业，持续建设高地。"


def test_count_terms_longest_first_and_excluded() -> None:
    hits = count_terms("量子科技和量子城市，人工智能+", ("量子", "量子科技", "人工智能"), ("量子城市",))
    assert [h[2] for h in hits] == ["量子科技", "人工智能"]


# --- the real corpus ---------------------------------------------------------------------


def test_crowded_2026_ai_and_low_altitude(atlas) -> None:
    table = atlas.crowding(2026).set_index("slug")
    assert table.loc["artificial-intelligence", "count"] >= 15
    assert table.loc["low-altitude-economy", "count"] >= 15
    top = table.index[:5].tolist()
    assert "artificial-intelligence" in top
    # Guangdong names both in its 2026 plan (大力发展…人工智能、低空经济…)
    assert "440000" in table.loc["low-altitude-economy", "regions"]


def test_signature_is_one_few_others_name(atlas) -> None:
    # Only Anhui's 2026 report names 深空探测 (searched all 31 texts); it is Anhui's top signature.
    ranking = atlas.specialization(2026).set_index("adcode")
    assert ranking.loc["340000", "signature"][0] == "deep-space-exploration"
    assert ranking.loc["340000", "signature_naming"][0] == 1
    detail = atlas.signatures(2026, "安徽")
    assert detail.iloc[0]["slug"] == "deep-space-exploration"


def test_similar_and_clusters_cover_all_provinces(atlas) -> None:
    near = atlas.similar("Guangdong", 2026)
    assert len(near) == 30 and near["similarity"].is_monotonic_decreasing
    groups = atlas.clusters(2026, 5)
    assert len(groups) == 31 and groups["cluster"].nunique() == 5


@pytest.mark.parametrize(("term", "year"), [("集成电路", 1978), ("新能源汽车", 2008), ("人工智能", 2017), ("低空经济", 2024)])
def test_diffusion_first_national_year(atlas, term: str, year: int) -> None:
    # First years found by searching every report in the national JSONL.
    result = atlas.diffusion_summary(term)
    assert result["first_year"] == year
    first = result["first"]
    assert term in first["quote"]
    assert atlas.document(first["doc"])["text"][first["start"]:first["end"]] == first["quote"]
    assert {a["year"] for a in result["adoption"]} == {2025, 2026}


def test_diff_guangdong_2025_2026(atlas) -> None:
    # 2025 text names neither 脑机接口 nor 氢能; the 2026 plan lists both (脑科学与脑机接口、氢能及先进核能).
    # 2025 plan: 大力发展…新型储能…; 2026 names 新型储能 only in the review of past years.
    table = atlas.diff("广东", 2025, 2026).set_index("slug")
    assert table.loc["brain-computer-interfaces", "change"] == "added"
    assert table.loc["hydrogen", "change"] == "added"
    assert table.loc["new-energy-storage", "change"] == "dropped"
    evidence = table.loc["brain-computer-interfaces", "evidence_to"]
    assert "脑机接口" in evidence["sentence"]
    everyone = atlas.diff_all(2025, 2026).set_index("slug")
    assert "440000" in everyone.loc["brain-computer-interfaces", "gained"]


def test_cli_json_shapes_and_errors(atlas_db) -> None:
    import json

    from policyatlas.views.cli import app

    runner = CliRunner()
    out = runner.invoke(app, ["crowding", "--year", "2026", "--json", "--db", str(atlas_db)])
    assert out.exit_code == 0, out.output
    first = json.loads(out.stdout)[0]
    assert {"slug", "name_en", "count", "regions", "new_entrants", "strength_mean"} <= set(first)
    out = runner.invoke(app, ["specialization", "--year", "2026", "--format", "csv", "--db", str(atlas_db)])
    assert out.exit_code == 0 and out.stdout.startswith("rank,")
    assert runner.invoke(app, ["similar", "Atlantis", "--year", "2026", "--db", str(atlas_db)]).exit_code == 2
    assert runner.invoke(app, ["diffusion", "quantom-tech", "--db", str(atlas_db)]).exit_code == 2
    out = runner.invoke(app, ["diff", "--all", "--from", "2025", "--to", "2026", "--json", "--db", str(atlas_db)])
    assert out.exit_code == 0 and {"gained", "lost", "net"} <= set(json.loads(out.stdout)[0])


NO_DATA = [
    (lambda a: a.crowding(2024), "no provincial reports for 2024; years with data: 2025, 2026"),
    (lambda a: a.specialization(2024), "no provincial reports for 2024"),
    (lambda a: a.signatures(2024), "no provincial reports for 2024"),
    (lambda a: a.signatures(2026, "Shenzhen"), "no provincial report for Shenzhen (440300) in 2026"),
    (lambda a: a.similar("Taiwan", 2026), "no provincial report for Taiwan (710000) in 2026"),
    (lambda a: a.similar("Shenzhen", 2026), "no provincial report for Shenzhen (440300) in 2026"),
    (lambda a: a.similar("Guangdong", 2024), "no provincial reports for 2024"),
    (lambda a: a.clusters(2024), "no provincial reports for 2024"),
    (lambda a: a.diff("Taiwan", 2025, 2026), "no provincial report for Taiwan (710000) in 2025"),
    (lambda a: a.diff("Guangdong", 2024, 2026), "no provincial report for Guangdong (440000) in 2024; years with data: 2025, 2026"),
    (lambda a: a.diff("Guangdong", 2025, 2027), "no provincial report for Guangdong (440000) in 2027"),
    (lambda a: a.diff_all(2024, 2026), "no provincial reports for 2024"),
    (lambda a: a.matrix(2024), "no provincial reports for 2024"),
    (lambda a: a.profile("Taiwan"), "no report for Taiwan (710000) in the atlas"),
    (lambda a: a.profile("Guangdong", 2024), "no report for Guangdong (440000) in 2024; years with data: 2025, 2026"),
    (lambda a: a.who("6g", 2024, level="province"), "no provincial reports for 2024"),
]


@pytest.mark.parametrize("call, message", NO_DATA)
def test_a_year_or_region_without_reports_is_no_data(atlas, call, message) -> None:
    """Never a KeyError (a 500 on the web) nor a silent empty result: NoData saying what exists."""
    from policyatlas.atlas import NoData

    with pytest.raises(NoData) as caught:
        call(atlas)
    assert str(caught.value) == message or str(caught.value).startswith(message)
    assert isinstance(caught.value, LookupError) and not isinstance(caught.value, KeyError)


def test_brief_of_a_year_without_reports_is_no_data(atlas) -> None:
    from policyatlas.atlas import NoData
    from policyatlas.analysis.brief import brief, build_brief

    with pytest.raises(NoData, match="no provincial reports for 2024; years with data: 2025, 2026"):
        build_brief(atlas, 2024)
    assert build_brief(atlas).year == 2026 == atlas.check_year(None)
    assert brief(atlas, None, "en", "md").startswith("# ")


def test_check_year_and_region(atlas) -> None:
    from policyatlas.atlas import NoData

    assert atlas.check_year(2025) == 2025 and atlas.check_year(None) == 2026
    assert atlas.check_year(1954, "national") == 1954
    assert atlas.check_region("广东", None)[1] == 2026 and atlas.check_region("Guangdong", 2025)[0].adcode == "440000"
    with pytest.raises(NoData, match="the atlas holds no prefectural reports"):
        atlas.check_year(None, "prefecture")


def test_matrix_is_the_portfolio_of_covered_regions(atlas) -> None:
    table = atlas.matrix(2026)
    expected = portfolio(atlas.plan_frame(2026), atlas.covered(2026), atlas.taxonomy.slugs("industry"))
    assert table.drop(columns=["name_en", "name_zh"]).equals(expected.rename_axis(columns=None))
    assert table.loc["440000", "name_zh"] == "广东省"


def test_search_sentences_takes_wildcards_literally(atlas) -> None:
    assert atlas.search_sentences("%", 500)["sentence"].str.contains("%", regex=False).all()
    assert len(atlas.search_sentences("_", 500)) == 0 or atlas.search_sentences("_", 500)["sentence"].str.contains("_", regex=False).all()
    found = atlas.search_sentences("人工智能", 5)
    assert len(found) == 5 and found["sentence"].str.contains("人工智能").all()
    with pytest.raises(ValueError):
        atlas.search_sentences("  ")
