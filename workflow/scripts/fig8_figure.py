"""Draw Fig. 8 from the example network (fig6.csv) and the agreement table."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_figure
from zerolag.plotting.fmri import plot_fig8
from zerolag.workflow.captions import write_facts

p = snakemake.params
example = pd.read_csv(snakemake.input.example, keep_default_na=False)
counts = pd.read_csv(snakemake.input.table, dtype={"subject": str})
save_figure(
    plot_fig8(example, counts, method=p.ours, ric=p.ric, subject=p.subject, top_fraction=p.top_fraction),
    snakemake.output.pdf,
    snakemake.output.png,
)

print(write_facts("fig8", snakemake.input.table, snakemake.output.facts), file=sys.stderr)
