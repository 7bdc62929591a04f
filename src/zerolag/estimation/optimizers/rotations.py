"""Pieces of the fast optimiser: skew-Hermitian parts, preconditioned CG, Cayley rotations, LU on one thread."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import scipy.linalg

from ...threads import blas_threads

__all__ = ["cayley", "conjugate_gradients", "skew", "solve"]


def skew(y: np.ndarray) -> np.ndarray:
    return 0.5 * (y - y.conj().T)


def conjugate_gradients(
    normal: Callable[[np.ndarray], np.ndarray],
    x: np.ndarray,
    r: np.ndarray,
    inv_precond: np.ndarray,
    *,
    steps: int,
    tol: float,
    b_norm: float,
) -> np.ndarray:
    """Preconditioned conjugate gradients from ``x`` with residual ``r`` (both updated in place); returns ``x``.

    ``normal`` applies the (positive semi-definite) operator, ``inv_precond`` is the elementwise inverse of the
    preconditioner. Stops after ``steps``, at a residual of ``tol · b_norm``, or where single precision
    leaves no curvature or descent.
    """
    z = r * inv_precond
    p = z.copy()
    rz = np.real(np.vdot(r, z))
    for _ in range(steps if b_norm > 0 else 0):
        ap = normal(p)
        curvature = np.real(np.vdot(p, ap))
        if not curvature > 0:  # solved to single precision
            break
        alpha = rz / curvature
        x += alpha * p
        r -= alpha * ap
        if np.linalg.norm(r) <= tol * b_norm:
            break
        z = r * inv_precond
        rz_new = np.real(np.vdot(r, z))
        if not rz_new > 0:
            break
        p = z + (rz_new / rz) * p
        rz = rz_new
    return x


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
