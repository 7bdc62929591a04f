"""Draw Fig. 7 from its table."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_figure
from zerolag.plotting.fig7 import plot_fig7
from zerolag.workflow.captions import write_facts

save_figure(plot_fig7(pd.read_csv(snakemake.input.table)), snakemake.output.pdf, snakemake.output.png)

print(write_facts("fig7", snakemake.input.table, snakemake.output.facts), file=sys.stderr)
