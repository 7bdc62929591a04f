"""Draw Fig. 8 from the example network (fig6.csv) and the agreement table."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_figure
from zerolag.plotting.fmri import plot_fig8

p = snakemake.params
example = pd.read_csv(snakemake.input.example, keep_default_na=False)
counts = pd.read_csv(snakemake.input.table, dtype={"subject": str})
save_figure(
    plot_fig8(example, counts, method=p.ours, ric=p.ric, subject=p.subject), snakemake.output.pdf, snakemake.output.png
)
