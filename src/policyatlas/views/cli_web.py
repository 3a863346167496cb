"""CLI commands of the web layer (serve, export-site)."""

from __future__ import annotations

from pathlib import Path

import typer

from ..store import database as store
from .cli import app, console, err, friendly_errors


@app.command()
@friendly_errors
def serve(
    db: str = typer.Option(store.DEFAULT_DB, "--db", help="Atlas database file."),
    host: str = typer.Option("127.0.0.1", help="Interface to bind (default: this machine only)."),
    port: int = typer.Option(8000, min=1, max=65535, help="Port."),
) -> None:
    """Serve the dashboard and JSON/CSV API (OpenAPI docs at /docs)."""
    import uvicorn

    from .web import create_app

    web = create_app(db)
    console.print(f"policyatlas at http://{host}:{port}/  (API docs: /docs; Ctrl-C stops)")
    uvicorn.run(web, host=host, port=port, log_level="warning", **serve_settings())


def serve_settings() -> dict:
    """uvicorn connection limits from data/serve.toml (idle timeouts, concurrency, request-head size)."""
    import tomllib
    from importlib.resources import files

    return tomllib.loads(files("policyatlas").joinpath("data/serve.toml").read_text(encoding="utf-8"))


@app.command("export-site")
@friendly_errors
def export_site(
    outdir: Path = typer.Argument(..., help="Folder to write the site into (created if missing)."),
    db: str = typer.Option(store.DEFAULT_DB, "--db", help="Atlas database file."),
) -> None:
    """Write the dashboard as a static site that opens from disk (index.html), for sharing.

    The site is built beside OUTDIR and swapped in when complete: a failure keeps the previous site."""
    from .web.export import ExportError, export_site as run_export

    try:
        pages = run_export(db, outdir)
    except ExportError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from None
    console.print(f"wrote {pages} pages to {outdir}/ — open {outdir}/index.html")
