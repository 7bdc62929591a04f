"""Which links of the fMRI networks the data support: per subject (bootstrap and surrogates) and in the group.

Per subject, :func:`subject_reliability` runs :func:`zerolag.bootstrap_connectivity` on the subject's cleaned
region signals (the same series and covariance as its network) and returns one row per directed link with the
statistics. A link is **reliable** in a subject when its surrogate q-value is at most ``q`` and its sign is
stable in at least ``sign_stability`` of the block-bootstrap resamples (:func:`reliable`). The surrogates are
by default the network null (``null_model="network"``: the fitted network's strongest links kept, its
innovations phase-randomised), the null of an absent link: on the coupled simulated networks of the
``reliability`` figure its q came much closer to its level, whereas the no-coupling null's
(``"independent"``) declared many absent links. In the group, :func:`group_links` tests each link's weights
across subjects (:func:`zerolag.group_link_test`).
:func:`reliability_summary` counts both, one row per subject and one for the group.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ..estimation.group_test import group_link_test
from ..estimation.resampling import bootstrap_connectivity
from ..scoring.metrics import kept_count, strongest

__all__ = ["group_links", "reliability_summary", "reliable", "subject_reliability"]


def subject_reliability(
    signals: np.ndarray,
    regions: pd.DataFrame,
    *,
    n_resamples: int,
    n_surrogates: int,
    random_state: int,
    params: Mapping[str, Any],
    top_fraction: float,
    null_model: str = "network",
    null_distribution: str = "per_link",
    n_jobs: int = 1,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """One subject's links with their bootstrap and surrogate statistics, and the run's settings.

    Parameters
    ----------
    signals : array of shape (T, N)
        The cleaned region signals (already standardised by the cleaning, if it does: fitted as they are).
    regions : DataFrame
        Their labels (``index``, ``name``), one row per column of ``signals``.
    n_resamples, n_surrogates, random_state, top_fraction, null_model, null_distribution, n_jobs
        As :func:`zerolag.bootstrap_connectivity` (``null_model`` defaults to ``"network"`` here, and with it
        ``n_surrogates`` must be positive).
    params : mapping
        The estimator's options (``optimizer`` …).

    Returns
    -------
    table : DataFrame
        One row per directed link: ``target``, ``source``, ``target_index``, ``source_index``, ``weight``,
        ``kept`` and the statistics (``ci_low`` … ``q``).
    record : dict
        Block length, scheme, counts and refits that did not converge.
    """
    if len(regions) != signals.shape[1]:
        raise ValueError(f"{len(regions)} regions for signals of {signals.shape[1]} columns")
    result = bootstrap_connectivity(
        signals,
        n_resamples=n_resamples,
        n_surrogates=n_surrogates,
        top_fraction=top_fraction,
        random_state=random_state,
        n_jobs=n_jobs,
        standardize=False,
        null_model=null_model,
        null_distribution=null_distribution,
        **dict(params),
    )
    names = regions["name"].astype(str).tolist()
    table = result.to_frame(labels=names)
    index = dict(zip(names, regions["index"].astype(int), strict=True))
    table.insert(2, "target_index", table["target"].map(index))
    table.insert(3, "source_index", table["source"].map(index))
    record = {
        **result.settings(),
        "null_distribution": null_distribution,
        "params": dict(params),
    }
    return table, record


def reliable(table: pd.DataFrame, *, q: float, sign_stability: float) -> pd.Series:
    """Links with surrogate ``q ≤ q`` and a sign stable in at least ``sign_stability`` of the resamples."""
    missing = {"q", "sign_stability"} - set(table.columns)
    if missing:
        raise ValueError(f"the reliability table lacks {sorted(missing)}: run it with surrogates and resamples")
    return (table["q"] <= q) & (table["sign_stability"] >= sign_stability)


def group_links(
    tables: Sequence[pd.DataFrame], *, top_fraction: float, test: str = "t", random_state: int = 0
) -> pd.DataFrame:
    """The group test of every link over the regions all subjects share (:func:`zerolag.group_link_test`)."""
    if len(tables) < 2:
        raise ValueError(f"the group test needs at least 2 subjects, got {len(tables)}")
    common = set(tables[0]["target"])
    for t in tables[1:]:
        common &= set(t["target"])
    names = [n for n in dict.fromkeys(tables[0]["target"]) if n in common]
    pos = {n: k for k, n in enumerate(names)}
    networks = np.zeros((len(tables), len(names), len(names)))
    for k, t in enumerate(tables):
        part = t[t["target"].isin(common) & t["source"].isin(common)]
        networks[k, part["target"].map(pos).to_numpy(), part["source"].map(pos).to_numpy()] = part["weight"]
    return group_link_test(networks, test=test, top_fraction=top_fraction, random_state=random_state, labels=names)


def reliability_summary(
    subjects: Sequence[str],
    tables: Sequence[pd.DataFrame],
    group: pd.DataFrame,
    *,
    q: float,
    sign_stability: float,
    top_fraction: float,
) -> pd.DataFrame:
    """One row per subject and one for the group: links tested, reliable, and how they meet the kept links.

    Columns: ``subject`` (``"group"`` for the group's row), ``n_regions``, ``links``, ``kept`` (the strongest
    ``top_fraction``), ``reliable`` (:func:`reliable`; in the group, ``q ≤ q`` of the group test),
    ``reliable_kept`` (reliable among the kept), ``reliable_inhibitory``, ``fraction_kept_reliable``,
    ``smallest_q`` (the least q-value of any link: how far from ``q`` a row with none reliable is), ``q`` and
    ``sign_stability`` (the levels), ``n_subjects``.
    """
    rows = []
    for subject, t in zip(subjects, tables, strict=True):
        ok = reliable(t, q=q, sign_stability=sign_stability)
        kept = t["kept"].astype(bool)
        rows.append(
            {"subject": str(subject), "n_regions": t["target"].nunique(), "links": len(t), "kept": int(kept.sum()),
             "reliable": int(ok.sum()), "reliable_kept": int((ok & kept).sum()),
             "reliable_inhibitory": int((ok & (t["weight"] < 0)).sum()),
             "fraction_kept_reliable": float((ok & kept).sum() / kept.sum()) if kept.sum() else np.nan,
             "smallest_q": float(t["q"].min()), "n_subjects": 1}
        )  # fmt: skip
    n = group["target"].nunique()
    kept = np.asarray(strongest(np.abs(group["mean"].to_numpy()), kept_count(n, top_fraction)))
    ok = (group["q"] <= q).to_numpy()
    rows.append(
        {"subject": "group", "n_regions": n, "links": len(group), "kept": int(kept.sum()), "reliable": int(ok.sum()),
         "reliable_kept": int((ok & kept).sum()), "reliable_inhibitory": int((ok & (group["mean"] < 0)).sum()),
         "fraction_kept_reliable": float((ok & kept).sum() / kept.sum()) if kept.sum() else np.nan,
         "smallest_q": float(group["q"].min()), "n_subjects": int(group["n_subjects"].iloc[0])}
    )  # fmt: skip
    out = pd.DataFrame(rows)
    out["q"], out["sign_stability"] = q, sign_stability
    return out
