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
from ..extract.targets import render_target

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
    item: bool = False  # one province's commitment under a theme's lead (a list item)


@dataclass
class Section:
    title: str
    sentences: list[Sentence] = field(default_factory=list)
    key: str = ""


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
        return Sentence(capital(self.s["sentences"][key].format(**values)), cited)


def capital(text: str) -> str:
    """A sentence begins with a capital letter ("New-energy vehicles lost ground", not "new-…")."""
    for i, ch in enumerate(text):
        if ch.isalpha():
            return text[:i] + ch.upper() + text[i + 1:] if ch.islower() and ch.isascii() else text
        if not (ch.isspace() or ch in "\"'“‘(「"):
            return text
    return text


def theme_rules() -> list[dict]:
    """The strategic themes of the lead, in order (selectors from data/en/brief.toml, shared by all languages)."""
    return strings("en").get("themes", [])


def theme_rows(rule: dict, frame: pd.DataFrame, frontier: set[str]) -> pd.DataFrame:
    """The committed plan rows a theme selects (slugs, frontier, axis; strength or cue), as documented in brief.toml."""
    rows = frame[frame["axis"] == rule.get("axis", "industry")]
    if "slugs" in rule:
        rows = rows[rows["slug"].isin(rule["slugs"])]
    if rule.get("frontier"):
        rows = rows[rows["slug"].isin(frontier)]
    if rule.get("exclude_frontier"):
        rows = rows[~rows["slug"].isin(frontier)]
    if "exclude_slugs" in rule:
        rows = rows[~rows["slug"].isin(rule["exclude_slugs"])]
    if "min_strength" in rule or "cues" in rule:
        keep = rows["strength"] >= rule.get("min_strength", 99)
        for cue in rule.get("cues", []):
            keep |= rows["sentence"].str.contains(cue, regex=False)
        rows = rows[keep]
    return rows


def _theme_rank(target: dict) -> tuple:
    """Money first, then counted things (clusters, stations, bases), then other measures."""
    money, value = _unit_rank(str(target["unit"]), float(target["value"])), float(target["value"])
    if money[0] == 0:
        return (0, money[1])
    return (1 if _counter(target["unit"]) else 2, -value)


def _concreteness(row: dict, targets: dict[int, list[dict]], cues: list[str]) -> tuple:
    """How concrete a commitment is: a numeric target (money first), then a named project, then strength."""
    mine = targets.get(int(row["id"]), [])
    base = int(row["start"])
    a, b = quote_span(row["sentence"], max(int(row["mention_start"]) - base, 0), max(int(row["mention_end"]) - base, 0))
    project = any(c in row["sentence"][a:b] for c in cues)   # a project in the industry's own clause
    if mine:
        best = min(mine, key=lambda t: _theme_rank(t))
        if str(best["unit"]) != "%":
            return (0, _theme_rank(best)), best
        if not project:  # a percentage (a growth rate, a share) is less concrete than a named project
            return (2, (-int(row["strength"]),)), best
    # no amount: a pillar commitment or a named project, the stronger (and the one with a project) first
    return (1, (-(int(row["strength"]) + project),)), None


