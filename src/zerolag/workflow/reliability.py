"""The ``reliability`` figure (beyond the paper): do the resampling statistics mean what they say?

One job per network and per null twin (``rule reliability_run``): OU + HRF series of the network (the paper's
simulation, standardised BOLD), at every length (prefixes of one series at the longest) and every
observation-noise level (``y = x + σ ε`` after the standardisation, as Fig. 4A adds it, one ``ε`` for every
``σ``: common random numbers), each given to :func:`~zerolag.bootstrap_connectivity` twice: with block-bootstrap
resamples (block length chosen from the data: Politis & White's rule,
:func:`~zerolag.estimation.bootstrap.data_block_length`) and the phase-randomised surrogates of independent
channels, and with the network null's surrogates (``null_model="network"``, pooled p-values). The links each
rule declares reliable are checked against the network that made the data:

* ``surrogate_q``: the surrogate Benjamini–Hochberg ``q ≤ α``; nominal: a false-discovery rate (the mean of
  the false-discovery proportion ``V / max(R, 1)``) of at most ``α``, and on a network without coupling a
  declaration at all in at most a fraction ``α`` of the series. The surrogates remove all coupling: their
  null is ``G = 0`` everywhere, not the absence of one link from a coupled network;
* ``network_q``: the Benjamini–Hochberg ``q ≤ α`` of the network null (:mod:`~zerolag.estimation.network_null`:
  the fit's strongest ``top_fraction`` links kept, the innovations of that network phase-randomised; each
  link's ``|weight|`` against the absent links' refitted values, pooled); nominal as ``surrogate_q``. Its null
  is an absent link of the coupled network;
* ``stability``: ``selection_frequency ≥ π``; nominal: Meinshausen & Bühlmann's bound on the expected number
  of false selections ``E[V]`` (:meth:`~zerolag.BootstrapResult.expected_false_selections`);
* ``interval``: the percentile interval at the result's confidence excludes 0; nominal: an absent link is
  declared with probability at most ``1 − confidence`` (a per-link error rate, no multiplicity control).

A link is *true* where the generating network ``G`` is non-zero. The counts of a rule: declared ``R``, false
``V`` (declared, absent from ``G``), power (true links declared), sign error (declared true links whose
estimated sign is not ``G``'s).

**Coverage.** The estimate is ``−offdiag(M)`` of the L1 fit of the standardised covariance, which is not ``G``:
the rows are scaled by the noise sd relative to the signal's, the L1 objective biases the weights, and
observation noise on the diagonal shrinks them. What the estimator converges to with ever more samples is
its fit of the series' exact covariance, the **target** (:func:`exact_target`: the exact zero-lag covariance
of OU + HRF, :func:`~zerolag.simulation.ou.bold_covariance`, standardised, plus ``σ²`` on the diagonal,
standardised again as the estimator does, and fitted with the same options). The coverage rows give the
fraction of links whose interval holds the target, and the fraction whose interval holds ``G`` (0 for the
absent links), on true and absent links separately.

**Null network.** The same network spec with ``ρ = 0`` (``G = 0``): the same simulation without coupling; every
declaration is false, and the target is 0.

Seeds are pure functions of the names: the network ``seed_from(net, rep)`` (Fig. 3's draw of that spec), the
series ``seed_from(net, rep, <series name>)`` (e.g. ``bold_T200000_dt0.1_tau0.1``), its observation noise
``seed_from(net, rep, <series name>, "observation_noise")``, the bootstrap of one prefix and noise level
``seed_from(net, rep, <series name>, <samples>, <σ>, "bootstrap")``, its network null
``seed_from(net, rep, <series name>, <samples>, <σ>, "network_null")``.
"""

from __future__ import annotations

import math
import time
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..estimation.fit import NotConvergedWarning, fit_factor
from ..estimation.link_statistics import BootstrapResult
from ..estimation.optimizers.paper import DATA_TOLERANCES
from ..estimation.resampling import bootstrap_connectivity
from ..simulation.networks import NetworkSpec, make_network, seed_from
from ..simulation.observation import add_observation_noise
from ..simulation.ou import bold_covariance, simulate_bold

