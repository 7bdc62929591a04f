"""Which links a group of subjects supports: a one-sample test per link on the signed weights, with FDR.

Each subject's network is one observation per link; under the null a link's weight is symmetric about zero
across subjects. Two tests:

* ``"t"``: Student's one-sample t-test (``scipy.stats.ttest_1samp``), exact for normal weights;
* ``"sign_flip"``: the permutation test of the mean under random sign flips of the subjects' weights, exact
  for any symmetric distribution. With S subjects every one of the ``2^S`` flips is used when
  ``2^S ≤ n_permutations`` (the smallest p-value is then ``2 / 2^S``: 1/64 for 7 subjects), else random
  flips (``random_state``) with the +1 correction.

``q`` is the Benjamini–Hochberg adjustment over the ``N (N − 1)`` links. Beside them, the paper's consistency
counts: in how many subjects a link is among the strongest ``top_fraction`` (``selection_counts``) and how
many have each sign.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..fmri.group import threshold

__all__ = ["TESTS", "group_link_test"]

TESTS = ("t", "sign_flip")
"""The one-sample tests :func:`group_link_test` offers."""


def _stack(networks: Sequence[np.ndarray] | np.ndarray) -> np.ndarray:
    g = np.asarray(networks, dtype=float) if not isinstance(networks, np.ndarray) else networks.astype(float)
    if g.ndim != 3 or g.shape[1] != g.shape[2]:
        raise ValueError(
            f"networks must be one N × N matrix per subject (shape subjects × N × N), got shape {g.shape}; give "
            "every subject the same regions in the same order"
        )
    if g.shape[0] < 2:
        raise ValueError(f"a group test needs at least 2 subjects, got {g.shape[0]}")
    off = ~np.eye(g.shape[1], dtype=bool)
    bad = ~np.isfinite(g[:, off])
    if bad.any():
        subjects = sorted(set(np.nonzero(bad)[0].tolist()))
        raise ValueError(
            f"networks of subjects {subjects} (from 0) hold NaN or inf off the diagonal: drop those subjects, or "
            "the regions that are missing in them, before the group test"
        )
    return g


def _sign_flip_p(values: np.ndarray, n_permutations: int, rng: np.random.Generator) -> np.ndarray:
    """Two-sided sign-flip p-values of the mean of ``values`` (subjects × links)."""
    s = values.shape[0]
    observed = np.abs(values.mean(axis=0))
    if 2**s <= n_permutations:
        flips = np.array(list(itertools.product((1.0, -1.0), repeat=s)))
        null = np.abs(flips @ values) / s
        return (null >= observed - 1e-12 * np.abs(observed)).mean(axis=0)
    flips = rng.choice((1.0, -1.0), size=(n_permutations, s))
    null = np.abs(flips @ values) / s
    return (1 + (null >= observed - 1e-12 * np.abs(observed)).sum(axis=0)) / (1 + n_permutations)


def group_link_test(
    networks: Sequence[np.ndarray] | np.ndarray,
    *,
    test: str = "t",
    top_fraction: float = 0.1,
    n_permutations: int = 10_000,
    random_state: int | np.random.Generator | None = None,
    labels: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Per directed link: the group's mean weight, a one-sample test against 0 with FDR, and consistency counts.

    Parameters
    ----------
    networks : array of shape (S, N, N) or a list of S (N, N) arrays
        One estimated network per subject (row = target, column = source), the same regions in the same order;
        e.g. ``ZeroLagConnectivity().fit([X_1, …, X_S]).connectivities_``.
    test : {"t", "sign_flip"}
        Student's t-test, or the exact sign-flip permutation test (module docstring).
    top_fraction : float
        For ``selection_counts``: each subject's strongest ``round(top_fraction · N²)`` links (the paper's 10 %).
    n_permutations : int
        ``"sign_flip"``: all ``2^S`` flips when there are at most this many, else this many random ones.
    random_state : int, numpy.random.Generator or None
        Seeds the random flips (unused otherwise).
    labels : sequence of str or None
        Region names for the ``target`` and ``source`` columns (default: ``0 … N − 1``).

    Returns
    -------
    pandas.DataFrame
        One row per directed link (row-major, as the CLI's table): ``target``, ``source``, ``mean``, ``sd``,
        ``statistic`` (t, or the mean for ``sign_flip``), ``p``, ``q`` (Benjamini–Hochberg), ``n_positive``,
        ``n_negative``, ``selection_counts`` and ``n_subjects``.

    Raises
    ------
    ValueError
        Fewer than 2 subjects, networks of different shapes, NaN/inf off the diagonal, an unknown ``test``.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> nets = rng.normal(0, 0.1, (8, 3, 3))
    >>> nets[:, 2, 0] += 0.5  # region 0 drives region 2 in every subject
    >>> table = group_link_test(nets)
    >>> table.loc[table["q"] < 0.05, ["target", "source"]].values.tolist()
    [[2, 0]]
    """
    if test not in TESTS:
        raise ValueError(f"test must be one of {TESTS}, got {test!r}")
    if not (isinstance(n_permutations, (int, np.integer)) and n_permutations >= 1):
        raise ValueError(f"n_permutations must be a positive whole number, got {n_permutations!r}")
    g = _stack(networks)
    s, n, _ = g.shape
    if labels is not None and len(labels) != n:
        raise ValueError(f"{len(labels)} labels for networks of {n} regions")
    names = np.asarray(list(labels) if labels is not None else range(n), dtype=object)
    off = ~np.eye(n, dtype=bool)
    values = g[:, off]
    if test == "t":
        with np.errstate(invalid="ignore", divide="ignore"):
            statistic, p = stats.ttest_1samp(values, 0.0, axis=0)
        constant = np.ptp(values, axis=0) == 0  # t undefined: all subjects equal
        p = np.where(constant, np.where(values[0] == 0, 1.0, 0.0), p)
    else:
        statistic = values.mean(axis=0)
        p = _sign_flip_p(values, int(n_permutations), np.random.default_rng(random_state))
    kept = np.array([threshold(one, top_fraction)[off] for one in g])
    i, j = np.nonzero(off)
    return pd.DataFrame(
        {
            "target": names[i],
            "source": names[j],
            "mean": values.mean(axis=0),
            "sd": values.std(axis=0, ddof=1),
            "statistic": statistic,
            "p": p,
            "q": stats.false_discovery_control(p),
            "n_positive": (values > 0).sum(axis=0),
            "n_negative": (values < 0).sum(axis=0),
            "selection_counts": kept.sum(axis=0),
            "n_subjects": s,
        }
    )
