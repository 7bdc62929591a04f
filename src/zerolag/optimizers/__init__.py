"""Optimisers of ``Γ(U) = ‖offdiag(U B₀)‖₁`` over the unitary (orthogonal) group."""

from .common import FitInfo, l1_cost
from .paper import minimize_paper

OPTIMIZERS = {"paper": minimize_paper}

__all__ = ["FitInfo", "OPTIMIZERS", "l1_cost", "minimize_paper"]
