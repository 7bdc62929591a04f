"""The fast optimiser's snap: Gauss–Newton steps that make the entries the path drove to (almost) zero exactly zero.

The reweighted path ends with a small bias: the floor of ``δ`` keeps its near-zero entries slightly
off zero. With unit weights on those entries only, Gauss–Newton on ``Σ_zero |(M − X M)_ij|²`` is
quadratically convergent once the zero set is right. Its linear solves are done by conjugate
gradients in the eigenbasis of ``M Mᴴ``, where the operator without weights is diagonal; that
diagonal preconditions the weighted operator (condition ~10 instead of ~100 for the Jacobi
preconditioner in the original basis at N = 100), so a relative residual of 1e-6 takes ~15–20 steps
of four products instead of ~95 of two.

:func:`gap_threshold` finds, during the path, the point where the zero set already stands apart from
the connections (an empty band of several octaves in ``|M|``), so that the snap can be tried before
the path reaches the floor of ``δ``.
"""

from __future__ import annotations

import numpy as np

from .common import l1_cost
from .rotations import cayley, conjugate_gradients, skew

__all__ = ["GramBasis", "gap_threshold", "gram_basis", "snap"]

GramBasis = tuple[np.ndarray, np.ndarray, np.ndarray]


def gram_basis(b0: np.ndarray) -> GramBasis:
    """``Q``, ``Λ`` of ``B₀ B₀ᴴ = Q Λ Qᴴ``, and ``M̃ = Qᴴ B₀``: the basis in which the snap is solved.

    For any unitary ``U`` (``M = U B₀``), ``M Mᴴ = V Λ Vᴴ`` with ``V = U Q`` and ``Vᴴ M = M̃``: the
    eigenvectors move with ``U``, the eigenvalues and ``M̃`` do not, so one decomposition serves every
    snap of a fit.
    """
    lam, q = np.linalg.eigh(b0 @ b0.conj().T)
    return q, lam, q.conj().T @ b0


def _snap_direction(
    u: np.ndarray, m: np.ndarray, w: np.ndarray, basis: GramBasis, *, cg_steps: int, cg_tol: float
) -> np.ndarray:
    """Skew-Hermitian ``X`` minimising ``Σ w ((M − X M)_ij)²`` (0/1 weights), by CG in the basis ``V = U Q``.

    With ``X = V X̃ Vᴴ``, ``X M = V X̃ M̃``; without the weights the normal operator would be
    ``X̃_ij (λ_i + λ_j)/2``, whose inverse preconditions the weighted one. Runs in single precision;
    returns double precision, exactly skew (the Cayley step that follows is in double precision, and a
    rounding-level asymmetry would stall the snap at a gap of 1e-5).
    """
    q, lam, mt = basis
    single = np.complex64 if np.iscomplexobj(m) or np.iscomplexobj(q) else np.float32
    v = (u @ q).astype(single)
    vh = v.conj().T
    mt = mt.astype(single)
    mth = mt.conj().T
    w = w.astype(np.float32)

    def normal(p: np.ndarray) -> np.ndarray:
        y = v @ (p @ mt)
        np.multiply(w, y, out=y)
        return skew((vh @ y) @ mth)

    b = skew((vh @ (w * m.astype(single))) @ mth)
    lam = lam.astype(np.float32)
    inv_precond = 2.0 / np.maximum(lam[:, None] + lam[None, :], np.finfo(np.float32).tiny)
    x = conjugate_gradients(
        normal, np.zeros_like(b), b.copy(), inv_precond, steps=cg_steps, tol=cg_tol, b_norm=np.linalg.norm(b)
    )
    out = np.complex128 if single is np.complex64 else np.float64
    return skew((v @ x) @ vh).astype(out)


def snap(
    u: np.ndarray,
    m: np.ndarray,
    cost: float,
    basis: GramBasis,
    *,
    threshold: float,
    steps: int,
    tolerances: tuple[float, ...] = (),
    cg_steps: int = 200,
) -> tuple[np.ndarray, np.ndarray, float, int, float]:
    """Gauss–Newton steps that zero the off-diagonal entries below ``threshold``; kept while the cost falls.

    Each solve stops at a relative residual of 1e-6 (about single precision), or of ``tolerances[k]``
    at step ``k``: inexact Newton steps, for a zero set known to be right (the first step's error is
    dominated by its quadratic term, so 1e-2 is enough there, and 1e-4 at the second). Stops once those
    entries sum to less than 1e-12 of the cost. Returns ``u, m, cost``, the steps taken and that sum.
    """
    zero = np.abs(m) < threshold
    np.fill_diagonal(zero, False)
    residual = float(np.abs(m[zero]).sum())
    if not zero.any():
        return u, m, cost, 0, residual
    w = zero.astype(np.float32)
    done = 0
    for k in range(steps):
        if residual <= 1e-12 * cost:
            break
        tol = max(tolerances[k] if k < len(tolerances) else 0.0, 1e-6)
        r = cayley(_snap_direction(u, m, w, basis, cg_steps=cg_steps, cg_tol=tol))
        m_try = r @ m
        cost_try = l1_cost(m_try)
        if not cost_try < cost:
            break
        u, m, cost, done = r @ u, m_try, cost_try, done + 1
        residual = float(np.abs(m[zero]).sum())
    return u, m, cost, done, residual


def gap_threshold(abs_m: np.ndarray, scale: float, *, octaves: int = 3, floor: float = 0.0) -> float | None:
    """A threshold in an empty band of ``octaves`` octaves that splits the off-diagonal ``|M|``, or None.

    The band must have at least half of the off-diagonal entries below it (the zero set of a sparse
    network) and at least N/2 above it (the connections), lie below ``scale``, and end at or above
    ``floor``: entries above the band are connections, so they must not be ones the final snap would
    zero (a fit warm-started at a solution has bands far below that, between rounding levels). Its
    middle is returned: the entries below it are the path's zeros, plainly apart from the rest. Counts
    entries by binary exponent (one pass, no sort).
    """
    n = abs_m.shape[0]
    exponent = np.frexp(abs_m / np.float32(scale))[1]
    np.fill_diagonal(exponent, 1)
    lowest = -40
    counts = np.bincount(np.clip(exponent, lowest, 1).ravel() - lowest, minlength=2 - lowest)
    counts[-1] -= n  # the diagonal
    below = np.cumsum(counts)
    total = n * n - n
    empty = (counts[1:-1] == 0) & (below[1:-1] >= total / 2)  # bins 1 … 1 − lowest: below scale
    if len(empty) < octaves:
        return None
    runs = np.lib.stride_tricks.sliding_window_view(empty, octaves).all(axis=1)
    runs &= total - below[octaves : len(counts) - 1] >= n / 2  # the band's last bin, its entries above
    top = scale * 2.0 ** (np.arange(runs.size) + octaves + lowest)  # where each band ends
    runs &= top >= floor
    if not runs.any():
        return None
    e = int(np.argmax(runs)) + octaves  # the band's last bin: [2^(e + lowest − 1), 2^(e + lowest)) times scale
    return float(scale * 2.0 ** (e + lowest - octaves / 2))
