"""Fig. 8 data: agreement of this method's and RIC's symmetrised binary networks, per subject."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.fmri.tables import agreement_table
from zerolag.io import save_table

p = snakemake.params
networks = [pd.read_csv(path) for path in snakemake.input.networks]
table = agreement_table(networks, list(p.subjects), ours=p.ours, ric=p.ric, top_fraction=p.top_fraction)
save_table(snakemake.output.table, table)
print(table.to_string(), file=sys.stderr)
