"""Lagged correlation vs the zero-lag estimator on the paper's linear (OU) network: every repetition of one size."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from zerolag.io import save_table
from zerolag.threads import blas_threads
from zerolag.workflow.side_by_side import ou_comparison

p = snakemake.params
with blas_threads(snakemake.threads):
    table = ou_comparison(
        snakemake.wildcards.net, list(p.reps), timesteps=p.timesteps, tau=p.tau, dt=p.dt, zerolag=dict(p.zerolag)
    )
save_table(snakemake.output.rows, table)
print(table.to_string(), file=sys.stderr)
