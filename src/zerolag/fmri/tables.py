"""The fMRI branch's tidy tables: per-subject network tables and the group, agreement, histogram,
structure and phantom tables built from them (what the workflow's table rules write)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from ..scoring.metrics import score
from .anatomy import compare_with_structure
from .group import ORDERS, agreement, group_statistics, network_table, subject_statistics, threshold, topography
from .labels import hemisphere_order

__all__ = [
    "PAPER_VALUES",
    "PAPER_CONSISTENT_PAIRS",
    "subject_network_table",
    "matrices",
    "group_table",
    "agreement_table",
    "strength_histograms",
    "structure_table",
    "phantom_tables",
]

#: The paper's values for its 7 MREG subjects (90 AAL regions; counts over 90² = 8100 entries).
PAPER_VALUES = {
    "links_per_subject": 810,
    "fraction_inhibitory": 0.34,
    "bidirectional": 245,
    "unidirectional": 565,
    "consistent_links": 301,
    "consistent_fraction": 0.37,
    "chance_consistent": 25,
    "absent_in_all": 4872,
    "possible_links": 8100,
    "agreement_both": 290.5,
    "agreement_neither": 3530.5,
    "agreement_agree": 3821,
    "agreement_disagree": 229,
    "possible_pairs": 4050,
}
#: The paper's undirected pairs (symmetrised networks) kept in ≥ 4 of its 7 subjects, per method.
PAPER_CONSISTENT_PAIRS = {"ours": 392, "ric": 376}


def _block(t: str, s: str) -> str:
    return f"{s or 'M'}→{t or 'M'}"


def subject_network_table(
    estimates: Mapping[str, np.ndarray], regions: pd.DataFrame, *, top_fraction: float = 0.1
) -> pd.DataFrame:
    """One subject's networks: a row per directed pair with labels, hemisphere-ordered positions, the
    block (source → target hemisphere) and every method's weight and ``<method>_kept`` flag."""
    names = regions["name"].astype(str).tolist()
    order, _ = hemisphere_order(names)
    position = np.empty(len(names), dtype=int)
    position[order] = np.arange(len(names))
    first = next(iter(estimates))
    table = network_table(estimates[first], regions, top_fraction, name=first)
    table = table.rename(columns={"kept": f"{first}_kept"})
    n = len(names)
    i, j = np.nonzero(~np.eye(n, dtype=bool))
    table.insert(6, "target_position", position[i])
    table.insert(7, "source_position", position[j])
    table.insert(
        8, "block", [_block(a, b) for a, b in zip(table["target_hemisphere"], table["source_hemisphere"], strict=True)]
    )
    for m, g in list(estimates.items())[1:]:
        if g.shape != (n, n):
            raise ValueError(f"estimate {m} has shape {g.shape}, not ({n}, {n}) as the regions")
        table[m] = g[i, j]
        table[f"{m}_kept"] = threshold(g, top_fraction)[i, j]
    return table


def matrices(tables: Sequence[pd.DataFrame], method: str) -> tuple[list[np.ndarray], list[str]]:
    """Every subject's ``method`` matrix over the regions all subjects share (hemisphere order of the first)."""
    common = set(tables[0]["target"])
    for t in tables[1:]:
        common &= set(t["target"])
    first = tables[0].drop_duplicates("target").sort_values("target_position")
    names = [n for n in first["target"] if n in common]
    pos = {n: k for k, n in enumerate(names)}
    out = []
    for t in tables:
        part = t[t["target"].isin(common) & t["source"].isin(common)]
        m = np.zeros((len(names), len(names)))
        m[part["target"].map(pos).to_numpy(), part["source"].map(pos).to_numpy()] = part[method].to_numpy()
        out.append(m)
    return out, names


