"""A null for an absent link of a coupled network: surrogates of the fitted network's own innovations.

The phase-randomised surrogates of :mod:`~zerolag.estimation.surrogates` make every channel independent: their
null is ``G = 0`` everywhere. An absent link of a coupled network is not estimated as if nothing were coupled:
the errors of the fit of its coupled neighbours leak into it (the zero-lag fit solves for the whole network at
once), so its estimate spreads wider than under ``G = 0``, and Benjamini–Hochberg against the no-coupling null
declares too many absent links (the reliability figure measured false-discovery proportions of 0.14–0.47 at
``q ≤ 0.05``).

This null keeps the network and removes one link at a time, all at once. From the fit ``M`` of the data
(``M C Mᵀ = 1``; the estimate is ``−offdiag(M)``):

1. keep ``M``'s diagonal and its strongest ``round(top_fraction · N²)`` non-zero off-diagonal entries, the
   same links :meth:`~zerolag.BootstrapResult.to_frame` marks ``kept``: ``M₀``, a network with the rest absent;
2. the innovations of that network, ``ξ_t = M₀ z_t`` (``z`` the series as fitted: standardised when the fit
   is of correlations), which the model ``z = M₀⁻¹ ξ`` says are uncorrelated at zero lag;
3. each innovation channel phase-randomised independently (:class:`~zerolag.estimation.surrogates.SurrogateSpectrum`):
   every innovation keeps its spectrum — so the surrogate keeps the data's autocorrelation, which sets the
   sampling error — and any zero-lag correlation the innovations had is removed;
4. the surrogate series ``z* = M₀⁻¹ ξ*``, whose exact covariance is of the model's form with ``M₀``'s links and
   no others, refitted exactly as the data were (standardised on its own, from ``U = 1``).

A surrogate's estimates on the links absent from ``M₀`` are draws of "an absent link in this network, fitted
from this much data of this autocorrelation". Each link's ``|weight|`` is compared with them
(:func:`~zerolag.estimation.surrogates.permutation_p_values` with ``absent``): pooled over the absent links of
every surrogate, or per link, where an absent link has its own draws and a kept link (which has none: it is
present in every surrogate) is compared with the pooled ones. Testing a kept link against the absent links'
spread asks the same question of it — would it look this strong if it were absent — under the assumption
that removing it would leave an absent link like the others.

What the null does not hold: a bias of the estimator that makes an absent link's *target* non-zero (the fit
of the exact covariance, e.g. under observation noise) is in the data but not in the surrogates, whose exact
covariance has the model's form. The reliability figure measures what that costs.

The surrogates' covariances come from the innovations' spectra, ``C* = M₀⁻¹ C_ξ* M₀⁻ᵀ``, with no inverse
transform (Parseval, as the phase-randomised surrogates).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..scoring.metrics import kept_count
from .surrogates import SurrogateSpectrum

__all__ = ["NULL_MODELS", "NetworkSurrogates", "null_network"]

NULL_MODELS = ("independent", "network")
"""What the surrogates keep: no coupling (every channel independent; the default), or the fitted network."""


def null_network(m: np.ndarray, top_fraction: float) -> tuple[np.ndarray, np.ndarray]:
    """``M₀`` (``M`` with only its diagonal and strongest links) and the mask of those links.

    Parameters
    ----------
    m : array of shape (N, N)
        The fit of the data (``−offdiag(M)`` is the estimate).
    top_fraction : float
        Keep the strongest ``round(top_fraction · N²)`` off-diagonal entries by ``|M_ij|`` (ties in their
        row-major order), of those that are non-zero.

    Returns
    -------
    m0 : numpy.ndarray of shape (N, N)
    kept : numpy.ndarray of bool, shape (N, N)
        The kept links (diagonal False).

    Raises
    ------
    ValueError
        If no link would be absent (``top_fraction`` keeps every off-diagonal entry), or ``M₀`` is singular.
    """
    n = m.shape[0]
    i, j = np.nonzero(~np.eye(n, dtype=bool))
    k = kept_count(n, top_fraction)
    if k >= len(i):
        raise ValueError(
            f"top_fraction = {top_fraction:g} keeps {k} links of the {len(i)}, so no link is absent and the network "
            "null (null_model='network') has nothing to draw from: use a smaller top_fraction"
        )
    order = np.argsort(-np.abs(m[i, j]), kind="stable")[:k]
    order = order[m[i[order], j[order]] != 0]
    kept = np.zeros((n, n), dtype=bool)
    kept[i[order], j[order]] = True
    m0 = np.where(kept | np.eye(n, dtype=bool), m, 0.0)
    if np.linalg.cond(m0) > 1e12:
        raise ValueError(
            "the strongest links of the fit make a singular network (null_model='network' needs M₀ invertible): "
            "use a smaller top_fraction, or null_model='independent'"
        )
    return m0, kept


class NetworkSurrogates:
    """The innovations of a network ``M₀`` in a series, and the covariances of its surrogates ``M₀⁻¹ ξ*``.

    Parameters
    ----------
    x : array of shape (T, N)
        The series (finite).
    m0 : array of shape (N, N)
        The network, in the units of the fit: of ``x`` standardised when ``standardize``, of ``x`` otherwise.
    assume_centered : bool
        As the full-data covariance (:class:`~zerolag.estimation.surrogates.SurrogateSpectrum`).
    standardize : bool
        Whether the fit was of the correlation matrix: ``z = x / sd`` with the sd of the data's covariance.
    """

    kind = "network surrogate"

    def __init__(self, x: np.ndarray, m0: np.ndarray, *, assume_centered: bool, standardize: bool) -> None:
        z = np.asarray(x, dtype=np.float64)
        if standardize:
            centred = z if assume_centered else z - z.mean(axis=0)
            divisor = len(z) if assume_centered else len(z) - 1
            z = z / np.sqrt(np.einsum("ti,ti->i", centred, centred) / divisor)
        self.innovations = SurrogateSpectrum(z @ m0.T, assume_centered=assume_centered)
        self.mixing = np.linalg.inv(m0)

    def covariances(self, seeds: Sequence[np.random.SeedSequence]) -> np.ndarray:
        """Covariances ``(B, N, N)`` of the surrogates drawn from ``seeds`` (one surrogate each)."""
        c = self.mixing @ self.innovations.covariances(seeds) @ self.mixing.T
        return (c + np.swapaxes(c, 1, 2)) / 2
