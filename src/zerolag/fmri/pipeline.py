"""One subject from input files to cleaned region signals and networks (shared by the workflow and the CLI)."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .cleaning import clean_signals, drop_constant, load_confounds
from .labels import exclude_labels, name_matches, read_labels
from .parcellation import RegionSignals, parcellate
from .timeseries import read_timeseries

if TYPE_CHECKING:
    from .confound_strategies import ConfoundStrategy

__all__ = [
    "prepare_nifti",
    "prepare_fmriprep_run",
    "prepare_timeseries",
    "estimate_networks",
    "is_nifti",
    "save_region_signals",
    "load_region_signals",
]


def is_nifti(path: str | os.PathLike) -> bool:
    """Whether a path names a NIfTI image (``.nii`` or ``.nii.gz``)."""
    name = str(path).lower()
    return name.endswith(".nii") or name.endswith(".nii.gz")


def prepare_nifti(
    image: str | os.PathLike,
    atlas: str | os.PathLike,
    atlas_labels: str | os.PathLike,
    *,
    exclude: Sequence[str] = (),
    confounds: str | os.PathLike | pd.DataFrame | None = None,
    confound_columns: Sequence[str] | None = None,
    nuisance: Sequence[str] = ("csf", "wm"),
    detrend: bool = True,
    standardize: bool = True,
    max_missing_fraction: float = 0.5,
    sample_mask: Sequence[int] | np.ndarray | None = None,
) -> RegionSignals:
    """Parcellate a 4D NIfTI with a labelled atlas and clean the region signals.

    Regions whose names match ``exclude`` (regexes) are left out; mean CSF/WM signals (``nuisance``)
    and the ``confounds`` table's columns are regressed out after detrending; signals are standardised.
    ``confounds`` is a file (its ``confound_columns``, default all) or a table already read (one row per
    volume, every column regressed). ``sample_mask`` (the indices of the volumes kept, as nilearn's
    fMRIPrep confound strategies give it) censors the other volumes before cleaning.
    Everything left out is in ``dropped`` with a reason. An image on whose grid more than
    ``max_missing_fraction`` of the regions have no voxel is refused (:func:`~zerolag.fmri.parcellation.parcellate`).
    """
    labels, excluded = exclude_labels(read_labels(atlas_labels), list(exclude))
    if len(labels) < 2:
        raise ValueError(
            f"after excluding {list(exclude)}, the labels file {atlas_labels} leaves {len(labels)} region(s): "
            "at least 2 are needed"
        )
    rs = parcellate(
        image,
        atlas,
        labels,
        nuisance=tuple(nuisance),
        excluded=excluded,
        max_missing_fraction=max_missing_fraction,
        labels_name=str(atlas_labels),
    )
    n_vol = rs.signals.shape[0]
    parts = [rs.nuisance.to_numpy()] if rs.nuisance.shape[1] else []
    used = list(rs.nuisance.columns)
    if isinstance(confounds, pd.DataFrame):
        if len(confounds) != n_vol:
            raise ValueError(f"the confounds of {image} have {len(confounds)} rows for its {n_vol} volumes")
        parts.append(confounds.to_numpy(dtype=float))
        used += [str(c) for c in confounds.columns]
    elif confounds is not None:
        table = load_confounds(confounds, n_vol, list(confound_columns) if confound_columns else None)
        parts.append(table.to_numpy())
        used += list(table.columns)
    conf = np.hstack(parts) if parts else None
    signals = rs.signals
    if sample_mask is not None:
        keep = np.asarray(sample_mask, dtype=int)
        if keep.ndim != 1 or keep.size < 2 or np.any(np.diff(keep) <= 0) or keep[0] < 0 or keep[-1] >= n_vol:
            raise ValueError(
                f"sample_mask of {image} must list at least 2 of its {n_vol} volumes, increasing, without repeats"
            )
        signals, conf = signals[keep], None if conf is None else conf[keep]
        rs.record["censored_volumes"] = sorted(set(range(n_vol)) - set(keep.tolist()))
    rs.signals = clean_signals(
        signals, confounds=conf, detrend=detrend, standardize=standardize, name=f"region signals of {image}"
    )
    rs.record.update(
        confounds=used, detrend=detrend, standardize=standardize, excluded=list(exclude), n_samples=len(rs.signals)
    )
    return rs


def prepare_fmriprep_run(
    image: str | os.PathLike,
    confounds: str | os.PathLike | None,
    strategy: ConfoundStrategy,
    atlas: str | os.PathLike,
    atlas_labels: str | os.PathLike,
    *,
    exclude: Sequence[str] = (),
    detrend: bool = True,
    standardize: bool = True,
    max_missing_fraction: float = 0.5,
    loaded_confounds: tuple[pd.DataFrame | None, np.ndarray | None] | None = None,
) -> RegionSignals:
    """A preprocessed fMRIPrep run to cleaned region signals (``zerolag bids`` and the workflow's ``kind: bids``).

    The strategy's confounds are read from the run's confounds file
    (:func:`~zerolag.fmri.confound_strategies.load_run_confounds`: nilearn's strategies, or columns), the
    volumes it censors are left out, and :func:`prepare_nifti` does the rest without the template CSF and
    white-matter masks: fMRIPrep's own ``csf`` and ``white_matter`` columns are the strategy's to take.
    The record gets the strategy and the confounds file. ``loaded_confounds``: what
    :func:`~zerolag.fmri.confound_strategies.load_run_confounds` already returned for this run (not read again).
    """
    from .confound_strategies import load_run_confounds
    from .parcellation import count_volumes

    if loaded_confounds is None:
        loaded_confounds = load_run_confounds(image, confounds, strategy, count_volumes(image))
    table, mask = loaded_confounds
    rs = prepare_nifti(
        image,
        atlas,
        atlas_labels,
        exclude=exclude,
        confounds=table,
        nuisance=(),
        detrend=detrend,
        standardize=standardize,
        max_missing_fraction=max_missing_fraction,
        sample_mask=mask,
    )
    rs.record.update(confound_strategy=strategy.as_dict(), confounds_file=None if confounds is None else str(confounds))
    return rs


def prepare_timeseries(
    path: str | os.PathLike,
    labels: str | os.PathLike | None = None,
    *,
    confounds: str | os.PathLike | None = None,
    confound_columns: Sequence[str] | None = None,
    detrend: bool = True,
    standardize: bool = True,
    tr: float | None = None,
    exclude: Sequence[str] = (),
    allow_short: bool = False,
) -> RegionSignals:
    """Read region time series (time × regions), leave out the regions whose name matches a regex of
    ``exclude`` and the constant ones (both recorded in ``dropped``), and clean the rest (``allow_short``:
    see :func:`~zerolag.fmri.timeseries.read_timeseries`)."""
    x, table = read_timeseries(path, labels, allow_short=allow_short)
    hit = name_matches(table, exclude)
    excluded = table[hit].assign(reason="excluded by name (" + ", ".join(exclude) + ")")
    x, kept, dropped = drop_constant(x[:, ~hit], table[~hit].reset_index(drop=True))
    if len(dropped):
        import warnings

        warnings.warn(
            f"{len(dropped)} region(s) of {path} have a constant signal and are dropped: "
            f"{dropped['name'].tolist()[:10]}",
            stacklevel=2,
        )
    conf, used = None, []
    if confounds is not None:
        t = load_confounds(confounds, x.shape[0], list(confound_columns) if confound_columns else None)
        conf, used = t.to_numpy(), list(t.columns)
    x = clean_signals(
        x,
        confounds=conf,
        detrend=detrend,
        standardize=standardize,
        name=f"time series of {path}",
        allow_short=allow_short,
    )
    kept = kept.copy()
    kept["n_voxels"] = np.nan
    record = {
        "source": str(path),
        "n_volumes": int(x.shape[0]),
        "tr": tr,
        "confounds": used,
        "detrend": detrend,
        "standardize": standardize,
    }
    return RegionSignals(
        signals=x,
        labels=kept,
        dropped=pd.concat([excluded, dropped], ignore_index=True)[["index", "name", "hemisphere", "reason"]],
        tr=tr,
        source=str(path),
        record=record,
    )


def estimate_networks(
    covariance: np.ndarray, methods: Mapping[str, tuple[str, Mapping[str, Any]]]
) -> dict[str, tuple[np.ndarray, dict]]:
    """Run several methods on one covariance: ``{label: (method name, options)}`` → ``{label: (G, info)}``."""
    from ..methods.registry import estimate

    return {label: estimate(method, covariance, **dict(params)) for label, (method, params) in methods.items()}


def save_region_signals(directory: str | os.PathLike, rs: RegionSignals) -> None:
    """Write ``timeseries.npy``, ``regions.tsv``, ``dropped.tsv`` and ``record.json`` into ``directory``."""
    from ..io import save_json, save_npy
    from .labels import write_labels

    d = Path(directory)
    save_npy(d / "timeseries.npy", rs.signals)
    write_labels(d / "regions.tsv", rs.labels)
    write_labels(d / "dropped.tsv", rs.dropped)
    save_json(
        d / "record.json", {**rs.record, "n_regions": int(rs.signals.shape[1]), "n_dropped": int(len(rs.dropped))}
    )


def load_region_signals(directory: str | os.PathLike) -> tuple[np.ndarray, pd.DataFrame]:
    """Read what :func:`save_region_signals` wrote: ``(signals, regions)``.

    Names and hemispheres are read as written (``""`` stays ``""``, ``"NA"`` stays ``"NA"``); an empty
    ``n_voxels`` (region time series given as a table have no voxels) is read back as NaN.
    """
    d = Path(directory)
    regions = pd.read_csv(d / "regions.tsv", sep="\t", keep_default_na=False, na_values={"n_voxels": [""]})
    return np.load(d / "timeseries.npy"), regions