def group_table(
    tables: Sequence[pd.DataFrame],
    methods: Sequence[str],
    *,
    ours: str,
    ric: str,
    top_fraction: float = 0.1,
    min_subjects: int = 4,
) -> pd.DataFrame:
    """The paper's group numbers for every method, long format: ``method``, ``statistic``, ``value``, ``paper``.

    Agreement rows (``agreement_*``, means over subjects of :func:`~zerolag.fmri.group.agreement`) are
    given for ``ours`` against ``ric``. Undirected counts (pairs, agreement) are made the paper's way
    (symmetrise, then threshold); the same counts made the other way (threshold the directed network, then
    symmetrise) follow with the suffix ``_threshold_first``, and have no paper value. Where the links lie
    (``homotopic_enrichment``, ``neighbour_enrichment``: :func:`~zerolag.fmri.group.topography`, means over
    subjects) has no paper number either: the paper describes it in words (Fig. 6).
    """
    if not tables:
        raise ValueError("no subjects: the group table needs at least one subject's network")
    pair_keys = ("pairs_per_subject", "consistent_pairs", "absent_pairs_in_all")
    rows = []
    for m in methods:
        gs, names = matrices(tables, m)
        stats_ = group_statistics(gs, top_fraction, min_subjects)
        variant = group_statistics(gs, top_fraction, min_subjects, order="threshold_first")
        stats_.update({f"{key}_threshold_first": variant[key] for key in pair_keys})
        where = pd.DataFrame([topography(threshold(g, top_fraction), names) for g in gs]).mean()
        stats_.update({key: where[key] for key in ("homotopic_enrichment", "neighbour_enrichment")})
        for key, value in stats_.items():
            paper = PAPER_VALUES.get(key, np.nan) if m == ours else np.nan
            if m == ric and key == "consistent_pairs":
                paper = PAPER_CONSISTENT_PAIRS["ric"]
            if m == ours and key == "consistent_pairs":
                paper = PAPER_CONSISTENT_PAIRS["ours"]
            rows.append({"method": m, "statistic": key, "value": float(value), "paper": paper})
    a, _ = matrices(tables, ours)
    b, _ = matrices(tables, ric)
    for order, suffix in (("symmetrise_first", ""), ("threshold_first", "_threshold_first")):
        agree = pd.DataFrame([agreement(x, y, top_fraction, order) for x, y in zip(a, b, strict=True)])
        agree["disagree"] = agree["only_ours"] + agree["only_theirs"]
        for key in ("both", "neither", "only_ours", "only_theirs", "agree", "disagree"):
            rows.append(
                {
                    "method": f"{ours} vs {ric}",
                    "statistic": f"agreement_{key}{suffix}",
                    "value": float(agree[key].mean()),
                    "paper": PAPER_VALUES.get(f"agreement_{key}", np.nan) if not suffix else np.nan,
                }
            )
    rows.append(
        {
            "method": f"{ours} vs {ric}",
            "statistic": "possible_pairs",
            "value": float(agree["pairs"].iloc[0]),
            "paper": PAPER_VALUES["possible_pairs"],
        }
    )
    return pd.DataFrame(rows)


def agreement_table(
    tables: Sequence[pd.DataFrame], subjects: Sequence[str], *, ours: str, ric: str, top_fraction: float = 0.1
) -> pd.DataFrame:
    """Per subject and ``order``: both / neither / only ours / only RIC / agree counts over undirected pairs.

    ``order`` is ``symmetrise_first`` (the paper's: symmetrise each weighted network, then keep its strongest
    pairs) or ``threshold_first`` (threshold the directed network, then keep a pair if either direction is kept).
    """
    if len(tables) != len(subjects):
        raise ValueError(f"{len(tables)} network tables for {len(subjects)} subjects")
    rows = []
    for order in ORDERS:
        for s, t in zip(subjects, tables, strict=True):
            (a,), _ = matrices([t], ours)
            (b,), _ = matrices([t], ric)
            rows.append({"subject": s, "order": order, **agreement(a, b, top_fraction, order)})
    return pd.DataFrame(rows)


def strength_histograms(
    tables: Sequence[pd.DataFrame], subjects: Sequence[str], *, method: str, top_fraction: float = 0.1, bins: int = 60
) -> pd.DataFrame:
    """Histogram of each subject's off-diagonal strengths (one common set of bins) and its threshold."""
    values = [t[method].to_numpy() for t in tables]
    lim = max(np.max(np.abs(v)) for v in values)
    edges = np.linspace(-lim, lim, bins + 1)
    rows = []
    for s, t, v in zip(subjects, tables, values, strict=True):
        (g,), _ = matrices([t], method)
        st = subject_statistics(g, top_fraction)
        counts, _ = np.histogram(v, edges)
        for k in range(bins):
            rows.append(
                {
                    "subject": s,
                    "bin_left": edges[k],
                    "bin_right": edges[k + 1],
                    "count": int(counts[k]),
                    "threshold": st["threshold"],
                    "fraction_inhibitory": st["fraction_inhibitory"],
                }
            )
    return pd.DataFrame(rows)


