"""Thresholded networks and the paper's group statistics (Schiefer et al. 2018, Results, fMRI data).

A network is thresholded by keeping its strongest ``round(top_fraction · N²)`` off-diagonal entries by
magnitude, whatever their sign: the paper's count (10 % of 90² = 810 links per subject). Counts are over
off-diagonal entries: ``N (N − 1)`` directed links and ``N (N − 1) / 2`` undirected pairs (the paper's
8100 and 4050 are ``90²`` and ``90² / 2``).

Undirected (symmetrised, binary) networks, as in the paper's comparison with RIC, are made the paper's
way by default: each weighted network is symmetrised first (a pair's strength is the larger of its two
magnitudes) and then its strongest ``round(top_fraction · N² / 2)`` pairs are kept (405 of 4050 pairs for
90 regions, so that ours and RIC's together hold ≈ 810, as the paper's counts imply). The other order,
threshold the directed network and then keep a pair if either direction is kept, is kept as the variant
``order="threshold_first"``; it gives a directed network up to twice as many pairs as a symmetric one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from scipy import stats

from ..scoring.metrics import kept_count, strongest

__all__ = [
    "topography",
    "threshold",
    "symmetrise",
    "undirected",
    "subject_statistics",
    "group_statistics",
    "agreement",
    "chance_consistent",
    "agreement_matrix",
    "network_table",
]


def _check_square(g: np.ndarray, name: str = "network") -> np.ndarray:
    g = np.asarray(g, dtype=float)
    if g.ndim != 2 or g.shape[0] != g.shape[1] or g.shape[0] < 2:
        raise ValueError(f"{name} must be a square matrix of at least 2 regions, got shape {g.shape}")
    if not np.all(np.isfinite(g)):
        raise ValueError(f"{name} contains NaN or inf")
    return g


def threshold(g: np.ndarray, top_fraction: float = 0.1) -> np.ndarray:
    """Boolean matrix of the strongest ``top_fraction`` of ``|g|`` (ties broken by position).

    ``k = round(top_fraction · N²)`` off-diagonal entries are kept (:func:`zerolag.scoring.metrics.kept_count`,
    the paper's count); the diagonal is never kept.
    """
    g = _check_square(g)
    n = g.shape[0]
    off = ~np.eye(n, dtype=bool)
    out = np.zeros((n, n), dtype=bool)
    out[off] = strongest(np.abs(g[off]), kept_count(n, top_fraction))
    return out


def symmetrise(kept: np.ndarray) -> np.ndarray:
    """Undirected binary network: pair {i, j} present if i → j or j → i is."""
    kept = np.asarray(kept, dtype=bool)
    return kept | kept.T


ORDERS = ("symmetrise_first", "threshold_first")


def undirected(g: np.ndarray, top_fraction: float = 0.1, order: str = "symmetrise_first") -> np.ndarray:
    """Symmetric binary network of one weighted network (diagonal False).

    ``order="symmetrise_first"`` (the paper's): a pair's strength is ``max(|g_ij|, |g_ji|)`` and the
    strongest ``round(top_fraction · N² / 2)`` pairs are kept. ``"threshold_first"``: :func:`threshold`,
    then :func:`symmetrise` (a pair is present if either direction is kept).
    """
    if order == "threshold_first":
        return symmetrise(threshold(g, top_fraction))
    if order != "symmetrise_first":
        raise ValueError(f"order must be one of {ORDERS}, got {order!r}")
    if not 0 < top_fraction <= 1:
        raise ValueError(f"top_fraction must lie in (0, 1], got {top_fraction}")
    g = _check_square(g)
    n = g.shape[0]
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    pair_strength = np.maximum(np.abs(g), np.abs(g).T)[upper]
    out = np.zeros((n, n), dtype=bool)
    out[upper] = strongest(pair_strength, min(int(round(top_fraction * n * n / 2)), pair_strength.size))
    return out | out.T


def subject_statistics(g: np.ndarray, top_fraction: float = 0.1) -> dict[str, float]:
    """Links kept, inhibitory fraction, bidirectional and unidirectional links of one thresholded network.

    ``bidirectional`` counts kept links whose reverse is kept too (each such pair counts twice, as in
    the paper's 245 + 565 = 810); ``unidirectional`` the others.
    """
    g = _check_square(g)
    kept = threshold(g, top_fraction)
    links = int(kept.sum())
    both = int((kept & kept.T).sum())
    return {
        "n_regions": g.shape[0],
        "links": links,
        "possible_links": g.shape[0] * (g.shape[0] - 1),
        "inhibitory": int((kept & (g < 0)).sum()),
        "fraction_inhibitory": float((kept & (g < 0)).sum() / links) if links else np.nan,
        "bidirectional": both,
        "unidirectional": links - both,
        "threshold": float(np.min(np.abs(g[kept]))) if links else np.nan,
    }


def chance_consistent(n_entries: int, top_fraction: float, n_subjects: int, min_subjects: int) -> float:
    """Expected number of entries kept in ≥ ``min_subjects`` of ``n_subjects`` independent random networks."""
    return float(n_entries * stats.binom.sf(min_subjects - 1, n_subjects, top_fraction))


def group_statistics(
    networks: Sequence[np.ndarray], top_fraction: float = 0.1, min_subjects: int = 4, order: str = "symmetrise_first"
) -> dict[str, float]:
    """The paper's group numbers for one method over subjects (all networks over the same regions).

    Returns
    -------
    dict
        ``n_subjects``, ``links_per_subject`` (mean), ``fraction_inhibitory`` (mean and ``_sd``),
        ``bidirectional`` / ``unidirectional`` (means), ``consistent_links`` (directed entries kept in
        ≥ ``min_subjects`` subjects) and its fraction of ``links_per_subject``, ``chance_consistent``
        (expected for independent random networks), ``absent_in_all`` (entries kept in no subject),
        ``possible_links``, and for the undirected networks (:func:`undirected`, made in ``order``)
        ``pairs_per_subject``, ``consistent_pairs``, ``absent_pairs_in_all`` and ``possible_pairs``.
    """
    if len(networks) == 0:
        raise ValueError("no subjects: the group statistics need at least one network")
    gs = [_check_square(g, f"network of subject {i}") for i, g in enumerate(networks)]
    if len({g.shape for g in gs}) != 1:
        raise ValueError(
            f"networks of different sizes {sorted({g.shape for g in gs})}: use the same regions for every subject"
        )
    if not min_subjects >= 1:
        raise ValueError(f"min_subjects must be at least 1, got {min_subjects}")
    n = gs[0].shape[0]
    per = [subject_statistics(g, top_fraction) for g in gs]
    kept = np.array([threshold(g, top_fraction) for g in gs])
    count = kept.sum(axis=0)
    off = ~np.eye(n, dtype=bool)
    pairs = np.array([undirected(g, top_fraction, order) for g in gs])
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    pair_count = pairs.sum(axis=0)[upper]
    links = float(np.mean([s["links"] for s in per]))
    consistent = int((count[off] >= min_subjects).sum())
    inhib = np.array([s["fraction_inhibitory"] for s in per])
    return {
        "n_subjects": len(gs),
        "n_regions": n,
        "possible_links": n * (n - 1),
        "links_per_subject": links,
        "fraction_inhibitory": float(np.mean(inhib)),
        "fraction_inhibitory_sd": float(np.std(inhib, ddof=1)) if len(gs) > 1 else 0.0,
        "bidirectional": float(np.mean([s["bidirectional"] for s in per])),
        "unidirectional": float(np.mean([s["unidirectional"] for s in per])),
        "min_subjects": min_subjects,
        "consistent_links": consistent,
        "consistent_fraction": consistent / links if links else np.nan,
        "chance_consistent": chance_consistent(n * (n - 1), top_fraction, len(gs), min_subjects),
        "absent_in_all": int((count[off] == 0).sum()),
        "possible_pairs": n * (n - 1) // 2,
        "pairs_per_subject": float(np.mean([p[upper].sum() for p in pairs])),
        "consistent_pairs": int((pair_count >= min_subjects).sum()),
        "absent_pairs_in_all": int((pair_count == 0).sum()),
    }


NEIGHBOUR_DISTANCE = 2
"""Regions at most this many places apart in their hemisphere's atlas order count as neighbours."""


def topography(
    kept: np.ndarray, names: Sequence[str], neighbour_distance: int = NEIGHBOUR_DISTANCE
) -> dict[str, float]:
    """Where a thresholded network's links lie on the brain (the paper's remarks on Fig. 6).

    The paper notes that close-by areas are more often connected (links along the secondary diagonals
    of the within-hemisphere blocks) and that corresponding areas of the two hemispheres often are (the
    diagonals of the across-hemisphere blocks). Measured here as enrichments: the fraction of a kind of
    entry that is kept, over the fraction kept among all entries it is drawn from (1 = no preference).

    Parameters
    ----------
    kept : bool array (N, N)
        A thresholded network (:func:`threshold`).
    names : sequence of str
        Region names, row r = column r (hemisphere and homotopic partner read from the name, as
        :func:`zerolag.fmri.labels.hemisphere_order` pairs them).
    neighbour_distance : int
        Within a hemisphere, regions at most this many places apart in atlas order are neighbours.

    Returns
    -------
    dict
        ``homotopic_enrichment`` (left–right partner entries, both directions, against all
        off-diagonal entries), ``neighbour_enrichment`` (within-hemisphere neighbours against all
        within-hemisphere entries), and the counts ``homotopic_entries``, ``neighbour_entries``. NaN
        where a kind of entry does not occur (e.g. no hemisphere in the names).
    """
    from .labels import _base, hemisphere

    kept = np.asarray(kept, dtype=bool)
    n = kept.shape[0]
    if kept.shape != (n, n) or len(names) != n:
        raise ValueError(f"kept is {kept.shape} for {len(names)} names: give one name per row and column")
    side = np.array([hemisphere(str(x)) for x in names], dtype=object)
    base = np.array([_base(str(x)) for x in names], dtype=object)
    position = np.zeros(n, dtype=int)  # place within its hemisphere, in atlas order
    for h in ("L", "R"):
        position[side == h] = np.arange(int((side == h).sum()))
    off = ~np.eye(n, dtype=bool)
    lateral = (side != "")[:, None] & (side != "")[None, :]
    same = lateral & (side[:, None] == side[None, :]) & off
    homotopic = lateral & (side[:, None] != side[None, :]) & (base[:, None] == base[None, :])
    near = same & (np.abs(position[:, None] - position[None, :]) <= neighbour_distance)

    def rate(mask: np.ndarray) -> float:
        return float(kept[mask].mean()) if mask.any() else np.nan

    density, within = rate(off), rate(same)
    return {
        "homotopic_enrichment": rate(homotopic) / density if density else np.nan,
        "neighbour_enrichment": rate(near) / within if within else np.nan,
        "homotopic_entries": int(homotopic.sum()),
        "neighbour_entries": int(near.sum()),
    }


def agreement(
    ours: np.ndarray, theirs: np.ndarray, top_fraction: float = 0.1, order: str = "symmetrise_first"
) -> dict[str, int]:
    """Agreement of two methods' undirected binary networks (the paper's comparison with RIC).

    Each network is made undirected by :func:`undirected` in ``order`` (by default the paper's:
    symmetrise, then threshold). Returns counts over the ``N (N − 1) / 2`` undirected pairs:
    ``both``, ``neither``, ``only_ours``, ``only_theirs``, and ``agree = both + neither``.
    """
    a, b = _check_square(ours, "our network"), _check_square(theirs, "the other network")
    if a.shape != b.shape:
        raise ValueError(f"networks of different sizes {a.shape} and {b.shape}")
    n = a.shape[0]
    upper = np.triu(np.ones((n, n), dtype=bool), 1)
    x, y = undirected(a, top_fraction, order)[upper], undirected(b, top_fraction, order)[upper]
    out = {
        "pairs": int(upper.sum()),
        "both": int((x & y).sum()),
        "neither": int((~x & ~y).sum()),
        "only_ours": int((x & ~y).sum()),
        "only_theirs": int((~x & y).sum()),
    }
    out["agree"] = out["both"] + out["neither"]
    return out


def agreement_matrix(
    ours: np.ndarray, theirs: np.ndarray, top_fraction: float = 0.1, order: str = "symmetrise_first"
) -> np.ndarray:
    """Per pair 0 = neither, 1 = only ours, 2 = only theirs, 3 = both (symmetric, diagonal 0), as :func:`agreement`."""
    x, y = undirected(ours, top_fraction, order), undirected(theirs, top_fraction, order)
    return (x & ~y) * 1 + (~x & y) * 2 + (x & y) * 3


def network_table(g: np.ndarray, labels: pd.DataFrame, top_fraction: float = 0.1, name: str = "weight") -> pd.DataFrame:
    """Tidy network: one row per directed off-diagonal entry (target = row, source = column), with labels.

    Columns: ``target``, ``source`` (region names), ``target_index``, ``source_index`` (atlas values),
    ``target_hemisphere``, ``source_hemisphere``, ``<name>``, ``kept`` (strongest ``top_fraction``).
    """
    g = _check_square(g)
    if len(labels) != g.shape[0]:
        raise ValueError(f"{len(labels)} labels for a network of {g.shape[0]} regions")
    n = g.shape[0]
    i, j = np.nonzero(~np.eye(n, dtype=bool))
    kept = threshold(g, top_fraction)
    lab = labels.reset_index(drop=True)
    return pd.DataFrame(
        {
            "target": lab["name"].to_numpy()[i],
            "source": lab["name"].to_numpy()[j],
            "target_index": lab["index"].to_numpy()[i],
            "source_index": lab["index"].to_numpy()[j],
            "target_hemisphere": lab["hemisphere"].to_numpy()[i],
            "source_hemisphere": lab["hemisphere"].to_numpy()[j],
            name: g[i, j],
            "kept": kept[i, j],
        }
    )