__all__ = [
    "NULL_MODELS",
    "RULES",
    "coverage_row",
    "declared_links",
    "exact_target",
    "fewest_declarable",
    "reliability_rows",
    "rule_rows",
    "series_name",
]

RULES = ("surrogate_q", "network_q", "stability", "interval")
"""The rules that declare a link reliable (see the module docstring), in the table's order."""

NULL_MODELS = {"surrogate_q": "independent", "network_q": "network"}
"""The surrogates each q-value rule needs (``null_model`` of :func:`~zerolag.bootstrap_connectivity`)."""


def series_name(n_samples: int, bold: dict[str, Any]) -> str:
    """The name (and seed part) of one OU + HRF series: ``bold_T200000_dt0.1_tau0.1``.

    Parameters
    ----------
    n_samples : int
        Samples of the series (its longest length; the shorter ones are its prefixes).
    bold : dict
        ``dt`` and ``tau`` in seconds.

    Returns
    -------
    str
    """
    return f"bold_T{int(n_samples)}_dt{bold['dt']:g}_tau{bold['tau']:g}"


def _fit_options(options: dict[str, Any]) -> dict[str, Any]:
    """The options of the estimator on a series, as :func:`~zerolag.bootstrap_connectivity` fits it."""
    tolerances = DATA_TOLERANCES if options.get("optimizer", "fast") == "paper" else {}
    return {**tolerances, **options}


def exact_target(g: np.ndarray, *, bold: dict[str, Any], noise_std: float, options: dict[str, Any]) -> np.ndarray:
    """What the estimator converges to on a series of ``g``: its fit of the exact covariance of the series.

    The exact zero-lag covariance of the HRF-filtered OU network sampled every ``dt``, standardised
    (:func:`~zerolag.simulation.ou.bold_covariance`), plus ``noise_std²`` on the diagonal (the observation
    noise), standardised again (the estimator fits correlations), fitted with ``options`` as the bootstrap
    fits the series.

    Parameters
    ----------
    g : array of shape (N, N)
        The coupling, row = target, column = source.
    bold : dict
        ``dt`` and ``tau`` in seconds.
    noise_std : float
        Observation-noise sd, in units of the standardised signal's.
    options : dict
        The estimator's options (``optimizer`` and its settings).

    Returns
    -------
    numpy.ndarray of shape (N, N)
        ``−offdiag(M)`` of the fit (zero diagonal).
    """
    c = bold_covariance(g, tau=float(bold["tau"]), dt=float(bold["dt"]))
    sd = np.sqrt(np.diag(c))
    c = c / np.outer(sd, sd) + float(noise_std) ** 2 * np.eye(g.shape[0])
    c = c / (1 + float(noise_std) ** 2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NotConvergedWarning)
        m, _, _ = fit_factor(c, **_fit_options(options))
    target = -m
    np.fill_diagonal(target, 0)
    return target


def declared_links(result: BootstrapResult, rule: str, level: float) -> np.ndarray:
    """The links ``rule`` declares reliable at ``level`` (boolean ``(N, N)``, diagonal False).

    Parameters
    ----------
    result : BootstrapResult
        With resamples, or with the surrogates of the rule's null (:data:`NULL_MODELS`).
    rule : str
        One of :data:`RULES`.
    level : float
        ``α`` for ``surrogate_q`` and ``network_q``, ``π`` for ``stability``; ignored for ``interval`` (the
        result's confidence).

    Returns
    -------
    numpy.ndarray of bool

    Raises
    ------
    ValueError
        For an unknown rule, or a q-value rule given a result without its surrogates.
    """
    if rule in NULL_MODELS:
        if result.q is None or result.null_model != NULL_MODELS[rule]:
            raise ValueError(
                f"rule {rule!r} needs a result with null_model={NULL_MODELS[rule]!r} surrogates, got "
                f"null_model={result.null_model!r}"
            )
        out = np.nan_to_num(result.q, nan=np.inf) <= level
    elif rule == "stability":
        out = result.stable_links(level)
    elif rule == "interval":
        out = (result.ci_low > 0) | (result.ci_high < 0)
    else:
        raise ValueError(f"unknown rule {rule!r}; choose one of {RULES}")
    np.fill_diagonal(out, False)
    return out


