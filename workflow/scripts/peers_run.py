"""One OU + HRF series sampled every tr and every method of the peers table on it."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_table
from zerolag.threads import blas_threads
from zerolag.workflow.jobs import fit_summary, peers_scores

w, p = snakemake.wildcards, snakemake.params
with blas_threads(snakemake.threads):
    rows = peers_scores(w.series, w.net, int(w.rep), dict(p.methods), dt=p.dt, top_fraction=p.top_fraction)
print(fit_summary(rows), file=sys.stderr)
save_table(snakemake.output.scores, pd.DataFrame(rows))
