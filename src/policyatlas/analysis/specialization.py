"""Specialization: how distinctive a region's portfolio is against all regions.

Strength-weighted shares times inverse frequency (a TF-IDF): for region r and industry s with
strength a_rs (1–4), share t_rs = a_rs / Σ_s a_rs, rarity w_s = ln(N / n_s) where N regions are
covered and n_s of them commit to s; the score D_r = Σ_s t_rs · w_s is 0 when every pick is one
all regions make. Signature industries are the picks that few others name (largest t·w).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import portfolio

if TYPE_CHECKING:  # pragma: no cover
    from ..atlas import Atlas

#: A pick is a signature only if at most this share of regions also makes it.
SIGNATURE_SHARE = 1 / 3
SIGNATURES = 3


def rarity(table: pd.DataFrame) -> pd.Series:
    """w_s = ln(N / n_s) per slug (NaN for a slug no region names)."""
    n = (table > 0).sum(axis=0)
    return pd.Series(np.where(n > 0, np.log(len(table) / n.where(n > 0, 1)), np.nan), index=table.columns, name="rarity")


def signature_table(table: pd.DataFrame) -> pd.DataFrame:
    """One row per region × committed slug: strength, share t, regions naming it n, rarity w, t·w."""
    w = rarity(table)
    named = (table > 0).sum(axis=0)
    totals = table.sum(axis=1)
    rows = [
        {"adcode": r, "slug": s, "strength": int(table.at[r, s]), "share": table.at[r, s] / totals[r],
         "regions_naming": int(named[s]), "rarity": float(w[s]),
         "contribution": table.at[r, s] / totals[r] * float(w[s])}
        for r in table.index for s in table.columns if table.at[r, s] > 0
    ]
    frame = pd.DataFrame(rows, columns=["adcode", "slug", "strength", "share", "regions_naming", "rarity", "contribution"])
    return frame.sort_values(["adcode", "contribution", "slug"], ascending=[True, False, True]).reset_index(drop=True)


def specialization_table(table: pd.DataFrame, signature_share: float = SIGNATURE_SHARE,
                         signatures: int = SIGNATURES) -> pd.DataFrame:
    """Regions ranked by D_r (most tailored first) with their signature slugs."""
    detail = signature_table(table)
    limit = max(1, math.floor(signature_share * len(table)))
    rows = []
    for region in table.index:
        mine = detail[detail["adcode"] == region]
        rare = mine[mine["regions_naming"] <= limit].head(signatures)
        rows.append({"adcode": region, "industries": len(mine),
                     "score": float(mine["contribution"].sum()) if len(mine) else float("nan"),
                     "signature": rare["slug"].tolist(),
                     "signature_naming": rare["regions_naming"].astype(int).tolist()})
    frame = pd.DataFrame(rows, columns=["adcode", "industries", "score", "signature", "signature_naming"])
    frame = frame.sort_values(["score", "adcode"], ascending=[False, True], na_position="last").reset_index(drop=True)
    frame.insert(0, "rank", range(1, len(frame) + 1))
    return frame


def _names(atlas: "Atlas", frame: pd.DataFrame) -> pd.DataFrame:
    regions = [atlas.gazetteer.get(a) for a in frame["adcode"]]
    frame.insert(frame.columns.get_loc("adcode") + 1, "name_en", [r.name_en for r in regions])
    frame.insert(frame.columns.get_loc("adcode") + 2, "name_zh", [r.name_zh for r in regions])
    return frame


def specialization(atlas: "Atlas", year: int | None, level: str = "province", axis: str | None = "industry") -> pd.DataFrame:
    """`specialization_table` over a stored year (default: the latest), with region names."""
    year = atlas.check_year(year, level)
    table = portfolio(atlas.plan_frame(year, level, axis), atlas.covered(year, level), atlas.taxonomy.slugs(axis))
    frame = _names(atlas, specialization_table(table))
    frame.insert(1, "year", year)
    return frame


def signatures(atlas: "Atlas", year: int | None, region: str | None = None, level: str = "province",
               axis: str | None = "industry") -> pd.DataFrame:
    """`signature_table` over a stored year (optionally one region, which needs a report that year), with names."""
    year = atlas.check_year(year, level)
    if region is not None:
        region = atlas.check_region(region, year, level)[0].adcode
    table = portfolio(atlas.plan_frame(year, level, axis), atlas.covered(year, level), atlas.taxonomy.slugs(axis))
    detail = signature_table(table)
    if region is not None:
        detail = detail[detail["adcode"] == region].reset_index(drop=True)
    detail = _names(atlas, detail)
    detail.insert(detail.columns.get_loc("slug") + 1, "industry_en", [atlas.taxonomy.get(s).name_en for s in detail["slug"]])
    return detail
