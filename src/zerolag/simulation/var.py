"""A network whose coupling acts with a lag of one sample: the VAR(1) process ``x_t = G x_{t−1} + ξ_t``.

Its zero-lag covariance solves ``Γ(0) = G Γ(0) Gᵀ + 1`` and is not of the model's form
``(1 − G)⁻¹ (1 − G)⁻ᵀ``; its long-run covariance ``Σ_k Γ(k)`` is exactly that
(:mod:`zerolag.estimation.longrun`). Row index = target, column index = source, as everywhere in
:mod:`zerolag`.
"""

from __future__ import annotations

import numpy as np
import scipy.linalg

from .networks import check_random_state

__all__ = ["simulate_var1", "var1_stationary_covariance"]


def _check(g: object) -> np.ndarray:
    g = np.asarray(g, dtype=float)
    if g.ndim != 2 or g.shape[0] != g.shape[1] or g.shape[0] < 1:
        raise ValueError(f"g must be a square coupling matrix, got shape {g.shape}")
    if not np.all(np.isfinite(g)):
        raise ValueError("g contains NaN or inf")
    radius = float(np.max(np.abs(np.linalg.eigvals(g))))
    if radius >= 1 - 1e-9:
        raise ValueError(
            f"g is unstable for x_t = G x_(t-1) + noise: its spectral radius is {radius:.4g} >= 1 "
            "(the process does not settle); use a network with rho < 1"
        )
    return g


def var1_stationary_covariance(g: np.ndarray) -> np.ndarray:
    """``Γ(0)``, the solution of ``Γ(0) = G Γ(0) Gᵀ + 1``: the zero-lag covariance of the VAR(1) process.

    Parameters
    ----------
    g : array of shape (N, N)
        Coupling matrix with spectral radius below 1.

    Returns
    -------
    numpy.ndarray of shape (N, N)

    Raises
    ------
    ValueError
        If ``g`` is not a finite square matrix of spectral radius below 1.
    """
    g = _check(g)
    sigma = scipy.linalg.solve_discrete_lyapunov(g, np.eye(g.shape[0]))
    return (sigma + sigma.T) / 2


def simulate_var1(g: np.ndarray, n_samples: int, *, random_state: int | np.random.Generator | None) -> np.ndarray:
    """Simulate ``x_t = G x_{t−1} + ξ_t`` with ``ξ_t ~ N(0, 1)``, starting from the stationary distribution.

    The first sample is drawn from ``N(0, Γ(0))`` (:func:`var1_stationary_covariance`), so there is no
    burn-in transient; then the random numbers are drawn in time order, one block for the whole series.

    Parameters
    ----------
    g : array of shape (N, N)
        Coupling matrix, row = target, column = source; spectral radius below 1.
    n_samples : int
        Samples T (≥ 1).
    random_state : int, numpy.random.Generator or None
        Source of randomness.

    Returns
    -------
    numpy.ndarray of shape (T, N)
        Every sample is distributed as ``N(0, Γ(0))``; the long-run covariance is ``(1 − G)⁻¹ (1 − G)⁻ᵀ``.

    Raises
    ------
    ValueError
        If ``g`` is not a finite square matrix of spectral radius below 1, or ``n_samples < 1``.

    Examples
    --------
    >>> import numpy as np
    >>> g = np.array([[0.0, 0.0], [0.8, 0.0]])  # node 0 drives node 1 one sample later
    >>> x = simulate_var1(g, 200_000, random_state=0)
    >>> bool(abs(np.cov(x.T)[0, 1]) < 0.01)  # nothing at lag 0
    True
    >>> round(float(np.mean(x[1:, 1] * x[:-1, 0])), 1)  # all of it at lag 1
    0.8
    """
    g = _check(g)
    if int(n_samples) != n_samples or n_samples < 1:
        raise ValueError(f"n_samples must be a whole number >= 1, got {n_samples}")
    n_samples = int(n_samples)
    rng = check_random_state(random_state)
    n = g.shape[0]
    chol = np.linalg.cholesky(var1_stationary_covariance(g))
    x = rng.standard_normal((n_samples, n))
    x[0] = chol @ x[0]
    gt = g.T
    for t in range(1, n_samples):
        x[t] += x[t - 1] @ gt
    return x
