"""Patel's conditional dependence measures κ (strength) and τ (direction).

Patel, Bowman & Rilling (2006), *A Bayesian approach to determining connectivity of the human
brain*, Hum Brain Mapp 27:267, as used on fMRI by Smith et al. (2011), *Network modelling methods
for FMRI*, NeuroImage 54:875. Implemented from the published formulas.

Each series is mapped to [0, 1] (here: its ``percentiles[0]`` → 0 and ``percentiles[1]`` → 1,
clipped outside; Smith et al. rescale to [0, 1] before applying the measures, the percentile choice
is ours and configurable), read as the probability that the node is "active". For a pair (a, b):

    θ1 = E[a b],  θ2 = E[a (1 − b)],  θ3 = E[(1 − a) b],  θ4 = E[(1 − a)(1 − b)]

    κ = (θ1 − E) / |D − E|,   E = (θ1 + θ2)(θ1 + θ3)   (θ1 expected under independence),
        D = min(θ1 + θ2, θ1 + θ3) if θ1 > E else max(0, 2θ1 + θ2 + θ3 − 1)   (the extreme θ1)

    τ = 1 − (θ1 + θ3)/(θ1 + θ2)  if θ2 ≥ θ3,   else  (θ1 + θ2)/(θ1 + θ3) − 1

κ ∈ [−1, 1] (signed dependence), τ ∈ [−1, 1], antisymmetric. ``τ[a, b] > 0`` (a is active more often
than b: b's activity implies a's) means **a → b** (a is "ascendant" to b), Smith et al.'s reading.

Orientation of the outputs: ``patel_kappa`` is symmetric; ``patel_tau`` puts κ on the side τ points
to, ``G[b, a] = κ[a, b]`` when τ[a, b] > 0 (row = target, column = source, as everywhere in zerolag)
and 0 on the other side.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._common import check_timeseries, place_directed

__all__ = ["patel_measures", "patel_kappa", "patel_tau"]


def _scale(x: np.ndarray, percentiles: Sequence[float]) -> np.ndarray:
    try:
        lo_p, hi_p = (float(p) for p in percentiles)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"percentiles must be a pair (low, high), got {percentiles!r}") from exc
    if not 0 <= lo_p < hi_p <= 100:
        raise ValueError(f"percentiles must satisfy 0 ≤ low < high ≤ 100, got ({lo_p:g}, {hi_p:g})")
    lo, hi = np.percentile(x, [lo_p, hi_p], axis=0)
    span = hi - lo
    flat = np.flatnonzero(span <= 0)
    if flat.size:
        raise ValueError(
            f"channel(s) {flat.tolist()} have equal {lo_p:g}th and {hi_p:g}th percentiles (mostly constant): "
            "widen the percentiles or remove the channels"
        )
    return np.clip((x - lo) / span, 0.0, 1.0)


def patel_measures(timeseries: np.ndarray, *, percentiles: Sequence[float] = (10, 90)) -> tuple[np.ndarray, np.ndarray]:
    """Patel's κ and τ for every pair of nodes.

    Parameters
    ----------
    timeseries : array of shape (n_samples, n_nodes)
    percentiles : (low, high)
        Percentiles of each series mapped to 0 and 1 (clipped outside). ``(0, 100)`` is min–max
        scaling (data already in [0, 1] are left unchanged when they reach 0 and 1).

    Returns
    -------
    kappa : ndarray (N, N), symmetric, zero diagonal
    tau : ndarray (N, N), antisymmetric; ``tau[a, b] > 0`` means a → b
    """
    a = _scale(check_timeseries(timeseries), percentiles)
    t = a.shape[0]
    p = a.mean(axis=0)  # P(node active) = θ1 + θ2 for the row node
    t1 = a.T @ a / t
    t2 = p[:, None] - t1  # E[a_i (1 − a_j)]
    t3 = p[None, :] - t1  # E[(1 − a_i) a_j]
    pi, pj = t1 + t2, t1 + t3
    expected = pi * pj
    upper = np.minimum(pi, pj)
    lower = np.maximum(0.0, 2 * t1 + t2 + t3 - 1)
    extreme = np.where(t1 > expected, upper, lower)
    denom = np.abs(extreme - expected)
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = np.where(denom > 0, (t1 - expected) / denom, 0.0)
        tau = np.where(t2 >= t3, 1 - pj / pi, pi / pj - 1)
    tau = np.nan_to_num(tau)
    tau = (tau - tau.T) / 2  # exactly antisymmetric (it is, up to rounding)
    kappa = (kappa + kappa.T) / 2
    np.fill_diagonal(kappa, 0)
    np.fill_diagonal(tau, 0)
    return kappa, tau


def patel_kappa(timeseries: np.ndarray, *, percentiles: Sequence[float] = (10, 90)) -> np.ndarray:
    """Patel's κ (undirected, signed): see :func:`patel_measures`."""
    return patel_measures(timeseries, percentiles=percentiles)[0]


def patel_tau(timeseries: np.ndarray, *, percentiles: Sequence[float] = (10, 90)) -> np.ndarray:
    """Directed Patel estimate: κ placed on the side τ points to (``G[b, a] = κ[a, b]`` if τ[a, b] > 0)."""
    kappa, tau = patel_measures(timeseries, percentiles=percentiles)
    return place_directed(kappa, tau)
