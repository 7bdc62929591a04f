"""Fig. 6 data: the example subject's network table, with which of its links are reliable."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag.fmri.reliability import reliable
from zerolag.io import save_table

cfg = snakemake.params.reliability
table = pd.read_csv(snakemake.input.network)
stats = pd.read_csv(snakemake.input.reliability, keep_default_na=False)
stats["reliable"] = reliable(stats, q=cfg["q"], sign_stability=cfg["sign_stability"])
columns = ["q", "sign_stability", "reliable"]
table = table.merge(stats[["target", "source", *columns]], on=["target", "source"], how="left", validate="one_to_one")
table.insert(0, "subject", snakemake.params.subject)
table.insert(0, "dataset", snakemake.params.dataset)
save_table(snakemake.output.table, table)
print(f"{int(table['reliable'].sum())} reliable links", file=sys.stderr)
