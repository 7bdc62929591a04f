"""Concatenate score rows into a figure's tidy table, labelling each with its panel and sweep value."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_table

labels = pd.DataFrame(list(snakemake.params.labels))
rows = pd.concat([pd.read_csv(path) for path in snakemake.input.rows], ignore_index=True)
if len(rows) != len(labels):
    raise RuntimeError(f"{len(rows)} score rows for {len(labels)} labels")
mismatch = (
    (rows["network"] != labels["network"]) | (rows["rep"] != labels["rep"]) | (rows["method"] != labels["method"])
)
if mismatch.any():
    raise RuntimeError("score rows and labels are out of order")
table = pd.concat([labels[["panel", "parameter", "value"]], rows], axis=1)
save_table(snakemake.output.table, table)
print(f"{len(table)} rows", file=sys.stderr)
