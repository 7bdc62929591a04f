"""Run one connectivity method on one covariance (or time series); write the estimate and its fit record."""

import sys
import time

sys.stderr = open(snakemake.log[0], "w", buffering=1)

import numpy as np

from zerolag import estimate
from zerolag.io import save_json, save_npy
from zerolag.threads import blas_threads

method, options = snakemake.params.method, dict(snakemake.params.options)
with blas_threads(snakemake.threads):
    if hasattr(snakemake.input, "timeseries"):  # methods that need lagged or higher-order statistics
        data = {"timeseries": np.load(snakemake.input.timeseries)}
    else:
        data = {"covariance": np.load(snakemake.input.covariance)}
    start = time.perf_counter()
    g_est, info = estimate(method, data.get("covariance"), timeseries=data.get("timeseries"), **options)
    seconds = time.perf_counter() - start
if info.get("converged") is False:
    print(f"WARNING: {method} stopped at its iteration cap ({info.get('n_iter')}) without converging", file=sys.stderr)
save_npy(snakemake.output.estimate, g_est)
save_json(snakemake.output.info, {**info, "method": method, "method_options": options, "seconds": seconds})
print(f"{method} {options}: {seconds:.3f} s", file=sys.stderr)
