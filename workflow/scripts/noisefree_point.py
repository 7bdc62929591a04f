"""Fig. 3's unit of work: every repetition of one network spec, every method on its noise-free covariance."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_table
from zerolag.threads import blas_threads
from zerolag.workflow.jobs import fit_summary, noisefree_scores

p = snakemake.params
with blas_threads(snakemake.threads):
    rows = noisefree_scores(snakemake.wildcards.net, list(p.reps), dict(p.methods), top_fraction=p.top_fraction)
print(fit_summary(rows), file=sys.stderr)
save_table(snakemake.output.scores, pd.DataFrame(rows))
