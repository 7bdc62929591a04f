"""Draw Fig. 2: the true network, the estimates coloured by confusion class, ROC and PR curves."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import numpy as np
import pandas as pd

from zerolag.io import save_figure
from zerolag.plotting.fig2 import plot_fig2
from zerolag.workflow.captions import write_facts

data = snakemake.params.data  # the simulation job keeps "{data}:truth" and "{data}:{method}"
with np.load(snakemake.input.arrays) as f:
    truth = f[f"{data}:truth"]
    estimates = {method: f[f"{data}:{method}"] for method in snakemake.params.methods}
fig = plot_fig2(truth, estimates, pd.read_csv(snakemake.input.table), top_fraction=snakemake.params.top_fraction)
save_figure(fig, snakemake.output.pdf, snakemake.output.png)

print(write_facts("fig2", snakemake.input.table, snakemake.output.facts), file=sys.stderr)
