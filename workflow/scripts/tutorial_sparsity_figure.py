"""Draw quality against sparsity from its table."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_figure
from zerolag.plotting.tutorial import plot_quality_vs_sparsity
from zerolag.workflow.captions import write_facts

fig = plot_quality_vs_sparsity(pd.read_csv(snakemake.input.table))
save_figure(fig, snakemake.output.pdf, snakemake.output.png)

print(write_facts("tutorial_sparsity", snakemake.input.table, snakemake.output.facts), file=sys.stderr)
