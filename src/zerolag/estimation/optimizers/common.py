"""Pieces shared by the optimisers: cost, Riemannian gradient, geodesic steps, the fit record."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import scipy.linalg

__all__ = ["FitInfo", "l1_cost", "cost_and_gradient", "inner", "Geodesic", "geodesic"]


@dataclass
class FitInfo:
    """Record of one optimisation.

    Attributes
    ----------
    optimizer : str
        Name of the optimiser.
    n_iter : int
        Iterations of the main (conjugate-gradient) loop.
    n_linesearch : int
        Steps after the main loop: the final Armijo line search (``"paper"``) or the snap steps
        that zero the near-zero entries (``"fast"``).
    initial_cost, final_cost : float
        ``‖offdiag(U B₀)‖₁`` at the start (``U = 1``, or the ``u0`` of a warm start) and at the returned ``U``.
    converged : bool
        True if the main loop met its convergence criterion, False if it hit ``max_iter``.
    stop_reason : str
        Which criterion stopped the main loop (``"gtol"``, ``"xtol+ftol"``, ``"max_iter"`` …).
    seconds : float
        Wall-clock time of the optimisation.
    pair_moves : int
        Pairs of rows rotated after the main loop (``"fast"`` only).
    row_permutation_fixed : bool
        True if the optimum had a row permutation that put small entries on the diagonal (undone).
    sign_flips : int
        Rows whose sign (phase) was flipped so that the diagonal of ``U B₀`` is real positive.
    """

    optimizer: str
    n_iter: int = 0
    n_linesearch: int = 0
    initial_cost: float = float("nan")
    final_cost: float = float("nan")
    converged: bool = False
    stop_reason: str = ""
    seconds: float = 0.0
    pair_moves: int = 0
    row_permutation_fixed: bool = False
    sign_flips: int = 0
    options: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        """Plain-dict view (JSON-serialisable)."""
        return asdict(self)


def l1_cost(m: np.ndarray) -> float:
    """Sum of the absolute values of the off-diagonal entries of ``m``."""
    a = np.abs(m)
    return float(a.sum() - np.trace(a))


def cost_and_gradient(m: np.ndarray) -> tuple[float, np.ndarray]:
    """Cost ``‖offdiag(M)‖₁`` and its Riemannian gradient ``a`` at ``M = U B₀``.

    ``a = ½(S Mᴴ − M Sᴴ)`` with ``S = M/|M|`` off the diagonal (0 on it and where ``M = 0``) is
    skew-Hermitian, and the cost decreases at rate ``‖a‖²_F`` along ``U ← exp(−t a) U``.
    """
    mag = np.abs(m)
    np.fill_diagonal(mag, 0.0)
    if np.iscomplexobj(m):
        s = np.divide(m, mag, out=np.zeros_like(m), where=mag > 0)
    else:
        s = np.sign(m)
    np.fill_diagonal(s, 0.0)
    sm = s @ m.conj().T
    return float(mag.sum()), 0.5 * (sm - sm.conj().T)


def inner(x: np.ndarray, y: np.ndarray) -> float:
    """Riemannian inner product ``⟨X, Y⟩ = ½ Re tr(X Yᴴ)``."""
    return 0.5 * float(np.real(np.vdot(y, x)))


class Geodesic:
    """The one-parameter group ``t ↦ exp(−t d)`` of a skew-Hermitian ``d``.

    ``omega_max`` is the largest angular frequency ``max |eig(d)|`` (the spectral norm of ``d``) that
    sets the paper's step size. Use :func:`geodesic` to get the fastest implementation for ``d``.
    """

    omega_max: float

    def rotation(self, t: float) -> np.ndarray:  # pragma: no cover - interface
        """``exp(−t d)``."""
        raise NotImplementedError


class EigGeodesic(Geodesic):
    """Complex ``d``: one eigendecomposition ``i d = V Λ Vᴴ`` gives ``exp(−t d) = V exp(i t Λ) Vᴴ`` for all ``t``."""

    def __init__(self, d: np.ndarray) -> None:
        lam, self.v = np.linalg.eigh(1j * d)
        self.lam = lam
        self.omega_max = float(np.max(np.abs(lam))) if lam.size else 0.0

    def rotation(self, t: float) -> np.ndarray:
        return (self.v * np.exp(1j * t * self.lam)) @ self.v.conj().T


class ExpmGeodesic(Geodesic):
    """Real ``d``: ``ω_max`` from the top eigenvalue of ``dᵀd`` and ``exp(−t d)`` by Padé (scipy ``expm``).

    About 3× faster than a full complex eigendecomposition at N = 400, and exactly orthogonal to
    rounding.
    """

    def __init__(self, d: np.ndarray) -> None:
        self.d = d
        n = d.shape[0]
        top = scipy.linalg.eigvalsh(d.T @ d, subset_by_index=[n - 1, n - 1])[0]
        self.omega_max = float(np.sqrt(max(top, 0.0)))

    def rotation(self, t: float) -> np.ndarray:
        return scipy.linalg.expm(-t * self.d)


def geodesic(d: np.ndarray) -> Geodesic:
    """The geodesic ``t ↦ exp(−t d)``, computed the fastest way for real or complex ``d``."""
    return EigGeodesic(d) if np.iscomplexobj(d) else ExpmGeodesic(d)
