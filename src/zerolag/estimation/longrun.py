"""Long-run (zero-frequency) covariance: the estimator's input when the coupling acts with a lag.

The model ``x = G x + v`` holds frequency by frequency, ``S(f) = (1 − G(f))⁻¹ (1 − G(f))⁻ᴴ``, and its
zero-frequency form is the long-run covariance

    S(0) = Σ_k Γ(k),    Γ(k) = E[x_{t+k} x_tᵀ]

(the two-sided cross-spectral density at frequency 0, times 2π in the angular convention). The zero-lag
covariance ``Γ(0)`` equals it only when the covariance function is concentrated at lag 0. Where the
coupling acts over a lag, it does not: for ``x_t = G x_{t−1} + ξ_t`` the zero-lag covariance solves
``Γ(0) = G Γ(0) Gᵀ + 1``, which is not of the model's form (its estimate is at chance, AUC 0.42), while
``S(0) = (1 − G)⁻¹ (1 − G)⁻ᵀ`` is exactly the model's form.

Estimators (``method``), for signals of shape (time, nodes):

* ``"bartlett"`` (default): ``Ŝ = Σ_{|k|<b} (1 − |k|/b) Γ̂(k)``, ``Γ̂(k) = T⁻¹ Σ_t x_{t+k} x_tᵀ`` (Newey &
  West 1987). Positive semi-definite; computed exactly as the sum of outer products of moving sums of
  ``b`` samples over the zero-padded series (overlapping batch means), so it costs what a zero-lag
  covariance costs, O(T N²), whatever ``b``. ``b = 1`` gives the zero-lag covariance (divisor ``T``).
* ``"batch_means"``: ``b`` times the covariance of the means of the ``⌊T/b⌋`` non-overlapping blocks of
  ``b`` samples (the last ``T mod b`` samples are dropped). ``b = 1`` gives the sample covariance
  (divisor ``T − 1``). The same bias as Bartlett at the same ``b``, 1.5× its variance (Meketon & Schmeiser
  1984), and singular unless there are more blocks than nodes.

Bandwidth (``bandwidth=None``): Andrews' (1991) plug-in with a VAR(1) approximating model, one of the
models he proposes: fit ``x_t = A x_{t−1} + ξ_t`` by Yule–Walker, take the model's
``S = (1 − A)⁻¹ Σ_ξ (1 − A)⁻ᵀ`` and ``S⁽¹⁾ = Σ_k |k| Γ(k)``, and minimise the asymptotic mean squared error
of ``Ŝ`` in the affine-invariant norm ``‖S^{−1/2} (Ŝ − S) S^{−1/2}‖_F`` (Andrews' weight matrix chosen as
``W = S⁻¹ ⊗ S⁻¹``: the error that reaches the estimator through ``C^{−1/2}``; it does not depend on the
units or any linear mixing of the channels):

    α = 2 tr(S⁻¹ S⁽¹⁾ S⁻¹ S⁽¹⁾) / (N (N + 1)),    b_Bartlett = (1.5 α T)^{1/3},    b_batch = (α T)^{1/3},

rounded to an integer ≥ 1. White noise gives ``b`` ≈ 1–2, i.e. about the zero-lag covariance.

Comparison (:file:`benchmarks/long_run_covariance.py`, which prints these numbers; N = 30 nodes, networks
``N30_p0.1_rho0.6_q0`` seeds 0–2, means over the 3). ``err`` = ‖Ŝ − S‖_F / ‖S‖_F against the exact
long-run covariance; ``AUC`` of ``zerolag.estimate("zerolag", Ŝ)`` against the network (its ceiling, from
the exact ``(1 − G)⁻¹ (1 − G)⁻ᵀ``, is 0.94, 1.00, 1.00: mean 0.98). Data: ``iid`` = ``x = (1 − G)⁻¹ v``,
i.i.d. (``S = Γ(0)``); ``ar1`` = ``x_t = G x_{t−1} + ξ_t``, a VAR(1) with ``S = (1 − G)⁻¹ (1 − G)⁻ᵀ``;
``ou`` = the OU network, ``τ = 1 s`` sampled at ``Δt = 0.1 s`` (exact ``S = (1 − F)⁻¹ Q (1 − F)⁻ᵀ``, of the
model's form up to ``Δt²/12`` on the diagonal); ``ou+noise`` = the same plus white observation noise of
the signal's variance. Candidates: the two methods here with the VAR(1) plug-in; the quadratic-spectral
and Parzen kernels with the same plug-in for ``q = 2`` (``b = 1.3221 (α₂T)^{1/5}``, ``2.6614 (α₂T)^{1/5}``);
Bartlett with two other bandwidth rules (Andrews' univariate AR(1) plug-in on standardised channels, and
a matrix form of Newey & West's 1994 automatic rule); the Welch CSD at its lowest non-zero frequency
(:func:`~zerolag.estimation.spectra.band_csd`, Hann, half overlap; real part)::

    iid                          err     err     err |     AUC     AUC     AUC
                         T =   2 500  10 000  40 000 |   2 500  10 000  40 000 | b at 40 000
      zero-lag                     —       —       — |   0.964   0.977   0.975 | 1
      bartlett                 0.091   0.043   0.023 |   0.957   0.972   0.975 | 2
      batch_means              0.104   0.056   0.029 |   0.950   0.970   0.970 | 2
      quadratic-spectral       0.098   0.048   0.024 |   0.956   0.971   0.976 | 2
      parzen                   0.102   0.050   0.026 |   0.955   0.969   0.979 | 4
      bartlett, AR(1) rule     0.088   0.039   0.023 |   0.959   0.975   0.975 | 2
      bartlett, NW rule        0.211   0.118   0.073 |   0.865   0.951   0.966 | 19
      welch, nperseg 64        0.356   0.219   0.186 |   0.705   0.872   0.960 | 64
      welch, nperseg 256           —   0.342   0.227 |       —   0.687   0.915 | 256
    ar1
      zero-lag                     —       —       — |   0.428   0.435   0.423 | 1
      bartlett                 0.212   0.141   0.097 |   0.817   0.951   0.970 | 23
      batch_means              0.241   0.166   0.100 |   0.792   0.924   0.957 | 20
      quadratic-spectral       0.193   0.121   0.076 |   0.881   0.957   0.971 | 9
      parzen                   0.196   0.121   0.077 |   0.872   0.954   0.971 | 19
      bartlett, AR(1) rule     0.404   0.309   0.208 |   0.761   0.920   0.967 | 6
      bartlett, NW rule        0.226   0.142   0.097 |   0.779   0.951   0.969 | 25
      welch, nperseg 64        0.338   0.221   0.196 |   0.707   0.868   0.964 | 64
      welch, nperseg 256           —   0.338   0.230 |       —   0.713   0.912 | 256
    ou
      zero-lag                     —       —       — |   0.649   0.820   0.938 | 1
      bartlett                 0.573   0.431   0.300 |   0.611   0.791   0.924 | 71
      batch_means              0.593   0.456   0.330 |   0.612   0.774   0.908 | 62
      quadratic-spectral       0.510   0.347   0.237 |   0.578   0.741   0.916 | 63
      parzen                   0.519   0.345   0.232 |   0.596   0.716   0.907 | 127
      bartlett, AR(1) rule     0.566   0.383   0.263 |   0.548   0.687   0.829 | 211
      bartlett, NW rule        0.655   0.491   0.322 |   0.649   0.803   0.937 | 63
      welch, nperseg 64        0.826   0.817   0.816 |   0.548   0.717   0.856 | 64
      welch, nperseg 256           —   0.417   0.391 |       —   0.696   0.895 | 256
    ou+noise
      zero-lag                     —       —       — |   0.567   0.677   0.774 | 1
      bartlett                 0.807   0.731   0.626 |   0.555   0.809   0.938 | 18
      batch_means              0.820   0.754   0.655 |   0.580   0.787   0.935 | 16
      quadratic-spectral       0.765   0.724   0.663 |   0.567   0.808   0.943 | 12
      parzen                   0.735   0.689   0.624 |   0.563   0.807   0.941 | 24
      bartlett, AR(1) rule     0.652   0.530   0.398 |   0.609   0.818   0.934 | 43
      bartlett, NW rule        0.652   0.487   0.322 |   0.600   0.806   0.907 | 61
      welch, nperseg 64        0.815   0.804   0.803 |   0.515   0.687   0.820 | 64
      welch, nperseg 256           —   0.411   0.385 |       —   0.668   0.885 | 256

(Welch with 256-sample segments has too few segments for 30 nodes at T = 2 500.) Fixed bandwidths (the
same data, AUC; ``b`` = 2, 5, 10, 20, 50, 100, 200)::

    ar1 T = 10 000   bartlett     0.729 0.943 0.950 0.950 0.837 0.716 0.671
                     batch_means  0.709 0.929 0.927 0.892 0.769 0.611 0.541
                     quadr.-spec. 0.843 0.961 0.946 0.894 0.752 0.675 0.576
    ar1 T = 40 000   bartlett     0.754 0.964 0.965 0.971 0.956 0.929 0.841
                     batch_means  0.757 0.954 0.960 0.951 0.929 0.890 0.795
                     quadr.-spec. 0.870 0.975 0.970 0.964 0.937 0.863 0.770
    ou  T = 40 000   bartlett     0.941 0.949 0.954 0.957 0.942 0.893 0.827
                     batch_means  0.941 0.949 0.952 0.949 0.928 0.865 0.760
                     quadr.-spec. 0.942 0.948 0.955 0.951 0.937 0.880 0.781

Choice: Bartlett with the VAR(1) plug-in is the default.

1. No kernel dominates on the network: the quadratic-spectral and Parzen kernels are better on ``ar1``
   at T = 2 500 (AUC 0.88, 0.87 against 0.82), Bartlett on ``ou`` at T = 2 500 and 10 000 (0.61, 0.79
   against 0.58, 0.74 and 0.60, 0.72), and the three agree within 0.02 elsewhere; the smoother kernels
   have 10–25 % lower ``err`` on ``ar1`` and ``ou`` (their bias falls as b⁻², Bartlett's as b⁻¹).
2. Bartlett's AUC is the least sensitive to the bandwidth: it stays within 0.02 of its best for
   ``b`` = 5–20 on ``ar1`` at T = 10 000 (quadratic-spectral, batch means: 5–10) and 5–50 at T = 40 000
   (5–20), so a plug-in that misjudges the dependence costs it least.
3. It is exact, positive semi-definite and O(T N²) for any ``b``: 0.04 s at T = 40 000, N = 30 (zero-lag
   covariance 0.013 s, quadratic-spectral by FFT 0.04 s, Parzen from its lags 0.6 s).

Batch means, up to 0.03 lower in AUC (in 10 of the 12 cells) as its 1.5× variance predicts, is kept
public: it is what block averaging does, and the cheapest (0.007 s).

The VAR(1) plug-in, because the univariate rule misses the dependence: in ``ar1`` each channel is nearly
uncorrelated with its own past (``G`` has no self-loops; the dependence runs across channels), so the
per-channel AR(1) rule picks ``b`` ≈ 6 (AUC 0.76 at T = 2 500), and in ``ou`` it oversmooths (``b`` = 211,
AUC 0.83 at T = 40 000). The nonparametric matrix rule is inflated by the sampling noise of N²
autocovariances: ``b`` ≈ 19 on white noise (AUC 0.87 at T = 2 500). Where the VAR(1) model is wrong
(``ou+noise``) its bandwidth is small (18) and its ``err`` high; its AUC is the best of the three rules at
T = 40 000 (0.94 against 0.93, 0.91), not below (0.81 against 0.82, 0.81 at T = 10 000).

Welch's lowest frequency is biased by the per-segment mean removal and the window's leakage — with
64-sample segments its error levels off (0.22 → 0.20 on ``ar1``, 0.82 → 0.82 on ``ou`` from T = 10 000 to
40 000) — and is not offered.

When it helps: for lag-one coupling (``ar1``) the long-run covariance turns a chance-level estimate (AUC
0.42) into 0.97 at T = 40 000, near the ceiling of 0.98. With white observation noise (``ou+noise``) it
suppresses the noise by the integrated autocorrelation time: 0.77 → 0.94. For a finely sampled OU process
the zero-lag covariance is already nearly of the model's form — from the exact matrices, AUC 0.96, 1.00,
0.99 (zero-lag) against 0.95, 1.00, 1.00 (long-run) for these networks — and it is the better input at
these lengths (0.94 against 0.92 at T = 40 000): the long-run estimate averages only about ``T/b``
effective samples (``b`` ≈ 70 here). For white noise the two agree.

Conditions: ``bandwidth < T/2`` and ``T ≥ (N + 1) · bandwidth`` (at least ``N + 1`` bandwidths of data,
as a covariance needs more samples than nodes); an automatic bandwidth above this is clipped, with a
warning.

References: Andrews, D. W. K. (1991), Econometrica 59, 817–858; Newey, W. K. & West, K. D. (1987),
Econometrica 55, 703–708, and (1994), Rev. Econ. Stud. 61, 631–653; Meketon, M. S. & Schmeiser, B. (1984),
Proc. Winter Simulation Conf., 227–230.
"""

