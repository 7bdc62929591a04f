"""Lagged correlation vs the zero-lag estimator on the tutorial's sigmoid network (legacy seed = repetition)."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import numpy as np
import pandas as pd

from zerolag.io import save_table
from zerolag.threads import blas_threads
from zerolag.tutorial import COMPARED_METHODS, compare_on_activity, create_connectivity, simulate_neurons

n, rep = int(snakemake.wildcards.n), int(snakemake.wildcards.rep)
p = snakemake.params
with blas_threads(snakemake.threads):
    A = create_connectivity(n, rep, p.sparsity)
    if np.any(A):
        X = simulate_neurons(A, p.timesteps, rep)
        rows, status = compare_on_activity(A, X, zerolag_options=dict(p.zerolag)), "ok"
    else:  # nothing to score against (the tutorial's quality is NaN here too)
        rows, status = pd.DataFrame({"method": COMPARED_METHODS}), "empty"
keys = {"network": "tutorial", "n": n, "rep": rep, "seed": rep, "simulation_seed": rep}
keys |= {"timesteps": p.timesteps, "connections": int(np.count_nonzero(A)), "status": status}
table = rows.assign(**keys)[[*keys, *rows.columns]]
save_table(snakemake.output.rows, table)
print(table.to_string(), file=sys.stderr)
