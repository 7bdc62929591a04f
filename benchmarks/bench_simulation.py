#!/usr/bin/env python
"""Time and memory of the OU + HRF + covariance simulation, and the Fig. 2-style scores it leads to.

Default case, the authors' example: N = 100, p = 0.1, rho = 0.74, tau = dt = 0.1 s, 200 000 s of data
(2 000 000 steps). Their code took 23 s to simulate plus 21 s to filter and peaked at 4.9 GB.

Every configuration runs in a fresh subprocess, so its peak resident memory (``ru_maxrss``) is its own;
the table gives wall-clock seconds of simulate + HRF + covariance (network drawing and process set-up
included, imports excluded), the peak RSS, the peak RSS minus the RSS after importing NumPy/SciPy/zerolag
(what the simulation itself added), and with ``--tracemalloc`` the peak of Python/NumPy allocations
(a separate, slower run).

Then, from the covariance of the first configuration, the estimator (``xtol = gtol = 1e-3,
ftol = 1e-5``, the paper's settings for sampled data) and ``zerolag.score`` give AUC / PRS / PCC of
``G_est`` and of the covariance matrix itself, next to the paper's Fig. 2.

Usage::

    .venv/bin/python benchmarks/bench_simulation.py                      # stream, float32, 1 and 2 threads
    .venv/bin/python benchmarks/bench_simulation.py --rho 0.3 --seeds 0,1,2
    .venv/bin/python benchmarks/bench_simulation.py --modes stream,full --dtypes float32,float64 --tracemalloc
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time

import _single_thread  # noqa: F401  (pins BLAS threads before NumPy loads)

PAPER = {
    "G_est, paper Fig. 2": (0.98, 0.97, 0.95),
    "covariance, paper Fig. 2": (0.93, 0.54, 0.29),
}


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def run_one(args: argparse.Namespace) -> dict:
    """One configuration, in this (child) process; returns timings, memory and the covariance."""

    import zerolag
    from zerolag.estimation.spectra import sample_covariance
    from zerolag.simulation.hrf import standardize  # noqa: F401  (imported for the baseline RSS)
    from zerolag.simulation.ou import bold_statistics, simulate_bold

    if args.tracemalloc:
        import tracemalloc

        tracemalloc.start()
    base = _rss_mb()
    t0 = time.perf_counter()
    g, truth = zerolag.make_network(zerolag.NetworkSpec(args.n, args.p, args.rho), random_state=args.seed)
    kw = {"tau": args.tau, "dt": args.dt, "duration": args.duration, "random_state": args.seed + 1000}
    if args.mode == "stream":
        cov = bold_statistics(g, dtype=args.dtype, n_threads=args.threads, **kw).covariance()
    else:
        cov = sample_covariance(simulate_bold(g, dtype=args.dtype, n_threads=args.threads, **kw))
    seconds = time.perf_counter() - t0
    out = {"seconds": seconds, "rss_mb": _rss_mb(), "base_mb": base, "cov": cov.tolist(), "truth": truth.tolist()}
    if args.tracemalloc:
        out["traced_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
    return out


def spawn(args: argparse.Namespace, **override) -> dict:
    cmd = [sys.executable, __file__, "--child"]
    for key, value in {**vars(args), **override}.items():
        if key in ("child", "modes", "dtypes", "threads_list", "seeds", "no_estimate"):
            continue
        if isinstance(value, bool):
            if value:
                cmd.append(f"--{key}")
        else:
            cmd += [f"--{key}", str(value)]
    res = subprocess.run(cmd, capture_output=True, text=True, check=True)
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--p", type=float, default=0.1)
    ap.add_argument("--rho", type=float, default=0.74)
    ap.add_argument("--tau", type=float, default=0.1)
    ap.add_argument("--dt", type=float, default=0.1)
    ap.add_argument("--duration", type=float, default=200_000.0)
    ap.add_argument("--seeds", default="0", help="network seeds for the scores, comma-separated")
    ap.add_argument("--modes", default="stream", help="stream (bold_statistics) and/or full (simulate_bold)")
    ap.add_argument("--dtypes", default="float32")
    ap.add_argument("--threads-list", dest="threads_list", default="1,2")
    ap.add_argument("--tracemalloc", action="store_true", help="also measure the traced allocation peak")
    ap.add_argument("--no-estimate", dest="no_estimate", action="store_true", help="timings only")
    # child-only
    ap.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--mode", default="stream", help=argparse.SUPPRESS)
    ap.add_argument("--dtype", default="float32", help=argparse.SUPPRESS)
    ap.add_argument("--threads", type=int, default=1, help=argparse.SUPPRESS)
    ap.add_argument("--seed", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(run_one(args)))
        return

    import numpy as np
    import scipy

    import zerolag

    steps = round(args.duration / args.dt)
    print(f"# bench_simulation: N = {args.n}, p = {args.p}, rho = {args.rho}, tau = {args.tau} s, dt = {args.dt} s,")
    print(f"#   {args.duration:g} s = {steps} steps; HRF 30 s; zero-lag covariance of the standardised BOLD signal")
    versions = f"Python {platform.python_version()}, NumPy {np.__version__}, SciPy {scipy.__version__}"
    print(f"# {versions}, {os.cpu_count()} CPUs")
    print()
    head = f"{'mode':>7} {'dtype':>8} {'threads':>7} {'seconds':>8} {'peak RSS MB':>12} {'added MB':>9}"
    print(head + (f" {'traced MB':>10}" if args.tracemalloc else ""))
    print("-" * (len(head) + (11 if args.tracemalloc else 0)))
    seeds = [int(s) for s in args.seeds.split(",")]
    first = None
    for mode in args.modes.split(","):
        for dtype in args.dtypes.split(","):
            for threads in (int(t) for t in args.threads_list.split(",")):
                r = spawn(args, mode=mode, dtype=dtype, threads=threads, seed=seeds[0], tracemalloc=False)
                line = (
                    f"{mode:>7} {dtype:>8} {threads:>7} {r['seconds']:8.2f} {r['rss_mb']:12.0f} "
                    f"{r['rss_mb'] - r['base_mb']:9.0f}"
                )
                if args.tracemalloc:
                    t = spawn(args, mode=mode, dtype=dtype, threads=threads, seed=seeds[0], tracemalloc=True)
                    line += f" {t['traced_mb']:10.0f}"
                print(line, flush=True)
                first = first or r
    if args.no_estimate:
        return

    print()
    print(
        "# scores: estimate_connectivity(C, optimizer='paper', xtol=1e-3, gtol=1e-3, ftol=1e-5)"
        " and the covariance itself"
    )
    print(f"{'seed':>5} {'matrix':<34} {'AUC':>6} {'PRS':>6} {'PCC':>6} {'iter':>6} {'conv':>5} {'fit s':>6}")
    rows = {"G_est": [], "covariance": []}
    for k, seed in enumerate(seeds):
        r = first if k == 0 else spawn(args, mode="stream", dtype="float32", threads=2, seed=seed, tracemalloc=False)
        cov, truth = np.array(r["cov"]), np.array(r["truth"])
        t0 = time.perf_counter()
        g_est, info = zerolag.estimate_connectivity(
            cov, optimizer="paper", xtol=1e-3, gtol=1e-3, ftol=1e-5, return_info=True
        )
        fit = time.perf_counter() - t0
        for name, mat in (("G_est", g_est), ("covariance", cov)):
            s = zerolag.score(truth, mat)
            rows[name].append((s["auc"], s["prs"], s["pcc"]))
            extra = f" {info.n_iter:6d} {info.converged!s:>5} {fit:6.1f}" if name == "G_est" else ""
            print(f"{seed:5d} {name:<34} {s['auc']:6.3f} {s['prs']:6.3f} {s['pcc']:6.3f}{extra}", flush=True)
    if len(seeds) > 1:
        for name, vals in rows.items():
            m = np.mean(vals, axis=0)
            print(f"{'mean':>5} {name:<34} {m[0]:6.3f} {m[1]:6.3f} {m[2]:6.3f}")
    for name, (auc, prs, pcc) in PAPER.items():
        print(f"{'ref':>5} {name:<34} {auc:6.3f} {prs:6.3f} {pcc:6.3f}")


if __name__ == "__main__":
    main()
