"""Lag-based peers: VAR(1) coefficients and conditional Granger causality (lag 1).

The first-order vector autoregression ``x(t) = c + A x(t − 1) + e(t)`` is fitted by least squares,
``A = C₁ C₀⁻¹`` with ``C₁ = Σ_t x̃(t) x̃(t − 1)ᵀ`` and ``C₀ = Σ_t x̃(t − 1) x̃(t − 1)ᵀ`` (x̃: centred on
the regression samples). ``A[i, j]`` is the effect of j's past on i: row = target, column = source,
this package's orientation natively.

Granger causality (Granger 1969, Econometrica 37:424) conditional on all other nodes: the F statistic
of the restriction ``A[i, j] = 0`` in the full VAR(1). For one linear restriction in least squares it
equals the squared t statistic, ``F = A[i, j]² / (s_i² [C₀⁻¹]_jj)`` with ``s_i²`` the residual
variance of node i on ``T − 1 − N − 1`` degrees of freedom — the same number a restricted regression
gives (tested). :func:`granger` returns ``sign(A[i, j]) · F`` (ranked by F, signed by the coefficient).
Written with NumPy: the full model gives every pairwise F at once, no per-pair regressions
(statsmodels is not needed).
"""

from __future__ import annotations

import numpy as np

from ._common import check_timeseries

__all__ = ["var1", "var1_fit", "granger"]


def var1_fit(timeseries: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Least-squares VAR(1): ``(A, residuals, C₀⁻¹, degrees of freedom)``."""
    x = check_timeseries(timeseries)
    t, n = x.shape
    dof = t - 1 - n - 1
    if dof < 1:
        raise ValueError(
            f"a VAR(1) of {n} nodes needs more than {n + 2} samples, got {t}: use longer recordings or fewer nodes"
        )
    past, now = x[:-1], x[1:]
    past = past - past.mean(axis=0)
    now = now - now.mean(axis=0)
    c0 = past.T @ past
    c1 = now.T @ past
    try:
        c0_inv = np.linalg.inv(c0)
    except np.linalg.LinAlgError as exc:
        raise ValueError("the lagged covariance is singular (duplicated channels?): remove redundant channels") from exc
    a = c1 @ c0_inv
    resid = now - past @ a.T
    return a, resid, c0_inv, dof


def var1(timeseries: np.ndarray) -> np.ndarray:
    """Off-diagonal VAR(1) coefficients, ``G[i, j]`` = effect of ``x_j(t − 1)`` on ``x_i(t)``."""
    a, *_ = var1_fit(timeseries)
    g = a.copy()
    np.fill_diagonal(g, 0)
    return g


def granger(timeseries: np.ndarray) -> np.ndarray:
    """Signed conditional Granger F statistics, ``G[i, j] = sign(A_ij) F_{j→i}`` (zero diagonal)."""
    a, resid, c0_inv, dof = var1_fit(timeseries)
    s2 = np.sum(resid**2, axis=0) / dof
    f = a**2 / (s2[:, None] * np.diag(c0_inv)[None, :])
    g = np.sign(a) * f
    np.fill_diagonal(g, 0)
    return g
