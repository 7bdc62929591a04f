"""Score one estimate against the network's truth: one tidy row."""

import json
import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import numpy as np
import pandas as pd

from zerolag.io import save_table
from zerolag.tables import metric_row

w = snakemake.wildcards
with np.load(snakemake.input.network) as f:
    truth = f["truth"]
with open(snakemake.input.info) as f:
    info = json.load(f)
row = metric_row(
    truth,
    np.load(snakemake.input.estimate),
    net=w.net,
    rep=int(w.rep),
    method=w.method,
    directed=snakemake.params.directed,
    info=info,
    seconds=info["seconds"],
    top_fraction=snakemake.params.top_fraction,
    seed=snakemake.params.seed,
)
save_table(snakemake.output.row, pd.DataFrame([row]))
