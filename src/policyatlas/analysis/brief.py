"""A news-style briefing generated from the atlas, in which every sentence cites its evidence.

`build_brief` turns analysis results into `Sentence`s, each carrying the `Citation`s (region,
document, offsets, quote) that support it; `render_brief` writes Markdown (footnotes labelled
`doc/<id>#<start>-<end>`) or HTML. Every link to a cited span comes from a link scheme of the web
layer (`policyatlas.web.links`): `ServerLinks` by default (`/document/<id>?start=&end=`, what
`policyatlas serve` answers), `StaticLinks` for an exported site (relative `doc-<id>.html#c<start>`).
Wording lives in `data/<lang>/brief.toml`. Counts are the atlas's counts, so "at least N" is always
the real N.
"""

from __future__ import annotations

import html
import tomllib
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Protocol

import pandas as pd

from . import quote_span, strongest

if TYPE_CHECKING:  # pragma: no cover
    from ..atlas import Atlas

class Links(Protocol):
    """What the briefing needs of a link scheme (`ServerLinks`, `StaticLinks`)."""

    def document(self, doc_id: str, start: int | None = None, end: int | None = None) -> str: ...


def server_links() -> Links:
    """The default link scheme: the routes `policyatlas serve` answers."""
    from ..views.web.links import ServerLinks

    return ServerLinks()


CROWDED = 5
EXAMPLES = 3
FEW = 5
TARGETS = 8
MOVERS = 3


@dataclass(frozen=True)
class Citation:
    """Evidence for a sentence: `document(doc)["text"][start:end] == quote`."""

    adcode: str
    region: str
    doc: str
    start: int
    end: int
    quote: str
    shown: bool = True  # quote printed in full (else a link only, for the rest of a count)


@dataclass
class Sentence:
    text: str
    citations: list[Citation]


@dataclass
class Section:
    title: str
    sentences: list[Sentence] = field(default_factory=list)


@dataclass
class Brief:
    year: int
    lang: str
    title: str
    note: str
    sections: list[Section]

    def citations(self) -> list[Citation]:
        """Every citation of every sentence (what the quote test checks)."""
        return [c for s in self.sections for sentence in s.sentences for c in sentence.citations]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@cache
def strings(lang: str) -> dict[str, Any]:
    """The briefing's wording for a language ('en' or 'zh')."""
    raw = resources.files("policyatlas.data").joinpath(f"{'zh' if lang == 'zh' else 'en'}/brief.toml").read_text("utf-8")
    return tomllib.loads(raw)


class _Writer:
    """Names, lists and citations in one language, over one year's evidence."""

    def __init__(self, atlas: "Atlas", year: int, lang: str):
        self.atlas, self.year, self.lang, self.s = atlas, year, lang, strings(lang)
        self.best = self.evidence(year)

    def evidence(self, year: int) -> dict[tuple[str, str], dict]:
        return {(r["adcode"], r["slug"]): r for r in strongest(self.atlas.plan_frame(year)).to_dict("records")}

    def region(self, adcode: str) -> str:
        r = self.atlas.gazetteer.get(adcode)
        return (r.short_zh or r.name_zh) if self.lang == "zh" else r.name_en

    def industry(self, slug: str) -> str:
        entry = self.atlas.taxonomy.get(slug)
        if self.lang == "zh":
            return entry.name_zh
        name = entry.name_en
        return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name

    def join(self, items: list[str]) -> str:
        sep, last = self.s["list"]["sep"], self.s["list"]["last"]
        return items[0] if len(items) == 1 else sep.join(items[:-1]) + last + items[-1]

    def cite(self, row: dict, shown: bool = True, focus: tuple[int, int] | None = None) -> Citation:
        """The clause of a commitment sentence around its mention (or `focus`), as a citation."""
        begin, end = focus or (int(row["mention_start"]), int(row["mention_end"]))
        base = int(row["start"])
        s, e = quote_span(row["sentence"], max(begin - base, 0), max(min(end - base, len(row["sentence"])), 0))
        return Citation(row["adcode"], self.region(row["adcode"]), row["doc_id"], base + s, base + e,
                        row["sentence"][s:e], shown)

    def ranked(self, adcodes: list[str], slug: str, best: dict | None = None) -> list[dict]:
        """Evidence rows of regions for a slug, strongest first (the examples a sentence names)."""
        best = best or self.best
        rows = [best[(a, slug)] for a in adcodes if (a, slug) in best]
        return sorted(rows, key=lambda r: (-int(r["strength"]), r["adcode"]))

    def sentence(self, key: str, cited: list[Citation], **values: Any) -> Sentence:
        return Sentence(self.s["sentences"][key].format(**values), cited)


