"""The tutorial's Section 1: one neuron's and all neurons' lag-1 correlations against the truth, as a tidy table."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import numpy as np
import pandas as pd

from zerolag.io import save_table
from zerolag.threads import blas_threads
from zerolag.tutorial.neuromatch import (
    connectivity_from_single_neuron,
    correlation_for_all_neurons,
    create_connectivity,
    simulate_neurons,
)

SEED = 42  # the tutorial's
p = snakemake.params
with blas_threads(snakemake.threads):
    A = create_connectivity(p.n, SEED)
    X = simulate_neurons(A, p.timesteps, SEED)
    R = correlation_for_all_neurons(X)
    single = connectivity_from_single_neuron(X, p.selected_neuron)
target, source = np.indices(A.shape)
single_column = np.full(A.shape, np.nan)
single_column[:, p.selected_neuron] = single
table = pd.DataFrame(
    {
        "n": p.n,
        "timesteps": p.timesteps,
        "seed": SEED,
        "selected_neuron": p.selected_neuron,
        "target": target.ravel(),
        "source": source.ravel(),
        "truth": A.ravel(),
        "estimate": R.ravel(),
        "single_estimate": single_column.ravel(),
    }
)
save_table(snakemake.output.table, table)
