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
    settings = serve_settings()
    switch = float(settings.pop("gil_switch_interval", 0) or 0)
    if switch > 0:
        import sys

        sys.setswitchinterval(switch)  # the event loop gets the GIL back sooner from handler threads
    head = float(settings.pop("timeout_request_head", 0) or 0)
    if head > 0:
        settings["http"] = head_timeout_protocol(head)
    console.print(f"policyatlas at http://{host}:{port}/  (API docs: /docs; Ctrl-C stops)")
    uvicorn.run(web, host=host, port=port, log_level="warning", **settings)


def serve_settings() -> dict:
    """uvicorn connection limits from data/serve.toml (idle timeouts, concurrency, request-head size),
    plus `timeout_request_head` (ours, see `head_timeout_protocol`)."""
    import tomllib
    from importlib.resources import files

    return tomllib.loads(files("policyatlas").joinpath("data/serve.toml").read_text(encoding="utf-8"))


def head_timeout_protocol(seconds: float):
    """uvicorn's h11 protocol with a deadline on the request head (slowloris guard).

    uvicorn arms `timeout_keep_alive` only after a response and cancels it on any byte received,
    and has no timer at all on a fresh connection: a client that opens a connection and sends its
    headers a byte at a time holds it forever. This subclass gives every request head `seconds`
    from the connection's start (or the previous response's end) to be complete, however the bytes
    trickle in; past that the connection is closed."""
    from uvicorn.protocols.http.h11_impl import H11Protocol

    class HeadTimeoutProtocol(H11Protocol):
        def connection_made(self, transport) -> None:  # type: ignore[override]
            super().connection_made(transport)
            self._arm_head_deadline()

        def _arm_head_deadline(self) -> None:
            self._head_cycle = self.cycle
            self._head_deadline = self.loop.call_later(seconds, self._head_expired)

        def _disarm_head_deadline(self) -> None:
            deadline = getattr(self, "_head_deadline", None)
            if deadline is not None:
                deadline.cancel()
                self._head_deadline = None

        def data_received(self, data: bytes) -> None:
            super().data_received(data)
            if self.cycle is not getattr(self, "_head_cycle", None):
                self._disarm_head_deadline()  # a new request's head arrived whole

        def on_response_complete(self) -> None:
            # armed before uvicorn starts a pipelined request: that request is a new cycle, so the
            # deadline (bound to the finished cycle) then lapses without closing anything
            self._disarm_head_deadline()
            if not self.transport.is_closing():
                self._arm_head_deadline()
            super().on_response_complete()

        def connection_lost(self, exc) -> None:
            self._disarm_head_deadline()
            super().connection_lost(exc)

        def _head_expired(self) -> None:
            self._head_deadline = None
            if self.cycle is getattr(self, "_head_cycle", None) and not self.transport.is_closing():
                self.transport.close()

    return HeadTimeoutProtocol


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