def _crowded(w: _Writer, crowd: pd.DataFrame, covered: int) -> Section:
    section = Section(w.s["sections"]["crowded"])
    for row in crowd[crowd["count"] > 0].head(CROWDED).to_dict("records"):
        rows = w.ranked(row["regions"], row["slug"])
        examples = rows[:EXAMPLES]
        cited = [w.cite(r) for r in examples] + [w.cite(r, shown=False) for r in rows[EXAMPLES:]]
        key = "crowded_all" if row["count"] == covered else "crowded"
        section.sentences.append(w.sentence(key, cited, count=row["count"], covered=covered,
                                            examples=w.join([w.region(r["adcode"]) for r in examples]),
                                            industry=w.industry(row["slug"])))
    return section


def _distinctive(w: _Writer, covered: int) -> Section:
    section = Section(w.s["sections"]["distinctive"])
    for row in w.atlas.specialization(w.year).to_dict("records"):
        if not row["signature"]:
            continue
        bets, cited = [], []
        for slug, n in zip(row["signature"], row["signature_naming"]):
            named = w.s["none_other"] if n == 1 else w.s["named_by"].format(n=n, covered=covered)
            bets.append(w.s["sentences"]["bet"].format(industry=w.industry(slug), named=named))
            cited.append(w.cite(w.best[(row["adcode"], slug)]))
        section.sentences.append(w.sentence("distinctive", cited, region=w.region(row["adcode"]), bets=w.join(bets)))
    return section


def _frontier(w: _Writer, crowd: pd.DataFrame) -> Section:
    section = Section(w.s["sections"]["frontier"])
    frontier = crowd[crowd["frontier"] & (crowd["count"] > 0)]
    for row in frontier.to_dict("records"):
        rows = w.ranked(row["regions"], row["slug"])
        industry = w.industry(row["slug"])
        if row["count"] == 1:
            section.sentences.append(w.sentence("frontier_one", [w.cite(rows[0])], region=w.region(rows[0]["adcode"]), industry=industry))
        elif row["count"] <= FEW:
            ordered = sorted(rows, key=lambda r: r["adcode"])
            section.sentences.append(w.sentence("frontier_few", [w.cite(r) for r in ordered], count=row["count"], industry=industry,
                                                regions=w.join([w.region(r["adcode"]) for r in ordered])))
        else:
            cited = [w.cite(r) for r in rows[:EXAMPLES]] + [w.cite(r, shown=False) for r in rows[EXAMPLES:]]
            section.sentences.append(w.sentence("frontier_many", cited, count=row["count"], industry=industry,
                                                examples=w.join([w.region(r["adcode"]) for r in rows[:EXAMPLES]])))
    return section


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}".rstrip("0").rstrip(".")


def amount(value: float, unit: str, modifier: str, lang: str) -> str:
    """A target's amount in words of a language (units converted only where the table says how)."""
    s = strings(lang)
    conv = s.get("units", {}).get(unit)
    if conv is None:
        text = f"{_number(value)}{'' if lang == 'zh' else ' '}{unit}"
    else:
        total = value * conv["factor"]
        if conv.get("money"):
            for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
                if total >= size:
                    text = f"CNY {_number(total / size)} {word}"
                    break
            else:
                text = f"CNY {_number(total)}"
        else:
            text = f"{_number(total)}{conv.get('glue', ' ')}{conv['unit']}"
    return s["modifier"].get(modifier, "{amount}").format(amount=text)


def _unit_rank(unit: str, value: float) -> tuple:
    money = {"万亿元": 1e12, "亿元": 1e8}.get(unit)
    return (0, -value * money) if money else (1, unit == "个", -value)


def _targets(w: _Writer) -> Section:
    section = Section(w.s["sections"]["targets"])
    frame = w.atlas.target_rows(w.year, "province", "industry")
    rows = sorted(frame.to_dict("records"), key=lambda r: (_unit_rank(r["unit"], r["value"]), r["adcode"]))
    seen: set[str] = set()
    for row in rows:
        if row["adcode"] in seen or len(seen) >= TARGETS:
            continue
        seen.add(row["adcode"])
        deadline = None if pd.isna(row["deadline"]) else int(row["deadline"])
        when = "" if deadline is None else w.s["when"]["year" if deadline == w.year else "by"].format(year=deadline)
        section.sentences.append(w.sentence(
            "target", [w.cite(row, focus=(int(row["t_start"]), int(row["t_end"])))], region=w.region(row["adcode"]),
            industry=w.industry(row["slug"]), amount=amount(row["value"], row["unit"], row["modifier"], w.lang), when=when))
    return section


def _new(w: _Writer, previous: int) -> Section:
    section = Section(w.s["sections"]["new"].format(previous=previous))
    moves = w.atlas.diff_all(previous, w.year)
    before = w.evidence(previous)
    for key, picked, best, who in (("gained", moves[moves["net"] > 0].head(MOVERS), w.best, "gained"),
                                   ("lost", moves[moves["net"] < 0].sort_values("net").head(MOVERS), before, "lost")):
        for row in picked.to_dict("records"):
            rows = w.ranked(row[who], row["slug"], best)
            cited = [w.cite(r) for r in rows[:EXAMPLES]] + [w.cite(r, shown=False) for r in rows[EXAMPLES:]]
            section.sentences.append(w.sentence(
                key, cited, net=abs(row["net"]), industry=w.industry(row["slug"]), previous=previous, year=w.year,
                count_from=row["count_from"], count_to=row["count_to"],
                examples=w.join([w.region(r["adcode"]) for r in rows[:EXAMPLES]])))
    return section


