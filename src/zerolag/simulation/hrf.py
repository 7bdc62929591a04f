"""Canonical haemodynamic response and BOLD-like filtering (Schiefer et al. 2018, Methods).

The BOLD signal of a node is its neural signal convolved with the canonical double-gamma HRF, then
standardised per channel to mean 0 and variance 1.
"""

from __future__ import annotations

from typing import Literal

import numpy as np
import scipy.fft
import scipy.special

__all__ = ["HRF_LENGTH", "canonical_hrf", "convolve_hrf", "standardize"]

#: Length of the HRF kernel in seconds.
HRF_LENGTH = 30.0


def _gamma_pdf(t: np.ndarray, shape: float) -> np.ndarray:
    """``scipy.stats.gamma.pdf(t, shape)``, computed as SciPy does (bit for bit), without importing scipy.stats
    (~1.5 s, paid by every Snakemake start that parses the workflow)."""
    return np.exp(scipy.special.xlogy(shape - 1.0, t) - t - scipy.special.gammaln(shape))


def canonical_hrf(
    dt: float, *, length: float = HRF_LENGTH, normalize: Literal["sum", "peak", "none"] = "sum"
) -> np.ndarray:
    """The canonical double-gamma HRF sampled every ``dt`` seconds.

    ``h(t) = Γ(t; 6) − Γ(t; 16) / 6`` with ``Γ(t; k) = t^{k−1} e^{−t} / (k − 1)!`` the gamma density of
    shape ``k`` and unit scale, ``t`` in seconds; samples at ``t = 0, dt, 2 dt, …`` up to (excluding)
    ``length`` seconds. It peaks near 5 s and undershoots after about 12 s.

    Parameters
    ----------
    dt : float
        Sampling interval in seconds (> 0).
    length : float
        Kernel length in seconds (30 s in the paper); at least one sample.
    normalize : {"sum", "peak", "none"}
        ``"sum"`` (default): divide by the sum of the samples, so the kernel has unit DC gain and a
        constant signal passes unchanged. ``"peak"``: unit maximum. ``"none"``: the raw density
        difference (its integral over [0, ∞) is 1 − 1/6 = 5/6). The standardisation that follows the
        convolution in the paper's pipeline makes the choice irrelevant there.

    Returns
    -------
    numpy.ndarray of shape (ceil(length / dt),)
    """
    if not dt > 0 or not np.isfinite(dt):
        raise ValueError(f"sampling interval dt must be a positive number of seconds, got {dt}")
    if not length >= dt or not np.isfinite(length):
        raise ValueError(f"HRF length must be a finite number of seconds of at least dt = {dt}, got {length}")
    n = int(np.ceil(length / dt - 1e-9))
    t = np.arange(n) * dt
    h = _gamma_pdf(t, 6) - _gamma_pdf(t, 16) / 6
    if normalize == "sum":
        total = h.sum()
        if not total > 0:
            raise ValueError(f"dt = {dt} s is too coarse to sample the HRF; use dt of a few seconds or less")
        h = h / total
    elif normalize == "peak":
        h = h / h.max()
    elif normalize != "none":
        raise ValueError(f"normalize must be 'sum', 'peak' or 'none', got {normalize!r}")
    return h


def convolve_hrf(
    x: np.ndarray,
    kernel: np.ndarray,
    *,
    axis: int = 0,
    mode: Literal["valid", "causal"] = "valid",
) -> np.ndarray:
    """Causal convolution ``b[t] = Σ_k h[k] x[t − k]`` of every channel with ``kernel`` (by FFT).

    Parameters
    ----------
    x : array
        Signals, time along ``axis`` (e.g. time × nodes).
    kernel : 1-D array
        The impulse response, e.g. :func:`canonical_hrf`.
    axis : int
        Time axis of ``x``.
    mode : {"valid", "causal"}
        ``"valid"``: only outputs with a full history, ``T − K + 1`` samples (the first output belongs to
        input sample ``K − 1``); stationary input gives stationary output. ``"causal"``: ``T`` samples,
        the signal taken as zero before its start (the first ``K − 1`` outputs are a transient).

    Returns
    -------
    numpy.ndarray
        Same dtype family as ``x`` (float32 stays float32).
    """
    x = np.asarray(x)
    h = np.asarray(kernel)
    if h.ndim != 1 or h.size == 0:
        raise ValueError(f"kernel must be a non-empty 1-D array, got shape {h.shape}")
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    x = np.moveaxis(x, axis, -1)
    t, k = x.shape[-1], h.size
    if mode == "valid":
        if t < k:
            raise ValueError(
                f"signal has {t} samples, fewer than the kernel's {k}; use mode='causal' or a longer signal"
            )
        n_out, start = t - k + 1, k - 1
    elif mode == "causal":
        n_out, start = t, 0
    else:
        raise ValueError(f"mode must be 'valid' or 'causal', got {mode!r}")
    nfft = scipy.fft.next_fast_len(t + k - 1, real=True)
    hf = scipy.fft.rfft(h.astype(x.dtype), nfft)
    out = scipy.fft.irfft(scipy.fft.rfft(x, nfft, axis=-1) * hf, nfft, axis=-1)[..., start : start + n_out]
    return np.moveaxis(out, -1, axis)


def _moments(x: np.ndarray, rows: int = 1 << 16) -> tuple[np.ndarray, np.ndarray]:
    """Float64 mean and population variance along axis 0, in row blocks (no full-size temporaries)."""
    t = x.shape[0]
    mean = np.zeros(x.shape[1:])
    for i in range(0, t, rows):
        mean += x[i : i + rows].sum(axis=0, dtype=np.float64)
    mean /= t
    var = np.zeros(x.shape[1:])
    for i in range(0, t, rows):
        d = x[i : i + rows] - mean
        var += np.einsum("t...,t...->...", d, d)
    return mean, var / t


def standardize(x: np.ndarray, *, axis: int = 0, out: np.ndarray | None = None) -> np.ndarray:
    """Every channel to mean 0 and variance 1 (population variance, ``ddof = 0``).

    Statistics are computed in float64 in blocks of samples, so a float32 series needs no float64 copy.

    Parameters
    ----------
    x : array
        Signals, time along ``axis``.
    axis : int
        Time axis.
    out : array or None
        Where to write the result (may be ``x`` itself for in-place operation); default a new array of
        ``x``'s float dtype.

    Raises
    ------
    ValueError
        If a channel is constant (its variance is zero) or the signal has fewer than 2 samples.
    """
    x = np.asarray(x)
    if not np.issubdtype(x.dtype, np.floating):
        x = x.astype(np.float64)
    if x.shape[axis] < 2:
        raise ValueError(f"need at least 2 samples along axis {axis} to standardise, got {x.shape[axis]}")
    xt = np.moveaxis(x, axis, 0)
    mean, var = _moments(xt)
    if np.any(var == 0):
        bad = np.flatnonzero(np.ravel(var == 0))
        raise ValueError(f"channel(s) {bad[:10].tolist()} are constant and cannot be standardised; drop them first")
    scale = 1 / np.sqrt(var)
    if out is None:
        out = np.empty_like(x)
    ot = np.moveaxis(out, axis, 0)
    rows = 1 << 16
    for i in range(0, xt.shape[0], rows):
        ot[i : i + rows] = (xt[i : i + rows] - mean) * scale
    return out
