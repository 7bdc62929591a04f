"""The Neuromatch Academy "Correlations" tutorial (W3D5, Tutorial 2), reproduced bit for bit.

The tutorial's network is a discrete-time sigmoid network with excitatory, binary connectivity,

    x(t + 1) = sigmoid(A x(t) + ε(t)),    ε(t) ~ N(0, 1),    x(0) = 0,

and its estimator is the lag-1 correlation of every neuron with every other neuron. Its recorded
outputs, the Pearson correlation of the true and estimated entries, come out exactly here:
0.9596667994046594 (6 neurons, 5000 steps) and 0.3629329824177816 (100 neurons, 5000 steps), see
:data:`RECORDED_QUALITY`.

Seeding. The tutorial calls ``np.random.seed`` inside :func:`create_connectivity` and
:func:`simulate_neurons`; this module draws the same legacy Mersenne-Twister stream from a local
``np.random.RandomState(seed)`` and never touches NumPy's global state. The tutorial draws the noise
one step at a time with ``np.random.multivariate_normal(np.zeros(n), np.eye(n))``. NumPy's legacy
``multivariate_normal`` draws ``standard_normal(n)`` and multiplies it by ``sqrt(s)[:, None] * v``
from an SVD of the covariance; for the identity LAPACK returns ``v = I`` and ``s = 1`` exactly, so each
draw *is* ``standard_normal(n)`` (a product with an identity matrix adds only exact zeros), and since
the legacy Gaussian generator keeps its cached second Box–Muller value in the ``RandomState``,
``T − 1`` draws of ``n`` values are the stream of one ``standard_normal((T − 1, n))`` draw. The
simulation therefore draws all its noise at once; the recursion stays a loop over time (one
matrix–vector product per step). ``tests/library/test_tutorial.py`` checks this against a literal per-step
copy of the tutorial's loop.

Orientation. :func:`correlation_for_all_neurons` returns ``R[i, j] = corr(x_i(t + 1), x_j(t))``:
row = the neuron at the later time (target), column = the neuron at the earlier time (source). This
is the convention of ``A`` (``A[i, j]`` carries ``x_j(t)`` into ``x_i(t + 1)``) and of all of
:mod:`zerolag` (row = target, column = source). The tutorial's prose formula ``C = x_t x_{t+1}ᵀ`` is
the transpose; its code, reproduced here, is not. (Its ``see_neurons`` plot transposes ``A`` only to
draw arrows from row to column.)

Quality. The tutorial's quality is ``np.corrcoef(A.flatten(), R.flatten())[0, 1]``: Pearson over all
``n²`` entries, *including the diagonal* (``A`` has self-connections with the same probability as
any other connection; ``R``'s diagonal is each neuron's lag-1 autocorrelation). Its bonus section
names Spearman's rank correlation and Cohen's kappa as better-founded alternatives; see
:func:`quality` for how kappa binarises.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..threads import blas_threads

__all__ = [
    "COMPARED_METHODS",
    "QUALITY_MEASURES",
    "RECORDED_QUALITY",
    "SAMPLED_DATA_TOLERANCES",
    "sigmoid",
    "create_connectivity",
    "simulate_neurons",
    "correlation_for_all_neurons",
    "connectivity_from_single_neuron",
    "get_sys_corr",
    "pearson_quality",
    "spearman_quality",
    "kappa_quality",
    "quality",
    "coarse_activity",
    "coarse_connectivity",
    "get_coarse_corr",
    "coarse_group_counts",
    "quality_vs_size",
    "quality_vs_sparsity",
    "coarse_graining",
    "compare_on_activity",
    "compare_estimators",
    "side_by_side",
]

RECORDED_QUALITY: dict[int, float] = {6: 0.9596667994046594, 100: 0.3629329824177816}
"""The tutorial's recorded outputs: network size → quality at 5000 steps, seeds 42."""

SAMPLED_DATA_TOLERANCES: dict[str, Any] = {"optimizer": "paper", "xtol": 1e-3, "gtol": 1e-3, "ftol": 1e-5}
"""The paper's optimiser with its tolerances for sampled (finite-length) data."""

QUALITY_MEASURES: tuple[str, ...] = ("pearson", "spearman", "kappa_topk", "kappa_median")
"""Columns of every quality table: the tutorial's Pearson quality, Spearman, and two Cohen's kappas."""

