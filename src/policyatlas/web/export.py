"""`export_site`: the dashboard's pages rendered to files with relative links, openable from disk."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..atlas import Atlas
from .app import STATIC, Site
from .links import StaticLinks
from .render import Result
from .views import briefing, document, heatmap, map as map_view, region


def export_site(db: str | Path, outdir: str | Path) -> int:
    """Render map, heatmaps, region pages, cited documents, briefings and a search page; returns pages written."""
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    if (out / "static").exists():
        shutil.rmtree(out / "static")
    shutil.copytree(STATIC, out / "static", ignore=shutil.ignore_patterns(".gitignore", "china-names.json"))
    written = 0
    with Atlas(db) as atlas:
        site = Site(atlas, StaticLinks())

        def page(name: str, result: Result) -> None:
            nonlocal written
            (out / name).write_text(site.html(result), encoding="utf-8")
            written += 1

        years = atlas.years("province")
        page("index.html", map_view.data(atlas))
        for year in years:
            page(f"heatmap-{year}.html", heatmap.data(atlas, year))
        if years:
            page("heatmap.html", heatmap.data(atlas, years[-1]))
        docs: set[str] = set()
        for r in atlas.gazetteer.provinces():
            ryears = region.region_years(atlas, r.adcode)
            for year in ryears:
                result = region.data(atlas, r.adcode, year)
                page(f"region-{r.adcode}-{year}.html", result)
                docs.update(ev["doc"] for item in result.tables["evidence"] for ev in [item])
                docs.update(ev["doc"] for d in result.data["diff"] for ev in d["evidence"])
            if ryears:
                page(f"region-{r.adcode}.html", region.data(atlas, r.adcode, ryears[-1]))
        for doc_id in sorted(docs):
            page(f"doc-{doc_id}.html", document.data(atlas, doc_id))
        for year in years:
            for lang in ("zh", "en"):
                try:
                    page(f"briefing-{year}-{lang}.html", briefing.data(atlas, year, lang))
                except Exception as exc:  # no briefing module yet: say so on the page
                    page(f"briefing-{year}-{lang}.html", Result({"status": 501, "message": getattr(exc, "detail", str(exc))},
                                                                 template="error.html", title="Briefing"))
        index = [{"label": f"{r.name_zh} {r.name_en}", "keys": [r.name_zh, r.short_zh, r.name_en, r.adcode, r.pinyin],
                  "url": site.links.region(r.adcode)} for r in atlas.gazetteer.provinces() if region.region_years(atlas, r.adcode)]
        index += [{"label": f"{e.name_zh} {e.name_en} ({e.slug})", "keys": [e.slug, e.name_zh, e.name_en, *e.terms_zh, *e.terms_en],
                   "url": site.links.map(e.slug, years[-1] if years else None)} for e in atlas.taxonomy.entries.values()]
        page("search.html", Result({"q": "", "index": index}, template="search.html", title="Search"))
    return written
