"""Draw Fig. 4 from its table."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_figure
from zerolag.plotting.fig4 import plot_fig4
from zerolag.workflow.captions import write_facts

save_figure(plot_fig4(pd.read_csv(snakemake.input.table)), snakemake.output.pdf, snakemake.output.png)

print(write_facts("fig4", snakemake.input.table, snakemake.output.facts), file=sys.stderr)
