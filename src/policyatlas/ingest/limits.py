"""Limits: what one input may cost before it becomes a named skip instead of a document.

Defaults live in `data/limits.toml` (settings an operator may edit, not constants in code);
`load_limits(path)` reads another file over them. A limit that is hit is reported as a
`LoadError` with stage "limit" naming the setting and its value.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from functools import cache
from importlib import resources
from pathlib import Path


@cache
def _defaults() -> dict:
    with resources.files("policyatlas.data").joinpath("limits.toml").open("rb") as fh:
        return tomllib.load(fh)


def _default(name: str):
    return _defaults()[name]


@dataclass(frozen=True)
class Limits:
    """Bounds on one input; a hit is a named skip (stage "limit"), never a hang or a crash."""

    max_file_bytes: int = _default("max_file_bytes")
    max_decompressed_bytes: int = _default("max_decompressed_bytes")
    max_chars_per_document: int = _default("max_chars_per_document")
    max_rows_per_file: int = _default("max_rows_per_file")
    max_json_depth: int = _default("max_json_depth")
    max_html_depth: int = _default("max_html_depth")
    seconds_per_document: float = _default("seconds_per_document")
    follow_symlinks: bool = _default("follow_symlinks")

    def describe(self, name: str) -> str:
        """How a reason names a setting: 'max_file_bytes = 268435456'."""
        return f"{name} = {getattr(self, name)}"


def load_limits(path: str | Path | None = None) -> Limits:
    """The default limits, with any values a TOML file states on top (unknown keys are an error)."""
    values = dict(_defaults())
    if path is not None:
        with open(path, "rb") as fh:
            extra = tomllib.load(fh)
        known = {f.name for f in fields(Limits)}
        unknown = sorted(set(extra) - known)
        if unknown:
            raise ValueError(f"unknown limit(s) in {path}: {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        values.update(extra)
    cast = {"follow_symlinks": bool, "seconds_per_document": float}
    return Limits(**{f.name: cast.get(f.name, int)(values[f.name]) for f in fields(Limits)})
