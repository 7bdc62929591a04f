"""The paper's optimiser (Schiefer et al. 2018, Methods and S1 Text), implemented from the maths.

Riemannian conjugate gradient on the unitary group (Abrudan, Eriksson & Koivunen 2009) with
multiplicative updates ``U ← exp(−δ d) U``, Polak–Ribière directions, the step size
``δ = (2π / ω_max) / κ``, the convergence tests of Wen & Yin (2013), the best iterate seen, and a
final Armijo line search because the cost oscillates near convergence.
"""

from __future__ import annotations

import time

import numpy as np

from .common import FitInfo, cost_and_gradient, geodesic, inner, l1_cost

__all__ = ["DATA_TOLERANCES", "minimize_paper", "armijo_descent"]

DATA_TOLERANCES = {"xtol": 1e-3, "gtol": 1e-3, "ftol": 1e-5}
"""The paper's tolerances for sampled data (its defaults, ``xtol = gtol = 0.5``, ``ftol = 1e-4``, are for
noise-free covariances): what the estimator fitted from a time series and ``zerolag estimate --optimizer paper``
use unless told otherwise."""


def minimize_paper(
    b0: np.ndarray,
    *,
    kappa: float = 2000.0,
    xtol: float = 0.5,
    gtol: float = 0.5,
    ftol: float = 1e-4,
    max_iter: int = 10_000,
    linesearch_window: int = 100,
    max_linesearch: int = 2_000,
) -> tuple[np.ndarray, np.ndarray, FitInfo]:
    """Minimise ``Γ(U) = ‖offdiag(U B₀)‖₁`` over unitary ``U`` as the paper does.

    Parameters
    ----------
    b0 : array of shape (N, N)
        Start matrix (the positive-definite square root of ``C⁻¹``); real or complex.
    kappa : float
        Step size divisor: each step is ``1/kappa`` of the period ``2π/ω_max`` of the geodesic.
    xtol, gtol, ftol : float
        Stop when ``‖a‖_F < gtol`` (``a`` the Riemannian gradient), or when both
        ``‖U_k+1 − U_k‖_F / √N < xtol`` and ``|Γ_k+1 − Γ_k| / (|Γ_k| + 1) < ftol``.
        The paper's values: 0.5, 0.5, 1e-4 for noise-free covariances; 1e-3, 1e-3, 1e-5 for sampled data.
    max_iter : int
        Cap on conjugate-gradient iterations (``converged = False`` if reached).
    linesearch_window : int
        The final Armijo line search stops when the cost fell by less than ``ftol`` (relative) over
        this many steps, or when no step size decreases it.
    max_linesearch : int
        Cap on line-search steps.

    Returns
    -------
    u : ndarray
        The unitary (orthogonal for real input) minimiser.
    m : ndarray
        ``u @ b0``.
    info : FitInfo
        Iterations, costs, convergence and timing.
    """
    t0 = time.perf_counter()
    b0 = np.asarray(b0)
    n = b0.shape[0]
    if kappa <= 0 or xtol <= 0 or gtol <= 0 or ftol <= 0 or max_iter < 1:
        raise ValueError("kappa, xtol, gtol and ftol must be positive and max_iter at least 1")
    options = dict(
        kappa=kappa,
        xtol=xtol,
        gtol=gtol,
        ftol=ftol,
        max_iter=max_iter,
        linesearch_window=linesearch_window,
        max_linesearch=max_linesearch,
    )
    info = FitInfo(optimizer="paper", options=options)
    u = np.eye(n, dtype=b0.dtype)
    m = b0.copy()
    cost, grad = cost_and_gradient(m)
    info.initial_cost = cost
    best = (cost, u, m)
    direction = grad
    reset_every = n * (n - 1) // 2 if np.isrealobj(b0) else n * n
    step = 0.0
    info.stop_reason = "max_iter"
    for k in range(1, max_iter + 1):
        info.n_iter = k
        geo = geodesic(direction)
        if geo.omega_max < 1e-12:
            info.converged, info.stop_reason = True, "zero direction"
            break
        step = 2 * np.pi / geo.omega_max / kappa
        r = geo.rotation(step)
        u_new, m = r @ u, r @ m
        cost_new, grad_new = cost_and_gradient(m)
        if cost_new < best[0]:
            best = (cost_new, u_new, m)
        xdiff = np.linalg.norm(u_new - u) / np.sqrt(n)
        fdiff = abs(cost_new - cost) / (abs(cost) + 1)
        gnorm = np.linalg.norm(grad_new)
        u, cost = u_new, cost_new
        if gnorm < gtol:
            info.converged, info.stop_reason = True, "gtol"
            break
        if xdiff < xtol and fdiff < ftol:
            info.converged, info.stop_reason = True, "xtol+ftol"
            break
        beta = inner(grad_new - grad, grad_new) / inner(grad, grad)
        direction = grad_new + beta * direction
        if inner(direction, grad_new) <= 0 or k % reset_every == 0:
            direction = grad_new
        grad = grad_new
    cost, u, m = best
    u, m, info.n_linesearch = armijo_descent(
        u, m, step=step or 1e-3, ftol=ftol, window=linesearch_window, max_steps=max_linesearch
    )
    info.final_cost = cost_and_gradient(m)[0]
    info.seconds = time.perf_counter() - t0
    return u, m, info


def armijo_descent(
    u: np.ndarray, m: np.ndarray, *, step: float, ftol: float, window: int, max_steps: int
) -> tuple[np.ndarray, np.ndarray, int]:
    """Steepest descent along geodesics with an Armijo rule (step doubled on success, else halved).

    Accepts a step ``t`` when ``Γ(exp(−t a) U) ≤ Γ(U) − ½ t ‖a‖²_F``. Stops when no step above
    ``1e-12`` of the starting one decreases the cost, when the cost fell by less than ``ftol``
    (relative) over the last ``window`` steps, or after ``max_steps``.
    """
    cost, grad = cost_and_gradient(m)
    history = [cost]
    t_min = step * 1e-12
    k = 0
    while k < max_steps:
        g2 = float(np.real(np.vdot(grad, grad)))
        if g2 == 0:
            break
        geo = geodesic(grad)
        t = step
        while t >= t_min:
            r = geo.rotation(t)
            m_try = r @ m
            cost_try = l1_cost(m_try)
            if cost_try <= cost - 0.5 * t * g2:
                break
            t /= 2
        else:
            break
        # grow the step while it keeps satisfying the rule
        while True:
            r2 = geo.rotation(2 * t)
            m2 = r2 @ m
            c2 = l1_cost(m2)
            if c2 <= cost - t * g2 and c2 < cost_try:
                t, r, m_try, cost_try = 2 * t, r2, m2, c2
            else:
                break
        u, m = r @ u, m_try
        cost, grad = cost_and_gradient(m)
        step = t
        k += 1
        history.append(cost)
        if k >= window and (history[-window - 1] - cost) / (abs(cost) + 1) < ftol:
            break
    return u, m, k
