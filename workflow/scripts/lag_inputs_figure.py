"""Draw the lag-inputs figure from its table and write its caption's measured sentences."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_figure
from zerolag.plotting.lag_inputs import plot_lag_inputs
from zerolag.workflow.captions import write_facts

save_figure(plot_lag_inputs(pd.read_csv(snakemake.input.table)), snakemake.output.pdf, snakemake.output.png)

print(write_facts("lag_inputs", snakemake.input.table, snakemake.output.facts), file=sys.stderr)
