#!/usr/bin/env python
"""Speed of a phase-randomised surrogate's covariance: ``SurrogateSpectrum.covariances`` against the direct way.

The direct way is the formula of :mod:`zerolag.estimation.surrogates` written out on whole arrays: the
phasors ``exp(2πi u)`` of one ``rng.random((⌊T/2⌋ + 1, N))`` draw (1 at frequency 0, ±1 at Nyquist), the
surrogate's spectrum, its real and imaginary parts stacked and multiplied out. The library draws the same
numbers, block by block of frequencies, with its phasors from a table of angles and a Taylor series of the
rest. Both run on one BLAS thread on the same white-noise series and seeds; the table gives the seconds per
surrogate, their ratio and the largest relative difference of the covariances.

Usage::

    .venv/bin/python benchmarks/surrogate_speed.py                       # N = 30, 100; T = 2·10⁴, 2·10⁵
    .venv/bin/python benchmarks/surrogate_speed.py --nodes 100 --samples 200000 --surrogates 10
"""

from __future__ import annotations

import argparse
import time

import _single_thread  # noqa: F401  (pins BLAS threads before NumPy loads)
import numpy as np

from zerolag.estimation.surrogates import SurrogateSpectrum


def direct_covariances(source: SurrogateSpectrum, seeds: list[np.random.SeedSequence]) -> np.ndarray:
    """The surrogates' covariances on whole arrays, with ``numpy.exp`` phasors."""
    f, n = source.spectrum.shape
    out = np.empty((len(seeds), n, n))
    for k, seed in enumerate(seeds):
        rng = np.random.default_rng(seed)
        phases = np.exp(2j * np.pi * rng.random((f, n)))
        phases[0] = 1
        if source.n_samples % 2 == 0:
            phases[-1] = np.where(rng.random(n) < 0.5, 1.0, -1.0)
        z = source.spectrum * phases
        stacked = np.concatenate([z.real, z.imag])
        c = stacked.T @ stacked / source.divisor
        out[k] = (c + c.T) / 2
    return out


def per_surrogate(run, source: SurrogateSpectrum, seeds: list[np.random.SeedSequence]) -> tuple[float, np.ndarray]:
    run(source, seeds[:1])  # warm-up: first touches of memory, the library's buffers
    start = time.perf_counter()
    out = run(source, seeds)
    return (time.perf_counter() - start) / len(seeds), out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nodes", default="30,100", help="channels N, comma-separated")
    parser.add_argument("--samples", default="20000,200000", help="series lengths T, comma-separated")
    parser.add_argument("--surrogates", type=int, default=5, help="surrogates timed per size")
    args = parser.parse_args()
    print("| N | T | direct s | library s | ratio | library s / (T N) | max rel. difference |")
    print("|---|---|---|---|---|---|---|")
    for n in (int(v) for v in args.nodes.split(",")):
        for t in (int(v) for v in args.samples.split(",")):
            x = np.random.default_rng(0).standard_normal((t, n))
            source = SurrogateSpectrum(x)
            seeds = np.random.SeedSequence(1).spawn(args.surrogates)
            direct, expected = per_surrogate(direct_covariances, source, seeds)
            library, got = per_surrogate(SurrogateSpectrum.covariances, source, seeds)
            diff = np.abs(got - expected).max() / np.abs(expected).max()
            print(
                f"| {n} | {t} | {direct:.4f} | {library:.4f} | {direct / library:.2f}× | "
                f"{library / (t * n):.2e} | {diff:.1e} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
