"""Covariance of the observed channels at one noise level, and the observed part of the true network."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import numpy as np

from zerolag.datanames import SimulatedData
from zerolag.io import save_npy, save_npz
from zerolag.observation import choose_observed, subnetwork
from zerolag.simulation import BoldStatistics

w = snakemake.wildcards
data = SimulatedData(duration=float(w.T), tau=float(w.tau), noise_std=float(w.sig), observed=float(w.obs))
with np.load(snakemake.input.stats) as f:
    stats = BoldStatistics(
        n_samples=int(f["n_samples"]), dt=float(f["dt"]), mixing=f["mixing"], mean=f["mean"], scatter=f["scatter"]
    )
with np.load(snakemake.input.network) as f:
    truth = f["truth"]
n = stats.n_nodes
if data.observed < 1:
    nodes = choose_observed(n, fraction=data.observed, random_state=snakemake.params.observed_seed)
else:
    nodes = np.arange(n)
covariance = subnetwork(stats.covariance(data.noise_std), nodes)
snr = stats.snr(data.noise_std) if data.noise_std > 0 else np.inf
save_npy(snakemake.output.covariance, covariance)
save_npz(
    snakemake.output.truth,
    truth=subnetwork(truth, nodes),
    observed=nodes,
    snr=np.array(snr),
    noise_std=np.array(data.noise_std),
    n_observed=np.array(len(nodes)),
    duration=np.array(data.duration),
    tau=np.array(data.tau),
)
print(f"{data.name}: {len(nodes)} of {n} nodes observed, SNR {snr:.3g}", file=sys.stderr)
