"""Reliable links per subject and in the group (one row each), and the group test of every link."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.fmri.reliability import group_links, reliability_summary
from zerolag.io import save_table

p = snakemake.params
cfg = p.reliability
tables = [pd.read_csv(path, keep_default_na=False) for path in snakemake.input.tables]
group = group_links(tables, top_fraction=p.top_fraction)
summary = reliability_summary(
    p.subjects, tables, group, q=cfg["q"], sign_stability=cfg["sign_stability"], top_fraction=p.top_fraction
)
summary.insert(0, "dataset", p.dataset)
summary["null_model"] = cfg["null_model"]  # the subjects' surrogates (the group row is the t-test across them)
save_table(snakemake.output.table, summary)
save_table(snakemake.output.links, group)
print(summary.to_string(), file=sys.stderr)
