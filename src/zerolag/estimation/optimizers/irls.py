"""A faster optimiser of the same objective: iteratively reweighted least squares on the unitary group.

Not in the paper. ``‖offdiag(M)‖₁`` with ``M = U B₀`` is replaced, around the current ``M``, by the
weighted quadratic ``Σ w_ij M_ij²`` with ``w_ij = 1 / (|M_ij| + δ)`` (equal to the L1 cost at the
current point). One Gauss–Newton step of the quadratic over the Lie algebra — the skew-Hermitian
``X`` minimising ``Σ w_ij ((M − X M)_ij)²``, solved by a few Jacobi-preconditioned conjugate-gradient
steps (two matrix products each) — gives the update ``U ← exp(−X) U``, kept only if the true L1 cost
decreases (the step is halved otherwise). ``δ`` shrinks geometrically, so the weights follow a path
from a smooth problem to the L1 one; progress happens while ``δ`` is moderate, which is why the
schedule must be slow (``shrink`` 0.8; measured in ``docs/fast-optimizer-notes.md``).

The path runs in single precision: the conjugate-gradient solve (it only has to give a descent
direction), the Cayley rotation ``(1 + X/2)⁻¹(1 − X/2)`` (one LU solve, instead of ``exp(−X)``) and
the product ``R M``. ``U`` is not accumulated along the path: at its end it is recovered as the
unitary factor of ``M B₀⁻¹`` (an LU solve and two Newton–Schulz steps), and ``M = U B₀`` is
recomputed in double precision, so ``(U B₀)ᴴ(U B₀) = C⁻¹`` holds to rounding whatever the path's
precision. Each solve is warm-started from the previous step, which halves the CG steps needed
(5 instead of 10). ``δ`` starts at 0.02 of the noise scale (0.05 took four more steps to the same
minima on every benchmark network).

Then pair moves (real inputs): the path can stop where two rows are a small rotation of two true
rows — typically a reciprocal pair ``G_ij ≈ −G_ji``, whose 2 × 2 block the rotation cancels, at a
slightly higher cost elsewhere. Such rows share their support, so pairs of rows with largely
overlapping supports are tried: each is rotated by the angle in [−π/4, π/4] that minimises the two
rows' L1 cost (exactly: the cost is concave between the angles that zero an entry, so the best is
one of those), and the rotation is kept if the cost falls.

At the end, the entries the path drove to (almost) zero are made exactly zero: the same Gauss–Newton
step with unit weights on those entries only ("snap", quadratically convergent once the zero pattern
is right, solved in the eigenbasis of ``M Mᴴ``: :mod:`.snap`) removes the small bias that the floor of
``δ`` leaves. A snap is kept only if it lowers the L1 cost. The snap is also tried before the path's
end, as soon as ``|M|`` shows an empty band of three octaves between the zero set and the connections
(noise-free networks: at N = 400 after 22 steps instead of 33). If that does not make the zero set
exactly zero, the path resumes unchanged.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .common import FitInfo, l1_cost
from .rotations import cayley as _cayley
from .rotations import conjugate_gradients
from .rotations import skew as _skew
from .rotations import solve as _solve
from .snap import GramBasis, gap_threshold, gram_basis, snap

__all__ = ["minimize_irls"]


def _gauss_newton_step(
    m: np.ndarray,
    w: np.ndarray,
    *,
    cg_steps: int,
    cg_tol: float,
    x0: np.ndarray | None = None,
) -> np.ndarray:
    """Skew-Hermitian ``X`` that approximately minimises ``Σ w ((M − X M)_ij)²`` (preconditioned CG).

    Runs in, and returns, single precision (``complex64`` for complex ``m``). ``x0`` (the previous step
    along the path) warm-starts the solve: consecutive steps are alike, so a few CG steps from there do
    what twice as many do from zero.
    """
    single = np.complex64 if np.iscomplexobj(m) else np.float32
    m, w = m.astype(single, copy=False), w.astype(np.float32, copy=False)
    mh = m.conj().T

    def normal(p: np.ndarray) -> np.ndarray:
        pm = p @ m
        np.multiply(w, pm, out=pm)
        return _skew(pm @ mh)

    b = _skew((w * m) @ mh)
    d = w @ (np.abs(m) ** 2).T
    precond = d + d.T
    with np.errstate(over="ignore"):
        inv_precond = np.divide(1.0, precond, out=np.zeros_like(precond), where=precond > 0)
    inv_precond[np.isinf(inv_precond)] = 0.0  # a curvature too small to invert in single precision: as a zero one
    np.fill_diagonal(inv_precond, 0.0)  # skew X has a zero diagonal; unweighted pairs stay zero too
    if x0 is None:
        x, r = np.zeros_like(b), b.copy()
    else:
        x = x0.astype(b.dtype)
        r = b - normal(x)
    return conjugate_gradients(normal, x, r, inv_precond, steps=cg_steps, tol=cg_tol, b_norm=np.linalg.norm(b))


def _right_divide(m: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``M B⁻¹`` (``B`` is B₀, or the repaired ``M`` when a row permutation restarts the optimiser)."""
    return _solve(b.T, m.T).T


