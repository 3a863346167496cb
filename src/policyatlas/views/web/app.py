"""`create_app(db)`: the FastAPI app over one atlas — dashboard pages plus their JSON/CSV data.

Run it with `policyatlas serve` (binds 127.0.0.1 by default). Pages are server-rendered Jinja2
templates with autoescaping on, so every piece of document text reaches the browser escaped.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from pathlib import Path
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape

from policyatlas import __version__
from policyatlas.atlas import Atlas
from policyatlas.store.database import StoreError
from .links import ServerLinks
from .render import Result, to_json

STATIC = Path(__file__).parent / "static"
VENDOR = STATIC / "vendor"


class Site:
    """The atlas, the templates and the link scheme that every view renders with."""

    def __init__(self, atlas: Atlas, links: ServerLinks | None = None) -> None:
        self.atlas = atlas
        self.links = links or ServerLinks()
        self.env = Environment(loader=PackageLoader("policyatlas.views.web", "templates"),
                               autoescape=select_autoescape(default=True, default_for_string=True))
        self.env.filters["tojson_safe"] = _json_for_script
        self.env.globals["links"] = self.links
        self.cache: dict[Any, Any] = {}

    def nav(self) -> dict:
        """What every page header needs: years and the vendor assets' presence."""
        version = self.atlas.version
        if self.cache.get("nav_version") != version or "nav" not in self.cache:
            years = self.atlas.years("province")
            self.cache["nav"] = {"years": years, "latest": years[-1] if years else None}
            self.cache["nav_version"] = version  # the version read before the query: a rebuild meanwhile re-reads
        return self.cache["nav"]

    def html(self, result: Result, **extra: Any) -> str:
        template = self.env.get_template(result.template)
        return template.render(nav=self.nav(), title=result.title, vendor_ok=(VENDOR / "echarts.min.js").exists(),
                               tables=result.tables, **result.data, **extra)


def _json_for_script(value: Any) -> str:
    """JSON that is safe inside <script type="application/json"> (no '</script>' breakout)."""
    from markupsafe import Markup

    text = to_json(value).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


class Responsive:
    """ASGI middleware that keeps the server answering in milliseconds while heavy pages are computed.

    - `/static/…` files are served from memory, on the event loop (no threadpool hop, so never
      queued behind DuckDB/pandas work), with ETag/304; a changed file (mtime, size) is re-read.
    - Successful GETs of pages and API data are cached per (path, query, atlas version): the atlas
      is read-only between builds, and a rebuild (Atlas notices the replaced file) bumps the
      version, which empties the cache. Identical requests arriving while one is computed wait
      for it instead of computing it again. Bounded by entries and bytes.
    - The threadpool that runs the sync handlers is capped (`threads`): on a small machine, forty
      pandas threads fighting over the GIL serve pages slower than a few.
    """

    STATIC_MAX_BYTES = 4 << 20
    NO_CACHE = ("/static", "/docs", "/openapi.json")

    def __init__(self, app, site: "Site", entries: int = 512, max_bytes: int = 64 << 20, threads: int | None = 4) -> None:
        self.app, self.site = app, site
        self.entries, self.max_bytes, self.threads = entries, max_bytes, threads
        self.pages: "OrderedDict[tuple, tuple[int, list, bytes]]" = OrderedDict()
        self.bytes = 0
        self.version = site.atlas.version
        self.pending: dict[tuple, asyncio.Future] = {}
        self.static: dict[str, tuple[tuple[int, int], list, bytes, bytes]] = {}
        self.limited = False

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return await self.app(scope, receive, send)
        if not self.limited and self.threads:
            import anyio.to_thread

            anyio.to_thread.current_default_thread_limiter().total_tokens = self.threads
            self.limited = True
        path = scope["path"]
        if path.startswith("/static/"):
            hit = self._static(path)
            if hit is not None:
                return await self._send_static(scope, send, *hit)
            return await self.app(scope, receive, send)
        if path.startswith(self.NO_CACHE):
            return await self.app(scope, receive, send)
        self.site.atlas._refresh()  # a stat of the db file at most once a second
        if self.site.atlas.version != self.version:
            self.pages.clear()
            self.bytes, self.version = 0, self.site.atlas.version
        key = (self.version, path, scope.get("query_string", b""))
        while True:
            if key in self.pages:
                self.pages.move_to_end(key)
                return await self._replay(scope, send, *self.pages[key])
            waiting = self.pending.get(key)
            if waiting is None:
                break
            try:
                await asyncio.shield(waiting)
            except Exception:
                break
            if key not in self.pages:  # the first one did not produce a cacheable page: compute our own
                break
        future = self.pending.setdefault(key, asyncio.get_running_loop().create_future())
        owner = self.pending.get(key) is future
        start: dict = {}
        body: list[bytes] = []

        async def capture(message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, capture)
            if start.get("status") == 200 and scope["method"] == "GET" and key[0] == self.site.atlas.version:
                self._store(key, start["status"], list(start.get("headers", [])), b"".join(body))
        finally:
            if owner and self.pending.get(key) is future:
                del self.pending[key]
                if not future.done():
                    future.set_result(None)

    def _store(self, key: tuple, status: int, headers: list, body: bytes) -> None:
        if len(body) > self.max_bytes // 8:
            return
        self.pages[key] = (status, headers, body)
        self.bytes += len(body)
        while self.pages and (len(self.pages) > self.entries or self.bytes > self.max_bytes):
            _, (_, _, old) = self.pages.popitem(last=False)
            self.bytes -= len(old)

    @staticmethod
    async def _replay(scope, send, status: int, headers: list, body: bytes) -> None:
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})

    def _static(self, path: str):
        """(headers, body, etag) of a small static file, read once; None leaves it to StaticFiles."""
        relative = path[len("/static/"):]
        if not relative or "\\" in relative or "\0" in relative:
            return None
        target = (STATIC / relative)
        try:
            target = target.resolve()
            target.relative_to(STATIC.resolve())
            st = target.stat()
        except (OSError, ValueError):
            return None
        if not target.is_file() or st.st_size > self.STATIC_MAX_BYTES:
            return None
        stamp = (st.st_mtime_ns, st.st_size)
        cached = self.static.get(path)
        if cached is None or cached[0] != stamp:
            import mimetypes

            body = target.read_bytes()
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if kind.startswith("text/") or kind in ("application/javascript", "application/json"):
                kind += "; charset=utf-8"
            etag = f'"{st.st_mtime_ns:x}-{st.st_size:x}"'.encode()
            headers = [(b"content-type", kind.encode()), (b"etag", etag), (b"cache-control", b"no-cache")]
            cached = self.static[path] = (stamp, headers, body, etag)
        return cached[1:]

    @staticmethod
    async def _send_static(scope, send, headers: list, body: bytes, etag: bytes) -> None:
        sent = dict(scope.get("headers") or []).get(b"if-none-match", b"")
        if etag in [t.strip() for t in sent.split(b",")]:
            await send({"type": "http.response.start", "status": 304, "headers": [(b"etag", etag)]})
            await send({"type": "http.response.body", "body": b""})
            return
        length = [(b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 200, "headers": headers + length})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})


