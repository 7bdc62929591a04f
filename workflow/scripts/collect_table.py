"""A figure's tidy table: the scores its rows name, from the run tables, labelled with panel, value, …."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_table
from zerolag.workflow.jobs import collect

table = collect(list(snakemake.params.labels), [pd.read_csv(path) for path in snakemake.input.runs])
save_table(snakemake.output.table, table)
print(f"{len(table)} rows from {len(snakemake.input.runs)} run tables", file=sys.stderr)
