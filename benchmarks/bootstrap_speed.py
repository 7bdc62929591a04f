#!/usr/bin/env python
"""Speed of :func:`zerolag.bootstrap_connectivity`: block sums against a naive covariance, warm against cold refits.

Data: the OU + HRF signal of the paper's sampled-data figures (N = 100, p = 0.1, ρ = 0.3, τ = 0.1 s, Δt = 0.1 s;
:func:`zerolag.simulation.ou.simulate_bold`), ``--samples`` long (default 10⁵ samples = 10 000 s; the figures
simulate up to 200 000 s = 2·10⁶). The block length is the one the bootstrap chooses from the data.

Measured, on ``--subset`` resamples drawn as the bootstrap draws them (then scaled to ``--resamples``):

* covariance of a resample: from the block sums (``BlockSums.covariances``, a batch of 16 as the bootstrap's
  tasks) against the naive way, gathering the resampled series and multiplying it out; the one-off cost of
  the block-sum table is printed beside it;
* refit of a resample: warm (from the full-data solution, the default) against cold (from ``U = 1``), and the
  relative L1 cost gap between them;

and the whole run, ``bootstrap_connectivity(x, n_resamples=--resamples, n_jobs=--jobs)``, with its speed-up
against the naive serial estimate (naive covariance + cold refit per resample, on one core).

Usage::

    .venv/bin/python benchmarks/bootstrap_speed.py                      # N = 100, T = 10⁵, 1000 resamples, 2 cores
    .venv/bin/python benchmarks/bootstrap_speed.py --nodes 10 --samples 5000 --resamples 40 --subset 8
"""

from __future__ import annotations

import argparse
import os
import time

import _single_thread  # noqa: F401  (pins BLAS threads before NumPy loads)
import numpy as np

import zerolag
from zerolag.estimation.bootstrap import BlockSums, block_grid, data_block_length
from zerolag.estimation.fit import fit_factor
from zerolag.estimation.resampling import RESAMPLES_PER_TASK
from zerolag.simulation.ou import simulate_bold
from zerolag.threads import blas_threads

DT, TAU = 0.1, 0.1


def naive_covariance(x: np.ndarray, sums: BlockSums, index: np.ndarray) -> np.ndarray:
    """The resample's covariance the plain way: gather its samples, subtract their mean, multiply out."""
    h = sums.grid.stride
    z = x[(index[:, None] * h + np.arange(h)).ravel()]
    z = z - z.mean(axis=0)
    return z.T @ z / (len(z) - 1)


def timed(f, *args, **kwargs):
    t0 = time.perf_counter()
    out = f(*args, **kwargs)
    return out, time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=100)
    parser.add_argument("--samples", type=int, default=100_000)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--subset", type=int, default=32, help="resamples timed one by one (default 32)")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    g, _ = zerolag.make_network(zerolag.NetworkSpec(n=args.nodes, p=0.1, rho=0.3), random_state=args.seed)
    x = simulate_bold(g, tau=TAU, dt=DT, duration=args.samples * DT, random_state=args.seed + 1)
    t, n = x.shape
    print(f"OU + HRF, N = {n}, T = {t} samples, {os.cpu_count()} CPUs, --jobs {args.jobs}, one BLAS thread per process")

    with blas_threads(1):
        b = data_block_length(x)
        grid = block_grid(t, n, b)
        sums, build = timed(BlockSums, x, grid, "moving")
        print(
            f"block length {grid.block_length} samples (data: {b}), stride {grid.stride}, {grid.n_chunks} chunks; "
            f"block-sum table {sums.table.nbytes / 2**20:.1f} MB, built in {build:.3f} s"
        )
        seeds = np.random.SeedSequence(args.seed).spawn(args.subset)
        rngs = [np.random.default_rng(s) for s in seeds]
        indices = [sums.draw(rng) for rng in rngs]
        naive, t_naive = timed(lambda: [naive_covariance(x, sums, i) for i in indices])
        t_sums = 0.0
        fast = []
        for k in range(0, args.subset, RESAMPLES_PER_TASK):
            batch, dt = timed(sums.covariances, seeds[k : k + RESAMPLES_PER_TASK])
            fast.append(batch)
            t_sums += dt
        fast = np.concatenate(fast)
        error = max(float(np.max(np.abs(f - c)) / np.max(np.abs(c))) for f, c in zip(fast, naive, strict=True))
        per_naive, per_sums = t_naive / args.subset, t_sums / args.subset
        print(
            f"covariance per resample: naive {per_naive * 1e3:.2f} ms, block sums {per_sums * 1e3:.2f} ms "
            f"({per_naive / per_sums:.1f}x; largest relative difference {error:.1e})"
        )

        _, u, _ = fit_factor(np.cov(x.T))
        cold = [timed(fit_factor, c) for c in fast]
        warm = [timed(fit_factor, c, u0=u) for c in fast]
        per_cold = np.mean([s for _, s in cold])
        per_warm = np.mean([s for _, s in warm])
        gap = np.array([w[2].final_cost / c[2].final_cost - 1 for (w, _), (c, _) in zip(warm, cold, strict=True)])
        iters = [np.mean([out[2].n_iter for out, _ in runs]) for runs in (cold, warm)]
        print(
            f"refit per resample: cold {per_cold * 1e3:.1f} ms ({iters[0]:.0f} iterations), "
            f"warm {per_warm * 1e3:.1f} ms ({iters[1]:.0f} iterations): {per_cold / per_warm:.2f}x; "
            f"warm/cold cost − 1: median {np.median(gap):+.2%}, range {gap.min():+.2%} … {gap.max():+.2%}"
        )

    naive_serial = args.resamples * (per_naive + per_cold)
    print(
        f"{args.resamples} resamples, estimated from the subset: naive serial (naive covariance + cold refit, 1 core) "
        f"{naive_serial:.1f} s; block sums + warm refits, 1 core {args.resamples * (per_sums + per_warm):.1f} s"
    )
    result, total = timed(
        zerolag.bootstrap_connectivity, x, n_resamples=args.resamples, n_jobs=args.jobs, random_state=0
    )
    print(
        f"bootstrap_connectivity, {args.resamples} resamples, n_jobs = {args.jobs}: {total:.1f} s measured "
        f"({naive_serial / total:.1f}x the naive serial estimate); {result.n_not_converged} refits not converged"
    )


if __name__ == "__main__":
    main()
