"""Which links can be trusted: block-bootstrap statistics and surrogate nulls for the estimate of a series.

:func:`bootstrap_connectivity` fits the series (its zero-lag sample covariance, as
``ZeroLagConnectivity(covariance="empirical")``), then refits

* **block-bootstrap resamples** (:mod:`~zerolag.estimation.bootstrap`): blocks of consecutive samples keep
  the autocorrelation; each resample's covariance is a product of its block counts with precomputed block
  sums, and each refit starts from the full-data solution (a warm start, ``warm_start=True``). From them,
  per link: mean, sd, percentile interval, sign stability and selection frequency;
* **surrogates** (:mod:`~zerolag.estimation.surrogates`, ``n_surrogates > 0``): each channel's Fourier phases
  randomised independently, which keeps every channel's spectrum and removes all coupling
  (``null_model="independent"``, the default); or (``null_model="network"``, :mod:`~zerolag.estimation.network_null`)
  the fitted network's strongest links kept and its innovations phase-randomised, a null for an absent link of
  the coupled network. Their refits give p-values and Benjamini–Hochberg q-values. Surrogates are fitted from
  ``U = 1`` as the data were: a warm start from the data's solution would pull the null towards the observed
  network.

Every resample and surrogate has its own seed, spawned from ``random_state`` (``numpy.random.SeedSequence``),
and they are refitted in fixed batches of :data:`RESAMPLES_PER_TASK`, in parallel over ``n_jobs`` processes
with one BLAS thread each: the result depends on ``random_state`` only, not on ``n_jobs``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from sklearn.utils.parallel import Parallel, delayed

from ..scoring.metrics import kept_count
from ..threads import blas_threads
from .bootstrap import SCHEMES, BlockSums, block_grid, data_block_length
from .fit import NotConvergedWarning, fit_factor
from .link_statistics import BootstrapResult, bootstrap_statistics
from .network_null import NULL_MODELS, NetworkSurrogates, null_network
from .optimizers.paper import DATA_TOLERANCES
from .spectra import check_enough_samples
from .surrogates import NULLS, SurrogateSpectrum, bh_q_values, check_surrogate_length, permutation_p_values
from .validation import check_time_series

__all__ = ["RESAMPLES_PER_TASK", "BootstrapResult", "bootstrap_connectivity"]

Progress = Callable[[str, int, int], None]
"""``progress(kind, done, total)``: called as each batch of refits is done (kind ``"block-bootstrap resample"`` or
``"surrogate"`` or ``"network surrogate"``)."""

RESAMPLES_PER_TASK = 16
"""Resamples (or surrogates) per parallel task; fixed, so that the batches do not depend on ``n_jobs``."""


def _count(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 0:
        raise ValueError(f"{name} must be a whole number ≥ 0, got {value!r}")
    return int(value)


def _seed_sequence(random_state: int | np.random.Generator | None) -> np.random.SeedSequence:
    if isinstance(random_state, np.random.Generator):
        return np.random.SeedSequence(random_state.integers(0, 2**63, size=4).tolist())
    if random_state is None or (isinstance(random_state, (int, np.integer)) and not isinstance(random_state, bool)):
        return np.random.SeedSequence(None if random_state is None else int(random_state))
    raise TypeError(f"random_state must be an int, a numpy.random.Generator or None, got {type(random_state).__name__}")


def _check_series(X: object, assume_centered: bool) -> np.ndarray:
    x = np.asarray(X)
    if x.ndim != 2:
        raise ValueError(f"X must be a 2-D time × regions array, got shape {x.shape}")
    if x.shape[0] == x.shape[1] and np.issubdtype(x.dtype, np.number) and np.all(np.isfinite(x)):
        scale = float(np.max(np.abs(x))) or 1.0
        if np.allclose(x, x.T, rtol=0, atol=1e-10 * scale) and np.all(np.diag(x) > 0):
            raise ValueError(
                f"X is a square symmetric {x.shape[0]} × {x.shape[0]} matrix with a positive diagonal, i.e. a "
                "covariance: bootstrap needs the time series (samples × regions), not a covariance. Pass the "
                "signals; a covariance alone goes to zerolag.estimate_connectivity"
            )
    x = check_time_series(x)
    check_enough_samples(x.shape[0], x.shape[1], centered=not assume_centered)
    return x


def _covariance(x: np.ndarray, assume_centered: bool) -> np.ndarray:
    if assume_centered:
        return x.T @ x / x.shape[0]
    z = x - x.mean(axis=0)
    return z.T @ z / (x.shape[0] - 1)


def _correlation(c: np.ndarray) -> np.ndarray:
    """``C`` scaled to unit diagonal: the covariance of the resample's series standardised on their own."""
    sd = np.sqrt(np.diag(c))
    return c / np.outer(sd, sd)


