"""Fig. 5: performance against data length and OU time constant τ, log–log heat maps, bilinear interpolation."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.interpolate import RegularGridInterpolator

from .style import SCORE_LABELS, apply_style, panel_label, plt

__all__ = ["plot_fig5"]


def plot_fig5(table: pd.DataFrame, *, resolution: int = 200) -> plt.Figure:
    """One heat map per score (mean over networks), interpolated bilinearly in log(duration) and log(τ).

    Parameters
    ----------
    table : DataFrame
        Columns ``duration_s``, ``tau_s``, ``auc``, ``prs``, ``pcc`` and ``method``: one row of three
        maps per method, in the table's order (methods computed from the same simulations).
    resolution : int
        Points per axis of the interpolated image.
    """
    apply_style()
    methods = list(dict.fromkeys(table["method"])) if "method" in table else [None]
    durations = np.sort(table["duration_s"].unique())
    taus = np.sort(table["tau_s"].unique())
    ld, lt = np.log10(durations), np.log10(taus)
    fine_d = np.linspace(ld[0], ld[-1], resolution)
    fine_t = np.linspace(lt[0], lt[-1], resolution)
    mesh = np.stack(np.meshgrid(fine_d, fine_t, indexing="ij"), axis=-1)
    fig, axes = plt.subplots(
        len(methods), 3, figsize=(10.0, 3.0 * len(methods)), sharex=True, sharey=True, squeeze=False
    )
    letters = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    for row, method in zip(axes, methods, strict=True):
        part = table if method is None else table[table["method"] == method]
        means = part.groupby(["duration_s", "tau_s"])[["auc", "prs", "pcc"]].mean()
        for ax, key in zip(row, ("auc", "prs", "pcc"), strict=True):
            grid = means[key].unstack("tau_s").reindex(index=durations, columns=taus).to_numpy()
            if len(durations) > 1 and len(taus) > 1:
                image = RegularGridInterpolator((ld, lt), grid)(mesh)
                shown = ax.pcolormesh(10**fine_d, 10**fine_t, image.T, cmap="viridis", vmin=0, vmax=1, shading="auto")
            else:
                shown = ax.pcolormesh(durations, taus, grid.T, cmap="viridis", vmin=0, vmax=1, shading="nearest")
            ax.plot(*np.meshgrid(durations, taus), "w.", ms=2)
            title = SCORE_LABELS[key] if method is None or len(methods) == 1 else f"{SCORE_LABELS[key]}: {method}"
            ax.set(xscale="log", yscale="log", title=title)
            panel_label(ax, next(letters))
        row[0].set_ylabel("OU time constant τ (s)")
    for ax in axes[-1]:
        ax.set_xlabel("data length (s)")
    fig.colorbar(shown, ax=axes, shrink=0.9, label="performance")
    return fig
