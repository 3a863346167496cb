"""One result, three renderings: HTML through a template, JSON as returned, CSV of one table."""

from __future__ import annotations

import csv
import io
import json
import math
from dataclasses import dataclass, field
from typing import Any

from fastapi import HTTPException
from fastapi.responses import HTMLResponse, Response


@dataclass
class Result:
    """What a view function returns: `data` for JSON and templates, flat `tables` for CSV."""

    data: dict[str, Any]
    tables: dict[str, list[dict]] = field(default_factory=dict)
    template: str = ""
    title: str = ""


def plain(value: Any) -> Any:
    """JSON-safe values (numpy scalars, NaN → null, dataclasses → dicts)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if hasattr(value, "__dataclass_fields__"):
        return plain(value.__dict__)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def luminance(colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour (0 black … 1 white)."""
    channels = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 … 21; 4.5 is enough for small text)."""
    x, y = sorted((luminance(a), luminance(b)), reverse=True)
    return (x + 0.05) / (y + 0.05)


def label_colour(fill: str, dark: str = "#1d2733", light: str = "#ffffff") -> str:
    """The label colour readable on a fill: dark text on light fills, white on dark ones."""
    return dark if contrast(fill, dark) >= contrast(fill, light) else light


def palette(pieces: list[tuple[Any, str, str]]) -> list[dict]:
    """Map legend pieces (value, label, fill) with the label colour each fill needs."""
    return [{"value": v, "label": label, "color": fill, "label_color": label_colour(fill)} for v, label, fill in pieces]


def to_json(data: Any) -> str:
    return json.dumps(plain(data), ensure_ascii=False, separators=(",", ":"))


def records(frame: Any) -> list[dict]:
    """Rows of a DataFrame (index kept as columns when it is named) or a list of dicts."""
    if isinstance(frame, list):
        return [plain(r) for r in frame]
    if frame.index.name is not None or any(n is not None for n in (frame.index.names or [])):
        frame = frame.reset_index()
    return plain(frame.to_dict("records"))


def csv_text(rows: list[dict]) -> str:
    out = io.StringIO()
    columns: list[str] = []
    for row in rows:
        columns.extend(k for k in row if k not in columns)
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: (json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v) for k, v in row.items()})
    return out.getvalue()


def respond(result: Result, fmt: str, table: str | None, html: Any, filename: str) -> Response:
    """The rendering asked for by `?format=`: html (default), json or csv (`&table=` picks one)."""
    if fmt == "json":
        return Response(to_json(result.data), media_type="application/json")
    if fmt == "csv":
        if not result.tables:
            raise HTTPException(400, "this page has no table to download as CSV")
        name = table or next(iter(result.tables))
        if name not in result.tables:
            raise HTTPException(400, f"unknown table {name!r}; this page has: {', '.join(result.tables)}")
        return Response("\ufeff" + csv_text(result.tables[name]), media_type="text/csv; charset=utf-8",
                        headers={"Content-Disposition": f'attachment; filename="{filename}-{name}.csv"'})
    if fmt != "html":
        raise HTTPException(400, f"unknown format {fmt!r}; use html, json or csv")
    return HTMLResponse(html())
