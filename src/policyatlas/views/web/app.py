"""`create_app(db)`: the FastAPI app over one atlas — dashboard pages plus their JSON/CSV data.

Run it with `policyatlas serve` (binds 127.0.0.1 by default). Pages are server-rendered Jinja2
templates with autoescaping on, so every piece of document text reaches the browser escaped.
"""

from __future__ import annotations

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
        if "nav" not in self.cache:
            years = self.atlas.years("province")
            self.cache["nav"] = {"years": years, "latest": years[-1] if years else None}
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


def create_app(db: str | Path) -> FastAPI:
    """The dashboard and API over the atlas in `db` (opened read-only, once)."""
    from .pages import api, briefing, document, heatmap, map as map_view, region, search

    atlas = Atlas(db)
    app = FastAPI(title="policyatlas", version=__version__, docs_url=None,
                  description="Which Chinese regions plan to support which emerging and future industries, with cited evidence. "
                              "Every page also answers with `?format=json` or `?format=csv`.")
    app.state.site = Site(atlas)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    for module in (map_view, heatmap, region, document, briefing, search, api):
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
