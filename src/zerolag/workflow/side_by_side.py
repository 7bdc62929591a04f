"""The tutorial's side-by-side comparison as the workflow runs it: one job per network kind and size.

Each repetition gives the rows of :func:`zerolag.tutorial.neuromatch.compare_on_activity` (lagged correlation, the
zero-lag estimator, correlation) with the draw's identity in front: kind, size, repetition, seeds,
connections and a ``status`` (``ok``, or ``empty``/``unstable`` for a draw that cannot be scored, kept
so that every repetition keeps its seed).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ..simulation.networks import NetworkSpec, make_network, seed_from
from ..simulation.ou import simulate_ou
from ..tutorial.neuromatch import COMPARED_METHODS, compare_on_activity, create_connectivity, simulate_neurons

__all__ = ["sigmoid_comparison", "ou_comparison"]


def _labelled(rows: pd.DataFrame, keys: dict[str, Any]) -> pd.DataFrame:
    return rows.assign(**keys)[[*keys, *rows.columns]]


def sigmoid_comparison(
    n: int, reps: list[int], *, timesteps: int, sparsity: float, zerolag: dict[str, Any]
) -> pd.DataFrame:
    """The tutorial's sigmoid network of ``n`` neurons, legacy seed = repetition (its trial convention)."""
    parts = []
    for rep in reps:
        a = create_connectivity(n, rep, sparsity)
        if np.any(a):
            x = simulate_neurons(a, timesteps, rep)
            rows, status = compare_on_activity(a, x, zerolag_options=dict(zerolag)), "ok"
        else:  # nothing to score against (the tutorial's quality is NaN here too)
            rows, status = pd.DataFrame({"method": COMPARED_METHODS}), "empty"
        keys = {"network": "tutorial", "n": n, "rep": rep, "seed": rep, "simulation_seed": rep}
        keys |= {"timesteps": timesteps, "connections": int(np.count_nonzero(a)), "status": status}
        parts.append(_labelled(rows, keys))
    return pd.concat(parts, ignore_index=True)


def ou_comparison(
    net: str, reps: list[int], *, timesteps: int, tau: float, dt: float, zerolag: dict[str, Any]
) -> pd.DataFrame:
    """The paper's linear (OU) network ``net`` sampled every ``dt``: network ``seed_from(net, rep)``,
    simulation ``seed_from("tutorial_ou", net, rep)``."""
    parts = []
    for rep in reps:
        network_seed, seed = seed_from(net, rep), seed_from("tutorial_ou", net, rep)
        g, truth = make_network(NetworkSpec.from_name(net), random_state=network_seed)
        if not np.any(truth):
            status = "empty"
        elif np.max(np.linalg.eigvals(g).real) >= 1:  # a small network can have an outlier eigenvalue ≥ 1
            status = "unstable"
        else:
            status = "ok"
            x = simulate_ou(g, tau=tau, dt=dt, duration=timesteps * dt, random_state=seed)
            rows = compare_on_activity(truth, x.T, zerolag_options=dict(zerolag))
        if status != "ok":
            rows = pd.DataFrame({"method": COMPARED_METHODS})
        keys = {"network": "paper", "n": len(g), "rep": rep, "seed": network_seed, "simulation_seed": seed}
        keys |= {"timesteps": timesteps, "connections": int(np.count_nonzero(truth)), "status": status, "net": net}
        parts.append(_labelled(rows, keys))
    return pd.concat(parts, ignore_index=True)
