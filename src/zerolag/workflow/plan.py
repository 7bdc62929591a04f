"""What the workflow computes, as pure functions of the config: every figure's rows and the jobs behind them.

A figure's table is a list of *rows*, each a dict of labels (panel, swept value, …) plus the key
``data``, ``network``, ``rep``, ``method`` of the score it shows. Rows are grouped into coarse jobs by
what they share:

* noise-free (Fig. 3): one job per network spec, all its repetitions and methods;
* simulated data (Figs. 2, 4, 5, 7): one job per simulation (network, repetition, duration, τ), every
  noise level, observed fraction, data length (a prefix of the series) and method any figure asks of it;
* the peers' series: one job per (network, repetition), every method of the peers table;
* the lag-inputs figure: one job per (network, repetition), every kind of data, length, input and noise
  spread (:mod:`zerolag.workflow.lag_inputs`);
* the reliability figure: one job per (network, repetition), the coupled network and its null twin without
  coupling, every length, noise level, rule and level (:mod:`zerolag.workflow.reliability`).

A job's parameters are the union of what every figure asks of it, so the same config gives the same
jobs whichever target is built.
"""

from __future__ import annotations

from typing import Any

from ..methods.registry import DIRECTED
from ..simulation.datanames import SimulatedData
from ..simulation.peers_data import BoldSeries
from . import paths
from .config import fig3_points, method_input, net_name

__all__ = [
    "TIMESERIES_FIGURES",
    "method_specs",
    "fig3_rows",
    "ts_rows",
    "peers_rows",
    "noisefree_jobs",
    "simulation_jobs",
    "peers_jobs",
    "lag_inputs_jobs",
    "reliability_jobs",
    "row_key",
    "run_path",
    "run_paths",
]

TIMESERIES_FIGURES = ("fig2", "fig4", "fig5", "fig7")
"""Figures whose rows come from simulated OU + HRF data."""

NOISEFREE = "noisefree"


def method_specs(definitions: dict, labels: list[str]) -> dict[str, dict[str, Any]]:
    """Label → ``{"method", "options", "directed", "input"}`` of method labels, in the given order.

    ``definitions`` is a config's ``methods`` (or ``fmri.methods``) section; ``input`` is what the method
    needs: ``"covariance"`` or ``"timeseries"`` (:func:`~zerolag.workflow.config.method_input`: also a zero-lag
    label with ``covariance: long_run``).
    """
    out = {}
    for label in labels:
        entry = definitions[label]
        out[label] = {
            "method": entry["method"],
            "options": dict(entry["params"]),
            "directed": entry["method"] in DIRECTED,
            "input": method_input(entry),
        }
    return out


def row_key(row: dict) -> tuple[str, str, int, str]:
    """The score a row shows: ``(data, network, rep, method)``."""
    return (row["data"], row["network"], int(row["rep"]), row["method"])


def fig3_rows(config: dict) -> list[dict]:
    """One dict per (point, repetition, method) of Fig. 3: panel, parameter, value and the score's key."""
    return [
        {
            "panel": panel,
            "parameter": parameter,
            "value": value,
            "data": NOISEFREE,
            "network": net,
            "rep": rep,
            "method": method,
        }
        for panel, parameter, value, net in fig3_points(config)
        for rep in range(config["fig3"]["networks"])
        for method in config["fig3"]["methods"]
    ]


def _fig5_data(config: dict, duration: float, tau: float) -> SimulatedData:
    """Fig. 5's data at one length: a prefix of the one simulation per (τ, network) at the longest length."""
    longest = max(config["fig5"]["durations"])
    return SimulatedData(longest, tau, length=duration)


def ts_rows(config: dict, figure: str) -> list[dict]:
    """One dict per (point, repetition, method) of a time-series figure: labels and the score's key.

    Internal keys, dropped from tables: ``_simulation`` (``ou_T…_tau…``), the run the score comes from,
    and ``_data``, the :class:`~zerolag.simulation.datanames.SimulatedData` behind ``data``.
    """
    cfg = config[figure]
    points = []  # (labels, network spec, data, repetitions)
    if figure == "fig2":
        points.append(({"panel": "example"}, cfg["network"], SimulatedData(cfg["duration"], cfg["tau"]), [cfg["rep"]]))
    elif figure == "fig4":
        reps = range(cfg["networks"])
        a, b = cfg["A"], cfg["B"]
        for sigma in a["noise_std"]:
            data = SimulatedData(a["duration"], a["tau"], noise_std=sigma)
            points.append(({"panel": "A", "parameter": "noise_std", "value": sigma}, a["network"], data, reps))
        for fraction in b["observed"]:
            data = SimulatedData(b["duration"], b["tau"], observed=fraction)
            points.append(({"panel": "B", "parameter": "observed", "value": fraction}, b["network"], data, reps))
    elif figure == "fig5":
        for duration in cfg["durations"]:
            for tau in cfg["taus"]:
                labels = {"panel": "heatmap", "duration_s": duration, "tau_s": tau}
                points.append((labels, cfg["network"], _fig5_data(config, duration, tau), range(cfg["networks"])))
    elif figure == "fig7":
        data = SimulatedData(cfg["duration"], cfg["tau"])
        points.append(({"panel": "comparison"}, cfg["network"], data, range(cfg["networks"])))
    else:
        raise ValueError(f"{figure!r} is not a time-series figure (one of {TIMESERIES_FIGURES})")
    methods = [cfg["method"]] if "method" in cfg else cfg["methods"]
    return [
        {
            **labels,
            "data": data.name,
            "network": net_name(spec),
            "rep": rep,
            "method": method,
            "_simulation": data.simulation,
            "_data": data,
        }
        for labels, spec, data, reps in points
        for rep in reps
        for method in methods
    ]