def build_brief(atlas: "Atlas", year: int | None = None, lang: str = "en") -> Brief:
    """The briefing of one provincial year (default: the latest), as sentences with citations.

    NoData (`policyatlas.atlas`) when the atlas holds no provincial reports for the year.
    """
    year = atlas.check_year(year, "province")
    w = _Writer(atlas, year, lang)
    crowd = atlas.crowding(year)
    covered = len(atlas.covered(year))
    sections = [_crowded(w, crowd, covered), _distinctive(w, covered), _frontier(w, crowd), _targets(w)]
    previous = [y for y in atlas.years("province") if y < year]
    if previous:
        sections.append(_new(w, previous[-1]))
    note = " ".join(x for x in (w.s["note"].format(year=year), w.s["quote_lang_note"]) if x)
    return Brief(year, lang, w.s["title"].format(year=year), note, [s for s in sections if s.sentences])


def anchor(c: Citation) -> str:
    """The Markdown anchor of a citation."""
    return f"doc/{c.doc}#{c.start}-{c.end}"


def link(c: Citation, links: Links | None = None) -> str:
    """Where a cited span opens, in a link scheme (default: the running server's `/document/<id>?start=&end=`)."""
    return (links or server_links()).document(c.doc, c.start, c.end)


def _md(brief: Brief, links: Links) -> str:
    s = strings(brief.lang)
    out, notes = [f"# {brief.title}", "", f"_{brief.note}_", ""], []
    for section in brief.sections:
        out += [f"## {section.title}", ""]
        for sentence in section.sentences:
            notes.append(sentence.citations)
            out += [f"{sentence.text}[^{len(notes)}]", ""]
    out += [f"## {s['notes']}", ""]
    for n, cited in enumerate(notes, 1):
        shown = [f"{c.region}: 「{c.quote}」 — [{anchor(c)}]({link(c, links)})" for c in cited if c.shown]
        rest = [f"[{c.region}]({link(c, links)})" for c in cited if not c.shown]
        text = "; ".join(shown) + (f". {s['also']}: " + ", ".join(rest) if rest else "")
        out.append(f"[^{n}]: {text}")
    return "\n".join(out) + "\n"


def _html(brief: Brief, links: Links) -> str:
    s, e = strings(brief.lang), html.escape
    body, notes = [], []
    for section in brief.sections:
        body.append(f"<h2>{e(section.title)}</h2>")
        for sentence in section.sentences:
            notes.append(sentence.citations)
            n = len(notes)
            body.append(f'<p>{e(sentence.text)}<sup><a href="#note-{n}" id="ref-{n}">{n}</a></sup></p>')
    items = []
    for n, cited in enumerate(notes, 1):
        # target=_top: shown in the dashboard's sandboxed frame, a citation opens as the whole page
        shown = [f'{e(c.region)}: <q>{e(c.quote)}</q> <a href="{e(link(c, links))}" target="_top">{e(anchor(c))}</a>'
                 for c in cited if c.shown]
        rest = [f'<a href="{e(link(c, links))}" target="_top">{e(c.region)}</a>' for c in cited if not c.shown]
        text = "; ".join(shown) + (f". {e(s['also'])}: " + ", ".join(rest) if rest else "")
        items.append(f'<li id="note-{n}">{text} <a href="#ref-{n}">↩</a></li>')
    lang = "zh-Hans" if brief.lang == "zh" else "en"
    return (f'<!doctype html>\n<html lang="{lang}"><head><meta charset="utf-8"><title>{e(brief.title)}</title></head>\n'
            f"<body><article>\n<h1>{e(brief.title)}</h1>\n<p><em>{e(brief.note)}</em></p>\n" + "\n".join(body)
            + f"\n<h2>{e(s['notes'])}</h2>\n<ol>\n" + "\n".join(items) + "\n</ol>\n</article></body></html>\n")


def render_brief(brief: Brief, fmt: str = "md", links: Links | None = None) -> str:
    """The briefing as Markdown ('md') or a standalone HTML page ('html'), citations linked in `links`
    (default: the server's routes; pass `StaticLinks()` for pages of an exported site)."""
    links = links or server_links()
    return _html(brief, links) if fmt == "html" else _md(brief, links)


def brief(atlas: "Atlas", year: int | None = None, lang: str = "en", fmt: str = "md", links: Links | None = None) -> str:
    """The briefing of a year (default: the latest) rendered as Markdown or HTML (what the CLI and web page show)."""
    return render_brief(build_brief(atlas, year, lang), fmt, links)
