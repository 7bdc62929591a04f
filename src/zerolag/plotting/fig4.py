"""Fig. 4: performance against observation noise (A, as SNR) and against the fraction of observed nodes (B)."""

from __future__ import annotations

import pandas as pd

from .style import SCORE_COLOURS, SCORE_LABELS, apply_style, panel_label, plt

__all__ = ["plot_fig4"]

REFERENCE_STYLES = (("--", "0.45"), (":", "0.1"), ("-.", "0.3"))
"""Line style and grey of the other methods' AUC, in table order: each its own, so that they are told apart."""


def plot_fig4(table: pd.DataFrame, *, method: str | None = None) -> plt.Figure:
    """Draw both panels from the tidy Fig. 4 table (mean ± sd over networks; grey: the other methods' AUC).

    Parameters
    ----------
    table : DataFrame
        Columns ``panel``, ``value``, ``method``, ``auc``, ``prs``, ``pcc`` and, for panel A, ``snr``.
    method : str or None
        Method drawn with all three scores (default: the first in the table).
    """
    apply_style()
    method = method or table["method"].iloc[0]
    fig, axes = plt.subplots(1, 2, figsize=(7.0, 2.8), sharey=True)
    for ax, panel in zip(axes, ("A", "B"), strict=True):
        part = table[table["panel"] == panel]
        x = "snr" if panel == "A" else "value"
        others = [name for name in dict.fromkeys(part["method"]) if name != method]
        for name, rows in part.groupby("method", sort=False):
            stats = rows.groupby("value").agg(
                {x: "mean", "auc": ["mean", "std"], "prs": ["mean", "std"], "pcc": ["mean", "std"]}
            )
            xs = stats[(x, "mean")].to_numpy()
            keys = ("auc", "prs", "pcc") if name == method else ("auc",)
            for key in keys:
                mean, sd = stats[(key, "mean")].to_numpy(), stats[(key, "std")].fillna(0).to_numpy()
                if name == method:
                    style, colour, label = "-o", SCORE_COLOURS[key], SCORE_LABELS[key]
                else:
                    style, colour = REFERENCE_STYLES[others.index(name) % len(REFERENCE_STYLES)]
                    label = f"{name} AUC"
                ax.plot(xs, mean, style, ms=3, color=colour, label=label)
                if name == method:
                    ax.fill_between(xs, mean - sd, mean + sd, color=colour, alpha=0.25, lw=0)
        n = part.groupby(["value", "method"])["rep"].count()
        ax.set_title(f"{n.min()} networks per point, N = {int(part['n'].iloc[0])}", loc="right", fontsize=8)
        ax.set_ylim(-0.05, 1.05)
        panel_label(ax, panel)
    axes[0].set(xscale="log", xlabel="SNR = var(signal) / var(noise)", ylabel="performance")
    axes[1].set(xlabel="fraction of observed nodes")
    axes[0].legend(loc="lower right")
    fig.tight_layout()
    return fig
