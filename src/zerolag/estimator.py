"""Directed, signed connectivity from zero-lag covariances (Schiefer et al. 2018).

``C⁻¹ = (1 − G)ᴴ (1 − G)``, so every ``B`` with ``BᴴB = C⁻¹`` is ``U (1 − G)`` for a unitary ``U``.
Starting from ``B₀ = (C⁻¹)^{1/2}``, the estimator finds the ``U`` that makes ``U B₀`` sparsest off the
diagonal (L1) and returns ``G_est = −offdiag(U B₀)``, row = target, column = source.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy.optimize import linear_sum_assignment
from sklearn.base import BaseEstimator
from sklearn.utils.validation import validate_data

from .optimizers import OPTIMIZERS, FitInfo
from .threads import blas_threads
from .validation import check_covariance

__all__ = ["estimate_connectivity", "fit_connectivity", "inverse_sqrt", "ZeroLagConnectivity"]


def inverse_sqrt(covariance: np.ndarray) -> np.ndarray:
    """``B₀ = (C⁻¹)^{1/2}``, the unique positive-definite square root of the inverse (Eq. 4)."""
    e, w = np.linalg.eigh(covariance)
    return (w / np.sqrt(e)) @ w.conj().T


def _fix_rows(u: np.ndarray, m: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool, int]:
    """Undo a signed (phased) row permutation so the diagonal of ``m`` is the large, real positive one.

    ``‖offdiag(U B₀)‖₁`` does not see row signs (phases) at all, and a row permutation can be a local
    minimum; ``P D U`` is as unitary as ``U``, so both are fixed by reordering and rephasing rows.
    """
    _, perm = linear_sum_assignment(-np.abs(m).T)
    permuted = bool(np.any(perm != np.arange(m.shape[0])))
    u, m = u[perm], m[perm]
    d = np.diag(m)
    phase = np.where(np.abs(d) > 0, d / np.where(np.abs(d) > 0, np.abs(d), 1), 1)
    flips = int(np.sum(np.abs(phase - 1) > 1e-12))
    return u * phase.conj()[:, None], m * phase.conj()[:, None], permuted, flips


def fit_connectivity(
    covariance: np.ndarray, *, optimizer: str = "paper", n_threads: int | None = 1, **options: Any
) -> tuple[np.ndarray, np.ndarray, FitInfo]:
    """Estimate connectivity and return ``(G_est, U, info)``; see :func:`estimate_connectivity`."""
    c = check_covariance(covariance)
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {optimizer!r}; choose one of {sorted(OPTIMIZERS)}")
    minimize = OPTIMIZERS[optimizer]
    with blas_threads(n_threads):
        b0 = inverse_sqrt(c)
        u, m, info = minimize(b0, **options)
        u, m, permuted, flips = _fix_rows(u, m)
        if permuted:  # a permuted local minimum: continue from the repaired point
            u2, m, again = minimize(m, **options)
            u = u2 @ u
            u, m, _, flips = _fix_rows(u, m)
            info.n_iter += again.n_iter
            info.n_linesearch += again.n_linesearch
            info.converged, info.stop_reason = again.converged, again.stop_reason
            info.final_cost = again.final_cost
            info.seconds += again.seconds
        info.row_permutation_fixed, info.sign_flips = permuted, flips
    g = -m
    np.fill_diagonal(g, 0)
    return g, u, info


def estimate_connectivity(
    covariance: np.ndarray,
    *,
    optimizer: str = "paper",
    return_info: bool = False,
    n_threads: int | None = 1,
    **options: Any,
) -> np.ndarray | tuple[np.ndarray, FitInfo]:
    """Estimate directed, signed connectivity from a zero-lag covariance or cross-spectral density.

    Parameters
    ----------
    covariance : array of shape (N, N)
        Real symmetric or complex Hermitian, positive definite.
    optimizer : {"paper"}
        ``"paper"``: the faithful reproduction of the paper's conjugate-gradient optimiser.
    return_info : bool
        Also return the :class:`~zerolag.optimizers.FitInfo` record of the fit.
    n_threads : int or None
        BLAS threads used during the fit (1 is fastest for N ≲ 500; ``None`` leaves the pool alone).
    **options
        Passed to the optimiser, e.g. ``kappa``, ``xtol``, ``gtol``, ``ftol``, ``max_iter``
        (see :func:`zerolag.optimizers.minimize_paper`). For sampled data the paper used
        ``xtol = gtol = 1e-3, ftol = 1e-5``.

    Returns
    -------
    G_est : ndarray of shape (N, N)
        ``G_est[i, j]`` is the estimated coupling from source ``j`` to target ``i``; zero diagonal.
        Rows are scaled by the driving-noise amplitude of their target node.
    info : FitInfo
        Only if ``return_info``.

    Raises
    ------
    ValueError
        If the covariance is not square, not symmetric/Hermitian, not positive definite, has NaN or
        inf, or describes fewer than two nodes; or if the optimiser name is unknown.
    """
    g, _, info = fit_connectivity(covariance, optimizer=optimizer, n_threads=n_threads, **options)
    return (g, info) if return_info else g


class ZeroLagConnectivity(BaseEstimator):
    """Estimator of directed, signed connectivity from zero-lag covariances.

    Parameters
    ----------
    optimizer : {"paper"}
        Optimiser of the L1 objective (see :func:`estimate_connectivity`).
    optimizer_options : dict or None
        Keyword options for the optimiser (``kappa``, ``xtol``, ``gtol``, ``ftol``, ``max_iter`` …).
    covariance : {"empirical", "precomputed"}
        ``"empirical"``: ``fit(X)`` takes a time × nodes array and computes its sample covariance.
        ``"precomputed"``: ``fit(C)`` takes the covariance (or cross-spectral density) itself, as
        :class:`sklearn.covariance.GraphicalLasso` does.
    assume_centered : bool
        Do not subtract the mean before computing the covariance.
    n_threads : int or None
        BLAS threads during the fit.

    Attributes
    ----------
    connectivity_ : ndarray of shape (N, N)
        Estimated coupling, row = target, column = source, zero diagonal.
    covariance_ : ndarray of shape (N, N)
        The covariance the estimate was computed from.
    unitary_ : ndarray of shape (N, N)
        The optimal ``U``; ``(U B₀)ᴴ (U B₀) = C⁻¹``.
    n_iter_ : int
        Optimiser iterations.
    converged_ : bool
        Whether the optimiser met its convergence criterion.
    fit_info_ : FitInfo
        Full record of the fit.
    n_features_in_ : int
        Number of nodes.

    Examples
    --------
    >>> import numpy as np
    >>> from zerolag import ZeroLagConnectivity, covariance_from_network
    >>> g = np.array([[0, 0, 0], [0.5, 0, 0], [0.5, 0, 0]])
    >>> est = ZeroLagConnectivity(covariance="precomputed").fit(covariance_from_network(g))
    >>> est.connectivity_.shape
    (3, 3)
    """

    def __init__(
        self,
        *,
        optimizer: str = "paper",
        optimizer_options: dict | None = None,
        covariance: str = "empirical",
        assume_centered: bool = False,
        n_threads: int | None = 1,
    ) -> None:
        self.optimizer = optimizer
        self.optimizer_options = optimizer_options
        self.covariance = covariance
        self.assume_centered = assume_centered
        self.n_threads = n_threads

    def fit(self, X: np.ndarray, y: None = None) -> ZeroLagConnectivity:
        """Fit from a time × nodes array (or from a covariance if ``covariance="precomputed"``).

        Returns
        -------
        self
        """
        if self.covariance == "precomputed":
            c = check_covariance(X)
        elif self.covariance == "empirical":
            x = validate_data(self, X, ensure_min_samples=2, ensure_min_features=2, dtype="numeric")
            if not self.assume_centered:
                x = x - x.mean(axis=0)
            ddof = 0 if self.assume_centered else 1
            c = check_covariance(x.T @ x / (x.shape[0] - ddof), name="sample covariance of X")
        else:
            raise ValueError(f"covariance must be 'empirical' or 'precomputed', got {self.covariance!r}")
        g, u, info = fit_connectivity(
            c, optimizer=self.optimizer, n_threads=self.n_threads, **(self.optimizer_options or {})
        )
        self.covariance_ = c
        self.connectivity_ = g
        self.unitary_ = u
        self.fit_info_ = info
        self.n_iter_ = info.n_iter
        self.converged_ = info.converged
        self.n_features_in_ = c.shape[0]
        return self
