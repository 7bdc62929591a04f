"""The ``lag_inputs`` figure (beyond the paper): which covariance to give the estimator, and unequal noise.

One job per network (``rule lag_inputs_run``), everything the figure asks of it:

* **Lag panel.** For each kind of data, one series at the longest length, and at every length (a prefix of
  it, so the lengths of one network share their first samples, as Fig. 5's do) the estimator on the zero-lag
  covariance and on the long-run covariance ``Σ_k Γ(k)`` (Bartlett, bandwidth from the data:
  :func:`~zerolag.long_run_covariance`), each scored against the network, and the lag diagnostic's verdict on
  that prefix (:func:`~zerolag.estimation.diagnostics.lag_diagnostic`). Beside each estimate, the undirected
  reference a user would try first: the partial correlation of the same input (``partial_correlation_auc``,
  ``_prs``, ``_pcc``, scored against the directed network like every undirected baseline). Kinds (:data:`KINDS`):

  - ``iid``: ``x = (1 − G)⁻¹ v``, independent samples (both inputs are the model's form);
  - ``ar1``: ``x_t = G x_{t−1} + ξ_t`` (:func:`~zerolag.simulation.var.simulate_var1`): the coupling acts
    with a lag of one sample; only the long-run covariance is the model's form;
  - ``ou``: the OU network (:func:`~zerolag.simulation.ou.simulate_ou`) sampled every ``dt`` s, no HRF;
  - ``bold``: OU + HRF, standardised (:func:`~zerolag.simulation.ou.simulate_bold`, the simulation code of
    the paper's figures).

* **Noise panel.** Noise-free covariances ``C = (1 − G)⁻¹ D (1 − G)⁻ᵀ`` with driving-noise sd ``σ_i = s^{u_i}``,
  ``u_i`` uniform in [−1, 1] (so log-uniform in [1/s, s]; the same ``u`` for every spread ``s``: common
  random numbers along the spread axis), and three outputs scored against ``G``: the plain estimate
  ``G_est`` (rows divided by ``σ_i``), its normalised form ``G_norm``
  (:func:`~zerolag.estimation.fit.normalise_rows`) and ``G_norm`` of the ``noise_aware=True`` fit.

Seeds are pure functions of the names: the network ``seed_from(net, rep)`` (Fig. 3's draw of that spec), a
series ``seed_from(net, rep, <series name>)`` (e.g. ``ar1_T40000``, ``bold_T40000_dt0.1_tau0.1``), the noise
pattern ``u`` ``seed_from(net, rep, "noise_sd")``.
"""

from __future__ import annotations

import json
import time
import warnings
from collections.abc import Sequence
from typing import Any

import numpy as np

from ..estimation.diagnostics import lag_diagnostic
from ..estimation.fit import fit_factor, normalise_rows
from ..estimation.longrun import long_run_bandwidth, long_run_covariance, max_long_run_bandwidth
from ..io import jsonable
from ..methods.baselines import partial_correlation
from ..scoring.metrics import score
from ..scoring.tables import metric_row
from ..simulation.networks import NetworkSpec, make_network, seed_from
from ..simulation.ou import simulate_bold, simulate_ou
from ..simulation.var import simulate_var1
from .jobs import run_method

__all__ = [
    "INPUTS",
    "KINDS",
    "OUTPUTS",
    "input_covariances",
    "lag_inputs_scores",
    "lag_rows",
    "noise_rows",
    "noise_sd",
    "series_name",
    "simulate_series",
]

KINDS = ("iid", "ar1", "ou", "bold")
"""The kinds of data of the lag panel (see the module docstring)."""

INPUTS = ("zero_lag", "long_run")
"""The estimator's inputs: the sample (zero-lag) covariance and the long-run covariance."""

OUTPUTS = ("G_est", "G_norm", "G_norm_noise_aware")
"""The noise panel's outputs: the plain estimate, its normalised form, the noise-aware fit's normalised form."""

REFERENCE_SCORES = ("auc", "prs", "pcc")
"""Scores of the partial-correlation reference written beside each estimate (``partial_correlation_<score>``)."""

DIAGNOSTIC_SKIP = ("message", "n_samples", "n_nodes")
"""Fields of the lag diagnostic not written to the table (the message goes to the job's log)."""


