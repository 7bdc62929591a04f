"""Draw Fig. 1 from its table."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_figure
from zerolag.plotting.fig1 import plot_fig1

save_figure(plot_fig1(pd.read_csv(snakemake.input.table)), snakemake.output.pdf, snakemake.output.png)
