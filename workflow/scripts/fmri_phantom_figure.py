"""Draw the phantom's recovery from its tables."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_figure
from zerolag.plotting.fmri import plot_phantom

fig = plot_phantom(pd.read_csv(snakemake.input.table), pd.read_csv(snakemake.input.example, keep_default_na=False))
save_figure(fig, snakemake.output.pdf, snakemake.output.png)
