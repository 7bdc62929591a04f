"""Lagged correlation vs the zero-lag estimator on the paper's linear (OU) network, sampled every dt."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import numpy as np
import pandas as pd

from zerolag.io import save_table
from zerolag.simulation import simulate_ou
from zerolag.threads import blas_threads
from zerolag.tutorial import COMPARED_METHODS, compare_on_activity

w, p = snakemake.wildcards, snakemake.params
with np.load(snakemake.input.network) as f:
    g, truth = f["G"], f["truth"]
with blas_threads(snakemake.threads):
    if not np.any(truth):
        status = "empty"
    elif np.max(np.linalg.eigvals(g).real) >= 1:  # a small network can have an outlier eigenvalue ≥ 1
        status = "unstable"
    else:
        status = "ok"
        x = simulate_ou(g, tau=p.tau, dt=p.dt, duration=p.timesteps * p.dt, random_state=p.seed)
        rows = compare_on_activity(truth, x.T, zerolag_options=dict(p.zerolag))
if status != "ok":
    rows = pd.DataFrame({"method": COMPARED_METHODS})
keys = {"network": "paper", "n": len(g), "rep": int(w.rep), "seed": p.network_seed, "simulation_seed": p.seed}
keys |= {"timesteps": p.timesteps, "connections": int(np.count_nonzero(truth)), "status": status, "net": w.net}
table = rows.assign(**keys)[[*keys, *rows.columns]]
save_table(snakemake.output.rows, table)
print(table.to_string(), file=sys.stderr)
