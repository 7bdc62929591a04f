"""Imperfect observation of a simulated network: measurement noise and unobserved nodes (Figs. 4A, 4B).

For long simulations the same operations are available on running sums: see
:meth:`zerolag.simulation.ou.BoldStatistics.covariance` (any noise level) and :func:`subnetwork` applied to
its covariance (dropping channels from a covariance is the covariance of the kept channels).
"""

from __future__ import annotations

import numpy as np

from .networks import check_random_state

__all__ = ["add_observation_noise", "check_noise_std", "choose_observed", "snr", "subnetwork"]


def check_noise_std(noise_std: object) -> float:
    """Return ``noise_std`` as a float, or raise ``ValueError`` unless it is a finite number ≥ 0."""
    try:
        sigma = float(noise_std)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"noise_std must be a non-negative number, got {noise_std!r}") from exc
    if not (np.isfinite(sigma) and sigma >= 0):
        raise ValueError(f"noise_std must be a non-negative number, got {noise_std!r}")
    return sigma


def snr(signal: np.ndarray, noise: np.ndarray) -> float:
    """``var(signal) / var(noise)``, variances summed over channels (time along axis 0, ``ddof = 0``)."""
    s = np.asarray(signal, dtype=np.float64)
    e = np.asarray(noise, dtype=np.float64)
    noise_var = float(np.sum(np.var(e, axis=0)))
    if noise_var == 0:
        return float("inf")
    return float(np.sum(np.var(s, axis=0))) / noise_var


def add_observation_noise(
    x: np.ndarray, noise_std: float, *, random_state: int | np.random.Generator | None
) -> tuple[np.ndarray, float]:
    """Add white Gaussian measurement noise ``N(0, noise_std²)`` to every sample of every channel.

    In the paper's pipeline ``x`` is the standardised BOLD signal (variance 1), so ``SNR ≈ 1 / noise_std²``.

    Parameters
    ----------
    x : array of shape (T, N)
        Signals, time along axis 0.
    noise_std : float
        Standard deviation of the noise (≥ 0).
    random_state : int, numpy.random.Generator or None
        Source of randomness.

    Returns
    -------
    y : numpy.ndarray
        ``x`` plus noise, same dtype as ``x`` (float).
    snr : float
        ``var(x) / var(noise)`` measured on the drawn noise (:func:`snr`); ``inf`` for ``noise_std = 0``.
    """
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    sigma = check_noise_std(noise_std)
    if sigma == 0:
        return x.copy(), float("inf")
    rng = check_random_state(random_state)
    noise = sigma * rng.standard_normal(x.shape, dtype=x.dtype if x.dtype == np.float32 else np.float64)
    return (x + noise).astype(x.dtype, copy=False), snr(x, noise)


def choose_observed(
    n_nodes: int,
    *,
    fraction: float | None = None,
    count: int | None = None,
    random_state: int | np.random.Generator | None,
) -> np.ndarray:
    """Pick the observed nodes uniformly at random (sorted indices).

    Give either ``fraction`` (observed share of the nodes, ``round(fraction · n_nodes)`` nodes) or
    ``count``; at least 2 and at most ``n_nodes`` nodes can be observed.

    Raises
    ------
    ValueError
        If both or neither of ``fraction`` / ``count`` are given, ``fraction`` is outside (0, 1], or the
        number of observed nodes is below 2 or above ``n_nodes``.
    """
    n_nodes = int(n_nodes)
    if n_nodes < 2:
        raise ValueError(f"n_nodes must be at least 2, got {n_nodes}")
    if (fraction is None) == (count is None):
        raise ValueError("give exactly one of fraction (share of nodes observed) or count (number observed)")
    if fraction is not None:
        if not 0 < float(fraction) <= 1:
            raise ValueError(f"fraction of observed nodes must lie in (0, 1], got {fraction}")
        k = round(float(fraction) * n_nodes)
        what = f"fraction = {fraction} of {n_nodes} nodes"
    else:
        k = int(count)
        what = f"count = {count}"
    if k > n_nodes:
        raise ValueError(f"{what} observed nodes exceeds the network's {n_nodes} nodes")
    if k < 2:
        raise ValueError(f"{what} leaves {k} observed node(s); at least 2 are needed for a network")
    rng = check_random_state(random_state)
    return np.sort(rng.choice(n_nodes, size=k, replace=False))


def subnetwork(matrix: np.ndarray, nodes: np.ndarray) -> np.ndarray:
    """Rows and columns ``nodes`` of a square matrix: the observed part of ``G`` or of a covariance/CSD.

    A stack of shape (B, N, N) (e.g. band CSDs) is restricted on its last two axes.
    """
    a = np.asarray(matrix)
    if a.ndim < 2 or a.shape[-1] != a.shape[-2]:
        raise ValueError(f"matrix must be square on its last two axes, got shape {a.shape}")
    idx = np.asarray(nodes, dtype=np.intp)
    if idx.ndim != 1 or idx.size == 0:
        raise ValueError("nodes must be a non-empty 1-D array of node indices")
    if idx.min() < 0 or idx.max() >= a.shape[-1]:
        raise ValueError(f"node indices must lie in [0, {a.shape[-1]}), got range [{idx.min()}, {idx.max()}]")
    if np.unique(idx).size != idx.size:
        raise ValueError("nodes contains duplicate indices")
    return a[..., idx[:, None], idx[None, :]]
