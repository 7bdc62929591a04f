"""Ornstein–Uhlenbeck networks and BOLD-like signals (Schiefer et al. 2018, Eq. 6–7 and Methods).

The neural signal follows ``dx = A x dt + dW`` with ``A = (G − 1)/τ`` and unit-intensity Wiener noise
``W``. It is simulated with the exact discrete update (Gillespie 1996)

    x(t + Δt) = F x(t) + n(t),    F = e^{AΔt},    n ~ N(0, Σ − F Σ Fᵀ),

where ``Σ`` is the stationary covariance, ``A Σ + Σ Aᵀ + 1 = 0``; the first sample is drawn from the
stationary distribution, so there is no burn-in transient. The BOLD signal is the neural signal
convolved with the canonical HRF (:mod:`zerolag.simulation.hrf`) and standardised per channel; the convolution's
history is simulated too, so the BOLD signal is stationary from its first sample.

Two interfaces:

* :func:`simulate_ou`, :func:`simulate_bold` return whole series (short simulations, figures).
* :func:`bold_statistics` streams a long simulation chunk by chunk and keeps only running sums, from
  which :class:`BoldStatistics` gives the zero-lag covariance, band-averaged cross-spectral densities and
  the SNR, for any observation-noise level, without ever holding the series.

Speed: the recursion is evaluated in blocks — within a chunk, ``K`` segments of ``L`` steps are
advanced together with one ``(K × N) @ (N × N)`` product per step, the segment start states follow
from a short sequential pass, and the start-state responses ``F^{i+1} s_k`` are added until they
vanish — so Python loops run ~``2 L`` times per chunk instead of once per time step. The recursion
runs in whitened coordinates ``u = L⁻¹ x`` (``L Lᵀ = Σ − FΣFᵀ``), which makes the driving noise white
and saves the colouring product; the HRF and the covariance commute with ``L`` and it is applied to the
accumulated sums at the end.

Row index = target, column index = source, as everywhere in :mod:`zerolag`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import scipy.fft
import scipy.linalg

from ..estimation.spectra import WelchAccumulator, check_enough_samples
from ..threads import blas_threads
from .hrf import HRF_LENGTH, canonical_hrf
from .hrf import standardize as _standardize
from .networks import check_random_state
from .observation import check_noise_std

__all__ = [
    "BoldStatistics",
    "OUProcess",
    "band_coupled_csd",
    "bold_covariance",
    "bold_statistics",
    "ou_csd",
    "ou_process",
    "simulate_band_coupled",
    "simulate_bold",
    "simulate_ou",
]

_SEGMENT = 512  # steps per block of the recursion
_CHUNK_ELEMENTS = 1 << 21  # default chunk: ~2 M values (8 MB in float32); measured best speed × memory


# --------------------------------------------------------------------------------------------------
# the process


@dataclass(frozen=True)
class OUProcess:
    """The matrices of an Ornstein–Uhlenbeck network sampled every ``dt`` (see :func:`ou_process`).

    Attributes
    ----------
    g : ndarray (N, N)
        Coupling matrix, ``G[i, j]`` from ``j`` to ``i``.
    tau, dt : float
        Time constant and sampling interval in seconds.
    drift : ndarray (N, N)
        ``A = (G − 1)/τ``.
    transition : ndarray (N, N)
        ``F = e^{AΔt}``.
    stationary_cov : ndarray (N, N)
        ``Σ``, solution of ``A Σ + Σ Aᵀ + 1 = 0``.
    noise_cov : ndarray (N, N)
        ``Σ − F Σ Fᵀ``, covariance of the update noise ``n(t)``.
    noise_chol : ndarray (N, N)
        Lower Cholesky factor ``L`` of ``noise_cov``.
    """

    g: np.ndarray = field(repr=False)
    tau: float
    dt: float
    drift: np.ndarray = field(repr=False)
    transition: np.ndarray = field(repr=False)
    stationary_cov: np.ndarray = field(repr=False)
    noise_cov: np.ndarray = field(repr=False)
    noise_chol: np.ndarray = field(repr=False)

    @property
    def n_nodes(self) -> int:
        """Number of nodes ``N``."""
        return self.g.shape[0]

    def lagged_cov(self, lag: int) -> np.ndarray:
        """Exact covariance ``E[x(t + lag·Δt) x(t)ᵀ] = F^lag Σ`` (``Σ F^{|lag|ᵀ}`` for negative lags)."""
        fk = np.linalg.matrix_power(self.transition, abs(int(lag)))
        return fk @ self.stationary_cov if lag >= 0 else self.stationary_cov @ fk.T


def _check_positive(value: float, name: str, meaning: str) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a positive number ({meaning}), got {value!r}") from exc
    if not (np.isfinite(v) and v > 0):
        raise ValueError(f"{name} must be a positive number ({meaning}), got {value!r}")
    return v


def _check_network(g: object) -> np.ndarray:
    g = np.asarray(g)
    if g.ndim != 2 or g.shape[0] != g.shape[1] or g.shape[0] < 1:
        raise ValueError(f"g must be a square coupling matrix (nodes × nodes), got shape {g.shape}")
    if np.iscomplexobj(g) or not np.issubdtype(g.dtype, np.number):
        raise ValueError(f"g must be a real coupling matrix for the OU simulation, got dtype {g.dtype}")
    g = g.astype(np.float64)
    if not np.all(np.isfinite(g)):
        raise ValueError("g contains NaN or inf")
    return g


def ou_process(g: np.ndarray, *, tau: float, dt: float) -> OUProcess:
    """Matrices of the OU network ``dx = (G − 1)/τ x dt + dW`` sampled every ``dt`` seconds.

    Parameters
    ----------
    g : array of shape (N, N)
        Coupling matrix, row = target, column = source (e.g. from :func:`zerolag.make_network`).
    tau : float
        Time constant τ in seconds (> 0).
    dt : float
        Sampling interval Δt in seconds (> 0).

    Returns
    -------
    OUProcess

    Raises
    ------
    ValueError
        If ``tau ≤ 0`` or ``dt ≤ 0``, or if the network is unstable: an eigenvalue of ``G`` with real
        part ≥ 1 (``A`` has an eigenvalue with real part ≥ 0; for the paper's networks this is a
        spectral radius ``rho ≥ 1``).
    """
    g = _check_network(g)
    tau = _check_positive(tau, "tau", "the OU time constant in seconds")
    dt = _check_positive(dt, "dt", "the sampling interval in seconds")
    n = g.shape[0]
    max_re = float(np.max(np.linalg.eigvals(g).real))
    if max_re >= 1 - 1e-9:
        raise ValueError(
            f"g is unstable for the OU process: an eigenvalue of G has real part {max_re:.4g} ≥ 1, so "
            "A = (G − 1)/τ does not decay (spectral radius rho ≥ 1); use a network with rho < 1"
        )
    a = (g - np.eye(n)) / tau
    f = scipy.linalg.expm(a * dt)
    sigma = scipy.linalg.solve_continuous_lyapunov(a, -np.eye(n))
    sigma = (sigma + sigma.T) / 2
    q = sigma - f @ sigma @ f.T
    q = (q + q.T) / 2
    try:
        chol = np.linalg.cholesky(q)
    except np.linalg.LinAlgError as exc:  # only for absurd dt / tau ratios
        raise ValueError(
            f"the update-noise covariance Σ − FΣFᵀ is not positive definite at dt / tau = {dt / tau:.3g}; "
            "choose dt and tau closer to each other"
        ) from exc
    return OUProcess(g, tau, dt, a, f, sigma, q, chol)


def _n_steps(duration: float, dt: float) -> int:
    duration = _check_positive(duration, "duration", "the simulated time in seconds")
    n = round(duration / dt)
    if n < 2:
        raise ValueError(f"duration = {duration:g} s gives {n} samples at dt = {dt:g} s; simulate at least 2 samples")
    return n


def _chunk_size(chunk_size: int | None, n_nodes: int) -> int:
    if chunk_size is None:
        chunk_size = max(_SEGMENT, _CHUNK_ELEMENTS // max(1, n_nodes))
    chunk_size = int(chunk_size)
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be a positive number of time steps, got {chunk_size}")
    return chunk_size


def _check_dtype(dtype: object) -> np.dtype:
    dt = np.dtype(dtype)
    if dt not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be float32 or float64, got {dt}")
    return dt


# --------------------------------------------------------------------------------------------------
# the recursion


def _advance(fu_t: np.ndarray, fl_t: np.ndarray, w: np.ndarray, s: np.ndarray, seg: int) -> np.ndarray:
    """Turn the white noise ``w`` (C, N) in place into ``u[t] = Fu u[t−1] + w[t]`` given ``u[−1] = s``.

    ``fu_t = Fuᵀ`` in the working dtype, ``fl_t = (Fu^seg)ᵀ`` in float64. Returns the last state (float64).
    """
    c, n = w.shape
    k = c // seg
    main = k * seg
    if k:
        p = w[:main].reshape(k, seg, n).transpose(1, 0, 2)  # p[i, j] = time j·seg + i (a strided view)
        tmp = np.empty((k, n), dtype=w.dtype)
        for i in range(1, seg):  # particular solutions, all segments at once, zero start
            np.matmul(p[i - 1], fu_t, out=tmp)
            p[i] += tmp
        starts = np.empty((k, n))
        for j in range(k):  # segment start states, sequentially (float64)
            starts[j] = s
            s = s @ fl_t + p[seg - 1, j]
        corr = starts.astype(w.dtype) @ fu_t  # response to the start state: Fu^{i+1} s_j
        tol = np.finfo(w.dtype).eps * 1e-3 * max(1.0, float(np.abs(starts).max()))
        for i in range(seg):
            p[i] += corr
            np.matmul(corr, fu_t, out=tmp)
            corr, tmp = tmp, corr
            if not np.abs(corr).max() > tol:
                break
    if main < c:  # the remainder, step by step
        f64 = fu_t.astype(np.float64)
        for t in range(main, c):
            s = s @ f64 + w[t]
            w[t] = s
    return np.asarray(s, dtype=np.float64)


def _noise(
    rng: np.random.Generator, obs_rng: np.random.Generator | None, sizes: list[tuple[int, int]], n: int, dtype: np.dtype
) -> tuple[np.ndarray, np.ndarray | None]:
    """Draw the OU noise (time-major) and the observation noise (channel-major) of one chunk."""
    c_sim, c_out = sizes
    w = rng.standard_normal((c_sim, n), dtype=dtype)
    obs = None if obs_rng is None else obs_rng.standard_normal((n, c_out), dtype=dtype)
    return w, obs


def _whitened_chunks(
    proc: OUProcess,
    sizes: list[tuple[int, int]],
    rng: np.random.Generator,
    obs_rng: np.random.Generator | None,
    dtype: np.dtype,
    n_threads: int,
) -> Iterator[tuple[np.ndarray, np.ndarray | None]]:
    """Yield ``(u, obs)`` per chunk: ``u`` (time-major) in whitened coordinates ``x = L u``; ``obs`` the
    observation noise of the chunk's output. With ``n_threads ≥ 2`` the noise of the next chunk is drawn
    in a background thread while the current one is processed (same numbers, same order)."""
    n = proc.n_nodes
    chol = proc.noise_chol
    fu = scipy.linalg.solve_triangular(chol, proc.transition @ chol, lower=True)  # L⁻¹ F L
    fu_t = np.ascontiguousarray(fu.T.astype(dtype))
    fl_t = np.linalg.matrix_power(fu, _SEGMENT).T.copy()
    # the state before the first sample, drawn from the stationary distribution: x ~ N(0, Σ)
    x0 = np.linalg.cholesky(proc.stationary_cov) @ rng.standard_normal(n)
    s = scipy.linalg.solve_triangular(chol, x0, lower=True)
    if n_threads < 2:
        for size in sizes:
            w, obs = _noise(rng, obs_rng, size, n, dtype)
            s = _advance(fu_t, fl_t, w, s, _SEGMENT)
            yield w, obs
        return
    with ThreadPoolExecutor(max_workers=1) as pool:
        future = pool.submit(_noise, rng, obs_rng, sizes[0], n, dtype)
        for j in range(len(sizes)):
            w, obs = future.result()
            if j + 1 < len(sizes):
                future = pool.submit(_noise, rng, obs_rng, sizes[j + 1], n, dtype)
            s = _advance(fu_t, fl_t, w, s, _SEGMENT)
            yield w, obs


class _CausalFilter:
    """Streaming 'valid' convolution of channel-major chunks with a kernel (overlap-save by FFT)."""

    def __init__(self, kernel: np.ndarray, dtype: np.dtype) -> None:
        self.kernel = kernel.astype(dtype)
        self.tail: np.ndarray | None = None
        self._cache: dict[int, np.ndarray] = {}

    def __call__(self, chunk: np.ndarray) -> np.ndarray:
        k = self.kernel.size
        ext = chunk if self.tail is None else np.concatenate([self.tail, chunk], axis=1)
        self.tail = ext[:, ext.shape[1] - (k - 1) :].copy() if k > 1 else ext[:, :0]
        t = ext.shape[1]
        if k == 1:
            return ext * self.kernel[0]
        nfft = scipy.fft.next_fast_len(t, real=True)  # circular wrap only touches the discarded K − 1
        hf = self._cache.get(nfft)
        if hf is None:
            hf = self._cache[nfft] = scipy.fft.rfft(self.kernel, nfft)
        spec = scipy.fft.rfft(ext, nfft, axis=1)
        spec *= hf
        return scipy.fft.irfft(spec, nfft, axis=1)[:, k - 1 : t]


def _plan(n_out: int, n_hist: int, chunk: int) -> list[tuple[int, int]]:
    """(simulated steps, output samples) per chunk; the first chunk also simulates the filter history."""
    sizes = []
    done = 0
    while done < n_out:
        c = min(chunk, n_out - done)
        sizes.append((c + (n_hist if done == 0 else 0), c))
        done += c
    return sizes


def _setup(g, tau, dt, duration, random_state, dtype, chunk_size):
    proc = ou_process(g, tau=tau, dt=dt)
    n_out = _n_steps(duration, proc.dt)
    rng = check_random_state(random_state)
    return proc, n_out, rng, _check_dtype(dtype), _chunk_size(chunk_size, proc.n_nodes)


# --------------------------------------------------------------------------------------------------
# whole series


def simulate_ou(
    g: np.ndarray,
    *,
    tau: float,
    dt: float,
    duration: float,
    random_state: int | np.random.Generator | None,
    dtype: type | str = np.float64,
    chunk_size: int | None = None,
    n_threads: int = 1,
) -> np.ndarray:
    """Simulate the OU network with the exact discrete update, starting from the stationary distribution.

    Parameters
    ----------
    g : array of shape (N, N)
        Coupling matrix, row = target, column = source.
    tau : float
        Time constant τ in seconds.
    dt : float
        Sampling interval Δt in seconds (the update is exact for any Δt).
    duration : float
        Simulated time in seconds; ``round(duration / dt)`` samples.
    random_state : int, numpy.random.Generator or None
        Source of randomness.
    dtype : float64 or float32
        Working and output precision (float32 halves memory and is ~2× faster).
    chunk_size : int or None
        Time steps per chunk (default ≈ 2 M values, e.g. 20 971 steps at N = 100). Results depend on
        the seed, dtype and ``chunk_size`` only through rounding: the random numbers are drawn in time
        order.
    n_threads : int
        1: one core. ≥ 2: draw the next chunk's random numbers in a background thread.

    Returns
    -------
    numpy.ndarray of shape (round(duration / dt), N)
        ``x[t]`` at times ``t·dt``; every sample is distributed as ``N(0, Σ)``.
    """
    proc, n_out, rng, dtype, chunk = _setup(g, tau, dt, duration, random_state, dtype, chunk_size)
    out = np.empty((n_out, proc.n_nodes), dtype=dtype)
    chol_t = proc.noise_chol.T.astype(dtype)
    pos = 0
    with blas_threads(1):
        for u, _ in _whitened_chunks(proc, _plan(n_out, 0, chunk), rng, None, dtype, n_threads):
            np.matmul(u, chol_t, out=out[pos : pos + u.shape[0]])
            pos += u.shape[0]
    return out


def simulate_bold(
    g: np.ndarray,
    *,
    tau: float,
    dt: float,
    duration: float,
    random_state: int | np.random.Generator | None,
    hrf_length: float | None = HRF_LENGTH,
    standardize: bool = True,
    dtype: type | str = np.float64,
    chunk_size: int | None = None,
    n_threads: int = 1,
) -> np.ndarray:
    """BOLD-like signals: the OU network convolved with the canonical HRF, standardised per channel.

    Parameters
    ----------
    g, tau, dt, duration, random_state, dtype, chunk_size, n_threads
        As :func:`simulate_ou`.
    hrf_length : float or None
        Length of the canonical HRF kernel in seconds (30 in the paper); ``None``: no HRF (the OU signal
        itself). The kernel's history is simulated too, so the output is stationary from sample 0.
    standardize : bool
        Scale every channel to mean 0 and variance 1 (``ddof = 0``).

    Returns
    -------
    numpy.ndarray of shape (round(duration / dt), N)

    Notes
    -----
    For long simulations use :func:`bold_statistics`, which gives the same covariance without storing
    the series. With the same arguments both produce the same signal.
    """
    proc, n_out, rng, dtype, chunk = _setup(g, tau, dt, duration, random_state, dtype, chunk_size)
    out = np.empty((n_out, proc.n_nodes), dtype=dtype)
    kernel = np.ones(1) if hrf_length is None else canonical_hrf(proc.dt, length=hrf_length)
    filt = _CausalFilter(kernel, dtype)
    chol = proc.noise_chol.astype(dtype)
    pos = 0
    with blas_threads(1):
        for u, _ in _whitened_chunks(proc, _plan(n_out, kernel.size - 1, chunk), rng, None, dtype, n_threads):
            b = filt(np.ascontiguousarray(u.T))
            np.matmul(b.T, chol.T, out=out[pos : pos + b.shape[1]])
            pos += b.shape[1]
    return _standardize(out, out=out) if standardize else out


# --------------------------------------------------------------------------------------------------
# streaming statistics


@dataclass(frozen=True)
class BoldStatistics:
    """Running sums of a streamed simulation (see :func:`bold_statistics`).

    The observed signal is ``y = standardize(HRF * x) + σ ε`` with ``ε`` white unit-variance noise
    drawn once and scaled by any ``σ`` afterwards (common random numbers across noise levels). All
    quantities come from the sums of the stacked channels ``z = [HRF * u, ε]`` (``x = L u``), through
    ``y − mean = M (z − mean)`` with ``M = [D⁻¹ L, σ 1]``, ``D`` the standard deviations of ``HRF * x``.

    Attributes
    ----------
    n_samples : int
        Samples in the series.
    dt : float
        Sampling interval in seconds.
    mixing : ndarray (N, N)
        ``L``, from whitened to neural coordinates.
    mean : ndarray (M,)
        Means of ``z`` (M = N, or 2N with observation noise).
    scatter : ndarray (M, M)
        ``Σ_t (z_t − mean)(z_t − mean)ᵀ``.
    bands : tuple of (f_low, f_high)
        Bands of the cross-spectral densities (Hz).
    band_csd_raw : ndarray (B, M, M), complex
        Welch band averages of ``z``.
    nperseg, n_segments : int
        Welch segment length and number of segments.
    prefixes : dict of float to BoldStatistics
        Statistics of the first seconds of the same series, for the prefix durations asked for.
    """

    n_samples: int
    dt: float
    mixing: np.ndarray = field(repr=False)
    mean: np.ndarray = field(repr=False)
    scatter: np.ndarray = field(repr=False)
    bands: tuple[tuple[float, float], ...] = ()
    band_csd_raw: np.ndarray | None = field(default=None, repr=False)
    nperseg: int = 0
    n_segments: int = 0
    prefixes: dict[float, BoldStatistics] = field(default_factory=dict, repr=False)

    @property
    def n_nodes(self) -> int:
        """Number of nodes ``N``."""
        return self.mixing.shape[0]

    @property
    def has_noise(self) -> bool:
        """Whether observation noise was simulated."""
        return self.scatter.shape[0] == 2 * self.n_nodes

    @property
    def signal_std(self) -> np.ndarray:
        """Standard deviation (``ddof = 0``) of every channel of ``HRF * x`` before standardisation."""
        n, lm = self.n_nodes, self.mixing
        cov = lm @ self.scatter[:n, :n] @ lm.T / self.n_samples
        return np.sqrt(np.diag(cov))

    def _mix(self, noise_std: float) -> np.ndarray:
        sigma = check_noise_std(noise_std)
        n = self.n_nodes
        m = self.mixing / self.signal_std[:, None]
        if not self.has_noise:
            if sigma > 0:
                raise ValueError("noise_std > 0 needs bold_statistics(..., observation_noise=True)")
            return m
        return np.hstack([m, sigma * np.eye(n)])

    def covariance(self, noise_std: float = 0.0, *, ddof: int = 1) -> np.ndarray:
        """Zero-lag sample covariance of ``y = standardize(HRF * x) + noise_std · ε``.

        Equals ``sample_covariance(simulate_bold(...) + noise_std · ε, ddof=ddof)``; without noise its
        diagonal is ``n / (n − ddof)`` (the signal is standardised with ``ddof = 0``).
        """
        check_enough_samples(self.n_samples, self.n_nodes)
        m = self._mix(noise_std)
        c = m @ self.scatter @ m.T / (self.n_samples - ddof)
        return (c + c.T) / 2

    def csd(self, band: int | tuple[float, float] = 0, noise_std: float = 0.0) -> np.ndarray:
        """Band-averaged Welch cross-spectral density of ``y``, complex Hermitian (N, N).

        ``band`` is an index into :attr:`bands` or one of its ``(f_low, f_high)`` pairs. Convention and
        scaling as :func:`zerolag.estimation.spectra.band_csd`; pass the result to
        :func:`zerolag.estimate_connectivity` for the network acting in that band.
        """
        if self.band_csd_raw is None:
            raise ValueError("no cross-spectral densities were accumulated; pass bands=[(f_low, f_high), …]")
        if isinstance(band, (int, np.integer)):
            if not 0 <= band < len(self.bands):
                raise ValueError(f"band index {band} out of range for {len(self.bands)} band(s)")
            b = int(band)
        else:
            key = tuple(float(v) for v in band)
            if key not in self.bands:
                raise ValueError(f"band {band!r} was not accumulated; available: {list(self.bands)}")
            b = self.bands.index(key)
        m = self._mix(noise_std)
        s = m @ self.band_csd_raw[b] @ m.T
        return (s + s.conj().T) / 2

    def snr(self, noise_std: float) -> float:
        """``var(signal) / var(noise)`` summed over channels: ``N / (noise_std² Σ var ε)`` (≈ 1 / noise_std²)."""
        if not self.has_noise:
            raise ValueError("the SNR needs bold_statistics(..., observation_noise=True)")
        if not float(noise_std) > 0:
            raise ValueError(f"noise_std must be positive for an SNR, got {noise_std!r}")
        n = self.n_nodes
        noise_var = float(np.trace(self.scatter[n:, n:])) / self.n_samples
        return n / (float(noise_std) ** 2 * noise_var)


def _prefix_samples(prefixes: Sequence[float], dt: float, n_out: int, bands: object) -> dict[float, int]:
    """Samples of each requested prefix duration (shorter than the run), checked."""
    if len(prefixes) and bands is not None:
        raise ValueError("prefixes and bands cannot be combined: ask for the band CSDs of a run of that length")
    out = {}
    for seconds in prefixes:
        k = _n_steps(float(seconds), dt)
        if k > n_out:
            raise ValueError(f"prefix of {seconds:g} s is longer than the simulated {n_out * dt:g} s")
        out[float(seconds)] = k
    return out


def _centred(total: np.ndarray, gram: np.ndarray, n: int, shift: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Means and scatter matrix from the sums of ``n`` shifted samples."""
    mean_c = total / n
    scatter = gram - n * np.outer(mean_c, mean_c)
    return mean_c + shift.astype(np.float64), (scatter + scatter.T) / 2


