"""Generate bad and odd inputs for the loaders, and run them: tracebacks, hangs, silent drops, garbling.

    .venv/bin/python scripts/fuzz_inputs.py generate OUT [--count N] [--full] [--seed S]
    .venv/bin/python scripts/fuzz_inputs.py run OUT [--seconds 10] [--no-extract]
    .venv/bin/python scripts/fuzz_inputs.py all OUT [--count N] [--full]     (generate, then run)

Categories (cycled until the count is reached, each case with its own random variation):
encodings (BOMs, UTF-16/32, GB18030, Big5(-HKSCS), Shift-JIS, EUC-JP/KR, ISO-2022-JP, KOI8-R,
HTML `<meta charset>`), truncations and stray bytes, CSV quoting/dialects/ragged rows/huge
fields/odd years, JSONL bad lines/surrogates/nesting/huge ints/lists, odd docx/zip (gridSpan,
vMerge, HTML inside, zip bomb, truncated), odd PDFs (truncated, AES-encrypted, locked), huge and
deep values, symlinks (outside, loop, broken), FIFOs, odd names (non-UTF-8, long, hidden,
unsupported extensions), empty/NUL/zero-width/BOM-only files.

`run` lists the folder with `iter_files`, loads every listed path with `load_path` (and
extracts each document) in a worker process under a time limit, and reports: tracebacks,
inputs over the limit (loading the file, or extracting one of its documents, over `--seconds`;
a worker taking 30 times that in all is killed), silent drops (a path that yielded neither a document nor a
LoadError, or a folder entry the listing never named), and garbled decodes (generated encodings
whose original text is known and did not come back).
"""

from __future__ import annotations

import argparse
import codecs
import io
import json
import multiprocessing as mp
import os
import random
import sys
import time
import traceback
import zipfile
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

MANIFEST = ".fuzz-manifest.jsonl"

ZH = [
    "2026年政府工作报告", "各位代表：", "现在，我代表省人民政府，向大会报告工作，请予审议。",
    "大力发展人工智能产业，培育低空经济、商业航天等新兴产业。", "加快建设现代化产业体系，推动制造业高端化、智能化、绿色化发展。",
    "力争到2027年，全省新能源汽车产量达到100万辆。", "实施科技创新引领工程，建设一批重点实验室和新型研发机构。",
    "深入推进数字经济创新发展，打造全国领先的算力基础设施。", "支持生物医药、新材料、高端装备等产业集群发展壮大。",
    "扎实推进乡村全面振兴，持续增进民生福祉。",
]
ZHT = [
    "各位代表：現在，我代表市政府，向大會報告工作，請予審議。", "大力發展人工智能產業，培育低空經濟、商業航天等新興產業。",
    "加快建設現代化產業體系，推動製造業高端化、智能化、綠色化發展。", "支持生物醫藥、新材料、高端裝備等產業集群發展壯大。",
    "深入推進數字經濟創新發展，打造領先的算力基礎設施。", "實施科技創新引領工程，建設一批重點實驗室。",
]
HKSCS = ["我哋會全力發展創新科技，啲企業嘅研發開支會增加。", "政府已經咗大量工作，推動新興產業嚟香港發展。"]
JA = [
    "政府は人工知能産業の発展を積極的に支援します。", "低空経済と商業宇宙産業を育成し、新しい成長分野を開拓します。",
    "現代的な産業体系の構築を加速します。", "半導体と蓄電池の国内生産を強化します。", "地域の中小企業のデジタル化を支援します。",
]
KO = [
    "정부는 인공지능 산업의 발전을 적극 지원합니다.", "저고도 경제와 상업 우주 산업을 육성합니다.",
    "현대적 산업 체계 구축을 가속화합니다.", "반도체와 배터리 산업의 경쟁력을 강화합니다.",
]
RU = [
    "Правительство будет активно поддерживать развитие искусственного интеллекта.",
    "Мы будем развивать коммерческую космонавтику и низковысотную экономику.",
    "Ускорить построение современной промышленной системы.", "Поддерживать производство полупроводников и аккумуляторов.",
]
EN = ["Report on the Work of the Government", "We will develop artificial intelligence and commercial space.",
      "The province will build 100 new charging stations by 2027.", "We will support biomedicine and new materials."]

