"""Sources → documents on the real corpus, plus the bad files a user will feed it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import CORPUS, fuzz_inputs, manifest

from policyatlas.build.pipeline import build
from policyatlas.ingest.sources import LoadError, load_path, load_paths, load_string


@pytest.fixture(scope="module")
def corpus_docs():
    return [d for d in load_paths([CORPUS]) if not isinstance(d, LoadError)]


def _rel(source: str) -> str:
    return source.split("corpus/", 1)[1].split("#", 1)[0]


def test_every_provincial_report_gets_region_year_and_level(corpus_docs):
    truth = {r["path"]: r for r in manifest() if r["level"] == "province"}
    seen = {}
    for doc in corpus_docs:
        row = truth.get(_rel(doc.source))
        if row:
            seen[row["path"]] = (doc.adcode, str(doc.year), doc.level)
            assert (doc.adcode, str(doc.year), doc.level) == (row["adcode"], row["year"], "province"), doc.source
    assert len(seen) == 62


def test_every_national_report_gets_its_year(corpus_docs):
    path = CORPUS / "national" / "government_work_reports_national.jsonl"
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    national = [d for d in corpus_docs if "national" in d.source]
    assert len(national) == len(records) == 72
    for doc, record in zip(national, records):
        assert (doc.level, doc.adcode) == ("national", "100000")
        if record["year"] is not None:
            assert doc.year == int(record["year"]), record["title"]
    reports = [d for d in national if "决议" not in (d.title or "")]
    assert len(reports) == 52
    # NPC resolutions carry no year; it follows from the session named in the title
    resolution = next(d for d in national if d.title.startswith("第十四届全国人民代表大会第三次会议"))
    assert resolution.year == 2025


def test_web_leftovers_are_stripped(corpus_docs):
    beijing = next(d for d in corpus_docs if d.year == 2026 and d.adcode == "110000")
    assert not beijing.text.startswith("下载")
    assert "相关报道" not in beijing.text
    assert "【字号" not in beijing.text
    assert beijing.text.rstrip().endswith("新的更大贡献！")
    assert int(beijing.meta["leftover_lines_removed"]) >= 10


def test_docx_title_and_tabular_metadata(corpus_docs):
    guangxi = next(d for d in corpus_docs if d.year == 2025 and d.adcode == "450000")
    assert guangxi.title.startswith("2025年广西")
    yunnan = next(d for d in corpus_docs if d.year == 2026 and d.adcode == "530000")
    assert yunnan.meta["url"].startswith("http")


def test_gb18030_text_is_decoded(tmp_path):
    path = tmp_path / "2025年湖南省政府工作报告.txt"
    path.write_bytes("2025年湖南省政府工作报告\n各位代表：\n大力发展人工智能产业。\n".encode("gb18030"))
    (doc,) = list(load_path(path))
    assert "人工智能" in doc.text
    assert (doc.adcode, doc.year) == ("430000", 2025)


def test_explicit_values_win_over_inference(tmp_path):
    doc = load_string("2025年湖南省政府工作报告\n发展低空经济。", "x.txt", {"region": "Guangdong", "year": "2026"})
    assert (doc.adcode, doc.year) == ("440000", 2026)


def make_bad_files(folder: Path) -> dict[str, str]:
    """Bad inputs next to a good one; returns file name → expected words of the error."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "empty.txt").write_bytes(b"")
    real = CORPUS / "provincial" / "2025" / "2025年北京市政府工作报告.docx"
    (folder / "truncated.docx").write_bytes(real.read_bytes()[:5000])
    (folder / "junk.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "notext.csv").write_text("province,year,title\n北京市,2026,x\n", encoding="utf-8")
    (folder / "broken.jsonl").write_text('{"content": "2026年湖南省政府工作报告：发展低空经济。"}\n{not json\n', encoding="utf-8")
    shutil.copy(real, folder / "good.docx")
    return {"empty.txt": "empty", "truncated.docx": "docx", "junk.txt": "binary",
            "notext.csv": "no text column", "broken.jsonl": "line 2"}


def test_bad_files_get_named_errors_and_the_batch_goes_on(tmp_path):
    expected = make_bad_files(tmp_path / "in")
    report = build([tmp_path / "in"], tmp_path / "atlas.duckdb")
    assert report.documents_added == 2  # good.docx, and the good line of broken.jsonl
    reasons = {Path(source.split("#")[0]).name: reason for source, reason in report.skipped}
    assert set(reasons) == set(expected)
    for name, words in expected.items():
        assert words in reasons[name], (name, reasons[name])


def test_html_pages_lose_scripts_menus_and_leftovers(tmp_path):
    page = tmp_path / "hainan.html"
    page.write_text(
        "<html><head><title>2026年海南省政府工作报告</title><script>var x = 1;</script></head>"
        "<body><nav>首页 | 新闻</nav><p>2026年海南省政府工作报告</p><p>下载</p><p>打印</p>"
        "<p>二、2026年主要工作</p><p>大力发展海上风电，打造海上风电装备制造基地。</p>"
        "<p>扫一扫在手机打开当前页</p><footer>版权所有</footer></body></html>",
        encoding="utf-8",
    )
    (doc,) = list(load_path(page))
    assert (doc.adcode, doc.year, doc.title) == ("460000", 2026, "2026年海南省政府工作报告")
    for gone in ("var x", "首页", "下载", "扫一扫", "版权所有"):
        assert gone not in doc.text
    assert "大力发展海上风电" in doc.text


def test_unsupported_and_missing_files_are_named(tmp_path):
    odd = tmp_path / "slides.pptx"
    odd.write_bytes(b"PK\x03\x04")
    (error,) = list(load_path(odd))
    assert isinstance(error, LoadError) and "unsupported" in error.reason and "slides.pptx" in str(error)
    (missing,) = list(load_path(tmp_path / "nope.txt"))
    assert isinstance(missing, LoadError) and "cannot read" in missing.reason


tiny_pdf = fuzz_inputs().tiny_pdf


def test_pdf_text_layer_is_read_and_a_scan_is_reported(tmp_path):
    report = tmp_path / "hainan-2026.pdf"
    report.write_bytes(tiny_pdf(["Report on the Work of the Government of Hainan 2026",
                                 "We will develop offshore wind power and commercial space."]))
    (doc,) = list(load_path(report))
    assert doc.lang == "en" and (doc.adcode, doc.year) == ("460000", 2026)
    assert "offshore wind power" in doc.text
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(tiny_pdf([]))
    (error,) = list(load_path(scan))
    assert isinstance(error, LoadError) and "no text layer" in error.reason


def test_a_row_naming_an_unknown_region_is_a_named_error(tmp_path):
    table = tmp_path / "reports.csv"
    table.write_text("province,year,full_text\nGuangdon,2026,大力发展低空经济。\n广东省,2026,大力发展低空经济和商业航天。\n",
                     encoding="utf-8")
    bad, good = list(load_path(table))
    assert isinstance(bad, LoadError) and bad.source.endswith("#row=1")
    assert "Guangdon" in bad.reason and "Guangdong" in bad.reason
    assert good.adcode == "440000"


def test_years_come_from_stated_dates_not_quantities():
    assert load_string("全省常住人口2050万人。\n大力发展低空经济。", "<x>").year is None
    assert load_string("Shanghai will build 2030 new charging stations\nIt will.", "<x>").year is None
    assert load_string("SHANGHAI, Feb. 12, 2026 (Xinhua) -- Shanghai will build chips.", "<x>").year == 2026


def test_semicolon_separated_tables_are_read(tmp_path):
    table = tmp_path / "reports.csv"
    table.write_text("province;year;full_text\n浙江省;2026;大力发展人形机器人。\n", encoding="utf-8")
    (doc,) = list(load_path(table))
    assert (doc.adcode, doc.year, doc.text) == ("330000", 2026, "大力发展人形机器人。")