def bold_statistics(
    g: np.ndarray,
    *,
    tau: float,
    dt: float,
    duration: float,
    random_state: int | np.random.Generator | None,
    observation_noise: bool = False,
    bands: Sequence[tuple[float, float]] | None = None,
    nperseg: int = 256,
    noverlap: int | None = None,
    hrf_length: float | None = HRF_LENGTH,
    dtype: type | str = np.float32,
    chunk_size: int | None = None,
    n_threads: int = 1,
    prefixes: Sequence[float] = (),
) -> BoldStatistics:
    """Stream a long OU + HRF simulation and keep only what the covariance estimators need.

    Memory stays at a few chunks (tens of MB) whatever the duration.

    Parameters
    ----------
    g, tau, dt, duration, random_state, hrf_length, chunk_size, n_threads
        As :func:`simulate_bold`. With the same arguments (and ``dtype``) the signal is the one
        :func:`simulate_bold` returns.
    observation_noise : bool
        Also draw white unit-variance noise ``ε`` (independent stream spawned from ``random_state``) so
        :meth:`BoldStatistics.covariance` can add it at any level ``noise_std`` after standardisation.
    bands : sequence of (f_low, f_high) or None
        Frequency bands (Hz) for band-averaged Welch cross-spectral densities.
    nperseg, noverlap : int
        Welch segment length and overlap (default half) in samples.
    dtype : float32 or float64
        Working precision of the simulation, filter and products (sums are kept in float64). float32
        is ~2× faster; its rounding (~1e-6 relative) is far below the sampling error of a covariance.

    prefixes : sequence of float
        Shorter durations (s) whose statistics are also wanted: the sums over the first
        ``round(prefix / dt)`` samples of the same series, in :attr:`BoldStatistics.prefixes`. They
        cost one extra product per prefix and leave the full-length sums exactly as without them.
        Not with ``bands``.

    Returns
    -------
    BoldStatistics
        ``.covariance(noise_std)``, ``.csd(band, noise_std)``, ``.snr(noise_std)``; ``.prefixes``
        maps each requested prefix duration to its own :class:`BoldStatistics`.
    """
    proc, n_out, rng, dtype, chunk = _setup(g, tau, dt, duration, random_state, dtype, chunk_size)
    checkpoints = _prefix_samples(prefixes, proc.dt, n_out, bands)
    n = proc.n_nodes
    kernel = np.ones(1) if hrf_length is None else canonical_hrf(proc.dt, length=hrf_length)
    filt = _CausalFilter(kernel, dtype)
    obs_rng = rng.spawn(1)[0] if observation_noise else None
    m = 2 * n if observation_noise else n
    welch = None
    if bands is not None:
        welch = WelchAccumulator(m, bands, dt=proc.dt, nperseg=nperseg, noverlap=noverlap)
        if nperseg > n_out:
            raise ValueError(f"nperseg = {nperseg} exceeds the {n_out} simulated samples; reduce nperseg")
    total = np.zeros(m)
    gram = np.zeros((m, m))
    done, snapshots = 0, {}
    shift = None  # subtract the first chunk's mean before the products: no cancellation in float32
    with blas_threads(1):
        for u, obs in _whitened_chunks(proc, _plan(n_out, kernel.size - 1, chunk), rng, obs_rng, dtype, n_threads):
            z = filt(np.ascontiguousarray(u.T))
            if obs is not None:
                z = np.concatenate([z, obs], axis=0)
            if shift is None:
                shift = z.mean(axis=1, dtype=np.float64).astype(dtype)
            zc = z - shift[:, None]
            for seconds, k in checkpoints.items():  # prefixes ending in this chunk: their own sums
                if done < k <= done + zc.shape[1]:
                    part = zc[:, : k - done]
                    snapshots[seconds] = (total + part.sum(axis=1, dtype=np.float64), gram + part @ part.T, k)
            done += zc.shape[1]
            total += zc.sum(axis=1, dtype=np.float64)
            gram += zc @ zc.T
            if welch is not None:
                welch.update(z)
    mixing = proc.noise_chol.copy()
    prefix_stats = {
        seconds: BoldStatistics(k, proc.dt, mixing, *_centred(t, gm, k, shift))
        for seconds, (t, gm, k) in snapshots.items()
    }
    mean, scatter = _centred(total, gram, n_out, shift)
    return BoldStatistics(
        n_samples=n_out,
        dt=proc.dt,
        mixing=mixing,
        mean=mean,
        scatter=scatter,
        prefixes=prefix_stats,
        bands=tuple(welch.bands) if welch is not None else (),
        band_csd_raw=welch.band_csd() if welch is not None else None,
        nperseg=nperseg if welch is not None else 0,
        n_segments=welch.n_segments if welch is not None else 0,
    )


