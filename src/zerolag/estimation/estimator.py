"""scikit-learn/nilearn-style estimator around :func:`zerolag.estimate_connectivity`."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.covariance import ledoit_wolf
from sklearn.utils.validation import validate_data

from ..fmri.group import threshold
from .diagnostics import LagStructureWarning, lag_diagnostic
from .fit import fit_factor, normalise_rows
from .longrun import long_run_bandwidth, long_run_covariance
from .optimizers.paper import DATA_TOLERANCES
from .validation import check_covariance, check_time_series

NAMED_COVARIANCES = ("empirical", "ledoit_wolf", "long_run", "precomputed")
"""The inputs ``covariance`` takes by name (besides a covariance estimator object)."""

SINGLE_ATTRIBUTES = (
    "covariance_", "unitary_", "fit_info_", "noise_sd_", "lag_diagnostic_", "long_run_bandwidth_",
    "covariance_estimator_",
)  # fmt: skip
"""Fitted attributes of one series that a group fit sets to None."""

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
    covariance : {"empirical", "ledoit_wolf", "long_run", "precomputed"} or a covariance estimator
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
        A scikit-learn covariance estimator (an object with ``fit(X)`` that sets ``covariance_``, e.g.
        :class:`sklearn.covariance.OAS` or :class:`~sklearn.covariance.MinCovDet`), as nilearn's
        ``ConnectivityMeasure(cov_estimator=...)`` takes: a clone of it is fitted on the (standardised) time
        series and kept in ``covariance_estimator_``; its own ``assume_centered`` applies.
    standardize : bool
        Scale each node's series to unit variance (the sample standard deviation) before the covariance is
        computed, as the paper does with its signals and ``zerolag estimate`` does by default (its
        ``--no-standardize`` is ``standardize=False``): the sample covariance is then the correlation
        matrix. The estimate depends on the scales of the nodes (the L1 objective weighs them), so this is
        a modelling choice, not a convenience. Time-series input only: a precomputed covariance is used
        as given.
    assume_centered : bool
        Do not subtract the mean before computing the covariance (nor before standardising).
    diagnose : bool
        With a time series (any ``covariance`` but ``"precomputed"``), check whether its zero-lag covariance
        has the structure of its long-run one (:func:`~zerolag.lag_diagnostic`; a few passes over the
        data, no extra fit) and keep the result in ``lag_diagnostic_``. When the verdict is ``"long_run"``
        and the estimate is not from the long-run covariance, a
        :class:`~zerolag.LagStructureWarning` says so and names the better input.
    top_fraction : float
        With one series per subject (``fit`` given a list), the fraction of each subject's strongest
        ``|weights|`` counted in ``selection_counts_``: ``round(top_fraction · N²)`` links, the paper's count
        (0.1: 810 of 90² links).
    n_threads : int or None
        BLAS threads during the fit.

    Notes
    -----
    With ``optimizer="paper"``, a fit from a time series uses the paper's tolerances for sampled data
    (:data:`~zerolag.estimation.optimizers.paper.DATA_TOLERANCES`: ``xtol = gtol = 1e-3``, ``ftol = 1e-5``, as
    ``zerolag estimate --optimizer paper``), a fit from a precomputed covariance the optimiser's own defaults
    (the paper's for noise-free covariances); ``optimizer_options`` overrides either.

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
    covariance_estimator_ : object or None
        The fitted clone of a covariance estimator given as ``covariance``, else None.

    With a list of subjects' series (``fit([X_1, X_2, …])``, every subject with the same nodes), each is
    fitted on its own and the group's quantities replace the per-subject ones above (``covariance_``,
    ``unitary_``, ``fit_info_``, ``noise_sd_``, ``lag_diagnostic_``, ``long_run_bandwidth_`` and
    ``covariance_estimator_`` are None):

    connectivities_, connectivities_normalised_ : ndarray of shape (n_subjects, N, N)
        Each subject's ``connectivity_`` and ``connectivity_normalised_``.
    connectivity_, connectivity_normalised_ : ndarray of shape (N, N)
        Their means over subjects.
    noise_sds_ : ndarray of shape (n_subjects, N)
    covariances_ : ndarray of shape (n_subjects, N, N)
    fit_infos_, lag_diagnostics_, long_run_bandwidths_ : list
        Per subject.
    selection_counts_ : ndarray of shape (N, N), int
        In how many subjects each link is among that subject's strongest ``top_fraction`` (the paper's
        consistency count, e.g. links in ≥ 4 of 7 subjects).
    sign_agreement_ : ndarray of shape (N, N)
        The fraction of subjects whose weight has the sign of ``connectivity_`` (0 where it is 0).
    n_iter_ : ndarray of shape (n_subjects,)
    converged_ : bool
        Whether every subject's fit converged.
    n_subjects_ : int

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
        covariance: str | Any = "empirical",
        standardize: bool = True,
        assume_centered: bool = False,
        diagnose: bool = True,
        top_fraction: float = 0.1,
        n_threads: int | None = 1,
    ) -> None:
        self.optimizer = optimizer
        self.optimizer_options = optimizer_options
        self.noise_aware = noise_aware
        self.covariance = covariance
        self.standardize = standardize
        self.assume_centered = assume_centered
        self.diagnose = diagnose
        self.top_fraction = top_fraction
        self.n_threads = n_threads

    def fit(self, X: np.ndarray | Sequence[np.ndarray], y: None = None) -> ZeroLagConnectivity:
        """Fit from a time × nodes array, a covariance (``covariance="precomputed"``), or a list of them.

        Parameters
        ----------
        X : array of shape (n_samples, N), or (N, N) with ``covariance="precomputed"``; or a list of those
            A list holds one subject each (lengths may differ, nodes may not): each is fitted on its own, and
            the group's attributes are set (see the class's Attributes).
        y : None
            Ignored.

        Returns
        -------
        self
        """
        for name in [k for k in vars(self) if k.endswith("_") and not k.startswith("_")]:
            delattr(self, name)  # a refit leaves nothing of the previous one
        if isinstance(X, (list, tuple)):
            return self._fit_group(X)
        fit = self._fit_one(X, name="X", reset=True)
        for key, value in fit.items():
            setattr(self, key, value)
        return self

    def _fit_one(self, X: Any, *, name: str, reset: bool) -> dict[str, Any]:
        """One series (or covariance): the fitted attributes, by name."""
        c, bandwidth, diagnostic, fitted = self._input_covariance(X, name=name, reset=reset)
        options = dict(self.optimizer_options or {})
        if self.optimizer == "paper" and self.covariance != "precomputed":
            options = {**DATA_TOLERANCES, **options}
        m, u, info = fit_factor(
            c, optimizer=self.optimizer, noise_aware=self.noise_aware, n_threads=self.n_threads, **options
        )
        g = -m
        np.fill_diagonal(g, 0)
        normalised, noise_sd = normalise_rows(m)
        return {
            "covariance_": c,
            "covariance_estimator_": fitted,
            "long_run_bandwidth_": bandwidth,
            "lag_diagnostic_": diagnostic,
            "connectivity_": g,
            "connectivity_normalised_": normalised,
            "noise_sd_": noise_sd,
            "unitary_": u,
            "fit_info_": info,
            "n_iter_": info.n_iter,
            "converged_": info.converged,
            "n_features_in_": c.shape[0],
        }

    def _input_covariance(self, X: Any, *, name: str, reset: bool) -> tuple[np.ndarray, int | None, Any, Any]:
        """The covariance to fit, the long-run bandwidth, the lag diagnostic and a fitted covariance estimator."""
        estimator = None if isinstance(self.covariance, str) else self.covariance
        if estimator is not None and not hasattr(estimator, "fit"):
            raise ValueError(
                f"covariance must be one of {NAMED_COVARIANCES} or a scikit-learn covariance estimator (an object "
                f"with fit(X) that sets covariance_, e.g. sklearn.covariance.OAS()), got {estimator!r}"
            )
        if estimator is None and self.covariance not in NAMED_COVARIANCES:
            raise ValueError(
                f"covariance must be 'empirical', 'ledoit_wolf', 'long_run' or 'precomputed', got {self.covariance!r}"
            )
        if self.covariance == "precomputed":
            c = check_covariance(X, name=f"{name} (covariance='precomputed')" if name != "X" else "covariance")
            if not reset and c.shape[0] != self.n_features_in_:
                raise ValueError(f"{name} has {c.shape[0]} nodes, the first subject {self.n_features_in_}")
            self.n_features_in_ = c.shape[0]
            return c, None, None, None
        shrunk = estimator is not None or self.covariance == "ledoit_wolf"
        x = validate_data(
            self, X, reset=reset, ensure_min_samples=2, ensure_min_features=2, dtype="numeric", ensure_all_finite=False
        )
        needed = x.shape[1] + (0 if self.assume_centered else 1)
        if not shrunk and x.shape[0] < needed:
            raise ValueError(
                f"{name} has {x.shape[0]} samples (rows) for {x.shape[1]} nodes (columns): the sample "
                f"covariance is singular below {needed} samples. Use covariance='ledoit_wolf' (shrinkage), "
                "fewer nodes, or more samples; check that X is time × nodes, not nodes × time"
            )
        x = check_time_series(x, name=name, allow_duplicates=shrunk)
        if self.standardize:
            x = standardise(x, assume_centered=self.assume_centered)
        bandwidth = fitted = None
        if estimator is not None:
            fitted = clone(estimator).fit(x)
            if getattr(fitted, "covariance_", None) is None:
                raise ValueError(
                    f"covariance={estimator!r} set no covariance_ when fitted: give a scikit-learn covariance "
                    "estimator (e.g. sklearn.covariance.OAS()), or compute the covariance and use 'precomputed'"
                )
            c = check_covariance(fitted.covariance_, name=f"covariance_ of {type(estimator).__name__} on {name}")
        elif self.covariance == "ledoit_wolf":
            c = check_covariance(
                ledoit_wolf(x, assume_centered=self.assume_centered)[0], name=f"Ledoit-Wolf covariance of {name}"
            )
        elif self.covariance == "long_run":
            bandwidth = long_run_bandwidth(x, assume_centered=self.assume_centered)
            c = check_covariance(
                long_run_covariance(x, bandwidth=bandwidth, assume_centered=self.assume_centered),
                name=f"long-run covariance of {name}",
            )
        else:
            centred = x if self.assume_centered else x - x.mean(axis=0)
            ddof = 0 if self.assume_centered else 1
            c = check_covariance(centred.T @ centred / (x.shape[0] - ddof), name=f"sample covariance of {name}")
        diagnostic = None
        if self.diagnose:  # after the long-run bandwidth, which it reuses
            diagnostic = lag_diagnostic(x, bandwidth=None if self.assume_centered else bandwidth)
            if diagnostic.verdict == "long_run" and self.covariance != "long_run":
                warnings.warn(f"{name}: {diagnostic.message}", LagStructureWarning, stacklevel=4)
        return c, bandwidth, diagnostic, fitted

    def _fit_group(self, subjects: Sequence[Any]) -> ZeroLagConnectivity:
        if not len(subjects):
            raise ValueError("X is an empty list: give one time × nodes array per subject")
        if not 0 < self.top_fraction <= 1:
            raise ValueError(f"top_fraction must lie in (0, 1], got {self.top_fraction}")
        fits = []
        for i, x in enumerate(subjects):
            try:
                fits.append(self._fit_one(x, name=f"X[{i}]", reset=i == 0))
            except ValueError as exc:
                raise ValueError(f"subject {i} (X[{i}]): {exc}") from exc
        g = np.stack([f["connectivity_"] for f in fits])
        n = g.shape[1]
        kept = np.array([threshold(one, self.top_fraction) for one in g])
        mean = g.mean(axis=0)
        self.connectivities_ = g
        self.connectivities_normalised_ = np.stack([f["connectivity_normalised_"] for f in fits])
        self.connectivity_ = mean
        self.connectivity_normalised_ = self.connectivities_normalised_.mean(axis=0)
        self.noise_sds_ = np.stack([f["noise_sd_"] for f in fits])
        self.covariances_ = np.stack([f["covariance_"] for f in fits])
        self.fit_infos_ = [f["fit_info_"] for f in fits]
        self.lag_diagnostics_ = [f["lag_diagnostic_"] for f in fits]
        self.long_run_bandwidths_ = [f["long_run_bandwidth_"] for f in fits]
        self.selection_counts_ = kept.sum(axis=0)
        self.sign_agreement_ = np.where(mean != 0, (np.sign(g) == np.sign(mean)).mean(axis=0), 0.0)
        self.n_iter_ = np.array([f["n_iter_"] for f in fits])
        self.converged_ = all(f["converged_"] for f in fits)
        self.n_subjects_ = len(fits)
        self.n_features_in_ = n
        for name in SINGLE_ATTRIBUTES:
            setattr(self, name, None)
        return self


def standardise(x: np.ndarray, *, assume_centered: bool = False) -> np.ndarray:
    """Each column scaled to unit variance: the z-score with the sample sd, or ``x / √mean(x²)`` if centred.

    The sample covariance of the result (``ddof = 1``; ``0`` when centred) is the correlation matrix, as
    after :func:`zerolag.fmri.cleaning.clean_signals` with ``standardize=True``.
    """
    if assume_centered:
        return x / np.sqrt(np.mean(x**2, axis=0))
    return (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
