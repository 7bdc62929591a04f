"""Recovery under unequal driving noise: G_est, the normalised G_norm and ``noise_aware=True`` (README's table).

Noise-free covariances C = (1 − G)⁻¹ D (1 − G)⁻ᵀ of Erdős–Rényi networks (N = 40, p = 0.1, ρ = 0.7), noise sd
log-uniform in [1/s, s], the fast optimiser. Per spread s: the median error on true links and the largest
error on them, and AUC median / min, of G_est against G/σ_i, of G_norm against G, and of the noise-aware
G_norm against G. Seeds 0–19 are the networks the noise-aware variant was designed on, 100–119 held out.

    .venv/bin/python benchmarks/unequal_noise.py            # both seed sets, ~5 min on one core
    .venv/bin/python benchmarks/unequal_noise.py --seeds 100-119 --spreads 1,2
"""

from __future__ import annotations

import argparse

import numpy as np

from zerolag import NetworkSpec, make_network, score
from zerolag.estimation.fit import fit_factor, normalise_rows


def draw(seed: int, n: int, s: float) -> tuple[np.ndarray, np.ndarray]:
    """A network and its noise sd (log-uniform in [1/s, s]) from one seed."""
    rng = np.random.default_rng(seed)
    g, _ = make_network(NetworkSpec(n, 0.1, 0.7), random_state=rng)
    return g, np.exp(rng.uniform(np.log(1 / s), np.log(s), n))


def covariance(g: np.ndarray, sd: np.ndarray) -> np.ndarray:
    a = np.linalg.inv(np.eye(len(sd)) - g)
    c = a @ np.diag(sd**2) @ a.T
    return (c + c.T) / 2


def errors(g: np.ndarray, estimate: np.ndarray, target: np.ndarray) -> tuple[np.ndarray, float]:
    link = g != 0
    return np.abs(estimate - target)[link], score(g, estimate)["auc"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", default="0-19,100-119", help="ranges a-b, comma-separated sets")
    parser.add_argument("--spreads", default="1,1.25,1.5,2,3")
    parser.add_argument("--n", type=int, default=40)
    args = parser.parse_args()
    spreads = [float(s) for s in args.spreads.split(",")]
    print(
        "| seeds | s | G_est vs G/σ: median / max | AUC median / min | G_norm vs G: median / max | AUC median / min "
        "| noise-aware G_norm vs G: median / max | AUC median / min |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for part in args.seeds.split(","):
        lo, hi = (int(v) for v in part.split("-"))
        for s in spreads:
            cols = {k: ([], []) for k in ("plain", "norm", "aware")}
            for seed in range(lo, hi + 1):
                g, sd = draw(seed, args.n, s)
                c = covariance(g, sd)
                m, _, _ = fit_factor(c, optimizer="fast")
                m_aware, _, _ = fit_factor(c, optimizer="fast", noise_aware=True)
                g_est = -m * (1 - np.eye(args.n))
                for key, est, target in (
                    ("plain", g_est, g / sd[:, None]),
                    ("norm", normalise_rows(m)[0], g),
                    ("aware", normalise_rows(m_aware)[0], g),
                ):
                    err, auc = errors(g, est, target)
                    cols[key][0].append(err)
                    cols[key][1].append(auc)
            cells = []
            for err, auc in cols.values():
                e = np.concatenate(err)
                cells += [f"{np.median(e):.2g} / {e.max():.2f}", f"{np.median(auc):.3f} / {np.min(auc):.3f}"]
            print(f"| {lo}–{hi} | {s:g} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
