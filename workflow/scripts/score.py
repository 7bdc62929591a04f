"""Score one estimate against the network's truth: one tidy row."""

import json
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import numpy as np
import pandas as pd

from zerolag.io import save_table
from zerolag.tables import metric_row

w = snakemake.wildcards
with np.load(snakemake.input.truth) as f:  # network.npz (noise-free) or the simulated data's truth.npz
    truth = f["truth"]
    data_info = {key: f[key].item() for key in ("snr", "noise_std", "n_observed", "duration", "tau") if key in f}
with open(snakemake.input.info) as f:
    info = json.load(f)
row = metric_row(
    truth,
    np.load(snakemake.input.estimate),
    net=w.net,
    rep=int(w.rep),
    method=w.method,
    directed=snakemake.params.directed,
    info=info,
    seconds=info["seconds"],
    top_fraction=snakemake.params.top_fraction,
    seed=snakemake.params.seed,
)
row = {**row, "data": w.data, **data_info}
save_table(snakemake.output.row, pd.DataFrame([row]))
