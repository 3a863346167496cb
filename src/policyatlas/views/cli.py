"""The `policyatlas` command: a thin layer that parses arguments, calls the library, renders.

`--json` prints exactly what the library returns; without it Rich renders readable tables.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from ..store import database as store
from ..atlas import NoData
from ..knowledge.regions import UnknownRegion
from ..knowledge.taxonomy import UnknownSlug

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="policyatlas: which Chinese regions plan to support which emerging and future industries, with cited evidence.")
console = Console()
err = Console(stderr=True)

def _print_version(value: bool) -> None:
    """`--version`: the installed package's version, then exit."""
    if value:
        from .. import __version__

        console.print(f"policyatlas {__version__}")
        raise typer.Exit()


@app.callback()
def main(version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                      help="Print the version and exit.")) -> None:
    """policyatlas: which Chinese regions plan to support which emerging and future industries, with cited evidence."""


DbOption = typer.Option(store.DEFAULT_DB, "--db", help="Atlas database file.")
JsonOption = typer.Option(False, "--json", help="Print machine-readable JSON.")


def emit_json(data: Any) -> None:
    """JSON on stdout, UTF-8, non-ASCII kept readable."""
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2, default=_default) + "\n")


def _default(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    if hasattr(value, "__dict__"):
        return value.__dict__
    return str(value)


def friendly_errors(func: Callable) -> Callable:
    """Unknown slugs/regions exit 2 with close matches, as does asking for data the atlas does not
    hold (NoData: the message says what exists); a missing atlas exits 1 with a hint."""
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except (UnknownSlug, UnknownRegion, NoData) as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(2) from None
        except store.StoreError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(1) from None
    return wrapper


def open_atlas(db: str):
    from ..atlas import Atlas

    return Atlas(db)


def check_region_option(region: Optional[str]) -> str:
    """An explicit --region resolved before any work (UnknownRegion → exit 2 with close matches)."""
    if not region:
        return ""
    from ..knowledge.regions import gazetteer

    gazetteer().resolve(region)
    return region


def write_atomic(path: Path, text: str) -> None:
    """Write a file through a temporary file beside it, so `path` is the old file or the whole new one."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent if str(path.parent) else ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def strength_label(rank: int, lang: str = "en") -> str:
    """"3 developing" (or "3 发展" for lang 'zh'; labels from data/<lang>/actions.toml)."""
    from ..extract.actions import strength_name

    return f"{rank} {strength_name(rank, lang)}" if rank else ""


@app.command()
@friendly_errors
def build(
    paths: list[Path] = typer.Argument(..., help="Files or folders (searched recursively)."),
    db: str = DbOption,
    year: Optional[int] = typer.Option(None, help="Year of every document (overrides inference)."),
    region: Optional[str] = typer.Option(None, help="Region of every document (adcode or name)."),
    level: Optional[str] = typer.Option(None, help="national, province or prefecture."),
    workers: Optional[int] = typer.Option(None, "--workers", min=1,
                                          help="Processes that read and extract (default: all cores)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler",
                                            help="A dask.distributed scheduler (tcp://HOST:PORT) to run on instead."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Read and extract every file again (default: only changed ones)."),
    wait: bool = typer.Option(True, "--wait/--no-wait", help="If another build holds --db, wait for it (or exit)."),
    as_json: bool = JsonOption,
) -> None:
    """Ingest files into the atlas and extract commitments: incremental (unchanged files are not read
    again) and atomic (a failure keeps the old atlas)."""
    from ..build.lock import BuildLocked
    from ..build.pipeline import NothingToBuild, build as run_build

    if missing := [str(p) for p in paths if not p.exists()]:
        # Before anything opens --db: a typo'd path must not create or touch the database.
        err.print(f"[red]error:[/red] no such file or folder: {', '.join(missing)} (nothing built, {db} untouched)")
        raise typer.Exit(2)
    overrides = {"year": str(year) if year else "", "region": check_region_option(region), "level": level or ""}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=err, transient=True, disable=as_json) as bar:
        task = bar.add_task("building", total=None)

        def progress(label: str, done: int, total: int) -> None:
            bar.update(task, description=label[:40], completed=done, total=total)

        try:
            report = run_build(paths, db, overrides, progress, workers=workers, scheduler=scheduler,
                               rebuild=rebuild, wait=wait, notify=lambda m: err.print(f"[yellow]{m}[/yellow]"))
        except NothingToBuild as exc:
            err.print(f"[red]error:[/red] {exc} (nothing built, {db} untouched)")
            raise typer.Exit(2) from None
        except BuildLocked as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(1) from None
    if as_json:
        emit_json(report.as_dict())
    else:
        console.print(f"[bold]Built {db}[/bold] in {report.seconds:.1f} s")
        console.print(f"  files: {report.files_read} read, {report.files_unchanged} unchanged (not read again)"
                      + (f", {report.files_removed} gone" if report.files_removed else "")
                      + ("  [yellow](extractor or taxonomy changed: all re-extracted)[/yellow]" if report.reextracted else ""))
        console.print(f"  documents: {report.documents_total} stored ({report.documents_added} new, {report.duplicates} already stored"
                      + (f", {report.documents_removed} removed)" if report.documents_removed else ")"))
        console.print(f"  regions: {report.regions}   years: {_year_span(report.years)}   commitments: {report.commitments}")
        if report.skipped:
            console.print(f"  [yellow]skipped {len(report.skipped)} file(s):[/yellow]")
            for source, reason in report.skipped:
                console.print(f"    {source}: {reason}")
    if report.documents_total == 0:
        raise typer.Exit(1)


@app.command()
@friendly_errors
def export(
    outdir: Path = typer.Argument(..., help="Folder to write (replaced when complete)."),
    fmt: str = typer.Option("parquet", "--format", help="parquet: documents/commitments/targets partitioned by year."),
    db: str = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Write the atlas as a Parquet dataset partitioned by year (for DuckDB, Dask, Spark, pandas)."""
    if fmt != "parquet":
        err.print(f"[red]error:[/red] unknown format {fmt!r} (choose: parquet)")
        raise typer.Exit(2)
    counts = store.export_parquet(db, outdir)
    if as_json:
        emit_json({"outdir": str(outdir), "rows": counts})
    else:
        console.print(f"[bold]Exported {db}[/bold] to {outdir}/ (Parquet, partitioned by year): "
                      + ", ".join(f"{n} {name}" for name, n in counts.items()))


def _year_span(years: list[int]) -> str:
    if not years:
        return "none"
    return f"{years[0]}–{years[-1]} ({len(years)} years)" if len(years) > 1 else str(years[0])


@app.command()
@friendly_errors
def extract(
    file: str = typer.Argument(..., help="A file, or - for standard input."),
    year: Optional[int] = typer.Option(None, help="Year of the text."),
    region: Optional[str] = typer.Option(None, help="Region the text speaks for (else inferred, or per sentence)."),
    include_rejected: bool = typer.Option(False, "--all", help="Also show review-part and incidental mentions."),
    as_json: bool = JsonOption,
) -> None:
    """Extract commitments from one text, without a database (a report, or a news article)."""
    from ..extract.facts import facts_from_document
    from ..ingest.sources import LoadError, SourceError, load_path, load_string

    overrides = {"year": str(year) if year else "", "region": check_region_option(region)}
    if file == "-":
        text = sys.stdin.read()
        try:
            if not text.strip():
                raise SourceError("empty file")
            docs = [load_string(text, "<stdin>", overrides)]
        except SourceError as exc:
            err.print(f"[red]error:[/red] <stdin>: {exc}", markup=True, highlight=False)
            raise typer.Exit(1) from None
    else:
        docs = []
        for item in load_path(file, overrides):
            if isinstance(item, LoadError):
                err.print(f"[red]error:[/red] {item}")
                raise typer.Exit(1)
            docs.append(item)
    facts = [f for doc in docs for f in facts_from_document(doc, include_rejected)]
    if as_json:
        emit_json(facts)
        return
    table = Table("region", "slug", "section", "action", "sentence", title=f"{len(facts)} facts")
    for f in facts:
        region_name = f["region"]["name_en"] if f["region"] else "?"
        table.add_row(region_name, f["slug"], f["section"], f["action"] or "", clip(f["sentence"]))
    console.print(table)


def clip(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def mention_window(ev: dict, width: int = 60) -> Text:
    """The evidence sentence cut to `width` characters around its mention, the mention in bold,
    so a table shows why the row is there (not just how the sentence starts)."""
    sentence, start = ev["sentence"], int(ev["start"])
    a = max(0, int(ev.get("mention_start", start)) - start)
    b = min(len(sentence), max(a, int(ev.get("mention_end", start)) - start))
    if (b - a) >= width or len(sentence) <= width:
        lo, hi = (a, min(b, a + width)) if (b - a) >= width else (0, len(sentence))
    else:
        lo = max(0, min(a - (width - (b - a)) // 2, len(sentence) - width))
        hi = lo + width
    text = Text("…" if lo > 0 else "")
    text.append(sentence[lo:a])
    text.append(sentence[a:b], style="bold reverse")
    text.append(sentence[b:hi])
    if hi < len(sentence):
        text.append("…")
    return text


@app.command()
@friendly_errors
def who(
    slug: str = typer.Argument(..., help="Industry or instrument slug (or name/term)."),
    year: Optional[int] = typer.Option(None, help="Only this year."),
    db: str = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Regions whose plan commits to an industry, with evidence."""
    with open_atlas(db) as atlas:
        result = atlas.who(slug, year)
        entry = atlas.industry(slug)
    if as_json:
        emit_json(result)
        return
    table = Table("year", "region", "strength", "evidence", title=f"{entry.name_en} ({entry.slug}): {len(result)} region-years")
    table.columns[-1].overflow = "fold"  # wrap a narrow window rather than crop the mention away
    for row in result:
        ev = row["evidence"][0]
        table.add_row(str(row["year"]), f"{row['name_en']} {row['name_zh']}", strength_label(row["strength"]),
                      mention_window(ev, 40) + Text(f" {ev['doc'][:8]}@{ev['mention_start']}", style="dim"))
    console.print(table)


@app.command()
@friendly_errors
def profile(
    region: str = typer.Argument(..., help="Adcode, Chinese or English name."),
    year: Optional[int] = typer.Option(None, help="Year (default: the region's latest)."),
    include_review: bool = typer.Option(False, "--include-review", help="Add review-part mentions, marked as such."),
    db: str = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """A region's industries and instruments for a year, with evidence and targets."""
    with open_atlas(db) as atlas:
        result = atlas.profile(region, year, include_review)
    if as_json:
        emit_json(result)
        return
    r = result["region"]
    for axis in ("industries", "instruments"):
        table = Table("slug", "strength", "targets", "evidence", title=f"{r['name_en']} {r['name_zh']} {result['year']}: {axis}")
        table.columns[-1].overflow = "fold"
        for item in result[axis]:
            targets = "; ".join(t["text"] for t in item["targets"][:3])
            label = strength_label(item["strength"]) if item.get("committed", True) else "review only"
            table.add_row(item["slug"], label, targets, mention_window(item["evidence"][0], 30))
        console.print(table)


@app.command()
@friendly_errors
def matrix(
    year: Optional[int] = typer.Option(None, help="Year (default: latest)."),
    level: str = typer.Option("province", help="Document level."),
    fmt: str = typer.Option("table", "--format", help="table, csv or json."),
    db: str = DbOption,
) -> None:
    """Region × industry matrix of commitment strength (0 = none)."""
    with open_atlas(db) as atlas:
        year = atlas.check_year(year, level)
        table = atlas.matrix(year, level)
    if fmt == "csv":
        sys.stdout.write(table.to_csv())
    elif fmt == "json":
        emit_json({"year": year, "rows": table.reset_index().to_dict("records")})
    else:
        slugs = [c for c in table.columns if c not in ("name_en", "name_zh")]
        view = Table("region", *[s[:6] for s in slugs], title=f"strength by region and industry, {year}")
        for adcode, row in table.iterrows():
            view.add_row(row["name_en"], *[str(row[s]) if row[s] else "·" for s in slugs])
        console.print(view)


@app.command()
@friendly_errors
def documents(db: str = DbOption, as_json: bool = JsonOption) -> None:
    """Every stored document with its section ranges."""
    with open_atlas(db) as atlas:
        docs = atlas.documents()
    if as_json:
        emit_json(docs)
        return
    table = Table("id", "level", "adcode", "year", "chars", "plan", "title", title=f"{len(docs)} documents")
    for d in docs:
        plan = d["sections"].get("plan") or d["sections"].get("outlook") or []
        table.add_row(d["id"], d["level"] or "", d["adcode"] or "", str(d["year"] or ""), str(d["chars"]),
                      ", ".join(f"{a}–{b}" for a, b in plan), clip(d["title"] or "", 40))
    console.print(table)


@app.command()
@friendly_errors
def show(doc_id: str = typer.Argument(..., help="Document id (or a unique prefix)."),
         db: str = DbOption, as_json: bool = JsonOption) -> None:
    """One document's metadata and full text (the text all offsets refer to)."""
    with open_atlas(db) as atlas:
        try:
            doc = atlas.document(doc_id)
        except KeyError as exc:
            err.print(f"[red]error:[/red] {exc.args[0]}")
            raise typer.Exit(2) from None
    if as_json:
        emit_json(doc)
        return
    console.print(f"[bold]{doc['title']}[/bold]  {doc['id']}  {doc['level']} {doc['adcode']} {doc['year']}  {doc['source']}")
    for s in doc["sections"]:
        console.print(f"  {s['kind']:<9} {s['start']:>6}–{s['end']:<6} {s['heading'][:60]}")
    console.print(doc["text"], markup=False, highlight=False)


@app.command()
@friendly_errors
def overview(
    year: Optional[int] = typer.Option(None, help="Year (default: latest provincial year)."),
    db: str = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """For one year, which provinces target each industry (the main job's closing table)."""
    with open_atlas(db) as atlas:
        year = atlas.check_year(year, "province")
        crowd = atlas.crowding(year, "province", axis=None)  # industries and instruments
        rows = []
        for item in crowd.to_dict("records"):
            entry = atlas.taxonomy.get(item["slug"])
            rows.append({"slug": entry.slug, "axis": entry.axis, "name_en": entry.name_en, "name_zh": entry.name_zh,
                         "count": int(item["count"]), "regions": list(item["regions"]),
                         "names_en": [atlas.gazetteer.get(a).name_en for a in item["regions"]]})
    rows.sort(key=lambda r: (-r["count"], r["slug"]))
    if as_json:
        emit_json({"year": year, "industries": rows})
        return
    table = Table("industry", "provinces", "which", title=f"Provinces whose {year} plan targets each industry")
    for row in rows:
        table.add_row(f"{row['name_en']} {row['name_zh']}", str(row["count"]), ", ".join(row["names_en"]))
    console.print(table)


@app.command("eval")
@friendly_errors
def eval_command(
    gold: Path = typer.Argument(..., help="Gold labels (year, adcode, slug, label) or gold targets TSV."),
    db: str = DbOption,
    baseline: bool = typer.Option(False, "--baseline", help="Also score the jieba keyword-count baseline."),
    overrides: Optional[Path] = typer.Option(None, help="Label overrides TSV (default: eval/label_overrides.tsv)."),
    as_json: bool = JsonOption,
) -> None:
    """Precision, recall and F1 against a gold set, with every false positive and negative."""
    from ..evaluate import reports as evaluate

    if not gold.exists():
        err.print(f"[red]error:[/red] no gold file at {gold}")
        raise typer.Exit(2)
    from ..evaluate import news

    if news.is_news_gold(gold):  # a news folder: per-file (province, slug) pairs, no database
        result = news.evaluate_news(gold)
        emit_json(result) if as_json else console.print_json(data={k: result[k] for k in ("overall", "by_lang", "errors")})
        return
    kind = evaluate.gold_kind(gold)
    with open_atlas(db) as atlas:
        if kind == "targets":
            result = evaluate.evaluate_targets(atlas, gold)
        else:
            result = evaluate.evaluate_labels(atlas, gold, baseline, overrides or evaluate.DEFAULT_OVERRIDES)
    if as_json:
        emit_json(result)
    elif kind == "targets":
        _print_target_eval(result)
    else:
        _print_label_eval(result)


def _rates(s: dict) -> list[str]:
    return [f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}", str(s["tp"]), str(s["fp"]), str(s["fn"])]


def _print_label_eval(result: dict) -> None:
    table = Table("method", "precision", "recall", "F1", "TP", "FP", "FN",
                  title=f"{result['gold']}: {result['rows']} decisions, {result['positives']} positive")
    table.add_row("policyatlas", *_rates(result["atlas"]["overall"]))
    if "baseline" in result:
        table.add_row("keyword count (whole report)", *_rates(result["baseline"]["overall"]))
        table.add_row("keyword count (plan part only)", *_rates(result["baseline_plan_only"]["overall"]))
    console.print(table)
    for axis in ("by_slug", "by_region"):
        view = Table(axis.replace("by_", ""), "precision", "recall", "F1", "TP", "FP", "FN")
        for name, s in result["atlas"][axis].items():
            view.add_row(name, *_rates(s))
        console.print(view)
    errors = result["atlas"]["errors"]
    view = Table("kind", "report", "slug", "gold says", "our sentence", title=f"{len(errors)} errors")
    for e in errors:
        view.add_row(e["kind"], f"{e['year']} {e['region']}", e["slug"], clip(e["gold_evidence"] or e["gold_note"], 40),
                     clip(e["sentence"] or "(no mention found)", 80))
    console.print(view)
    for o in result["atlas"]["overrides"]:
        console.print(f"override applied: {o['year']} {o['adcode']} {o['slug']}: {o['override']}")


def _print_target_eval(result: dict) -> None:
    t = result["targets"]
    console.print(f"[bold]targets[/bold] {result['gold']}: precision {t['precision']:.3f}  recall {t['recall']:.3f}  F1 {t['f1']:.3f}")
    for label in ("false_positives", "false_negatives"):
        rows = t.get(label, [])
        if rows:
            view = Table("clause", "value", "unit", "modifier", "deadline", title=label.replace("_", " "))
            for r in rows:
                view.add_row(clip(str(r.get("clause", r.get("text", ""))), 50), str(r.get("value")), str(r.get("unit")),
                             str(r.get("modifier")), str(r.get("deadline")))
            console.print(view)


def main() -> None:  # pragma: no cover - console entry
    app()


# Commands of the analysis and web layers live in their own modules and register on `app`.
from . import cli_analysis, cli_web  # noqa: E402,F401
