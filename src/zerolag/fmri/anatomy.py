"""Networks against structural (diffusion-tractography) connectivity of the same subject.

Every method's network is made undirected and unsigned, ``S = (|G| + |G|ᵀ) / 2``, and scored over
the ``N (N − 1) / 2`` region pairs against the structural connectivity ``SC`` (streamline counts):

* ``auc_sc_positive``: ROC area of ``S`` for "``SC > 0``" (NaN when every pair has streamlines, as
  with probabilistic tractography: the question is then empty);
* ``auc_sc_top``: ROC area for "``SC`` among the strongest ``sc_top_fraction`` of pairs";
* ``spearman``: rank correlation of ``S`` with ``SC`` — the same as with ``log SC`` (ranks do not
  change under a monotone transform);
* ``pearson_log``: Pearson correlation of ``S`` with ``log SC`` over pairs with ``SC > 0``.
"""

from __future__ import annotations

import numpy as np
from scipy import stats

from ..scoring.metrics import roc_auc

__all__ = ["compare_with_structure"]


def compare_with_structure(g: np.ndarray, sc: np.ndarray, *, sc_top_fraction: float = 0.1) -> dict[str, float]:
    """Scores of one network against a structural connectivity matrix over the same regions (see module doc)."""
    g = np.asarray(g, dtype=float)
    sc = np.asarray(sc, dtype=float)
    if g.shape != sc.shape or g.ndim != 2 or g.shape[0] != g.shape[1]:
        raise ValueError(f"network {g.shape} and structural connectivity {sc.shape} must be square and of equal shape")
    if not (np.all(np.isfinite(g)) and np.all(np.isfinite(sc))):
        raise ValueError("network or structural connectivity contains NaN or inf")
    if np.any(sc < 0):
        raise ValueError("structural connectivity must be non-negative (streamline counts or densities)")
    if not 0 < sc_top_fraction < 1:
        raise ValueError(f"sc_top_fraction must lie in (0, 1), got {sc_top_fraction}")
    n = g.shape[0]
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    s = ((np.abs(g) + np.abs(g).T) / 2)[upper]
    c = ((sc + sc.T) / 2)[upper]
    positive = c > 0
    k = int(round(sc_top_fraction * c.size))
    top = np.zeros(c.size, dtype=bool)
    top[np.argsort(-c, kind="stable")[:k]] = True
    mixed = positive.any() and not positive.all()
    return {
        "pairs": int(c.size),
        "sc_zero_pairs": int((~positive).sum()),
        "auc_sc_positive": roc_auc(positive, s) if mixed else np.nan,
        "auc_sc_top": roc_auc(top, s),
        "spearman": float(stats.spearmanr(s, c).statistic),
        "pearson_log": float(np.corrcoef(s[positive], np.log(c[positive]))[0, 1]) if positive.sum() > 2 else np.nan,
    }
