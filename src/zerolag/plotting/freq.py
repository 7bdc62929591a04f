"""Frequency-resolved networks: the two band-coupled networks and the estimate from each band's CSD."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .style import apply_style, panel_label, plt

__all__ = ["plot_freq"]


def plot_freq(networks: np.ndarray, estimates: np.ndarray, bands: np.ndarray, table: pd.DataFrame) -> plt.Figure:
    """Upper row: the networks coupled in bands 0 and 1; lower row: ``|G_est|`` from each band's CSD.

    Parameters
    ----------
    networks : array (2, N, N)
        The networks acting in bands 0 and 1.
    estimates : array (B, N, N), complex
        The estimate from each band's cross-spectral density (one repetition).
    bands : array (B, 2)
        Band edges in Hz.
    table : DataFrame
        The frequency table (``band``, ``coupled_here``, ``scored_against``, ``auc``) over all repetitions.
    """
    apply_style()
    n_bands = len(bands)
    fig, axes = plt.subplots(2, n_bands, figsize=(3.0 * n_bands, 6.0), squeeze=False)
    limit = float(np.abs(networks).max())
    for k in range(n_bands):
        ax = axes[0][k]
        if k < len(networks):
            ax.imshow(networks[k], cmap="RdBu_r", vmin=-limit, vmax=limit)
            ax.set_title(f"G coupled in {bands[k][0]:g}–{bands[k][1]:g} Hz")
        else:
            ax.set_title(f"no coupling in {bands[k][0]:g}–{bands[k][1]:g} Hz")
            ax.axis("off")
        ax.set(xticks=[], yticks=[])
        panel_label(ax, "ABCDEF"[k])
        ax = axes[1][k]
        ax.imshow(np.abs(estimates[k]), cmap="Greys", vmin=0, vmax=float(np.abs(estimates).max()) or 1.0)
        rows = table[table["band"] == k]
        auc = rows.groupby("scored_against")["auc"].mean()
        lines = [f"AUC vs {name.split()[-1]}: {value:.2f}" for name, value in auc.items()]
        ax.set_title(f"|G_est| from CSD {bands[k][0]:g}–{bands[k][1]:g} Hz\n" + ", ".join(lines), fontsize=8)
        ax.set(xticks=[], yticks=[])
    fig.tight_layout()
    return fig
