"""Draw the comparison with structural connectivity from its table."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_figure
from zerolag.plotting.fmri import plot_sc

save_figure(plot_sc(pd.read_csv(snakemake.input.table)), snakemake.output.pdf, snakemake.output.png)
