"""Scores of an estimated network against the true one (Schiefer et al. 2018, Methods).

Only off-diagonal entries count, except in the two statistics that follow the paper's own arithmetic
(``pcc_all``, ``fn_share``, ``fp_share``: over all N² entries). Complex estimates are scored by their
magnitude (detection) and real part (signed correlation).

The threshold keeps the strongest ``round(top_fraction · N²)`` off-diagonal entries (:func:`kept_count`):
the paper's count (10 % of 90² = 810 links per subject for its 90 regions).
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "score",
    "kept_count",
    "strongest",
    "roc_auc",
    "average_precision",
    "roc_curve",
    "precision_recall_curve",
    "confusion_labels",
]


def kept_count(n: int, top_fraction: float) -> int:
    """Entries the strongest ``top_fraction`` of an N-node network keeps: ``round(top_fraction · N²)``.

    The paper's count (its 810 links of 90 regions are 10 % of 90²), at most the ``N (N − 1)``
    off-diagonal entries, which are the only ones that can be kept.
    """
    if not 0 < top_fraction <= 1:
        raise ValueError(f"top_fraction must lie in (0, 1], got {top_fraction}")
    return min(int(round(top_fraction * n * n)), n * (n - 1))


def strongest(strength: np.ndarray, k: int) -> np.ndarray:
    """Boolean mask of the ``k`` largest values of ``strength`` (ties broken by position, first kept)."""
    kept = np.zeros(strength.size, dtype=bool)
    kept[np.argsort(-strength, kind="stable")[:k]] = True
    return kept


def _offdiag(a: np.ndarray) -> np.ndarray:
    return a[~np.eye(a.shape[0], dtype=bool)]


def score(
    g_true: np.ndarray, g_est: np.ndarray, *, top_fraction: float | None = 0.1, diagonal: np.ndarray | None = None
) -> dict[str, float]:
    """AUC, PRS and PCC plus counts at a threshold on the strongest estimated entries.

    Parameters
    ----------
    g_true : array of shape (N, N)
        True coupling matrix; non-zero off-diagonal entries are connections.
    g_est : array of shape (N, N)
        Estimated coupling matrix, same orientation.
    top_fraction : float or None
        Keep the strongest ``round(top_fraction · N²)`` off-diagonal ``|g_est|`` as predicted
        connections (0.1 in the paper; :func:`kept_count`). ``None`` keeps as many as there are true
        connections.
    diagonal : array of shape (N,) or None
        The estimate's diagonal for ``pcc_all`` where the method's matrix has one that ``g_est`` does not show
        (a covariance's variances: :func:`zerolag.methods.baselines.diagonal_before_zeroing`). ``None``: the
        diagonal of ``g_est``.

    Returns
    -------
    dict
        ``auc`` (ROC area), ``prs`` (average precision), ``pcc`` (Pearson correlation of the signed
        off-diagonal entries), ``pcc_all`` (the same over all N² entries, diagonal included: the
        paper's arithmetic, which its Fig. 2 PCC of the covariance matches), and at the threshold:
        ``n_kept``, ``tp``, ``fp``, ``fn``, ``tn``, ``fnr`` = FN/(FN+TP), ``fpr`` = FP/(FP+TN),
        ``fn_share`` = FN/N² and ``fp_share`` = FP/N² (the paper's Fig. 3B percentages: shares of all
        entries), ``sign_accuracy`` = fraction of true positives whose sign matches. Undefined
        values (e.g. AUC with no true connection) are NaN.
    """
    g_true = np.asarray(g_true)
    g_true = g_true.astype(float) if g_true.dtype == bool else g_true  # a 0/1 adjacency is fine too
    g_est = np.asarray(g_est)
    if g_true.shape != g_est.shape or g_true.ndim != 2 or g_true.shape[0] != g_true.shape[1]:
        raise ValueError(
            f"true and estimated networks must be square and of equal shape, got {g_true.shape} and {g_est.shape}"
        )
    t = _offdiag(g_true)
    e = _offdiag(g_est)
    if not np.all(np.isfinite(e)):
        raise ValueError("the estimated network contains NaN or inf")
    labels = t != 0
    strength = np.abs(e)
    both = labels.any() and not labels.all()
    out: dict[str, float] = {
        "auc": roc_auc(labels, strength) if both else np.nan,
        "prs": average_precision(labels, strength) if both else np.nan,
        "pcc": _pearson(np.real(t), np.real(e)),
        "pcc_all": _pearson(np.real(g_true).ravel(), np.real(_with_diagonal(g_est, diagonal)).ravel()),
    }
    k = int(labels.sum()) if top_fraction is None else kept_count(g_true.shape[0], top_fraction)
    kept = strongest(strength, k)
    tp = kept & labels
    out.update(
        n_kept=float(k),
        tp=float(tp.sum()),
        fp=float((kept & ~labels).sum()),
        fn=float((~kept & labels).sum()),
        tn=float((~kept & ~labels).sum()),
    )
    out["fnr"] = out["fn"] / (out["fn"] + out["tp"]) if labels.any() else np.nan
    out["fpr"] = out["fp"] / (out["fp"] + out["tn"]) if not labels.all() else np.nan
    out["fn_share"] = out["fn"] / g_true.size
    out["fp_share"] = out["fp"] / g_true.size
    same_sign = np.sign(np.real(e[tp])) == np.sign(np.real(t[tp]))
    out["sign_accuracy"] = float(same_sign.mean()) if tp.any() else np.nan
    return out


def _with_diagonal(g: np.ndarray, diagonal: np.ndarray | None) -> np.ndarray:
    if diagonal is None:
        return g
    diagonal = np.asarray(diagonal)
    if diagonal.shape != (g.shape[0],) or not np.all(np.isfinite(diagonal)):
        raise ValueError(f"diagonal must be {g.shape[0]} finite values, got shape {diagonal.shape}")
    out = np.array(g, copy=True)
    np.fill_diagonal(out, diagonal)
    return out


def _pearson(a: np.ndarray, b: np.ndarray) -> float:
    if np.std(a) == 0 or np.std(b) == 0:
        return np.nan
    return float(np.corrcoef(a, b)[0, 1])


def roc_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """Area under the ROC curve (Mann–Whitney U with tied scores counted ½), as scikit-learn computes it.

    Written with NumPy alone so that scoring does not import scikit-learn (~1 s per workflow job).
    """
    labels = np.asarray(labels, dtype=bool)
    scores = np.asarray(scores, dtype=float)
    n_pos = int(labels.sum())
    n_neg = labels.size - n_pos
    order = np.argsort(scores, kind="mergesort")
    _, first, counts = np.unique(scores[order], return_index=True, return_counts=True)
    ranks = np.empty(scores.size)
    ranks[order] = np.repeat(first + (counts + 1) / 2, counts)
    return float((ranks[labels].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def average_precision(labels: np.ndarray, scores: np.ndarray) -> float:
    """Average precision ``Σ (R_k − R_{k−1}) P_k`` over distinct thresholds, as scikit-learn computes it."""
    labels = np.asarray(labels, dtype=bool)
    scores = np.asarray(scores, dtype=float)
    order = np.argsort(-scores, kind="mergesort")
    ends = np.r_[np.flatnonzero(np.diff(scores[order])), scores.size - 1]
    tps = np.cumsum(labels[order])[ends]
    precision = tps / (ends + 1)
    recall = tps / tps[-1]
    return float(np.sum(np.diff(np.r_[0.0, recall]) * precision))


def _ranked(g_true: np.ndarray, g_est: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Off-diagonal connection labels and |estimates|, strongest first (ties kept together)."""
    labels = _offdiag(np.asarray(g_true)) != 0
    strength = np.abs(_offdiag(np.asarray(g_est)))
    order = np.argsort(-strength, kind="mergesort")
    return labels[order], strength[order]


def roc_curve(g_true: np.ndarray, g_est: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """False- and true-positive rates at every distinct threshold on ``|g_est|``, from (0, 0) to (1, 1)."""
    labels, strength = _ranked(g_true, g_est)
    ends = np.r_[np.flatnonzero(np.diff(strength)), strength.size - 1]
    tps, fps = np.cumsum(labels)[ends], np.cumsum(~labels)[ends]
    return np.r_[0.0, fps / max(fps[-1], 1)], np.r_[0.0, tps / max(tps[-1], 1)]


def precision_recall_curve(g_true: np.ndarray, g_est: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Recall and precision at every distinct threshold on ``|g_est|`` (strongest first)."""
    labels, strength = _ranked(g_true, g_est)
    ends = np.r_[np.flatnonzero(np.diff(strength)), strength.size - 1]
    tps = np.cumsum(labels)[ends]
    return tps / max(tps[-1], 1), tps / (ends + 1)


def confusion_labels(g_true: np.ndarray, g_est: np.ndarray, *, top_fraction: float = 0.1) -> np.ndarray:
    """Per entry ``"TP"``, ``"FP"``, ``"FN"`` or ``"TN"`` at the strongest ``top_fraction`` of ``|g_est|``.

    As many entries are kept as :func:`kept_count` says. The diagonal (not scored) is ``""``.
    """
    g_true, g_est = np.asarray(g_true), np.asarray(g_est)
    off = ~np.eye(g_true.shape[0], dtype=bool)
    kept = strongest(np.abs(g_est[off]), kept_count(g_true.shape[0], top_fraction))
    true = g_true[off] != 0
    out = np.full(g_true.shape, "", dtype=object)
    out[off] = np.where(kept, np.where(true, "TP", "FP"), np.where(true, "FN", "TN"))
    return out
