#!/usr/bin/env python
"""Time the library's optimisers (``"paper"``, ``"fast"``) and, optionally, the authors' connFinder.

For each network size N (``--sizes``) the script draws ``--networks`` Erdős–Rényi networks
(``p = 0.1, rho = 0.7`` by default, fixed seeds printed with the table), computes their noise-free
covariance and estimates the connectivity with each of the library's optimisers (``--optimizers``,
default ``paper,fast``: the faithful reproduction of the paper's conjugate gradient, and the
reweighted Gauss–Newton optimiser of the same objective). BLAS is pinned to one thread (environment
variables set before NumPy is imported, plus ``threadpoolctl``), which is the fast setting for these sizes.

With ``--connfinder PATH`` (a checkout of https://github.com/jonathanschiefer/connFinder, GPL-3, kept
outside this repository) the authors' ``gradient_methods.conjugate`` is imported from PATH at run time
and run on the same networks, from the same start matrix ``B0 = (C^-1)^(1/2)``, in the same process,
alternating with ours network by network. No connFinder code is part of this repository.

Per N the table gives the median wall-clock seconds of one estimate, mean AUC / PRS / PCC against the
true network, mean optimiser steps (conjugate-gradient + final line search), mean L1 cost of the
solution minus the L1 cost of the true solution ``1 - G``, the number of converged runs and the
speed-up: the median seconds of the first optimiser (``paper``) over the row's.

Usage::

    .venv/bin/python benchmarks/bench_optimizers.py
    .venv/bin/python benchmarks/bench_optimizers.py --connfinder /path/to/connFinder --csv runs.csv
    .venv/bin/python benchmarks/bench_optimizers.py --sizes 400 --networks 2 --connfinder /path/to/connFinder
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import statistics
import sys

import _single_thread  # noqa: F401  (pins BLAS threads before NumPy loads)
import numpy as np
import scipy
from threadpoolctl import threadpool_info, threadpool_limits

import zerolag
from zerolag.workflow.timing import CONNFINDER, ConnFinder, timed_row

CSV_FIELDS = [
    "n",
    "network",
    "seed",
    "method",
    "seconds",
    "auc",
    "prs",
    "pcc",
    "n_iter",
    "n_linesearch",
    "steps",
    "final_cost",
    "true_cost",
    "cost_gap",
    "converged",
]


def parse_sizes(text: str) -> list[int]:
    sizes = [int(s) for s in text.replace(",", " ").split()]
    if not sizes or min(sizes) < 2:
        raise argparse.ArgumentTypeError(f"sizes must be integers >= 2, got {text!r}")
    return sizes


def network_seed(base: int, n: int, k: int) -> int:
    """Fixed, readable seed of network ``k`` of size ``n``: e.g. 100003 for N = 100, k = 3, base 0."""
    return base * 10_000_000 + 1000 * n + k


def summarise(rows: list[dict]) -> dict:
    return {
        "k": len(rows),
        "median_s": statistics.median(r["seconds"] for r in rows),
        "auc": float(np.mean([r["auc"] for r in rows])),
        "prs": float(np.mean([r["prs"] for r in rows])),
        "pcc": float(np.mean([r["pcc"] for r in rows])),
        "steps": float(np.mean([r["steps"] for r in rows])),
        "cost_gap": float(np.mean([r["cost_gap"] for r in rows])),
        "converged": sum(bool(r["converged"]) for r in rows),
    }


def blas_description() -> str:
    pools = threadpool_info()
    if not pools:
        return "no BLAS/OpenMP pool found"
    return "; ".join(f"{p.get('internal_api')} {p.get('version')} ({p.get('num_threads')} thr)" for p in pools)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sizes", type=parse_sizes, default=[50, 100, 200], help="network sizes N (default: 50,100,200)"
    )
    parser.add_argument(
        "--optimizers",
        type=lambda text: [o.strip() for o in text.split(",") if o.strip()],
        default=["paper", "fast"],
        help="our optimisers to run, the first is the speed-up reference (default: paper,fast)",
    )
    parser.add_argument("--networks", type=int, default=5, help="networks per size (default: 5)")
    parser.add_argument("--p", type=float, default=0.1, help="connection probability (default: 0.1)")
    parser.add_argument("--rho", type=float, default=0.7, help="spectral radius (default: 0.7)")
    parser.add_argument("--seed", type=int, default=0, help="base of the fixed network seeds (default: 0)")
    parser.add_argument("--connfinder", metavar="PATH", help="checkout of the authors' connFinder to compare with")
    parser.add_argument("--csv", metavar="OUT", help="also write one row per run (network x method) to OUT")
    parser.add_argument("--quiet", action="store_true", help="no per-network progress on stderr")
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="BLAS threads for every method (default: 1, the fast setting up to N ~ 500)",
    )
    args = parser.parse_args(argv)
    if args.networks < 1:
        parser.error("--networks must be at least 1")
    if args.threads < 1:
        parser.error("--threads must be at least 1")

    try:
        cf = ConnFinder(args.connfinder) if args.connfinder else None
    except FileNotFoundError as exc:
        parser.error(f"--connfinder: {exc}")
    methods = [*args.optimizers] + ([CONNFINDER] if cf else [])

    with threadpool_limits(limits=args.threads):
        print(
            f"# zerolag {zerolag.__version__}, numpy {np.__version__}, scipy {scipy.__version__}, "
            f"Python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} CPUs"
        )
        print(f"# BLAS: {blas_description()}")
        if cf:
            print(f"# connFinder: {cf.path} @ {cf.revision()}")
        print(
            f"# networks: Erdos-Renyi p={args.p:g} rho={args.rho:g}, noise-free covariance, "
            f"{args.networks} per N; optimisers {','.join(args.optimizers)} at their defaults "
            "(paper: xtol=gtol=0.5 ftol=1e-4 kappa=2000, the notebook's noise-free values)"
        )
        for n in args.sizes:
            seeds = [network_seed(args.seed, n, k) for k in range(args.networks)]
            print(f"# seeds N={n}: {' '.join(map(str, seeds))}")
        sys.stdout.flush()

        # Warm-up (not timed): first calls pay for lazy imports and BLAS initialisation.
        _, warm_truth = zerolag.make_network(zerolag.NetworkSpec(20, 0.2, args.rho), random_state=12345)
        for method in methods:
            timed_row(warm_truth, warm_truth != 0, method, threads=args.threads, connfinder=cf)

        runs: list[dict] = []
        for n in args.sizes:
            spec = zerolag.NetworkSpec(n, args.p, args.rho)
            for k in range(args.networks):
                seed = network_seed(args.seed, n, k)
                g_full, truth = zerolag.make_network(spec, random_state=seed)
                for method in methods:
                    rec = timed_row(g_full, truth, method, threads=args.threads, connfinder=cf)
                    rec.update(n=n, network=k, seed=seed)
                    runs.append(rec)
                    if not args.quiet:
                        print(
                            f"  N={n} net={k} seed={seed} {method:<10} {rec['seconds']:8.3f} s  "
                            f"AUC {rec['auc']:.4f}  PRS {rec['prs']:.4f}  PCC {rec['pcc']:.4f}  "
                            f"steps {rec['steps']}  cost-true {rec['cost_gap']:+.4f}"
                            f"{'' if rec['converged'] else '  NOT CONVERGED'}",
                            file=sys.stderr,
                            flush=True,
                        )

    header = (
        f"{'N':>5} {'K':>3}  {'method':<10} {'median s':>9} {'AUC':>7} {'PRS':>7} {'PCC':>7} "
        f"{'steps':>8} {'cost-true':>10} {'conv':>5} {'speed-up':>8}"
    )
    print()
    print(header)
    print("-" * len(header))
    for n in args.sizes:
        reference = summarise([r for r in runs if r["n"] == n and r["method"] == methods[0]])
        for method in methods:
            s = summarise([r for r in runs if r["n"] == n and r["method"] == method])
            ratio = f"{reference['median_s'] / s['median_s']:8.2f}"
            row = (
                f"{n:>5} {s['k']:>3}  {method:<10} {s['median_s']:9.3f} {s['auc']:7.4f} {s['prs']:7.4f} "
                f"{s['pcc']:7.4f} {s['steps']:8.1f} {s['cost_gap']:+10.4f} {s['converged']:>2}/{s['k']:<2} {ratio}"
            )
            print(row.rstrip())
    print()
    print(
        "median s: wall-clock seconds of one estimate incl. B0 = (C^-1)^(1/2), median over the K networks; "
        "AUC/PRS/PCC, steps (CG + line search) and cost-true (L1 cost of the estimate minus that of 1-G): "
        f"means; speed-up: median s of {methods[0]!r} / median s of the row's method."
    )

    if args.csv:
        with open(args.csv, "w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=CSV_FIELDS, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(runs)
        print(f"# per-run rows written to {args.csv}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
