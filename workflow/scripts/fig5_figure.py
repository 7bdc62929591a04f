"""Draw Fig. 5 from its table."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_figure
from zerolag.plotting.fig5 import plot_fig5
from zerolag.workflow.captions import write_facts

save_figure(plot_fig5(pd.read_csv(snakemake.input.table)), snakemake.output.pdf, snakemake.output.png)

print(write_facts("fig5", snakemake.input.table, snakemake.output.facts), file=sys.stderr)
