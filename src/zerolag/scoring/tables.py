"""Tidy result rows: one network × method per row, ready to be concatenated into a figure's table."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..simulation.networks import NetworkSpec
from .metrics import score

__all__ = ["metric_row", "FIT_COLUMNS", "is_run_dependent", "reproducible_part"]

FIT_COLUMNS = (
    "n_iter",
    "n_linesearch",
    "converged",
    "stop_reason",
    "initial_cost",
    "final_cost",
    "row_permutation_fixed",
    "sign_flips",
    "pair_moves",
)
"""Fields of the optimiser's record copied into the row (empty for methods without an optimiser)."""


def metric_row(
    truth: np.ndarray,
    estimate: np.ndarray,
    *,
    net: str,
    rep: int,
    method: str,
    directed: bool,
    info: dict[str, Any],
    seconds: float,
    top_fraction: float,
    seed: int | None = None,
    diagonal: np.ndarray | None = None,
) -> dict[str, Any]:
    """Scores of one estimate, with the network's parameters, its seed and the fit record.

    The thresholded counts appear twice: at the strongest ``top_fraction`` of entries (as in the
    paper's figures) and, suffixed ``_density``, at as many entries as there are true connections.
    ``diagonal`` is the estimate's diagonal before it was zeroed, for ``pcc_all`` (:func:`~zerolag.score`).
    """
    spec = NetworkSpec.from_name(net)
    row: dict[str, Any] = {
        "network": net,
        "n": spec.n,
        "p": spec.p,
        "rho": spec.rho,
        "q": spec.q,
        "rep": int(rep),
        **({} if seed is None else {"seed": int(seed)}),
        "method": method,
        "directed": bool(directed),
        "top_fraction": top_fraction,
    }
    row.update(score(truth, estimate, top_fraction=top_fraction, diagonal=diagonal))
    at_density = score(truth, estimate, top_fraction=None)
    for key in ("n_kept", "tp", "fp", "fn", "tn", "fnr", "fpr", "sign_accuracy"):
        row[f"{key}_density"] = at_density[key]
    for key in FIT_COLUMNS:
        row[key] = info.get(key, "")
    row["seconds"] = seconds
    return row


def is_run_dependent(column: str) -> bool:
    """Whether a table column measures the run (wall time) rather than the result: ``seconds``, ``*_seconds``."""
    return column == "seconds" or column.endswith("_seconds") or column.startswith("seconds_")


def reproducible_part(table: pd.DataFrame) -> pd.DataFrame:
    """The table without its run-dependent columns: what must be bit-identical between runs of one config."""
    return table[[c for c in table.columns if not is_run_dependent(c)]]
