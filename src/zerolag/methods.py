"""Every connectivity method behind one interface, selected by name (as the workflow config does)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from . import baselines
from .fit import estimate_connectivity
from .validation import check_covariance

__all__ = ["METHODS", "DIRECTED", "estimate"]


def _zerolag(c: np.ndarray, **params: Any) -> tuple[np.ndarray, dict]:
    g, info = estimate_connectivity(c, return_info=True, **params)
    return g, info.to_dict()


def _plain(func: Callable[..., np.ndarray]) -> Callable[..., tuple[np.ndarray, dict]]:
    def run(c: np.ndarray, **params: Any) -> tuple[np.ndarray, dict]:
        return func(c, **params), {}

    run.__doc__ = func.__doc__
    return run


METHODS: dict[str, Callable[..., tuple[np.ndarray, dict]]] = {
    "zerolag": _zerolag,
    "covariance": _plain(baselines.covariance_matrix),
    "correlation": _plain(baselines.correlation),
    "precision": _plain(baselines.precision),
    "partial_correlation": _plain(baselines.partial_correlation),
    "ric": _plain(baselines.ric),
}
"""Method name → function ``(covariance, **params) -> (G_est, info)``."""

DIRECTED = frozenset({"zerolag"})
"""Methods whose estimate distinguishes (i, j) from (j, i); the others are symmetric."""


def estimate(method: str, covariance: np.ndarray, **params: Any) -> tuple[np.ndarray, dict]:
    """Run connectivity method ``method`` on ``covariance``.

    Returns
    -------
    G_est : ndarray of shape (N, N)
        Zero diagonal, row = target, column = source (symmetric for undirected methods).
    info : dict
        Method-specific record (the optimiser's :class:`FitInfo` for ``"zerolag"``).
    """
    if method not in METHODS:
        raise ValueError(f"unknown connectivity method {method!r}; choose one of {sorted(METHODS)}")
    c = check_covariance(covariance)
    return METHODS[method](c, **params)
