#!/usr/bin/env python
"""Time the fast optimiser against an earlier revision of it, alternating the two on the same networks.

The earlier ``irls.py`` is taken from git (``--baseline``, default ``HEAD``) into a temporary module
outside the repository, so both versions run in this one process, on the same networks, turn about
(old, new, old, new …): a machine shared with other jobs slows both alike. Per N the table gives the
median wall-clock and CPU seconds of each (``minimize_irls`` on ``B₀``, which is computed once per
network and not timed), their ratio, and the largest relative difference of the final costs
(new − old; ≤ 0 means the new version ends at or below the old one on every network) and of
``G_est`` from the true ``G``. The load average is printed with every row: with both cores busy the
seconds are slower than on an idle machine, the ratios less so.

Usage::

    .venv/bin/python benchmarks/compare_fast_optimizer.py --baseline main --sizes 100,200,400 --networks 5,5,2
    .venv/bin/python benchmarks/compare_fast_optimizer.py --baseline main --sizes 1000 --networks 1 --threads 2
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import _single_thread  # noqa: F401  (pins BLAS threads before NumPy loads)
import numpy as np
from threadpoolctl import threadpool_limits

import zerolag
from zerolag.estimation.fit import inverse_sqrt
from zerolag.estimation.model import covariance
from zerolag.estimation.optimizers import irls as current

REPO = Path(__file__).resolve().parents[1]
MODULE = "src/zerolag/estimation/optimizers/irls.py"


def load_baseline(revision: str, directory: str):
    """The module ``irls.py`` of ``revision``, imported from ``directory``.

    Its relative imports are made absolute, so its sibling modules (``common``, ``rotations``, ``snap``)
    are the working tree's: compare against a revision whose siblings are the same, or older than them.
    """
    text = subprocess.run(
        ["git", "-C", str(REPO), "show", f"{revision}:{MODULE}"], capture_output=True, text=True, check=True
    ).stdout
    text = re.sub(r"^from \.(\w+) import", r"from zerolag.estimation.optimizers.\1 import", text, flags=re.M)
    path = Path(directory) / "irls_baseline.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location("irls_baseline", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def g_estimate(m: np.ndarray) -> np.ndarray:
    g = -(m / np.diag(m)[:, None])
    np.fill_diagonal(g, 0.0)
    return g


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default="HEAD", help="git revision of the old irls.py (default: HEAD)")
    parser.add_argument("--sizes", default="100,200,400", help="network sizes N (default: 100,200,400)")
    parser.add_argument("--networks", default="5,5,2", help="networks per size (default: 5,5,2)")
    parser.add_argument("--repeats", type=int, default=1, help="old/new pairs per network (default: 1)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads for both (default: 1)")
    parser.add_argument("--p", type=float, default=0.1)
    parser.add_argument("--rho", type=float, default=0.7)
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    networks = [int(s) for s in args.networks.split(",")]
    if len(networks) == 1:
        networks *= len(sizes)
    with tempfile.TemporaryDirectory() as tmp, threadpool_limits(limits=args.threads):
        old = load_baseline(args.baseline, tmp)
        versions = {"old": old.minimize_irls, "new": current.minimize_irls}
        print(f"# baseline {args.baseline}; {args.threads} BLAS thread(s); p={args.p:g} rho={args.rho:g}")
        header = (
            f"{'N':>5} {'K':>3} {'old s':>8} {'new s':>8} {'ratio':>6} {'old cpu':>8} {'new cpu':>8} {'ratio':>6}"
            f" {'max rel cost new-old':>21} {'max |G-G_true| old/new':>23} {'load':>5}"
        )
        print(header)
        for n, count in zip(sizes, networks, strict=True):
            wall = {"old": [], "new": []}
            cpu = {"old": [], "new": []}
            rel, err = [], {"old": 0.0, "new": 0.0}
            for k in range(count):
                seed = 1000 * n + k  # the seeds of bench_optimizers.py
                g, _ = zerolag.make_network(zerolag.NetworkSpec(n, args.p, args.rho), random_state=seed)
                b0 = inverse_sqrt(covariance(g))
                cost = {}
                for _ in range(args.repeats):
                    for name, minimize in versions.items():
                        c0, t0 = time.process_time(), time.perf_counter()
                        _, m, info = minimize(b0)
                        wall[name].append(time.perf_counter() - t0)
                        cpu[name].append(time.process_time() - c0)
                        cost[name] = info.final_cost
                        err[name] = max(err[name], float(np.abs(g_estimate(m) - g).max()))
                rel.append((cost["new"] - cost["old"]) / cost["old"])
                print(f"  N={n} seed={seed} cost old {cost['old']:.10f} new {cost['new']:.10f}", file=sys.stderr)
            w = {name: statistics.median(v) for name, v in wall.items()}
            c = {name: statistics.median(v) for name, v in cpu.items()}
            print(
                f"{n:>5} {count:>3} {w['old']:8.3f} {w['new']:8.3f} {w['old'] / w['new']:6.2f} {c['old']:8.3f}"
                f" {c['new']:8.3f} {c['old'] / c['new']:6.2f} {max(rel):+21.1e} {err['old']:11.1e}/{err['new']:<11.1e}"
                f" {os.getloadavg()[0]:5.2f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
