"""Optimisers of ``Γ(U) = ‖offdiag(U B₀)‖₁`` over the unitary (orthogonal) group."""

from .common import FitInfo, l1_cost
from .irls import minimize_irls
from .paper import minimize_paper

OPTIMIZERS = {"paper": minimize_paper, "fast": minimize_irls}
"""Optimiser name → function ``(b0, **options) -> (U, U @ b0, FitInfo)``."""

__all__ = ["FitInfo", "OPTIMIZERS", "l1_cost", "minimize_irls", "minimize_paper"]
