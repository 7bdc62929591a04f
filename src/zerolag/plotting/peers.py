"""Fig. S1A (every method on each NetSim-style simulation) and the peers figure (OU + HRF, with seconds)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .style import SCORE_LABELS, apply_style, plt

__all__ = ["plot_figS1A", "plot_peers"]

_CMAP = plt.get_cmap("tab20")
FIG_S1A_SCORES = {"c_sensitivity": "c-sensitivity", "d_accuracy": "d-accuracy", "auc": "AUC"}


def _colours(methods: list[str]) -> dict[str, tuple]:
    return {m: _CMAP(k % 20) for k, m in enumerate(methods)}


def plot_figS1A(table: pd.DataFrame) -> plt.Figure:
    """One row of bars per score (c-sensitivity, d-accuracy, AUC); simulations on x, one bar per method.

    Parameters
    ----------
    table : DataFrame
        Columns ``simulation``, ``method``, ``c_sensitivity``, ``d_accuracy``, ``auc`` (``auc_sd``
        optional), one row per simulation × method.
    """
    apply_style()
    sims = list(dict.fromkeys(table["simulation"]))
    methods = list(dict.fromkeys(table["method"]))
    colours = _colours(methods)
    width = 0.85 / len(methods)
    fig, axes = plt.subplots(3, 1, figsize=(max(6.0, 1.1 * len(sims) + 2.5), 7.0), sharex=True)
    for ax, (key, label) in zip(axes, FIG_S1A_SCORES.items(), strict=True):
        for k, method in enumerate(methods):
            rows = table[table["method"] == method].set_index("simulation").reindex(sims)
            x = np.arange(len(sims)) + (k - (len(methods) - 1) / 2) * width
            err = rows["auc_sd"].to_numpy() if key == "auc" and "auc_sd" in rows else None
            ax.bar(x, rows[key].to_numpy(), width, yerr=err, capsize=1.5, color=colours[method], label=method)
        if key == "d_accuracy":
            ax.axhline(0.5, color="k", lw=0.8, ls="--")  # chance
        if key == "auc":
            ax.axhline(0.5, color="k", lw=0.8, ls=":")
        ax.set(ylim=(0, 1.05), ylabel=label)
    axes[-1].set_xticks(range(len(sims)), sims, rotation=30, ha="right")
    n = int(table["n_subjects"].min()) if "n_subjects" in table else None
    axes[0].set_title(f"{n} subjects per simulation" if n else "", loc="right", fontsize=8)
    axes[0].legend(ncol=min(4, len(methods)), loc="lower left", bbox_to_anchor=(0, 1.08), fontsize=7)
    fig.tight_layout()
    return fig


def plot_peers(table: pd.DataFrame) -> plt.Figure:
    """AUC, PRS, PCC (mean ± sd over networks) per method, and seconds per estimate (log scale).

    Parameters
    ----------
    table : DataFrame
        Columns ``method``, ``rep``, ``auc``, ``prs``, ``pcc``, ``seconds``.
    """
    apply_style()
    methods = list(dict.fromkeys(table["method"]))
    colours = _colours(methods)
    keys = ("auc", "prs", "pcc")
    fig, (ax, ax_t) = plt.subplots(1, 2, figsize=(9.0, 3.4), gridspec_kw={"width_ratios": [3, 1.4]})
    width = 0.85 / len(methods)
    for k, method in enumerate(methods):
        rows = table[table["method"] == method]
        x = np.arange(len(keys)) + (k - (len(methods) - 1) / 2) * width
        sds = [rows[key].std() if len(rows) > 1 else 0.0 for key in keys]
        ax.bar(x, [rows[key].mean() for key in keys], width, yerr=sds, capsize=1.5, color=colours[method], label=method)
        ax_t.barh(k, rows["seconds"].mean(), color=colours[method])
    ax.axhline(0, color="k", lw=0.6)
    ax.set_xticks(range(len(keys)), [SCORE_LABELS[k] for k in keys])
    ax.set(ylim=(min(-0.1, float(table["pcc"].min()) - 0.05), 1.05), ylabel="performance")
    ax.set_title(f"{table.groupby('method')['rep'].count().min()} networks", loc="right", fontsize=8)
    ax.legend(ncol=2, fontsize=6.5, loc="upper right", bbox_to_anchor=(1.0, -0.08))
    ax_t.set_yticks(range(len(methods)), methods, fontsize=7)
    ax_t.invert_yaxis()
    ax_t.set_xscale("log")
    ax_t.set_xlabel("seconds per estimate")
    fig.tight_layout()
    return fig
