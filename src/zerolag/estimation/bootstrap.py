"""Block bootstrap of a series' zero-lag covariance from precomputed block sums.

A resample of a block bootstrap is a sequence of blocks of consecutive samples, so its covariance is
built from each block's sum of ``x`` and sum of outer products ``Σ x xᵀ``. Those sums are computed once,
here on a grid of **chunks**: the series is cut into ``K = ⌊T / h⌋`` chunks of ``h`` samples (the stride),
and a block is ``L`` consecutive chunks (``b = L h`` samples). A resample is then a list of chunk indices
and its sums are ``Σ_k c_k s_k`` over the chunk statistics ``s_k`` with the resample's chunk counts ``c_k``:
one product of a count vector with the ``K × (N + N(N+1)/2)`` table (a matrix product for a batch of
resamples), with no pass over the series.

Why a grid and not every block start. The moving-block bootstrap (Künsch 1989) draws blocks starting at
any of the ``T − b + 1`` samples; the sums of every such block are differences of the cumulative sums of
``x xᵀ``, which take ``T · N²`` numbers (8 GB at N = 100, T = 10⁵), and a resample built from them costs
``T/b`` differences of ``N²`` numbers. On the chunk grid the table holds ``K`` packed upper triangles, at
most :data:`BLOCK_SUM_BYTES` (256 MB): the stride is at least ``⌈T (N + N(N+1)/2) · 8 B / 256 MB⌉`` (16
at N = 100, T = 10⁵) and at least ``⌈b / STARTS_PER_BLOCK⌉``, so a resample costs ``K ≈ 8 T / b``
multiply-adds per entry at most instead of the ``T`` of a covariance of the resampled series. The
bootstrap on the grid is the moving-block bootstrap of the series of chunks with blocks of ``L`` chunks:
``L = 1`` is Carlstein's (1986) non-overlapping block bootstrap, whose variance estimates are 1.5× as
variable as the moving-block bootstrap's (Lahiri 1999); ``L`` = :data:`STARTS_PER_BLOCK` = 8 starts per
block length keeps the blocks overlapping, where the memory allows (at N = 100, T = 10⁵ the memory sets
``h = 16``, so a block of fewer than 128 samples has fewer than 8 chunks). The block length is rounded to a
whole number of chunks (``b = L h``, recorded), and the last ``T mod h`` samples (fewer than ``h``) are never
drawn.

Schemes (``scheme``):

* ``"moving"`` (default): blocks of ``L`` chunks starting at any of the ``K − L + 1`` chunks, drawn until
  ``K`` chunks are filled (the last block cut short); every resample has ``K h`` samples.
* ``"stationary"`` (Politis & Romano 1994): block lengths geometric with mean ``L`` chunks, starts at any
  chunk, the series wrapped into a circle (the end joined to the start). Its resamples are stationary,
  but its variance estimates are more variable than the moving-block bootstrap's at the same mean block
  length (Lahiri 1999), which is why it is not the default.

References: Künsch, H. R. (1989), Ann. Stat. 17, 1217–1241; Carlstein, E. (1986), Ann. Stat. 14,
1171–1179; Politis, D. N. & Romano, J. P. (1994), JASA 89, 1303–1313; Lahiri, S. N. (1999), Ann. Stat. 27,
386–404.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from numbers import Integral

import numpy as np

from .block_length import politis_white_block_lengths
from .longrun import max_long_run_bandwidth

__all__ = [
    "BLOCK_LENGTH_QUANTILE",
    "BLOCK_SUM_BYTES",
    "SCHEMES",
    "STARTS_PER_BLOCK",
    "BlockGrid",
    "BlockSums",
    "block_grid",
    "data_block_length",
]

SCHEMES = ("moving", "stationary")
"""The block schemes; the first is the default."""

BLOCK_LENGTH_QUANTILE = 0.9
"""The quantile of the channels' automatic block lengths that :func:`data_block_length` takes."""

BLOCK_SUM_BYTES = 1 << 28
"""Largest table of chunk statistics (bytes); the stride grows to keep it below this."""

STARTS_PER_BLOCK = 8
"""Chunks per block at least, where the memory allows: the block starts per block length."""

_VALUES = 1 << 22  # values per step while the table is built


