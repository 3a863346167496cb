"""Analysis over stored commitments: crowding, specialization, similarity, diffs, diffusion.

Each analysis is a function of an `Atlas` returning a pandas DataFrame; `AnalysisMixin` makes
them methods of `Atlas` so notebooks, the CLI and the web layer call the same code.
"""

from __future__ import annotations


class AnalysisMixin:
    """Methods added to `Atlas` (see `policyatlas.atlas`)."""
