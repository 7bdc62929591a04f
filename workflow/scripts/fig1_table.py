"""Fig. 1 data: the three 3-node networks and every entry of their inverse covariance (tidy)."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag import inverse_covariance
from zerolag.io import save_table
from zerolag.simulation.networks import three_node_examples

rows = []
for name, g in three_node_examples(snakemake.params.weight).items():
    precision = inverse_covariance(g)
    for i in range(3):
        for j in range(3):
            rows.append(
                {
                    "network": name,
                    "row": i + 1,
                    "column": j + 1,
                    "coupling": g[i, j],
                    "inverse_covariance": precision[i, j],
                }
            )
table = pd.DataFrame(rows)
save_table(snakemake.output.table, table)
entry = table[(table["row"] == 2) & (table["column"] == 3)].set_index("network")["inverse_covariance"]
print(f"(2, 3) entry of the inverse covariance: {entry.to_dict()}", file=sys.stderr)