def _whole(value: object, name: str, meaning: str) -> int:
    whole_float = isinstance(value, float) and value.is_integer()
    if isinstance(value, bool) or not (isinstance(value, Integral) or whole_float):
        raise ValueError(f"{name} must be a whole number of samples ({meaning}), got {value!r}")
    return int(value)


def data_block_length(x: np.ndarray, *, scheme: str = "moving", assume_centered: bool = False) -> int:
    """The block length the data choose: Politis & White's automatic rule per channel, its 0.9 quantile.

    Each channel's length is :func:`~zerolag.estimation.block_length.politis_white_block_lengths` (the flat-top
    estimate of ``(2 G² / D)^{1/3} T^{1/3}``, ``D`` of ``scheme``), which white observation noise barely moves:
    it changes ``R(0)`` only, while the lags ``≥ 1`` set ``G``. The channels are combined by their 0.9 quantile
    (linear interpolation), rounded: a block shorter than a channel's dependence biases the bootstrap variance
    of its covariances down, at first order (intervals too narrow), while a longer one only makes it more
    variable, so the slower channels set the length; the quantile, not the maximum, keeps one channel's
    noisy estimate from setting it alone. It is capped at ``T // (N + 1)`` (at least ``N + 1`` blocks per
    series), with a ``UserWarning`` when the cap applies.
    """
    t, n = x.shape
    lengths = politis_white_block_lengths(x, scheme=scheme, assume_centered=assume_centered)
    b = max(1, int(round(float(np.quantile(lengths, BLOCK_LENGTH_QUANTILE)))))
    cap = max_long_run_bandwidth(t, n)
    if b > cap:
        warnings.warn(
            f"the dependence of X is long for its {t} samples: the block length chosen from the data ({b} samples) "
            f"is capped at T // (N + 1) = {cap} samples, and blocks that short may understate the variability; pass "
            "block_length to choose it, or use a longer series",
            UserWarning,
            stacklevel=3,
        )
        return max(1, cap)
    return b


@dataclass(frozen=True)
class BlockGrid:
    """The chunk grid of a bootstrap: ``n_chunks`` chunks of ``stride`` samples, blocks of ``block_chunks``."""

    stride: int
    block_chunks: int
    n_chunks: int

    @property
    def block_length(self) -> int:
        """Samples per block (the mean block length of the stationary scheme)."""
        return self.stride * self.block_chunks

    @property
    def n_samples(self) -> int:
        """Samples per resample."""
        return self.stride * self.n_chunks


