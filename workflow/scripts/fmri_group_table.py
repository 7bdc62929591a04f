"""The paper's group statistics for every method (long table with the paper's MREG values beside ours)."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.fmri.tables import group_table
from zerolag.io import save_table

p = snakemake.params
networks = [pd.read_csv(path) for path in snakemake.input.networks]
table = group_table(
    networks, list(p.methods), ours=p.ours, ric=p.ric, top_fraction=p.top_fraction, min_subjects=p.min_subjects
)
save_table(snakemake.output.table, table)
print(table.to_string(), file=sys.stderr)
