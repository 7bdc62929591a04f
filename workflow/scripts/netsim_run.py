"""Every method on every subject of one NetSim-style simulation: estimates and one score row per method."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import numpy as np
import pandas as pd

from zerolag.io import save_npz, save_table
from zerolag.netsim import estimate_subjects, netsim_scores
from zerolag.threads import blas_threads

w = snakemake.wildcards
with np.load(snakemake.input.data) as f:
    ts, truth = f["ts"], f["truth"]
spec = dict(snakemake.params.spec)
rows, stacks = [], {}
for label, m in snakemake.params.methods.items():
    with blas_threads(snakemake.threads):
        estimates, infos, seconds = estimate_subjects(m["method"], ts, **m["options"])
    stacks[label] = estimates
    converged = [bool(i["converged"]) for i in infos if "converged" in i]
    rows.append(
        {
            "simulation": w.sim,
            "source": "generated" if spec else "file",
            "nodes": ts.shape[2],
            "timepoints": ts.shape[1],
            **{k: spec.get(k, "") for k in ("shared_input", "backward", "cycle")},
            "method": label,
            "directed": bool(m["directed"]),
            **netsim_scores(truth, estimates, top_fraction=snakemake.params.top_fraction),
            "converged_subjects": sum(converged) if converged else "",
            "seconds_per_subject": float(np.mean(seconds)),
        }
    )
    print(f"{label} ({m['method']} {m['options']}): {np.mean(seconds):.4f} s per subject", file=sys.stderr)
save_npz(snakemake.output.estimates, **stacks)
save_table(snakemake.output.scores, pd.DataFrame(rows))
