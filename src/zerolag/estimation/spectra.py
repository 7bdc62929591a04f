"""Covariance estimators for the estimator's input: zero-lag sample covariance and band-averaged CSD.

The estimator takes any Hermitian positive-definite ``C = (1 − Ĝ)⁻¹ (1 − Ĝ)⁻ᴴ``. The zero-lag
covariance of the sampled signals is the usual choice (Schiefer et al. 2018); the cross-spectral density
averaged over a frequency band gives a complex Hermitian ``C`` and, through
:func:`zerolag.estimate_connectivity`, a frequency-resolved network.

Convention: ``S[i, j] = E[X_i(f) conj(X_j(f))]`` (row = node ``i``), so ``S = E[x̂ x̂ᴴ]`` matches Eq. 5 with
``x̂ = (1 − Ĝ)⁻¹ v̂``. This is the complex conjugate of ``scipy.signal.csd(x_i, x_j)``.
Signals are arrays of shape (time, nodes).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.fft

__all__ = [
    "WelchAccumulator",
    "band_csd",
    "check_enough_samples",
    "check_welch_bands",
    "cross_spectral_density",
    "sample_covariance",
]


def check_enough_samples(n_samples: int, n_nodes: int, *, what: str = "samples", centered: bool = True) -> None:
    """Raise ``ValueError`` if ``n_samples`` cannot give a non-singular ``n_nodes × n_nodes`` estimate.

    A sum of ``n`` rank-one terms has rank at most ``n`` (``n − 1`` after removing the mean), so a
    covariance of ``N`` nodes needs more samples than nodes.
    """
    rank = n_samples - 1 if centered else n_samples
    if rank < n_nodes:
        need = n_nodes + 1 if centered else n_nodes
        raise ValueError(
            f"fewer {what} ({n_samples}) than needed for {n_nodes} nodes (at least {need}): the estimate would be "
            "singular. Use a longer recording, fewer regions, or a shrinkage covariance estimate "
            "(e.g. sklearn.covariance.LedoitWolf)"
        )


def _as_signals(x: object, name: str = "x") -> np.ndarray:
    x = np.asarray(x)
    if x.ndim != 2:
        raise ValueError(f"{name} must be a 2-D array of shape (time, nodes), got shape {x.shape}")
    if not np.issubdtype(x.dtype, np.floating):
        if not np.issubdtype(x.dtype, np.number) or np.iscomplexobj(x):
            raise ValueError(f"{name} must hold real numbers, got dtype {x.dtype}")
        x = x.astype(np.float64)
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} contains NaN or inf; remove or impute non-finite samples first")
    return x


def sample_covariance(x: np.ndarray, *, ddof: int = 1, assume_centered: bool = False) -> np.ndarray:
    """Zero-lag sample covariance of signals of shape (time, nodes), computed in float64.

    Parameters
    ----------
    x : array of shape (T, N)
        Signals, time along axis 0.
    ddof : int
        Divide by ``T − ddof`` (1: unbiased, as ``numpy.cov``).
    assume_centered : bool
        Do not subtract the channel means.

    Returns
    -------
    numpy.ndarray of shape (N, N)

    Raises
    ------
    ValueError
        If ``T ≤ N`` (the covariance would be singular) or ``x`` is not a finite 2-D real array.
    """
    x = _as_signals(x)
    t, n = x.shape
    check_enough_samples(t, n, centered=not assume_centered)
    mean = np.zeros(n)
    rows = max(1, (1 << 20) // max(1, n))  # blocks of ~1 M values: no full-size float64 copy
    if not assume_centered:
        for i in range(0, t, rows):
            mean += x[i : i + rows].sum(axis=0, dtype=np.float64)
        mean /= t
    c = np.zeros((n, n))
    for i in range(0, t, rows):
        block = x[i : i + rows].astype(np.float64) - mean
        c += block.T @ block
    c /= t - ddof
    return (c + c.T) / 2


def _check_band(band: tuple[float, float], dt: float) -> tuple[float, float]:
    try:
        lo, hi = (float(v) for v in band)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"each band must be a pair (f_low, f_high) in Hz, got {band!r}") from exc
    nyquist = 0.5 / dt
    if not 0 <= lo <= hi:
        raise ValueError(f"band ({lo:g}, {hi:g}) Hz must satisfy 0 ≤ f_low ≤ f_high")
    if lo > nyquist:
        raise ValueError(f"band ({lo:g}, {hi:g}) Hz starts above the Nyquist frequency {nyquist:g} Hz")
    return lo, hi


def check_welch_bands(
    bands: Sequence[tuple[float, float]], *, dt: float, nperseg: int, noverlap: int | None = None
) -> tuple[int, np.ndarray, list[tuple[float, float]], list[np.ndarray]]:
    """Check Welch parameters and frequency bands; return the overlap, the frequencies, the bands and their indices.

    Raises ``ValueError`` naming the problem: a non-positive ``dt``, ``nperseg`` below 2, an overlap outside
    ``[0, nperseg)``, a band that is not an ordered pair, starts above Nyquist or holds no Welch frequency.
    """
    if not dt > 0:
        raise ValueError(f"sampling interval dt must be positive, got {dt}")
    nperseg = int(nperseg)
    if nperseg < 2:
        raise ValueError(f"nperseg must be at least 2 samples, got {nperseg}")
    noverlap = nperseg // 2 if noverlap is None else int(noverlap)
    if not 0 <= noverlap < nperseg:
        raise ValueError(f"noverlap must lie in [0, nperseg) = [0, {nperseg}), got {noverlap}")
    freqs = scipy.fft.rfftfreq(nperseg, dt)
    checked = [_check_band(b, dt) for b in bands]
    if not checked:
        raise ValueError("bands must name at least one (f_low, f_high) frequency band")
    index = [np.flatnonzero((freqs >= lo) & (freqs <= hi)) for lo, hi in checked]
    for (lo, hi), idx in zip(checked, index, strict=True):
        if idx.size == 0:
            raise ValueError(
                f"band ({lo:g}, {hi:g}) Hz holds no Welch frequency (resolution {freqs[1]:.4g} Hz "
                f"for nperseg = {nperseg}, dt = {dt:g} s); widen the band or increase nperseg"
            )
    return noverlap, freqs, checked, index


class WelchAccumulator:
    """Streaming Welch estimate of band-averaged cross-spectral densities.

    Feed consecutive chunks of a multichannel signal with :meth:`update` (channel-major, shape
    (channels, time)); segments that straddle chunk boundaries are handled. Segments of ``nperseg``
    samples, ``noverlap`` overlap, mean removed per segment, Hann (or any ``scipy.signal.get_window``)
    window, one-sided density scaling as ``scipy.signal.welch`` (units² / Hz).

    Parameters
    ----------
    n_channels : int
        Number of channels.
    bands : sequence of (f_low, f_high)
        Frequency bands in Hz; a band holds the Welch frequencies ``f_low ≤ f ≤ f_high``.
    dt : float
        Sampling interval in seconds.
    nperseg : int
        Segment length in samples.
    noverlap : int or None
        Overlap in samples (default ``nperseg // 2``).
    window : str or tuple
        Window passed to ``scipy.signal.get_window``.
    """

    def __init__(
        self,
        n_channels: int,
        bands: Sequence[tuple[float, float]],
        *,
        dt: float,
        nperseg: int = 256,
        noverlap: int | None = None,
        window: str | tuple = "hann",
    ) -> None:
        noverlap, self.freqs, self.bands, self.band_index = check_welch_bands(
            bands, dt=dt, nperseg=nperseg, noverlap=noverlap
        )
        nperseg = int(nperseg)
        self.n_channels, self.dt, self.nperseg, self.noverlap = int(n_channels), float(dt), nperseg, noverlap
        self.step = nperseg - noverlap
        from scipy.signal import get_window  # ~2 s to import: not at module level, so parsing the workflow skips it

        win = get_window(window, nperseg)
        self.window = win
        # one-sided density: every frequency but DC (and Nyquist for even nperseg) counts twice
        weight = np.full(self.freqs.size, 2.0)
        weight[0] = 1.0
        if nperseg % 2 == 0:
            weight[-1] = 1.0
        self._weight = weight / (np.sum(win**2) / dt)
        self.sums = np.zeros((len(self.bands), self.n_channels, self.n_channels), dtype=np.complex128)
        self.n_segments = 0
        self._pending: np.ndarray | None = None

    def update(self, chunk: np.ndarray) -> None:
        """Add the next samples, shape (channels, time), channel-major (time contiguous is fastest)."""
        chunk = np.asarray(chunk)
        if chunk.ndim != 2 or chunk.shape[0] != self.n_channels:
            raise ValueError(f"chunk must have shape ({self.n_channels}, time), got {chunk.shape}")
        buf = chunk if self._pending is None else np.concatenate([self._pending, chunk], axis=1)
        length = buf.shape[1]
        if length < self.nperseg:
            self._pending = buf.copy() if buf is chunk else buf
            return
        n_seg = (length - self.nperseg) // self.step + 1
        # batches of segments bound the memory of the FFT to about twice the chunk
        batch = max(1, (1 << 22) // max(1, self.n_channels * self.nperseg))
        win = self.window.astype(buf.dtype if buf.dtype == np.float32 else np.float64)
        for s0 in range(0, n_seg, batch):
            s1 = min(n_seg, s0 + batch)
            start = s0 * self.step
            stop = (s1 - 1) * self.step + self.nperseg
            seg = np.lib.stride_tricks.sliding_window_view(buf[:, start:stop], self.nperseg, axis=1)[:, :: self.step]
            seg = seg - seg.mean(axis=2, keepdims=True)
            spec = scipy.fft.rfft(seg * win, axis=2)  # (channels, segments, freqs)
            for b, idx in enumerate(self.band_index):
                y = spec[:, :, idx] * np.sqrt(self._weight[idx]).astype(spec.real.dtype)
                y = y.reshape(self.n_channels, -1)
                self.sums[b] += y @ y.conj().T
        self.n_segments += n_seg
        self._pending = buf[:, n_seg * self.step :].copy()

    def band_csd(self) -> np.ndarray:
        """Band averages, shape (n_bands, channels, channels): mean over segments and band frequencies."""
        if self.n_segments == 0:
            raise ValueError(f"signal is shorter than one Welch segment ({self.nperseg} samples); reduce nperseg")
        counts = np.array([idx.size for idx in self.band_index], dtype=float)
        out = self.sums / (self.n_segments * counts)[:, None, None]
        return (out + np.conj(np.swapaxes(out, 1, 2))) / 2


def _welch_args(x: np.ndarray, nperseg: int, noverlap: int | None) -> tuple[int, int | None]:
    if nperseg > x.shape[0]:
        raise ValueError(f"nperseg = {nperseg} exceeds the signal length {x.shape[0]}; reduce nperseg")
    return nperseg, noverlap


def cross_spectral_density(
    x: np.ndarray,
    *,
    dt: float,
    nperseg: int = 256,
    noverlap: int | None = None,
    window: str | tuple = "hann",
) -> tuple[np.ndarray, np.ndarray]:
    """Welch cross-spectral density matrix at every frequency.

    Parameters
    ----------
    x : array of shape (T, N)
        Signals, time along axis 0.
    dt : float
        Sampling interval in seconds.
    nperseg, noverlap, window
        Welch parameters (defaults: 256 samples, half overlap, Hann), as ``scipy.signal.welch``.

    Returns
    -------
    freqs : numpy.ndarray of shape (F,)
        Frequencies in Hz.
    csd : numpy.ndarray of shape (F, N, N), complex
        One-sided density, ``csd[f, i, j] = ⟨X_i conj(X_j)⟩`` (Hermitian per frequency); its diagonal
        equals ``scipy.signal.welch``. Single frequencies are rank-deficient when there are fewer
        segments than nodes: average over a band (:func:`band_csd`) before estimating connectivity.
    """
    x = _as_signals(x)
    nperseg, noverlap = _welch_args(x, nperseg, noverlap)
    acc = WelchAccumulator(x.shape[1], [(0.0, 0.5 / dt)], dt=dt, nperseg=nperseg, noverlap=noverlap, window=window)
    segs = np.lib.stride_tricks.sliding_window_view(x, nperseg, axis=0)[:: acc.step]  # (S, N, nperseg)
    out = np.zeros((acc.freqs.size, x.shape[1], x.shape[1]), dtype=np.complex128)
    batch = max(1, (1 << 22) // max(1, x.shape[1] * nperseg))
    for s0 in range(0, segs.shape[0], batch):
        seg = segs[s0 : s0 + batch]
        seg = (seg - seg.mean(axis=2, keepdims=True)) * acc.window
        spec = scipy.fft.rfft(seg, axis=2).astype(np.complex128).transpose(2, 1, 0)  # (F, N, S)
        out += spec @ np.conj(spec.transpose(0, 2, 1))
    out *= (acc._weight / segs.shape[0])[:, None, None]
    return acc.freqs, (out + np.conj(out.transpose(0, 2, 1))) / 2


def band_csd(
    x: np.ndarray,
    bands: Sequence[tuple[float, float]],
    *,
    dt: float,
    nperseg: int = 256,
    noverlap: int | None = None,
    window: str | tuple = "hann",
) -> np.ndarray:
    """Cross-spectral density averaged over frequency bands: the estimator's input for frequency-resolved networks.

    Parameters
    ----------
    x : array of shape (T, N)
        Signals, time along axis 0.
    bands : sequence of (f_low, f_high)
        Bands in Hz; each holds the Welch frequencies ``f_low ≤ f ≤ f_high``.
    dt : float
        Sampling interval in seconds.
    nperseg, noverlap, window
        Welch parameters (defaults: 256 samples, half overlap, Hann).

    Returns
    -------
    numpy.ndarray of shape (n_bands, N, N), complex Hermitian
        ``zerolag.estimate_connectivity(result[b])`` estimates the network acting in band ``b``.

    Raises
    ------
    ValueError
        If a band holds no Welch frequency, or if segments × band frequencies ≤ N (the band matrix would
        be singular).
    """
    x = _as_signals(x)
    nperseg, noverlap = _welch_args(x, nperseg, noverlap)
    acc = WelchAccumulator(x.shape[1], bands, dt=dt, nperseg=nperseg, noverlap=noverlap, window=window)
    acc.update(np.ascontiguousarray(x.T))
    for (lo, hi), idx in zip(acc.bands, acc.band_index, strict=False):
        check_enough_samples(
            acc.n_segments * idx.size,
            x.shape[1],
            what=f"segments × frequencies in band ({lo:g}, {hi:g}) Hz",
            centered=False,
        )
    return acc.band_csd()
