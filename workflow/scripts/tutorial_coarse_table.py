"""The tutorial's bonus 2: coarse-grained groups (each trial's seed draws its network and its simulation)."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from zerolag.io import save_table
from zerolag.threads import blas_threads
from zerolag.tutorial.neuromatch import coarse_graining

p = snakemake.params
with blas_threads(snakemake.threads):
    table = coarse_graining(p.n, timesteps=p.timesteps, seeds=p.seeds)
save_table(snakemake.output.table, table)
print(table.groupby("group_size")["pearson"].agg(["mean", "std", "count"]), file=sys.stderr)
