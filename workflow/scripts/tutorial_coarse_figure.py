"""Draw the coarse-graining figure from its table, with the bonus run's grouping as the example."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import numpy as np
import pandas as pd

from zerolag.io import save_figure
from zerolag.plotting.tutorial import plot_coarse_graining
from zerolag.workflow.captions import write_facts

with np.load(snakemake.input.example) as f:
    example = (f["coarse_A"], f["R"])
fig = plot_coarse_graining(pd.read_csv(snakemake.input.table), example=example)
save_figure(fig, snakemake.output.pdf, snakemake.output.png)

print(write_facts("tutorial_coarse", snakemake.input.table, snakemake.output.facts), file=sys.stderr)
