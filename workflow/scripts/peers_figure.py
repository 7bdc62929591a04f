"""Draw the peers figure (OU + HRF) from its table."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_figure
from zerolag.plotting.peers import plot_peers
from zerolag.workflow.captions import write_facts

save_figure(plot_peers(pd.read_csv(snakemake.input.table)), snakemake.output.pdf, snakemake.output.png)

print(write_facts("peers", snakemake.input.table, snakemake.output.facts), file=sys.stderr)