def _nearest_unitary(u: np.ndarray, *, tol: float = 1e-13, max_steps: int = 8) -> np.ndarray:
    """The unitary factor of the polar decomposition of a nearly unitary ``u`` (Newton–Schulz steps)."""
    eye = np.eye(u.shape[0])
    for _ in range(max_steps):
        gram = u.conj().T @ u
        if np.max(np.abs(gram - eye)) <= tol:
            break
        u = 1.5 * u - 0.5 * (u @ gram)
    return u


class _Candidates(NamedTuple):
    """The rows of pairs on the columns considered, and the angles at which to evaluate their rotations.

    ``a``, ``b``: the two rows of every pair (pairs, width); ``counted``: masks of the entries that
    count in row ``i`` and in row ``j`` (off-diagonal, not padding); ``zeros``: the angle in
    [−π/2, π/2) at which each entry of row ``i`` (first ``width`` columns) and of row ``j`` (the
    others) is zero after the rotation; ``angles``: the candidates, in [−π/4, π/4].
    """

    a: np.ndarray
    b: np.ndarray
    counted: tuple[np.ndarray, np.ndarray]
    zeros: np.ndarray
    angles: np.ndarray


def _pair_costs(candidates: _Candidates) -> np.ndarray:
    """L1 cost of two rows rotated by ``angles[p, k]`` over the columns ``counted`` marks: (pairs, angles).

    Each rotated entry is ``α cos θ + β sin θ`` (row ``i``: ``α, β = a, −b``; row ``j``: ``b, a``), so
    between the angles where entries change sign the cost is ``A cos θ + B sin θ``, with ``A`` and ``B``
    the sums of the signed ``α`` and ``β``. One sort of those angles and a cumulative sum give ``A`` and
    ``B`` at every candidate angle: O(width log width) per pair instead of O(width²) for evaluating
    every entry at every angle.
    """
    a, b, counted, zeros, angles = candidates
    mask = np.concatenate(counted, axis=1)
    alpha = np.where(mask, np.concatenate([a, b], axis=1), 0.0)
    beta = np.where(mask, np.concatenate([-b, a], axis=1), 0.0)
    # signs just above −π/4 (an entry zero at −π/4 takes the sign it has after it)
    sign = np.sign(alpha - beta)
    sign = np.where(sign == 0, np.sign(alpha + beta), sign)
    flips = mask & (zeros > -np.pi / 4) & (zeros <= np.pi / 4)
    a_left, b_left = (sign * alpha).sum(1), (sign * beta).sum(1)
    # Candidates and sign changes in one order per pair: a sign change at the candidate's own angle
    # comes after it (its entry is zero there, either sign gives the same cost).
    keys = np.concatenate([np.where(flips, zeros, np.inf), angles], axis=1)
    is_flip = np.concatenate([np.ones_like(flips), np.zeros(angles.shape, dtype=bool)], axis=1)
    order = np.lexsort((is_flip, keys), axis=1)
    step_a = np.concatenate([np.where(flips, -2.0 * sign * alpha, 0.0), np.zeros(angles.shape)], axis=1)
    step_b = np.concatenate([np.where(flips, -2.0 * sign * beta, 0.0), np.zeros(angles.shape)], axis=1)
    sum_a = np.cumsum(np.take_along_axis(step_a, order, 1), axis=1)
    sum_b = np.cumsum(np.take_along_axis(step_b, order, 1), axis=1)
    rank = np.empty_like(order)
    np.put_along_axis(rank, order, np.broadcast_to(np.arange(order.shape[1]), order.shape), axis=1)
    at = rank[:, zeros.shape[1] :]  # where each candidate sits in that order
    big_a = a_left[:, None] + np.take_along_axis(sum_a, at, 1)
    big_b = b_left[:, None] + np.take_along_axis(sum_b, at, 1)
    return big_a * np.cos(angles) + big_b * np.sin(angles)


