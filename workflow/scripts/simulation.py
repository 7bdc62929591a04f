"""One OU + HRF simulation and every data set, method and score the figures ask of it."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import time

import pandas as pd

from zerolag.io import save_npz, save_table
from zerolag.threads import blas_threads
from zerolag.workflow.jobs import fit_summary, simulation_scores

w, p = snakemake.wildcards, snakemake.params
start = time.perf_counter()
with blas_threads(snakemake.threads):
    rows, arrays = simulation_scores(
        w.simulation, w.net, int(w.rep), list(p.datasets), dict(p.methods), dt=p.dt, top_fraction=p.top_fraction
    )
print(fit_summary(rows), file=sys.stderr)
save_npz(snakemake.output.arrays, **arrays)
save_table(snakemake.output.scores, pd.DataFrame(rows))
print(f"{w.simulation} {w.net} rep{w.rep}: {len(rows)} scores in {time.perf_counter() - start:.1f} s", file=sys.stderr)
