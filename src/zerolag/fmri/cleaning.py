"""Cleaning of region signals: detrending, standardising, regression of tissue signals and confounds.

Every step is linear in the data, so cleaning the region means equals cleaning every voxel and then
averaging (standardisation is applied to the region signals, as nilearn's maskers do).
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["load_confounds", "check_confounds", "clean_signals", "drop_constant"]


def load_confounds(path: str | os.PathLike, n_volumes: int, columns: list[str] | None = None) -> pd.DataFrame:
    """Read a confounds table (fMRIPrep-style TSV with a header, or CSV): one row per volume.

    Parameters
    ----------
    path : path
        The table.
    n_volumes : int
        Volumes of the image (rows must match).
    columns : list of str or None
        Columns to use (default: all).

    Raises
    ------
    ValueError
        Naming the file: wrong number of rows, unknown columns, non-numeric or missing values
        (fMRIPrep writes ``n/a`` in the first row of derivative columns: choose other columns or fill it).
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"confounds file {path} does not exist")
    sep = "," if path.suffix.lower() == ".csv" else "\t"
    table = pd.read_csv(path, sep=sep)
    if columns:
        missing = [c for c in columns if c not in table.columns]
        if missing:
            raise ValueError(f"confounds file {path} has no column(s) {missing}; it has {list(table.columns)[:20]}")
        table = table[list(columns)]
    return check_confounds(table, path, n_volumes)


def check_confounds(table: pd.DataFrame, path: str | os.PathLike, n_volumes: int) -> pd.DataFrame:
    """Check the confounds read from ``path``: one row per volume, numeric, finite; returned as floats.

    Raises
    ------
    ValueError
        Naming the file: wrong number of rows, non-numeric or missing values, inf.
    """
    if len(table) != n_volumes:
        raise ValueError(
            f"confounds file {path} has {len(table)} rows but the image has {n_volumes} volumes: one row per volume "
            "is needed (is it the confounds file of this run? a header line is expected)"
        )
    bad = [c for c in table.columns if not pd.api.types.is_numeric_dtype(table[c])]
    if bad:
        raise ValueError(f"confounds file {path}: column(s) {bad[:10]} are not numeric")
    nan = [c for c in table.columns if table[c].isna().any()]
    if nan:
        raise ValueError(
            f"confounds file {path}: column(s) {nan[:10]} have missing values (n/a); fMRIPrep's derivative columns "
            "start with n/a: choose columns without them (confound_columns) or fill the first row"
        )
    if not np.all(np.isfinite(table.to_numpy(dtype=float))):
        raise ValueError(f"confounds file {path} contains inf")
    return table.astype(float)


def drop_constant(signals: np.ndarray, labels: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame, pd.DataFrame]:
    """Remove constant columns; return ``(signals, kept labels, dropped labels with a reason)``."""
    signals = np.asarray(signals, dtype=float)
    scale = np.maximum(np.abs(signals).max(axis=0), 1e-300)
    constant = signals.std(axis=0) <= 1e-10 * scale
    dropped = labels[constant].copy()
    dropped["reason"] = "constant signal"
    return signals[:, ~constant], labels[~constant].reset_index(drop=True), dropped.reset_index(drop=True)


def clean_signals(
    signals: np.ndarray,
    *,
    confounds: np.ndarray | pd.DataFrame | None = None,
    detrend: bool = True,
    standardize: bool = True,
    name: str = "signals",
    allow_short: bool = False,
) -> np.ndarray:
    """Detrend, regress confounds out of and standardise region signals (time × regions).

    ``allow_short`` accepts fewer remaining degrees of freedom than regions (the sample covariance is then
    singular; a shrinkage covariance is not), as long as at least 2 remain.

    Uses :func:`nilearn.signal.clean`: confounds are detrended and standardised with the signals and
    projected out; standardisation is the z-score with the sample standard deviation.

    Raises
    ------
    ValueError
        If the signals contain NaN/inf, confounds have a different number of rows, or after regression
        too few degrees of freedom remain (fewer volumes than regions + confounds).
    """
    from nilearn.signal import clean

    x = np.asarray(signals, dtype=float)
    if x.ndim != 2:
        raise ValueError(f"{name} must be time × regions (2D), got shape {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} contain NaN or inf: remove or impute those samples before cleaning")
    c = None
    if confounds is not None and np.size(confounds):
        c = np.asarray(confounds, dtype=float)
        c = c[:, None] if c.ndim == 1 else c
        if c.shape[0] != x.shape[0]:
            raise ValueError(f"confounds have {c.shape[0]} rows but {name} have {x.shape[0]} time points")
        keep = c.std(axis=0) > 0
        c = c[:, keep] if keep.any() else None
    n_conf = 0 if c is None else c.shape[1]
    dof = x.shape[0] - n_conf - int(detrend) - 1
    if dof < 2 or (dof <= x.shape[1] and not allow_short):
        raise ValueError(
            f"{name}: {x.shape[0]} time points leave too few degrees of freedom for {x.shape[1]} regions after "
            f"regressing {n_conf} confound(s){' and a trend' if detrend else ''}: use a longer run, fewer regions "
            "or fewer confounds"
            + ("" if dof < 2 else ", or a shrinkage covariance (command line: --covariance ledoit_wolf)")
        )
    with warnings.catch_warnings():
        # nilearn 0.13 tells developers that 0.14 will scale confounds by the sample sd: a regression's
        # fitted part does not depend on the confounds' scale, so the result is the same either way
        warnings.filterwarnings("ignore", message="From release 0.14.0, confounds", category=DeprecationWarning)
        out = clean(
            x,
            detrend=detrend,
            standardize="zscore_sample" if standardize else None,
            confounds=c,
            standardize_confounds=True,
            filter=False,
            ensure_finite=False,
        )
    return np.asarray(out, dtype=float)
