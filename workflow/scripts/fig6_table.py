"""Fig. 6 data: the example subject's network table."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.io import save_table

table = pd.read_csv(snakemake.input.network)
table.insert(0, "subject", snakemake.params.subject)
table.insert(0, "dataset", snakemake.params.dataset)
save_table(snakemake.output.table, table)
