"""Patel's conditional dependence measures κ (strength) and τ (direction), as Smith et al. ran them.

Patel, Bowman & Rilling (2006), *A Bayesian approach to determining connectivity of the human
brain*, Hum Brain Mapp 27:267, as used on fMRI by Smith et al. (2011), *Network modelling methods
for FMRI*, NeuroImage 54:875 (FSLNets' ``Pate.m``). Implemented from the published definitions.

1. Each series is mapped to [0, 1]: its ``percentiles[0]`` → 0 and ``percentiles[1]`` → 1 (Smith et
   al.: 10th and 90th), clipped outside.
2. It is **binarised** at ``binarize`` (Smith et al.: 0.75): a node is "active" where its scaled value
   exceeds it. ``binarize=None`` keeps the scaled values, read as probabilities of activity (Patel's
   continuous variant).
3. For a pair (a, b), with a, b ∈ {0, 1} (or [0, 1]):

       θ1 = E[a b],  θ2 = E[a (1 − b)],  θ3 = E[(1 − a) b],  θ4 = E[(1 − a)(1 − b)]

   κ compares θ1 with its value under independence, E = (θ1 + θ2)(θ1 + θ3), scaled between the
   extremes θ1 can take given the marginals, max = min(θ1 + θ2, θ1 + θ3) and
   min = max(0, 2θ1 + θ2 + θ3 − 1), with the weight D of Patel's Bayesian reading:

       D = 1/2 + (θ1 − E) / (2 (max − E))   if θ1 > E,   else   1/2 − (θ1 − E) / (2 (E − min))
       κ = (θ1 − E) / (D (max − E) + (1 − D)(E − min))

   τ compares how often each node is active:

       τ = 1 − (θ1 + θ3)/(θ1 + θ2)   if θ2 > θ3,   else   (θ1 + θ2)/(θ1 + θ3) − 1

   and, as in ``Pate.m``, the direction score is **−τ**: ``direction[a, b] = −τ(a, b) > 0`` when b is
   active more often than a (θ3 > θ2), read as **a → b**. A node driven by another is active when its
   own input or its parent's is (additive inputs, as in the DCM behind NetSim), so the child is the
   more active node.

κ ∈ [−1, 1] is symmetric (signed dependence); the direction score is antisymmetric, in [−1, 1].
``patel_tau`` puts κ on the side the direction points to: ``G[b, a] = κ[a, b]`` when a → b (row =
target, column = source, as everywhere in zerolag) and 0 on the other side.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ._common import check_timeseries, place_directed

__all__ = ["patel_measures", "patel_kappa", "patel_tau"]

SMITH_PERCENTILES = (10, 90)
SMITH_BINARIZE = 0.75


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


def _activity(x: np.ndarray, percentiles: Sequence[float], binarize: float | None) -> np.ndarray:
    a = _scale(x, percentiles)
    if binarize is None:
        return a
    level = float(binarize)
    if not 0 <= level < 1:
        raise ValueError(f"binarize must be in [0, 1) (Smith et al.: 0.75) or None, got {binarize!r}")
    active = a > level
    never = np.flatnonzero(~active.any(axis=0))
    if never.size:
        raise ValueError(
            f"channel(s) {never.tolist()} never exceed binarize={level:g} after percentile scaling: "
            "lower binarize or raise the upper percentile"
        )
    return active.astype(np.float64)


def _ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
    """num / den, 0 where den is 0 (a pair with no spread in that direction)."""
    out = np.zeros(np.broadcast(num, den).shape)
    np.divide(num, den, out=out, where=den != 0)
    return out


def patel_measures(
    timeseries: np.ndarray,
    *,
    percentiles: Sequence[float] = SMITH_PERCENTILES,
    binarize: float | None = SMITH_BINARIZE,
) -> tuple[np.ndarray, np.ndarray]:
    """Patel's κ and the direction score −τ for every pair of nodes.

    Parameters
    ----------
    timeseries : array of shape (n_samples, n_nodes)
    percentiles : (low, high)
        Percentiles of each series mapped to 0 and 1 (clipped outside). ``(0, 100)`` is min–max
        scaling. Smith et al. 2011: (10, 90).
    binarize : float in [0, 1) or None
        A node is active where its scaled value exceeds this (Smith et al. 2011: 0.75). ``None``
        keeps the scaled values as probabilities of activity.

    Returns
    -------
    kappa : ndarray (N, N), symmetric, zero diagonal
    direction : ndarray (N, N), antisymmetric, ``−τ`` as ``Pate.m`` returns it;
        ``direction[a, b] > 0`` means a → b (b is active more often)
    """
    a = _activity(check_timeseries(timeseries), percentiles, binarize)
    t = a.shape[0]
    p = a.mean(axis=0)  # P(node active) = θ1 + θ2 for the row node
    t1 = a.T @ a / t
    t2 = p[:, None] - t1  # E[a_i (1 − a_j)]
    t3 = p[None, :] - t1  # E[(1 − a_i) a_j]
    pi, pj = t1 + t2, t1 + t3
    expected = pi * pj
    above = np.minimum(pi, pj) - expected  # max − E ≥ 0
    below = expected - np.maximum(0.0, 2 * t1 + t2 + t3 - 1)  # E − min ≥ 0
    excess = t1 - expected
    weight = np.where(excess > 0, 0.5 + _ratio(excess, 2 * above), 0.5 - _ratio(excess, 2 * below))
    kappa = _ratio(excess, weight * above + (1 - weight) * below)
    tau = np.where(t2 > t3, 1 - _ratio(pj, pi), _ratio(pi, pj) - 1)
    direction = -(tau - tau.T) / 2  # −τ, exactly antisymmetric (it is, up to rounding)
    kappa = (kappa + kappa.T) / 2
    np.fill_diagonal(kappa, 0)
    np.fill_diagonal(direction, 0)
    return kappa, direction


def patel_kappa(
    timeseries: np.ndarray,
    *,
    percentiles: Sequence[float] = SMITH_PERCENTILES,
    binarize: float | None = SMITH_BINARIZE,
) -> np.ndarray:
    """Patel's κ (undirected, signed): see :func:`patel_measures`."""
    return patel_measures(timeseries, percentiles=percentiles, binarize=binarize)[0]


def patel_tau(
    timeseries: np.ndarray,
    *,
    percentiles: Sequence[float] = SMITH_PERCENTILES,
    binarize: float | None = SMITH_BINARIZE,
) -> np.ndarray:
    """Directed Patel estimate: κ placed on the side −τ points to (``G[b, a] = κ[a, b]`` if a → b)."""
    kappa, direction = patel_measures(timeseries, percentiles=percentiles, binarize=binarize)
    return place_directed(kappa, direction)
