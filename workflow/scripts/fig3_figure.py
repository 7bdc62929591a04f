"""Draw Fig. 3 from its table."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_figure
from zerolag.plotting.fig3 import plot_fig3
from zerolag.workflow.captions import write_facts

fig = plot_fig3(pd.read_csv(snakemake.input.table), method=snakemake.params.method)
save_figure(fig, snakemake.output.pdf, snakemake.output.png)

print(write_facts("fig3", snakemake.input.table, snakemake.output.facts), file=sys.stderr)