def peers_rows(config: dict) -> list[dict]:
    """One dict per (network, repetition, method) of the peers table."""
    cfg = config["peers"]
    data = BoldSeries(cfg["duration"], cfg["tau"], cfg["tr"]).name
    return [
        {"panel": "ou_hrf", "data": data, "network": net_name(cfg["network"]), "rep": rep, "method": method}
        for rep in range(cfg["networks"])
        for method in cfg["methods"]
    ]


def _add(methods: list[str], method: str) -> None:
    if method not in methods:
        methods.append(method)


def noisefree_jobs(config: dict) -> dict[str, dict[str, list]]:
    """Network name → ``{"reps", "methods"}`` of every noise-free job (Fig. 3), in first-use order."""
    jobs: dict[str, dict[str, list]] = {}
    for row in fig3_rows(config):
        job = jobs.setdefault(row["network"], {"reps": [], "methods": []})
        _add(job["reps"], row["rep"])
        _add(job["methods"], row["method"])
    return jobs


def simulation_jobs(config: dict) -> dict[tuple[str, str, int], list[dict[str, Any]]]:
    """``(simulation, network, rep)`` → the data sets computed from that simulation, with their methods.

    Each data set is ``{"data": name, "length": s, "noise_std", "observed", "methods": [labels], "keep": bool}``;
    ``keep`` marks the one whose estimates a figure draws (Fig. 2's example).
    """
    jobs: dict[tuple[str, str, int], dict[str, dict[str, Any]]] = {}
    for figure in TIMESERIES_FIGURES:
        for row in ts_rows(config, figure):
            data: SimulatedData = row["_data"]
            sets = jobs.setdefault((row["_simulation"], row["network"], row["rep"]), {})
            entry = sets.setdefault(
                data.name,
                {
                    "data": data.name,
                    "length": data.seconds,
                    "noise_std": data.noise_std,
                    "observed": data.observed,
                    "methods": [],
                    "keep": False,
                },
            )
            _add(entry["methods"], row["method"])
            entry["keep"] = entry["keep"] or figure == "fig2"
    return {key: list(sets.values()) for key, sets in jobs.items()}


def peers_jobs(config: dict) -> dict[tuple[str, str, int], list[str]]:
    """``(series, network, rep)`` → the methods of the peers table run on that series."""
    jobs: dict[tuple[str, str, int], list[str]] = {}
    for row in peers_rows(config):
        _add(jobs.setdefault((row["data"], row["network"], row["rep"]), []), row["method"])
    return jobs


def lag_inputs_jobs(config: dict) -> list[tuple[str, int]]:
    """``(network, rep)`` of every job of the lag-inputs figure: one per network, everything asked of it."""
    cfg = config["lag_inputs"]
    net = net_name(cfg["network"])
    return [(net, rep) for rep in range(cfg["networks"])]


def reliability_jobs(config: dict) -> list[tuple[str, int]]:
    """``(network, rep)`` of every job of the reliability figure: each network, then each null twin (``ρ = 0``)."""
    cfg = config["reliability"]
    coupled, null = net_name(cfg["network"]), net_name({**cfg["network"], "rho": 0})
    return [(net, rep) for net in (coupled, null) for rep in range(cfg["networks"])]


def run_path(row: dict) -> str:
    """The run table that holds a row's score."""
    if row["data"] == NOISEFREE:
        return paths.noisefree_run(row["network"])
    if "_simulation" in row:
        return paths.simulation_run(row["_simulation"], row["network"], row["rep"])
    return paths.peers_run(row["data"], row["network"], row["rep"])


def run_paths(rows: list[dict]) -> list[str]:
    """The run tables behind a figure's rows, each once, in first-use order."""
    return list(dict.fromkeys(run_path(r) for r in rows))
