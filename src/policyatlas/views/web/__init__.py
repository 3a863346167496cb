"""The web face of the atlas: a FastAPI app (JSON/CSV API + dashboard) and a static-site export.

Every page is drawn from one view function per page type (`views/`); the same function answers
as HTML, JSON or CSV, and `export.py` renders the same templates to files. `create_app` is
imported on first use, so `policyatlas.web.links` stays importable without FastAPI's start-up cost.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from .app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from .app import create_app

        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
