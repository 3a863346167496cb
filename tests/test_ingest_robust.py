"""Loaders on bad and odd inputs: every one a document or a named skip, never a crash, hang or garble."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import pytest

from policyatlas.ingest.limits import Limits, load_limits
from policyatlas.ingest.sources import LoadError, decode_bytes, iter_files, load_path
from policyatlas.text.documents import Document
from policyatlas.text.sentences import MAX_SENTENCE, split_sentences

from conftest import fuzz_inputs

fuzz = fuzz_inputs()

ZH = "2026年湖南省政府工作报告\n大力发展人工智能产业，培育低空经济、商业航天等新兴产业。\n加快建设现代化产业体系。"


def one(path: Path, **kw) -> Document | LoadError:
    (item,) = list(load_path(path, **kw))
    return item


def docs_and_errors(path: Path, **kw) -> tuple[list[Document], list[LoadError]]:
    items = list(load_path(path, **kw))
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, LoadError)]


# ----------------------------------------------------------------------------- decoding

def test_utf32_le_bom_is_not_read_as_utf16():
    assert decode_bytes(b"\xff\xfe\x00\x00" + ZH.encode("utf-32-le")) == ZH
    assert decode_bytes(b"\x00\x00\xfe\xff" + ZH.encode("utf-32-be")) == ZH


def test_utf8_cut_mid_character_keeps_a_replacement_char(tmp_path):
    data = ZH.encode("utf-8")[:-1]  # the last 。 loses a byte
    assert decode_bytes(data) == ZH[:-1] + "\ufffd"
    (tmp_path / "cut.txt").write_bytes(data)
    doc = one(tmp_path / "cut.txt")
    assert isinstance(doc, Document) and doc.text.startswith("2026年湖南省")


def test_a_stray_byte_in_utf8_is_one_replacement_char():
    data, at = ZH.encode("utf-8"), len("2026年湖南省".encode("utf-8"))
    text = decode_bytes(data[:at] + b"\xff" + data[at:])
    assert text.replace("\ufffd", "") == ZH and text.count("\ufffd") == 1


@pytest.mark.parametrize("encoding,text", [
    ("big5", "各位代表：現在，我代表市政府，向大會報告工作，請予審議。大力發展人工智能產業，培育低空經濟、商業航天等新興產業。"),
    ("big5hkscs", "我哋會全力發展創新科技，啲企業嘅研發開支會增加。政府已經咗大量工作，推動新興產業嚟香港發展。"),
    ("shift_jis", "政府は人工知能産業の発展を積極的に支援します。低空経済と商業宇宙産業を育成し、新しい成長分野を開拓します。"),
    ("euc_jp", "政府は人工知能産業の発展を積極的に支援します。低空経済と商業宇宙産業を育成し、新しい成長分野を開拓します。"),
    ("iso2022_jp", "政府は人工知能産業の発展を積極的に支援します。低空経済と商業宇宙産業を育成します。"),
    ("euc_kr", "정부는 인공지능 산업의 발전을 적극 지원합니다. 저고도 경제와 상업 우주 산업을 육성합니다."),
    ("koi8_r", "Правительство будет активно поддерживать развитие искусственного интеллекта и космонавтики."),
    ("gb18030", "各位代表：现在，我代表省人民政府，向大会报告工作。大力发展人工智能产业，培育低空经济。"),
])
def test_east_asian_and_cyrillic_encodings_are_detected_not_forced_to_gb18030(encoding, text):
    assert decode_bytes(text.encode(encoding)) == text


def test_html_meta_charset_is_honoured(tmp_path):
    page = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=big5">'
            "<title>報告</title></head><body><p>大力發展人工智能產業。</p></body></html>")
    (tmp_path / "p.html").write_bytes(page.encode("big5"))
    doc = one(tmp_path / "p.html")
    assert isinstance(doc, Document) and doc.text == "大力發展人工智能產業。"


# ----------------------------------------------------------------------------- tables

def test_csv_uses_standard_double_quote_escapes(tmp_path):
    table = tmp_path / "t.csv"
    table.write_text('province,year,full_text\n广东省,2026,"大力发展""低空经济""，打造万亿级产业。"\n', encoding="utf-8")
    (doc,) = list(load_path(table))
    assert doc.text == '大力发展"低空经济"，打造万亿级产业。'


def test_jsonl_skips_a_bad_line_by_its_number_and_joins_lists(tmp_path):
    good = json.dumps({"content": ["大力发展低空经济。", "培育商业航天。"], "province": ["广东省"], "year": 2026},
                      ensure_ascii=False)
    path = tmp_path / "r.jsonl"
    path.write_text(f"{good}\n{{not json\n\n{good}\n", encoding="utf-8")
    docs, errors = docs_and_errors(path)
    assert [d.source.rsplit("=", 1)[1] for d in docs] == ["1", "4"]
    assert docs[0].text == "大力发展低空经济。\n培育商业航天。" and docs[0].adcode == "440000"
    (error,) = errors
    assert error.source.endswith("#line=2") and "line 2" in error.reason and error.stage == "parse"


@pytest.mark.parametrize("year", ["inf", "1e400", "9" * 500, "nan", "30000", "-1"])
def test_an_impossible_year_is_dropped_with_a_note(tmp_path, year):
    table = tmp_path / "t.csv"
    table.write_text(f"year,full_text\n{year},大力发展低空经济。\n", encoding="utf-8")
    doc = one(table)
    assert isinstance(doc, Document) and doc.year is None and "dropped" in doc.meta["year_note"]


def test_jsonl_lone_surrogates_huge_ints_and_deep_nesting(tmp_path):
    path = tmp_path / "r.jsonl"
    path.write_text('{"content": "发展低空经济\\ud800。"}\n'
                    '{"content": "x", "year": ' + "9" * 5000 + "}\n"
                    '{"content": ' + "[" * 100000 + "]" * 100000 + "}\n", encoding="utf-8")
    docs, errors = docs_and_errors(path)
    assert docs[0].text == "发展低空经济\ufffd。"
    docs[0].text.encode("utf-8")
    assert [e.source[-6:] for e in errors] == ["line=2", "line=3"]
    assert errors[1].stage == "limit" and "max_json_depth" in errors[1].reason


def test_bom_only_jsonl_is_a_named_skip(tmp_path):
    (tmp_path / "b.jsonl").write_bytes(b"\xef\xbb\xbf")
    error = one(tmp_path / "b.jsonl")
    assert isinstance(error, LoadError) and "no text" in error.reason


# ----------------------------------------------------------------------------- docx / pdf

def _docx_with_table(table_xml: str) -> bytes:
    gen = fuzz.Generator(Path("."), fuzz.random.Random(1), False)
    return gen._docx(["2026年湖南省政府工作报告", "大力发展人工智能产业。"], table_xml)


_CELL = '<w:tc><w:tcPr>{}</w:tcPr><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>'


def test_a_huge_gridspan_is_not_expanded(tmp_path):
    table = ('<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr>'
             + _CELL.format('<w:gridSpan w:val="10000000"/>', "低空经济") + "</w:tr></w:tbl>")
    (tmp_path / "g.docx").write_bytes(_docx_with_table(table))
    doc = one(tmp_path / "g.docx")
    assert isinstance(doc, Document) and doc.text.endswith("低空经济")


def test_vertically_merged_tables_load(tmp_path):
    table = ("<w:tbl><w:tr>" + _CELL.format('<w:vMerge w:val="restart"/>', "低空经济") + _CELL.format("", "a")
             + "</w:tr><w:tr>" + _CELL.format("<w:vMerge/>", "") + _CELL.format("", "b") + "</w:tr></w:tbl>")
    (tmp_path / "v.docx").write_bytes(_docx_with_table(table))
    doc = one(tmp_path / "v.docx")
    assert isinstance(doc, Document) and "低空经济\ta" in doc.text and "\tb" in doc.text


def test_html_renamed_docx_is_a_named_skip(tmp_path):
    (tmp_path / "h.docx").write_text("<html><body><p>大力发展人工智能产业。</p></body></html>", encoding="utf-8")
    error = one(tmp_path / "h.docx")
    assert isinstance(error, LoadError) and "HTML" in error.reason and error.stage == "parse"


def test_a_zip_bomb_is_refused_by_its_declared_size(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", "<w:document/>")
        z.writestr("word/media/zeros.bin", b"\0" * (4 << 20))
    (tmp_path / "bomb.docx").write_bytes(buf.getvalue())
    error = one(tmp_path / "bomb.docx", limits=Limits(max_decompressed_bytes=1 << 20))
    assert isinstance(error, LoadError) and error.stage == "limit" and "max_decompressed_bytes" in error.reason


def test_aes_encrypted_pdfs_open_with_an_empty_password_or_are_named(tmp_path):
    plain = fuzz.tiny_pdf(["Report on the Work of the Government of Hainan 2026", "We will develop offshore wind power."])
    (tmp_path / "open.pdf").write_bytes(fuzz.encrypt_pdf(plain, ""))
    (tmp_path / "locked.pdf").write_bytes(fuzz.encrypt_pdf(plain, "secret"))
    doc = one(tmp_path / "open.pdf")
    assert isinstance(doc, Document) and "offshore wind power" in doc.text
    error = one(tmp_path / "locked.pdf")
    assert isinstance(error, LoadError) and "password" in error.reason


# ----------------------------------------------------------------------------- files and listing

def test_a_fifo_is_refused_by_type_without_opening_it(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    (listed,) = list(iter_files([tmp_path]))
    assert isinstance(listed, LoadError) and "FIFO" in listed.reason and listed.stage == "list"
    error = one(tmp_path / "pipe.txt")  # would block forever if opened
    assert isinstance(error, LoadError) and "FIFO" in error.reason and error.stage == "read"


@pytest.mark.parametrize("data", [b"\0" * 100, "\u200b\u200b\n\u200b".encode(), "\ufeff \u200d\n".encode()])
def test_files_without_text_are_refused(tmp_path, data):
    (tmp_path / "x.txt").write_bytes(data)
    error = one(tmp_path / "x.txt")
    assert isinstance(error, LoadError) and "no text" in error.reason


def test_symlinks_out_of_the_roots_are_not_followed(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text(ZH, encoding="utf-8")
    os.symlink("/etc/passwd", corpus / "passwd.txt")
    os.symlink("good.txt", corpus / "again.txt")
    items = list(iter_files([corpus]))
    assert [i for i in items if isinstance(i, str)] == [str(corpus / "again.txt"), str(corpus / "good.txt")]
    (refused,) = [i for i in items if isinstance(i, LoadError)]
    assert refused.source.endswith("passwd.txt") and "outside" in refused.reason
    followed = list(iter_files([corpus], Limits(follow_symlinks=True)))
    assert str(corpus / "passwd.txt") in followed


def test_every_refused_path_is_named(tmp_path):
    (tmp_path / ".hidden.txt").write_text(ZH, encoding="utf-8")
    (tmp_path / "data.json").write_text("{}", encoding="utf-8")
    (tmp_path / "noext").write_text(ZH, encoding="utf-8")
    with open(os.fsencode(tmp_path) + b"/bad-\xff.txt", "wb") as fh:
        fh.write(ZH.encode())
    items = {os.path.basename(i.source.strip("'")): i for i in iter_files([tmp_path, tmp_path / "missing"])}
    assert "hidden" in items[".hidden.txt"].reason
    assert items["data.json"].reason == "unsupported file type .json"
    assert "unsupported" in items["noext"].reason
    assert "UTF-8" in items["bad-\\udcff.txt"].reason and items["bad-\\udcff.txt"].source.startswith("'")
    assert "no such file" in items["missing"].reason
    assert all(isinstance(i, LoadError) and i.stage == "list" for i in items.values())


def test_load_error_names_source_stage_and_reason():
    assert str(LoadError("a.txt", "empty file", "decode")) == "a.txt: decode: empty file"


def test_limits_come_from_settings_and_a_hit_names_the_setting(tmp_path):
    settings = tmp_path / "limits.toml"
    settings.write_text("max_file_bytes = 10\nmax_rows_per_file = 1\n", encoding="utf-8")
    limits = load_limits(settings)
    assert (limits.max_file_bytes, limits.max_rows_per_file) == (10, 1)
    assert load_limits().max_json_depth == Limits().max_json_depth
    (tmp_path / "big.txt").write_text(ZH, encoding="utf-8")
    error = one(tmp_path / "big.txt", limits=limits)
    assert error.stage == "limit" and "max_file_bytes = 10" in error.reason
    table = tmp_path / "t.csv"
    table.write_text("year,full_text\n2026,发展低空经济。\n2026,发展商业航天。\n", encoding="utf-8")
    docs, errors = docs_and_errors(table, limits=Limits(max_rows_per_file=1))
    assert len(docs) == 1 and errors[0].stage == "limit" and "max_rows_per_file" in errors[0].reason
    settings.write_text("max_bytes = 1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="max_bytes"):
        load_limits(settings)


def test_load_path_never_raises_even_on_a_loader_bug(tmp_path, monkeypatch):
    from policyatlas.ingest import sources

    def broken(path, data, limits):
        raise RuntimeError("boom")
        yield  # pragma: no cover

    monkeypatch.setitem(sources.LOADERS, ".txt", broken)
    (tmp_path / "x.txt").write_text(ZH, encoding="utf-8")
    error = one(tmp_path / "x.txt")
    assert isinstance(error, LoadError) and "boom" in error.reason


# ----------------------------------------------------------------------------- linear text stages

def test_a_one_line_dump_is_cut_into_bounded_sentences():
    text = "大力发展人工智能产业和低空经济，" * 5000
    spans = split_sentences(text, lang="zh")
    assert max(e - s for s, e in spans) <= MAX_SENTENCE
    assert "".join(text[s:e] for s, e in spans) == text  # nothing lost at the cuts
    english = ("We will grow" + "." * 300 + " ") * 200
    assert max(e - s for s, e in split_sentences(english, lang="en")) <= MAX_SENTENCE


# ----------------------------------------------------------------------------- the fuzz set

def test_the_small_fuzz_set_gives_no_tracebacks_drops_or_garbling(tmp_path):
    fuzz.generate(tmp_path / "in", 60, full=False, seed=11)
    report = fuzz.run(tmp_path / "in", seconds=60.0, do_extract=True)
    figures = report["figures"]
    assert figures["loaded"] > 30, figures
    for key in ("tracebacks", "silent_drops", "garbled", "wrongly_listed"):
        assert figures.get(key, 0) == 0, report["problems"]
