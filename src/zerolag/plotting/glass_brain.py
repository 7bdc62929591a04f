"""A directed, signed network drawn on the glass brain: an arrow from source to target, red excitatory, blue
inhibitory, only the strongest links.

Computation and drawing are apart: :func:`region_centroids` (the regions' centres in MNI mm, from the atlas
label image) and :func:`top_links` (the strongest links, direction and sign kept) are plain NumPy;
:func:`plot_glass_brain_network` draws what they return with nilearn's ``plot_connectome``.

Matrices here are row = target, column = source (``G[i, j]``: from ``j`` to ``i``). nilearn draws the arrow
of entry ``(i, j)`` from node ``i`` to node ``j`` (row = source), so the drawing passes it the transpose.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["region_centroids", "top_links", "plot_glass_brain_network"]


def region_centroids(atlas: object, indices: Sequence[int], *, atlas_name: str | None = None) -> np.ndarray:
    """Centre of each region of a label image, in world (MNI) millimetres.

    The centre is the mean of the world coordinates of the region's voxel centres (its centre of mass), on
    the atlas' own grid. For a region that is not convex (a gyrus bent around a sulcus) it can lie just
    outside the region; on the glass brain, a projection, that does not show.

    Parameters
    ----------
    atlas : path or nibabel image
        3D label image (one integer per region, 0 = background), any orientation.
    indices : sequence of int
        Label values of the regions, in the order wanted (e.g. the kept regions of a network).
    atlas_name : str, optional
        Name used in messages (default: the path).

    Returns
    -------
    ndarray of shape (len(indices), 3)
        ``x, y, z`` of each region, row ``r`` = ``indices[r]``.

    Raises
    ------
    ValueError
        If the atlas is not a 3D label image or a label value has no voxel in it.
    """
    from ..fmri.parcellation import load_image

    name = atlas_name or (os.fspath(atlas) if isinstance(atlas, (str, os.PathLike)) else "atlas")
    img = load_image(atlas, "atlas")
    data = np.asarray(img.dataobj)
    if data.ndim == 4 and data.shape[3] == 1:
        data = data[..., 0]
    if data.ndim != 3 or not np.all(data == np.round(data)):
        raise ValueError(f"atlas {name} must be a 3D label image (one integer per region), got shape {data.shape}")
    flat = data.astype(np.int64).reshape(-1)
    wanted = np.asarray(indices, dtype=np.int64)
    order = np.argsort(flat, kind="stable")
    start = np.searchsorted(flat[order], wanted, side="left")
    stop = np.searchsorted(flat[order], wanted, side="right")
    empty = wanted[stop == start]
    if empty.size:
        raise ValueError(f"atlas {name} has no voxel with label value(s) {empty[:10].tolist()}")
    affine = np.asarray(img.affine, dtype=float)
    out = np.empty((wanted.size, 3))
    for r, (a, b) in enumerate(zip(start, stop, strict=True)):
        ijk = np.column_stack(np.unravel_index(order[a:b], data.shape)).astype(float)
        out[r] = ijk.mean(axis=0) @ affine[:3, :3].T + affine[:3, 3]
    return out


def top_links(g: np.ndarray, top: int | float) -> np.ndarray:
    """The strongest links of a network, every other entry 0; direction and sign kept.

    Parameters
    ----------
    g : ndarray of shape (N, N)
        Row = target, column = source; the diagonal is ignored.
    top : int or float
        An int ``k ≥ 1``: the ``k`` entries of largest ``|g|``. A float in ``(0, 1]``: that fraction of the
        network, ``round(top · N²)`` entries as ``zerolag estimate --top-fraction`` counts
        (:func:`zerolag.scoring.metrics.kept_count`). Ties are broken by position (row-major, first kept). A
        symmetric ``g`` (an undirected method) is ranked by pair: each kept pair keeps both of its entries,
        and ``k`` counts pairs.

    Returns
    -------
    ndarray of shape (N, N)
        ``g`` where kept, 0 elsewhere (and on the diagonal).
    """
    from ..scoring.metrics import kept_count, strongest

    g = np.asarray(g, dtype=float)
    if g.ndim != 2 or g.shape[0] != g.shape[1] or g.shape[0] < 2:
        raise ValueError(f"the network must be a square matrix of at least 2 regions, got shape {g.shape}")
    if not np.all(np.isfinite(g)):
        raise ValueError("the network contains NaN or inf: draw the regions that were estimated")
    n = g.shape[0]
    if isinstance(top, (bool, np.bool_)) or not isinstance(top, (int, np.integer, float, np.floating)):
        raise ValueError(f"top must be a count (int ≥ 1) or a fraction (float in (0, 1]), got {top!r}")
    if isinstance(top, (int, np.integer)):
        if top < 1:
            raise ValueError(f"top must be at least 1 link, got {top}")
        k = int(top)
    elif not 0 < top <= 1:
        raise ValueError(f"top must be a fraction in (0, 1] of the network (or a count), got {top}")
    else:
        k = kept_count(n, float(top))
    symmetric = np.array_equal(g, g.T)
    candidates = np.triu(np.ones((n, n), dtype=bool), 1) if symmetric else ~np.eye(n, dtype=bool)
    kept = np.zeros((n, n), dtype=bool)
    kept[candidates] = strongest(np.abs(g[candidates]), k)
    if symmetric:
        kept |= kept.T
    return np.where(kept, g, 0.0)


def plot_glass_brain_network(
    links: np.ndarray,
    coords: np.ndarray,
    *,
    title: str | None = None,
    display_mode: str = "ortho",
    figsize: tuple[float, float] = (10.0, 3.4),
) -> Figure:
    """Draw a network's links on the glass brain: arrows source → target, red excitatory, blue inhibitory.

    Parameters
    ----------
    links : ndarray of shape (N, N)
        Row = target, column = source; non-zero entries are drawn (e.g. :func:`top_links`), the width and the
        colour saturation growing with ``|weight|``. A symmetric matrix is drawn with lines (no direction).
    coords : ndarray of shape (N, 3)
        The regions' MNI coordinates in mm (e.g. :func:`region_centroids`); every region is a grey dot,
        those with a drawn link a larger black one.
    title : str, optional
        Figure title.
    display_mode : str
        nilearn's views: ``"ortho"`` (side, back, top: every link in each), ``"z"`` (top), ``"lzry"``, …
        (the one-hemisphere views ``"l"`` and ``"r"`` leave out the links between hemispheres).
    figsize : (float, float)
        Figure size in inches.

    Returns
    -------
    matplotlib.figure.Figure
        Save it with :func:`zerolag.io.save_figure`.
    """
    import warnings

    from matplotlib.cm import ScalarMappable
    from matplotlib.colors import ListedColormap, Normalize
    from nilearn import plotting

    from .style import apply_style, plt

    links = np.asarray(links, dtype=float)
    coords = np.asarray(coords, dtype=float)
    n = links.shape[0]
    if links.shape != (n, n) or coords.shape != (n, 3):
        raise ValueError(f"links {links.shape} must be N × N and coords {coords.shape} N × 3 for the same N regions")
    if not np.all(np.isfinite(links)) or not np.all(np.isfinite(coords)):
        raise ValueError("links and coords must be finite (leave out the regions that were not estimated)")
    links = links * ~np.eye(n, dtype=bool)
    apply_style()
    # RdBu_r without its near-white middle: a weak link of either sign stays visible on the white brain
    cmap = ListedColormap(plt.get_cmap("RdBu_r")(np.r_[np.linspace(0.0, 0.35, 128), np.linspace(0.65, 1.0, 128)]))
    directed = not np.allclose(links, links.T, rtol=1e-3)  # nilearn's own test: arrows if not symmetric
    involved = np.any(links != 0, axis=0) | np.any(links != 0, axis=1)
    lim = float(np.abs(links).max()) or 1.0
    fig = plt.figure(figsize=figsize)
    with warnings.catch_warnings():  # nilearn warns that a non-symmetric matrix is drawn directed: it is meant to be
        warnings.filterwarnings("ignore", message=".*is not symmetric", category=UserWarning)
        plotting.plot_connectome(
            links.T,  # nilearn draws entry (i, j) as i -> j
            coords,
            node_color=np.where(involved[:, None], [[0.1, 0.1, 0.1, 1.0]], [[0.55, 0.55, 0.55, 0.7]]),
            node_size=np.where(involved, 14.0, 3.0),
            edge_cmap=cmap,
            edge_vmin=-lim,
            edge_vmax=lim,
            display_mode=display_mode,
            figure=fig,
            axes=(0.0, 0.1, 0.9, 0.8),
            colorbar=False,
            annotate=True,
            # an arrow's width is nilearn's (1 to 3 mm with |weight|); a thin outline keeps it that width
            edge_kwargs={"linewidth": 0.3, "alpha": 0.9} if directed else {"alpha": 0.9},
        )
    colours = ScalarMappable(norm=Normalize(-lim, lim), cmap=cmap)
    fig.colorbar(colours, cax=fig.add_axes((0.92, 0.2, 0.012, 0.6)), label="weight")
    drawn = int(np.count_nonzero(links))
    if not drawn:
        key = "no link to draw: every weight is 0"
    elif directed:
        key = f"{drawn} links; arrow: source → target; red: excitatory (+), blue: inhibitory (−); width ∝ |weight|"
    else:
        key = f"{drawn // 2} pairs (undirected); red: positive, blue: negative; width ∝ |weight|"
    fig.text(0.45, 0.04, key, ha="center", va="bottom", fontsize=9)
    if title:
        fig.text(0.45, 0.96, title, ha="center", va="top", fontsize=11)
    return fig
