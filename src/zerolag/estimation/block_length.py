"""The block length a block bootstrap of a series needs: Politis & White's automatic rule, channel by channel.

For the mean of a stationary series with autocovariance ``R(k)``, the block bootstrap's variance estimate has
a bias of order ``1/b`` and a variance of order ``b/T``; their mean squared error is smallest at

    b = (2 G² / D)^{1/3} T^{1/3},    G = Σ_k |k| R(k),    D = (4/3) g(0)² (moving or circular blocks),
    D = 2 g(0)² (the stationary bootstrap's mean block length),    g(0) = Σ_k R(k)

(Politis & White 2004, with the correction of Patton, Politis & White 2009, who replaced the stationary
bootstrap's ``D``). ``G`` and ``g(0)`` are estimated with the flat-top lag window of Politis & Romano (1995),
``λ(t) = 1`` for ``|t| ≤ 1/2``, ``2 (1 − |t|)`` up to ``|t| = 1``, at the bandwidth ``M = 2 m̂`` of Politis'
(2003) rule: ``m̂`` is the smallest ``m ≥ 1`` after which ``K_N = max(5, ⌈√log₁₀ T⌉)`` consecutive sample
autocorrelations all lie within ``± 2 √(log₁₀ T / T)``; ``M`` is at most ``⌈√T⌉ + K_N``.

Why this rule for data with observation noise. White observation noise adds to ``R(0)`` only: ``G`` and the
lagged terms of ``g(0)`` are unchanged, so the block length moves only through ``g(0)`` (by the factor
``(g / (g + σ²))^{2/3}``, close to 1 for a strongly autocorrelated signal) and through ``M`` (the lagged
autocorrelations, divided by the larger variance, fall below the band sooner). A rule built on the lag-1
autocorrelation alone (Andrews' AR(1) or VAR(1) plug-in, :func:`~zerolag.long_run_bandwidth`) instead sees
white noise as a faster decay: on the OU + HRF series of the reliability figure, noise of the signal's sd
shortened its blocks from 648–2 792 to 16–28 samples.

References: Politis, D. N. & White, H. (2004), Econometric Rev. 23, 53–70; Patton, A., Politis, D. N. & White,
H. (2009), Econometric Rev. 28, 372–375; Politis, D. N. & Romano, J. P. (1995), J. Time Ser. Anal. 16, 67–103;
Politis, D. N. (2003), J. Nonparametric Stat. 15, 517–533.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["autocovariances", "block_length_bandwidth", "politis_white_block_lengths"]

_VALUES = 1 << 22  # values per step of the autocovariance
_SIGNIFICANCE = 2.0  # the band of insignificant autocorrelations: ± c √(log₁₀ T / T), c = 2
_D = {"moving": 4 / 3, "stationary": 2.0}  # D / g(0)² per block scheme


def autocovariances(x: np.ndarray, max_lag: int, *, assume_centered: bool = False) -> np.ndarray:
    """``R̂(k) = T⁻¹ Σ_t x_{t+k} x_t`` per channel for ``k = 0 … max_lag``, shape ``(max_lag + 1, N)``.

    The linear (not circular) autocovariance, from the zero-padded discrete Fourier transform, channels in
    batches that keep the transform within a few million values. The mean is removed unless ``assume_centered``.
    """
    t, n = x.shape
    size = 1 << int(np.ceil(np.log2(2 * t)))
    out = np.empty((min(max_lag, t - 1) + 1, n))
    step = max(1, _VALUES // size)
    for j0 in range(0, n, step):
        z = np.asarray(x[:, j0 : j0 + step], dtype=np.float64)
        if not assume_centered:
            z = z - z.mean(axis=0)
        spectrum = np.abs(np.fft.rfft(z, n=size, axis=0)) ** 2
        out[:, j0 : j0 + step] = np.fft.irfft(spectrum, n=size, axis=0)[: len(out)] / t
    return out


def block_length_bandwidth(acf: np.ndarray, n_samples: int) -> np.ndarray:
    """Politis' bandwidth ``M = min(2 m̂, ⌈√T⌉ + K_N)`` per channel, from autocorrelations ``(lags, N)``.

    ``acf`` holds lags ``0 … ⌈√T⌉ + 2 K_N`` at least; ``m̂`` as the module docstring says (the largest ``m``
    looked at, ``⌈√T⌉ + K_N``, when the autocorrelation never settles within the band).
    """
    t = n_samples
    k_n = max(5, math.ceil(math.sqrt(math.log10(t))))
    m_max = math.ceil(math.sqrt(t)) + k_n
    band = _SIGNIFICANCE * math.sqrt(math.log10(t) / t)
    small = np.abs(acf[1 : m_max + k_n + 1]) < band  # lags 1 … m_max + K_N
    runs = np.lib.stride_tricks.sliding_window_view(small, k_n, axis=0).all(axis=-1)  # run of K_N from lag m + 1
    found = runs[1:].any(axis=0)  # m ≥ 1
    m_hat = np.where(found, runs[1:].argmax(axis=0) + 1, m_max)
    return np.minimum(2 * m_hat, m_max)


def politis_white_block_lengths(x: np.ndarray, *, scheme: str = "moving", assume_centered: bool = False) -> np.ndarray:
    """Each channel's automatic block length (Politis & White 2004; Patton, Politis & White 2009), in samples.

    Parameters
    ----------
    x : array of shape (T, N)
        The series, time × channels (finite).
    scheme : {"moving", "stationary"}
        Fixed blocks (``D = (4/3) g(0)²``, also the circular bootstrap's) or the stationary bootstrap's mean
        block length (``D = 2 g(0)²``).
    assume_centered : bool
        Do not subtract the mean.

    Returns
    -------
    numpy.ndarray of shape (N,)
        Unrounded lengths (≥ 1 sample; 1 where the flat-top spectrum at 0 is not positive).

    Examples
    --------
    An AR(1) with ``φ = 0.5``: ``G / g(0) = 2φ / (1 − φ²)``, so the moving-block optimum is
    ``(1.5 (2φ / (1 − φ²))²)^{1/3} T^{1/3}`` = 30 samples at ``T = 10 000``:

    >>> import numpy as np
    >>> from scipy.signal import lfilter
    >>> e = np.random.default_rng(0).standard_normal((10_000, 8))
    >>> b = politis_white_block_lengths(lfilter([1.0], [1.0, -0.5], e, axis=0))
    >>> bool(20 < np.median(b) < 40)
    True
    """
    if scheme not in _D:
        raise ValueError(f"scheme must be one of {', '.join(map(repr, _D))}, got {scheme!r}")
    t = x.shape[0]
    k_n = max(5, math.ceil(math.sqrt(math.log10(t))))
    m_max = math.ceil(math.sqrt(t)) + k_n
    acov = autocovariances(x, m_max + k_n, assume_centered=assume_centered)
    if len(acov) < m_max + k_n + 1:
        raise ValueError(f"x has {t} samples: the automatic block length needs at least {m_max + k_n + 1}")
    m = block_length_bandwidth(acov / acov[0], t)
    lags = np.arange(1, m_max + 1)[:, None]
    ratio = lags / m[None, :]
    window = np.where(ratio <= 0.5, 1.0, np.clip(2 * (1 - ratio), 0.0, None))  # 0 beyond M
    lagged = window * acov[1 : m_max + 1]
    g = 2 * np.sum(lags * lagged, axis=0)  # Σ_{k ≠ 0} λ(k/M) |k| R(k)
    spectrum = acov[0] + 2 * np.sum(lagged, axis=0)  # g(0), the flat-top estimate
    with np.errstate(divide="ignore", invalid="ignore"):
        b = (2 * g**2 / (_D[scheme] * spectrum**2)) ** (1 / 3) * t ** (1 / 3)
    return np.where(spectrum > 0, np.maximum(b, 1.0), 1.0)
