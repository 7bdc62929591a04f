"""Draw Fig. 6 from its table."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_figure
from zerolag.plotting.fmri import plot_fig6

p = snakemake.params
fig = plot_fig6(pd.read_csv(snakemake.input.table, keep_default_na=False), method=p.method, fc=p.fc, subject=p.subject)
save_figure(fig, snakemake.output.pdf, snakemake.output.png)
