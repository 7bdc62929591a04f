"""Draw the optimiser-scaling figure from its table."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_figure
from zerolag.plotting.scaling import plot_scaling

save_figure(plot_scaling(pd.read_csv(snakemake.input.table)), snakemake.output.pdf, snakemake.output.png)