def _two_row_cost(m: np.ndarray, i: int, j: int, theta: float) -> float:
    """Exact off-diagonal L1 cost of rows ``i``, ``j`` of ``m`` after rotating them by ``theta``."""
    c, s = np.cos(theta), np.sin(theta)
    row_i, row_j = c * m[i] - s * m[j], s * m[i] + c * m[j]
    return float(np.abs(row_i).sum() - abs(row_i[i]) + np.abs(row_j).sum() - abs(row_j[j]))


def _candidates(m: np.ndarray, pairs: np.ndarray, threshold: float) -> _Candidates:
    """The two rows of every pair on their columns above ``threshold`` (the others are near zero in both).

    The pair's own diagonal entries and the padding do not count. The candidate angles are 0, ±π/4 and
    every angle in between that zeroes an entry. Each rotated entry is ``R cos(θ + φ)``, concave in θ between its
    zeros, so the two rows' L1 cost is concave between consecutive zeros and its minimum over
    [−π/4, π/4] is at one of them or at an end.
    """
    i, j = pairs[:, 0], pairs[:, 1]
    a, b = m[i], m[j]
    keep = np.maximum(np.abs(a), np.abs(b)) > threshold
    width = max(int(keep.sum(1).max()), 1)
    cols = np.argsort(~keep, axis=1, kind="stable")[:, :width]  # the kept columns first
    a, b = np.take_along_axis(a, cols, 1), np.take_along_axis(b, cols, 1)
    live = np.take_along_axis(keep, cols, 1)
    counted = (live & (cols != i[:, None]), live & (cols != j[:, None]))
    zero_i = np.arctan2(a, b)  # a cos θ − b sin θ = 0
    zero_j = np.arctan2(-b, a)  # a sin θ + b cos θ = 0
    zeros = np.concatenate([zero_i, zero_j], axis=1)
    zeros = (zeros + np.pi / 2) % np.pi - np.pi / 2  # the same zeros, in [−π/2, π/2)
    angles = np.where(np.concatenate(counted, axis=1) & (np.abs(zeros) <= np.pi / 4), zeros, 0.0)
    ends = np.broadcast_to([0.0, -np.pi / 4, np.pi / 4], (len(pairs), 3))
    return _Candidates(a, b, counted, zeros, np.concatenate([ends, angles], axis=1))


def _pair_moves(
    u: np.ndarray, m: np.ndarray, cost: float, *, threshold: float, rounds: int = 3
) -> tuple[np.ndarray, np.ndarray, float, int]:
    """Rotate pairs of rows with overlapping supports by their best angle while the cost falls (real ``m``).

    At most N pairs per round (those whose supports overlap most). The best angle of each pair is
    searched on the columns where either row is above ``threshold``; the gain
    of a move is then checked on the whole rows before it is made.
    """
    max_pairs = m.shape[0]
    moves = 0
    for _ in range(rounds):
        support = (np.abs(m) > threshold).astype(np.float64)
        np.fill_diagonal(support, 0.0)
        overlap = support @ support.T
        size = np.diag(overlap).copy()
        smaller = np.minimum(size[:, None], size[None, :])
        ratio = np.triu(np.where(smaller >= 2, overlap / np.maximum(smaller, 1), 0.0), 1)
        pairs = np.argwhere(ratio >= 0.5)
        if not len(pairs):
            break
        if len(pairs) > max_pairs:  # dense supports (e.g. sampled data): the most overlapping only
            pairs = pairs[np.argsort(-ratio[pairs[:, 0], pairs[:, 1]], kind="stable")[:max_pairs]]
        candidates = _candidates(m, pairs, threshold)
        angles = candidates.angles
        f = _pair_costs(candidates)
        best = np.argmin(f, axis=1)
        gain = f[:, 0] - f[np.arange(len(pairs)), best]  # column 0 is θ = 0, no move
        used: set[int] = set()
        for k in np.argsort(-gain):  # best first; a row moves at most once per round
            i, j = pairs[k]
            if not gain[k] > 1e-6 * (1 + cost):
                break
            if i in used or j in used:
                continue
            theta = angles[k, best[k]]
            if not _two_row_cost(m, i, j, theta) < _two_row_cost(m, i, j, 0.0) - 1e-6 * (1 + cost):
                continue
            c, s = np.cos(theta), np.sin(theta)
            rot = np.array([[c, -s], [s, c]])
            m[[i, j]], u[[i, j]] = rot @ m[[i, j]], rot @ u[[i, j]]
            used.update((i, j))
        if not used:
            break
        moves += len(used) // 2
        cost = l1_cost(m)
    return u, m, cost, moves