def _theme(w: _Writer, rule: dict, frame: pd.DataFrame, targets: dict[int, list[dict]], covered: int,
           shown: set[tuple[str, str]]) -> Section:
    """A theme: a lead naming every province it selects, then each province's most concrete commitments."""
    words = w.s["themes"][rule["key"]] if w.lang == "zh" else rule
    section = Section(words["title"], key=rule["key"])
    frontier = {e.slug for e in w.atlas.taxonomy.entries.values() if e.frontier}
    rows = theme_rows(rule, frame, frontier)
    if not len(rows):
        return section
    cues = strings("en").get("project_cues", [])
    picks = []
    for adcode, mine in rows.groupby("adcode"):
        ranked = sorted((_concreteness(r, targets, cues) + (r,) for r in mine.to_dict("records")),
                        key=lambda x: (x[0], int(x[2]["start"])))
        fresh = [x for x in ranked if (adcode, x[2]["slug"]) not in shown  # an earlier theme showed the rest
                 and (adcode, int(x[2]["start"])) not in shown]
        rank, target, row = (fresh or ranked)[0]
        picks.append((rank if fresh else (9,), -len(mine), adcode, row, target))
    picks.sort(key=lambda p: p[:3])
    counts = rows.groupby("slug")["adcode"].nunique().sort_values(ascending=False, kind="stable")
    named = [w.industry(s) for s in counts.index[:strings("en").get("theme_industries", 3)]]
    regions = [w.region(p[2]) for p in sorted(picks, key=lambda p: p[2])]
    lead_cites = [w.cite(p[3], shown=False) for p in sorted(picks, key=lambda p: p[2])]
    lead = words["lead"].format(count=len(picks), covered=covered, industries=w.join(named), regions=w.join(regions))
    section.sentences.append(Sentence(capital(lead), lead_cites))
    # the most concrete first, but one industry per item until every industry of the theme had its turn
    fresh = [p for p in picks if p[0] != (9,)]
    ordered, used = [], set()
    for p in fresh:
        if p[3]["slug"] not in used:
            ordered.append(p)
            used.add(p[3]["slug"])
    ordered += [p for p in fresh if p not in ordered]
    for rank, _, adcode, row, target in ordered[:strings("en").get("theme_items", 6)]:
        shown.update({(adcode, row["slug"]), (adcode, int(row["start"]))})
        section.sentences.append(_item(w, row, target))
    return section


def _item(w: _Writer, row: dict, target: dict | None) -> Sentence:
    """"Beijing: build two 10,000-card intelligent computing clusters in 2025 (computing infrastructure)", with its quote."""
    item, region, industry = w.s["item"], w.region(row["adcode"]), w.industry(row["slug"])
    if target is None:
        text = item["plain"].format(region=region, phrase=w.s["phrase"][str(max(int(row["strength"]), 1))].format(industry=industry))
        return Sentence(capital(text), [w.cite(row)], item=True)
    amount = render_target(target, w.lang, row["sentence"], int(row["start"]))
    deadline = None if pd.isna(target["deadline"]) else int(target["deadline"])
    when = "" if deadline is None else w.s["when"]["year" if deadline == w.year else "by"].format(year=deadline)
    action = _target_verb(row, target) or str(row["action"] or "")
    verb = action if w.lang == "zh" else strings("en").get("verbs", {}).get(action)
    counted = _counter(target["unit"])
    if counted and verb:
        text = item["counted"].format(region=region, verb=verb, amount=amount, when=when, industry=industry)
    else:
        text = item["amount"].format(region=region, amount=amount, when=when, industry=industry)
    return Sentence(capital(text), [w.cite(row, focus=(int(target["t_start"]), int(target["t_end"])))], item=True)


def _target_verb(row: dict, target: dict) -> str | None:
    """The verb of the target's own clause (建成 in "…，建成2个万卡智算集群"): the last one of the
    [verbs] table before the number, else None (then the commitment's action is used)."""
    base, sentence = int(row["start"]), row["sentence"]
    at = max(int(target["t_start"]) - base, 0)
    left, _ = quote_span(sentence, at, at, minimum=0)
    before = sentence[left:at]
    found = [(before.rfind(v), v) for v in strings("en").get("verbs", {}) if v in before]
    return max(found)[1] if found else None


def _counter(unit: str) -> bool:
    """Whether a unit counts things (个, 座, 家 …: "two clusters") rather than measuring an amount."""
    from ..extract.targets import _units

    return bool(_units("en").get("units", {}).get(str(unit), {}).get("noun"))


def _themes(w: _Writer, covered: int) -> list[Section]:
    frame = w.atlas.plan_frame(w.year, axis=None)
    targets: dict[int, list[dict]] = {}
    for t in w.atlas.target_rows(w.year, "province", None).to_dict("records"):
        targets.setdefault(int(t["id"]), []).append(t)
    shown: set[tuple[str, str]] = set()
    return [_theme(w, rule, frame, targets, covered, shown) for rule in theme_rules()]


def _crowded(w: _Writer, crowd: pd.DataFrame, covered: int) -> Section:
    section = Section(w.s["sections"]["crowded"], key="crowded")
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
    section = Section(w.s["sections"]["distinctive"], key="distinctive")
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
    section = Section(w.s["sections"]["frontier"], key="frontier")
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
    """A target's amount in words of a language (units converted only where the table says how).

    The briefing's targets now use `policyatlas.extract.targets.render_target` (all units from
    data/<lang>/units.toml, and the counted noun: "1,000 supercharging stations").
    """
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
    section = Section(w.s["sections"]["targets"], key="targets")
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
            industry=w.industry(row["slug"]), amount=render_target(row, w.lang, row["sentence"], int(row["start"])), when=when))
    return section


