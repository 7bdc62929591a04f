"""NetSim-style benchmark: a generator (DCM + balloon model), a reader for NetSim files, NetSim's scores."""

from .balloon import FRISTON_2000, STEPHAN_2007, BalloonParameters
from .reader import NetSimData, read_netsim
from .scores import c_sensitivity, d_accuracy, netsim_scores
from .simulate import NetSimModel, NetSimSpec, netsim_structure, simulate_netsim

__all__ = [
    "FRISTON_2000",
    "STEPHAN_2007",
    "BalloonParameters",
    "NetSimData",
    "NetSimModel",
    "NetSimSpec",
    "c_sensitivity",
    "d_accuracy",
    "estimate_subjects",
    "netsim_scores",
    "netsim_structure",
    "read_netsim",
    "simulate_netsim",
]


def estimate_subjects(method: str, ts, **params):
    """Run ``zerolag.estimate(method, ...)`` on every subject of ``ts`` (subjects, T, N).

    Covariance methods get each subject's sample covariance, time-series methods the series.
    Returns the stacked estimates (subjects, N, N), the per-subject info dicts and seconds.
    """
    import time

    import numpy as np

    from ..methods.registry import METHOD_INPUTS, estimate

    out, infos, seconds = [], [], []
    for x in ts:
        start = time.perf_counter()
        if METHOD_INPUTS.get(method) == "covariance":
            g, info = estimate(method, np.cov(x, rowvar=False), **params)
        else:
            g, info = estimate(method, timeseries=x, **params)
        seconds.append(time.perf_counter() - start)
        out.append(g)
        infos.append(info)
    return np.stack(out), infos, seconds
