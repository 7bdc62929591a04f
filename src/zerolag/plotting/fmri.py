"""fMRI figures: Fig. 6 (one subject's network and FC), Fig. 8 (agreement with RIC), Fig. S1B
(strength histograms), the phantom's recovery and the comparison with structural connectivity.
Each is drawn from its tidy table; no computation beyond reshaping."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap

from ..fmri.group import undirected
from .style import SCORE_COLOURS, SCORE_LABELS, apply_style, panel_label, plt

__all__ = ["plot_fig6", "plot_fig8", "plot_figS1B", "plot_phantom", "plot_sc"]

AGREEMENT = ("neither", "only ours", "only RIC", "both")
AGREEMENT_COLOURS = ("#f2f2f2", "#d62728", "#1f77b4", "#2ca02c")


def _matrix(table: pd.DataFrame, column: str) -> np.ndarray:
    n = int(max(table["target_position"].max(), table["source_position"].max())) + 1
    m = np.full((n, n), np.nan)
    m[table["target_position"].to_numpy(), table["source_position"].to_numpy()] = table[column].to_numpy()
    return m


def _blocks(ax: plt.Axes, table: pd.DataFrame) -> None:
    """Lines between the hemisphere blocks and block names on the axes."""
    hemi = table.drop_duplicates("target_position").sort_values("target_position")["target_hemisphere"].fillna("")
    hemi = hemi.replace("", "M").to_numpy()
    edges = np.flatnonzero(hemi[1:] != hemi[:-1]) + 1
    for e in edges:
        ax.axhline(e - 0.5, color="k", lw=0.6)
        ax.axvline(e - 0.5, color="k", lw=0.6)
    starts = np.r_[0, edges]
    ends = np.r_[edges, len(hemi)]
    ax.set_xticks((starts + ends - 1) / 2, hemi[starts])
    ax.set_yticks((starts + ends - 1) / 2, hemi[starts])
    ax.tick_params(length=0)


def plot_fig6(table: pd.DataFrame, *, method: str, fc: str, subject: str) -> plt.Figure:
    """Left: the strongest links of ``method`` (red excitatory, blue inhibitory); right: the FC matrix.

    ``table`` is one subject's network table (``fig6.csv``): positions in hemisphere order,
    hemispheres, ``<method>``, ``<method>_kept`` and ``<fc>`` columns; where it has ``reliable``
    (:func:`zerolag.fmri.reliability.reliable`), a dot marks each kept link that is reliable.
    """
    apply_style()
    g = _matrix(table, method)
    kept = _matrix(table, f"{method}_kept").astype(float)
    shown = np.where(kept > 0, g, np.nan)
    f = _matrix(table, fc)
    fig, axes = plt.subplots(1, 2, figsize=(9.0, 4.3))
    lim = np.nanmax(np.abs(shown))
    im = axes[0].imshow(shown, cmap="RdBu_r", vmin=-lim, vmax=lim, interpolation="nearest")
    axes[0].set_facecolor("white")
    axes[0].set(xlabel="source region (column)", ylabel="target region (row)")
    title = f"{method}: strongest {int(np.nansum(kept))} links, subject {subject}"
    if "reliable" in table:  # dots: kept links that the subject's bootstrap and surrogates support
        marked = (kept > 0) & (_matrix(table, "reliable").astype(float) > 0)
        rows, cols = np.nonzero(marked)
        axes[0].scatter(cols, rows, s=1.5, c="k", marker="o", linewidths=0)
        title += f"\n(dots: {len(rows)} reliable)"
    axes[0].set_title(title)
    fig.colorbar(im, ax=axes[0], shrink=0.8, label="estimated coupling")
    lim_f = np.nanmax(np.abs(f))
    im2 = axes[1].imshow(f, cmap="RdBu_r", vmin=-lim_f, vmax=lim_f, interpolation="nearest")
    axes[1].set(xlabel="region", ylabel="region")
    axes[1].set_title(f"functional connectivity ({fc})")
    fig.colorbar(im2, ax=axes[1], shrink=0.8, label="correlation")
    for ax, letter in zip(axes, "AB", strict=True):
        _blocks(ax, table)
        panel_label(ax, letter)
    fig.tight_layout()
    return fig


def plot_fig8(
    table: pd.DataFrame,
    counts: pd.DataFrame,
    *,
    method: str,
    ric: str,
    subject: str,
    top_fraction: float = 0.1,
    order: str = "symmetrise_first",
) -> plt.Figure:
    """A/B: undirected binary networks of ``method`` and ``ric`` (example subject, made in ``order`` by
    :func:`zerolag.fmri.group.undirected`); C: their agreement per pair; D: both / neither / only-one counts
    for every subject (the rows of ``counts`` in that ``order``)."""
    apply_style()
    # the table has no diagonal rows (NaN in the matrix): no self-links
    a = undirected(np.nan_to_num(_matrix(table, method)), top_fraction, order)
    b = undirected(np.nan_to_num(_matrix(table, ric)), top_fraction, order)
    cat = (a & ~b) * 1 + (~a & b) * 2 + (a & b) * 3
    np.fill_diagonal(cat, 0)
    if "order" in counts:
        counts = counts[counts["order"] == order].reset_index(drop=True)
    fig, axes = plt.subplots(1, 4, figsize=(13.0, 3.6), gridspec_kw={"width_ratios": [1, 1, 1, 1.2]})
    for ax, m, title in ((axes[0], a, f"{method} (symmetrised)"), (axes[1], b, ric)):
        ax.imshow(m, cmap=ListedColormap(["white", "black"]), interpolation="nearest")
        ax.set_title(f"{title}: {int(np.triu(m, 1).sum())} pairs")
    axes[2].imshow(cat, cmap=ListedColormap(AGREEMENT_COLOURS), vmin=-0.5, vmax=3.5, interpolation="nearest")
    axes[2].set_title(f"agreement, subject {subject}")
    for k, name in enumerate(AGREEMENT):
        axes[2].plot([], [], "s", color=AGREEMENT_COLOURS[k], label=name)
    axes[2].legend(loc="upper left", bbox_to_anchor=(0, -0.08), ncol=2, fontsize=7)
    for ax in axes[:3]:
        _blocks(ax, table)
    keys = ("both", "only_ours", "only_theirs")
    x = np.arange(len(counts))
    bottom = np.zeros(len(counts))
    for key, colour, label in zip(
        keys, AGREEMENT_COLOURS[::-1][:1] + AGREEMENT_COLOURS[1:3], ("both", "only ours", "only RIC"), strict=True
    ):
        axes[3].bar(x, counts[key], bottom=bottom, color=colour, label=label)
        bottom += counts[key].to_numpy()
    axes[3].set_xticks(x, counts["subject"].astype(str), rotation=60, fontsize=7)
    agree = counts["agree"] / counts["pairs"]
    axes[3].set(
        ylabel="undirected pairs", title=f"agree on {agree.mean():.1%} of {int(counts['pairs'].iloc[0])} pairs (mean)"
    )
    axes[3].legend(fontsize=7)
    for ax, letter in zip(axes, "ABCD", strict=True):
        panel_label(ax, letter)
    fig.tight_layout()
    return fig


def plot_figS1B(table: pd.DataFrame, *, method: str) -> plt.Figure:
    """One histogram of estimated strengths per subject before thresholding, with the ±threshold."""
    apply_style()
    subjects = list(dict.fromkeys(table["subject"].astype(str)))
    cols = min(4, len(subjects))
    rows = int(np.ceil(len(subjects) / cols))
    fig, axes = plt.subplots(rows, cols, figsize=(2.6 * cols, 2.1 * rows), squeeze=False, sharex=True)
    for ax, s in zip(axes.flat, subjects, strict=False):
        part = table[table["subject"].astype(str) == s]
        left, right = part["bin_left"].to_numpy(), part["bin_right"].to_numpy()
        ax.bar(left, part["count"], width=right - left, align="edge", color="#555555")
        thr = part["threshold"].iloc[0]
        for t in (-thr, thr):
            ax.axvline(t, color="#d62728", lw=0.8, ls="--")
        ax.set_yscale("log")
        ax.set_title(f"subject {s}", fontsize=8)
    for ax in axes.flat[len(subjects) :]:
        ax.set_visible(False)
    for ax in axes[-1]:
        ax.set_xlabel(f"{method} strength")
    for ax in axes[:, 0]:
        ax.set_ylabel("links")
    fig.tight_layout()
    return fig


def plot_phantom(table: pd.DataFrame, truth: pd.DataFrame) -> plt.Figure:
    """A: the phantom's true network; B: the estimate from the NIfTI; C: AUC/PRS/PCC per method and source.

    ``truth`` is the example network table with ``true`` and ``estimate`` columns and positions.
    """
    apply_style()
    fig, axes = plt.subplots(1, 3, figsize=(12.0, 3.8), gridspec_kw={"width_ratios": [1, 1, 1.4]})
    g, e = _matrix(truth, "true"), _matrix(truth, "estimate")
    for ax, m, title in ((axes[0], g, "true network"), (axes[1], e, "estimated from the NIfTI")):
        lim = np.nanmax(np.abs(m))
        im = ax.imshow(m, cmap="RdBu_r", vmin=-lim, vmax=lim, interpolation="nearest")
        ax.set_title(title)
        _blocks(ax, truth)
        fig.colorbar(im, ax=ax, shrink=0.75)
    axes[0].set(xlabel="source", ylabel="target")
    sources = list(dict.fromkeys(table["source"]))
    methods = list(dict.fromkeys(table["method"]))
    keys = ("auc", "prs", "pcc")
    groups = [(m, s) for m in methods for s in sources]
    width = 0.8 / len(keys)
    x = np.arange(len(groups))
    ax = axes[2]
    for k, key in enumerate(keys):
        means = [table[(table["method"] == m) & (table["source"] == s)][key].mean() for m, s in groups]
        ax.bar(x + (k - 1) * width, means, width, color=SCORE_COLOURS[key], label=SCORE_LABELS[key])
        for xi, (m, s) in zip(x, groups, strict=True):
            vals = table[(table["method"] == m) & (table["source"] == s)][key]
            ax.plot(np.full(len(vals), xi + (k - 1) * width), vals, "k.", ms=2)
    ax.set_xticks(x, [f"{m}\n{s}" for m, s in groups], rotation=60, fontsize=6, ha="right")
    ax.set(ylim=(min(0, np.nanmin(table[list(keys)].to_numpy()) - 0.05), 1.05), ylabel="score")
    ax.axhline(0.5, color="grey", lw=0.5, ls=":")
    ax.legend(loc="upper right", ncol=3, fontsize=7)
    for a, letter in zip(axes, "ABC", strict=True):
        panel_label(a, letter)
    fig.tight_layout()
    return fig


def plot_sc(table: pd.DataFrame) -> plt.Figure:
    """Each method's symmetrised |network| against structural connectivity, one dot per subject."""
    apply_style()
    keys = [k for k in ("auc_sc_top", "auc_sc_positive", "spearman", "pearson_log") if table[k].notna().any()]
    labels = {
        "auc_sc_top": "AUC (SC in top fraction)",
        "auc_sc_positive": "AUC (SC > 0)",
        "spearman": "Spearman with SC (= with log SC)",
        "pearson_log": "Pearson with log SC",
    }
    methods = list(dict.fromkeys(table["method"]))
    fig, axes = plt.subplots(1, len(keys), figsize=(3.0 * len(keys), 3.0), squeeze=False)
    for ax, key in zip(axes[0], keys, strict=True):
        for k, m in enumerate(methods):
            vals = table[table["method"] == m][key]
            ax.bar(k, vals.mean(), 0.7, color="#bbbbbb")
            ax.plot(np.full(len(vals), k), vals, "k.", ms=3)
        ax.set_xticks(range(len(methods)), methods, rotation=45, ha="right", fontsize=7)
        ax.set_title(labels[key], fontsize=8)
        if key.startswith("auc"):
            ax.axhline(0.5, color="grey", lw=0.5, ls=":")
            ax.set_ylim(0, 1)
    fig.tight_layout()
    return fig
