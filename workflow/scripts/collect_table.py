"""Concatenate score rows into a figure's tidy table, labelling each with its panel, sweep value, ….

The labels (``params.labels``, one dict per row, in the order of the inputs) carry ``network``,
``rep`` and ``method`` to check the order, and any other keys (``panel``, ``parameter``, ``value`` …)
become leading columns.
"""

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
extra = [c for c in labels.columns if c not in ("network", "rep", "method") and c not in rows.columns]
table = pd.concat([labels[extra], rows], axis=1)
save_table(snakemake.output.table, table)
print(f"{len(table)} rows", file=sys.stderr)
