"""Draw Fig. S1A from its table."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_figure
from zerolag.plotting.peers import plot_figS1A
from zerolag.workflow.captions import write_facts

save_figure(plot_figS1A(pd.read_csv(snakemake.input.table)), snakemake.output.pdf, snakemake.output.png)

print(write_facts("figS1A", snakemake.input.table, snakemake.output.facts), file=sys.stderr)
