"""Draw Fig. S1B from its table."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_figure
from zerolag.plotting.fmri import plot_figS1B

table = pd.read_csv(snakemake.input.table, dtype={"subject": str})
save_figure(plot_figS1B(table, method=snakemake.params.method), snakemake.output.pdf, snakemake.output.png)