# --------------------------------------------------------------------------------------------------
# theory


def ou_csd(g: np.ndarray, freqs: np.ndarray, *, tau: float, dt: float, hrf_length: float | None = None) -> np.ndarray:
    """Exact one-sided cross-spectral density of the sampled OU network (optionally HRF-filtered).

    ``S(f) = 2 Δt H Q Hᴴ · |ĥ(f)|²`` with ``H = (1 − F e^{−2πi f Δt})⁻¹`` and ``Q = Σ − FΣFᵀ``
    (``Δt`` instead of ``2 Δt`` at 0 and Nyquist), convention ``S[i, j] = E[X_i conj(X_j)]`` as
    :mod:`zerolag.estimation.spectra`; ``ĥ`` is the DTFT of the (unit-sum) HRF kernel if ``hrf_length`` is given.

    Returns
    -------
    numpy.ndarray of shape (len(freqs), N, N), complex
    """
    proc = ou_process(g, tau=tau, dt=dt)
    freqs = np.atleast_1d(np.asarray(freqs, dtype=float))
    n = proc.n_nodes
    z = np.exp(-2j * np.pi * freqs * proc.dt)
    h = np.linalg.inv(np.eye(n)[None] - proc.transition[None] * z[:, None, None])
    s = h @ proc.noise_cov @ np.conj(np.swapaxes(h, 1, 2))
    edge = np.isclose(freqs, 0) | np.isclose(freqs, 0.5 / proc.dt)
    s *= (np.where(edge, 1.0, 2.0) * proc.dt)[:, None, None]
    if hrf_length is not None:
        kernel = canonical_hrf(proc.dt, length=hrf_length)
        hh = np.exp(-2j * np.pi * np.outer(freqs * proc.dt, np.arange(kernel.size))) @ kernel
        s *= (np.abs(hh) ** 2)[:, None, None]
    return s


