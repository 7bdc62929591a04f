"""Draw Fig. 5 from its table."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_figure
from zerolag.plotting.fig5 import plot_fig5

save_figure(plot_fig5(pd.read_csv(snakemake.input.table)), snakemake.output.pdf, snakemake.output.png)