def _counts(declared: np.ndarray, weights: np.ndarray, g: np.ndarray) -> dict[str, Any]:
    off = ~np.eye(g.shape[0], dtype=bool)
    true, absent = off & (g != 0), off & (g == 0)
    hits = declared & true
    n_declared, n_false, n_hits = int(declared.sum()), int((declared & absent).sum()), int(hits.sum())
    wrong = int(np.sum(np.sign(weights[hits]) != np.sign(g[hits])))
    return {
        "n_declared": n_declared,
        "n_false": n_false,
        "n_hits": n_hits,
        "fdp": n_false / max(n_declared, 1),
        "power": n_hits / true.sum() if true.any() else np.nan,
        "sign_error": wrong / n_hits if n_hits else np.nan,
        "false_positive_rate": n_false / absent.sum(),
    }


def fewest_declarable(n_links: int, n_surrogates: int, alpha: float) -> int:
    """The fewest links BH can declare at ``q ≤ α`` with ``n_surrogates``: ``⌈m / (α (S + 1))⌉``.

    The smallest surrogate p-value is ``1 / (S + 1)``, so the ``k``-th smallest q-value is at least
    ``m / (k (S + 1))``; more than ``m`` means that nothing can be declared.
    """
    return math.ceil(n_links / (alpha * (n_surrogates + 1)) - 1e-9)


def _pooled_draws(result: BootstrapResult) -> int:
    """The draws of the network null's pooled p-values: every surrogate's absent links."""
    n = result.weights.shape[0]
    return result.n_surrogates * int(n * (n - 1) - result.null_links.sum())


def rule_rows(
    result: BootstrapResult,
    g: np.ndarray,
    *,
    alphas: Sequence[float],
    thresholds: Sequence[float],
    network: BootstrapResult | None = None,
) -> list[dict[str, Any]]:
    """One row per rule and level (:data:`RULES`): what it declared, scored against ``g``.

    Parameters
    ----------
    result : BootstrapResult
        The bootstrap of one series (resamples and the surrogates of independent channels).
    g : array of shape (N, N)
        The network that made the series.
    alphas : sequence of float
        Levels ``α`` of ``surrogate_q`` and ``network_q``.
    thresholds : sequence of float
        Thresholds ``π`` of ``stability``, in (1/2, 1].
    network : BootstrapResult, optional
        The network null of the same series (``null_model="network"``, pooled p-values): the ``network_q``
        rows; none without it.

    Returns
    -------
    list of dict
        ``panel = "rules"``, ``rule``, ``level``, ``nominal`` (``α``; the bound on ``E[V]``; ``1 − confidence``),
        ``bound`` (stability only), ``fewest_declarable`` (q-value rules only: :func:`fewest_declarable` with
        the surrogates, or for ``network_q`` the pooled draws, ``n_surrogates`` × its absent links),
        ``n_declared``, ``n_false``, ``n_hits``, ``fdp`` (``V / max(R, 1)``), ``power`` (NaN without true
        links), ``sign_error`` (NaN without declared true links), ``false_positive_rate`` (``V`` over the
        absent links).
    """
    n = g.shape[0]
    rows = []
    q_rules = [("surrogate_q", result, result.n_surrogates)]
    if network is not None:
        q_rules.append(("network_q", network, _pooled_draws(network)))
    for rule, res, draws in q_rules:
        for alpha in alphas:
            counts = _counts(declared_links(res, rule, alpha), res.weights, g)
            rows.append(
                {"panel": "rules", "rule": rule, "level": float(alpha), "nominal": float(alpha), "bound": np.nan,
                 "fewest_declarable": fewest_declarable(n * (n - 1), draws, alpha), **counts}
            )  # fmt: skip
    for pi in thresholds:
        bound = result.expected_false_selections(pi)
        counts = _counts(declared_links(result, "stability", pi), result.weights, g)
        rows.append(
            {"panel": "rules", "rule": "stability", "level": float(pi), "nominal": bound, "bound": bound,
             "fewest_declarable": np.nan, **counts}
        )  # fmt: skip
    counts = _counts(declared_links(result, "interval", result.confidence), result.weights, g)
    rows.append(
        {"panel": "rules", "rule": "interval", "level": result.confidence, "nominal": 1 - result.confidence,
         "bound": np.nan, "fewest_declarable": np.nan, **counts}
    )  # fmt: skip
    return rows


