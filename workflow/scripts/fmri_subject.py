"""One subject: input files → cleaned region signals, dropped regions, every method's network as one table."""

import sys

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from zerolag.estimation.diagnostics import lag_diagnostic
from zerolag.fmri.confound_strategies import ConfoundStrategy
from zerolag.fmri.pipeline import prepare_fmriprep_run, prepare_nifti, prepare_timeseries, save_region_signals
from zerolag.fmri.tables import subject_network_table
from zerolag.io import save_npy, save_table
from zerolag.threads import blas_threads
from zerolag.workflow.jobs import run_method

opt = dict(snakemake.params.options)
inp = snakemake.input
confounds = inp.get("confounds") if hasattr(inp, "get") else None
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    if opt["kind"] == "bids":
        rs = prepare_fmriprep_run(
            inp.image,
            confounds,
            ConfoundStrategy.from_dict(opt["confound_strategy"]),
            inp.atlas,
            inp.atlas_labels,
            exclude=opt["exclude"],
            detrend=opt["detrend"],
            standardize=opt["standardize"],
        )
    elif opt["kind"] == "nifti":
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
diagnostic = lag_diagnostic(rs.signals)  # is the zero-lag covariance the right input for these signals?
rs.record["lag_diagnostic"] = diagnostic.as_dict()
print(f"lag diagnostic: {diagnostic.verdict}: {diagnostic.message}", file=sys.stderr)
save_region_signals(str(Path(snakemake.output.timeseries).parent), rs)
covariance = np.cov(rs.signals, rowvar=False)
save_npy(snakemake.output.covariance, covariance)
print(f"{rs.signals.shape[1]} regions, {rs.signals.shape[0]} volumes, {len(rs.dropped)} dropped", file=sys.stderr)
for _, row in rs.dropped.iterrows():
    print(f"dropped {row['name']}: {row['reason']}", file=sys.stderr)

estimates = {}
with blas_threads(snakemake.threads):
    for label, method in snakemake.params.methods.items():
        # time-series methods, and zero-lag labels with covariance: long_run, get the signals
        if method["input"] == "timeseries":
            estimates[label], info, seconds = run_method(method, timeseries=rs.signals)
        else:
            estimates[label], info, seconds = run_method(method, covariance)
        print(f"{label} ({method['method']} {method['options']}): {seconds:.3f} s", file=sys.stderr)
        if "long_run_bandwidth" in info:
            print(f"{label}: long-run covariance, bandwidth {info['long_run_bandwidth']} samples", file=sys.stderr)
        if info.get("converged") is False:
            cap = info.get("n_iter")
            print(f"WARNING: {label} stopped at its iteration cap ({cap}) without converging", file=sys.stderr)
regions = pd.read_csv(snakemake.output.regions, sep="\t", keep_default_na=False)  # as every later step reads it
table = subject_network_table(estimates, regions, top_fraction=snakemake.params.top_fraction)
save_table(snakemake.output.network, table)
print(f"{len(regions)} regions, {len(table)} links", file=sys.stderr)
