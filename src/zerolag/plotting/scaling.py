"""Optimiser scaling: seconds, AUC and L1 cost above the true solution's against network size N."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .style import apply_style, panel_label, plt

__all__ = ["plot_scaling"]

METHOD_STYLES = {
    "paper": {"color": "#1f77b4", "marker": "o", "label": 'optimizer="paper"'},
    "fast": {"color": "#d62728", "marker": "s", "label": 'optimizer="fast"'},
    "connFinder": {"color": "#7f7f7f", "marker": "^", "label": "connFinder (authors)"},
}


def plot_scaling(table: pd.DataFrame) -> plt.Figure:
    """Three panels: median seconds (log–log), mean AUC, and mean L1 cost minus the true solution's.

    Parameters
    ----------
    table : DataFrame
        One row per network × method with columns ``n``, ``method``, ``seconds``, ``auc``,
        ``cost_gap`` (as written by :func:`zerolag.workflow.timing.timed_row`).
    """
    missing = {"n", "method", "seconds", "auc", "cost_gap"} - set(table.columns)
    if missing:
        raise ValueError(f"the scaling table lacks the columns {sorted(missing)}")
    apply_style()
    fig, axes = plt.subplots(1, 3, figsize=(9.0, 2.8))
    for method, part in table.groupby("method", sort=False):
        style = METHOD_STYLES.get(str(method), {"marker": "x", "label": str(method)})
        kwargs = {k: v for k, v in style.items() if k != "label"}
        by_n = part.groupby("n")
        n = np.array(sorted(part["n"].unique()), dtype=float)
        seconds = by_n["seconds"]
        axes[0].plot(n, seconds.median().to_numpy(), "-", ms=4, label=style["label"], **kwargs)
        axes[0].fill_between(
            n, seconds.min().to_numpy(), seconds.max().to_numpy(), alpha=0.2, lw=0, color=kwargs.get("color")
        )
        auc = by_n["auc"]
        axes[1].errorbar(n, auc.mean().to_numpy(), yerr=auc.std().fillna(0).to_numpy(), ms=4, capsize=2, **kwargs)
        axes[2].plot(n, by_n["cost_gap"].mean().to_numpy(), "-", ms=4, **kwargs)
    axes[0].set(xscale="log", yscale="log", xlabel="network size N", ylabel="seconds per estimate (median)")
    axes[1].set(xscale="log", xlabel="network size N", ylabel="AUC (mean ± sd)")
    axes[2].set(xscale="log", xlabel="network size N", ylabel="L1 cost − cost of 1 − G (mean)")
    axes[2].set_yscale("symlog", linthresh=1e-2)
    axes[2].axhline(0, color="k", lw=0.5)
    for ax, letter in zip(axes, "ABC", strict=True):
        panel_label(ax, letter)
    k = table.groupby(["n", "method"]).size()
    axes[0].set_title(
        f"{k.min()}–{k.max()} networks per point" if k.min() != k.max() else f"{k.min()} networks per point",
        loc="right",
        fontsize=8,
    )
    axes[0].legend(loc="upper left")
    fig.tight_layout()
    return fig
