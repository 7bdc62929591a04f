"""Rotations of the fast optimiser: skew-Hermitian parts, Cayley rotations, LU solves on one BLAS thread."""

from __future__ import annotations

import numpy as np
import scipy.linalg

from ...threads import blas_threads

__all__ = ["cayley", "skew", "solve"]


def skew(y: np.ndarray) -> np.ndarray:
    return 0.5 * (y - y.conj().T)


def solve(a: np.ndarray, b: np.ndarray, **kwargs: bool) -> np.ndarray:
    """``A⁻¹ B`` by SciPy's LAPACK LU (3× faster than ``numpy.linalg.solve`` in single precision at N = 400).

    Always on one BLAS thread: OpenBLAS's threaded LU synchronises at every panel, and with two threads
    it made a whole fit at N = 400 twice as slow as with one (2.8 s against 1.5 s), while the
    matrix products around it do gain from the second thread.
    """
    with blas_threads(1):
        return scipy.linalg.solve(a, b, check_finite=False, **kwargs)


def cayley(x: np.ndarray) -> np.ndarray:
    """``(1 + X/2)⁻¹(1 − X/2)``: unitary for skew-Hermitian ``X``, equal to ``exp(−X)`` to second order."""
    eye = np.eye(x.shape[0], dtype=x.dtype)
    return solve(eye + 0.5 * x, eye - 0.5 * x, overwrite_a=True, overwrite_b=True)
