"""Draw lagged correlation against the zero-lag estimator, both networks, from the side-by-side table."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_figure
from zerolag.plotting.tutorial import plot_side_by_side
from zerolag.workflow.captions import write_facts

table = pd.read_csv(snakemake.input.table)
fig = plot_side_by_side(table[table["status"] == "ok"], methods=None)
save_figure(fig, snakemake.output.pdf, snakemake.output.png)

print(write_facts("tutorial_side_by_side", snakemake.input.table, snakemake.output.facts), file=sys.stderr)