def bold_covariance(g: np.ndarray, *, tau: float, dt: float, hrf_length: float | None = HRF_LENGTH) -> np.ndarray:
    """Exact zero-lag covariance of the HRF-filtered sampled OU network (before standardisation).

    ``Σ_{k,l} h_k h_l C(k − l)`` with ``C(m) = F^m Σ`` (``m ≥ 0``) and ``C(−m) = C(m)ᵀ``. Divide by
    ``outer(d, d)``, ``d = sqrt(diag)``, for the covariance of the standardised signal. With
    ``hrf_length=None`` this is ``Σ``.
    """
    proc = ou_process(g, tau=tau, dt=dt)
    if hrf_length is None:
        return proc.stationary_cov.copy()
    h = canonical_hrf(proc.dt, length=hrf_length)
    acf = np.correlate(h, h, mode="full")[h.size - 1 :]  # a_m = Σ_k h_k h_{k+m}
    c = acf[0] * proc.stationary_cov
    lagged = proc.stationary_cov
    for a_m in acf[1:]:
        lagged = proc.transition @ lagged
        c += a_m * (lagged + lagged.T)
    return (c + c.T) / 2


# --------------------------------------------------------------------------------------------------
# band-limited coupling (frequency-resolved example)


def _check_band_couplings(
    couplings: Sequence[tuple[np.ndarray, tuple[float, float]]], dt: float
) -> list[tuple[np.ndarray, tuple[float, float]]]:
    if len(couplings) == 0:
        raise ValueError("couplings must hold at least one (G, (f_low, f_high)) pair")
    out, n = [], None
    for i, pair in enumerate(couplings):
        try:
            g, band = pair
            lo, hi = (float(v) for v in band)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"couplings[{i}] must be a pair (G, (f_low, f_high)) with the band in Hz") from exc
        g = _check_network(g)
        if not 0 <= lo < hi:
            raise ValueError(f"couplings[{i}]: band ({lo:g}, {hi:g}) Hz must satisfy 0 ≤ f_low < f_high")
        if lo >= 0.5 / dt:
            raise ValueError(f"couplings[{i}]: band starts above the Nyquist frequency {0.5 / dt:g} Hz")
        if n is not None and g.shape[0] != n:
            raise ValueError(f"couplings[{i}]: G has {g.shape[0]} nodes, the first has {n}")
        n = g.shape[0]
        out.append((g, (lo, hi)))
    return out


