"""Mean region signals of a 4D NIfTI image over a labelled atlas, streamed over volumes.

The atlas is resampled onto the image grid by nearest neighbour in world (MNI) coordinates: every
image voxel takes the atlas label at the nearest atlas voxel centre (0 outside the atlas). Region
signals are the means over their voxels, computed a block of volumes at a time, so memory does not
grow with the number of volumes. Mean CSF and white-matter signals are taken the same way over masks
derived from nilearn's packaged MNI152 tissue templates (voxels labelled by the atlas are left out of
them). Cleaning (detrending, standardising, regression) is :mod:`zerolag.fmri.cleaning`'s; it is
linear, so doing it on region means equals doing it on voxels and averaging.

Regions with no voxel on the image grid, or with a constant signal, are dropped with a warning and
recorded (``dropped``), never turned into NaN.
"""

from __future__ import annotations

import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse

from .._optional import require

__all__ = [
    "RegionSignals",
    "load_image",
    "count_volumes",
    "check_4d",
    "labels_on_grid",
    "check_label_table",
    "tissue_masks",
    "parcellate",
]

_CHUNK_VOXEL_VOLUMES = 1 << 23  # voxels × volumes per block (~64 MB in float64)


@dataclass
class RegionSignals:
    """Region signals (time × regions) with their labels and what was dropped on the way.

    Attributes
    ----------
    signals : ndarray (T, R)
        One column per kept region, in label-table order.
    labels : DataFrame
        ``index``, ``name``, ``hemisphere``, ``n_voxels`` of the kept regions (row r = column r).
    dropped : DataFrame
        ``index``, ``name``, ``hemisphere``, ``reason`` of every region left out.
    nuisance : DataFrame
        Mean tissue signals (columns ``csf``, ``wm``; empty if none), T rows.
    tr : float or None
        Repetition time in seconds, from the image header (``None`` if unknown).
    source : str
        File the signals came from.
    """

    signals: np.ndarray
    labels: pd.DataFrame
    dropped: pd.DataFrame
    nuisance: pd.DataFrame = field(default_factory=pd.DataFrame)
    tr: float | None = None
    source: str = ""
    record: dict = field(default_factory=dict)


def _name(img: object, name: str | None) -> str:
    if name:
        return name
    return str(img) if isinstance(img, (str, os.PathLike)) else "image"


def load_image(img: object, what: str = "image"):
    """Load a NIfTI path (or pass a nibabel image through), with a clear error naming the file.

    Raises
    ------
    zerolag._optional.MissingExtraError
        If nibabel is not installed (the ``fmri`` extra).
    """
    require("nibabel", extra="fmri", feature="reading NIfTI")
    import nibabel as nib

    if isinstance(img, (str, os.PathLike)):
        path = Path(img)
        if not path.is_file():
            raise ValueError(f"{what} file {path} does not exist")
        try:
            return nib.load(str(path), keep_file_open=True)  # a .nii.gz is then read once, front to back
        except Exception as exc:  # nibabel raises several types for unreadable files
            raise ValueError(f"{what} file {path} could not be read as NIfTI: {exc}") from exc
    if not hasattr(img, "affine") or not hasattr(img, "dataobj"):
        raise ValueError(f"{what} must be a NIfTI file path or a nibabel image, got {type(img).__name__}")
    return img


def count_volumes(image: str | os.PathLike) -> int:
    """The number of volumes of a 4D NIfTI, from its header.

    Raises
    ------
    ValueError
        Naming the file: missing, unreadable, not 4D, an invalid affine.
    """
    img = load_image(image, "image")
    check_4d(img, f"image {image}")
    return int(img.shape[3])


def check_4d(img, name: str) -> None:
    """Raise a ValueError unless ``img`` is 4D (x, y, z, time) with at least 2 volumes."""
    shape = img.shape
    if len(shape) == 3 or (len(shape) == 4 and shape[3] == 1):
        raise ValueError(
            f"{name} is a 3D image (shape {tuple(shape)}): a 4D image (x, y, z, time) with one volume per "
            "time point is needed; pass the functional run, not an anatomical or a single volume"
        )
    if len(shape) != 4:
        raise ValueError(f"{name} has shape {tuple(shape)}: a 4D image (x, y, z, time) is needed")
    _check_affine(img.affine, name)


def _check_affine(affine: np.ndarray, name: str) -> None:
    a = np.asarray(affine, dtype=float)
    if a.shape != (4, 4) or not np.all(np.isfinite(a)) or abs(np.linalg.det(a[:3, :3])) < 1e-12:
        raise ValueError(
            f"{name} has an invalid (non-finite or singular) affine {a.tolist()}: fix its header (sform/qform)"
        )


