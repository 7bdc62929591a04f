"""Input checks and small helpers shared by the peer methods (time-series input)."""

from __future__ import annotations

import numpy as np

__all__ = ["check_timeseries", "standardize", "place_directed"]


def check_timeseries(x: object, *, name: str = "timeseries", min_samples: int = 3) -> np.ndarray:
    """Validate a (samples × nodes) time series; return it as float64.

    Raises ``ValueError`` naming the problem and the fix: wrong shape, fewer than two nodes, too few
    samples, complex or non-numeric values, NaN/inf, or a constant channel.
    """
    try:
        a = np.asarray(x)
    except Exception as exc:  # pragma: no cover - exotic objects
        raise ValueError(f"{name} could not be converted to an array: {exc}") from exc
    if a.dtype == object or not np.issubdtype(a.dtype, np.number):
        raise ValueError(f"{name} must be numeric, got dtype {a.dtype}")
    if np.iscomplexobj(a):
        raise ValueError(f"{name} must be real; complex time series are not supported by this method")
    if a.ndim != 2:
        raise ValueError(
            f"{name} must be a 2-D array of shape (samples, nodes), got shape {a.shape}; "
            "for several subjects call the method once per subject"
        )
    t, n = a.shape
    if n < 2:
        raise ValueError(f"{name} must have at least 2 nodes (columns), got {n}; is it transposed?")
    if t < min_samples:
        raise ValueError(
            f"{name} has {t} samples (rows) for {n} nodes; this method needs at least {min_samples}: "
            "use longer recordings (or check that the array is samples × nodes, not transposed)"
        )
    a = a.astype(np.float64)
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{name} contains NaN or inf; remove or impute non-finite samples before estimating")
    sd = a.std(axis=0)
    flat = np.flatnonzero(sd <= 1e-12 * max(1.0, float(np.abs(a).max())))
    if flat.size:
        raise ValueError(f"{name} has constant channel(s) {flat.tolist()}; remove them before estimating")
    return a


def standardize(x: np.ndarray) -> np.ndarray:
    """Each column to mean 0 and standard deviation 1 (``ddof = 0``)."""
    x = x - x.mean(axis=0)
    return x / x.std(axis=0)


def place_directed(strength: np.ndarray, direction: np.ndarray) -> np.ndarray:
    """Turn a symmetric strength and an antisymmetric direction score into a directed estimate.

    ``direction[a, b] > 0`` means a → b. The result ``G`` has ``G[b, a] = strength[a, b]`` (row =
    target, column = source) and ``G[a, b] = 0``; where ``direction[a, b] == 0`` both entries keep
    the strength (no preferred direction). Zero diagonal.
    """
    forward = direction > 0  # forward[a, b]: a → b
    tie = direction == 0
    g = np.where(forward.T | tie, strength, 0.0)  # g[b, a] = strength if a → b
    np.fill_diagonal(g, 0)
    return g