def _weights(m: np.ndarray) -> np.ndarray:
    g = -m
    np.fill_diagonal(g, 0)
    return g


def _refit_batch(
    source: BlockSums | SurrogateSpectrum | NetworkSurrogates,
    seeds: Sequence[np.random.SeedSequence],
    u0: np.ndarray | None,
    fit_options: dict[str, Any],
    standardize: bool,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Weights, L1 costs and convergence of the refits of the resamples (or surrogates) drawn from ``seeds``."""
    with blas_threads(1), warnings.catch_warnings():
        warnings.simplefilter("ignore", NotConvergedWarning)
        covariances = source.covariances(seeds)
        if standardize:
            covariances = [_correlation(c) for c in covariances]
        try:
            out = [fit_factor(c, u0=u0, **fit_options) for c in covariances]
        except ValueError as exc:  # a singular covariance: too few distinct samples in a resample
            raise ValueError(
                f"a {source.kind} could not be refitted ({exc}); use a shorter block_length or a longer series"
            ) from exc
    return (
        np.array([_weights(m) for m, _, _ in out]),
        np.array([info.final_cost for _, _, info in out]),
        np.array([info.converged for _, _, info in out]),
    )


def _refit_all(
    source: BlockSums | SurrogateSpectrum | NetworkSurrogates,
    root: np.random.SeedSequence,
    count: int,
    u0: np.ndarray | None,
    fit_options: dict[str, Any],
    n_jobs: int | None,
    standardize: bool,
    progress: Progress | None = None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    seeds = root.spawn(count)
    batches = [seeds[i : i + RESAMPLES_PER_TASK] for i in range(0, count, RESAMPLES_PER_TASK)]
    tasks = (delayed(_refit_batch)(source, b, u0, fit_options, standardize) for b in batches)
    parts, done = [], 0
    for part in Parallel(n_jobs=n_jobs, return_as="generator")(tasks):  # in order, as they finish
        parts.append(part)
        done += len(part[0])
        if progress is not None:
            progress(source.kind, done, count)
    return tuple(np.concatenate([part[k] for part in parts]) for k in range(3))


def bootstrap_connectivity(
    X: np.ndarray,
    *,
    n_resamples: int = 1000,
    block_length: int | None = None,
    block_stride: int | None = None,
    scheme: str = "moving",
    n_surrogates: int = 0,
    confidence: float = 0.95,
    top_fraction: float = 0.1,
    warm_start: bool = True,
    random_state: int | np.random.Generator | None = None,
    n_jobs: int | None = 1,
    optimizer: str = "fast",
    noise_aware: bool = False,
    assume_centered: bool = False,
    standardize: bool = True,
    progress: Progress | None = None,
    null_distribution: str = "per_link",
    null_model: str = "independent",
    **options: Any,
) -> BootstrapResult:
    """Bootstrap statistics and surrogate p-values of the connectivity estimated from a time series.

    Parameters
    ----------
    X : array of shape (T, N)
        The signals, time × regions (not a covariance: resampling needs the samples).
    n_resamples : int
        Block-bootstrap resamples (0: none). At least ``2 / (1 − confidence)``, so that both percentiles of the
        interval lie among the resamples.
    block_length : int or None
        Samples per block (the mean for ``"stationary"``), below ``T/2``; None chooses it from the data:
        Politis & White's automatic block length for ``scheme`` per channel, their 0.9 quantile, capped at
        ``T // (N + 1)`` (:func:`~zerolag.estimation.bootstrap.data_block_length`; white observation noise
        barely moves it, as it changes only the lag-0 autocovariance). It is rounded to a whole number of
        chunks (:mod:`~zerolag.estimation.bootstrap`); the result records the length used.
    block_stride : int or None
        Samples per chunk of the precomputed block sums: block starts lie on this grid. None: the smallest
        stride with at most 256 MB of block sums and at least 8 block starts per block length; 1 is the exact
        moving-block bootstrap.
    scheme : {"moving", "stationary"}
        Moving blocks of fixed length (default), or the stationary bootstrap's geometric lengths on a circle.
    n_surrogates : int
        Phase-randomised surrogates for the p-values (0: none), of ``null_model``. The smallest per-link p-value
        is ``1 / (1 + n_surrogates)``: 99 surrogates or more for p < 0.01.
    confidence : float
        Level of the percentile interval ``[ci_low, ci_high]``, in (0, 1).
    top_fraction : float
        The selection of :attr:`BootstrapResult.selection_frequency`: the strongest
        ``round(top_fraction · N²)`` links of a resample (the paper's 10 %); with ``null_model="network"``,
        also the links the network null keeps (the full fit's strongest, ``kept`` of the table).
    warm_start : bool
        Start each resample's refit from the full-data solution (``u0`` of
        :func:`~zerolag.estimation.fit.fit_factor`) instead of ``U = 1``. The objective is not convex; a warm
        start keeps the refits near the full-data solution's minimum.
    random_state : int, numpy.random.Generator or None
        Seeds every resample and surrogate; the same value gives the same result for any ``n_jobs``.
    n_jobs : int or None
        Processes for the refits (joblib; -1: all cores), one BLAS thread each.
    optimizer, noise_aware, **options
        As :func:`~zerolag.estimate_connectivity`, for the full fit and every refit; ``optimizer="paper"`` with
        the paper's tolerances for data unless ``options`` sets them (as :class:`~zerolag.ZeroLagConnectivity`).
    assume_centered : bool
        Do not subtract the mean (covariances divide by the number of samples).
    null_distribution : {"per_link", "pooled"}
        A link's p-value against its own surrogate values (never below ``1 / (1 + n_surrogates)``), or against
        every link's (:func:`~zerolag.estimation.surrogates.permutation_p_values`): the resolution false-discovery
        control over thousands of links needs, valid when the links share a null distribution. With
        ``null_model="network"`` only the links absent from its network are draws: pooled over them, or per
        link for them (the kept links against the pooled draws).
    null_model : {"independent", "network"}
        What the surrogates keep. ``"independent"``: each channel's spectrum, no coupling at all (the null
        ``G = 0``, which declares too many absent links of a coupled network: their estimates carry the fit's
        errors on the coupled links). ``"network"``: the full fit's strongest ``top_fraction`` links, with the
        innovations of that network phase-randomised (:mod:`~zerolag.estimation.network_null`): the null of an
        absent link in this network. Needs ``n_surrogates > 0``.
    progress : callable or None
        ``progress(kind, done, total)`` after each batch of refits, ``kind`` ``"block-bootstrap resample"``,
        ``"surrogate"`` or ``"network surrogate"`` (e.g. a progress bar; ``zerolag estimate --bootstrap`` draws
        one on a terminal).
    standardize : bool
        Fit correlation matrices, as :class:`~zerolag.ZeroLagConnectivity` and ``zerolag estimate`` do by
        default: the full data's and each resample's and surrogate's covariance scaled to unit diagonal (each
        resample's series standardised on their own), so ``weights`` is ``ZeroLagConnectivity().fit(X)``'s
        ``connectivity_``. ``False`` fits the covariances in the data's units.

    Returns
    -------
    BootstrapResult
        Arrays ``(N, N)`` and :meth:`~BootstrapResult.to_frame`.

    Notes
    -----
    With ``null_model="independent"`` and ``null_distribution="per_link"``, ``p`` is each link's ``|weight|``
    against the same link's surrogate distribution,
    ``p = (1 + #{|null| ≥ |weight|}) / (1 + n_surrogates)`` (two-sided; the +1 counts the data as one draw of
    the null, so ``p`` is valid at every level). It is not a max-statistic (family-wise) p-value; control the
    multiplicity with ``q``, the Benjamini–Hochberg adjustment over the ``N (N − 1)`` links (false discovery
    rate; valid for independent or positively dependent p-values).

    Raises
    ------
    ValueError
        Naming the option and the fix: too few resamples for ``confidence``; ``block_length`` or ``block_stride``
        out of range (e.g. a block of at least half the series); a series too short for ``n_surrogates``;
        ``null_model="network"`` without surrogates, or with a ``top_fraction`` that leaves no link absent;
        ``X`` a covariance, not samples; NaN or inf, constant or duplicated channels, fewer samples than
        regions; an unknown ``scheme`` or optimiser option.

    Examples
    --------
    Three regions drive a fourth (row = target, column = source), one of them inhibitory; 2 000 independent
    samples of ``x = (1 − G)⁻¹ v``:

    >>> import numpy as np
    >>> g = np.zeros((4, 4))
    >>> g[3, :3] = [0.5, 0.5, -0.5]
    >>> x = np.random.default_rng(0).standard_normal((2000, 4)) @ np.linalg.inv(np.eye(4) - g).T
    >>> res = bootstrap_connectivity(x, n_resamples=40, n_surrogates=19, random_state=0)
    >>> print(np.round(res.weights[3, :3], 1), res.sign_stability[3, :3], res.p[3, :3])
    [ 0.5  0.5 -0.5] [1. 1. 1.] [0.05 0.05 0.05]
    >>> res.to_frame().columns.tolist()[3:]  # after target, source, weight
    ['kept', 'mean', 'sd', 'ci_low', 'ci_high', 'sign_stability', 'selection_frequency', 'p', 'q']
    """
    n_resamples, n_surrogates = _count(n_resamples, "n_resamples"), _count(n_surrogates, "n_surrogates")
    if scheme not in SCHEMES:
        raise ValueError(f"scheme must be one of {', '.join(map(repr, SCHEMES))}, got {scheme!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must lie in (0, 1), e.g. 0.95, got {confidence!r}")
    need = math.ceil(2 / (1 - confidence) - 1e-9)
    if 0 < n_resamples < need:
        raise ValueError(
            f"n_resamples = {n_resamples} is too few for a {confidence:g} interval: its percentiles "
            f"{(1 - confidence) / 2:g} and {(1 + confidence) / 2:g} need at least 2 / (1 − confidence) = {need} "
            "resamples. Raise n_resamples or lower confidence"
        )
    if null_distribution not in NULLS:
        raise ValueError(f"null_distribution must be one of {NULLS}, got {null_distribution!r}")
    if null_model not in NULL_MODELS:
        raise ValueError(f"null_model must be one of {NULL_MODELS}, got {null_model!r}")
    if null_model == "network" and n_surrogates == 0:
        raise ValueError(
            "null_model='network' draws its null from surrogates: set n_surrogates (e.g. 199), or drop null_model"
        )
    if n_resamples == n_surrogates == 0:
        raise ValueError("n_resamples and n_surrogates are both 0: ask for resamples, surrogates or both")
    root = _seed_sequence(random_state)
    with blas_threads(1):
        x = _check_series(X, assume_centered)
        t, n = x.shape
        kept_count(n, top_fraction)  # checks top_fraction
        grid = None
        if n_resamples:
            b = (
                data_block_length(x, scheme=scheme, assume_centered=assume_centered)
                if block_length is None
                else block_length
            )
            grid = block_grid(t, n, b, block_stride)
        if n_surrogates:
            check_surrogate_length(x)
        tolerances = DATA_TOLERANCES if optimizer == "paper" else {}  # as the estimator on a series
        fit_options = dict(optimizer=optimizer, noise_aware=noise_aware, **{**tolerances, **options})
        c = _covariance(x, assume_centered)
        m, u, _ = fit_factor(_correlation(c) if standardize else c, **fit_options)
        weights = _weights(m)
        boot_root, surrogate_root = root.spawn(2)
        stats: dict[str, Any] = dict.fromkeys(
            ("mean", "sd", "ci_low", "ci_high", "sign_stability", "selection_frequency", "p", "q")
        )
        resamples = costs = null = kept = None
        failed = [0, 0]
        if grid is not None:
            sums = BlockSums(x, grid, scheme, assume_centered=assume_centered)
            resamples, costs, converged = _refit_all(
                sums, boot_root, n_resamples, u if warm_start else None, fit_options, n_jobs, standardize, progress
            )
            failed[0] = int(np.sum(~converged))
            stats |= bootstrap_statistics(weights, resamples, confidence=confidence, top_fraction=top_fraction)
        if n_surrogates:
            if null_model == "network":
                m0, kept = null_network(m, top_fraction)
                source = NetworkSurrogates(x, m0, assume_centered=assume_centered, standardize=standardize)
            else:
                source = SurrogateSpectrum(x, assume_centered=assume_centered)
            null, _, converged = _refit_all(
                source, surrogate_root, n_surrogates, None, fit_options, n_jobs, standardize, progress
            )
            failed[1] = int(np.sum(~converged))
            absent = None if kept is None else ~kept
            stats["p"] = permutation_p_values(weights, null, pooled=null_distribution == "pooled", absent=absent)
            stats["q"] = bh_q_values(stats["p"])
    if sum(failed):
        warnings.warn(
            f"{failed[0]} of {n_resamples} resample refits and {failed[1]} of {n_surrogates} surrogate refits hit the "
            f"iteration cap of optimizer {optimizer!r}; their estimates are the best points seen. Raise max_iter",
            NotConvergedWarning,
            stacklevel=2,
        )
    return BootstrapResult(
        weights=weights,
        **stats,
        confidence=float(confidence),
        top_fraction=float(top_fraction),
        scheme=scheme,
        block_length=None if grid is None else grid.block_length,
        block_stride=None if grid is None else grid.stride,
        n_resamples=n_resamples,
        n_surrogates=n_surrogates,
        n_not_converged=sum(failed),
        resample_weights=resamples,
        resample_costs=costs,
        surrogate_weights=null,
        null_model=null_model if n_surrogates else None,
        null_links=kept,
    )
