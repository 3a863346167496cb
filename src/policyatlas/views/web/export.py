"""`export_site`: the dashboard's pages rendered to files with relative links, openable from disk.

The site is written into a fresh folder next to the target (`OUTDIR.tmp-…`) and swapped in only
when every page rendered, so a failure leaves the previous export (or nothing) in place, never a
half-written site. An existing target is replaced only if it is empty or a previous export.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from policyatlas.atlas import Atlas
from .app import STATIC, Site
from .links import StaticLinks
from .render import Result
from .pages import briefing, document, heatmap, map as map_view, region


class ExportError(ValueError):
    """The target folder cannot be replaced by an exported site."""


# The exported map cannot draw without these (shipped in the package, see scripts/vendor_web.sh).
REQUIRED_ASSETS = ("echarts.min.js", "china.js")


def missing_assets(vendor: Path = STATIC / "vendor") -> list[str]:
    """Vendored files the map needs but that are absent — why an export would silently lack its map."""
    return [name for name in REQUIRED_ASSETS if not (vendor / name).is_file()]


def export_site(db: str | Path, outdir: str | Path) -> int:
    """Render map, heatmaps, region pages, cited documents, briefings and a search page; returns pages written."""
    out = Path(outdir)
    if missing := missing_assets():
        raise ExportError(f"map assets missing from {STATIC / 'vendor'}: {', '.join(missing)}; "
                          "reinstall policyatlas or run scripts/vendor_web.sh")
    if out.exists() and not _replaceable(out):
        raise ExportError(f"{out} exists and is not a policyatlas site (no index.html and static/); "
                          "choose a new or empty folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f"{out.name}.tmp-", dir=out.parent))
    try:
        written = _write_site(db, work)
        _swap(work, out)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return written


def _replaceable(out: Path) -> bool:
    """An empty folder, or one holding a previous export (which is what gets replaced)."""
    if not out.is_dir():
        return False
    return not any(out.iterdir()) or ((out / "index.html").is_file() and (out / "static").is_dir())


def _swap(work: Path, out: Path) -> None:
    """Put the finished site `work` at `out`, the old one (if any) moved aside first and removed last."""
    os.chmod(work, 0o755)
    if not out.exists():
        os.replace(work, out)
        return
    old = Path(tempfile.mkdtemp(prefix=f"{out.name}.old-", dir=out.parent))
    os.replace(out, old / "site")
    try:
        os.replace(work, out)
    except BaseException:
        os.replace(old / "site", out)
        raise
    finally:
        shutil.rmtree(old, ignore_errors=True)


def _write_site(db: str | Path, out: Path) -> int:
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
            page(f"heatmap-{year}-en.html", heatmap.data(atlas, year, lang="en"))
        if years:
            page("heatmap.html", heatmap.data(atlas, years[-1]))
        docs: dict[str, set[tuple[int, int]]] = {}
        for r in atlas.gazetteer.provinces():
            ryears = region.region_years(atlas, r.adcode)
            for year in ryears:
                result = region.data(atlas, r.adcode, year)
                page(f"region-{r.adcode}-{year}.html", result)
                for ev in result.tables["evidence"]:
                    docs.setdefault(ev["doc"], set())
                for d in result.data["diff"]:
                    for ev in d["evidence"]:
                        docs.setdefault(ev["doc"], set())
            if ryears:
                page(f"region-{r.adcode}.html", region.data(atlas, r.adcode, ryears[-1]))
        for year in years:
            for lang in ("zh", "en"):
                result = briefing.data(atlas, year, lang, site.links)
                page(f"briefing-{year}-{lang}.html", result)
                # the Markdown edition next to it: its links are the site's own pages
                (out / f"briefing-{year}-{lang}.md").write_text(result.data["markdown"], encoding="utf-8")
                for c in result.tables["citations"]:
                    docs.setdefault(c["doc"], set()).add((c["start"], c["end"]))
        for doc_id in sorted(docs):
            page(f"doc-{doc_id}.html", document.data(atlas, doc_id, anchors=tuple(sorted(docs[doc_id]))))
        index = [{"label": f"{r.name_zh} {r.name_en}", "keys": [r.name_zh, r.short_zh, r.name_en, r.adcode, r.pinyin],
                  "url": site.links.region(r.adcode)} for r in atlas.gazetteer.provinces() if region.region_years(atlas, r.adcode)]
        index += [{"label": f"{e.name_zh} {e.name_en} ({e.slug})", "keys": [e.slug, e.name_zh, e.name_en, *e.terms_zh, *e.terms_en],
                   "url": site.links.map(e.slug, years[-1] if years else None)} for e in atlas.taxonomy.entries.values()]
        page("search.html", Result({"q": "", "index": index}, template="search.html", title="Search"))
    return written
