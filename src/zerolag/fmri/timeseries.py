"""Region time series given directly (parcellated elsewhere): TSV/CSV/NPY files, time × regions."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import pandas as pd

from .labels import hemisphere, read_labels

__all__ = ["read_timeseries"]


def read_timeseries(
    path: str | os.PathLike, labels: str | os.PathLike | None = None, *, allow_short: bool = False
) -> tuple[np.ndarray, pd.DataFrame]:
    """Read region time series (rows = time points, columns = regions) and their labels.

    Parameters
    ----------
    path : path
        ``.npy`` (a 2D array), or ``.tsv``/``.csv``/``.txt`` with a header of region names (TSV is
        tab-separated, CSV comma-separated). A headerless text file gets names ``region_1`` …
    labels : path or None
        Label table (``index``, ``name``) with one row per column, in column order; overrides the header.
    allow_short : bool
        Accept no more time points than regions (for a shrinkage covariance, which stays positive definite).

    Returns
    -------
    signals : ndarray (T, R)
    labels : DataFrame with ``index``, ``name``, ``hemisphere``

    Raises
    ------
    ValueError
        Naming the file: not 2D, NaN/inf, non-numeric, label count ≠ columns, fewer time points than
        regions (with a hint that the file may be regions × time).
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"time-series file {path} does not exist")
    names: list[str] | None = None
    if path.suffix.lower() == ".npy":
        try:
            x = np.load(path, allow_pickle=False)
        except (EOFError, ValueError, OSError) as exc:
            empty = " (the file is empty)" if path.stat().st_size == 0 else ""
            raise ValueError(
                f"time-series file {path} could not be read as a NumPy .npy array{empty}: {str(exc).rstrip('.')}. "
                "Save it with numpy.save(path, x), x of shape (time points, regions)"
            ) from exc
    else:
        sep = "," if path.suffix.lower() == ".csv" else "\t"
        _check_rows(path, sep)
        table = pd.read_csv(path, sep=sep, header=None)
        first = table.iloc[0]
        if pd.to_numeric(first, errors="coerce").isna().any():  # a header row
            # read as written: the default parse turns names such as "NA" or "None" (and empty ones) into NaN
            header = pd.read_csv(path, sep=sep, header=None, nrows=1, dtype=str, keep_default_na=False).iloc[0]
            names = [v.strip() for v in header]
            empty = [k for k, v in enumerate(names) if not v]
            if empty:
                raise ValueError(
                    f"time-series file {path} has empty region names in its header (columns {empty[:10]}, from 0): "
                    "name every column (a first column without a name is often a saved row index: drop it)"
                )
            table = table.iloc[1:]
        try:
            x = table.apply(pd.to_numeric).to_numpy(dtype=float)
        except ValueError as exc:
            raise ValueError(f"time-series file {path} has non-numeric values: {exc}") from exc
    if x.ndim != 2:
        raise ValueError(f"time-series file {path} must hold a 2D array (time × regions), got shape {x.shape}")
    if x.shape[0] == 0:
        raise ValueError(f"time-series file {path} has no time points: below its header there must be one row each")
    if not np.issubdtype(x.dtype, np.number):
        raise ValueError(f"time-series file {path} must be numeric, got dtype {x.dtype}")
    x = x.astype(float)
    if not np.all(np.isfinite(x)):
        raise ValueError(f"time-series file {path} contains NaN or inf: remove or impute those samples")
    if labels is not None:
        table = read_labels(labels)
        if len(table) != x.shape[1]:
            raise ValueError(
                f"labels file {labels} lists {len(table)} regions but time-series file {path} has {x.shape[1]} columns"
            )
    else:
        names = names or [f"region_{i + 1}" for i in range(x.shape[1])]
        if len(set(names)) != len(names):
            raise ValueError(f"time-series file {path} has duplicated column names")
        table = pd.DataFrame({"index": np.arange(1, x.shape[1] + 1), "name": names})
        table["hemisphere"] = [hemisphere(n) for n in names]
    if x.shape[0] <= x.shape[1] and not allow_short:
        raise ValueError(
            f"time-series file {path} has {x.shape[0]} time points (rows) for {x.shape[1]} regions (columns): the "
            "sample covariance is singular. Rows must be time points: if the file is regions × time, transpose it; "
            "if it has fewer time points than regions, use a shrinkage covariance (command line: --covariance "
            "ledoit_wolf; library: ZeroLagConnectivity(covariance='ledoit_wolf'))"
        )
    return x, table


def _check_rows(path: Path, sep: str) -> None:
    """Refuse an empty text table, and one whose rows do not all have the first row's number of fields."""
    with path.open(newline="") as handle:
        rows = ((k, row) for k, row in enumerate(csv.reader(handle, delimiter=sep), start=1) if any(row))
        first = next(rows, None)
        if first is None:
            raise ValueError(
                f"time-series file {path} is empty: it must hold a header of region names and one row per time point"
            )
        width = len(first[1])
        ragged = []
        for line, row in rows:
            if len(row) != width:
                ragged.append((line, len(row)))
                if len(ragged) == 5:
                    break
    if ragged:
        listed = ", ".join(f"line {line} has {n}" for line, n in ragged)
        separator = "commas" if sep == "," else "tabs"
        raise ValueError(
            f"time-series file {path} has rows of unequal length: line {first[0]} has {width} fields, {listed}"
            f"{' …' if len(ragged) == 5 else ''}. Every row needs one value per region, separated by {separator}"
            " (a .tsv is tab-separated, a .csv comma-separated)"
        )
