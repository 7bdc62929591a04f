"""Zero-lag against long-run input (beyond the paper): scores against data length per kind of data, the lag
diagnostic's verdicts, and recovery under unequal driving noise."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .style import SCORE_LABELS, apply_style, panel_label, plt

__all__ = ["plot_lag_inputs"]

INPUT_STYLES = {
    "zero_lag": {"color": "#1f77b4", "marker": "o", "label": "zero-lag covariance"},
    "long_run": {"color": "#d62728", "marker": "s", "label": "long-run covariance"},
}
REFERENCE_STYLE = {"ls": "--", "lw": 0.9, "marker": None, "alpha": 0.8}
"""The partial-correlation reference of an input: that input's colour, dashed, no markers."""
OUTPUT_STYLES = {
    "G_est": {"color": "#7f7f7f", "marker": "o", "label": "G_est (plain)"},
    "G_norm": {"color": "#1f77b4", "marker": "s", "label": "G_norm"},
    "G_norm_noise_aware": {"color": "#2ca02c", "marker": "^", "label": "G_norm, noise_aware"},
}
VERDICT_COLOURS = {"zero_lag": "#c6dbef", "long_run": "#fcbba1", "undetermined": "#e0e0e0"}
KIND_TITLES = {
    "iid": "independent samples",
    "ar1": "AR(1): x_t = G x_{t−1} + ξ",
    "ou": "OU, no HRF",
    "bold": "OU + HRF (BOLD)",
}
SCORES = ("auc", "prs", "pcc")


def _samples(t: float) -> str:
    return f"{t / 1000:g}k" if t >= 1000 else f"{t:g}"


def _verdict_grid(ax: plt.Axes, lag: pd.DataFrame, kinds: list[str], lengths: list[int]) -> None:
    """Kinds × lengths: the most frequent verdict (colour), its count, and the mean agreement."""
    one = lag[lag["input"] == lag["input"].iloc[0]]  # the diagnostic is per series, on both inputs' rows
    codes = {v: i for i, v in enumerate(VERDICT_COLOURS)}
    grid = np.zeros((len(kinds), len(lengths)))
    for i, kind in enumerate(kinds):
        for j, length in enumerate(lengths):
            cell = one[(one["kind"] == kind) & (one["n_samples"] == length)]
            if cell.empty:
                grid[i, j] = np.nan
                continue
            counts = cell["verdict"].value_counts()
            top = str(counts.index[0])
            grid[i, j] = codes.get(top, codes["undetermined"])
            ax.text(
                j,
                i,
                f"{top.replace('_', '-')}\n{counts.iloc[0]}/{len(cell)}\nagr. {cell['agreement'].mean():.2f}",
                ha="center",
                va="center",
                fontsize=6.5,
            )
    cmap = plt.matplotlib.colors.ListedColormap(list(VERDICT_COLOURS.values()))
    ax.imshow(grid, cmap=cmap, vmin=-0.5, vmax=len(VERDICT_COLOURS) - 0.5, aspect="auto")
    ax.set_xticks(range(len(lengths)), [_samples(t) for t in lengths], fontsize=7)
    ax.set_yticks(range(len(kinds)), kinds)
    ax.set_xlabel("samples")
    ax.set_title("lag diagnostic:\nverdict, count, agreement", fontsize=8)
    for spine in ax.spines.values():
        spine.set_visible(False)


def _mean_sd(ax: plt.Axes, stats: pd.DataFrame, style: dict) -> None:
    """Mean ± sd error bars of a ``groupby(...).agg(["mean", "std"])`` frame, in a style with a ``label``."""
    ax.errorbar(
        stats.index.to_numpy(float),
        stats["mean"].to_numpy(),
        yerr=stats["std"].fillna(0).to_numpy(),
        ms=4,
        capsize=2,
        **style,
    )