def structure_table(
    tables: Sequence[pd.DataFrame],
    scs: Sequence[np.ndarray],
    subjects: Sequence[str],
    methods: Sequence[str],
    *,
    sc_top_fraction: float = 0.1,
) -> pd.DataFrame:
    """Per subject and method: :func:`~zerolag.fmri.anatomy.compare_with_structure` against that subject's SC.

    The SC matrix is in the regions' original order (that of the labels beside it); the network
    tables carry each region's original row (``target`` order of appearance).
    """
    rows = []
    for s, t, sc in zip(subjects, tables, scs, strict=True):
        names = list(dict.fromkeys(t["target"]))  # original order: rows were written target by target
        if sc.shape != (len(names), len(names)):
            raise ValueError(f"subject {s}: SC is {sc.shape} for {len(names)} regions")
        pos = {n: k for k, n in enumerate(names)}
        i, j = t["target"].map(pos).to_numpy(), t["source"].map(pos).to_numpy()
        for m in methods:
            g = np.zeros((len(names), len(names)))
            g[i, j] = t[m].to_numpy()
            rows.append({"subject": s, "method": m, **compare_with_structure(g, sc, sc_top_fraction=sc_top_fraction)})
    return pd.DataFrame(rows)


def _by_index(t: pd.DataFrame, method: str, index: np.ndarray) -> np.ndarray:
    pos = {int(v): k for k, v in enumerate(index)}
    part = t[t["target_index"].isin(pos) & t["source_index"].isin(pos)]
    g = np.zeros((len(index), len(index)))
    g[part["target_index"].map(pos).to_numpy(), part["source_index"].map(pos).to_numpy()] = part[method].to_numpy()
    return g


def phantom_tables(
    *,
    nifti: Sequence[pd.DataFrame],
    regions: Sequence[pd.DataFrame],
    truths: Sequence[Mapping[str, np.ndarray]],
    signals: Sequence[np.ndarray],
    references: Sequence[np.ndarray],
    subjects: Sequence[str],
    methods: Sequence[str],
    estimator: str | None = None,
    top_fraction: float = 0.1,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Scores of every method against the phantom's network, from the NIfTI and from the true region signals.

    Returns the score table (subject × source × method: AUC, PRS, PCC, counts, the number of regions
    recovered, and for the NIfTI the median correlation of the cleaned region signals with the true
    ones) and the first subject's example (positions, ``true``, ``estimate`` of ``estimator`` — default the first
    method — from the NIfTI).
    """
    rows = []
    for s, tn, tr, truth, x, ref in zip(subjects, nifti, regions, truths, signals, references, strict=True):
        index = np.asarray(truth["index"])
        recovered = np.asarray(list(dict.fromkeys(tn["target_index"])))
        common = np.array([v for v in index if v in set(recovered.tolist())])
        keep = np.isin(index, common)
        g = np.asarray(truth["g"])[np.ix_(keep, keep)]
        col = {int(v): k for k, v in enumerate(recovered)}
        corr = [np.corrcoef(x[:, col[int(v)]], ref[:, k])[0, 1] for k, v in enumerate(index) if int(v) in col]
        for source, t in (("nifti", tn), ("regions", tr)):
            for m in methods:
                est = _by_index(t, m, common)
                row = {"subject": s, "source": source, "method": m, "n_regions": len(index), "n_recovered": len(common)}
                row.update(score(g, est, top_fraction=top_fraction))
                row["signal_correlation_median"] = float(np.median(corr)) if source == "nifti" else 1.0
                rows.append(row)
    t0, truth0 = nifti[0], truths[0]
    index = np.asarray(truth0["index"])
    first = estimator or methods[0]
    ex = t0[
        [
            "target",
            "source",
            "target_index",
            "source_index",
            "target_hemisphere",
            "source_hemisphere",
            "target_position",
            "source_position",
            first,
        ]
    ].copy()
    pos = {int(v): k for k, v in enumerate(index)}
    g = np.asarray(truth0["g"])
    ex["true"] = g[ex["target_index"].map(pos).to_numpy(), ex["source_index"].map(pos).to_numpy()]
    ex = ex.rename(columns={first: "estimate"})
    ex.insert(0, "subject", subjects[0])
    return pd.DataFrame(rows), ex
