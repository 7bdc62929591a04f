"""One subject's networks of every method as one tidy table with region labels (hemisphere-ordered positions)."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import numpy as np
import pandas as pd

from zerolag.fmri.tables import subject_network_table
from zerolag.io import save_table

regions = pd.read_csv(snakemake.input.regions, sep="\t", keep_default_na=False)
estimates = {m: np.load(p) for m, p in zip(snakemake.params.methods, snakemake.input.estimates, strict=True)}
table = subject_network_table(estimates, regions, top_fraction=snakemake.params.top_fraction)
save_table(snakemake.output.table, table)
print(f"{len(regions)} regions, {len(table)} links", file=sys.stderr)