def labels_on_grid(
    atlas, shape: tuple[int, ...], affine: np.ndarray, *, atlas_name: str, image_name: str
) -> np.ndarray:
    """Atlas labels resampled by nearest neighbour onto an image grid (``shape[:3]``, ``affine``).

    Raises
    ------
    ValueError
        If the atlas is not 3D, its affine is invalid, or no labelled atlas voxel falls inside the
        image's field of view (not in the same space, e.g. not MNI).
    """
    data = np.asarray(atlas.dataobj)
    if data.ndim == 4 and data.shape[3] == 1:
        data = data[..., 0]
    if data.ndim != 3:
        raise ValueError(f"atlas {atlas_name} must be a 3D label image, got shape {data.shape}")
    if not np.all(data == np.round(data)):
        raise ValueError(
            f"atlas {atlas_name} holds non-integer values: a label image (one integer per region) is needed"
        )
    data = data.astype(np.int64)
    _check_affine(atlas.affine, f"atlas {atlas_name}")
    nx, ny, nz = shape[:3]
    ijk = np.stack(np.meshgrid(np.arange(nx), np.arange(ny), np.arange(nz), indexing="ij"), axis=-1).reshape(-1, 3)
    to_atlas = np.linalg.inv(atlas.affine) @ affine
    xyz = ijk @ to_atlas[:3, :3].T + to_atlas[:3, 3]
    vox = np.rint(xyz).astype(np.int64)
    inside = np.all((vox >= 0) & (vox < np.array(data.shape)), axis=1)
    out = np.zeros(len(vox), dtype=np.int64)
    out[inside] = data[vox[inside, 0], vox[inside, 1], vox[inside, 2]]
    if not np.any(out):
        raise ValueError(
            f"image {image_name} and atlas {atlas_name} do not overlap: no labelled atlas voxel falls inside the "
            f"image's field of view (image affine {np.round(affine, 3).tolist()}, atlas affine "
            f"{np.round(atlas.affine, 3).tolist()}). Both must be in the same space (MNI): normalise the image first"
        )
    return out.reshape(nx, ny, nz)


def tissue_masks(
    shape: tuple[int, ...], affine: np.ndarray, *, exclude: np.ndarray | None = None, threshold: float = 0.9
) -> dict[str, np.ndarray]:
    """CSF and white-matter masks on an image grid, from nilearn's packaged MNI152 (2009a, 2 mm) templates.

    ``wm``: white-matter probability ≥ ``threshold``. ``csf``: inside the brain mask with grey- and
    white-matter probabilities both below ``1 − threshold`` (ventricles and sulcal CSF). Both are
    resampled by nearest neighbour and ``exclude`` (e.g. every voxel the atlas labels) is removed.

    Raises
    ------
    zerolag._optional.MissingExtraError
        If nilearn is not installed (the ``fmri`` extra).
    """
    require("nilearn", extra="fmri", feature="regressing the CSF and white-matter signals (nilearn's MNI152 templates)")
    from nilearn import datasets

    gm = datasets.load_mni152_gm_template(resolution=2)
    wm = datasets.load_mni152_wm_template(resolution=2)
    brain = datasets.load_mni152_brain_mask(resolution=2)
    g, w, b = (np.asarray(i.get_fdata()) for i in (gm, wm, brain))
    low = 1 - threshold
    masks = {"csf": (b > 0) & (g < low) & (w < low), "wm": w >= threshold}
    out = {}
    for name, mask in masks.items():
        img = _Image(mask.astype(np.int64), gm.affine)
        try:
            on_grid = labels_on_grid(img, shape, affine, atlas_name=f"MNI152 {name} mask", image_name="image") > 0
        except ValueError:
            on_grid = np.zeros(shape[:3], dtype=bool)
        if exclude is not None:
            on_grid &= ~exclude
        out[name] = on_grid
    return out


@dataclass
class _Image:
    dataobj: np.ndarray
    affine: np.ndarray

    @property
    def shape(self) -> tuple[int, ...]:
        return self.dataobj.shape