@dataclass
class _PathState:
    """Where the path is: ``M`` (single precision), its cost, the last ``X``, ``δ`` and the iterations."""

    m: np.ndarray
    cost: float
    x: np.ndarray | None
    delta: float
    k: int = 0


def _path(
    state: _PathState,
    info: FitInfo,
    *,
    scale: float,
    gap_octaves: int | None,
    gap_floor: float,
    shrink: float,
    floor: float,
    cg_steps: int,
    cg_tol: float,
    ftol: float,
    max_iter: int,
) -> float | None:
    """Run the reweighted path on ``state`` (in place) until it converges, or until a gap shows (returned).

    With ``gap_octaves``, after every step ``|M|`` is looked at for an empty band of that many octaves
    (:func:`~zerolag.estimation.optimizers.snap.gap_threshold`); the path stops there and returns the
    band's threshold. The arithmetic of the steps does not depend on it.
    """
    single = state.m.dtype.type
    while state.k < max_iter:
        state.k += 1
        info.n_iter = state.k
        w = 1.0 / (np.abs(state.m) + single(state.delta).real)
        np.fill_diagonal(w, 0.0)
        state.x = _gauss_newton_step(state.m, w, cg_steps=cg_steps, cg_tol=cg_tol, x0=state.x)
        gain = 0.0
        for t in (1.0, 0.5, 0.25, 0.125):
            m_try = _cayley(t * state.x) @ state.m
            cost_try = l1_cost(m_try)
            if cost_try < state.cost:
                gain = state.cost - cost_try
                state.m, state.cost = m_try, cost_try
                break
        if state.delta <= floor and gain <= ftol * (1 + state.cost):
            info.converged, info.stop_reason = True, "ftol"
            return None
        state.delta = max(state.delta * shrink, floor)
        if gap_octaves is not None:
            threshold = gap_threshold(np.abs(state.m), scale, octaves=gap_octaves, floor=gap_floor)
            if threshold is not None:  # the state is that of the next step: a resumed path is unchanged
                info.converged, info.stop_reason = True, "gap"
                return threshold
    info.stop_reason = "max_iter"
    return None


@dataclass
class _Finish:
    u: np.ndarray
    m: np.ndarray
    cost: float
    exact: bool


def _finish(
    b0: np.ndarray,
    m_path: np.ndarray,
    info: FitInfo,
    *,
    basis: GramBasis | None,
    scale: float,
    snap_steps: int,
    threshold: float,
    pair_moves: bool,
    exact: bool,
) -> _Finish:
    """``U`` from the path's ``M``, then pair moves and snap (twice if the pair moves moved rows).

    With ``exact`` (an early stop at a gap), the pair moves look at supports above the gap's
    ``threshold``, the snap's first solves are inexact, and the result reports whether the snap made the
    entries below it exactly zero (their sum below 1e-11 of the cost).
    """
    u = _nearest_unitary(_right_divide(m_path.astype(b0.dtype), b0))
    m = u @ b0
    cost = l1_cost(m)
    # Pair moves, snap; then pair moves again (small gains show only once the snap removed the bias
    # of the δ floor), and a second snap if they moved anything.
    moves = pair_moves and not np.iscomplexobj(m)
    snapping = basis is not None and snap_steps > 0
    residual = np.inf
    for finish in range(2):
        moved = 0
        if moves:
            u, m, cost, moved = _pair_moves(u, m, cost, threshold=threshold if exact else 1e-3 * scale)
            info.pair_moves += moved
        if snapping and (finish == 0 or moved):
            # An early snap is checked for exactness and falls back on the path, so its solves may stop
            # short (inexact Newton, 40 CG steps at most); the final snap solves to 1e-6 (200 at most).
            tolerances, cg_steps = ((1e-2, 1e-4), 40) if exact else ((), 200)
            u, m, cost, steps, residual = snap(
                u, m, cost, basis, threshold=threshold, steps=snap_steps, tolerances=tolerances, cg_steps=cg_steps
            )
            info.n_linesearch += steps
        if not (moves and snapping):
            break
    return _Finish(u=u, m=m, cost=cost, exact=bool(residual <= 1e-11 * cost))