#: encoding → the text pools it can carry (and the file suffixes to write it as)
ENCODINGS = {
    "utf-8": [ZH, JA, KO, RU, EN], "utf-8-sig": [ZH, ZHT], "utf-16": [ZH, JA], "utf-16-le-bom": [ZH],
    "utf-16-be-bom": [ZHT], "utf-32-le-bom": [ZH, KO], "utf-32-be-bom": [ZH], "gb18030": [ZH], "gbk": [ZH],
    "big5": [ZHT], "big5hkscs": [HKSCS + ZHT], "shift_jis": [JA], "euc_jp": [JA], "iso2022_jp": [JA],
    "euc_kr": [KO], "koi8_r": [RU], "cp1251": [RU],
}
_BOM = {"utf-16-le-bom": (codecs.BOM_UTF16_LE, "utf-16-le"), "utf-16-be-bom": (codecs.BOM_UTF16_BE, "utf-16-be"),
        "utf-32-le-bom": (codecs.BOM_UTF32_LE, "utf-32-le"), "utf-32-be-bom": (codecs.BOM_UTF32_BE, "utf-32-be")}


@dataclass
class Case:
    """One generated input and what a correct loader makes of it."""

    name: str  # path relative to the folder
    category: str
    expect_text: str | None = None  # the exact document text (encodings)
    expect_prefix: str | None = None  # the document text starts with this (truncations)
    expect_contains: list[str] = field(default_factory=list)  # words some document must hold
    listed: bool = True  # whether iter_files should hand it to load_path


def encode(text: str, encoding: str) -> bytes:
    if encoding in _BOM:
        bom, codec = _BOM[encoding]
        return bom + text.encode(codec)
    return text.encode(encoding)


def _text(rng: random.Random, pool: list[str], lines: int) -> str:
    return "\n".join(rng.choice(pool) for _ in range(lines))