def parcellate(
    image: object,
    atlas: object,
    labels: pd.DataFrame,
    *,
    nuisance: tuple[str, ...] = ("csf", "wm"),
    excluded: pd.DataFrame | None = None,
    image_name: str | None = None,
    atlas_name: str | None = None,
    min_volumes_per_region: int = 1,
    max_missing_fraction: float = 0.5,
    labels_name: str | None = None,
) -> RegionSignals:
    """Mean signal of every atlas region (and of the CSF/WM masks) in a 4D NIfTI image.

    Parameters
    ----------
    image : path or nibabel image
        4D functional image (x, y, z, time) in the atlas' space (MNI).
    atlas : path or nibabel image
        3D label image; any grid and orientation (resampled onto the image by nearest neighbour).
    labels : DataFrame
        Regions to extract (``index``, ``name``, ``hemisphere``; e.g. from
        :func:`~zerolag.fmri.labels.read_labels` after :func:`~zerolag.fmri.labels.exclude_labels`).
    nuisance : tuple of {"csf", "wm"}
        Tissue signals to average as well (for regression in cleaning).
    excluded : DataFrame or None
        Regions excluded beforehand (recorded in ``dropped``); their atlas values are known values.
    image_name, atlas_name, labels_name : str or None
        Names used in messages (default: the paths; the labels file's, if it came from one).
    max_missing_fraction : float
        Refuse the image when more than this fraction of the regions has no voxel on its grid (the usual
        cause: an image not in the atlas' space); 1 accepts any partial coverage.

    Returns
    -------
    RegionSignals
        Raw (uncleaned) region means; regions without voxels or with a constant signal are dropped
        with a warning and listed in ``dropped``.

    Raises
    ------
    ValueError
        Naming the file: not 4D; invalid affine; no overlap with the atlas, or more than
        ``max_missing_fraction`` of the regions without a voxel; atlas values missing from
        the label table (or label indices absent from the atlas); NaN/inf in used voxels; fewer
        volumes than regions.
    """
    image_name = _name(image, image_name)
    atlas_name = _name(atlas, atlas_name)
    img = load_image(image, "image")
    atl = load_image(atlas, "atlas")
    check_4d(img, f"image {image_name}")
    n_vol = int(img.shape[3])
    grid = labels_on_grid(atl, img.shape, img.affine, atlas_name=atlas_name, image_name=image_name)
    check_label_table(atl, labels, excluded, atlas_name=atlas_name, labels_name=labels_name)
    dropped = [] if excluded is None else [excluded[["index", "name", "hemisphere", "reason"]]]
    counts = np.array([(grid == idx).sum() for idx in labels["index"]])
    empty = counts == 0
    if empty.mean() > max_missing_fraction:
        raise ValueError(
            f"{int(empty.sum())} of the {len(labels)} regions of atlas {atlas_name} have no voxel on the grid of "
            f"image {image_name}: the image is probably not in the atlas' space (MNI). Bring it into MNI space "
            "(e.g. fMRIPrep's space-MNI152NLin2009cAsym outputs); if it covers part of the brain on purpose, allow "
            "that (command line: --allow-missing-regions; library: max_missing_fraction=1)"
        )
    if empty.any():
        names = labels["name"][empty].tolist()
        warnings.warn(
            f"{len(names)} region(s) have no voxel on the grid of {image_name} and are dropped: {names[:10]}",
            stacklevel=2,
        )
        d = labels[empty][["index", "name", "hemisphere"]].copy()
        d["reason"] = "no voxels on the image grid"
        dropped.append(d)
    kept = labels[~empty].reset_index(drop=True).copy()
    kept["n_voxels"] = counts[~empty]
    if n_vol <= len(kept):
        raise ValueError(
            f"image {image_name} has {n_vol} volumes for {len(kept)} regions: the covariance of fewer samples "
            "than regions is singular. Use a longer run, or an atlas with fewer regions"
        )
    masks = tissue_masks(img.shape, img.affine, exclude=grid > 0) if nuisance else {}
    unknown = sorted(set(nuisance) - {"csf", "wm"})
    if unknown:
        raise ValueError(f"unknown nuisance signal(s) {unknown}: choose from 'csf', 'wm'")
    flat = grid.reshape(-1)
    region_of = {int(idx): r for r, idx in enumerate(kept["index"])}
    rows, cols, weights = [], [], []
    for r, idx in enumerate(kept["index"]):
        v = np.flatnonzero(flat == idx)
        rows.append(np.full(v.size, r))
        cols.append(v)
        weights.append(np.full(v.size, 1.0 / v.size))
    n_regions = len(kept)
    names_nuis = [n for n in nuisance if masks[n].any()]
    for k, n in enumerate(names_nuis):
        v = np.flatnonzero(masks[n].reshape(-1))
        rows.append(np.full(v.size, n_regions + k))
        cols.append(v)
        weights.append(np.full(v.size, 1.0 / v.size))
    for n in nuisance:
        if n not in names_nuis:
            warnings.warn(
                f"the {n} mask has no voxel on the grid of {image_name}; its signal is not regressed", stacklevel=2
            )
    rows, cols, weights = np.concatenate(rows), np.concatenate(cols), np.concatenate(weights)
    used, local = np.unique(cols, return_inverse=True)
    mean_op = scipy.sparse.csr_matrix((weights, (rows, local)), shape=(n_regions + len(names_nuis), used.size))
    del region_of
    sig = _stream_means(img, used, mean_op, image_name)
    signals, nuis = sig[:, :n_regions], sig[:, n_regions:]
    std = signals.std(axis=0)
    scale = np.maximum(np.abs(signals).max(axis=0), 1e-300)
    constant = std <= 1e-10 * scale
    if constant.any():
        names = kept["name"][constant].tolist()
        warnings.warn(
            f"{len(names)} region(s) of {image_name} have a constant signal and are dropped: {names[:10]}", stacklevel=2
        )
        d = kept[constant][["index", "name", "hemisphere"]].copy()
        d["reason"] = "constant signal"
        dropped.append(d)
        signals = signals[:, ~constant]
        kept = kept[~constant].reset_index(drop=True)
    tr = _tr(img)
    record = {
        "source": image_name,
        "atlas": atlas_name,
        "n_volumes": n_vol,
        "shape": list(map(int, img.shape)),
        "tr": tr,
        "nuisance_voxels": {n: int(masks[n].sum()) for n in nuisance},
    }
    dropped_table = (
        pd.concat(dropped, ignore_index=True)
        if dropped
        else pd.DataFrame(columns=["index", "name", "hemisphere", "reason"])
    )
    return RegionSignals(
        signals=signals,
        labels=kept,
        dropped=dropped_table,
        nuisance=pd.DataFrame(nuis, columns=names_nuis),
        tr=tr,
        source=image_name,
        record=record,
    )


