"""The tutorial's bonus run (256 neurons, 10 000 steps, seed 42), timed; its coarse grouping for the figure."""

import sys
import time

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_npz, save_table
from zerolag.threads import blas_threads
from zerolag.tutorial.neuromatch import (
    correlation_for_all_neurons,
    create_connectivity,
    get_coarse_corr,
    pearson_quality,
    simulate_neurons,
)

SEED = 42  # the tutorial's
p = snakemake.params
with blas_threads(snakemake.threads):
    start = time.perf_counter()
    A = create_connectivity(p.n, SEED)
    built = time.perf_counter()
    X = simulate_neurons(A, p.timesteps, SEED)
    simulated = time.perf_counter()
    R = correlation_for_all_neurons(X)
    estimated = time.perf_counter()
    coarse_quality, coarse_R, coarse_A = get_coarse_corr(p.n_groups, X, A)
row = {
    "n": p.n,
    "timesteps": p.timesteps,
    "seed": SEED,
    "seconds_network": built - start,
    "seconds_simulation": simulated - built,
    "seconds_estimate": estimated - simulated,
    "quality": pearson_quality(A, R),
    "n_groups": p.n_groups,
    "coarse_quality": coarse_quality,
}
save_table(snakemake.output.table, pd.DataFrame([row]))
save_npz(snakemake.output.example, coarse_A=coarse_A, R=coarse_R)
print(row, file=sys.stderr)
