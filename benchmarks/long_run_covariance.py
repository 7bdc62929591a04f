#!/usr/bin/env python
"""Long-run covariance estimators compared: error against the exact S(0) and AUC of the network they give.

The numbers in the docstring of :mod:`zerolag.estimation.longrun` come from this script (defaults). Data, for
each network ``N30_p0.1_rho0.6_q0`` (seeds 0, 1, 2), one series of the longest length whose prefixes give
the shorter ones:

* ``iid``: ``x = (1 − G)⁻¹ v``, i.i.d. samples; ``S(0) = Γ(0) = (1 − G)⁻¹ (1 − G)⁻ᵀ``.
* ``ar1``: ``x_t = G x_{t−1} + ξ_t``; ``S(0) = (1 − G)⁻¹ (1 − G)⁻ᵀ``.
* ``ou``: the OU network, ``τ = 1 s``, sampled at ``Δt = 0.1 s`` (:func:`zerolag.simulation.ou.simulate_ou`);
  ``S(0) = (1 − F)⁻¹ Q (1 − F)⁻ᵀ``.
* ``ou+noise``: the same plus white observation noise with the signal's variance; ``S(0) + diag(σ²)``.

Candidates: ``zerolag.long_run_covariance`` (``bartlett``, ``batch_means``) with its VAR(1) plug-in bandwidth,
and, implemented here, the quadratic-spectral and Parzen kernels (same plug-in, ``q = 2``), Bartlett with
two other bandwidth rules (univariate AR(1), matrix Newey–West 1994), Welch's lowest non-zero frequency
(``zerolag.estimation.spectra.band_csd``), and the zero-lag sample covariance. A second table sweeps fixed
bandwidths.

Usage::

    .venv/bin/python benchmarks/long_run_covariance.py                  # ~5 min on one core
    .venv/bin/python benchmarks/long_run_covariance.py --seeds 0 --lengths 2500,10000 --json runs.json
"""

from __future__ import annotations

import argparse
import json
import time
import warnings

import _single_thread  # noqa: F401  (pins BLAS threads before NumPy loads)
import numpy as np

import zerolag
from zerolag import NetworkSpec, long_run_covariance, make_network
from zerolag.estimation.longrun import _mean, _var1_alpha
from zerolag.estimation.spectra import band_csd
from zerolag.simulation.ou import ou_process, simulate_ou

NETWORK = "N30_p0.1_rho0.6_q0"
KINDS = ("iid", "ar1", "ou", "ou+noise")


# --- data with an exact long-run covariance ---------------------------------------------------------------


def var1(a: np.ndarray, n_samples: int, rng: np.random.Generator, burn: int = 500) -> np.ndarray:
    """``x_t = A x_{t−1} + ξ_t``, ``ξ ~ N(0, 1)``, after ``burn`` discarded steps."""
    e = rng.standard_normal((n_samples + burn, a.shape[0]))
    x = np.empty_like(e)
    x[0] = e[0]
    for t in range(1, len(e)):
        x[t] = a @ x[t - 1] + e[t]
    return x[burn:]