from __future__ import annotations

import warnings
from numbers import Integral

import numpy as np

from .spectra import _as_signals, check_enough_samples

__all__ = ["LONG_RUN_METHODS", "long_run_bandwidth", "long_run_covariance", "max_long_run_bandwidth"]

LONG_RUN_METHODS = ("bartlett", "batch_means")
"""The estimators of :func:`long_run_covariance`; the first is the default."""

_ROWS = 1 << 20  # values per chunk: no full-size float64 copy of a long series


def _check_method(method: str) -> str:
    if method not in LONG_RUN_METHODS:
        raise ValueError(f"method must be one of {', '.join(map(repr, LONG_RUN_METHODS))}, got {method!r}")
    return method


def _mean(x: np.ndarray, assume_centered: bool) -> np.ndarray:
    t, n = x.shape
    mean = np.zeros(n)
    if not assume_centered:
        rows = max(1, _ROWS // n)
        for i in range(0, t, rows):
            mean += x[i : i + rows].sum(axis=0, dtype=np.float64)
        mean /= t
    return mean


def max_long_run_bandwidth(n_samples: int, n_nodes: int) -> int:
    """The largest bandwidth allowed for ``n_samples`` samples of ``n_nodes`` nodes.

    ``min(⌊T / (N + 1)⌋, ⌈T/2⌉ − 1)``: at least ``N + 1`` bandwidths of data, and a bandwidth below half
    the series. 0 if no bandwidth is allowed.
    """
    return max(0, min(n_samples // (n_nodes + 1), (n_samples - 1) // 2))


def _var1_alpha(x: np.ndarray, mean: np.ndarray) -> float:
    """Andrews' α(1) for a Yule–Walker VAR(1) fit, affine-invariant weight ``S⁻¹ ⊗ S⁻¹``."""
    t, n = x.shape
    g0 = np.zeros((n, n))
    g1 = np.zeros((n, n))
    rows = max(1, _ROWS // n)
    for i in range(0, t, rows):
        z = x[i : min(t, i + rows + 1)].astype(np.float64) - mean  # one row of overlap for the lag-1 pairs
        g0 += z[:rows].T @ z[:rows]
        g1 += z[1:].T @ z[:-1]
    g0 /= t
    g1 /= t
    eye = np.eye(n)
    try:
        a = np.linalg.solve(g0, g1.T).T  # A = Γ(1) Γ(0)⁻¹ (Γ(0) symmetric)
        r = np.linalg.inv(eye - a)
        s = r @ (g0 - a @ g0 @ a.T) @ r.T  # the VAR(1)'s long-run covariance
        m1 = a @ r @ r  # Σ_{k≥1} k A^k
        s1 = m1 @ g0 + g0 @ m1.T  # Σ_k |k| Γ(k)
        w = np.linalg.solve((s + s.T) / 2, s1)
    except np.linalg.LinAlgError as exc:
        raise ValueError(
            "x has a singular zero-lag covariance (constant or duplicated channels?): the bandwidth cannot be "
            "chosen; remove those channels"
        ) from exc
    alpha = 2 * float(np.trace(w @ w)) / (n * (n + 1))
    return alpha if np.isfinite(alpha) else np.inf


def _auto_bandwidth(x: np.ndarray, mean: np.ndarray, method: str) -> int:
    t, n = x.shape
    alpha = _var1_alpha(x, mean)
    factor = 1.5 if method == "bartlett" else 1.0
    raw = (factor * alpha * t) ** (1 / 3)
    cap = max_long_run_bandwidth(t, n)
    if not raw < cap + 0.5:
        warnings.warn(
            f"the bandwidth chosen for x ({raw:.4g} samples) exceeds the largest its {t} samples allow for {n} nodes "
            f"({cap} = T // (N + 1)); using {cap}. The series is short for its dependence: the estimate is "
            "biased towards the zero-lag covariance. Use a longer series or fewer nodes",
            UserWarning,
            stacklevel=3,
        )
        return cap
    return max(1, int(round(raw)))


def long_run_bandwidth(x: np.ndarray, *, method: str = "bartlett", assume_centered: bool = False) -> int:
    """The bandwidth :func:`long_run_covariance` chooses for ``x`` (Andrews' VAR(1) plug-in).

    Parameters
    ----------
    x : array of shape (T, N)
        Signals, time along axis 0.
    method : {"bartlett", "batch_means"}
        The estimator the bandwidth is for (Bartlett's is ``1.5^{1/3}`` ≈ 1.14 times batch means').
    assume_centered : bool
        Do not subtract the channel means.

    Returns
    -------
    int
        ``round((c α T)^{1/3})`` (``c`` = 1.5 for Bartlett, 1 for batch means), at least 1, at most
        :func:`max_long_run_bandwidth` (with a ``UserWarning`` when clipped); see the module docstring.

    Raises
    ------
    ValueError
        If ``x`` is not a finite 2-D real array, has too few samples for its nodes, or a singular
        zero-lag covariance; if ``method`` is unknown.
    """
    _check_method(method)
    x = _as_signals(x)
    t, n = x.shape
    check_enough_samples(t - 1, n, centered=not assume_centered)  # the VAR(1) fit uses T − 1 lagged pairs
    return _auto_bandwidth(x, _mean(x, assume_centered), method)


def _check_bandwidth(bandwidth: object, t: int, n: int) -> int:
    if isinstance(bandwidth, bool) or not isinstance(bandwidth, Integral):
        if isinstance(bandwidth, float) and bandwidth.is_integer():
            bandwidth = int(bandwidth)
        else:
            raise ValueError(
                f"bandwidth must be a whole number of samples (an int ≥ 1) or None to choose it from the data, "
                f"got {bandwidth!r}"
            )
    b = int(bandwidth)
    if b < 1:
        raise ValueError(f"bandwidth must be at least 1 sample (1 gives the zero-lag covariance), got {b}")
    if 2 * b >= t:
        raise ValueError(
            f"bandwidth = {b} is at least half the series length (T = {t} samples): the long-run covariance "
            f"needs many bandwidths of data. Use a bandwidth below T/2 — at most T // (N + 1) = "
            f"{max_long_run_bandwidth(t, n)} for these {n} nodes — or a longer series"
        )
    if (n + 1) * b > t:
        raise ValueError(
            f"x is too short for bandwidth = {b}: its T = {t} samples hold {t / b:.3g} bandwidths, fewer than the "
            f"N + 1 = {n + 1} needed for {n} nodes (the estimate would be singular or nearly so). Use "
            f"bandwidth ≤ T // (N + 1) = {max_long_run_bandwidth(t, n)}, a longer series or fewer nodes"
        )
    return b


def _bartlett(x: np.ndarray, mean: np.ndarray, b: int) -> np.ndarray:
    """``(b T)⁻¹ Σ_s P_s P_sᵀ`` over every window ``P_s`` of ``b`` samples of the zero-padded series.

    A pair of samples ``k < b`` apart lies in exactly ``b − k`` such windows, so this is
    ``Σ_{|k|<b} (1 − |k|/b) Γ̂(k)`` exactly.
    """
    t, n = x.shape
    s = np.zeros((n, n))
    n_windows = t + b - 1  # window w covers samples w − b + 1 … w
    rows = max(b, _ROWS // n)
    for w0 in range(0, n_windows, rows):
        w1 = min(n_windows, w0 + rows)
        lo = w0 - b + 1
        seg = np.zeros((w1 - lo + 1, n))  # a leading zero row, then samples lo … w1 − 1 (zero outside 0 … T − 1)
        a, z = max(lo, 0), min(w1, t)
        seg[a - lo + 1 : z - lo + 1] = x[a:z]
        seg[a - lo + 1 : z - lo + 1] -= mean
        np.cumsum(seg, axis=0, out=seg)
        p = seg[b:] - seg[:-b]  # the w1 − w0 window sums
        s += p.T @ p
    s /= b * t
    return (s + s.T) / 2


def _batch_means(x: np.ndarray, mean: np.ndarray, b: int, assume_centered: bool) -> np.ndarray:
    t, n = x.shape
    m = t // b
    means = np.empty((m, n))
    blocks = max(1, _ROWS // (n * b))
    for i in range(0, m, blocks):
        j = min(m, i + blocks)
        means[i:j] = x[i * b : j * b].reshape(j - i, b, n).mean(axis=1, dtype=np.float64)
    if assume_centered:
        s = means.T @ means * (b / m)
    else:
        means -= means.mean(axis=0)
        s = means.T @ means * (b / (m - 1))
    return (s + s.T) / 2


def long_run_covariance(
    x: np.ndarray, *, method: str = "bartlett", bandwidth: int | None = None, assume_centered: bool = False
) -> np.ndarray:
    """Long-run covariance ``S(0) = Σ_k Γ(k)`` of signals: the zero-frequency input of the estimator.

    Parameters
    ----------
    x : array of shape (T, N)
        Signals, time along axis 0 (float32 is accumulated in float64).
    method : {"bartlett", "batch_means"}
        ``"bartlett"`` (default): the Bartlett (Newey–West) lag-window estimator
        ``Σ_{|k|<b} (1 − |k|/b) Γ̂(k)``. ``"batch_means"``: ``b`` × the covariance of the means of
        non-overlapping blocks of ``b`` samples. See the module docstring for the comparison behind the
        default.
    bandwidth : int or None
        ``b`` in samples (1: the zero-lag covariance); ``None`` chooses it from the data
        (:func:`long_run_bandwidth`). It must satisfy ``b < T/2`` and ``(N + 1) · b ≤ T``.
    assume_centered : bool
        Do not subtract the channel means.

    Returns
    -------
    numpy.ndarray of shape (N, N)
        Real symmetric, positive semi-definite (definite for non-degenerate data). Scale: the two-sided
        spectral density at frequency 0 of the sampled series, ``Σ_k Γ(k)``.

    Raises
    ------
    ValueError
        If ``x`` is not a finite 2-D real array (NaN or inf), has too few samples for its nodes or for the
        bandwidth, the bandwidth is not a whole number ≥ 1 or is at least half the series; if ``method``
        is unknown.

    Examples
    --------
    A channel driven by the previous sample of another, ``x₁(t) = 0.8 x₀(t − 1) + ξ₁(t)``, i.e.
    ``G(f) = 0.8 e^{−2πif}`` from node 0 to node 1. The zero-lag covariance misses the coupling
    (``Γ(0)₀₁ = 0``); the long-run covariance holds it, ``S = (1 − G(0))⁻¹ (1 − G(0))⁻ᵀ``, ``S₀₁ = 0.8``:

    >>> import numpy as np
    >>> from zerolag import long_run_covariance, long_run_bandwidth
    >>> xi = np.random.default_rng(0).standard_normal((100_000, 2))
    >>> x = xi.copy()
    >>> x[1:, 1] += 0.8 * xi[:-1, 0]
    >>> bool(abs(np.cov(x.T)[0, 1]) < 0.02)
    True
    >>> round(float(long_run_covariance(x)[0, 1]), 1)
    0.8
    >>> long_run_bandwidth(x)  # the bias of S₀₁ is −0.8 / bandwidth
    53
    """
    _check_method(method)
    x = _as_signals(x)
    t, n = x.shape
    check_enough_samples(t, n, centered=not assume_centered)
    mean = _mean(x, assume_centered)
    if bandwidth is None:
        check_enough_samples(t - 1, n, centered=not assume_centered)  # the VAR(1) fit uses T − 1 lagged pairs
        b = _auto_bandwidth(x, mean, method)
    else:
        b = _check_bandwidth(bandwidth, t, n)
    if method == "bartlett":
        return _bartlett(x, mean, b)
    return _batch_means(x, mean, b, assume_centered)