class Generator:
    """Writes cases into a folder; each `gen_*` method writes one case of its category."""

    def __init__(self, folder: Path, rng: random.Random, full: bool) -> None:
        self.folder, self.rng, self.full, self.cases, self.n = folder, rng, full, [], 0

    def _name(self, stem: str, suffix: str) -> str:
        self.n += 1
        return f"{self.n:04d}-{stem}{suffix}"

    def write(self, name: str, data: bytes, category: str, **expect) -> None:
        (self.folder / name).write_bytes(data)
        self.cases.append(Case(name, category, **expect))

    # -- encodings ---------------------------------------------------------------------
    def gen_encoding(self) -> None:
        encoding = self.rng.choice(sorted(ENCODINGS))
        pool = self.rng.choice(ENCODINGS[encoding])
        text = _text(self.rng, pool, self.rng.randint(4, 12))
        if self.rng.random() < 0.3 and encoding not in _BOM and encoding != "utf-16":
            charset = {"gbk": "gb2312", "utf-8-sig": "utf-8"}.get(encoding, encoding)
            body = "".join(f"<p>{line}</p>" for line in text.split("\n"))
            page = f'<html><head><meta charset="{charset}"><title>t</title></head><body>{body}</body></html>'
            self.write(self._name(f"enc-{encoding}", ".html"), encode(page, encoding), "encoding", expect_text=text)
        else:
            self.write(self._name(f"enc-{encoding}", ".txt"), encode(text, encoding), "encoding", expect_text=text)

    # -- truncations and stray bytes ---------------------------------------------------
    def gen_truncation(self) -> None:
        text = _text(self.rng, ZH, self.rng.randint(3, 10))
        data = text.encode("utf-8")
        kind = self.rng.choice(["cut", "cut-bom", "stray", "stray-end"])
        if kind.startswith("cut"):
            cut = self.rng.randint(len(data) // 2, len(data) - 1)
            kept = data[:cut].decode("utf-8", "ignore")
            prefix = kept[:-1] if kept else ""
            payload = (codecs.BOM_UTF8 if kind == "cut-bom" else b"") + data[:cut]
            self.write(self._name(f"trunc-{kind}", ".txt"), payload, "truncation", expect_prefix=prefix)
        else:
            chars = text.encode("utf-8")
            at = len(chars) if kind == "stray-end" else self.rng.choice(
                [i for i in range(1, len(chars)) if chars[i] < 0x80 or chars[i] >= 0xC0])
            payload = chars[:at] + bytes([self.rng.choice([0xFF, 0xFE, 0x80, 0xC3, 0xE4])]) + chars[at:]
            self.write(self._name(f"trunc-{kind}", ".txt"), payload, "truncation", expect_text=text)

    # -- CSV -------------------------------------------------------------------------
    def gen_csv(self) -> None:
        kind = self.rng.choice(["quotes", "semicolon", "tsv", "ragged", "unterminated", "no-text", "years",
                                "bom", "huge-field", "many-rows", "nul", "header-only", "crlf"])
        text = self.rng.choice(ZH)
        suffix = ".csv"
        expect: dict = {}
        if kind == "quotes":
            body = f'province,year,full_text\n广东省,2026,"大力发展""低空经济""，打造万亿级产业。{text}"\n'
            expect = {"expect_contains": ["低空经济", "打造万亿级产业"]}
        elif kind == "semicolon":
            body = f"province;year;full_text\n浙江省;2026;{text}\n"
            expect = {"expect_contains": [text[:8]]}
        elif kind == "tsv":
            body, suffix = f"province\tyear\tfull_text\n浙江省\t2026\t{text}\n", ".tsv"
            expect = {"expect_contains": [text[:8]]}
        elif kind == "ragged":
            body = f"year,full_text\n2026,{text},extra,cells\n2025\n,\n2024,{text}\n"
        elif kind == "unterminated":
            body = f'year,full_text\n2026,"{text}\n2025,{text}\n'
        elif kind == "no-text":
            body = "province,year,title\n北京市,2026,x\n"
        elif kind == "years":
            year = self.rng.choice(["inf", "-inf", "nan", "1e400", "9" * 400, "2026.5", "0", "-2026", "二〇二六", "99999"])
            body = f"year,full_text\n{year},{text}\n"
            expect = {"expect_contains": [text[:8]]}
        elif kind == "bom":
            body = "\ufeffyear,full_text\n2026," + text + "\n"
            expect = {"expect_contains": [text[:8]]}
        elif kind == "huge-field":
            size = (50 if self.full and self.rng.random() < 0.1 else 2) * 1_000_000
            body = "year,full_text\n2026,\"" + (text * (size // len(text) // 3)) + "\"\n"
        elif kind == "many-rows":
            rows = 200_000 if self.full and self.rng.random() < 0.05 else 3_000
            body = "year,full_text\n" + "".join(f"2026,第{i}行：{text}\n" for i in range(rows))
        elif kind == "nul":
            body = f"year,full_text\n2026,{text}\x00{text}\n\x00\x00\n"
        elif kind == "header-only":
            body = "year,full_text\n"
        else:
            body = f"year,full_text\r\n2026,\"{text}\r\n{text}\"\r\n"
        self.write(self._name(f"csv-{kind}", suffix), body.encode("utf-8"), "csv", **expect)

    # -- JSONL -----------------------------------------------------------------------
    def gen_jsonl(self) -> None:
        kind = self.rng.choice(["bad-line", "surrogate", "deep", "huge-int", "list", "not-object", "bom-only",
                                "infinity", "nested-text", "crlf", "non-utf8-line", "empty-lines"])
        text = self.rng.choice(ZH)
        good = json.dumps({"content": text, "year": 2026}, ensure_ascii=False)
        expect: dict = {"expect_contains": [text[:8]]}
        if kind == "bad-line":
            lines = [good, "{not json", good, '{"content": "x"', good]
        elif kind == "surrogate":
            lines = ['{"content": "' + text + '\\ud800\\udfff\\udc00 x", "title": "\\udbff"}', good]
        elif kind == "deep":
            depth = self.rng.choice([100, 5000, 100_000])
            lines = ['{"content": ' + "[" * depth + "]" * depth + "}", good]
        elif kind == "huge-int":
            lines = ['{"content": "' + text + '", "year": ' + "9" * 5000 + "}", good]
        elif kind == "list":
            lines = [json.dumps({"content": [text, text], "province": ["广东省"], "year": [2026]}, ensure_ascii=False)]
        elif kind == "not-object":
            lines = ["[1, 2]", '"a string"', "null", good]
        elif kind == "bom-only":
            self.write(self._name("jsonl-bom-only", ".jsonl"), codecs.BOM_UTF8, "jsonl")
            return
        elif kind == "infinity":
            lines = ['{"content": "' + text + '", "year": Infinity}', '{"content": "' + text + '", "year": NaN}']
        elif kind == "nested-text":
            lines = [json.dumps({"content": {"a": text}}, ensure_ascii=False), good]
        elif kind == "crlf":
            lines = [good + "\r", good + "\r"]
        elif kind == "non-utf8-line":
            data = (good + "\n").encode() + '{"content": "坏行"}\n'.encode("gb18030") + (good + "\n").encode()
            self.write(self._name("jsonl-non-utf8-line", ".jsonl"), data, "jsonl", **expect)
            return
        else:
            lines = ["", "   ", good, "", good]
        self.write(self._name(f"jsonl-{kind}", ".jsonl"), ("\n".join(lines) + "\n").encode("utf-8"), "jsonl", **expect)

    # -- docx / zip ------------------------------------------------------------------
    def _docx(self, paragraphs: list[str], table_xml: str = "") -> bytes:
        import docx

        document = docx.Document()
        for line in paragraphs:
            document.add_paragraph(line)
        out = io.BytesIO()
        document.save(out)
        if not table_xml:
            return out.getvalue()
        src = zipfile.ZipFile(io.BytesIO(out.getvalue()))
        res = io.BytesIO()
        with zipfile.ZipFile(res, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in src.infolist():
                data = src.read(info.filename)
                if info.filename == "word/document.xml":
                    data = data.replace(b"<w:sectPr", table_xml.encode() + b"<w:sectPr", 1)
                dst.writestr(info, data)
        return res.getvalue()

    def gen_docx(self) -> None:
        kind = self.rng.choice(["good", "gridspan", "vmerge", "html-inside", "zip-bomb", "truncated",
                                "random-zip", "empty-zip", "no-document-xml", "garbage"])
        text = _text(self.rng, ZH, 4)
        cell = '<w:tc><w:tcPr>{}</w:tcPr><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>'
        expect: dict = {}
        if kind == "good":
            data, expect = self._docx(text.split("\n")), {"expect_contains": [text.split("\n")[0][:8]]}
        elif kind == "gridspan":
            span = self.rng.choice([2, 10_000_000])
            table = ('<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid><w:tr>'
                     + cell.format(f'<w:gridSpan w:val="{span}"/>', "人工智能") + "</w:tr></w:tbl>")
            data, expect = self._docx(text.split("\n"), table), {"expect_contains": ["人工智能"]}
        elif kind == "vmerge":
            table = ("<w:tbl><w:tr>" + cell.format('<w:vMerge w:val="restart"/>', "低空经济") + cell.format("", "a")
                     + "</w:tr><w:tr>" + cell.format("<w:vMerge/>", "") + cell.format("", "b") + "</w:tr></w:tbl>")
            data, expect = self._docx(text.split("\n"), table), {"expect_contains": ["低空经济"]}
        elif kind == "html-inside":
            data = f"<html><body><p>{text}</p></body></html>".encode()
        elif kind == "zip-bomb":
            data = self._zip_bomb(300 if self.full else 40)
        elif kind == "truncated":
            full = self._docx(text.split("\n"))
            data = full[: self.rng.randint(10, len(full) - 1)]
        elif kind == "random-zip":
            data = b"PK\x03\x04" + self.rng.randbytes(2000)
        elif kind == "empty-zip":
            buf = io.BytesIO()
            zipfile.ZipFile(buf, "w").close()
            data = buf.getvalue()
        elif kind == "no-document-xml":
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w") as z:
                z.writestr("hello.txt", "hi")
            data = buf.getvalue()
        else:
            data = self.rng.randbytes(3000)
        self.write(self._name(f"docx-{kind}", ".docx"), data, "docx", **expect)

    def _zip_bomb(self, megabytes: int) -> bytes:
        base = self._docx(["大力发展人工智能产业。"])
        src = zipfile.ZipFile(io.BytesIO(base))
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as dst:
            for info in src.infolist():
                dst.writestr(info.filename, src.read(info.filename))
            with dst.open("word/media/zeros.bin", "w") as member:
                chunk = b"\0" * (1 << 20)
                for _ in range(megabytes):
                    member.write(chunk)
        return out.getvalue()

    # -- PDF -------------------------------------------------------------------------
    def gen_pdf(self) -> None:
        kind = self.rng.choice(["good", "truncated", "aes-empty", "aes-locked", "rc4-empty", "garbage", "no-text"])
        lines = ["Report on the Work of the Government of Hainan 2026", "We will develop offshore wind power."]
        data = tiny_pdf(lines if kind != "no-text" else [])
        expect: dict = {}
        if kind == "good":
            expect = {"expect_contains": ["offshore wind power"]}
        elif kind == "truncated":
            data = data[: self.rng.randint(10, len(data) - 10)]
        elif kind in ("aes-empty", "aes-locked", "rc4-empty"):
            data = encrypt_pdf(data, "" if kind != "aes-locked" else "secret",
                               "RC4-128" if kind == "rc4-empty" else "AES-256")
            if kind != "aes-locked":
                expect = {"expect_contains": ["offshore wind power"]}
        elif kind == "garbage":
            data = b"%PDF-1.7\n" + self.rng.randbytes(3000)
        self.write(self._name(f"pdf-{kind}", ".pdf"), data, "pdf", **expect)

    # -- huge and pathological values ------------------------------------------------
    def gen_huge(self) -> None:
        kind = self.rng.choice(["one-line", "dots", "clauses", "long-lines", "deep-html", "many-headings"])
        big = self.full and self.rng.random() < 0.15
        size = 50_000_000 if big else 400_000
        unit = {"one-line": "大力发展人工智能产业和低空经济，", "dots": "We will grow" + "." * 500 + " ",
                "clauses": "到2027年，产值达到100亿元、产量突破100万辆，", "long-lines": "大力发展人工智能产业。" * 50 + "\n",
                "deep-html": "<div>", "many-headings": "一、大力发展人工智能产业\n"}[kind]
        body = "2026年湖南省政府工作报告\n二、2026年主要工作\n" + unit * (size // len(unit.encode()))
        suffix = ".html" if kind == "deep-html" else ".txt"
        if kind == "deep-html":
            body = "<html><body>" + "<div>" * (size // 10) + "大力发展人工智能产业。" + "</div>" * (size // 10) + "</body></html>"
        self.write(self._name(f"huge-{kind}", suffix), body.encode("utf-8"), "huge")

    # -- special files and names -----------------------------------------------------
    def gen_special(self) -> None:
        kind = self.rng.choice(["symlink-out", "symlink-loop", "symlink-broken", "symlink-in", "fifo", "non-utf8-name",
                                "long-name", "hidden", "unsupported", "no-ext", "upper-ext", "nul-only", "zwsp-only",
                                "bom-only", "empty", "spaces-name", "dash-name", "folder-symlink-out", "socket"])
        text = _text(self.rng, ZH, 3).encode("utf-8")
        n = self._name(kind, "")
        path = self.folder / n
        if kind == "symlink-out":
            os.symlink("/etc/passwd", str(path) + ".txt")
            self.cases.append(Case(n + ".txt", "special", listed=False))
        elif kind == "folder-symlink-out":
            os.symlink("/etc", path)
            self.cases.append(Case(n, "special", listed=False))
        elif kind == "symlink-loop":
            os.symlink(n + ".txt", str(path) + ".txt")
            self.cases.append(Case(n + ".txt", "special", listed=False))
        elif kind == "symlink-broken":
            os.symlink("does-not-exist.txt", str(path) + ".txt")
            self.cases.append(Case(n + ".txt", "special", listed=False))
        elif kind == "symlink-in":
            self.write(n + "-target.txt", text, "special")
            os.symlink(n + "-target.txt", str(path) + ".txt")
            self.cases.append(Case(n + ".txt", "special"))
        elif kind == "fifo":
            os.mkfifo(str(path) + ".txt")
            self.cases.append(Case(n + ".txt", "special", listed=False))
        elif kind == "socket":
            import socket

            sock = socket.socket(socket.AF_UNIX)
            try:
                sock.bind(str(path) + ".txt")
            except OSError:  # path too long for a socket address
                sock.close()
                self.write(n + ".txt", text, "special")
                return
            sock.close()
            self.cases.append(Case(n + ".txt", "special", listed=False))
        elif kind == "non-utf8-name":
            raw = os.fsencode(str(path)) + b"-\xff\xfe.txt"
            with open(raw, "wb") as fh:
                fh.write(text)
            self.cases.append(Case(os.fsdecode(os.path.basename(raw)), "special", listed=False))
        elif kind == "long-name":
            self.write(n + "-" + "长" * 70 + ".txt", text, "special")
        elif kind == "hidden":
            self.write("." + n + ".txt", text, "special", listed=False)
        elif kind == "unsupported":
            self.write(n + self.rng.choice([".json", ".markdown.bak", ".doc", ".xml", ".rtf"]), text, "special", listed=False)
        elif kind == "no-ext":
            self.write(n, text, "special", listed=False)
        elif kind == "upper-ext":
            self.write(n + ".TXT", text, "special")
        elif kind == "nul-only":
            self.write(n + ".txt", b"\0" * self.rng.randint(1, 5000), "special")
        elif kind == "zwsp-only":
            self.write(n + ".txt", "\u200b\ufeff\u200d \n".encode() * self.rng.randint(1, 500), "special")
        elif kind == "bom-only":
            self.write(n + self.rng.choice([".txt", ".csv", ".jsonl", ".html"]), codecs.BOM_UTF8, "special")
        elif kind == "empty":
            self.write(n + self.rng.choice([".txt", ".csv", ".jsonl", ".html", ".docx", ".pdf"]), b"", "special")
        elif kind == "spaces-name":
            self.write(n + " with  spaces \u3000.txt", text, "special")
        else:
            self.write("-" + n + ".txt", text, "special")

    CATEGORIES = ("encoding", "encoding", "truncation", "csv", "jsonl", "docx", "pdf", "special", "special", "huge")

    def generate(self, count: int) -> list[Case]:
        index = 0
        while len(self.cases) < count:
            category = self.CATEGORIES[index % len(self.CATEGORIES)]
            index += 1
            if category == "huge" and index % (len(self.CATEGORIES) * (2 if self.full else 3)) != 0:
                continue  # big files are a few, not a tenth of the run
            getattr(self, f"gen_{category}")()
        return self.cases


def tiny_pdf(lines: list[str]) -> bytes:
    """A minimal one-page PDF with a Helvetica text layer (ASCII lines), with a correct xref."""
    stream = "BT /F1 12 Tf 72 720 Td 14 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{o:010d} 00000 n \n" for o in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def encrypt_pdf(data: bytes, user_password: str, algorithm: str = "AES-256") -> bytes:
    """The PDF encrypted (an empty user password opens it for reading; another locks it)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm=algorithm)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def generate(folder: Path, count: int, full: bool = False, seed: int = 11) -> list[Case]:
    """Write `count` cases into `folder` (created) and a manifest of what each should give."""
    folder.mkdir(parents=True, exist_ok=True)
    cases = Generator(folder, random.Random(seed), full).generate(count)
    with open(folder / MANIFEST, "w", encoding="utf-8") as fh:
        for case in cases:
            fh.write(json.dumps(asdict(case)) + "\n")  # ASCII: names may hold surrogate escapes
    return cases


# ------------------------------------------------------------------------------- running


def _norm(text: str) -> str:
    return "\n".join(line.strip() for line in text.split("\n")).strip("\n")


def _worker(conn, do_extract: bool) -> None:
    """Child process: load (and extract) each path sent, answer with a summary."""
    import logging

    from policyatlas.ingest.sources import LoadError, load_path

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # a broken PDF is reported, not logged

    if do_extract:
        from policyatlas.extract.pipeline import extract
    while True:
        path = conn.recv()
        if path is None:
            return
        started = time.perf_counter()
        out = {"documents": [], "errors": [], "traceback": None, "extract_seconds": 0.0}
        try:
            items = list(load_path(path))
            out["load_seconds"] = time.perf_counter() - started
            for item in items:
                if isinstance(item, LoadError):
                    out["errors"].append(str(item))
                    continue
                text = item.text
                out["documents"].append(text if len(text) < 200_000 else text[:200_000])
                if do_extract:
                    begun = time.perf_counter()
                    for c in extract(item, include_rejected=True):
                        assert text[c.start:c.end] == c.sentence, (c.start, c.end)
                    out["extract_seconds"] = max(out["extract_seconds"], time.perf_counter() - begun)
        except BaseException:  # noqa: BLE001 - what we are here to find
            out["traceback"] = traceback.format_exc()
        out["seconds"] = time.perf_counter() - started
        conn.send(out)


class Runner:
    """One worker process, restarted after a timeout."""

    def __init__(self, do_extract: bool) -> None:
        self.do_extract, self.proc = do_extract, None

    def _start(self) -> None:
        # spawn, not fork: forking a threaded process (pytest with DuckDB and server threads alive) can
        # leave the child holding a lock no thread will release, and the case then reads "worker died".
        # The child imports this file by name, so its folder goes on the path it inherits.
        here = str(Path(__file__).resolve().parent)
        if here not in sys.path:
            sys.path.insert(0, here)
        ctx = mp.get_context("spawn")
        self.conn, child = ctx.Pipe()
        self.proc = ctx.Process(target=_worker, args=(child, self.do_extract), daemon=True)
        self.proc.start()

    def run(self, path: str, seconds: float) -> dict:
        if self.proc is None or not self.proc.is_alive():
            self._start()
        started = time.perf_counter()
        self.conn.send(path)
        if self.conn.poll(seconds):
            try:
                return self.conn.recv()
            except EOFError:
                pass
        else:
            self.stop(kill=True)
            return {"timeout": True, "seconds": time.perf_counter() - started, "documents": [], "errors": []}
        self.stop(kill=True)
        return {"traceback": "worker died", "seconds": time.perf_counter() - started, "documents": [], "errors": []}

    def stop(self, kill: bool = False) -> None:
        if self.proc is None:
            return
        if kill:
            self.proc.kill()
        else:
            try:
                self.conn.send(None)
            except OSError:
                pass
        self.proc.join(5)
        self.proc = None


class _Problems(list):
    """Problems, printed as they are found when asked (a full run takes a while)."""

    def __init__(self, echo: bool) -> None:
        super().__init__()
        self.echo = echo

    def append(self, problem: str) -> None:
        super().append(problem)
        if self.echo:
            print(problem, flush=True)


def run(folder: Path, seconds: float = 10.0, do_extract: bool = True, verbose: bool = False,
        echo: bool = False) -> dict:
    """Run every input of a generated folder; the figures the issue asks for, and the failing cases."""
    from policyatlas.ingest.sources import LoadError, iter_files

    cases = {}
    manifest = folder / MANIFEST
    if manifest.exists():
        for line in manifest.read_text(encoding="utf-8").splitlines():
            case = Case(**json.loads(line))
            cases[case.name] = case
    listed: dict[str, str | None] = {}  # name → None (handed on) or the listing's reason
    started = time.perf_counter()
    outcome = Counter()
    problems: list[str] = _Problems(echo)
    runner = Runner(do_extract)
    try:
        for item in iter_files([folder]):
            if isinstance(item, LoadError):
                name = item.source.strip("'\"")
                listed[os.path.basename(name)] = item.reason
                continue
            name = os.path.relpath(item, folder)
            listed[name] = None
            result = runner.run(item, seconds * 30)  # the whole file; stages are held to `seconds`
            outcome["loaded"] += 1
            case = cases.get(name)
            if result.get("timeout"):
                outcome["over_limit"] += 1
                problems.append(f"over {seconds * 30:g} s in all (killed): {name}")
                continue
            if result.get("traceback"):
                outcome["tracebacks"] += 1
                problems.append(f"traceback: {name}\n{result['traceback']}")
                continue
            slowest = max(result.get("load_seconds", 0.0), result.get("extract_seconds", 0.0))
            if slowest > seconds:
                outcome["over_limit"] += 1
                problems.append(f"over {seconds:g} s (load {result.get('load_seconds', 0):.1f} s, slowest document "
                                f"{result.get('extract_seconds', 0):.1f} s): {name}")
            if not result["documents"] and not result["errors"]:
                outcome["silent_drops"] += 1
                problems.append(f"silent drop: {name}")
            outcome["documents"] += len(result["documents"])
            outcome["errors"] += len(result["errors"])
            if verbose:
                print(name, len(result["documents"]), result["errors"][:2], f"{result['seconds']:.2f}s")
            garbled = _garbled(case, result) if case else None
            if garbled:
                outcome["garbled"] += 1
                problems.append(f"garbled: {name}: {garbled}")
    finally:
        runner.stop()
    entries = [os.fsdecode(e) for e in os.listdir(os.fsencode(folder))]
    for entry in entries:
        shown = entry if _utf8(entry) else repr(os.path.join(str(folder), entry)).strip("'\"")
        if entry not in listed and os.path.basename(shown) not in listed:
            outcome["silent_drops"] += 1
            problems.append(f"silent drop (never listed): {entry!r}")
    for name, case in cases.items():
        if not case.listed and listed.get(name, "x") is None:
            outcome["wrongly_listed"] += 1
            problems.append(f"listed but should be refused: {name}")
    outcome["inputs"] = len(entries)
    outcome["cases"] = len(cases)
    outcome["seconds"] = round(time.perf_counter() - started, 1)
    return {"figures": dict(outcome), "problems": list(problems)}


def _utf8(name: str) -> bool:
    try:
        name.encode("utf-8")
        return True
    except UnicodeEncodeError:
        return False


def _garbled(case: Case, result: dict) -> str | None:
    docs = result["documents"]
    if case.expect_text is not None:
        if not docs:
            return f"no document (errors: {result['errors'][:2]})"
        got = _norm(docs[0].replace("\ufffd", ""))
        if got != _norm(case.expect_text):
            return f"got {got[:60]!r}, expected {case.expect_text[:60]!r}"
    if case.expect_prefix is not None:
        if not docs:
            return f"no document (errors: {result['errors'][:2]})"
        got = _norm(docs[0])
        if not got.startswith(_norm(case.expect_prefix)):
            return f"got {got[:60]!r}, expected to start {case.expect_prefix[:60]!r}"
    for word in case.expect_contains:
        if not any(word in d for d in docs):
            return f"{word!r} not in any document (errors: {result['errors'][:2]})"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("mode", choices=["generate", "run", "all"])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--count", type=int, default=None, help="inputs to generate (default 60; 1000 with --full)")
    parser.add_argument("--full", action="store_true", help="≥ 1,000 inputs, with the 50 MB ones")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--seconds", type=float, default=10.0, help="time limit per input")
    parser.add_argument("--no-extract", action="store_true", help="load only")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    count = args.count or (1000 if args.full else 60)
    if args.full:
        count = max(count, 1000)
    if args.mode in ("generate", "all"):
        cases = generate(args.folder, count, args.full, args.seed)
        print(f"generated {len(cases)} inputs in {args.folder}", file=sys.stderr)
    if args.mode in ("run", "all"):
        report = run(args.folder, args.seconds, not args.no_extract, args.verbose, echo=True)
        figures = report["figures"]
        if args.json:
            print(json.dumps(figures))
        else:
            keys = ("inputs", "loaded", "documents", "errors", "tracebacks", "over_limit", "silent_drops", "garbled",
                    "wrongly_listed", "seconds")
            print(" ".join(f"{k}={figures.get(k, 0)}" for k in keys))
        bad = sum(figures.get(k, 0) for k in ("tracebacks", "over_limit", "silent_drops", "garbled", "wrongly_listed"))
        return 1 if bad else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