def simulate(kind: str, seed: int, n_samples: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Samples, their exact long-run covariance, and the network to score against."""
    g, truth = make_network(NetworkSpec.from_name(NETWORK), random_state=seed)
    rng = np.random.default_rng(1000 + seed)
    eye = np.eye(g.shape[0])
    r = np.linalg.inv(eye - g)
    if kind == "iid":
        return rng.standard_normal((n_samples, g.shape[0])) @ r.T, r @ r.T, truth
    if kind == "ar1":
        return var1(g, n_samples, rng), r @ r.T, truth
    proc = ou_process(g, tau=1.0, dt=0.1)
    rf = np.linalg.inv(eye - proc.transition)
    s = rf @ proc.noise_cov @ rf.T
    x = simulate_ou(g, tau=1.0, dt=0.1, duration=n_samples * 0.1, random_state=rng)
    if kind == "ou+noise":
        sd = np.sqrt(np.diag(proc.stationary_cov))
        x = x + rng.standard_normal(x.shape) * sd
        s = s + np.diag(sd**2)
    return x, s, truth


# --- the candidates not in the library --------------------------------------------------------------------


def _centred(x: np.ndarray) -> np.ndarray:
    return x - x.mean(axis=0)


def autocovariances(x: np.ndarray, max_lag: int) -> np.ndarray:
    """``Γ̂(k) = T⁻¹ Σ_t x_{t+k} x_tᵀ`` for k = 0 … max_lag (x centred)."""
    t = x.shape[0]
    return np.stack([x[k:].T @ x[: t - k] / t for k in range(max_lag + 1)])


def parzen(x: np.ndarray, b: float) -> np.ndarray:
    """Parzen lag window, support |k| < b."""
    x = _centred(x)
    lags = max(0, int(np.ceil(b)) - 1)
    u = np.arange(lags + 1) / b
    w = np.where(u <= 0.5, 1 - 6 * u**2 + 6 * u**3, 2 * (1 - u) ** 3)
    g = autocovariances(x, lags)
    s = w[0] * g[0] + sum(w[k] * (g[k] + g[k].T) for k in range(1, lags + 1))
    return (s + s.T) / 2


def quadratic_spectral(x: np.ndarray, b: float) -> np.ndarray:
    """Quadratic-spectral lag window through its spectral window: Epanechnikov weights on the periodogram."""
    x = _centred(x)
    t = x.shape[0]
    top = max(1, int(3 * t / (5 * b)))  # |λ| ≤ 6π / (5 b)
    d = np.fft.rfft(x, axis=0)[1 : top + 1]
    lam = 2 * np.pi * np.arange(1, top + 1) / t
    w = np.clip(1 - (lam * b / (6 * np.pi / 5)) ** 2, 0, None)
    w = w / w.sum() if w.sum() > 0 else np.full(top, 1 / top)
    s = ((d * w[:, None]).T @ d.conj()).real / t
    return (s + s.T) / 2


def welch_lowest(x: np.ndarray, nperseg: int) -> np.ndarray:
    """Welch CSD at its lowest non-zero frequency 1/nperseg, real part, on the two-sided scale."""
    f = 1.0 / nperseg
    return band_csd(x, [(0.999 * f, 1.001 * f)], dt=1.0, nperseg=nperseg)[0].real / 2


def alpha_univariate(x: np.ndarray, q: int) -> float:
    """Andrews' AR(1) plug-in, one AR(1) per standardised channel, equal weights."""
    z = _centred(x) / x.std(axis=0)
    rho = np.clip(np.sum(z[1:] * z[:-1], axis=0) / np.sum(z[:-1] ** 2, axis=0), -0.97, 0.97)
    s2 = 1 - rho**2
    den = np.sum(s2**2 / (1 - rho) ** 4)
    num = 4 * rho**2 * s2**2 / ((1 - rho) ** 6 * (1 + rho) ** 2) if q == 1 else 4 * rho**2 * s2**2 / (1 - rho) ** 8
    return float(np.sum(num) / den)


def alpha_newey_west(x: np.ndarray) -> float:
    """Newey–West (1994) automatic rule for Bartlett, matrix form: lags n = ⌊4 (T/100)^{2/9}⌋, standardised."""
    z = _centred(x) / x.std(axis=0)
    n = int(4 * (len(z) / 100) ** (2 / 9))
    g = autocovariances(z, n)
    s0 = g[0] + sum(g[k] + g[k].T for k in range(1, n + 1))
    s1 = sum(k * (g[k] + g[k].T) for k in range(1, n + 1))
    return float(2 * np.sum(s1**2) / (np.trace(s0) ** 2 + np.trace(s0 @ s0)))


def alpha_var1_q2(x: np.ndarray) -> float:
    """The library's VAR(1) plug-in for q = 2 (``S⁽²⁾ = Σ k² Γ(k)``), same affine-invariant weight."""
    z = _centred(x)
    t, n = z.shape
    g0, g1 = z.T @ z / t, z[1:].T @ z[:-1] / t
    a = np.linalg.solve(g0, g1.T).T
    eye = np.eye(n)
    r = np.linalg.inv(eye - a)
    s = r @ (g0 - a @ g0 @ a.T) @ r.T
    m2 = a @ (eye + a) @ r @ r @ r  # Σ_k k² A^k
    w = np.linalg.solve(s, m2 @ g0 + g0 @ m2.T)
    return float(2 * np.trace(w @ w) / (n * (n + 1)))


def candidates(x: np.ndarray) -> dict[str, tuple[float, np.ndarray | None]]:
    """Every candidate's ``(bandwidth, Ŝ)`` for the series ``x`` (``Ŝ`` None where it cannot be computed)."""
    t, n = x.shape
    cap = min(t // (n + 1), (t - 1) // 2)
    out: dict[str, tuple[float, np.ndarray | None]] = {"zero-lag": (1.0, np.cov(x.T))}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # clipped automatic bandwidths
        for method in ("bartlett", "batch_means"):
            b = zerolag.long_run_bandwidth(x, method=method)
            out[method] = (b, long_run_covariance(x, method=method, bandwidth=b))
    a1 = _var1_alpha(x, _mean(x, False))
    assert out["bartlett"][0] == min(cap, max(1, round((1.5 * a1 * t) ** (1 / 3))))
    a2 = alpha_var1_q2(x)
    b = 1.3221 * (a2 * t) ** 0.2
    out["quadratic-spectral"] = (b, quadratic_spectral(x, b))
    b = 2.6614 * (a2 * t) ** 0.2
    out["parzen"] = (b, parzen(x, b))
    for name, alpha in (("bartlett, AR(1) rule", alpha_univariate(x, 1)), ("bartlett, NW rule", alpha_newey_west(x))):
        b = min(cap, max(1, round((1.5 * alpha * t) ** (1 / 3))))
        out[name] = (b, long_run_covariance(x, bandwidth=b))
    for nperseg in (64, 256):
        try:
            out[f"welch, nperseg {nperseg}"] = (nperseg, welch_lowest(x, nperseg))
        except ValueError:  # too few segments for the nodes
            out[f"welch, nperseg {nperseg}"] = (nperseg, None)
    return out


def auc(truth: np.ndarray, s: np.ndarray) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NotConvergedWarning on poor estimates
        g, _ = zerolag.estimate("zerolag", s)
    return zerolag.score(truth, g)["auc"]


def compare(seeds: list[int], lengths: list[int]) -> list[dict]:
    rows = []
    for kind in KINDS:
        for seed in seeds:
            x_all, s, truth = simulate(kind, seed, max(lengths))
            for t in lengths:
                x = x_all[:t]
                for name, (b, sh) in candidates(x).items():
                    err = np.nan if sh is None else float(np.linalg.norm(sh - s) / np.linalg.norm(s))
                    score = np.nan if sh is None else auc(truth, sh)
                    rows.append(dict(kind=kind, seed=seed, T=t, method=name, b=float(b), err=err, auc=score))
            print(f"# {kind} seed {seed} done", flush=True)
    return rows


def sweep(seeds: list[int], lengths: list[int], bandwidths: list[int]) -> list[dict]:
    rows = []
    for kind in ("ar1", "ou"):
        for seed in seeds:
            x_all, s, truth = simulate(kind, seed, max(lengths))
            for t in lengths:
                x = x_all[:t]
                for b in bandwidths:
                    if (x.shape[1] + 1) * b > t:
                        continue
                    for name, sh in (
                        ("bartlett", long_run_covariance(x, bandwidth=b)),
                        ("batch_means", long_run_covariance(x, method="batch_means", bandwidth=b)),
                        ("quadratic-spectral", quadratic_spectral(x, b)),
                    ):
                        err = float(np.linalg.norm(sh - s) / np.linalg.norm(s))
                        rows.append(dict(kind=kind, seed=seed, T=t, method=name, b=b, err=err, auc=auc(truth, sh)))
    return rows


def timings(n_samples: int = 40_000) -> dict[str, float]:
    x, _, _ = simulate("ou", 0, n_samples)
    b = zerolag.long_run_bandwidth(x)
    out = {}
    for name, run in (
        ("zero-lag", lambda: np.cov(x.T)),
        ("bandwidth", lambda: zerolag.long_run_bandwidth(x)),
        ("bartlett", lambda: long_run_covariance(x, bandwidth=b)),
        ("batch_means", lambda: long_run_covariance(x, method="batch_means", bandwidth=b)),
        ("quadratic-spectral", lambda: quadratic_spectral(x, b)),
        ("parzen", lambda: parzen(x, b)),
    ):
        t0 = time.perf_counter()
        run()
        out[name] = time.perf_counter() - t0
    return {"bandwidth used": b, **out}


def table(rows: list[dict], lengths: list[int]) -> str:
    """Means over the seeds: error and AUC per length, and the bandwidth at the longest."""
    methods = list(dict.fromkeys(r["method"] for r in rows))
    width = max(map(len, methods)) + 4
    ts = [f"{t:,}".replace(",", " ") for t in lengths]
    head = f"{'T =':>{width}}" + "".join(f"{t:>8}" for t in ts) + " |" + "".join(f"{t:>8}" for t in ts)
    head += f" | b at {ts[-1]}"
    lines = []
    for kind in dict.fromkeys(r["kind"] for r in rows):
        lines += [f"{kind:<{width}}" + f"{'err':>8}" * len(lengths) + " |" + f"{'AUC':>8}" * len(lengths), head]
        for m in methods:
            sel = [r for r in rows if r["kind"] == kind and r["method"] == m]
            mean = {
                (key, t): np.mean([r[key] for r in sel if r["T"] == t]) for key in ("err", "auc", "b") for t in lengths
            }
            err = "".join(f"{'—' if m == 'zero-lag' else format(mean['err', t], '.3f'):>8}" for t in lengths)
            aucs = "".join(f"{mean['auc', t]:>8.3f}" for t in lengths)
            lines.append(f"  {m:<{width - 2}}{err} |{aucs} | {mean['b', lengths[-1]]:.0f}")
    return "\n".join(lines)


def sweep_table(rows: list[dict]) -> str:
    bands = sorted({r["b"] for r in rows})
    lines = [f"{'':34}" + "".join(f"{'b=' + str(b):>8}" for b in bands)]
    for key in ("auc", "err"):
        for kind, t, m in dict.fromkeys((r["kind"], r["T"], r["method"]) for r in rows):
            cells = []
            for b in bands:
                v = [r[key] for r in rows if (r["kind"], r["T"], r["method"], r["b"]) == (kind, t, m, b)]
                cells.append(f"{np.mean(v):>8.3f}" if v else f"{'—':>8}")
            lines.append(f"{key} {kind} T={t} {m:<18}" + "".join(cells))
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="0,1,2")
    parser.add_argument("--lengths", default="2500,10000,40000")
    parser.add_argument("--sweep-lengths", default="10000,40000")
    parser.add_argument("--bandwidths", default="2,5,10,20,50,100,200")
    parser.add_argument("--no-sweep", action="store_true")
    parser.add_argument("--json", help="write every run to this file")
    args = parser.parse_args()
    seeds = [int(s) for s in args.seeds.split(",")]
    lengths = [int(t) for t in args.lengths.split(",")]
    print(f"# network {NETWORK}, seeds {seeds}; means over the seeds")
    rows = compare(seeds, lengths)
    print(table(rows, lengths))
    out = {"compare": rows}
    if not args.no_sweep:
        sw = sweep(seeds, [int(t) for t in args.sweep_lengths.split(",")], [int(b) for b in args.bandwidths.split(",")])
        print("\n# fixed bandwidths")
        print(sweep_table(sw))
        out["sweep"] = sw
    out["seconds"] = timings()
    print("\n# seconds at T = 40 000, N = 30 (one core):", {k: round(v, 3) for k, v in out["seconds"].items()})
    if args.json:
        with open(args.json, "w") as f:
            json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
