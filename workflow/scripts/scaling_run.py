"""Time every configured optimiser (and connFinder, if a checkout is configured) on one noise-free network."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import pandas as pd

from zerolag import NetworkSpec, make_network
from zerolag.io import save_table
from zerolag.threads import blas_threads
from zerolag.workflow.timing import CONNFINDER, ConnFinder, timed_row

w = snakemake.wildcards
methods = list(snakemake.params.methods)
connfinder = ConnFinder(snakemake.params.connfinder) if CONNFINDER in methods else None
g, truth = make_network(NetworkSpec.from_name(w.net), random_state=snakemake.params.seed)
with blas_threads(1):  # one BLAS thread per fit, the fast setting at these sizes; the job holds both cores
    warm, _ = make_network(NetworkSpec(20, 0.2, 0.5), random_state=0)
    for method in methods:  # untimed warm-up: lazy imports and BLAS initialisation
        timed_row(warm, warm != 0, method, connfinder=connfinder)
    rows = [timed_row(g, truth, method, connfinder=connfinder) for method in methods]
table = pd.DataFrame(rows)
table.insert(0, "rep", int(w.rep))
table.insert(0, "n", g.shape[0])
table.insert(0, "network", w.net)
if connfinder is not None:
    table["connfinder_revision"] = connfinder.revision()
save_table(snakemake.output.rows, table)
for row in rows:
    print(
        f"{w.net} rep{w.rep} {row['method']}: {row['seconds']:.3f} s, cost - true {row['cost_gap']:+.4f}",
        file=sys.stderr,
    )
