"""The workflow's coarse jobs: one network spec, one simulation or one series, with every estimate and score.

Each function draws (or simulates) its data in process, runs every method asked of it and returns one
tidy row per (data set, method), the same row a single estimate-and-score step would write. Seeds are
pure functions of the names: the network ``seed_from(net, rep)``, the simulation
``seed_from(net, rep, "ou_T…_tau…")``, the observed subset ``seed_from(net, rep, "observed", fraction)``.
"""

from __future__ import annotations

import json
import time
from typing import Any

import numpy as np
import pandas as pd

from ..estimation.longrun import long_run_bandwidth, long_run_covariance
from ..estimation.model import covariance as covariance_from_network
from ..io import jsonable
from ..methods.baselines import diagonal_before_zeroing
from ..methods.registry import estimate
from ..scoring.tables import metric_row
from ..simulation.datanames import SimulatedData
from ..simulation.networks import NetworkSpec, make_network, seed_from
from ..simulation.observation import choose_observed, subnetwork
from ..simulation.ou import bold_statistics
from ..simulation.peers_data import BoldSeries, bold_series
from .config import LONG_RUN
from .plan import row_key

__all__ = [
    "run_method",
    "fit_summary",
    "noisefree_scores",
    "simulation_scores",
    "peers_scores",
    "collect",
    "table_labels",
]

KEY = ["data", "network", "rep", "method"]


def run_method(
    spec: dict[str, Any], covariance: np.ndarray | None = None, timeseries: np.ndarray | None = None
) -> tuple[np.ndarray, dict[str, Any], float]:
    """Estimate with one configured method: the estimate, its fit record as stored (plain JSON types), seconds.

    Parameters
    ----------
    spec : dict
        The label's spec (:func:`~zerolag.workflow.plan.method_specs`).
    covariance : array of shape (N, N), optional
        The zero-lag covariance, for a covariance method.
    timeseries : array of shape (T, N), optional
        The series, for a time-series method, and for a zero-lag label whose options set
        ``covariance: long_run``: it is then estimated from the long-run covariance of the series
        (:func:`~zerolag.long_run_covariance`, Bartlett, bandwidth from the data) instead of ``covariance``,
        and its record adds ``covariance`` and ``long_run_bandwidth`` (samples). ``covariance: empirical``
        is the default, the covariance given.

    Raises
    ------
    ValueError
        For ``covariance: long_run`` without ``timeseries``, or another ``covariance`` value.
    """
    options = dict(spec["options"])
    source = options.pop("covariance", "empirical")
    extra: dict[str, Any] = {}
    if source == LONG_RUN:
        if timeseries is None:
            raise ValueError(
                f"{spec['method']} with covariance: {LONG_RUN} needs the time series (its long-run covariance is "
                "computed from it); this job has only a covariance"
            )
        bandwidth = long_run_bandwidth(timeseries)
        covariance = long_run_covariance(timeseries, bandwidth=bandwidth)
        timeseries = None
        extra = {"covariance": LONG_RUN, "long_run_bandwidth": int(bandwidth)}
    elif source != "empirical":
        raise ValueError(f"covariance must be 'empirical' or {LONG_RUN!r}, got {source!r}")
    start = time.perf_counter()
    g_est, info = estimate(spec["method"], covariance, timeseries=timeseries, **options)
    seconds = time.perf_counter() - start
    record = {**info, **extra, "method": spec["method"], "method_options": spec["options"], "seconds": seconds}
    return g_est, json.loads(json.dumps(jsonable(record))), seconds


def _row(truth, g_est, info, *, net, rep, label, spec, top_fraction, seed, data, data_info, c=None) -> dict[str, Any]:
    diagonal = None if c is None or spec["input"] != "covariance" else diagonal_before_zeroing(spec["method"], c)
    row = metric_row(
        truth,
        g_est,
        net=net,
        rep=rep,
        method=label,
        directed=spec["directed"],
        info=info,
        seconds=info["seconds"],
        top_fraction=top_fraction,
        seed=seed,
        diagonal=diagonal,
    )
    return {**row, "data": data, **data_info}


def noisefree_scores(
    net: str, reps: list[int], methods: dict[str, dict[str, Any]], *, top_fraction: float
) -> list[dict[str, Any]]:
    """Every method on the noise-free covariance ``C = (1 − G)⁻¹(1 − G)⁻ᵀ`` of each repetition of one spec."""
    spec = NetworkSpec.from_name(net)
    rows = []
    for rep in reps:
        seed = seed_from(net, rep)
        g, truth = make_network(spec, random_state=seed)
        c = covariance_from_network(g)
        for label, method in methods.items():
            g_est, info, _ = run_method(method, c)
            rows.append(
                _row(truth, g_est, info, net=net, rep=rep, label=label, spec=method, top_fraction=top_fraction,
                     seed=seed, data="noisefree", data_info={}, c=c)
            )  # fmt: skip
    return rows