def _band_transfer(
    couplings: list[tuple[np.ndarray, tuple[float, float]]], freqs: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Group frequencies by the bands they fall in: (group of every frequency, ``(1 − Ĝ)⁻¹`` per group)."""
    inside = np.stack([(freqs >= lo) & (freqs <= hi) for _, (lo, hi) in couplings], axis=1)
    patterns, group = np.unique(inside, axis=0, return_inverse=True)
    n = couplings[0][0].shape[0]
    inverses = np.empty((patterns.shape[0], n, n))
    for k, pattern in enumerate(patterns):
        gk = sum((g for (g, _), on in zip(couplings, pattern, strict=False) if on), np.zeros((n, n)))
        radius = float(np.max(np.abs(np.linalg.eigvals(gk)))) if gk.any() else 0.0
        if radius >= 1:
            bands = [b for (_, b), on in zip(couplings, pattern, strict=False) if on]
            raise ValueError(
                f"couplings: the summed coupling in band(s) {bands} has spectral radius {radius:.3g} ≥ 1; "
                "scale the coupling matrices down (rho < 1 where bands overlap too)"
            )
        inverses[k] = np.linalg.inv(np.eye(n) - gk)
    return group.ravel(), inverses


def simulate_band_coupled(
    couplings: Sequence[tuple[np.ndarray, tuple[float, float]]],
    *,
    dt: float,
    duration: float,
    random_state: int | np.random.Generator | None,
) -> np.ndarray:
    """A network whose couplings act only in given frequency bands (spectral synthesis).

    ``x̂(f) = (1 − Ĝ(f))⁻¹ v̂(f)`` with ``Ĝ(f) = Σ_m G_m · 1[f ∈ band_m]`` and ``v`` white unit-variance
    noise: at every frequency exactly the paper's model (Eq. 5), so the CSD averaged over ``band_m``
    (:func:`zerolag.estimation.spectra.band_csd`) is ``(1 − G_m)⁻¹ (1 − G_m)⁻ᵀ`` up to sampling error and the
    estimator returns ``G_m`` there, while a band without coupling gives no network. The couplings are
    zero-phase (instantaneous within their band), like the paper's zero-lag model.

    The series is one period of a circular stationary Gaussian process: its DFT has exactly the target
    spectral shape (the wrap-around between the end and the start is the only artefact).

    Parameters
    ----------
    couplings : sequence of (G, (f_low, f_high))
        Coupling matrices (row = target, column = source) and the band in Hz where each acts
        (``f_low ≤ f ≤ f_high``); e.g. ``[(G_slow, (0.01, 0.1)), (G_fast, (0.5, 1.0))]``.
    dt : float
        Sampling interval in seconds.
    duration : float
        Simulated time in seconds; ``round(duration / dt)`` samples.
    random_state : int, numpy.random.Generator or None
        Source of randomness.

    Returns
    -------
    numpy.ndarray of shape (round(duration / dt), N)

    Raises
    ------
    ValueError
        For malformed couplings or bands, or a spectral radius ≥ 1 in some band (overlaps summed).
    """
    dt = _check_positive(dt, "dt", "the sampling interval in seconds")
    cpl = _check_band_couplings(couplings, dt)
    n_out = _n_steps(duration, dt)
    rng = check_random_state(random_state)
    spec = scipy.fft.rfft(rng.standard_normal((n_out, cpl[0][0].shape[0])), axis=0)
    group, inverses = _band_transfer(cpl, scipy.fft.rfftfreq(n_out, dt))
    for k in range(inverses.shape[0]):
        idx = np.flatnonzero(group == k)
        spec[idx] = spec[idx] @ inverses[k].T
    return scipy.fft.irfft(spec, n_out, axis=0)


def band_coupled_csd(
    couplings: Sequence[tuple[np.ndarray, tuple[float, float]]], freqs: np.ndarray, *, dt: float
) -> np.ndarray:
    """Exact one-sided CSD of :func:`simulate_band_coupled`: ``2 Δt (1 − Ĝ(f))⁻¹ (1 − Ĝ(f))⁻ᵀ`` (real).

    (``Δt`` at 0 and Nyquist), convention ``S[i, j] = E[X_i conj(X_j)]``; shape (len(freqs), N, N).
    """
    dt = _check_positive(dt, "dt", "the sampling interval in seconds")
    cpl = _check_band_couplings(couplings, dt)
    freqs = np.atleast_1d(np.asarray(freqs, dtype=float))
    group, inverses = _band_transfer(cpl, freqs)
    inv = inverses[group]
    s = inv @ np.swapaxes(inv, 1, 2)
    edge = np.isclose(freqs, 0) | np.isclose(freqs, 0.5 / dt)
    return s * (np.where(edge, 1.0, 2.0) * dt)[:, None, None]
