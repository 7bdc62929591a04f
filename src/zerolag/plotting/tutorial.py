"""Figures of the Neuromatch "Correlations" tutorial and of the side-by-side answer to it.

Every function takes arrays or the tidy tables of :mod:`zerolag.tutorial.neuromatch` and returns a Figure; no
computation beyond means and standard deviations happens here. Bands are mean ± sd over trials with
``ddof = 0``, as the tutorial's ``corr_data.std(axis=0)``; NaN trials (empty networks) are left out and
the number of trials behind each point is written on the panel when it varies.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import offset_copy

from ..tutorial.neuromatch import QUALITY_MEASURES
from .style import SCORE_COLOURS, SCORE_LABELS, apply_style, panel_label, plt

__all__ = [
    "MEASURE_LABELS",
    "METHOD_LABELS",
    "NETWORK_LABELS",
    "plot_estimate_vs_truth",
    "plot_quality_vs_size",
    "plot_quality_vs_sparsity",
    "plot_coarse_graining",
    "plot_side_by_side",
]

MEASURE_LABELS = {
    "pearson": "Pearson (tutorial)",
    "spearman": "Spearman",
    "kappa_topk": "Cohen's κ (top k)",
    "kappa_median": "Cohen's κ (median split)",
    "quality": "quality (Pearson, all entries)",
    **SCORE_LABELS,
}
MEASURE_COLOURS = {
    "pearson": "#1f77b4",
    "spearman": "#d62728",
    "kappa_topk": "#8c564b",
    "kappa_median": "#e377c2",
    "quality": "#1f77b4",
    **SCORE_COLOURS,
}
METHOD_LABELS = {
    "lagged_correlation": "lagged correlation (tutorial)",
    "zerolag": "zero-lag L1 (paper)",
    "correlation": "zero-lag correlation",
}
METHOD_COLOURS = {"lagged_correlation": "#1f77b4", "zerolag": "#d62728", "correlation": "#7f7f7f"}
NETWORK_LABELS = {"tutorial": "tutorial's sigmoid network", "paper": "paper's linear (OU) network"}


def _require(table: pd.DataFrame, columns: Sequence[str], what: str) -> None:
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"the {what} table lacks columns {missing}; it has {list(table.columns)}")


def _mean_sd(table: pd.DataFrame, x: str, y: str) -> pd.DataFrame:
    """Mean, sd (ddof 0) and count of the finite ``y`` per ``x``, sorted by ``x``."""
    finite = table[np.isfinite(table[y].to_numpy(dtype=float))]
    out = finite.groupby(x)[y].agg(mean="mean", sd=lambda v: float(np.std(v)), count="count")
    return out.sort_index()


def _band(ax: plt.Axes, stats: pd.DataFrame, colour: str, label: str, marker: str = "o") -> None:
    x = stats.index.to_numpy(dtype=float)
    mean, sd = stats["mean"].to_numpy(), stats["sd"].to_numpy()
    ax.plot(x, mean, "-", marker=marker, ms=3, color=colour, label=label)
    ax.fill_between(x, mean - sd, mean + sd, color=colour, alpha=0.2, lw=0)


def _trial_note(ax: plt.Axes, counts: pd.Series) -> None:
    lo, hi = int(counts.min()), int(counts.max())
    text = f"{hi} trials per point" if lo == hi else f"{lo}–{hi} trials per point (NaN trials left out)"
    ax.set_title(text, loc="right", fontsize=8)


def _heatmap(ax: plt.Axes, m: np.ndarray, title: str, *, colorbar: bool = True, ylabel: bool = True) -> None:
    """Signed matrix on a symmetric colour scale (the tutorial's ``coolwarm``), row = target."""
    lim = float(np.nanmax(np.abs(m))) or 1.0
    im = ax.imshow(m, vmin=-lim, vmax=lim, cmap="coolwarm", interpolation="nearest")
    ax.set_title(title)
    ax.set_xlabel("from (source)")
    if ylabel:
        ax.set_ylabel("to (target)")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    if colorbar:
        ax.figure.colorbar(im, ax=ax, shrink=0.7)


def _narrow_label(ax: plt.Axes, letter: str) -> None:
    """Panel letter a fixed distance (in points) left of and above a narrow axes."""
    where = offset_copy(ax.transAxes, fig=ax.figure, x=-34, y=14, units="points")
    ax.text(0, 1, letter, transform=where, fontweight="bold", fontsize=11, va="bottom")


def plot_estimate_vs_truth(
    A: np.ndarray,
    R: np.ndarray,
    *,
    single_estimate: np.ndarray | None = None,
    selected_neuron: int | None = None,
    quality: float | None = None,
) -> plt.Figure:
    """Estimated against true connectivity: one neuron's outgoing weights and the full matrix.

    Parameters
    ----------
    A : array (n, n)
        True connectivity, row = target, column = source.
    R : array (n, n)
        Estimate (e.g. :func:`zerolag.tutorial.neuromatch.correlation_for_all_neurons`), same orientation.
    single_estimate : array (n,) or None
        :func:`zerolag.tutorial.neuromatch.connectivity_from_single_neuron` for ``selected_neuron``; drawn as
        panel a next to ``A[:, selected_neuron]``. ``None``: only the full matrices.
    selected_neuron : int or None
        Required with ``single_estimate``.
    quality : float or None
        Written into the title of the full-matrix estimate (e.g. the tutorial's Pearson quality).
    """
    apply_style()
    A, R = np.asarray(A), np.asarray(R)
    if A.shape != R.shape or A.ndim != 2:
        raise ValueError(f"A and R must be square matrices of equal shape, got {A.shape} and {R.shape}")
    single = single_estimate is not None
    if single and selected_neuron is None:
        raise ValueError("selected_neuron is required with single_estimate")
    n_cols = 4 if single else 2
    ratios = [0.35, 0.35, 1, 1] if single else [1, 1]
    fig, axes = plt.subplots(1, n_cols, figsize=(2.0 + 3.0 * 2, 3.0), gridspec_kw={"width_ratios": ratios})
    if single:
        est = np.asarray(single_estimate).reshape(-1, 1)
        _heatmap(axes[0], est, "estimate", colorbar=False)
        _heatmap(axes[1], A[:, [selected_neuron]], "truth", colorbar=False, ylabel=False)
        for ax in axes[:2]:
            ax.set_xticks([0], [str(selected_neuron)])
        _narrow_label(axes[0], "a")
    full = axes[-2:]
    title = "estimated R" if quality is None else f"estimated R (quality {quality:.3f})"
    _heatmap(full[0], R, title)
    _heatmap(full[1], A, "true A", ylabel=False)
    panel_label(full[0], "b" if single else "a")
    fig.tight_layout()
    return fig


def _quality_panel(
    ax: plt.Axes, table: pd.DataFrame, x: str, measures: Sequence[str], *, chance_line: bool = True
) -> None:
    counts = None
    for key in measures:
        stats = _mean_sd(table, x, key)
        _band(ax, stats, MEASURE_COLOURS.get(key, "k"), MEASURE_LABELS.get(key, key))
        counts = stats["count"] if counts is None else counts.combine(stats["count"], max, fill_value=0)
    if chance_line:
        ax.axhline(0, color="0.6", lw=0.6, ls=":")
    if counts is not None and len(counts):
        _trial_note(ax, counts)
    ax.set_ylim(-0.2, 1.02)


def plot_quality_vs_size(table: pd.DataFrame, *, measures: Sequence[str] = QUALITY_MEASURES) -> plt.Figure:
    """Similarity of ``A`` and ``R`` against network size (the tutorial's Section 2.2, mean ± sd).

    Parameters
    ----------
    table : DataFrame
        :func:`zerolag.tutorial.neuromatch.quality_vs_size`: columns ``n``, ``trial`` and the ``measures``.
    measures : sequence of str
        Columns to draw.
    """
    _require(table, ["n", "trial", *measures], "quality-vs-size")
    apply_style()
    fig, ax = plt.subplots(figsize=(4.2, 3.0))
    _quality_panel(ax, table, "n", measures)
    ax.set_xlabel("number of neurons")
    ax.set_ylabel("similarity of A and R")
    ax.legend(loc="upper right")
    fig.tight_layout()
    return fig


def plot_quality_vs_sparsity(table: pd.DataFrame, *, measures: Sequence[str] = QUALITY_MEASURES) -> plt.Figure:
    """Similarity of ``A`` and ``R`` against the sparsity ``p`` (the tutorial's demo 2.2.2).

    Parameters
    ----------
    table : DataFrame
        :func:`zerolag.tutorial.neuromatch.quality_vs_sparsity`: columns ``p``, ``n`` and the ``measures``.
    """
    _require(table, ["p", "n", *measures], "quality-vs-sparsity")
    apply_style()
    fig, ax = plt.subplots(figsize=(4.2, 3.0))
    _quality_panel(ax, table, "p", measures)
    ax.set_xlabel("sparsity p (probability of no connection)")
    ax.set_ylabel("similarity of A and R")
    sizes = sorted(table["n"].unique())
    ax.text(0.02, 0.02, f"N = {', '.join(map(str, sizes))}", transform=ax.transAxes, fontsize=8)
    ax.legend(loc="upper left")
    fig.tight_layout()
    return fig


def plot_coarse_graining(
    table: pd.DataFrame,
    *,
    measures: Sequence[str] = QUALITY_MEASURES,
    example: tuple[np.ndarray, np.ndarray] | None = None,
) -> plt.Figure:
    """Similarity of the coarse truth and the group-level estimate against neurons per group (bonus 2).

    Parameters
    ----------
    table : DataFrame
        :func:`zerolag.tutorial.neuromatch.coarse_graining`: columns ``group_size``, ``n``, ``trial`` and the
        ``measures``.
    example : (coarse_A, R) or None
        One grouping's true coarse connectivity and estimate, drawn as two extra panels.
    """
    _require(table, ["group_size", "n", "trial", *measures], "coarse-graining")
    apply_style()
    n_cols = 3 if example is not None else 1
    fig, axes = plt.subplots(
        1,
        n_cols,
        figsize=(4.4 + 3.0 * (n_cols - 1), 3.0),
        squeeze=False,
        gridspec_kw={"width_ratios": [1.4] + [1] * (n_cols - 1)},
    )
    ax = axes[0][0]
    _quality_panel(ax, table, "group_size", measures)
    ax.set_xscale("log", base=2)
    sizes = sorted(table["group_size"].unique())
    ax.set_xticks(sizes, [str(s) for s in sizes])
    ax.set_xlabel(f"neurons per group ({', '.join(map(str, sorted(table['n'].unique())))} neurons)")
    ax.set_ylabel("similarity of coarse A and R")
    ax.legend(loc="upper right")
    panel_label(ax, "a")
    if example is not None:
        coarse_a, r = (np.asarray(m) for m in example)
        _heatmap(axes[0][1], r, f"estimated R ({r.shape[0]} groups)")
        _heatmap(axes[0][2], coarse_a, "true coarse A", ylabel=False)
        panel_label(axes[0][1], "b")
    fig.tight_layout()
    return fig


def plot_side_by_side(
    table: pd.DataFrame,
    *,
    measures: Sequence[str] = ("auc", "prs", "pcc", "quality"),
    methods: Sequence[str] | None = ("lagged_correlation", "zerolag"),
    networks: Sequence[str] | None = None,
) -> plt.Figure:
    """Lagged correlation against the zero-lag L1 estimator as the network grows, on two kinds of network.

    Rows: networks (``"tutorial"``: the sigmoid network; ``"paper"``: the linear OU network);
    columns: measures; one line (mean ± sd over repetitions) per method.

    Parameters
    ----------
    table : DataFrame
        Columns ``network``, ``method``, ``n``, ``rep`` and the ``measures`` (e.g. the concatenation of
        :func:`zerolag.tutorial.neuromatch.side_by_side` and
        :func:`zerolag.tutorial.neuromatch.compare_on_activity` rows for the OU network with
        ``network = "paper"``).
    measures : sequence of str
        ``auc``, ``prs``, ``pcc`` (:func:`zerolag.score`, off-diagonal) and ``quality`` (the tutorial's
        Pearson over all entries), or any other numeric column.
    methods : sequence of str or None
        Methods to draw, in this order; ``None``: all in the table.
    networks : sequence of str or None
        Row order; ``None``: ``"tutorial"`` then ``"paper"`` then any others present.
    """
    _require(table, ["network", "method", "n", "rep", *measures], "side-by-side")
    apply_style()
    present = list(dict.fromkeys(table["network"]))
    if networks is None:
        networks = [k for k in ("tutorial", "paper") if k in present] + [k for k in present if k not in NETWORK_LABELS]
    methods = list(dict.fromkeys(table["method"])) if methods is None else list(methods)
    fig, axes = plt.subplots(
        len(networks), len(measures), figsize=(2.5 * len(measures), 2.4 * len(networks)), squeeze=False, sharex="row"
    )
    for i, network in enumerate(networks):
        part = table[table["network"] == network]
        if part.empty:
            raise ValueError(f"the side-by-side table has no rows for network {network!r}; it has {present}")
        for j, key in enumerate(measures):
            ax = axes[i][j]
            counts = None
            for method in methods:
                rows = part[part["method"] == method]
                if rows.empty:
                    continue
                stats = _mean_sd(rows, "n", key)
                _band(ax, stats, METHOD_COLOURS.get(method, "k"), METHOD_LABELS.get(method, method))
                counts = stats["count"] if counts is None else counts.combine(stats["count"], max, fill_value=0)
            ax.axhline(0.5 if key == "auc" else 0.0, color="0.6", lw=0.6, ls=":")
            ax.set_xscale("log")
            sizes = sorted(part["n"].unique())
            ax.set_xticks(sizes, [str(s) for s in sizes])
            ax.minorticks_off()
            ax.set_ylim(-0.25 if key in ("pcc", "quality", "pearson", "spearman") else 0, 1.02)
            if i == 0:
                ax.set_title(MEASURE_LABELS.get(key, key), loc="left")
            if i == len(networks) - 1:
                ax.set_xlabel("network size N")
            if j == 0:
                ax.set_ylabel(NETWORK_LABELS.get(network, network))
                panel_label(ax, "abcdefgh"[i])
            if counts is not None and j == len(measures) - 1:
                lo, hi = int(counts.min()), int(counts.max())
                note = f"{lo}–{hi} reps" if lo != hi else f"{hi} reps"
                ax.text(0.98, 0.02, note, transform=ax.transAxes, ha="right", fontsize=7)
    axes[0][0].legend(loc="lower left", fontsize=7)
    fig.tight_layout()
    return fig
