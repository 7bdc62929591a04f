"""Lagged correlation vs the zero-lag estimator on the tutorial's sigmoid network: every repetition of one size."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from zerolag.io import save_table
from zerolag.threads import blas_threads
from zerolag.workflow.side_by_side import sigmoid_comparison

p = snakemake.params
with blas_threads(snakemake.threads):
    table = sigmoid_comparison(
        int(snakemake.wildcards.n), list(p.reps), timesteps=p.timesteps, sparsity=p.sparsity, zerolag=dict(p.zerolag)
    )
save_table(snakemake.output.rows, table)
print(table.to_string(), file=sys.stderr)
