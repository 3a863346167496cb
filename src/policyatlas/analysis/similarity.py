"""Similarity: which regions plan alike, and clusters of regions with similar plans.

A region's vector is v_rs = a_rs · (1 + w_s) (strength times one plus rarity, see
`specialization`), so shared rare bets count more than shared commonplaces but a region whose
picks are all commonplace still has a direction. Similarity is the cosine of two vectors;
clusters come from average-linkage agglomerative clustering on 1 − cosine.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from . import portfolio
from .specialization import rarity

if TYPE_CHECKING:  # pragma: no cover
    from ..atlas import Atlas


def cosine_matrix(table: pd.DataFrame) -> pd.DataFrame:
    """Region × region cosine similarity of rarity-weighted strength vectors (0 for an empty region)."""
    weights = 1 + rarity(table).fillna(0).to_numpy()
    vectors = table.to_numpy(dtype=float) * weights
    norms = np.linalg.norm(vectors, axis=1)
    safe = np.where(norms > 0, norms, 1.0)
    unit = vectors / safe[:, None]
    sims = unit @ unit.T
    np.fill_diagonal(sims, np.where(norms > 0, 1.0, 0.0))
    return pd.DataFrame(sims, index=table.index, columns=table.index)


def neighbours(table: pd.DataFrame, region: str) -> pd.DataFrame:
    """Other regions by similarity to one, with the slugs they share and those only one names."""
    sims = cosine_matrix(table)[region].drop(region)
    mine = set(table.columns[table.loc[region] > 0])
    rows = []
    for other, sim in sims.items():
        theirs = set(table.columns[table.loc[other] > 0])
        rows.append({"adcode": other, "similarity": round(float(sim), 4), "shared": sorted(mine & theirs),
                     "only_region": sorted(mine - theirs), "only_other": sorted(theirs - mine)})
    frame = pd.DataFrame(rows, columns=["adcode", "similarity", "shared", "only_region", "only_other"])
    return frame.sort_values(["similarity", "adcode"], ascending=[False, True]).reset_index(drop=True)


def average_linkage(distance: np.ndarray, k: int) -> list[int]:
    """Cluster labels (0…k−1, by first member) from average-linkage merging until k clusters remain."""
    groups: list[list[int]] = [[i] for i in range(len(distance))]
    while len(groups) > max(k, 1):
        best, pair = np.inf, (0, 1)
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                d = distance[np.ix_(groups[i], groups[j])].mean()
                if d < best - 1e-12:
                    best, pair = d, (i, j)
        i, j = pair
        groups[i] = sorted(groups[i] + groups[j])
        del groups[j]
    labels = [0] * len(distance)
    for label, members in enumerate(sorted(groups, key=min)):
        for m in members:
            labels[m] = label
    return labels


def cluster_table(table: pd.DataFrame, k: int) -> pd.DataFrame:
    """Regions with a cluster label and the slugs every member of their cluster names."""
    labels = average_linkage(1 - cosine_matrix(table).to_numpy(), k)
    frame = pd.DataFrame({"adcode": table.index, "cluster": labels})
    shared = {}
    for label, members in frame.groupby("cluster")["adcode"]:
        common = (table.loc[list(members)] > 0).all(axis=0)
        shared[label] = sorted(table.columns[common], key=lambda s: (-(rarity(table)[s]), s))
    frame["cluster_size"] = frame["cluster"].map(frame["cluster"].value_counts())
    frame["cluster_shared"] = frame["cluster"].map(shared)
    return frame.sort_values(["cluster", "adcode"]).reset_index(drop=True)


def _table(atlas: "Atlas", year: int, level: str, axis: str | None) -> pd.DataFrame:
    return portfolio(atlas.plan_frame(year, level, axis), atlas.covered(year, level), atlas.taxonomy.slugs(axis))


def _named(atlas: "Atlas", frame: pd.DataFrame) -> pd.DataFrame:
    regions = [atlas.gazetteer.get(a) for a in frame["adcode"]]
    frame.insert(1, "name_en", [r.name_en for r in regions])
    frame.insert(2, "name_zh", [r.name_zh for r in regions])
    return frame


def similar(atlas: "Atlas", region: str, year: int | None, level: str = "province", axis: str | None = "industry") -> pd.DataFrame:
    """`neighbours` of a region (any name `Atlas.region` takes) in a stored year (default: the latest).

    NoData when the year has no reports of the level, or the region no report of the level that year.
    """
    year = atlas.check_year(year, level)
    adcode = atlas.check_region(region, year, level)[0].adcode
    table = _table(atlas, year, level, axis)
    return _named(atlas, neighbours(table, adcode))


def clusters(atlas: "Atlas", year: int | None, k: int = 6, level: str = "province", axis: str | None = "industry") -> pd.DataFrame:
    """`cluster_table` of a stored year (default: the latest)."""
    year = atlas.check_year(year, level)
    return _named(atlas, cluster_table(_table(atlas, year, level, axis), k))
