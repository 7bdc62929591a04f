"""Keep one OU + HRF series (sampled every tr) with its covariance and the network's truth."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import time

import numpy as np

from zerolag.io import save_npy, save_npz
from zerolag.peers_data import BoldSeries, bold_series
from zerolag.threads import blas_threads

w = snakemake.wildcards
data = BoldSeries(duration=float(w.T), tau=float(w.tau), tr=float(w.tr))
with np.load(snakemake.input.network) as f:
    g, truth = f["G"], f["truth"]
start = time.perf_counter()
with blas_threads(snakemake.threads):
    x = bold_series(g, data, dt=snakemake.params.dt, random_state=snakemake.params.seed)
    covariance = np.cov(x, rowvar=False, dtype=np.float64)
save_npy(snakemake.output.timeseries, x)
save_npy(snakemake.output.covariance, covariance)
save_npz(
    snakemake.output.truth,
    truth=truth,
    observed=np.arange(truth.shape[0]),
    n_observed=np.array(truth.shape[0]),
    duration=np.array(data.duration),
    tau=np.array(data.tau),
)
print(f"{data.name} {w.net} rep{w.rep}: {x.shape} in {time.perf_counter() - start:.2f} s", file=sys.stderr)
