"""Fig. 1: three 3-node networks (upper row) and their inverse covariance matrices (lower row)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .style import apply_style, panel_label, plt

__all__ = ["plot_fig1"]

POSITIONS = {1: (0.5, 0.9), 2: (0.1, 0.2), 3: (0.9, 0.2)}


def _matrix(part: pd.DataFrame, column: str) -> np.ndarray:
    m = np.zeros((3, 3))
    for row in part.itertuples():
        m[row.row - 1, row.column - 1] = getattr(row, column)
    return m


def plot_fig1(table: pd.DataFrame) -> plt.Figure:
    """Draw the networks and their inverse covariances from the tidy Fig. 1 table.

    Parameters
    ----------
    table : DataFrame
        Columns ``network``, ``row``, ``column`` (1-based), ``coupling`` (row = target) and
        ``inverse_covariance``.
    """
    apply_style()
    names = list(dict.fromkeys(table["network"]))
    fig, axes = plt.subplots(2, len(names), figsize=(2.6 * len(names), 5.0), squeeze=False)
    limit = float(np.abs(table["inverse_covariance"]).max())
    for k, name in enumerate(names):
        part = table[table["network"] == name]
        g, precision = _matrix(part, "coupling"), _matrix(part, "inverse_covariance")
        ax = axes[0][k]
        for node, (x, y) in POSITIONS.items():
            ax.add_patch(plt.Circle((x, y), 0.08, color="0.85", ec="k"))
            ax.text(x, y, str(node), ha="center", va="center")
        for target, source in zip(*np.nonzero(g), strict=True):
            (x0, y0), (x1, y1) = POSITIONS[source + 1], POSITIONS[target + 1]
            d = np.hypot(x1 - x0, y1 - y0)
            ux, uy = (x1 - x0) / d, (y1 - y0) / d
            ax.annotate(
                "",
                xy=(x1 - 0.09 * ux, y1 - 0.09 * uy),
                xytext=(x0 + 0.09 * ux, y0 + 0.09 * uy),
                arrowprops={"arrowstyle": "-|>", "color": "k", "lw": 1.2},
            )
        ax.set(xlim=(-0.05, 1.05), ylim=(0.0, 1.05), aspect="equal", title=name)
        ax.axis("off")
        panel_label(ax, "ABC"[k])
        ax = axes[1][k]
        ax.imshow(precision, cmap="RdBu_r", vmin=-limit, vmax=limit)
        for i in range(3):
            for j in range(3):
                ax.text(j, i, f"{precision[i, j]:.2g}", ha="center", va="center", fontsize=8)
        ax.set_xticks(range(3), ["1", "2", "3"])
        ax.set_yticks(range(3), ["1", "2", "3"])
        ax.set_title(f"C⁻¹, entry (2, 3) = {precision[1, 2]:.2g}")
    fig.tight_layout()
    return fig
