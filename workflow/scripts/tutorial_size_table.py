"""The tutorial's Section 2.2: quality against network size (every simulation with seed 42, as get_sys_corr)."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

from zerolag.io import save_table
from zerolag.threads import blas_threads
from zerolag.tutorial.neuromatch import quality_vs_size

p = snakemake.params
with blas_threads(snakemake.threads):
    table = quality_vs_size(p.sizes, timesteps=p.timesteps, network_seeds=p.seeds, simulation_seed=42)
save_table(snakemake.output.table, table)
print(table.groupby("n")["pearson"].agg(["mean", "std", "count"]), file=sys.stderr)
