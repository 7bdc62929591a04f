"""Every method's symmetrised |network| against the same subject's structural connectivity."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import numpy as np
import pandas as pd

from zerolag.fmri.tables import structure_table
from zerolag.io import save_table

p = snakemake.params
networks = [pd.read_csv(path) for path in snakemake.input.networks]
sc = [np.load(path) for path in snakemake.input.sc]
table = structure_table(networks, sc, list(p.subjects), list(p.methods), sc_top_fraction=p.sc_top_fraction)
save_table(snakemake.output.table, table)
print(table.groupby("method")[["auc_sc_top", "spearman", "pearson_log"]].mean().to_string(), file=sys.stderr)
