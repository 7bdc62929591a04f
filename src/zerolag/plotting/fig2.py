"""Fig. 2: one OU + HRF example — the true network, estimates coloured TP/TN/FP/FN, ROC and PR curves."""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.colors import ListedColormap

from ..scoring.metrics import confusion_labels, precision_recall_curve, roc_curve
from .style import apply_style, panel_label, plt

__all__ = ["plot_fig2", "CONFUSION_COLOURS"]

CONFUSION_COLOURS = {"TN": "#ffffff", "TP": "#2ca02c", "FP": "#d62728", "FN": "#1f77b4", "": "#bbbbbb"}
METHOD_LABELS = {
    "zerolag_sampled_paper": "G_est (paper optimiser)",
    "zerolag_sampled": "G_est",
    "covariance": "covariance",
}


def _confusion_image(ax: plt.Axes, truth: np.ndarray, estimate: np.ndarray, top_fraction: float) -> None:
    classes = list(CONFUSION_COLOURS)
    labels = confusion_labels(truth, estimate, top_fraction=top_fraction)
    index = np.vectorize(classes.index)(labels)
    ax.imshow(index, cmap=ListedColormap(list(CONFUSION_COLOURS.values())), vmin=0, vmax=len(classes) - 1)
    ax.set_xticks([])
    ax.set_yticks([])


def plot_fig2(
    truth: np.ndarray, estimates: dict[str, np.ndarray], table: pd.DataFrame, *, top_fraction: float = 0.1
) -> plt.Figure:
    """Draw Fig. 2.

    Parameters
    ----------
    truth : array (N, N)
        True network (row = target).
    estimates : dict
        Method label → estimated network (the first is this method, then the comparison).
    table : DataFrame
        The Fig. 2 table (``method``, ``auc``, ``prs``, ``pcc``) for the panel titles.
    top_fraction : float
        Strongest fraction of entries counted as detected connections (0.1 in the paper).
    """
    apply_style()
    methods = list(estimates)
    fig, axes = plt.subplots(1, 3 + len(methods), figsize=(3.0 * (3 + len(methods)), 3.2))
    limit = float(np.abs(truth).max()) or 1.0
    axes[0].imshow(truth, cmap="RdBu_r", vmin=-limit, vmax=limit)
    axes[0].set(title=f"true G (N = {truth.shape[0]})", xticks=[], yticks=[])
    scores = table.set_index("method")
    for k, method in enumerate(methods):
        ax = axes[1 + k]
        _confusion_image(ax, truth, estimates[method], top_fraction)
        s = scores.loc[method]
        ax.set_title(
            f"{METHOD_LABELS.get(method, method)}\nAUC {s['auc']:.2f}  PRS {s['prs']:.2f}  PCC {s['pcc']:.2f}",
            fontsize=8,
        )
        fpr, tpr = roc_curve(truth, estimates[method])
        recall, precision = precision_recall_curve(truth, estimates[method])
        label = METHOD_LABELS.get(method, method)
        axes[-2].plot(fpr, tpr, label=f"{label} ({s['auc']:.2f})")
        axes[-1].plot(recall, precision, label=f"{label} ({s['prs']:.2f})")
    handles = [plt.Rectangle((0, 0), 1, 1, color=c, ec="k") for c in list(CONFUSION_COLOURS.values())[:4]]
    axes[1].legend(
        handles, list(CONFUSION_COLOURS)[:4], loc="upper left", bbox_to_anchor=(0, -0.02), ncol=4, fontsize=7
    )
    axes[-2].plot([0, 1], [0, 1], "k:", lw=0.8)
    axes[-2].set(xlabel="false-positive rate", ylabel="true-positive rate", title="ROC")
    axes[-1].set(xlabel="recall", ylabel="precision", title="precision–recall", ylim=(0, 1.02))
    axes[-2].legend(loc="lower right", fontsize=7)
    axes[-1].legend(loc="upper right", fontsize=7)
    for ax, letter in zip(axes, "ABCDEFG", strict=False):
        panel_label(ax, letter)
    fig.tight_layout()
    return fig
