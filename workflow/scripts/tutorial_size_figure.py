"""Draw quality against network size from its table."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_figure
from zerolag.plotting.tutorial import plot_quality_vs_size

fig = plot_quality_vs_size(pd.read_csv(snakemake.input.table))
save_figure(fig, snakemake.output.pdf, snakemake.output.png)
