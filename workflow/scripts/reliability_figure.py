"""Draw the reliability figure from its table and write its caption's measured sentences."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_figure
from zerolag.plotting.reliability import plot_reliability
from zerolag.workflow.captions import write_facts

save_figure(plot_reliability(pd.read_csv(snakemake.input.table)), snakemake.output.pdf, snakemake.output.png)

print(write_facts("reliability", snakemake.input.table, snakemake.output.facts), file=sys.stderr)
