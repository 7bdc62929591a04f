"""Per-link statistics of a bootstrap: the result of :func:`~zerolag.estimation.resampling.bootstrap_connectivity`.

Selection frequency and stability selection follow Meinshausen & Bühlmann (2010, JRSS B 72, 417–473): a link
is *selected* in a resample when it is among the strongest ``top_fraction`` of that resample's links (the
paper's threshold, ``round(top_fraction · N²)`` links), and *stable* when it is selected in at least a
fraction ``π_thr`` of the resamples.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from ..scoring.metrics import kept_count

__all__ = ["BootstrapResult", "bootstrap_statistics", "stability_selection_bound"]


def stability_selection_bound(n_selected: float, n_candidates: int, threshold: float) -> float:
    """Meinshausen & Bühlmann's (2010, Theorem 1) bound on the expected number of false selections.

    ``E[V] ≤ q² / ((2 π_thr − 1) p)`` for the links selected in at least a fraction ``π_thr`` of the
    resamples, with ``q`` the average number selected per resample and ``p`` the number of candidates.

    It holds if (i) the selection indicators of the links without coupling are exchangeable and (ii) the
    selection is no worse than random guessing (a coupled link is at least as likely to be selected as an
    uncoupled one), and it is proven for resamples that are subsamples of half the data drawn without
    replacement; for block-bootstrap resamples of a time series it is a guide, not a guarantee.

    Parameters
    ----------
    n_selected : float
        ``q``, links selected per resample (on average).
    n_candidates : int
        ``p``, links that could be selected: ``N (N − 1)``.
    threshold : float
        ``π_thr`` in (1/2, 1].
    """
    if not 0.5 < threshold <= 1:
        raise ValueError(f"threshold must lie in (0.5, 1] for the bound, got {threshold}")
    return float(n_selected**2 / ((2 * threshold - 1) * n_candidates))


@dataclass(frozen=True)
class BootstrapResult:
    """Per-link statistics of :func:`~zerolag.bootstrap_connectivity`; arrays ``(N, N)``, row = target, column = source.

    Attributes
    ----------
    weights : ndarray
        The full-data estimate ``G_est`` (zero diagonal), as :func:`~zerolag.estimate_connectivity` gives it.
    mean, sd : ndarray or None
        Mean and standard deviation (``ddof = 1``) over the resamples; None without resamples.
    ci_low, ci_high : ndarray or None
        Percentile interval of the resamples at ``confidence``.
    sign_stability : ndarray or None
        Fraction of resamples with the sign of ``weights`` (NaN on the diagonal); a weight of exactly 0 (the
        fast optimiser zeroes the smallest entries) counts the resamples where it is 0 too.
    selection_frequency : ndarray or None
        Fraction of resamples in which the link is among the strongest ``top_fraction`` by ``|weight|``
        (``round(top_fraction · N²)`` links, the paper's threshold; NaN on the diagonal).
    p, q : ndarray or None
        Per-link surrogate p-values and their Benjamini–Hochberg q-values (NaN on the diagonal); None
        without surrogates.
    confidence, top_fraction : float
        As given.
    scheme : str
        The block scheme.
    block_length, block_stride : int or None
        Samples per block (mean block length for ``"stationary"``) and per chunk of the block sums; None
        without resamples.
    n_resamples, n_surrogates : int
        As given.
    n_not_converged : int
        Refits (resamples and surrogates) that hit the optimiser's iteration cap.
    resample_weights : ndarray of shape (n_resamples, N, N) or None
        The estimate of every resample.
    resample_costs : ndarray of shape (n_resamples,) or None
        The L1 cost ``‖offdiag(M)‖₁`` each resample's refit reached.
    surrogate_weights : ndarray of shape (n_surrogates, N, N) or None
        The estimate of every surrogate.
    null_model : {"independent", "network"} or None
        What the surrogates kept (:func:`~zerolag.bootstrap_connectivity`); None without surrogates.
    null_links : ndarray of bool or None
        The links the network null kept (present in every surrogate; the rest are its draws); None unless
        ``null_model == "network"``.
    """

    weights: np.ndarray
    mean: np.ndarray | None
    sd: np.ndarray | None
    ci_low: np.ndarray | None
    ci_high: np.ndarray | None
    sign_stability: np.ndarray | None
    selection_frequency: np.ndarray | None
    p: np.ndarray | None
    q: np.ndarray | None
    confidence: float
    top_fraction: float
    scheme: str
    block_length: int | None
    block_stride: int | None
    n_resamples: int
    n_surrogates: int
    n_not_converged: int
    resample_weights: np.ndarray | None = field(repr=False)
    resample_costs: np.ndarray | None = field(repr=False)
    surrogate_weights: np.ndarray | None = field(repr=False)
    null_model: str | None = None
    null_links: np.ndarray | None = field(default=None, repr=False)

    def to_frame(self, labels: Sequence[Any] | None = None) -> pd.DataFrame:
        """One row per directed link: ``target``, ``source``, ``weight``, ``kept`` and the statistics.

        Rows in the order of the CLI's table (row-major over the off-diagonal entries, target = row,
        source = column); ``kept`` marks the strongest ``top_fraction`` of ``|weight|``. ``labels``: names
        of the N nodes (default ``0 … N − 1``).
        """
        n = self.weights.shape[0]
        names = np.arange(n) if labels is None else np.asarray(labels)
        if names.shape != (n,):
            raise ValueError(f"labels must name the {n} nodes, got {names.shape[0] if names.ndim else 0}")
        i, j = np.nonzero(~np.eye(n, dtype=bool))
        kept = np.zeros(len(i), dtype=bool)
        kept[np.argsort(-np.abs(self.weights[i, j]), kind="stable")[: kept_count(n, self.top_fraction)]] = True
        columns = {"target": names[i], "source": names[j], "weight": self.weights[i, j], "kept": kept}
        for name in ("mean", "sd", "ci_low", "ci_high", "sign_stability", "selection_frequency", "p", "q"):
            value = getattr(self, name)
            if value is not None:
                columns[name] = value[i, j]
        return pd.DataFrame(columns)

    def settings(self) -> dict[str, Any]:
        """What was resampled and how, for a fit record: counts, scheme, block grid, levels, capped refits."""
        return {
            "n_resamples": self.n_resamples,
            "n_surrogates": self.n_surrogates,
            "null_model": self.null_model,
            "scheme": self.scheme,
            "block_length": self.block_length,
            "block_stride": self.block_stride,
            "confidence": self.confidence,
            "top_fraction": self.top_fraction,
            "refits_not_converged": self.n_not_converged,
        }

    def stable_links(self, threshold: float = 0.9) -> np.ndarray:
        """Links selected in at least ``threshold`` of the resamples (boolean, diagonal False)."""
        if self.selection_frequency is None:
            raise ValueError("stability selection needs resamples: rerun with n_resamples > 0")
        return np.nan_to_num(self.selection_frequency, nan=0.0) >= threshold

    def expected_false_selections(self, threshold: float = 0.9) -> float:
        """:func:`stability_selection_bound` for :meth:`stable_links` at ``threshold`` (see its assumptions).

        ``q`` is ``round(top_fraction · N²)``, the number every resample selects; ``p = N (N − 1)``.
        """
        n = self.weights.shape[0]
        return stability_selection_bound(kept_count(n, self.top_fraction), n * (n - 1), threshold)


def _selection_frequency(resamples: np.ndarray, top_fraction: float) -> np.ndarray:
    n = resamples.shape[1]
    off = ~np.eye(n, dtype=bool)
    strength = np.abs(resamples[:, off])
    order = np.argsort(-strength, axis=1, kind="stable")[:, : kept_count(n, top_fraction)]
    selected = np.zeros(strength.shape, dtype=bool)
    np.put_along_axis(selected, order, True, axis=1)
    frequency = np.full((n, n), np.nan)
    frequency[off] = selected.mean(axis=0)
    return frequency


def bootstrap_statistics(
    weights: np.ndarray, resamples: np.ndarray, *, confidence: float, top_fraction: float
) -> dict[str, np.ndarray]:
    """Mean, sd, percentile interval, sign stability and selection frequency of resampled estimates.

    ``weights`` ``(N, N)`` is the full-data estimate, ``resamples`` ``(R, N, N)`` the resamples' (R ≥ 2).
    Sign stability and selection frequency are NaN on the diagonal.
    """
    sign = np.mean(np.sign(resamples) == np.sign(weights), axis=0)
    np.fill_diagonal(sign, np.nan)
    low, high = np.quantile(resamples, [(1 - confidence) / 2, (1 + confidence) / 2], axis=0)
    return {
        "mean": resamples.mean(axis=0),
        "sd": resamples.std(axis=0, ddof=1),
        "ci_low": low,
        "ci_high": high,
        "sign_stability": sign,
        "selection_frequency": _selection_frequency(resamples, top_fraction),
    }
