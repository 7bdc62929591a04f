"""Fig. 7: this method against RIC on the same networks, AUC / PRS / PCC side by side."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .style import SCORE_LABELS, apply_style, plt

__all__ = ["plot_fig7"]

COLOURS = ("#d62728", "#1f77b4", "#7f7f7f")


def plot_fig7(table: pd.DataFrame) -> plt.Figure:
    """Bars (mean ± sd over networks) and one dot per network for each method and score.

    Parameters
    ----------
    table : DataFrame
        Columns ``method``, ``rep``, ``auc``, ``prs``, ``pcc``.
    """
    apply_style()
    methods = list(dict.fromkeys(table["method"]))
    keys = ("auc", "prs", "pcc")
    width = 0.8 / len(methods)
    fig, ax = plt.subplots(figsize=(4.5, 3.0))
    for k, method in enumerate(methods):
        rows = table[table["method"] == method]
        x = np.arange(len(keys)) + (k - (len(methods) - 1) / 2) * width
        means = [rows[key].mean() for key in keys]
        sds = [rows[key].std() if len(rows) > 1 else 0.0 for key in keys]
        ax.bar(x, means, width, yerr=sds, capsize=3, color=COLOURS[k % len(COLOURS)], alpha=0.7, label=method)
        for xi, key in zip(x, keys, strict=True):
            ax.plot(np.full(len(rows), xi), rows[key], "k.", ms=3)
    ax.set_xticks(range(len(keys)), [SCORE_LABELS[k] for k in keys])
    ax.set(ylim=(0, 1.05), ylabel="performance")
    ax.set_title(f"{table.groupby('method')['rep'].count().min()} networks", loc="right", fontsize=8)
    ax.legend(loc="lower right")
    fig.tight_layout()
    return fig
