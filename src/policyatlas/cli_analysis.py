"""CLI commands of the analysis layer (crowding, specialization, similar, diff, diffusion, brief, eval)."""

from __future__ import annotations

from .cli import app  # noqa: F401
