"""One NetSim-style simulation (every subject), generated or read from a NetSim .mat file."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)


from zerolag.io import save_npz
from zerolag.netsim import BalloonParameters, NetSimModel, NetSimSpec, read_netsim, simulate_netsim

settings = snakemake.params.settings
if snakemake.input.mat:
    data = read_netsim(snakemake.input.mat[0])
    ts, truth, source = data.ts, data.truth, snakemake.input.mat[0]
else:
    model = NetSimModel(**settings["model"], balloon=BalloonParameters(**settings["balloon"]))
    ts, truth = simulate_netsim(
        NetSimSpec(**settings["spec"]), model, subjects=settings["subjects"], random_state=snakemake.params.seed
    )
    source = "generated"
save_npz(snakemake.output.data, ts=ts, truth=truth)
print(f"{snakemake.wildcards.sim} ({source}): ts {ts.shape}, truth {truth.shape}", file=sys.stderr)