def series_name(kind: str, settings: dict[str, Any], n_samples: int) -> str:
    """The name (and seed part) of one series: ``ar1_T40000``, ``ou_T40000_dt0.1_tau1`` …

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    settings : dict
        The kind's settings (``dt`` and ``tau`` for ``ou`` and ``bold``).
    n_samples : int
        Samples of the series.

    Returns
    -------
    str
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind of data {kind!r}; choose one of {KINDS}")
    if kind in ("iid", "ar1"):
        return f"{kind}_T{int(n_samples)}"
    return f"{kind}_T{int(n_samples)}_dt{settings['dt']:g}_tau{settings['tau']:g}"


def simulate_series(
    kind: str, g: np.ndarray, n_samples: int, *, settings: dict[str, Any], random_state: int
) -> np.ndarray:
    """One series of a kind of data (:data:`KINDS`) on network ``g``, shape (``n_samples``, N).

    Parameters
    ----------
    kind : str
        ``iid``, ``ar1``, ``ou`` or ``bold``.
    g : array of shape (N, N)
        The coupling matrix, row = target, column = source.
    n_samples : int
        Samples T.
    settings : dict
        ``dt`` and ``tau`` (seconds) for ``ou`` and ``bold``; nothing for the others.
    random_state : int
        Seed.

    Returns
    -------
    numpy.ndarray of shape (T, N)
    """
    if kind == "iid":
        rng = np.random.default_rng(random_state)
        return rng.standard_normal((n_samples, g.shape[0])) @ np.linalg.inv(np.eye(g.shape[0]) - g).T
    if kind == "ar1":
        return simulate_var1(g, n_samples, random_state=random_state)
    if kind in ("ou", "bold"):
        dt, tau = float(settings["dt"]), float(settings["tau"])
        simulate = simulate_ou if kind == "ou" else simulate_bold
        return simulate(g, tau=tau, dt=dt, duration=n_samples * dt, random_state=random_state)
    raise ValueError(f"unknown kind of data {kind!r}; choose one of {KINDS}")


def input_covariances(x: np.ndarray) -> dict[str, tuple[np.ndarray, dict[str, Any]]]:
    """Both inputs of a series: ``{"zero_lag": (C, info), "long_run": (S, info)}``.

    ``info`` holds ``bandwidth`` (1 for the zero-lag covariance) and ``bandwidth_clipped`` (the data-driven
    bandwidth exceeded ``T // (N + 1)`` and was clipped, with a warning, which is recorded instead).
    """
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        bandwidth = long_run_bandwidth(x)
    t, n = x.shape
    clipped = bool(caught) and bandwidth == max_long_run_bandwidth(t, n)
    return {
        "zero_lag": (np.cov(x, rowvar=False), {"bandwidth": 1, "bandwidth_clipped": False}),
        "long_run": (
            long_run_covariance(x, bandwidth=bandwidth),
            {"bandwidth": int(bandwidth), "bandwidth_clipped": bool(clipped)},
        ),
    }


def _diagnostic(x: np.ndarray) -> tuple[dict[str, Any], str]:
    d = lag_diagnostic(x)
    values = d.as_dict()
    row = {"verdict": values.pop("verdict"), "agreement": values.pop("agreement")}
    for key, value in values.items():
        if key not in DIAGNOSTIC_SKIP:
            row[f"diagnostic_{key}"] = value
    return row, d.message


def _reference(truth: np.ndarray, c: np.ndarray, top_fraction: float) -> dict[str, float]:
    scores = score(truth, partial_correlation(c), top_fraction=top_fraction)
    return {f"partial_correlation_{key}": scores[key] for key in REFERENCE_SCORES}


def lag_rows(
    net: str,
    rep: int,
    *,
    kinds: dict[str, dict[str, Any]],
    lengths: Sequence[int],
    label: str,
    method: dict[str, Any],
    top_fraction: float,
    log: list[str] | None = None,
) -> list[dict[str, Any]]:
    """The lag panel of one network: every kind × length × input, scored, with the lag diagnostic.

    Parameters
    ----------
    net : str
        Network name (``N30_p0.1_rho0.6_q0``).
    rep : int
        Repetition (the network's seed is ``seed_from(net, rep)``).
    kinds : dict
        Kind (:data:`KINDS`) → its settings, in the table's order.
    lengths : sequence of int
        Samples; each is a prefix of the one series per kind at the longest.
    label : str
        The method's label (the table's ``method``).
    method : dict
        Its spec (:func:`zerolag.workflow.plan.method_specs`): a zero-lag estimator.
    top_fraction : float
        As in every table (``scoring.top_fraction``).
    log : list of str, optional
        Receives a line per prefix (the diagnostic's message).

    Returns
    -------
    list of dict
        One row per (kind, length, input): ``panel = "lag"``, ``kind``, ``data``, ``n_samples``, ``input``,
        ``bandwidth``, ``bandwidth_clipped``, the scores and fit record (:func:`~zerolag.scoring.tables.metric_row`),
        the partial-correlation reference on the same input (``partial_correlation_auc``, ``_prs``, ``_pcc``),
        ``verdict``, ``agreement`` and the diagnostic's other fields (``diagnostic_…``).
    """
    spec = NetworkSpec.from_name(net)
    seed = seed_from(net, rep)
    g, truth = make_network(spec, random_state=seed)
    longest = max(lengths)
    rows = []
    for kind, settings in kinds.items():
        name = series_name(kind, settings, longest)
        x_all = simulate_series(kind, g, longest, settings=settings, random_state=seed_from(net, rep, name))
        for length in sorted(lengths):
            x = x_all[:length]
            diagnostic, message = _diagnostic(x)
            if log is not None:
                log.append(f"{net} rep{rep} {name} first {length}: {diagnostic['verdict']}: {message}")
            for source, (c, input_info) in input_covariances(x).items():
                g_est, info, seconds = run_method(method, c)
                row = metric_row(
                    truth, g_est, net=net, rep=rep, method=label, directed=True, info=info, seconds=seconds,
                    top_fraction=top_fraction, seed=seed,
                )  # fmt: skip
                rows.append(
                    {"panel": "lag", "kind": kind, "data": name, "n_samples": int(length), "input": source,
                     **input_info, **row, **_reference(truth, c, top_fraction), **diagnostic}
                )  # fmt: skip
    return rows


def noise_sd(n: int, spread: float, random_state: int) -> np.ndarray:
    """Driving-noise standard deviations ``σ_i = s^{u_i}``, ``u_i`` uniform in [−1, 1]: log-uniform in [1/s, s].

    The same seed gives the same ``u`` for every spread ``s``, so ``s = 1`` is equal noise and a larger ``s``
    stretches the same pattern.
    """
    if not spread >= 1:
        raise ValueError(f"the spread s must be at least 1 (sd in [1/s, s]), got {spread}")
    u = np.random.default_rng(random_state).uniform(-1.0, 1.0, n)
    return float(spread) ** u


def _link_errors(g: np.ndarray, estimate: np.ndarray) -> dict[str, float]:
    err = np.abs(estimate - g)[g != 0]
    return {"median_link_error": float(np.median(err)), "max_link_error": float(err.max())}


def _record(info: Any, seconds: float) -> dict[str, Any]:
    record = {**info.to_dict(), "seconds": seconds}
    return json.loads(json.dumps(jsonable(record)))


def noise_rows(
    net: str,
    rep: int,
    *,
    spreads: Sequence[float],
    label: str,
    method: dict[str, Any],
    top_fraction: float,
) -> list[dict[str, Any]]:
    """The noise panel of one network: every spread × output, scored against ``G``.

    Parameters
    ----------
    net, rep, label, method, top_fraction
        As :func:`lag_rows`.
    spreads : sequence of float
        Spreads ``s ≥ 1`` of the driving-noise sd (log-uniform in [1/s, s]).

    Returns
    -------
    list of dict
        One row per (spread, output): ``panel = "noise"``, ``data`` (``noisefree_spread{s}``), ``spread``,
        ``output`` (:data:`OUTPUTS`), the scores against ``G`` (:func:`~zerolag.scoring.tables.metric_row`),
        ``median_link_error`` and ``max_link_error`` (``|estimate − G|`` over the true links), ``noise_sd_min``
        and ``noise_sd_max``.
    """
    spec = NetworkSpec.from_name(net)
    seed = seed_from(net, rep)
    g, truth = make_network(spec, random_state=seed)
    n = g.shape[0]
    a = np.linalg.inv(np.eye(n) - g)
    options = dict(method["options"])
    rows = []
    for spread in spreads:
        sd = noise_sd(n, spread, seed_from(net, rep, "noise_sd"))
        c = a @ np.diag(sd**2) @ a.T
        c = (c + c.T) / 2
        fits = {}
        for aware in (False, True):
            start = time.perf_counter()
            m, _, info = fit_factor(c, noise_aware=aware, **options)
            fits[aware] = (m, _record(info, time.perf_counter() - start))
        m, record = fits[False]
        g_est = -m * (1 - np.eye(n))
        outputs = {
            "G_est": (g_est, record),
            "G_norm": (normalise_rows(m)[0], record),
            "G_norm_noise_aware": (normalise_rows(fits[True][0])[0], fits[True][1]),
        }
        for output, (estimate, info) in outputs.items():
            row = metric_row(
                truth, estimate, net=net, rep=rep, method=label, directed=True, info=info, seconds=info["seconds"],
                top_fraction=top_fraction, seed=seed,
            )  # fmt: skip
            rows.append(
                {"panel": "noise", "data": f"noisefree_spread{spread:g}", "spread": float(spread), "output": output,
                 "noise_sd_min": float(sd.min()), "noise_sd_max": float(sd.max()), **row,
                 **_link_errors(g, estimate)}
            )  # fmt: skip
    return rows


def lag_inputs_scores(
    net: str,
    rep: int,
    *,
    kinds: dict[str, dict[str, Any]],
    lengths: Sequence[int],
    spreads: Sequence[float],
    label: str,
    method: dict[str, Any],
    top_fraction: float,
    log: list[str] | None = None,
) -> list[dict[str, Any]]:
    """Every row of one network for the ``lag_inputs`` table: the lag panel, then the noise panel.

    Parameters are those of :func:`lag_rows` and :func:`noise_rows`.
    """
    rows = lag_rows(
        net, rep, kinds=kinds, lengths=lengths, label=label, method=method, top_fraction=top_fraction, log=log
    )
    return rows + noise_rows(net, rep, spreads=spreads, label=label, method=method, top_fraction=top_fraction)
