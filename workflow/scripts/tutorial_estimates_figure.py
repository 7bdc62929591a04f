"""Draw the tutorial's Section 1 figure (one neuron's and all neurons' estimates against the truth) from its table."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import numpy as np
import pandas as pd

from zerolag.io import save_figure
from zerolag.plotting.tutorial import plot_estimate_vs_truth
from zerolag.tutorial.neuromatch import pearson_quality

table = pd.read_csv(snakemake.input.table)
n = int(table["n"].iloc[0])
A, R = np.full((n, n), np.nan), np.full((n, n), np.nan)
A[table["target"], table["source"]] = table["truth"]
R[table["target"], table["source"]] = table["estimate"]
selected = int(table["selected_neuron"].iloc[0])
single = table[table["source"] == selected].sort_values("target")["single_estimate"].to_numpy()
fig = plot_estimate_vs_truth(A, R, single_estimate=single, selected_neuron=selected, quality=pearson_quality(A, R))
save_figure(fig, snakemake.output.pdf, snakemake.output.png)
