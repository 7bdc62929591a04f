"""One NetSim-style simulation (generated, or read from a NetSim .mat file): every method on every subject."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import numpy as np
import pandas as pd

from zerolag.io import save_npz, save_table
from zerolag.netsim import (
    BalloonParameters,
    NetSimModel,
    NetSimSpec,
    estimate_subjects,
    netsim_scores,
    read_netsim,
    simulate_netsim,
)
from zerolag.threads import blas_threads

w, settings = snakemake.wildcards, snakemake.params.settings
if snakemake.input.mat:
    data = read_netsim(snakemake.input.mat[0])
    ts, truth, source = data.ts, data.truth, snakemake.input.mat[0]
else:
    model = NetSimModel(**settings["model"], balloon=BalloonParameters(**settings["balloon"]))
    ts, truth = simulate_netsim(
        NetSimSpec(**settings["spec"]), model, subjects=settings["subjects"], random_state=snakemake.params.seed
    )
    source = "generated"
print(f"{w.sim} ({source}): ts {ts.shape}, truth {truth.shape}", file=sys.stderr)
spec = dict(settings.get("spec", {}))
rows, stacks = [], {"truth": truth}
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
            **{k: settings.get("model", {}).get(k, "") for k in ("thermal_noise", "hrf_delay_sd", "neural_noise")},
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
