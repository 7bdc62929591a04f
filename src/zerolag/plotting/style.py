"""One matplotlib style for every figure."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402

__all__ = ["SCORE_COLOURS", "SCORE_LABELS", "apply_style", "panel_label", "plt"]

SCORE_COLOURS = {"auc": "#2ca02c", "prs": "#ff7f0e", "pcc": "#9467bd"}  # green, orange, purple (paper)
SCORE_LABELS = {"auc": "AUC", "prs": "PRS", "pcc": "PCC"}


def apply_style() -> None:
    """Set the shared rcParams (call before creating a figure)."""
    plt.rcParams.update(
        {
            "figure.dpi": 150,
            "savefig.dpi": 200,
            "savefig.bbox": "tight",
            "font.size": 9,
            "axes.titlesize": 9,
            "axes.labelsize": 9,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "legend.frameon": False,
            "legend.fontsize": 8,
            "pdf.fonttype": 42,
            "svg.hashsalt": "zerolag",
            "path.simplify": False,
        }
    )


def panel_label(ax: plt.Axes, letter: str) -> None:
    """Bold panel letter in the top-left corner, outside the axes."""
    ax.text(-0.18, 1.06, letter, transform=ax.transAxes, fontweight="bold", fontsize=11, va="bottom")
