"""Concatenate the side-by-side rows (both network kinds, every size and repetition) into one tidy table."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_table

table = pd.concat([pd.read_csv(path) for path in snakemake.input.rows], ignore_index=True)
save_table(snakemake.output.table, table)
summary = table[table["status"] == "ok"].groupby(["network", "n", "method"])[["auc", "prs", "pcc", "quality"]].mean()
print(summary.to_string(), file=sys.stderr)
