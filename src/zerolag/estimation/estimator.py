"""scikit-learn/nilearn-style estimator around :func:`zerolag.estimate_connectivity`."""

from __future__ import annotations

import warnings

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.covariance import ledoit_wolf
from sklearn.utils.validation import validate_data

from .diagnostics import LagStructureWarning, lag_diagnostic
from .fit import fit_factor, normalise_rows
from .longrun import long_run_bandwidth, long_run_covariance
from .validation import check_covariance, check_time_series

__all__ = ["ZeroLagConnectivity"]


class ZeroLagConnectivity(BaseEstimator):
    """Estimator of directed, signed connectivity from zero-lag covariances.

    Parameters
    ----------
    optimizer : {"fast", "paper"}
        Optimiser of the L1 objective (see :func:`estimate_connectivity`); ``"paper"`` is the
        paper's own, ``"fast"`` (default) reaches lower minima 5–16× faster.
    optimizer_options : dict or None
        Keyword options for the optimiser (``max_iter``, ``ftol`` … for ``"fast"``; ``kappa``,
        ``xtol``, ``gtol``, ``ftol``, ``max_iter`` for ``"paper"``).
    noise_aware : bool
        Refit on the covariance rescaled by the recovered noise standard deviations until they are
        self-consistent (not in the paper; see :func:`estimate_connectivity`): better recovery (AUC) when the
        driving-noise variances differ, no loss when they are equal, 3–10× the time.
    covariance : {"empirical", "ledoit_wolf", "long_run", "precomputed"}
        ``"empirical"``: ``fit(X)`` takes a time × nodes array and computes its sample covariance.
        ``"ledoit_wolf"``: the same, shrunk towards a scaled identity by the Ledoit–Wolf estimate
        (:func:`sklearn.covariance.ledoit_wolf`); positive definite even with fewer samples than
        nodes, where the sample covariance is singular.
        ``"long_run"``: ``fit(X)`` takes a time × nodes array and computes its long-run (zero-frequency)
        covariance ``Σ_k Γ(k)`` (:func:`~zerolag.long_run_covariance`: Bartlett lag window, bandwidth
        from the data, stored in ``long_run_bandwidth_``), the model's form when the coupling acts with a
        lag, e.g. ``x_t = G x_{t−1} + ξ_t``, where the zero-lag covariance is not. For another method or
        bandwidth pass ``long_run_covariance(X, ...)`` with ``"precomputed"``.
        ``"precomputed"``: ``fit(C)`` takes the covariance (or cross-spectral density) itself, as
        :class:`sklearn.covariance.GraphicalLasso` does.
    assume_centered : bool
        Do not subtract the mean before computing the covariance.
    diagnose : bool
        With a time series (any ``covariance`` but ``"precomputed"``), check whether its zero-lag covariance
        has the structure of its long-run one (:func:`~zerolag.lag_diagnostic`; a few passes over the
        data, no extra fit) and keep the result in ``lag_diagnostic_``. When the verdict is ``"long_run"``
        and the estimate is not from the long-run covariance, a
        :class:`~zerolag.LagStructureWarning` says so and names the better input.
    n_threads : int or None
        BLAS threads during the fit.

    Attributes
    ----------
    connectivity_ : ndarray of shape (N, N)
        Estimated coupling, row = target, column = source, zero diagonal: ``−offdiag(M)`` for the
        factor ``M = U B₀``, so row ``i`` is divided by the driving-noise sd ``σ_i`` of its target.
    connectivity_normalised_ : ndarray of shape (N, N)
        The coupling in the units of ``G``: ``−M_ij / M_ii``, zero diagonal
        (:func:`~zerolag.estimation.fit.normalise_rows`); ``connectivity_ = connectivity_normalised_ /
        noise_sd_[:, None]``. Equal to ``G`` wherever the fit reaches the true factor ``D^{-1/2}(1 − G)``,
        whatever the noise variances. A row whose ``M_ii`` is not positive is NaN, with a
        :class:`~zerolag.estimation.fit.NonPositiveDiagonalWarning`.
    noise_sd_ : ndarray of shape (N,)
        Recovered driving-noise standard deviations ``σ̂_i = 1 / M_ii`` (NaN where ``M_ii`` is not positive).
    covariance_ : ndarray of shape (N, N)
        The covariance the estimate was computed from.
    long_run_bandwidth_ : int or None
        The bandwidth (samples) of the long-run covariance with ``covariance="long_run"``, else None.
    lag_diagnostic_ : LagDiagnostic or None
        Whether the zero-lag covariance was the right input (see ``diagnose``); None for a precomputed
        covariance or with ``diagnose=False``.
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
    Three regions drive a fourth (row = target, column = source), one of them inhibitory; from the exact
    covariance of that network the estimator recovers it, directions and signs:

    >>> import numpy as np
    >>> from zerolag import ZeroLagConnectivity, covariance_from_network
    >>> g = np.zeros((4, 4))
    >>> g[3, :3] = [0.5, 0.5, -0.5]
    >>> est = ZeroLagConnectivity(covariance="precomputed").fit(covariance_from_network(g))
    >>> print(np.round(est.connectivity_, 3) + 0.0)
    [[ 0.   0.   0.   0. ]
     [ 0.   0.   0.   0. ]
     [ 0.   0.   0.   0. ]
     [ 0.5  0.5 -0.5  0. ]]
    >>> est.converged_
    True
    """

    def __init__(
        self,
        *,
        optimizer: str = "fast",
        optimizer_options: dict | None = None,
        noise_aware: bool = False,
        covariance: str = "empirical",
        assume_centered: bool = False,
        diagnose: bool = True,
        n_threads: int | None = 1,
    ) -> None:
        self.optimizer = optimizer
        self.optimizer_options = optimizer_options
        self.noise_aware = noise_aware
        self.covariance = covariance
        self.assume_centered = assume_centered
        self.diagnose = diagnose
        self.n_threads = n_threads

    def fit(self, X: np.ndarray, y: None = None) -> ZeroLagConnectivity:
        """Fit from a time × nodes array (or from a covariance if ``covariance="precomputed"``).

        Returns
        -------
        self
        """
        bandwidth = diagnostic = None
        if self.covariance == "precomputed":
            c = check_covariance(X)
        elif self.covariance in ("empirical", "ledoit_wolf", "long_run"):
            x = validate_data(
                self, X, ensure_min_samples=2, ensure_min_features=2, dtype="numeric", ensure_all_finite=False
            )
            needed = x.shape[1] + (0 if self.assume_centered else 1)
            if self.covariance in ("empirical", "long_run") and x.shape[0] < needed:
                raise ValueError(
                    f"X has {x.shape[0]} samples (rows) for {x.shape[1]} nodes (columns): the sample "
                    f"covariance is singular below {needed} samples. Use covariance='ledoit_wolf' (shrinkage), "
                    "fewer nodes, or more samples; check that X is time × nodes, not nodes × time"
                )
            x = check_time_series(x, allow_duplicates=self.covariance == "ledoit_wolf")
            if self.covariance == "ledoit_wolf":
                c = check_covariance(
                    ledoit_wolf(x, assume_centered=self.assume_centered)[0], name="Ledoit-Wolf covariance of X"
                )
            elif self.covariance == "long_run":
                bandwidth = long_run_bandwidth(x, assume_centered=self.assume_centered)
                c = check_covariance(
                    long_run_covariance(x, bandwidth=bandwidth, assume_centered=self.assume_centered),
                    name="long-run covariance of X",
                )
            if self.diagnose:  # after the long-run bandwidth, which it reuses
                diagnostic = lag_diagnostic(x, bandwidth=None if self.assume_centered else bandwidth)
                if diagnostic.verdict == "long_run" and self.covariance != "long_run":
                    warnings.warn(f"X: {diagnostic.message}", LagStructureWarning, stacklevel=2)
            if self.covariance == "empirical":
                if not self.assume_centered:
                    x = x - x.mean(axis=0)
                ddof = 0 if self.assume_centered else 1
                c = check_covariance(x.T @ x / (x.shape[0] - ddof), name="sample covariance of X")
        else:
            raise ValueError(
                f"covariance must be 'empirical', 'ledoit_wolf', 'long_run' or 'precomputed', got {self.covariance!r}"
            )
        m, u, info = fit_factor(
            c,
            optimizer=self.optimizer,
            noise_aware=self.noise_aware,
            n_threads=self.n_threads,
            **(self.optimizer_options or {}),
        )
        g = -m
        np.fill_diagonal(g, 0)
        self.covariance_ = c
        self.long_run_bandwidth_ = bandwidth
        self.lag_diagnostic_ = diagnostic
        self.connectivity_ = g
        self.connectivity_normalised_, self.noise_sd_ = normalise_rows(m)
        self.unitary_ = u
        self.fit_info_ = info
        self.n_iter_ = info.n_iter
        self.converged_ = info.converged
        self.n_features_in_ = c.shape[0]
        return self