def plot_lag_inputs(table: pd.DataFrame) -> plt.Figure:
    """Scores per kind of data against length for both inputs, the verdicts, and the noise panel.

    Parameters
    ----------
    table : DataFrame
        The ``lag_inputs`` table (:func:`zerolag.workflow.lag_inputs.lag_inputs_scores`, one network's rows
        after another): rows with ``panel`` = ``"lag"`` (``kind``, ``n_samples``, ``input``, ``auc``, ``prs``,
        ``pcc``, ``verdict``, ``agreement``) and ``"noise"`` (``spread``, ``output``, ``auc``,
        ``median_link_error``).

    Returns
    -------
    matplotlib.figure.Figure
        Rows AUC, PRS, PCC; a column per kind of data (mean ± sd over networks against samples, log axis;
        dashed: the mean of the partial-correlation reference on each input, where the table has it), then a
        column with the verdict grid (A's last column), the noise panel's AUC and median error on the true links
        against the spread.
    """
    missing = {"panel", "kind", "n_samples", "input", "auc", "prs", "pcc", "verdict", "agreement"} - set(table.columns)
    if missing:
        raise ValueError(f"the lag_inputs table lacks the columns {sorted(missing)}")
    apply_style()
    lag = table[table["panel"] == "lag"]
    noise = table[table["panel"] == "noise"]
    kinds = list(dict.fromkeys(lag["kind"]))
    lengths = sorted(int(t) for t in lag["n_samples"].unique())
    fig, axes = plt.subplots(3, len(kinds) + 1, figsize=(2.6 * (len(kinds) + 1), 7.2), squeeze=False)
    for col, kind in enumerate(kinds):
        part = lag[lag["kind"] == kind]
        for row, key in enumerate(SCORES):
            ax = axes[row, col]
            for source, style in INPUT_STYLES.items():
                sel = part[part["input"] == source]
                if sel.empty:
                    continue
                _mean_sd(ax, sel.groupby("n_samples")[key].agg(["mean", "std"]), style)
                reference = f"partial_correlation_{key}"
                if reference in sel:
                    means = sel.groupby("n_samples")[reference].mean()
                    ax.plot(
                        means.index.to_numpy(float),
                        means.to_numpy(),
                        color=style["color"],
                        label=f"partial correlation of the {style['label']}",
                        **REFERENCE_STYLE,
                    )
            ax.set_xscale("log")
            ax.set_xticks(lengths, [_samples(t) for t in lengths])
            ax.xaxis.set_minor_locator(plt.matplotlib.ticker.NullLocator())
            ax.set_ylim(-0.05 if key == "pcc" else 0, 1.02)
            if key == "auc":
                ax.axhline(0.5, color="k", lw=0.5, ls=":")
                ax.set_title(KIND_TITLES.get(kind, kind))
            if col == 0:
                ax.set_ylabel(f"{SCORE_LABELS[key]} (mean ± sd)")
            if row == len(SCORES) - 1:
                ax.set_xlabel("samples")
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="upper center", ncol=len(labels), fontsize=7, frameon=False)
    panel_label(axes[0, 0], "A")
    _verdict_grid(axes[0, -1], lag, kinds, lengths)
    panel_label(axes[0, -1], "B")
    for ax, key, label in (
        (axes[1, -1], "auc", "AUC against G"),
        (axes[2, -1], "median_link_error", "median |error| on true links"),
    ):
        for output, style in OUTPUT_STYLES.items():
            sel = noise[noise["output"] == output]
            if sel.empty or key not in sel:
                continue
            _mean_sd(ax, sel.groupby("spread")[key].agg(["mean", "std"]), style)
        ax.set(xlabel="noise sd spread s (sd in [1/s, s])", ylabel=label)
    axes[1, -1].set_title("unequal driving noise, noise-free C", fontsize=8)
    axes[1, -1].legend(loc="lower left")
    panel_label(axes[1, -1], "C")
    panel_label(axes[2, -1], "D")
    k = lag.groupby(["kind", "n_samples", "input"]).size()
    axes[0, 0].text(
        0.0,
        1.2,
        f"{k.min()}–{k.max()} networks per point" if k.min() != k.max() else f"{k.min()} networks per point",
        transform=axes[0, 0].transAxes,
        fontsize=8,
    )
    fig.tight_layout(rect=(0, 0, 1, 0.96))
    return fig
