"""Fig. S1B data: histogram of every subject's estimated strengths before thresholding."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.fmri.tables import strength_histograms
from zerolag.io import save_table

p = snakemake.params
networks = [pd.read_csv(path) for path in snakemake.input.networks]
table = strength_histograms(networks, list(p.subjects), method=p.method, top_fraction=p.top_fraction, bins=p.bins)
save_table(snakemake.output.table, table)