def create_app(db: str | Path) -> FastAPI:
    """The dashboard and API over the atlas in `db` (opened read-only, once)."""
    from .pages import api, briefing, change, compare, document, heatmap, map as map_view, region, search

    atlas = Atlas(db)
    app = FastAPI(title="policyatlas", version=__version__, docs_url=None,
                  description="Which Chinese regions plan to support which emerging and future industries, with cited evidence. "
                              "Every page also answers with `?format=json` or `?format=csv`.")
    app.state.site = Site(atlas)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    for module in (map_view, heatmap, change, compare, region, document, briefing, search, api):
        app.include_router(module.router)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        """Swagger UI from the vendored, pinned swagger-ui-dist (FastAPI's default loads it from a CDN)."""
        return get_swagger_ui_html(openapi_url="/openapi.json", title="policyatlas API",
                                   swagger_js_url="/static/vendor/swagger-ui-bundle.js",
                                   swagger_css_url="/static/vendor/swagger-ui.css", swagger_favicon_url="")

    @app.get("/", include_in_schema=False)
    async def index() -> RedirectResponse:
        return RedirectResponse("/map")

    _install_error_handlers(app)
    app.add_middleware(Responsive, site=app.state.site)
    return app


def _message(request: Request, status: int, message: str):
    """Errors as JSON for the API and data renderings, as a small page for browsers."""
    wants_html = not request.url.path.startswith("/api/") and request.query_params.get("format", "html") == "html" \
        and "text/html" in request.headers.get("accept", "")
    if wants_html:
        from fastapi.responses import HTMLResponse

        site: Site = request.app.state.site
        page = site.html(Result({"status": status, "message": message}, template="error.html", title=f"{status}"))
        return HTMLResponse(page, status_code=status)
    return JSONResponse({"error": message, "status": status}, status_code=status)


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LookupError)
    async def not_found(request: Request, exc: LookupError):
        # unknown slugs and regions, NoData, and any other missing thing: a 404, never a 500
        message = str(exc.args[0]) if isinstance(exc, KeyError) and exc.args else str(exc)
        return _message(request, 404, message)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException):
        return _message(request, exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def bad_params(request: Request, exc: RequestValidationError):
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ())[1:])}: {e.get('msg')}" for e in exc.errors())
        return _message(request, 422, f"bad parameter: {problems}")

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError):
        return _message(request, 503, str(exc))

    @app.exception_handler(ValueError)
    async def value_error(request: Request, exc: ValueError):
        return _message(request, 400, str(exc))
