"""Draw the frequency-resolved example from its table and the arrays of its first repetition."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import numpy as np
import pandas as pd

from zerolag.io import save_figure
from zerolag.plotting.freq import plot_freq
from zerolag.workflow.captions import write_facts

with np.load(snakemake.input.arrays) as f:
    networks, estimates, bands = f["networks"], f["estimates"], f["bands"]
save_figure(
    plot_freq(networks, estimates, bands, pd.read_csv(snakemake.input.table)),
    snakemake.output.pdf,
    snakemake.output.png,
)

print(write_facts("freq", snakemake.input.table, snakemake.output.facts), file=sys.stderr)
