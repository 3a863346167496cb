"""CLI commands of the web layer (serve, export-site)."""

from __future__ import annotations

from .cli import app  # noqa: F401
