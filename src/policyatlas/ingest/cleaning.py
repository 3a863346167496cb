"""Strip web-page leftovers (menus, share widgets, related links) before a text is stored.

The rules are data (`data/zh/leftovers.toml`); this runs once, at load time, so every
offset stored later refers to the cleaned text.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources


@cache
def leftover_rules() -> dict:
    """The leftover rules, loaded once."""
    with resources.files("policyatlas.data").joinpath("zh/leftovers.toml").open("rb") as fh:
        rules = tomllib.load(fh)
    rules["lines"] = frozenset(rules["lines"])
    rules["prefixes"] = tuple(rules["prefixes"])
    rules["cut_from"] = tuple(rules["cut_from"])
    return rules


def strip_leftovers(text: str) -> tuple[str, int]:
    """The text without leftover lines, and how many lines were removed."""
    rules = leftover_rules()
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    kept: list[str] = []
    lines = text.split("\n")
    removed = 0
    for index, line in enumerate(lines):
        bare = line.strip()
        if bare.startswith(rules["cut_from"]) and index > len(lines) // 2:
            removed += len(lines) - index
            break
        if bare in rules["lines"] or bare.startswith(rules["prefixes"]):
            removed += 1
            continue
        kept.append(line.rstrip())
    return "\n".join(kept).strip("\n"), removed
