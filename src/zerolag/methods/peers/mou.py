"""MOU-EC: effective connectivity of a multivariate Ornstein–Uhlenbeck process (Gilson et al. 2016).

Gilson, Moreno-Bote, Ponce-Alvarez, Ritter & Deco (2016), *Estimation of directed effective
connectivity from fMRI functional connectivity hints at asymmetries of cortical connectome*, PLoS
Comput Biol 12:e1004762. Implemented from the paper's equations (not from the authors' code).

Model: ``dx = J x dt + dW`` with Jacobian ``J = −1/τ_x + C`` (``C[i, j]``: from j to i, zero diagonal)
and diagonal input covariance Σ. Its zero-lag covariance solves the Lyapunov equation
``J Q⁰ + Q⁰ Jᵀ + Σ = 0`` and its lagged covariance ``Q^τ[i, j] = ⟨x_i(t) x_j(t + τ)⟩`` is
``Q^τ = Q⁰ exp(Jᵀ τ)``. τ_x comes from the decay of the autocovariances,
``τ_x = −τ / mean_i log(Q^τ_ii / Q⁰_ii)``. C and Σ are then tuned so that the model's Q⁰ and Q^τ match
the empirical ones, by the paper's iterative ("Lyapunov") optimisation:

    ΔQ⁰ = Q̂⁰ − Q⁰,   ΔQ^τ = Q̂^τ − Q^τ
    ΔJ  = [ (Q⁰)⁻¹ (ΔQ⁰ + ΔQ^τ exp(−Jᵀ τ)) ]ᵀ / τ,         C ← C + η_C ΔJ   (off-diagonal)
    ΔΣ  = −J ΔQ⁰ − ΔQ⁰ Jᵀ,                               Σ ← Σ + η_Σ ΔΣ   (diagonal, kept > 0)

with the model error ``‖ΔQ⁰‖/‖Q̂⁰‖ + ‖ΔQ^τ‖/‖Q̂^τ‖`` tracked and the best C kept. Not in the paper: a
step that makes J unstable or doubles the error is undone and both rates are halved (recorded as
``rate_halvings``), so the default rates can be large (fast) without diverging. Time is measured in
samples (τ = ``lag``), and both covariances are divided by the mean variance, so the rates do not
depend on the sampling interval or the signal's units. Gilson et al. keep C ≥ 0 (excitatory
connectome); ``nonnegative=False`` (default here) allows the inhibitory links of this project's
networks. Orientation: ``C[i, j]`` from j to i — ours natively.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import scipy.linalg

from ._common import check_timeseries

__all__ = ["mou_ec", "lagged_covariances"]


def lagged_covariances(timeseries: np.ndarray, lag: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Empirical ``Q⁰`` and ``Q^lag[i, j] = ⟨x_i(t) x_j(t + lag)⟩`` of the centred series."""
    x = check_timeseries(timeseries, min_samples=lag + 3)
    x = x - x.mean(axis=0)
    t = x.shape[0]
    q0 = x.T @ x / (t - 1)
    q_lag = x[:-lag].T @ x[lag:] / (t - lag - 1)
    return q0, q_lag