def block_grid(n_samples: int, n_nodes: int, block_length: object, block_stride: object = None) -> BlockGrid:
    """The chunk grid for a block length (see the module docstring for the stride).

    Raises
    ------
    ValueError
        If ``block_length`` is not a whole number in ``[1, T/2)``, or ``block_stride`` is not a whole number
        in ``[1, block_length]`` or leaves the block at least half the gridded series.
    """
    b = _whole(block_length, "block_length", "an int ≥ 1, or None to choose it from the data")
    if b < 1:
        raise ValueError(f"block_length must be at least 1 sample (1: the ordinary bootstrap), got {b}")
    if 2 * b >= n_samples:
        raise ValueError(
            f"block_length = {b} is at least half the series (T = {n_samples} samples): a resample would hold fewer "
            f"than two blocks and repeat the series. Use block_length < T/2 = {n_samples / 2:g} (None chooses it "
            "from the data), or a longer series"
        )
    packed = n_nodes + n_nodes * (n_nodes + 1) // 2
    memory = math.ceil(n_samples * packed * 8 / BLOCK_SUM_BYTES)
    if block_stride is None:
        h = max(1, math.ceil(b / STARTS_PER_BLOCK), memory)
        if h > b:
            warnings.warn(
                f"block_length = {b} is raised to {h} samples: the block sums of {n_nodes} nodes over {n_samples} "
                f"samples need chunks of at least {memory} samples to stay within {BLOCK_SUM_BYTES >> 20} MB",
                UserWarning,
                stacklevel=3,
            )
    else:
        h = _whole(block_stride, "block_stride", "an int ≥ 1, or None to choose it")
        if not 1 <= h <= b:
            raise ValueError(f"block_stride must lie in [1, block_length = {b}], got {h}")
    grid = BlockGrid(stride=h, block_chunks=max(1, round(b / h)), n_chunks=n_samples // h)
    if 2 * grid.block_chunks >= grid.n_chunks:
        raise ValueError(
            f"block_length = {b} rounded to {grid.block_length} samples (whole chunks of block_stride = {h}) is at "
            f"least half the {grid.n_samples} samples on the grid: use a smaller block_stride or block_length"
        )
    return grid


class BlockSums:
    """Chunk statistics of a series, and the covariances of its block-bootstrap resamples built from them.

    Parameters
    ----------
    x : array of shape (T, N)
        The series (finite).
    grid : BlockGrid
        The chunks and blocks.
    scheme : {"moving", "stationary"}
        How blocks are drawn.
    assume_centered : bool
        Do not subtract the resample's mean (divide by ``n``, not ``n − 1``), as the full-data covariance.
    """

    kind = "block-bootstrap resample"

    def __init__(self, x: np.ndarray, grid: BlockGrid, scheme: str, *, assume_centered: bool = False) -> None:
        if scheme not in SCHEMES:
            raise ValueError(f"scheme must be one of {', '.join(map(repr, SCHEMES))}, got {scheme!r}")
        t, n = x.shape
        self.grid, self.scheme, self.assume_centered, self.n_nodes = grid, scheme, assume_centered, n
        self.upper = np.triu_indices(n)
        # sums of x − shift: any shift gives the same covariance; the series mean keeps the products small
        shift = np.zeros(n) if assume_centered else x.mean(axis=0, dtype=np.float64)
        h, k = grid.stride, grid.n_chunks
        self.table = np.empty((k, n + len(self.upper[0])))
        step = max(1, _VALUES // (h * n + n * n))
        for k0 in range(0, k, step):
            k1 = min(k, k0 + step)
            z = (x[k0 * h : k1 * h].astype(np.float64) - shift).reshape(k1 - k0, h, n)
            self.table[k0:k1, :n] = z.sum(axis=1)
            self.table[k0:k1, n:] = np.matmul(z.transpose(0, 2, 1), z)[:, self.upper[0], self.upper[1]]

    def draw(self, rng: np.random.Generator) -> np.ndarray:
        """The chunk indices of one resample, in order (``n_chunks`` of them)."""
        k, length = self.grid.n_chunks, self.grid.block_chunks
        if self.scheme == "moving":
            starts = rng.integers(0, k - length + 1, size=-(-k // length))
            return (starts[:, None] + np.arange(length)).ravel()[:k]
        lengths = rng.geometric(1 / length, size=2 * (-(-k // length)) + 8)
        while lengths.sum() < k:
            lengths = np.concatenate([lengths, rng.geometric(1 / length, size=lengths.size)])
        lengths = lengths[: int(np.searchsorted(np.cumsum(lengths), k)) + 1]
        starts = rng.integers(0, k, size=lengths.size)
        block = np.repeat(np.arange(lengths.size), lengths)[:k]
        offset = np.arange(k) - np.repeat(np.cumsum(lengths) - lengths, lengths)[:k]
        return (starts[block] + offset) % k

    def covariances_from_counts(self, counts: np.ndarray) -> np.ndarray:
        """Covariances ``(B, N, N)`` of resamples given by their chunk counts ``(B, K)``."""
        n, size = self.n_nodes, self.grid.n_samples
        sums = np.atleast_2d(counts).astype(np.float64) @ self.table
        s1, packed = sums[:, :n], sums[:, n:]
        c = np.empty((len(sums), n, n))
        c[:, self.upper[0], self.upper[1]] = packed
        c[:, self.upper[1], self.upper[0]] = packed
        if self.assume_centered:
            return c / size
        c -= s1[:, :, None] * s1[:, None, :] / size
        return c / (size - 1)

    def covariances(self, seeds: Sequence[np.random.SeedSequence]) -> np.ndarray:
        """Covariances ``(B, N, N)`` of the resamples drawn from ``seeds`` (one resample each)."""
        k = self.grid.n_chunks
        counts = np.array([np.bincount(self.draw(np.random.default_rng(s)), minlength=k) for s in seeds])
        return self.covariances_from_counts(counts)