def simulation_scores(
    simulation: str,
    net: str,
    rep: int,
    datasets: list[dict[str, Any]],
    methods: dict[str, dict[str, Any]],
    *,
    dt: float,
    top_fraction: float,
) -> tuple[list[dict[str, Any]], dict[str, np.ndarray]]:
    """One OU + HRF simulation, then every data set asked of it (noise level, observed part, prefix) × method.

    Returns the rows and the arrays of the data sets marked ``keep``: ``{data}:truth`` and
    ``{data}:{method}`` for each estimate.
    """
    sim = SimulatedData.from_name(f"{simulation}_sig0_obs1")
    seed = seed_from(net, rep)
    g, truth = make_network(NetworkSpec.from_name(net), random_state=seed)
    prefixes = sorted({d["length"] for d in datasets if d["length"] < sim.duration})
    stats = bold_statistics(
        g,
        tau=sim.tau,
        dt=dt,
        duration=sim.duration,
        random_state=seed_from(net, rep, simulation),
        observation_noise=True,
        prefixes=prefixes,
    )
    rows, arrays = [], {}
    for d in datasets:
        part = stats if d["length"] == sim.duration else stats.prefixes[float(d["length"])]
        n = part.n_nodes
        if d["observed"] < 1:
            seed_obs = seed_from(net, rep, "observed", f"{d['observed']:g}")
            nodes = choose_observed(n, fraction=d["observed"], random_state=seed_obs)
        else:
            nodes = np.arange(n)
        c = subnetwork(part.covariance(d["noise_std"]), nodes)
        sub_truth = subnetwork(truth, nodes)
        snr = part.snr(d["noise_std"]) if d["noise_std"] > 0 else np.inf
        data_info = {
            "snr": float(snr),
            "noise_std": float(d["noise_std"]),
            "n_observed": len(nodes),
            "duration": float(d["length"]),
            "tau": float(sim.tau),
        }
        if d["keep"]:
            arrays[f"{d['data']}:truth"] = sub_truth
        for label in d["methods"]:
            g_est, info, _ = run_method(methods[label], c)
            if d["keep"]:
                arrays[f"{d['data']}:{label}"] = g_est
            rows.append(
                _row(sub_truth, g_est, info, net=net, rep=rep, label=label, spec=methods[label],
                     top_fraction=top_fraction, seed=seed, data=d["data"], data_info=data_info, c=c)
            )  # fmt: skip
    return rows, arrays


def peers_scores(
    series: str, net: str, rep: int, methods: dict[str, dict[str, Any]], *, dt: float, top_fraction: float
) -> list[dict[str, Any]]:
    """One OU + HRF series kept every ``tr`` (the signal of ``ou_T…_tau…``), every method of the peers table.

    Covariance methods get the series' sample covariance, time-series methods the series itself.
    """
    data = BoldSeries.from_name(series)
    seed = seed_from(net, rep)
    g, truth = make_network(NetworkSpec.from_name(net), random_state=seed)
    x = bold_series(g, data, dt=dt, random_state=seed_from(net, rep, data.simulation))
    c = np.cov(x, rowvar=False, dtype=np.float64)
    data_info = {"n_observed": truth.shape[0], "duration": float(data.duration), "tau": float(data.tau)}
    rows = []
    for label, method in methods.items():
        if method["input"] == "timeseries":
            g_est, info, _ = run_method(method, timeseries=x)
        else:
            g_est, info, _ = run_method(method, c)
        rows.append(
            _row(truth, g_est, info, net=net, rep=rep, label=label, spec=method, top_fraction=top_fraction,
                 seed=seed, data=series, data_info=data_info, c=c)
        )  # fmt: skip
    return rows


def table_labels(rows: list[dict]) -> list[dict]:
    """The rows as a table labels them: internal keys (``_…``) dropped."""
    return [{k: v for k, v in row.items() if not k.startswith("_")} for row in rows]


def collect(labels: list[dict], runs: list[pd.DataFrame]) -> pd.DataFrame:
    """A figure's tidy table: the run rows each label names (by data, network, rep, method), labelled.

    Label keys other than the score's key become leading columns (``panel``, ``parameter``, ``value`` …).

    Raises
    ------
    KeyError
        If a label names a score that no run table holds.
    """
    rows = pd.concat(runs, ignore_index=True)
    where = {
        row_key(dict(zip(KEY, values, strict=True))): i for i, values in enumerate(rows[KEY].itertuples(index=False))
    }
    missing = [row_key(r) for r in labels if row_key(r) not in where]
    if missing:
        raise KeyError(f"{len(missing)} labelled scores are in no run table, e.g. {missing[0]}")
    picked = rows.iloc[[where[row_key(r)] for r in labels]].reset_index(drop=True)
    frame = pd.DataFrame(labels)
    extra = [c for c in frame.columns if c not in KEY and c not in picked.columns]
    return pd.concat([frame[extra], picked], axis=1)


def fit_summary(rows: list[dict]) -> str:
    """One line per score for the job's log: seconds, and a WARNING where an optimiser hit its iteration cap."""
    lines = []
    for r in rows:
        line = f"{r['data']} {r['network']} rep{r['rep']} {r['method']}: {r['seconds']:.3f} s, AUC {r['auc']:.4f}"
        if r.get("converged") is False:
            line += f"\nWARNING: {r['method']} stopped at its iteration cap ({r['n_iter']}) without converging"
        lines.append(line)
    return "\n".join(lines)