def mou_ec(
    timeseries: np.ndarray,
    *,
    lag: int = 1,
    lr_c: float = 0.05,
    lr_sigma: float = 0.2,
    max_iter: int = 2000,
    tol: float = 1e-6,
    patience: int = 50,
    nonnegative: bool = False,
) -> tuple[np.ndarray, dict[str, Any]]:
    """Fit MOU-EC to a time series.

    Parameters
    ----------
    timeseries : array of shape (n_samples, n_nodes)
    lag : int
        Lag τ of the second covariance, in samples (the paper: 1 TR).
    lr_c, lr_sigma : float
        Rates η_C and η_Σ of the updates (time in samples, covariances normalised by their mean variance).
    max_iter : int
        Cap on iterations.
    tol, patience : float, int
        Stop when the model error has not fallen by more than ``tol`` (relative) for ``patience``
        iterations.
    nonnegative : bool
        Clip C at 0 after each step (Gilson et al.'s excitatory constraint).

    Returns
    -------
    C : ndarray (N, N)
        Effective connectivity at the best iterate, ``C[i, j]`` from j to i, zero diagonal; units 1/sample.
    info : dict
        ``n_iter``, ``converged``, ``stop_reason``, ``initial_cost``, ``final_cost`` (model error), ``tau_x``.
    """
    lag = int(lag)
    if lag < 1:
        raise ValueError(f"lag must be a positive number of samples, got {lag}")
    for name, value in (("lr_c", lr_c), ("lr_sigma", lr_sigma), ("tol", tol)):
        if not value > 0:
            raise ValueError(f"{name} must be positive, got {value}")
    if int(max_iter) < 1 or int(patience) < 1:
        raise ValueError(f"max_iter and patience must be at least 1, got {max_iter} and {patience}")
    q0_emp, qt_emp = lagged_covariances(timeseries, lag)
    n = q0_emp.shape[0]
    scale = float(np.mean(np.diag(q0_emp)))
    q0_emp, qt_emp = q0_emp / scale, qt_emp / scale
    ratio = np.diag(qt_emp) / np.diag(q0_emp)
    if np.any(ratio <= 0) or np.any(ratio >= 1):
        raise ValueError(
            f"the lag-{lag} autocovariances must lie strictly between 0 and the variances to give a time "
            f"constant (ratios {ratio.min():.3g}–{ratio.max():.3g}); MOU-EC needs autocorrelated signals "
            "sampled faster than they decorrelate: try another lag"
        )
    tau_x = -lag / float(np.mean(np.log(ratio)))
    norm0, normt = np.linalg.norm(q0_emp), np.linalg.norm(qt_emp)
    off = ~np.eye(n, dtype=bool)
    c = np.zeros((n, n))
    sigma = np.ones(n)
    best = (np.inf, c.copy(), sigma.copy(), 0)
    halvings = 0
    history: list[float] = []
    stop = "max_iter"
    initial = None
    for it in range(int(max_iter)):
        jac = c - np.eye(n) / tau_x
        q0 = scipy.linalg.solve_continuous_lyapunov(jac, -np.diag(sigma))
        q0 = (q0 + q0.T) / 2
        qt = q0 @ scipy.linalg.expm(jac.T * lag)
        d0, dt = q0_emp - q0, qt_emp - qt
        err = np.linalg.norm(d0) / norm0 + np.linalg.norm(dt) / normt
        if initial is None:
            initial = err
        if not np.isfinite(err) or err > 2 * best[0] or np.max(np.linalg.eigvals(jac).real) >= 0:
            # the step overshot (unstable Jacobian or a jump of the error): back to the best point, half the rates
            halvings += 1
            if halvings > 30:
                stop = "diverged"
                break
            lr_c, lr_sigma = lr_c / 2, lr_sigma / 2
            c, sigma = best[1].copy(), best[2].copy()
            continue
        if err < best[0]:
            best = (err, c.copy(), sigma.copy(), it)
        history.append(err)
        if len(history) > patience and history[-patience - 1] - min(history[-patience:]) < tol * history[-patience - 1]:
            stop = "converged"
            break
        dj = (np.linalg.solve(q0, d0 + dt @ scipy.linalg.expm(-jac.T * lag))).T / lag
        c[off] += lr_c * dj[off]
        if nonnegative:
            np.maximum(c, 0, out=c)
        dsigma = -jac @ d0 - d0 @ jac.T
        sigma = np.maximum(sigma + lr_sigma * np.diag(dsigma), 1e-6)
    err, c_best, _, it_best = best
    info = {
        "n_iter": len(history),
        "converged": stop == "converged",
        "stop_reason": stop,
        "initial_cost": float(initial) if initial is not None else float("nan"),
        "final_cost": float(err),
        "best_iter": int(it_best),
        "tau_x": tau_x,
        "rate_halvings": halvings,
    }
    return c_best, info
