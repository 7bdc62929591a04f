"""Pin BLAS/OpenMP threads: on small machines default OpenBLAS threading slows the optimiser ~100×."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator
from functools import lru_cache

from threadpoolctl import ThreadpoolController

__all__ = ["blas_threads"]


@lru_cache(maxsize=1)
def _scan(n_modules: int) -> ThreadpoolController:
    return ThreadpoolController()


def _controller() -> ThreadpoolController:
    """The thread pools loaded in this process, scanned again only after new imports.

    A scan costs ~2 ms (a fit at N = 100 ~70 ms); an import may load a library with its own pool, so
    the scan is keyed by the number of imported modules.
    """
    return _scan(len(sys.modules))


@contextlib.contextmanager
def blas_threads(n_threads: int | None) -> Iterator[None]:
    """Limit BLAS and OpenMP thread pools to ``n_threads`` inside the block (``None`` = leave as is)."""
    if n_threads is None:
        yield
        return
    if int(n_threads) < 1:
        raise ValueError(f"n_threads must be a positive integer or None, got {n_threads}")
    with _controller().limit(limits=int(n_threads)):
        yield
