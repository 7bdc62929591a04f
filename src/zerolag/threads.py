"""Pin BLAS/OpenMP threads: on small machines default OpenBLAS threading slows the optimiser ~100×."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from threadpoolctl import threadpool_limits

__all__ = ["blas_threads"]


@contextlib.contextmanager
def blas_threads(n_threads: int | None) -> Iterator[None]:
    """Limit BLAS and OpenMP thread pools to ``n_threads`` inside the block (``None`` = leave as is)."""
    if n_threads is None:
        yield
        return
    if int(n_threads) < 1:
        raise ValueError(f"n_threads must be a positive integer or None, got {n_threads}")
    with threadpool_limits(limits=int(n_threads)):
        yield
