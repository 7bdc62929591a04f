"""Stream one OU + HRF simulation (with unit observation noise) into the sums the covariances need."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import time

import numpy as np

from zerolag.datanames import SimulatedData
from zerolag.io import save_npz
from zerolag.simulation import bold_statistics
from zerolag.threads import blas_threads

w = snakemake.wildcards
sim = SimulatedData(duration=float(w.T), tau=float(w.tau))
with np.load(snakemake.input.network) as f:
    g = f["G"]
start = time.perf_counter()
with blas_threads(snakemake.threads):
    stats = bold_statistics(
        g,
        tau=sim.tau,
        dt=snakemake.params.dt,
        duration=sim.duration,
        random_state=snakemake.params.seed,
        observation_noise=True,
    )
save_npz(
    snakemake.output.stats,
    n_samples=np.array(stats.n_samples),
    dt=np.array(stats.dt),
    mixing=stats.mixing,
    mean=stats.mean,
    scatter=stats.scatter,
)
print(
    f"{sim.simulation} {w.net} rep{w.rep}: {stats.n_samples} samples in {time.perf_counter() - start:.2f} s",
    file=sys.stderr,
)