COMPARED_METHODS: tuple[str, ...] = ("lagged_correlation", "zerolag", "correlation")
"""Methods of :func:`compare_on_activity`, in the order of its rows."""


# --------------------------------------------------------------------------------------------------
# the tutorial's network, simulation and estimator


def sigmoid(x: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(−x))`` element-wise, exactly as the tutorial writes it."""
    return 1 / (1 + np.exp(-x))


def create_connectivity(n_neurons: int, random_state: int = 42, p: float = 0.9) -> np.ndarray:
    """The tutorial's random binary connectivity, scaled to largest singular value 1/1.01.

    Parameters
    ----------
    n_neurons : int
        Number of neurons.
    random_state : int
        Seed of the legacy ``RandomState`` stream (the tutorial's ``np.random.seed``).
    p : float
        *Sparsity*: the probability that an entry is **absent** (``P(1) = 1 − p``). Self-connections
        (the diagonal) are drawn like every other entry.

    Returns
    -------
    A : ndarray of shape (n_neurons, n_neurons)
        ``A[i, j]`` is the weight from neuron ``j`` to neuron ``i``, ``A_0 / (1.01 σ_max(A_0))``.
        If no entry is drawn (``A_0 = 0``, e.g. 5 neurons with seeds 2 and 3) the tutorial divides 0 by 0
        and gets NaN everywhere; here the empty network (all zeros) is returned instead. Either way the
        quality against it is undefined (NaN).
    """
    if n_neurons < 1:
        raise ValueError(f"n_neurons must be a positive integer, got {n_neurons}")
    if not 0 <= p <= 1:
        raise ValueError(f"sparsity p (probability of no connection) must lie in [0, 1], got {p}")
    rng = np.random.RandomState(random_state)
    a0 = rng.choice([0, 1], size=(n_neurons, n_neurons), p=[p, 1 - p])
    _, s_vals, _ = np.linalg.svd(a0)  # with the singular vectors, as the tutorial: without, σ_max can differ by an ulp
    s_max = s_vals[0]
    if s_max == 0:
        return np.zeros((n_neurons, n_neurons))
    return a0 / (1.01 * s_max)


def simulate_neurons(A: np.ndarray, timesteps: int, random_state: int = 42) -> np.ndarray:
    """Simulate ``x(t + 1) = sigmoid(A x(t) + ε(t))`` from ``x(0) = 0``, bit for bit as the tutorial.

    Parameters
    ----------
    A : array of shape (n, n)
        Connectivity, row = target, column = source.
    timesteps : int
        Number of time points (``timesteps − 1`` updates).
    random_state : int
        Seed of the legacy ``RandomState`` stream; the noise is the same ``standard_normal`` stream the
        tutorial's per-step ``multivariate_normal(0, I)`` draws (see the module notes).

    Returns
    -------
    X : ndarray of shape (n, timesteps)
        ``X[:, t]`` is the state at time ``t``; C-contiguous, as the tutorial's.

    Notes
    -----
    256 neurons × 10 000 steps (the tutorial's bonus run) take ~0.3 s on one core.
    """
    A = np.asarray(A, dtype=float)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError(f"A must be a square connectivity matrix, got shape {A.shape}")
    if int(timesteps) < 1:
        raise ValueError(f"timesteps must be a positive integer, got {timesteps}")
    n, timesteps = A.shape[0], int(timesteps)
    rng = np.random.RandomState(random_state)
    x = np.zeros((timesteps, n))  # time-major while simulating: every step reads and writes a contiguous row
    x[1:] = rng.standard_normal((timesteps - 1, n))
    drive = np.empty(n)
    with blas_threads(1):
        for t in range(timesteps - 1):
            # x[t+1] = 1 / (1 + exp(-(A x[t] + eps))), in place, the same floating-point operations in order
            np.dot(A, x[t], out=drive)
            nxt = x[t + 1]
            np.add(drive, nxt, out=nxt)
            np.negative(nxt, out=nxt)
            np.exp(nxt, out=nxt)
            np.add(1, nxt, out=nxt)
            np.divide(1, nxt, out=nxt)
    return np.ascontiguousarray(x.T)


def correlation_for_all_neurons(X: np.ndarray) -> np.ndarray:
    """The tutorial's estimator: ``R[i, j] = corr(x_i(t + 1), x_j(t))``, row = target, column = source.

    Parameters
    ----------
    X : array of shape (n, timesteps)
        Activity, neurons × time.

    Returns
    -------
    R : ndarray of shape (n, n)
        Lag-1 Pearson correlations; the diagonal holds the lag-1 autocorrelations.
    """
    X = np.asarray(X)
    n_neurons = len(X)
    S = np.concatenate([X[:, 1:], X[:, :-1]], axis=0)
    return np.corrcoef(S)[:n_neurons, n_neurons:]


def connectivity_from_single_neuron(X: np.ndarray, selected_neuron: int) -> np.ndarray:
    """The tutorial's Exercise 1: correlate ``x_selected(t)`` with every ``x_i(t + 1)``.

    Returns
    -------
    ndarray of shape (n,)
        Entry ``i`` estimates the weight from ``selected_neuron`` to ``i``: compare with
        ``A[:, selected_neuron]``. Equal to ``correlation_for_all_neurons(X)[:, selected_neuron]`` up
        to rounding.
    """
    X = np.asarray(X)
    current_activity = X[selected_neuron, :-1]
    next_activity = X[:, 1:]
    return np.array([np.corrcoef(next_activity[i], current_activity)[0, 1] for i in range(len(X))])


def get_sys_corr(n_neurons: int, timesteps: int, random_state: int = 42) -> float:
    """The tutorial's wrapper: quality of ``R`` for the network drawn with ``random_state``.

    As in the tutorial, ``random_state`` seeds only the network: the simulation always uses its
    default seed 42 (``get_sys_corr`` calls ``simulate_neurons(A, timesteps)``), so the tutorial's
    trials differ in the network, not in the noise.

    ``get_sys_corr(6, 5000)`` and ``get_sys_corr(100, 5000)`` are the recorded outputs.
    """
    A = create_connectivity(n_neurons, random_state)
    X = simulate_neurons(A, timesteps)
    R = correlation_for_all_neurons(X)
    return pearson_quality(A, R)


# --------------------------------------------------------------------------------------------------
# quality measures


def _entries(truth: np.ndarray, estimate: np.ndarray, include_diagonal: bool) -> tuple[np.ndarray, np.ndarray]:
    truth = np.asarray(truth)
    estimate = np.asarray(estimate)
    if truth.shape != estimate.shape or truth.ndim != 2 or truth.shape[0] != truth.shape[1]:
        raise ValueError(
            f"truth and estimate must be square and of equal shape, got {truth.shape} and {estimate.shape}"
        )
    if include_diagonal:
        return truth.flatten(), estimate.flatten()
    off = ~np.eye(truth.shape[0], dtype=bool)
    return truth[off], estimate[off]


def _constant(a: np.ndarray) -> bool:
    return a.size == 0 or bool(np.all(a == a[0]))


def _ranks(a: np.ndarray) -> np.ndarray:
    """Ranks 1 … n, ties given their mean rank (``scipy.stats.rankdata(method="average")``)."""
    order = np.argsort(a, kind="stable")
    s = a[order]
    starts = np.flatnonzero(np.r_[True, s[1:] != s[:-1]])
    ends = np.r_[starts[1:], a.size]
    ranks = np.empty(a.size)
    ranks[order] = np.repeat((starts + ends + 1) / 2, ends - starts)
    return ranks


def _cohen_kappa(t: np.ndarray, e: np.ndarray) -> float:
    """Cohen's kappa of two boolean vectors: ``(p_o − p_e) / (1 − p_e)``."""
    p_o = np.mean(t == e)
    q_t, q_e = np.mean(t), np.mean(e)  # fractions of positives
    p_e = q_t * q_e + (1 - q_t) * (1 - q_e)
    return float((p_o - p_e) / (1 - p_e))


def pearson_quality(truth: np.ndarray, estimate: np.ndarray, *, include_diagonal: bool = True) -> float:
    """The tutorial's quality: ``np.corrcoef(A.flatten(), R.flatten())[0, 1]``.

    NaN (without a warning) if either matrix is constant, e.g. an empty network.
    """
    t, e = _entries(truth, estimate, include_diagonal)
    if _constant(t) or _constant(e):
        return np.nan
    return float(np.corrcoef(t, e)[0, 1])


def spearman_quality(truth: np.ndarray, estimate: np.ndarray, *, include_diagonal: bool = True) -> float:
    """Spearman rank correlation of the entries (ties, e.g. the zeros of a binary ``A``, get mean ranks)."""
    t, e = _entries(truth, estimate, include_diagonal)
    if _constant(t) or _constant(e):
        return np.nan
    return float(np.corrcoef(_ranks(t), _ranks(e))[0, 1])


def kappa_quality(
    truth: np.ndarray, estimate: np.ndarray, *, rule: str = "top_k", include_diagonal: bool = True
) -> float:
    """Cohen's kappa between binarised truth and binarised estimate.

    Parameters
    ----------
    truth, estimate : arrays of shape (n, n)
        Same orientation. Signed values are used as they are (the tutorial's networks are excitatory
        and its estimates are correlations: "large" means large and positive).
    rule : {"top_k", "median"}
        ``"top_k"``: the truth's connections are its non-zero entries (``k`` of them) and the estimate
        predicts its ``k`` largest entries (ties broken by position); precision = recall, so kappa is 1
        for a perfect ranking. Undefined if the truth has no connection or only connections.
        ``"median"``: the tutorial's bonus-section suggestion, "dichotomise R by the median": each
        matrix is split at its own median (``x > median(x)``). For a binary truth with fewer than half
        of the entries connected the truth's split is exactly "connected"; a dense (e.g. coarse-grained)
        truth is split into stronger and weaker than typical. Because the estimate's split is at
        50 %, kappa against a truth with density ``d < 1/2`` cannot exceed ``2 d`` (0.2 at the
        tutorial's default density of 10 %).
    include_diagonal : bool
        Use all ``n²`` entries (as the tutorial's quality does) or only the off-diagonal ones.

    Returns
    -------
    float
        Kappa, or NaN where a binarisation is constant.
    """
    t, e = _entries(truth, estimate, include_diagonal)
    if rule == "top_k":
        t_bin = t != 0
        k = int(t_bin.sum())
        e_bin = np.zeros(e.size, dtype=bool)
        e_bin[np.argsort(-e, kind="stable")[:k]] = True
    elif rule == "median":
        t_bin = t > np.median(t)
        e_bin = e > np.median(e)
    else:
        raise ValueError(f"unknown kappa rule {rule!r}; choose 'top_k' or 'median'")
    if _constant(t_bin) or _constant(e_bin):
        return np.nan
    return _cohen_kappa(t_bin, e_bin)


def quality(truth: np.ndarray, estimate: np.ndarray, *, include_diagonal: bool = True) -> dict[str, float]:
    """All the tutorial's similarity measures between a true and an estimated matrix.

    Returns
    -------
    dict
        ``pearson`` (the tutorial's quality), ``spearman``, ``kappa_topk`` and ``kappa_median`` (see
        :func:`kappa_quality`), over all entries including the diagonal unless told otherwise.
    """
    return {
        "pearson": pearson_quality(truth, estimate, include_diagonal=include_diagonal),
        "spearman": spearman_quality(truth, estimate, include_diagonal=include_diagonal),
        "kappa_topk": kappa_quality(truth, estimate, rule="top_k", include_diagonal=include_diagonal),
        "kappa_median": kappa_quality(truth, estimate, rule="median", include_diagonal=include_diagonal),
    }


# --------------------------------------------------------------------------------------------------
# coarse graining (the tutorial's bonus section 2)


def _check_groups(n_neurons: int, n_groups: int) -> int:
    if n_groups < 1 or n_neurons % n_groups:
        raise ValueError(f"n_groups = {n_groups} must be a positive divisor of the number of neurons {n_neurons}")
    return n_neurons // n_groups


def coarse_activity(X: np.ndarray, n_groups: int) -> np.ndarray:
    """Mean activity of ``n_groups`` groups of consecutive neurons, shape (n_groups, timesteps).

    ``X.reshape(n_groups, n // n_groups, timesteps).mean(1)``, the tutorial's solution.
    """
    X = np.asarray(X)
    size = _check_groups(X.shape[0], n_groups)
    return X.reshape(n_groups, size, X.shape[1]).mean(1)


def coarse_connectivity(A: np.ndarray, n_groups: int) -> np.ndarray:
    """True coarse connectivity: the mean weight from the neurons of group ``j`` to those of group ``i``.

    ``A.reshape(g, n // g, g, n // g).mean(3).mean(1)``, exactly as the tutorial computes it.
    """
    A = np.asarray(A)
    size = _check_groups(A.shape[0], n_groups)
    return A.reshape(n_groups, size, n_groups, size).mean(3).mean(1)


def get_coarse_corr(n_groups: int, X: np.ndarray, A: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """The tutorial's ``get_coarse_corr`` (which reads ``A`` from the notebook; here it is an argument).

    Returns
    -------
    corr : float
        Pearson quality of ``R`` against ``coarse_A``.
    R : ndarray of shape (n_groups, n_groups)
        Lag-1 correlation of the group-averaged activity.
    coarse_A : ndarray of shape (n_groups, n_groups)
        Mean weights between groups.
    """
    R = correlation_for_all_neurons(coarse_activity(X, n_groups))
    coarse_A = coarse_connectivity(A, n_groups)
    return pearson_quality(coarse_A, R), R, coarse_A


def coarse_group_counts(n_neurons: int) -> list[int]:
    """The tutorial's group counts ``[2**i for i in range(2, int(log2(n)))]``: 4, 8, 16, 32, 64 for 128."""
    return [2**i for i in range(2, int(np.log2(n_neurons)))]


# --------------------------------------------------------------------------------------------------
# the tutorial's experiments as tidy tables


def _row(truth: np.ndarray, estimate: np.ndarray, **keys: Any) -> dict[str, Any]:
    return {**keys, **quality(truth, estimate)}


def quality_vs_size(
    sizes: Sequence[int] = (5, 10, 25, 50, 100),
    *,
    timesteps: int = 1000,
    network_seeds: Iterable[int] = range(5),
    simulation_seed: int | None = 42,
    p: float = 0.9,
) -> pd.DataFrame:
    """Quality against network size, as the tutorial's ``plot_estimation_quality_vs_n_neurons``.

    Parameters
    ----------
    sizes : sequence of int
        Network sizes.
    timesteps : int
        Time points per simulation (1000 in the tutorial).
    network_seeds : iterable of int
        One trial per seed (the tutorial: ``range(5)``), seeding :func:`create_connectivity`.
    simulation_seed : int or None
        Seed of every simulation. The tutorial's ``get_sys_corr`` uses 42 for all trials; ``None``
        uses each trial's network seed instead.
    p : float
        Sparsity (probability of no connection).

    Returns
    -------
    DataFrame
        One row per (trial, size): ``n``, ``trial``, ``network_seed``, ``simulation_seed``,
        ``timesteps``, ``p``, ``n_connections`` (non-zero entries of ``A``, diagonal included) and
        :data:`QUALITY_MEASURES`. Empty networks (5 neurons, seeds 2 and 3) have NaN quality, as in
        the tutorial, whose mean at 5 neurons is therefore NaN.
    """
    rows = []
    for trial, seed in enumerate(network_seeds):
        sim_seed = seed if simulation_seed is None else simulation_seed
        for n in sizes:
            A = create_connectivity(n, seed, p)
            R = correlation_for_all_neurons(simulate_neurons(A, timesteps, sim_seed))
            keys = {"n": n, "trial": trial, "network_seed": seed, "simulation_seed": sim_seed}
            rows.append(_row(A, R, **keys, timesteps=timesteps, p=p, n_connections=int(np.count_nonzero(A))))
    return pd.DataFrame(rows)


def quality_vs_sparsity(
    sparsities: Sequence[float],
    *,
    n_neurons: int = 25,
    timesteps: int = 2000,
    network_seeds: Iterable[int] = (42,),
    simulation_seed: int | None = 42,
) -> pd.DataFrame:
    """Quality against sparsity, as the tutorial's interactive demo 2.2.2 (25 neurons, 2000 steps, seed 42).

    Parameters
    ----------
    sparsities : sequence of float
        Values of ``p``, the probability of *no* connection (the demo's slider: 0.01 … 0.99).
    n_neurons, timesteps : int
        As the demo.
    network_seeds : iterable of int
        The demo uses 42 only; more seeds give more trials per sparsity.
    simulation_seed : int or None
        As in :func:`quality_vs_size` (the demo: 42).

    Returns
    -------
    DataFrame
        ``p``, ``trial``, ``network_seed``, ``simulation_seed``, ``n``, ``timesteps``, ``n_connections``
        and :data:`QUALITY_MEASURES`.
    """
    rows = []
    for trial, seed in enumerate(network_seeds):
        sim_seed = seed if simulation_seed is None else simulation_seed
        for p in sparsities:
            A = create_connectivity(n_neurons, seed, p)
            R = correlation_for_all_neurons(simulate_neurons(A, timesteps, sim_seed))
            keys = {"p": p, "trial": trial, "network_seed": seed, "simulation_seed": sim_seed}
            rows.append(_row(A, R, **keys, n=n_neurons, timesteps=timesteps, n_connections=int(np.count_nonzero(A))))
    return pd.DataFrame(rows)


def coarse_graining(
    n_neurons: int = 128,
    *,
    timesteps: int = 5000,
    seeds: Iterable[int] = range(3),
    group_counts: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Quality of the coarse-grained estimate against the coarse truth, as the tutorial's bonus 2.

    Each trial draws ``create_connectivity(n_neurons, random_state=seed)`` and simulates with the same
    seed (the tutorial passes the trial index to both); every group count is scored on that run.

    Parameters
    ----------
    n_neurons : int
        Neurons (128 in the tutorial).
    timesteps : int
        Time points (5000).
    seeds : iterable of int
        One trial per seed (``range(3)``).
    group_counts : sequence of int or None
        Numbers of groups; default :func:`coarse_group_counts` (4 … 64 for 128 neurons).

    Returns
    -------
    DataFrame
        ``trial``, ``seed``, ``n``, ``timesteps``, ``n_groups``, ``group_size`` (neurons per group) and
        :data:`QUALITY_MEASURES` of ``R`` against ``coarse_A``.
    """
    counts = coarse_group_counts(n_neurons) if group_counts is None else list(group_counts)
    rows = []
    for trial, seed in enumerate(seeds):
        A = create_connectivity(n_neurons, random_state=seed)
        X = simulate_neurons(A, timesteps, random_state=seed)
        for g in counts:
            R = correlation_for_all_neurons(coarse_activity(X, g))
            keys = {"trial": trial, "seed": seed, "n": n_neurons, "timesteps": timesteps}
            rows.append(_row(coarse_connectivity(A, g), R, **keys, n_groups=g, group_size=n_neurons // g))
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------------
# correlation against the paper's zero-lag estimator


def compare_on_activity(
    truth: np.ndarray,
    X: np.ndarray,
    *,
    zerolag_options: dict[str, Any] | None = None,
    methods: Sequence[str] = COMPARED_METHODS,
) -> pd.DataFrame:
    """Estimate the network behind activity ``X`` with lagged correlation and the zero-lag method, and score both.

    Parameters
    ----------
    truth : array of shape (n, n)
        True connectivity, row = target, column = source.
    X : array of shape (n, timesteps)
        Activity, neurons × time (for a time × nodes simulation such as :func:`zerolag.simulation.ou.simulate_ou`,
        pass its transpose).
    zerolag_options : dict or None
        Options of :func:`zerolag.estimate_connectivity`; default :data:`SAMPLED_DATA_TOLERANCES`
        (the paper's for sampled data).
    methods : sequence of str
        ``"lagged_correlation"``: the tutorial's :func:`correlation_for_all_neurons`.
        ``"zerolag"``: :func:`zerolag.estimate_connectivity` of the zero-lag covariance ``np.cov(X)``.
        ``"correlation"``: the zero-lag correlation, ``zerolag.estimate("correlation", C)``.

    Returns
    -------
    DataFrame
        One row per method: ``method``, ``auc``, ``prs``, ``pcc`` (:func:`zerolag.score`: off-diagonal
        entries, connections = non-zero truth), ``auc_reversed`` (the AUC against the transposed
        truth: near 1 when the links are found but pointed the wrong way), ``quality`` (the tutorial's
        Pearson over all entries, diagonal included; the zero-lag and correlation estimates have a zero
        diagonal), ``spearman``,
        ``kappa_topk``, ``kappa_median`` (all entries), and for ``"zerolag"`` the optimiser's
        ``n_iter``, ``converged`` and ``seconds`` (NaN otherwise).
    """
    from .. import estimate, estimate_connectivity, score  # scikit-learn only when needed

    truth = np.asarray(truth, dtype=float)
    X = np.asarray(X, dtype=float)
    if X.ndim != 2 or X.shape[0] != truth.shape[0]:
        raise ValueError(f"X must be neurons × time with {truth.shape[0]} rows, got shape {X.shape}")
    options = dict(SAMPLED_DATA_TOLERANCES if zerolag_options is None else zerolag_options)
    c = np.cov(X)
    rows = []
    for method in methods:
        info: dict[str, Any] = {"n_iter": np.nan, "converged": np.nan, "seconds": np.nan}
        if method == "lagged_correlation":
            est = correlation_for_all_neurons(X)
        elif method == "zerolag":
            est, fit = estimate_connectivity(c, return_info=True, **options)
            info = {"n_iter": fit.n_iter, "converged": fit.converged, "seconds": fit.seconds}
        elif method == "correlation":
            est, _ = estimate("correlation", c)
        else:
            raise ValueError(f"unknown method {method!r}; choose from 'lagged_correlation', 'zerolag', 'correlation'")
        s = score(truth, est)
        q = quality(truth, est)
        rows.append(
            {
                "method": method,
                "auc": s["auc"],
                "prs": s["prs"],
                "pcc": s["pcc"],
                "auc_reversed": score(truth.T, est)["auc"],
                "quality": q["pearson"],
                "spearman": q["spearman"],
                "kappa_topk": q["kappa_topk"],
                "kappa_median": q["kappa_median"],
                **info,
            }
        )
    return pd.DataFrame(rows)


def compare_estimators(
    n_neurons: int,
    timesteps: int,
    random_state: int = 42,
    *,
    p: float = 0.9,
    simulation_seed: int | None = None,
    zerolag_options: dict[str, Any] | None = None,
    methods: Sequence[str] = COMPARED_METHODS,
) -> pd.DataFrame:
    """Lagged correlation against the zero-lag estimator on the tutorial's own sigmoid network.

    ``A = create_connectivity(n_neurons, random_state, p)``, ``X = simulate_neurons(A, timesteps,
    simulation_seed)`` (``None``: the same seed as the network), then :func:`compare_on_activity`.

    Returns
    -------
    DataFrame
        :func:`compare_on_activity`'s rows plus ``network`` = ``"tutorial"``, ``n``, ``timesteps``,
        ``p``, ``seed``, ``simulation_seed``.
    """
    sim_seed = random_state if simulation_seed is None else simulation_seed
    A = create_connectivity(n_neurons, random_state, p)
    X = simulate_neurons(A, timesteps, sim_seed)
    out = compare_on_activity(A, X, zerolag_options=zerolag_options, methods=methods)
    keys = {"network": "tutorial", "n": n_neurons, "timesteps": timesteps, "p": p, "seed": random_state}
    return out.assign(**keys, simulation_seed=sim_seed)[[*keys, "simulation_seed", *out.columns]]


def side_by_side(
    sizes: Sequence[int] = (6, 25, 100),
    *,
    timesteps: int = 5000,
    seeds: Iterable[int] = range(5),
    p: float = 0.9,
    zerolag_options: dict[str, Any] | None = None,
    methods: Sequence[str] = COMPARED_METHODS,
) -> pd.DataFrame:
    """:func:`compare_estimators` for every size and seed (network and simulation seeded alike), one table.

    Returns
    -------
    DataFrame
        The rows of every :func:`compare_estimators` call plus ``rep`` (index of the seed).
        Empty networks (possible for very small ``n``) are skipped: nothing can be scored against them.
    """
    parts = []
    for rep, seed in enumerate(seeds):
        for n in sizes:
            if not np.any(create_connectivity(n, seed, p)):
                continue
            part = compare_estimators(n, timesteps, seed, p=p, zerolag_options=zerolag_options, methods=methods)
            parts.append(part.assign(rep=rep))
    return pd.concat(parts, ignore_index=True)