def _median_ratio(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.median(a / b)) if a.size else np.nan


def coverage_row(result: BootstrapResult, g: np.ndarray, target: np.ndarray) -> dict[str, Any]:
    """How often the percentile intervals hold the target and ``G``, on true and absent links.

    Parameters
    ----------
    result : BootstrapResult
        The bootstrap of one series (with resamples).
    g : array of shape (N, N)
        The network that made the series.
    target : array of shape (N, N)
        The estimator's target on that kind of series (:func:`exact_target`).

    Returns
    -------
    dict
        ``panel = "coverage"``, ``level`` (the confidence), ``coverage_target_true``, ``coverage_target_absent``,
        ``coverage_g_true``, ``coverage_g_absent`` (fractions of links; NaN without true links),
        ``target_to_g`` (median of target / G on the true links) and ``estimate_to_target`` (median of the
        estimate / target on the true links).
    """
    off = ~np.eye(g.shape[0], dtype=bool)
    true, absent = off & (g != 0), off & (g == 0)
    low, high = result.ci_low, result.ci_high
    holds_target = (low <= target) & (target <= high)
    holds_g = (low <= g) & (g <= high)
    return {
        "panel": "coverage",
        "rule": "interval",
        "level": result.confidence,
        "coverage_target_true": float(holds_target[true].mean()) if true.any() else np.nan,
        "coverage_target_absent": float(holds_target[absent].mean()),
        "coverage_g_true": float(holds_g[true].mean()) if true.any() else np.nan,
        "coverage_g_absent": float(holds_g[absent].mean()),
        "target_to_g": _median_ratio(target[true], g[true]),
        "estimate_to_target": _median_ratio(result.weights[true], target[true]),
    }


def _bootstrap(x: np.ndarray, settings: dict[str, Any], log: list[str] | None) -> tuple[BootstrapResult, bool, float]:
    """A bootstrap of one series, whether its block length was capped, and its seconds."""
    start = time.perf_counter()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = bootstrap_connectivity(x, **settings)
    seconds = time.perf_counter() - start
    capped = any("block length chosen from the data is capped" in str(w.message) for w in caught)
    if log is not None:
        log.extend(f"  {w.category.__name__}: {w.message}" for w in caught)
    return result, capped, seconds


