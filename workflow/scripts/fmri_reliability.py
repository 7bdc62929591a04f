"""One subject: block-bootstrap and surrogate statistics of every link of its network (fast optimiser)."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import numpy as np
import pandas as pd

from zerolag.fmri.reliability import reliable, subject_reliability
from zerolag.io import save_json, save_table

cfg = snakemake.params.reliability
signals = np.load(snakemake.input.timeseries)
regions = pd.read_csv(snakemake.input.regions, sep="\t", keep_default_na=False)
table, record = subject_reliability(
    signals,
    regions,
    n_resamples=cfg["n_resamples"],
    n_surrogates=cfg["n_surrogates"],
    random_state=snakemake.params.seed,
    params=cfg["params"],
    top_fraction=snakemake.params.top_fraction,
    null_model=cfg["null_model"],
    null_distribution=cfg["null_distribution"],
    n_jobs=snakemake.threads,
)
record["seed"] = snakemake.params.seed
save_table(snakemake.output.table, table)
save_json(snakemake.output.record, record)
ok = reliable(table, q=cfg["q"], sign_stability=cfg["sign_stability"])
print(
    f"{int(ok.sum())} of {len(table)} links reliable (q <= {cfg['q']}, sign stability >= {cfg['sign_stability']})",
    file=sys.stderr,
)
print(record, file=sys.stderr)
