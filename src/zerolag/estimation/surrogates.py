"""A null with no coupling: phase-randomised surrogates, permutation p-values and Benjamini–Hochberg q-values.

Each channel's discrete Fourier transform is multiplied by phases drawn independently for every channel and
frequency (the surrogates of Theiler et al. 1992, channel by channel; the multivariate ones of Prichard &
Theiler 1994 add the same phases to every channel to keep the cross-spectrum, which is what this null must
destroy): every channel keeps its periodogram — its variance and its circular autocovariance exactly — and
the channels become independent. For two independent zero-mean channels the zero-lag cross-covariance has
``Var(Σ_t x_i x_j) = Σ_{t,s} γ_i(t − s) γ_j(t − s)``, set by their autocovariances alone, so the surrogates
match the null's second moments whatever the channels' marginal distributions; no amplitude-adjusted variant
is offered.

A surrogate's covariance comes straight from the spectrum (Parseval; no inverse transform):
``Σ_t y_t y_tᵀ = T⁻¹ Σ_f w_f Re(Ŷ_f Ŷ_fᴴ)``, ``w_f = 2`` except at frequency 0 and Nyquist.

The periodogram is the autocovariance of the series joined end to start, so the null is right when the
autocorrelation has died out well within the series: :func:`check_surrogate_length` asks for at least
:data:`SURROGATE_MIN_CORRELATION_TIMES` correlation times (lag at which a channel's autocorrelation first
falls below 1/e), where the wrap-around and the periodogram's edge effects, of relative order ``τ/T``, stay
at about 5 %.

References: Theiler, J. et al. (1992), Physica D 58, 77–94; Prichard, D. & Theiler, J. (1994), PRL 73,
951–954; Benjamini, Y. & Hochberg, Y. (1995), JRSS B 57, 289–300.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.stats import false_discovery_control

from ..simulation.networks import check_random_state

__all__ = [
    "SURROGATE_MIN_CORRELATION_TIMES",
    "SurrogateSpectrum",
    "bh_q_values",
    "check_surrogate_length",
    "correlation_times",
    "permutation_p_values",
    "phase_randomise",
]

SURROGATE_MIN_CORRELATION_TIMES = 20
"""Surrogates need a series at least this many correlation times long."""

_VALUES = 1 << 22  # values per step of the autocorrelation


def correlation_times(x: np.ndarray) -> np.ndarray:
    """Per channel, the first lag (samples) at which the autocorrelation falls below 1/e (``T`` if never)."""
    t, n = x.shape
    size = 1 << int(np.ceil(np.log2(2 * t)))  # zero-padded: the linear, not circular, autocovariance
    tau = np.empty(n, dtype=int)
    step = max(1, _VALUES // size)
    for j0 in range(0, n, step):
        z = x[:, j0 : j0 + step] - x[:, j0 : j0 + step].mean(axis=0)
        acov = np.fft.irfft(np.abs(np.fft.rfft(z, n=size, axis=0)) ** 2, n=size, axis=0)[:t]
        below = acov < acov[0] / np.e
        tau[j0 : j0 + step] = np.where(below.any(axis=0), below.argmax(axis=0), t)
    return tau


def check_surrogate_length(x: np.ndarray) -> None:
    """Raise ``ValueError`` (naming ``n_surrogates``) if ``x`` is too short for phase-randomised surrogates."""
    t = x.shape[0]
    tau = correlation_times(x)
    need = SURROGATE_MIN_CORRELATION_TIMES * int(tau.max())
    if t < need:
        worst = int(tau.argmax())
        raise ValueError(
            f"X is too short for surrogates (n_surrogates > 0): channel {worst} stays autocorrelated (above 1/e) for "
            f"{int(tau.max())} samples, and a phase-randomised surrogate, which joins the series end to start, needs "
            f"at least {SURROGATE_MIN_CORRELATION_TIMES} such correlation times ({need} samples; X has {t}). Use "
            "n_surrogates=0 (the bootstrap alone), or a longer series"
        )


_TABLE_BITS = 12
_TABLE_ANGLES = 2 * np.pi * np.arange(1 << _TABLE_BITS) / (1 << _TABLE_BITS)
_TABLE_COS, _TABLE_SIN = np.cos(_TABLE_ANGLES), np.sin(_TABLE_ANGLES)
_ROWS = 1024  # frequencies per block of phasors: a block's arrays stay in the cache


def _cos_sin(turns: np.ndarray, cos: np.ndarray, sin: np.ndarray, scratch: np.ndarray) -> None:
    """``cos(2π u)`` and ``sin(2π u)`` of ``u`` in ``[0, 1)`` into ``cos`` and ``sin`` (``turns`` is overwritten).

    ``2π u = a + x``: ``a`` one of ``2¹²`` table angles, ``0 ≤ x < 2π / 2¹²``, whose cosine and sine are their
    Taylor series to ``x⁴`` and ``x⁵`` (the next terms are below 1e-19), combined by the angle-addition formulas;
    a few ulp from :func:`numpy.cos` and :func:`numpy.sin`, at a fraction of their cost.
    """
    turns *= 1 << _TABLE_BITS  # exact: a power of two
    index = turns.astype(np.intp)
    turns -= index  # exact: the fraction
    turns *= 2 * np.pi / (1 << _TABLE_BITS)  # x
    np.multiply(turns, turns, out=scratch)  # x²
    np.multiply(scratch, 1 / 24, out=cos)
    np.subtract(0.5, cos, out=cos)
    cos *= scratch
    np.subtract(1.0, cos, out=cos)  # cos x = 1 − x² (1/2 − x²/24)
    np.multiply(scratch, 1 / 120, out=sin)
    np.subtract(1 / 6, sin, out=sin)
    sin *= scratch
    np.subtract(1.0, sin, out=sin)
    sin *= turns  # sin x = x (1 − x² (1/6 − x²/120))
    table_cos, table_sin = _TABLE_COS[index], _TABLE_SIN[index]
    np.multiply(table_sin, sin, out=scratch)
    np.multiply(table_cos, sin, out=turns)
    sin[...] = table_sin
    sin *= cos
    sin += turns  # sin(a + x) = sin a cos x + cos a sin x
    cos *= table_cos
    cos -= scratch  # cos(a + x) = cos a cos x − sin a sin x


def _phasor_blocks(rng: np.random.Generator, n_samples: int, n_channels: int):
    """The surrogate's unit phasors, ``(⌊T/2⌋ + 1, N)``, block by block of :data:`_ROWS` frequencies.

    Independent per channel and frequency, uniform in phase: 1 at frequency 0, ±1 at Nyquist. Yields
    ``(start, cos, sin)``: the block's first frequency and the real and imaginary parts of its phasors, in
    buffers that the next block overwrites. The draws are those of ``rng.random((⌊T/2⌋ + 1, N))`` row by row,
    then, for an even ``T``, ``rng.random(N)`` for the signs at Nyquist.
    """
    n_freq = n_samples // 2 + 1
    rows = min(_ROWS, n_freq)
    turns, cos, sin, scratch = (np.empty((rows, n_channels)) for _ in range(4))
    for start in range(0, n_freq, rows):
        m = min(rows, n_freq - start)
        u, c, s = turns[:m], cos[:m], sin[:m]
        rng.random(out=u)
        _cos_sin(u, c, s, scratch[:m])
        if start == 0:
            c[0], s[0] = 1.0, 0.0
        if start + m == n_freq and n_samples % 2 == 0:
            c[-1] = np.where(rng.random(n_channels) < 0.5, 1.0, -1.0)
            s[-1] = 0.0
        yield start, c, s


def _random_phases(rng: np.random.Generator, n_samples: int, n_channels: int) -> np.ndarray:
    """The unit phasors of :func:`_phasor_blocks`, as one complex array ``(⌊T/2⌋ + 1, N)``."""
    phases = np.empty((n_samples // 2 + 1, n_channels), dtype=complex)
    for start, c, s in _phasor_blocks(rng, n_samples, n_channels):
        phases.real[start : start + len(c)] = c
        phases.imag[start : start + len(c)] = s
    return phases


def phase_randomise(x: np.ndarray, *, random_state: int | np.random.Generator | None = None) -> np.ndarray:
    """A surrogate of ``x`` (time × channels): each channel's Fourier phases randomised independently.

    Every channel keeps its mean and periodogram (hence its variance and circular autocovariance); the
    cross-channel structure is destroyed.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).standard_normal((1000, 2)) @ [[1.0, 0.9], [0.0, 0.4]]
    >>> y = phase_randomise(x, random_state=1)
    >>> bool(np.allclose(np.abs(np.fft.rfft(y, axis=0)), np.abs(np.fft.rfft(x, axis=0))))
    True
    >>> round(float(np.corrcoef(x.T)[0, 1]), 2), bool(abs(np.corrcoef(y.T)[0, 1]) < 0.1)
    (0.92, True)
    """
    x = np.asarray(x, dtype=np.float64)
    t, n = x.shape
    spectrum = np.fft.rfft(x, axis=0)
    return np.fft.irfft(spectrum * _random_phases(check_random_state(random_state), t, n), n=t, axis=0)


class SurrogateSpectrum:
    """The spectrum of a series, and the covariances of its phase-randomised surrogates.

    ``assume_centered`` as the full-data covariance: without it the mean is removed (and kept out of the
    surrogates) and the covariance divides by ``T − 1``; with it, the zero frequency stays and it divides by ``T``.
    """

    kind = "surrogate"

    def __init__(self, x: np.ndarray, *, assume_centered: bool = False) -> None:
        t = x.shape[0]
        z = x.astype(np.float64) if assume_centered else x - x.mean(axis=0, dtype=np.float64)
        weight = np.full(t // 2 + 1, 2.0)
        weight[0] = 1.0
        if t % 2 == 0:
            weight[-1] = 1.0
        self.spectrum = np.fft.rfft(z, axis=0) * np.sqrt(weight / t)[:, None]
        self.n_samples, self.divisor = t, t if assume_centered else t - 1

    def covariances(self, seeds: Sequence[np.random.SeedSequence]) -> np.ndarray:
        """Covariances ``(B, N, N)`` of the surrogates drawn from ``seeds`` (one surrogate each).

        Block by block of frequencies (:func:`_phasor_blocks`): the phasors, the surrogate's spectrum
        ``Ŷ = X̂ e^{iθ}`` and its contribution ``Re(Ŷ)ᵀ Re(Ŷ) + Im(Ŷ)ᵀ Im(Ŷ)`` to the covariance.
        """
        f, n = self.spectrum.shape
        real, imag = np.ascontiguousarray(self.spectrum.real), np.ascontiguousarray(self.spectrum.imag)
        rows = min(_ROWS, f)
        part_real, part_imag, scratch = (np.empty((rows, n)) for _ in range(3))
        out = np.empty((len(seeds), n, n))
        for k, seed in enumerate(seeds):
            c = np.zeros((n, n))
            for start, cos, sin in _phasor_blocks(np.random.default_rng(seed), self.n_samples, n):
                m = len(cos)
                a, b, y_real, y_imag, tmp = (
                    real[start : start + m],
                    imag[start : start + m],
                    part_real[:m],
                    part_imag[:m],
                    scratch[:m],
                )
                np.multiply(a, cos, out=y_real)
                np.multiply(b, sin, out=tmp)
                y_real -= tmp
                np.multiply(a, sin, out=y_imag)
                np.multiply(b, cos, out=tmp)
                y_imag += tmp
                c += y_real.T @ y_real
                c += y_imag.T @ y_imag
            c /= self.divisor
            out[k] = (c + c.T) / 2
        return out


NULLS = ("per_link", "pooled")
"""How a link's p-value uses the surrogates: against its own R values, or against all R · N (N − 1)."""