def reliability_rows(
    net: str,
    rep: int,
    *,
    lengths: Sequence[int],
    noise_std: Sequence[float],
    bold: dict[str, Any],
    n_resamples: int,
    n_surrogates: int,
    confidence: float,
    alphas: Sequence[float],
    thresholds: Sequence[float],
    top_fraction: float,
    label: str,
    method: dict[str, Any],
    n_jobs: int = 1,
    log: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Every row of one network for the ``reliability`` table: each length × noise level, each rule and coverage.

    Parameters
    ----------
    net : str
        Network name (``N30_p0.1_rho0.3_q0``; ``ρ = 0`` for a null network).
    rep : int
        Repetition (the network's seed is ``seed_from(net, rep)``).
    lengths : sequence of int
        Samples; each a prefix of the one series at the longest.
    noise_std : sequence of float
        Observation-noise sd added after the standardisation (0: none), one noise draw for all.
    bold : dict
        ``dt`` and ``tau`` (seconds) of the OU + HRF simulation.
    n_resamples, n_surrogates, confidence
        As :func:`~zerolag.bootstrap_connectivity`.
    alphas, thresholds
        Levels of the rules (:func:`rule_rows`).
    top_fraction : float
        The selection of the selection frequency (``scoring.top_fraction``).
    label : str
        The method's label (the table's ``method``).
    method : dict
        Its spec (:func:`zerolag.workflow.plan.method_specs`): a zero-lag estimator; its options go to every fit.
    n_jobs : int
        Processes of the bootstrap; the result does not depend on it.
    log : list of str, optional
        Receives a line per series (and the warnings of its bootstrap).

    Returns
    -------
    list of dict
        Per (length, noise level): the rows of :func:`rule_rows` and the row of :func:`coverage_row`, each with
        ``network``, ``n``, ``rho``, ``null`` (no coupling), ``rep``, ``seed``, ``method``, ``data``,
        ``n_samples``, ``noise_std``, ``snr``, ``n_true``, ``n_absent``, ``block_length``,
        ``block_length_capped``, ``n_resamples``, ``n_surrogates`` (of each null), ``n_not_converged`` (both
        bootstraps), ``top_fraction`` and ``seconds`` (both bootstraps').
    """
    spec = NetworkSpec.from_name(net)
    seed = seed_from(net, rep)
    g, _ = make_network(spec, random_state=seed)
    n = spec.n
    off = ~np.eye(n, dtype=bool)
    options = dict(method["options"])
    longest = max(lengths)
    name = series_name(longest, bold)
    dt, tau = float(bold["dt"]), float(bold["tau"])
    x_all = simulate_bold(g, tau=tau, dt=dt, duration=longest * dt, random_state=seed_from(net, rep, name))
    rows = []
    for sigma in noise_std:
        y_all, snr = add_observation_noise(x_all, sigma, random_state=seed_from(net, rep, name, "observation_noise"))
        target = exact_target(g, bold=bold, noise_std=sigma, options=options)
        for length in sorted(lengths):
            settings = dict(
                n_resamples=n_resamples, n_surrogates=n_surrogates, confidence=confidence, top_fraction=top_fraction,
                random_state=seed_from(net, rep, name, int(length), f"{sigma:g}", "bootstrap"), n_jobs=n_jobs,
                **options,
            )  # fmt: skip
            network_settings = dict(
                settings, n_resamples=0, null_model="network", null_distribution="pooled",
                random_state=seed_from(net, rep, name, int(length), f"{sigma:g}", "network_null"),
            )  # fmt: skip
            if log is not None:
                log.append(f"{net} rep{rep} {name} first {length} samples, noise sd {sigma:g}:")
            result, capped, seconds = _bootstrap(y_all[:length], settings, log)
            network, _, network_seconds = _bootstrap(y_all[:length], network_settings, log)
            seconds += network_seconds
            common = {
                "network": net, "n": n, "rho": spec.rho, "null": spec.rho == 0, "rep": int(rep), "seed": seed,
                "method": label, "data": name, "n_samples": int(length), "noise_std": float(sigma), "snr": snr,
                "n_true": int(np.sum(off & (g != 0))), "n_absent": int(np.sum(off & (g == 0))),
                "block_length": result.block_length, "block_length_capped": capped,
                "n_resamples": result.n_resamples, "n_surrogates": result.n_surrogates,
                "n_not_converged": result.n_not_converged + network.n_not_converged, "top_fraction": top_fraction,
                "seconds": seconds,
            }  # fmt: skip
            scored = rule_rows(result, g, alphas=alphas, thresholds=thresholds, network=network)
            for row in [*scored, coverage_row(result, g, target)]:
                rows.append({**common, **row})
            if log is not None:
                log.append(f"  {seconds:.1f} s, block length {result.block_length}, {result.n_not_converged} capped")
    return rows
