"""One subject's input files → cleaned region signals, their labels, dropped regions, covariance."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import warnings

import numpy as np

from zerolag.fmri.pipeline import prepare_nifti, prepare_timeseries, save_region_signals
from zerolag.io import save_npy

opt = dict(snakemake.params.options)
inp = snakemake.input
confounds = inp.get("confounds") if hasattr(inp, "get") else None
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    if opt["kind"] == "nifti":
        rs = prepare_nifti(
            inp.image,
            inp.atlas,
            inp.atlas_labels,
            exclude=opt["exclude"],
            confounds=confounds,
            confound_columns=opt["confound_columns"] or None,
            nuisance=opt["nuisance"],
            detrend=opt["detrend"],
            standardize=opt["standardize"],
        )
    else:
        rs = prepare_timeseries(
            inp.timeseries,
            inp.get("labels"),
            confounds=confounds,
            confound_columns=opt["confound_columns"] or None,
            detrend=opt["detrend"],
            standardize=opt["standardize"],
            tr=opt["tr"],
        )
for w in caught:
    print(f"WARNING: {w.message}", file=sys.stderr)
rs.record["tr_config"] = opt["tr"]
save_region_signals(snakemake.output.timeseries.rsplit("/", 1)[0], rs)
save_npy(snakemake.output.covariance, np.cov(rs.signals, rowvar=False))
print(f"{rs.signals.shape[1]} regions, {rs.signals.shape[0]} volumes, {len(rs.dropped)} dropped", file=sys.stderr)
for _, row in rs.dropped.iterrows():
    print(f"dropped {row['name']}: {row['reason']}", file=sys.stderr)
