"""The side-by-side rows in table order: per size and repetition, the tutorial's network, then the paper's."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_table

frames = [pd.read_csv(path) for path in snakemake.input.rows]  # per size: the tutorial's rows, the paper's
parts = []
for tutorial, paper in zip(frames[::2], frames[1::2], strict=True):
    for rep in sorted(set(tutorial["rep"])):
        parts += [tutorial[tutorial["rep"] == rep], paper[paper["rep"] == rep]]
table = pd.concat(parts, ignore_index=True)
save_table(snakemake.output.table, table)
summary = table[table["status"] == "ok"].groupby(["network", "n", "method"])[["auc", "prs", "pcc", "quality"]].mean()
print(summary.to_string(), file=sys.stderr)
