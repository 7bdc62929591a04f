"""Every connectivity method behind one interface, selected by name (as the workflow config does).

Methods declare the input they need (:data:`METHOD_INPUTS`): ``"covariance"`` methods work from a
zero-lag covariance (or cross-spectral density) — the paper's estimator and the undirected baselines
— and ``"timeseries"`` methods need the samples themselves, because they use lagged or higher-order
statistics (the peers of :mod:`zerolag.methods.peers`). :func:`estimate` takes either; a covariance method
given only a time series uses its sample covariance.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..estimation.fit import estimate_connectivity
from ..estimation.validation import check_covariance
from . import baselines, peers

__all__ = ["METHODS", "METHOD_INPUTS", "DIRECTED", "estimate"]


def _zerolag(c: np.ndarray, **params: Any) -> tuple[np.ndarray, dict]:
    g, info = estimate_connectivity(c, return_info=True, **params)
    return g, info.to_dict()


def _plain(func: Callable[..., np.ndarray]) -> Callable[..., tuple[np.ndarray, dict]]:
    def run(data: np.ndarray, **params: Any) -> tuple[np.ndarray, dict]:
        return func(data, **params), {}

    run.__doc__ = func.__doc__
    return run


def _lingam(x: np.ndarray, **params: Any) -> tuple[np.ndarray, dict]:
    b, order = peers.direct_lingam(x, **params)
    return b, {"causal_order": order}


def _mou(x: np.ndarray, **params: Any) -> tuple[np.ndarray, dict]:
    return peers.mou_ec(x, **params)


METHODS: dict[str, Callable[..., tuple[np.ndarray, dict]]] = {
    "zerolag": _zerolag,
    "covariance": _plain(baselines.covariance_matrix),
    "correlation": _plain(baselines.correlation),
    "precision": _plain(baselines.precision),
    "partial_correlation": _plain(baselines.partial_correlation),
    "ric": _plain(baselines.ric),
    "patel_kappa": _plain(peers.patel_kappa),
    "patel_tau": _plain(peers.patel_tau),
    "pairwise_lr": _plain(peers.pairwise_lr),
    "directlingam": _lingam,
    "var1": _plain(peers.var1),
    "granger": _plain(peers.granger),
    "mou_ec": _mou,
}
"""Method name → function ``(covariance or time series, **params) -> (G_est, info)``."""

METHOD_INPUTS: dict[str, str] = {
    **dict.fromkeys(("zerolag", "covariance", "correlation", "precision", "partial_correlation", "ric"), "covariance"),
    **dict.fromkeys(
        ("patel_kappa", "patel_tau", "pairwise_lr", "directlingam", "var1", "granger", "mou_ec"), "timeseries"
    ),
}
"""Method name → the input it needs: ``"covariance"`` (zero-lag) or ``"timeseries"`` (samples × nodes)."""

DIRECTED = frozenset({"zerolag", "patel_tau", "pairwise_lr", "directlingam", "var1", "granger", "mou_ec"})
"""Methods whose estimate distinguishes (i, j) from (j, i); the others are symmetric."""


def estimate(
    method: str, covariance: np.ndarray | None = None, /, *, timeseries: np.ndarray | None = None, **params: Any
) -> tuple[np.ndarray, dict]:
    """Run connectivity method ``method`` on a covariance or a time series.

    Parameters
    ----------
    method : str
        A key of :data:`METHODS`.
    covariance : array of shape (N, N), optional
        Zero-lag covariance (or cross-spectral density) for the ``"covariance"`` methods.
    timeseries : array of shape (n_samples, N), optional
        Samples × nodes. Required by the ``"timeseries"`` methods; a ``"covariance"`` method given only
        this uses its sample covariance (``ddof = 1``).
    **params
        Options of the method.

    Returns
    -------
    G_est : ndarray of shape (N, N)
        Zero diagonal, row = target, column = source (symmetric for undirected methods).
    info : dict
        Method-specific record (the optimiser's :class:`FitInfo` for ``"zerolag"``, MOU-EC's
        iterations, DirectLiNGAM's causal order).
    """
    if method not in METHODS:
        raise ValueError(f"unknown connectivity method {method!r}; choose one of {sorted(METHODS)}")
    if METHOD_INPUTS[method] == "timeseries":
        if timeseries is None:
            raise ValueError(
                f"method {method!r} needs the time series (it uses lagged or higher-order statistics, which a "
                "covariance does not hold): call estimate(method, timeseries=X) with X of shape (samples, nodes)"
            )
        return METHODS[method](peers.check_timeseries(timeseries), **params)
    if covariance is None:
        if timeseries is None:
            raise ValueError(f"method {method!r} needs a covariance (or timeseries=X to compute one)")
        x = peers.check_timeseries(timeseries)
        covariance = np.cov(x, rowvar=False)
    c = check_covariance(covariance)
    return METHODS[method](c, **params)
