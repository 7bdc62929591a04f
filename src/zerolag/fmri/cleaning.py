"""Cleaning of region signals: detrending, standardising, regression of tissue signals and confounds.

Every step is linear in the data, so cleaning the region means equals cleaning every voxel and then
averaging (standardisation is applied to the region signals, as nilearn's maskers do). The arithmetic is
that of :func:`nilearn.signal.clean` (0.13) with ``filter=False``, operation for operation, so the results
are bit-identical to it (``tests/library/test_fmri_cleaning.py``); written here with NumPy and SciPy, region
time series given as tables are cleaned without the ``fmri`` extra.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.linalg

__all__ = ["load_confounds", "check_confounds", "clean_signals", "drop_constant"]

_EPS = np.finfo(np.float64).eps


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

    As :func:`nilearn.signal.clean` does (bit for bit): signals and confounds are detrended, the confounds
    z-scored (population sd) and projected out of the signals, then the signals z-scored with the sample
    standard deviation.

    Raises
    ------
    ValueError
        If the signals contain NaN/inf, confounds have a different number of rows, or after regression
        too few degrees of freedom remain (fewer volumes than regions + confounds).
    """
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
    return _clean(x, c, detrend=detrend, standardize=standardize)


def _clean(x: np.ndarray, confounds: np.ndarray | None, *, detrend: bool, standardize: bool) -> np.ndarray:
    """:func:`nilearn.signal.clean` (0.13) without filtering, censoring or runs: the same operations in order."""
    x = np.array(x, dtype=float, order="C")  # nilearn works on C-ordered float64 copies
    if detrend:
        x = _detrend(x)
    if confounds is not None:
        c = np.array(confounds, dtype=float, order="K")  # nilearn detrends confounds in their own memory order
        if detrend:
            c = _detrend(c)
        c = _zscore(c, ddof=0)  # nilearn 0.13 standardises confounds with the population sd
        q, r, _ = scipy.linalg.qr(c, mode="economic", pivoting=True)
        q = q[:, np.abs(np.diag(r)) > _EPS * 100.0]  # drop confounds collinear with the others
        x -= q.dot(q.T).dot(x)
    return _zscore(x, ddof=1) if standardize else x


def _detrend(x: np.ndarray) -> np.ndarray:
    """``x`` (time × columns) without each column's mean and least-squares line, as nilearn computes it."""
    x = x - np.mean(x, axis=0)
    ramp = np.arange(x.shape[0], dtype=x.dtype)
    ramp -= ramp.mean()
    norm = np.sqrt((ramp**2).sum())
    if not norm < _EPS:
        ramp /= norm
    for block in _column_blocks(x.shape[1]):
        x[:, block] -= np.dot(ramp, x[:, block]) * ramp[:, np.newaxis]
    return x


def _column_blocks(n_columns: int) -> list[slice]:
    """nilearn's column blocks of the detrending: one below 500 columns, else 10 of near-equal size."""
    n_blocks = 1 if n_columns < 500 else 10
    sizes = [n_columns // n_blocks + (k < n_columns % n_blocks) for k in range(n_blocks)]
    edges = np.cumsum([0, *sizes])
    return [slice(int(a), int(b)) for a, b in zip(edges[:-1], edges[1:], strict=True) if b > a]


def _zscore(x: np.ndarray, *, ddof: int) -> np.ndarray:
    """Columns centred and divided by their sd (``ddof``); a column of sd below machine epsilon is only centred."""
    x = np.ascontiguousarray(x)  # nilearn standardises a C-ordered copy
    x = x - x.mean(axis=0)
    sd = x.std(axis=0, ddof=ddof)
    sd[sd < _EPS] = 1.0
    x /= sd
    return x
