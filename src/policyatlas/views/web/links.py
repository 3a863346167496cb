"""Where pages live: on the server (`/region/440000`) or in an exported folder (`region-440000.html`).

Templates only ever call these methods, so one template serves both faces.
"""

from __future__ import annotations

from urllib.parse import urlencode


def _query(**params: object) -> str:
    kept = {k: v for k, v in params.items() if v is not None and v != ""}
    return ("?" + urlencode(kept)) if kept else ""


class ServerLinks:
    """Links for the running server; data downloads go to the JSON/CSV renderings of each page."""

    static_site = False

    def __init__(self, base: str = "") -> None:
        """`base` prefixes document links (an absolute server URL, or the folder of an exported site),
        so a downloaded Markdown briefing still opens its citations."""
        self.base = base.rstrip("/") + "/" if base else ""

    def static(self, path: str) -> str:
        return f"/static/{path}"

    def map(self, industry: str | None = None, year: int | None = None) -> str:
        return "/map" + _query(industry=industry, year=year)

    def heatmap(self, year: int | None = None, sort: str | None = None, lang: str | None = None) -> str:
        return "/heatmap" + _query(year=year, sort=sort, lang=None if lang == "zh" else lang)

    def evidence(self, adcode: str, slug: str, year: int | None = None) -> str:
        """A region × industry's evidence: its row on the region page."""
        return self.region(adcode, year) + f"#slug-{slug}"

    def change(self, industry: str | None = None, year_from: int | None = None, year_to: int | None = None) -> str:
        return "/change" + _query(industry=industry, **{"from": year_from, "to": year_to})

    def compare(self, regions: list[str] | None = None, year: int | None = None) -> str:
        return "/compare" + _query(regions=",".join(regions or []), year=year)

    def region(self, adcode: str, year: int | None = None) -> str:
        return f"/region/{adcode}" + _query(year=year)

    def document(self, doc_id: str, start: int | None = None, end: int | None = None) -> str:
        anchor = f"#c{start}" if start is not None else ""
        path = f"document/{doc_id}" + _query(start=start, end=end) + anchor
        return self.base + path if self.base else "/" + path

    def briefing(self, year: int | None = None, lang: str | None = None) -> str:
        return "/briefing" + _query(year=year, lang=lang)

    def search(self, q: str | None = None) -> str:
        return "/search" + _query(q=q)

    def data(self, page_url: str, fmt: str, table: str | None = None) -> str | None:
        """The same page as JSON or CSV (None when the page has no such rendering)."""
        sep = "&" if "?" in page_url else "?"
        base = page_url.split("#")[0]
        return f"{base}{sep}format={fmt}" + (f"&table={table}" if table else "")


class StaticLinks(ServerLinks):
    """Links between the flat files of an exported site (all pages in one folder)."""

    static_site = True

    def static(self, path: str) -> str:
        return f"static/{path}"

    def map(self, industry: str | None = None, year: int | None = None) -> str:
        return "index.html" + (f"#{industry or ''}/{year or ''}" if industry or year else "")

    def heatmap(self, year: int | None = None, sort: str | None = None, lang: str | None = None) -> str:
        suffix = "-en" if lang == "en" else ""
        return f"heatmap-{year}{suffix}.html" if year else f"heatmap{suffix}.html"

    def change(self, industry: str | None = None, year_from: int | None = None, year_to: int | None = None) -> str:
        return "change.html" + (f"#{industry}" if industry else "")

    def compare(self, regions: list[str] | None = None, year: int | None = None) -> str:
        return "compare.html"

    def region(self, adcode: str, year: int | None = None) -> str:
        return f"region-{adcode}-{year}.html" if year else f"region-{adcode}.html"

    def document(self, doc_id: str, start: int | None = None, end: int | None = None) -> str:
        return self.base + f"doc-{doc_id}.html" + (f"#c{start}" if start is not None else "")

    def briefing(self, year: int | None = None, lang: str | None = None) -> str:
        return f"briefing-{year}-{lang or 'zh'}.html" if year else "briefing.html"

    def search(self, q: str | None = None) -> str:
        return "search.html"

    def data(self, page_url: str, fmt: str, table: str | None = None) -> str | None:
        return None
