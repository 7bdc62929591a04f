"""NetSim's own scores (Smith et al. 2011, NeuroImage 54:875, Sec. "Evaluation"), pooled over subjects.

* **c-sensitivity** — detection of connections regardless of direction: the fraction of true
  connections whose estimated strength exceeds the 95th percentile of the strengths of the absent
  ones, both distributions pooled over subjects. A node pair is one connection (either direction);
  its estimated strength is ``max(|G[a, b]|, |G[b, a]|)``.
* **d-accuracy** — direction: the fraction of true directed connections a → b (``truth[b, a] ≠ 0``,
  ``truth[a, b] = 0``) whose estimate is stronger in the true direction, ``|G[b, a]| > |G[a, b]|``;
  a tie (every symmetric method) counts ½, so 50 % is chance. Reciprocal pairs have no single
  direction and are left out.

Matrices are in this package's orientation (row = target, column = source). Smith et al. define
the two scores in words; the pooling, the pair strength for directed estimates, the ½ for ties and
leaving reciprocal pairs out are our reading, stated here so the numbers can be checked.
"""

from __future__ import annotations

import numpy as np

from ..scoring.metrics import score

__all__ = ["c_sensitivity", "d_accuracy", "netsim_scores"]


def _stack(truths: object, estimates: object) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(truths, dtype=float)
    e = np.asarray(estimates)
    if t.ndim == 2:
        t, e = t[None], e[None]
    if t.ndim != 3 or t.shape != e.shape or t.shape[1] != t.shape[2]:
        raise ValueError(
            f"truths and estimates must be stacks of square matrices of equal shape (subjects, N, N), "
            f"got {t.shape} and {e.shape}"
        )
    if not np.all(np.isfinite(e)):
        raise ValueError("the estimates contain NaN or inf")
    return t, np.abs(np.real(e)).astype(float)


def _pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    return np.triu_indices(n, k=1)


def c_sensitivity(truths: np.ndarray, estimates: np.ndarray, *, percentile: float = 95.0) -> float:
    """Fraction of true connections stronger than the ``percentile`` of the absent ones (pooled).

    Parameters
    ----------
    truths, estimates : arrays of shape (subjects, N, N) or (N, N)
        True and estimated networks, row = target, column = source.
    percentile : float
        Percentile of the absent connections' strengths that a true one must exceed (NetSim: 95).

    Returns
    -------
    float
        NaN if there is no true or no absent connection.
    """
    if not 0 <= percentile <= 100:
        raise ValueError(f"percentile must lie in [0, 100], got {percentile}")
    t, e = _stack(truths, estimates)
    a, b = _pairs(t.shape[1])
    connected = (t[:, a, b] != 0) | (t[:, b, a] != 0)
    strength = np.maximum(e[:, a, b], e[:, b, a])
    if connected.all() or not connected.any():
        return float("nan")
    threshold = np.percentile(strength[~connected], percentile)
    return float(np.mean(strength[connected] > threshold))


def d_accuracy(truths: np.ndarray, estimates: np.ndarray) -> float:
    """Fraction of true one-way connections whose estimate points the right way (ties ½; pooled).

    Returns NaN if there is no one-way true connection.
    """
    t, e = _stack(truths, estimates)
    s, target, source = np.nonzero(t)
    keep = (source != target) & (t[s, source, target] == 0)  # one-way a → b only
    s, target, source = s[keep], target[keep], source[keep]
    if s.size == 0:
        return float("nan")
    forward, backward = e[s, target, source], e[s, source, target]
    return float(np.mean(np.where(forward > backward, 1.0, np.where(forward == backward, 0.5, 0.0))))


def netsim_scores(truths: np.ndarray, estimates: np.ndarray, *, top_fraction: float = 0.1) -> dict[str, float]:
    """c-sensitivity, d-accuracy and the per-subject AUC / PRS / PCC (mean and sd) of one method on one simulation."""
    t, _ = _stack(truths, estimates)
    e = np.asarray(estimates)
    e = e[None] if e.ndim == 2 else e
    per = [score(t[k], e[k], top_fraction=top_fraction) for k in range(t.shape[0])]
    out: dict[str, float] = {
        "n_subjects": float(t.shape[0]),
        "c_sensitivity": c_sensitivity(t, e),
        "d_accuracy": d_accuracy(t, e),
    }
    for key in ("auc", "prs", "pcc", "sign_accuracy"):
        values = np.array([p[key] for p in per], dtype=float)
        finite = values[np.isfinite(values)]
        out[key] = float(finite.mean()) if finite.size else float("nan")
        out[f"{key}_sd"] = float(finite.std(ddof=1)) if finite.size > 1 else float("nan")
    return out
