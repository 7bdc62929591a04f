"""Phantom recovery: scores of every method from the NIfTI and from the true region signals."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import numpy as np
import pandas as pd

from zerolag.fmri.tables import phantom_tables
from zerolag.io import save_table

p, inp = snakemake.params, snakemake.input
table, example = phantom_tables(
    nifti=[pd.read_csv(f) for f in inp.nifti],
    regions=[pd.read_csv(f) for f in inp.regions],
    truths=[dict(np.load(f)) for f in inp.truth],
    signals=[np.load(f) for f in inp.signals],
    references=[np.load(f) for f in inp.reference],
    subjects=list(p.subjects),
    methods=list(p.methods),
    estimator=p.estimator,
    top_fraction=p.top_fraction,
)
save_table(snakemake.output.table, table)
save_table(snakemake.output.example, example)
print(table[["subject", "source", "method", "auc", "prs", "pcc"]].to_string(), file=sys.stderr)