def check_label_table(
    atlas, labels: pd.DataFrame, excluded: pd.DataFrame | None = None, *, atlas_name: str, labels_name: str | None
) -> None:
    """Refuse a label table that does not belong to an atlas image.

    Parameters
    ----------
    atlas : nibabel image
        The label image (:func:`load_image`).
    labels, excluded : DataFrame
        The regions used and those excluded by name (``index`` columns); together they must list exactly the
        image's non-zero values.
    atlas_name, labels_name : str
        The atlas' and the labels file's names in messages (``labels_name`` None: a table not from a file).

    Raises
    ------
    ValueError
        Naming both: values in the image that no label lists, or labels whose value is not in the image.
    """
    values = np.unique(np.asarray(atlas.dataobj).astype(np.int64))
    values = set(values[values != 0].tolist())
    known = set(labels["index"].tolist()) | (set() if excluded is None else set(excluded["index"].tolist()))
    unknown = sorted(values - known)
    where = f" ({labels_name} lists {len(known)} regions)" if labels_name else ""
    if unknown:
        raise ValueError(
            f"atlas {atlas_name} has label values {unknown[:10]}{' …' if len(unknown) > 10 else ''} that the labels "
            f"file does not list{where}: use the labels file that belongs to this atlas image"
        )
    absent = sorted(known - values)
    if absent:
        raise ValueError(
            f"the labels file{f' {labels_name}' if labels_name else ''} lists indices {absent[:10]}"
            f"{' …' if len(absent) > 10 else ''} that atlas {atlas_name} does not contain: use the labels file that "
            "belongs to this atlas image"
        )


def _tr(img) -> float | None:
    try:
        zooms = img.header.get_zooms()
    except AttributeError:
        return None
    if len(zooms) < 4 or not zooms[3] > 0:
        return None
    unit = img.header.get_xyzt_units()[1] if hasattr(img.header, "get_xyzt_units") else "sec"
    scale = {"msec": 1e-3, "usec": 1e-6}.get(unit, 1.0)
    return float(zooms[3]) * scale


def _stream_means(img, used: np.ndarray, mean_op: scipy.sparse.csr_matrix, image_name: str) -> np.ndarray:
    """Apply ``mean_op`` to the used voxels of every volume, a block of volumes at a time."""
    n_vol = int(img.shape[3])
    n_vox = int(np.prod(img.shape[:3]))
    block = max(1, _CHUNK_VOXEL_VOLUMES // n_vox)
    out = np.empty((n_vol, mean_op.shape[0]))
    ijk = np.unravel_index(used, img.shape[:3])
    for t0 in range(0, n_vol, block):
        t1 = min(n_vol, t0 + block)
        data = np.asarray(img.dataobj[..., t0:t1], dtype=np.float64)
        values = data[ijk]  # (used voxels, volumes)
        if not np.all(np.isfinite(values)):
            bad_vox, bad_t = np.nonzero(~np.isfinite(values))
            raise ValueError(
                f"image {image_name} has NaN or inf in {bad_vox.size} voxel values inside the atlas or tissue masks "
                f"(first at volume {t0 + int(bad_t[0])}): fix or mask those voxels before parcellating"
            )
        out[t0:t1] = (mean_op @ values).T
    return out
