"""One network of the lag-inputs figure: every kind of data, length and input, the lag diagnostic, unequal noise."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_table
from zerolag.threads import blas_threads
from zerolag.workflow.jobs import fit_summary
from zerolag.workflow.lag_inputs import lag_inputs_scores

w = snakemake.wildcards
((label, method),) = snakemake.params.methods.items()
log = []
with blas_threads(snakemake.threads):
    rows = lag_inputs_scores(
        w.net,
        int(w.rep),
        kinds=dict(snakemake.params.kinds),
        lengths=list(snakemake.params.lengths),
        spreads=list(snakemake.params.spreads),
        label=label,
        method=method,
        top_fraction=snakemake.params.top_fraction,
        log=log,
    )
save_table(snakemake.output.rows, pd.DataFrame(rows))
print("\n".join(log), file=sys.stderr)
print(fit_summary(rows), file=sys.stderr)
