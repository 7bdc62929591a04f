"""Fig. 3: noise-free validation, AUC/PRS/PCC (mean ± sd) against ρ, p, N and q."""

from __future__ import annotations

import pandas as pd

from .style import SCORE_COLOURS, SCORE_LABELS, apply_style, panel_label, plt

__all__ = ["plot_fig3"]

AXIS_LABELS = {
    "rho": "spectral radius ρ",
    "p": "connection probability p",
    "n": "network size N",
    "q": "background connection probability q",
}


def plot_fig3(table: pd.DataFrame, *, method: str = "zerolag") -> plt.Figure:
    """Draw the four panels from the tidy Fig. 3 table.

    Parameters
    ----------
    table : DataFrame
        Columns ``panel``, ``parameter``, ``value``, ``method``, ``rep``, ``auc``, ``prs``, ``pcc``.
    method : str
        Which method's rows to draw.
    """
    apply_style()
    rows = table[table["method"] == method]
    if rows.empty:
        raise ValueError(
            f"the Fig. 3 table has no rows for method {method!r}; methods present: {sorted(table['method'].unique())}"
        )
    panels = sorted(rows["panel"].unique())
    fig, axes = plt.subplots(1, len(panels), figsize=(3.0 * len(panels), 2.6), sharey=True, squeeze=False)
    for ax, panel in zip(axes[0], panels, strict=False):
        part = rows[rows["panel"] == panel]
        parameter = part["parameter"].iloc[0]
        stats = part.groupby("value")[["auc", "prs", "pcc"]].agg(["mean", "std"])
        counts = part.groupby("value")["rep"].count()
        x = stats.index.to_numpy(dtype=float)
        for key in ("auc", "prs", "pcc"):
            mean, sd = stats[(key, "mean")].to_numpy(), stats[(key, "std")].fillna(0).to_numpy()
            ax.plot(x, mean, "-o", ms=3, color=SCORE_COLOURS[key], label=SCORE_LABELS[key])
            ax.fill_between(x, mean - sd, mean + sd, color=SCORE_COLOURS[key], alpha=0.25, lw=0)
        n_min, n_max = counts.min(), counts.max()
        per_point = f"{n_min}" if n_min == n_max else f"{n_min}–{n_max}"
        ax.set_title(f"{per_point} networks per point", loc="right", fontsize=8)
        ax.set_xlabel(AXIS_LABELS.get(parameter, parameter))
        ax.set_ylim(-0.05, 1.05)
        panel_label(ax, panel)
    axes[0][0].set_ylabel("performance")
    axes[0][0].legend(loc="lower right")
    fig.tight_layout()
    return fig
