"""CLI commands of the analysis layer (crowding, specialization, similar, diff, diffusion, brief, eval).

Each command calls one `Atlas` method and renders its DataFrame three ways: a Rich table, CSV
(`--format csv`) or JSON (`--json` / `--format json`), the same rows in each.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Optional

import pandas as pd
import typer
from rich.table import Table

from .cli import DbOption, JsonOption, app, clip, console, emit_json, err, friendly_errors, open_atlas, strength_label, write_atomic  # noqa: F401

FormatOption = typer.Option("table", "--format", help="table, csv or json.")
YearOption = typer.Option(None, "--year", help="Year (default: the latest provincial year).")


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as JSON-ready dicts (NaN → null)."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _cell(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ";".join(map(str, value))
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def render(frame: pd.DataFrame, fmt: str, as_json: bool, title: str, columns: list[str], payload: Any = None) -> None:
    """One frame as JSON (`payload` if given, else its rows), CSV, or a Rich table of `columns`."""
    if as_json or fmt == "json":
        emit_json(records(frame) if payload is None else payload)
    elif fmt == "csv":
        sys.stdout.write(frame.map(_cell).to_csv(index=False))
    elif fmt == "table":
        table = Table(*columns, title=title)
        for row in frame.to_dict("records"):
            table.add_row(*[clip(_cell(row[c]).replace(";", ", "), 80) for c in columns])
        console.print(table)
    else:
        err.print(f"[red]error:[/red] unknown format '{fmt}' (table, csv or json)")
        raise typer.Exit(2)


def _year(atlas: Any, year: Optional[int]) -> int:
    """The year asked for, or the latest provincial year (NoData, exit 2, if the atlas has none such)."""
    return atlas.check_year(year, "province")


@app.command()
@friendly_errors
def crowding(year: Optional[int] = YearOption, instruments: bool = typer.Option(False, "--instruments", help="Also count policy instruments."),
             fmt: str = FormatOption, db: str = DbOption, as_json: bool = JsonOption) -> None:
    """Industries by how many provinces pile in, with strength and new entrants since the year before."""
    with open_atlas(db) as atlas:
        year = _year(atlas, year)
        frame = atlas.crowding(year, axis=None if instruments else "industry")
    render(frame, fmt, as_json, f"Provinces committing to each industry, {year}",
           ["slug", "count", "strength_mean", "pillars", "previous_count", "new_entrants", "leavers"])


@app.command()
@friendly_errors
def specialization(region: Optional[str] = typer.Argument(None, help="A region: show its industries by distinctiveness."),
                   year: Optional[int] = YearOption, fmt: str = FormatOption, db: str = DbOption,
                   as_json: bool = JsonOption) -> None:
    """Regions from most tailored to most generic (or one region's picks by rarity)."""
    with open_atlas(db) as atlas:
        year = _year(atlas, year)
        if region:
            frame = atlas.signatures(year, region)
            ranking = atlas.specialization(year)
            mine = ranking[ranking["adcode"] == atlas.region(region).adcode]
            payload = {"year": year, "region": records(mine)[0] if len(mine) else None, "industries": records(frame)}
            render(frame, fmt, as_json, f"{atlas.region(region).name_en} {year}: picks by distinctiveness",
                   ["slug", "strength", "regions_naming", "rarity", "contribution"], payload)
            if fmt == "table" and not as_json and len(mine):
                row = mine.iloc[0]
                console.print(f"score {row['score']:.3f}, rank {row['rank']} of {len(ranking)}")
            return
        frame = atlas.specialization(year)
    render(frame, fmt, as_json, f"Most tailored to most generic portfolios, {year}",
           ["rank", "name_en", "industries", "score", "signature", "signature_naming"])


@app.command()
@friendly_errors
def similar(region: str = typer.Argument(..., help="Adcode, Chinese or English name."),
            year: Optional[int] = YearOption, clusters: int = typer.Option(6, "--clusters", help="Number of clusters to show."),
            fmt: str = FormatOption, db: str = DbOption, as_json: bool = JsonOption) -> None:
    """Regions nearest to one by portfolio, and the cluster it falls in."""
    with open_atlas(db) as atlas:
        year = _year(atlas, year)
        frame = atlas.similar(region, year)
        groups = atlas.clusters(year, clusters)
        adcode = atlas.region(region).adcode
    mine = groups[groups["adcode"] == adcode].iloc[0]
    payload = {"year": year, "region": adcode, "neighbours": records(frame),
               "cluster": {"label": int(mine["cluster"]), "members": groups.loc[groups["cluster"] == mine["cluster"], "adcode"].tolist(),
                           "shared": mine["cluster_shared"]},
               "clusters": records(groups)}
    render(frame, fmt, as_json, f"Nearest to {region}, {year}", ["name_en", "similarity", "shared", "only_region", "only_other"], payload)
    if fmt == "table" and not as_json:
        names = groups.loc[groups["cluster"] == mine["cluster"], "name_en"].tolist()
        console.print(f"cluster {int(mine['cluster'])}: {', '.join(names)}; all name: {', '.join(mine['cluster_shared'])}")


@app.command()
@friendly_errors
def diff(region: Optional[str] = typer.Argument(None, help="A region (or --all)."),
         year_from: int = typer.Option(..., "--from", help="Earlier year."),
         year_to: int = typer.Option(..., "--to", help="Later year."),
         all_regions: bool = typer.Option(False, "--all", help="Industries by regions gained and lost."),
         fmt: str = FormatOption, db: str = DbOption, as_json: bool = JsonOption) -> None:
    """Industries added, dropped, strengthened or weakened between two years, with evidence."""
    if not region and not all_regions:
        err.print("[red]error:[/red] give a REGION or --all")
        raise typer.Exit(2)
    with open_atlas(db) as atlas:
        if all_regions:
            frame = atlas.diff_all(year_from, year_to)
            render(frame, fmt, as_json, f"Industries by provinces gained and lost, {year_from}→{year_to}",
                   ["slug", "count_from", "count_to", "net", "gained", "lost"])
            return
        frame = atlas.diff(region, year_from, year_to)
    if fmt == "table" and not as_json:
        frame = frame.assign(evidence=[(e_to or e_from or {}).get("sentence", "")
                                       for e_from, e_to in zip(frame["evidence_from"], frame["evidence_to"])])
    render(frame, fmt, as_json, f"{region}: {year_from} → {year_to}", ["slug", "change", "strength_from", "strength_to", "evidence"])


@app.command()
@friendly_errors
def diffusion(query: str = typer.Argument(..., help="A slug (all its terms) or one term, e.g. 低空经济."),
              db: str = DbOption, fmt: str = FormatOption, as_json: bool = JsonOption) -> None:
    """When the national report first named a term, how often since, and which provinces followed."""
    with open_atlas(db) as atlas:
        result = atlas.diffusion_summary(query)
        names = {r.adcode: r.name_en for r in atlas.gazetteer.provinces()}
    by_year = pd.DataFrame(result["by_year"])
    if as_json or fmt == "json":
        emit_json(result)
        return
    if fmt == "csv":
        render(by_year, "csv", False, "", [])
        return
    first = result["first"]
    console.print(f"[bold]{query}[/bold] ({', '.join(result['terms'][:8])}{'…' if len(result['terms']) > 8 else ''})")
    if first:
        console.print(f"first in the national report of {first['year']} (doc {first['doc']} {first['start']}–{first['end']}):")
        console.print(f"  「{first['quote']}」", markup=False, highlight=False)
    else:
        console.print(f"not in any of the {result['reports']} national reports")
    render(pd.DataFrame(result["by_decade"]), "table", False, "national reports by decade", ["decade", "reports", "reports_naming", "count"])
    for item in result["adoption"]:
        console.print(f"{item['year']}: {item['count']} of {item['covered']} provinces commit — "
                      + ", ".join(names.get(a, a) for a in item["regions"]))


@app.command()
@friendly_errors
def brief(year: Optional[int] = YearOption, lang: str = typer.Option("en", "--lang", help="en or zh."),
          fmt: str = typer.Option("md", "--format", help="md or html."),
          out: Optional[Path] = typer.Option(None, "--out", help="Write to this file instead of stdout."),
          site: Optional[str] = typer.Option(None, "--site", help="Link citations to the pages of an exported site "
                                             "(`export-site`) at this URL or folder, instead of a running server."),
          server: str = typer.Option("http://127.0.0.1:8000/", "--server", help="The `policyatlas serve` address citations "
                                     "link to (absolute, so a saved briefing still opens them)."),
          db: str = DbOption, as_json: bool = JsonOption) -> None:
    """A news-style briefing for a year in which every sentence cites its evidence."""
    from ..analysis.brief import build_brief, render_brief
    from .web.links import ServerLinks, StaticLinks

    if lang not in ("en", "zh") or fmt not in ("md", "html"):
        err.print("[red]error:[/red] --lang is en or zh; --format is md or html")
        raise typer.Exit(2)
    with open_atlas(db) as atlas:
        year = _year(atlas, year)
        doc = build_brief(atlas, year, lang)
    if as_json:
        emit_json(doc.as_dict())
        return
    # absolute links: the file works wherever it is saved (each Markdown footnote also names doc id and offsets)
    links = StaticLinks(site) if site else ServerLinks(server)
    text = render_brief(doc, fmt, links)
    if out:
        write_atomic(out, text)
        err.print(f"wrote {out} ({len(doc.citations())} citations)")
    else:
        sys.stdout.write(text)


@app.command()
@friendly_errors
def industries(axis: Optional[str] = typer.Option(None, "--axis", help="industry or instrument (default: both)."),
               fmt: str = FormatOption, as_json: bool = JsonOption) -> None:
    """The taxonomy: every slug with its Chinese and English names, axis and the terms that name it."""
    from ..knowledge.taxonomy import taxonomy

    if axis not in (None, "industry", "instrument"):
        err.print(f"[red]error:[/red] unknown axis '{axis}' (industry or instrument)")
        raise typer.Exit(2)
    rows = taxonomy().rows(axis)
    if fmt == "table" and not as_json:
        table = Table("slug", "axis", "name", "terms", title=f"{len(rows)} slugs (first terms; --json or --format csv for all)")
        table.columns[0].no_wrap = True  # a slug is what the other commands take: never cut it
        table.columns[2].overflow = table.columns[3].overflow = "fold"
        for r in rows:
            table.add_row(r["slug"], r["axis"], f"{r['name_zh']}\n{r['name_en']}",
                          "、".join(r["terms_zh"][:5]) + "\n" + ", ".join(r["terms_en"][:3]))
        console.print(table)
        return
    render(pd.DataFrame(rows), fmt, as_json, "", [], rows)