def _new(w: _Writer, previous: int) -> Section:
    section = Section(w.s["sections"]["new"].format(previous=previous), key="new")
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
    sections = [*_themes(w, covered), _crowded(w, crowd, covered), _distinctive(w, covered), _frontier(w, crowd), _targets(w)]
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


#: Characters of document text that Markdown would read as markup (HTML tags, links, emphasis, code).
_MD_SPECIAL = {c: f"&#{ord(c)};" for c in "&<>[]*_`\\|#"}


def md_text(text: str) -> str:
    """Document text made inert in Markdown: no raw HTML, link or emphasis from a report's own words."""
    return "".join(_MD_SPECIAL.get(c, c) for c in text)


def _md(brief: Brief, links: Links) -> str:
    s, e = strings(brief.lang), md_text
    out, notes = [f"# {e(brief.title)}", "", f"_{e(brief.note)}_", ""], []
    for section in brief.sections:
        out += [f"## {e(section.title)}", ""]
        for sentence in section.sentences:
            notes.append(sentence.citations)
            if sentence.item:  # the English rendering, then the report's own words on the item's next line
                out += [f"- {e(sentence.text)}[^{len(notes)}]", f"  「{e(sentence.citations[0].quote)}」"]
            else:
                out += [f"{e(sentence.text)}[^{len(notes)}]", ""]
        if out[-1] != "":
            out.append("")
    out += [f"## {e(s['notes'])}", ""]
    for n, cited in enumerate(notes, 1):
        shown = [f"{e(c.region)}: 「{e(c.quote)}」 — [{anchor(c)}]({link(c, links)})" for c in cited if c.shown]
        rest = [f"[{e(c.region)}]({link(c, links)})" for c in cited if not c.shown]
        text = "; ".join(shown) + (f". {s['also']}: " + ", ".join(rest) if rest else "")
        out.append(f"[^{n}]: {text}")
    return "\n".join(out) + "\n"


def _html(brief: Brief, links: Links) -> str:
    s, e = strings(brief.lang), html.escape
    body, notes = [], []
    for section in brief.sections:
        body.append(f"<h2>{e(section.title)}</h2>")
        items: list[str] = []
        for sentence in section.sentences:
            notes.append(sentence.citations)
            n = len(notes)
            line = f'{e(sentence.text)}<sup><a href="#note-{n}" id="ref-{n}">{n}</a></sup>'
            if sentence.item:
                line = (f'{e(sentence.text)} — <span class="quote" lang="zh-Hans">「{e(sentence.citations[0].quote)}」</span>'
                        f'<sup><a href="#note-{n}" id="ref-{n}">{n}</a></sup>')
                items.append(f"<li>{line}</li>")
                continue
            body.append(f"<p>{line}</p>")
        if items:
            body.append("<ul>" + "".join(items) + "</ul>")
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


def static_links(base: str = "") -> Links:
    """Links into an exported site (`doc-<id>.html#c<start>`), under `base` when given (a URL or folder)."""
    from ..views.web.links import StaticLinks

    return StaticLinks(base)


def render_brief(brief: Brief, fmt: str = "md", links: Links | None = None) -> str:
    """The briefing as Markdown ('md') or a standalone HTML page ('html'), citations linked in `links`.

    HTML defaults to the server's routes. Markdown is read outside the server, so it defaults to
    the exported site's pages (`policyatlas export-site`; each footnote also names doc id and
    offsets, `doc/<id>#<start>-<end>`); pass `ServerLinks(base="http://host/")` for a live server.
    """
    if fmt == "html":
        return _html(brief, links or server_links())
    return _md(brief, links or static_links())


def brief(atlas: "Atlas", year: int | None = None, lang: str = "en", fmt: str = "md", links: Links | None = None) -> str:
    """The briefing of a year (default: the latest) rendered as Markdown or HTML (what the CLI and web page show)."""
    return render_brief(build_brief(atlas, year, lang), fmt, links)
