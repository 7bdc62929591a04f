"""One network of the reliability figure: its OU + HRF series, each bootstrapped, each rule's links scored."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_table
from zerolag.workflow.reliability import reliability_rows

w = snakemake.wildcards
((label, method),) = snakemake.params.methods.items()
log = []
rows = reliability_rows(
    w.net,
    int(w.rep),
    **snakemake.params.settings,
    top_fraction=snakemake.params.top_fraction,
    label=label,
    method=method,
    n_jobs=snakemake.threads,
    log=log,
)
save_table(snakemake.output.rows, pd.DataFrame(rows))
print("\n".join(log), file=sys.stderr)