def permutation_p_values(
    observed: np.ndarray, null: np.ndarray, *, pooled: bool = False, absent: np.ndarray | None = None
) -> np.ndarray:
    """Two-sided p-values of ``|observed|`` against the surrogates' ``|null|``; NaN on the diagonal.

    ``observed`` is ``(N, N)``, ``null`` ``(R, N, N)``. Per link (default): ``(1 + #{|null_ij| ≥ |observed_ij|})
    / (1 + R)``, each link against its own R values, valid whatever the links' null distributions, but never
    below ``1 / (1 + R)``: with the ``N (N − 1)`` links of a whole-brain network (8 742 for 94 regions),
    Benjamini–Hochberg at 0.05 then declares nothing unless hundreds of links reach that floor. Pooled: against
    every link's surrogate values, ``(1 + #{|null_kl| ≥ |observed_ij|, all k ≠ l}) / (1 + R N (N − 1))``, down to
    ``1 / (1 + R N (N − 1))``; valid when the links share one null distribution (exchangeable under the no-coupling
    null, e.g. standardised regions of alike spectra), which the calibration on simulations measures.

    ``absent`` (boolean ``(N, N)``, optional): the links whose surrogate values are draws of the null, when the
    surrogates keep some links (:mod:`~zerolag.estimation.network_null`). Pooled: the pool is their values
    only. Per link: each of them against its own values, every other link against the pooled values of them.
    """
    off = ~np.eye(observed.shape[0], dtype=bool)
    draws = off if absent is None else off & np.asarray(absent, dtype=bool)
    if not draws.any():
        raise ValueError("absent marks no off-diagonal link: the null has no draws")
    p = np.full(observed.shape, np.nan)
    if pooled or absent is not None:
        values = np.sort(np.abs(null[:, draws]).ravel())
        above = len(values) - np.searchsorted(values, np.abs(observed[off]), side="left")
        p[off] = (1 + above) / (1 + len(values))
        if pooled:
            return p
    own = (1 + np.sum(np.abs(null) >= np.abs(observed), axis=0)) / (1 + len(null))
    p[draws] = own[draws]
    return p


def bh_q_values(p: np.ndarray) -> np.ndarray:
    """Benjamini–Hochberg q-values of the off-diagonal p-values (:func:`scipy.stats.false_discovery_control`)."""
    off = ~np.eye(p.shape[0], dtype=bool)
    q = np.full(p.shape, np.nan)
    q[off] = false_discovery_control(p[off], method="bh")
    return q
