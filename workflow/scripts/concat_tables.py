"""Concatenate per-job tables (same columns) into one tidy table."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_table

table = pd.concat([pd.read_csv(path) for path in snakemake.input.rows], ignore_index=True)
save_table(snakemake.output.table, table)
print(f"{len(table)} rows from {len(snakemake.input.rows)} files", file=sys.stderr)
