"""Pairwise likelihood ratios for the direction of a link (Hyvärinen & Smith 2013) and DirectLiNGAM.

Hyvärinen & Smith (2013), *Pairwise likelihood ratios for estimation of non-Gaussian structural
equation models*, JMLR 14:111. For two standardised variables x, y with correlation ρ the log
likelihood ratio of x → y against y → x is approximated by (their Sec. 4–5):

* ``"skew"``: ``R = ρ E[x² y − x y²]``, after giving each variable positive skewness (multiplying it
  by the sign of its skewness);
* ``"tanh"``: ``R = ρ E[x tanh(y) − tanh(x) y]`` (sparse, super-Gaussian sources);
* ``"entropy"``: ``R = H(y) + H(r_x|y) − H(x) − H(r_y|x)`` with the residuals
  ``r_y|x = (y − ρ x)/√(1 − ρ²)`` and the maximum-entropy approximation of differential entropy of
  Hyvärinen (1998, NIPS 10: *New approximations of differential entropy for independent component
  analysis and projection pursuit*):
  ``H(u) ≈ (1 + log 2π)/2 − k1 (E[log cosh u] − γ)² − k2 (E[u exp(−u²/2)])²`` with k1 = 79.047,
  k2 = 7.4129, γ = 0.37457. This is the measure DirectLiNGAM's pairwise variant uses.

In every case ``R[a, b] > 0`` means a → b. :func:`pairwise_lr` returns the correlation placed on
the side R points to: ``G[b, a] = ρ_ab`` when R[a, b] > 0 (row = target, column = source).

DirectLiNGAM (Shimizu et al. 2011, *DirectLiNGAM: a direct method for learning a linear
non-Gaussian structural equation model*, JMLR 12:1225) with the pairwise measure (Hyvärinen & Smith
2013, Sec. 6): repeatedly pick the most exogenous variable — the one minimising
``Σ_j min(0, R[i, j])²`` over the remaining j — regress it out of the others, and finally fit every
variable on its predecessors in that causal order by least squares. The model is ``x = B x + e``
with ``B[i, j]`` the effect of j on i: our orientation natively. Written from the papers; the
``lingam`` package is not used (it requires scipy ≤ 1.13, which conflicts with this project's pins).
"""

from __future__ import annotations

import numpy as np

from ._common import check_timeseries, place_directed, standardize

__all__ = ["MEASURES", "pairwise_measure", "pairwise_lr", "direct_lingam", "causal_order"]

MEASURES = ("skew", "tanh", "entropy")

_K1, _K2, _GAMMA = 79.047, 7.4129, 0.37457


def _entropy(u: np.ndarray) -> np.ndarray:
    """Maximum-entropy approximation of the differential entropy of standardised columns (Hyvärinen 1998)."""
    a = np.mean(np.log(np.cosh(u)), axis=0) - _GAMMA
    b = np.mean(u * np.exp(-(u**2) / 2), axis=0)
    return (1 + np.log(2 * np.pi)) / 2 - _K1 * a**2 - _K2 * b**2


def _check_measure(measure: str) -> str:
    if measure not in MEASURES:
        raise ValueError(f"unknown pairwise measure {measure!r}; choose one of {list(MEASURES)}")
    return measure


def _measure(z: np.ndarray, measure: str) -> tuple[np.ndarray, np.ndarray]:
    """(ρ, R) of standardised columns ``z``; ``R[a, b] > 0`` means a → b."""
    t, n = z.shape
    rho = np.clip(z.T @ z / t, -1.0, 1.0)
    np.fill_diagonal(rho, 1.0)
    if measure == "skew":
        s = np.sign(np.mean(z**3, axis=0))
        s[s == 0] = 1
        zs = z * s
        m = (zs**2).T @ zs / t  # m[a, b] = E[a² b]
        # the sign flips change ρ's sign with them; R is invariant under flipping both, and under one flip
        # it is computed for the flipped (positively skewed) variables, whose correlation is s_a s_b ρ
        r = (rho * np.outer(s, s)) * (m - m.T)
    elif measure == "tanh":
        th = np.tanh(z)
        m = z.T @ th / t  # m[a, b] = E[a tanh(b)]
        r = rho * (m - m.T)
    else:
        h = _entropy(z)
        r = np.zeros((n, n))
        for a in range(n):
            for b in range(a + 1, n):
                c = rho[a, b]
                scale = np.sqrt(max(1 - c**2, 1e-12))
                r_b_a = (z[:, b] - c * z[:, a]) / scale  # residual of b given a
                r_a_b = (z[:, a] - c * z[:, b]) / scale
                value = h[b] + _entropy(r_a_b[:, None])[0] - h[a] - _entropy(r_b_a[:, None])[0]
                r[a, b], r[b, a] = value, -value
    np.fill_diagonal(r, 0)
    np.fill_diagonal(rho, 0)
    return rho, r


def pairwise_measure(timeseries: np.ndarray, *, measure: str = "skew") -> tuple[np.ndarray, np.ndarray]:
    """Correlations and pairwise likelihood ratios of every pair.

    Returns
    -------
    rho : ndarray (N, N), symmetric, zero diagonal
    ratio : ndarray (N, N), antisymmetric; ``ratio[a, b] > 0`` means a → b
    """
    z = standardize(check_timeseries(timeseries))
    return _measure(z, _check_measure(measure))


def pairwise_lr(timeseries: np.ndarray, *, measure: str = "skew") -> np.ndarray:
    """Directed estimate: the correlation on the side the likelihood ratio points to (``G[b, a] = ρ`` if a → b)."""
    rho, ratio = pairwise_measure(timeseries, measure=measure)
    return place_directed(rho, ratio)


def causal_order(timeseries: np.ndarray, *, measure: str = "entropy") -> list[int]:
    """DirectLiNGAM's causal order (most exogenous first), found with the pairwise measure."""
    x = check_timeseries(timeseries)
    _check_measure(measure)
    x = x - x.mean(axis=0)
    remaining = list(range(x.shape[1]))
    order: list[int] = []
    while len(remaining) > 1:
        z = standardize(x[:, remaining])
        _, r = _measure(z, measure)
        penalty = np.sum(np.minimum(0.0, r) ** 2, axis=1)  # evidence against "i is a root"
        k = int(np.argmin(penalty))
        root = remaining.pop(k)
        order.append(root)
        xr = x[:, root]
        for j in remaining:  # regress the root out of every other variable
            x[:, j] = x[:, j] - (xr @ x[:, j]) / (xr @ xr) * xr
    return order + remaining


def direct_lingam(timeseries: np.ndarray, *, measure: str = "entropy") -> tuple[np.ndarray, list[int]]:
    """DirectLiNGAM: causal order by pairwise likelihood ratios, then least squares along the order.

    Returns
    -------
    B : ndarray (N, N)
        ``B[i, j]``: effect of j on i (row = target, column = source); strictly lower triangular in
        the causal order, zero diagonal.
    order : list of int
        The causal order, most exogenous first.
    """
    x = check_timeseries(timeseries)
    order = causal_order(x, measure=measure)
    xc = x - x.mean(axis=0)
    n = x.shape[1]
    b = np.zeros((n, n))
    for k in range(1, n):
        target, parents = order[k], order[:k]
        coef, *_ = np.linalg.lstsq(xc[:, parents], xc[:, target], rcond=None)
        b[target, parents] = coef
    return b, order