def minimize_irls(
    b0: np.ndarray,
    *,
    delta0: float = 0.02,
    shrink: float = 0.8,
    delta_min: float = 1e-4,
    cg_steps: int = 5,
    cg_tol: float = 1e-3,
    ftol: float = 1e-4,
    max_iter: int = 300,
    snap_threshold: float = 1e-3,
    snap_steps: int = 3,
    pair_moves: bool = True,
) -> tuple[np.ndarray, np.ndarray, FitInfo]:
    """Minimise ``Γ(U) = ‖offdiag(U B₀)‖₁`` over unitary ``U`` by reweighted Gauss–Newton steps.

    Parameters
    ----------
    b0 : array of shape (N, N)
        Start matrix (the positive-definite square root of ``C⁻¹``), real or complex.
    delta0, shrink, delta_min : float
        Smoothing of the weights ``1 / (|M| + δ)``: ``δ`` starts at ``delta0`` times the mean
        diagonal ``|B₀|`` (the driving-noise scale, so the schedule does not depend on the data's
        units) and is multiplied by ``shrink`` every iteration down to ``delta_min`` times that scale.
    cg_steps : int
        Conjugate-gradient steps per Gauss–Newton step (each warm-started from the previous step).
    cg_tol : float
        Relative residual at which the conjugate-gradient solve stops early.
    ftol : float
        Converged once ``δ`` is at its floor and an iteration lowers the cost by less than
        ``ftol × (1 + cost)``.
    max_iter : int
        Cap on iterations (``converged = False`` if reached).
    snap_threshold : float
        After the path, off-diagonal entries below ``snap_threshold`` times the mean diagonal ``|B₀|``
        are driven to exactly zero by up to ``snap_steps`` Gauss–Newton steps (0 turns this off);
        each step is kept only if it lowers the cost.
    pair_moves : bool
        Before the snap, try rotating pairs of rows with overlapping supports (real inputs only).

    Returns
    -------
    u, m, info
        As :func:`zerolag.estimation.optimizers.minimize_paper`.
    """
    t0 = time.perf_counter()
    if not (0 < shrink < 1 and delta0 > 0 and 0 < delta_min <= delta0 and cg_steps >= 1 and max_iter >= 1):
        raise ValueError("need 0 < shrink < 1, 0 < delta_min <= delta0, cg_steps >= 1 and max_iter >= 1")
    if snap_threshold < 0 or snap_steps < 0:
        raise ValueError("need snap_threshold >= 0 and snap_steps >= 0")
    options = dict(
        delta0=delta0,
        shrink=shrink,
        delta_min=delta_min,
        cg_steps=cg_steps,
        cg_tol=cg_tol,
        ftol=ftol,
        max_iter=max_iter,
        snap_threshold=snap_threshold,
        snap_steps=snap_steps,
        pair_moves=pair_moves,
    )
    info = FitInfo(optimizer="fast", options=options)
    single = np.complex64 if np.iscomplexobj(b0) else np.float32
    cost = l1_cost(b0)
    info.initial_cost = cost
    scale = float(np.mean(np.abs(np.diag(b0))))
    snapping = snap_threshold > 0 and snap_steps > 0
    basis = gram_basis(b0) if snapping else None
    # The path runs in single precision; U is recovered from M at the end.
    state = _PathState(m=b0.astype(single), cost=cost, x=None, delta=delta0 * scale)
    path = dict(shrink=shrink, floor=delta_min * scale, cg_steps=cg_steps, cg_tol=cg_tol, ftol=ftol, max_iter=max_iter)
    finish = dict(basis=basis, scale=scale, snap_steps=snap_steps, pair_moves=pair_moves)
    early = None
    # Once the zero set stands plainly apart from the connections, snap there; if that does not make
    # it exactly zero, the path resumes where it stopped (looking for a wider band) and ends as usual.
    for octaves in (3, 4, None) if snapping else (None,):
        gap = _path(state, info, scale=scale, gap_octaves=octaves, gap_floor=snap_threshold * scale, **path)
        if gap is None:
            break
        attempt = _finish(b0, state.m, info, threshold=gap, exact=True, **finish)
        if early is None or attempt.cost < early.cost:
            early = attempt
        if attempt.exact:
            break
        info.converged, info.stop_reason = False, "max_iter"
    if early is not None and early.exact:
        done = early
    else:
        done = _finish(b0, state.m, info, threshold=snap_threshold * scale, exact=False, **finish)
        if early is not None and early.cost < done.cost:
            done = early
    info.final_cost = done.cost
    info.seconds = time.perf_counter() - t0
    return done.u, done.m, info
