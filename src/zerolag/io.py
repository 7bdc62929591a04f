"""Atomic writers: a result file either appears whole or not at all (no half-written outputs)."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["atomic_write", "jsonable", "save_npy", "save_npz", "save_json", "save_table", "save_figure"]

_UMASK = os.umask(0)
os.umask(_UMASK)


def atomic_write(path: str | os.PathLike, write: Callable[[str], None]) -> None:
    """Call ``write(tmp_path)`` on a temporary file beside ``path``, then rename it onto ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=path.suffix)
    os.close(fd)
    try:
        write(tmp)
        os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp makes 0600 files; give the mode a plain open() would
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_npy(path: str | os.PathLike, array: np.ndarray) -> None:
    """Write one array as ``.npy``."""

    def write(tmp: str) -> None:
        with open(tmp, "wb") as f:
            np.save(f, np.asarray(array))

    atomic_write(path, write)


def save_npz(path: str | os.PathLike, **arrays: np.ndarray) -> None:
    """Write named arrays as ``.npz``."""

    def write(tmp: str) -> None:
        with open(tmp, "wb") as f:
            np.savez(f, **arrays)

    atomic_write(path, write)


def jsonable(value: Any) -> Any:
    """``value`` with NumPy scalars turned into Python ones and tuples into lists, as JSON stores it."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, np.generic):
        return value.item()
    return value


def save_json(path: str | os.PathLike, data: dict) -> None:
    """Write a dict as indented JSON (NumPy scalars converted)."""
    atomic_write(path, lambda tmp: Path(tmp).write_text(json.dumps(jsonable(data), indent=2, sort_keys=True) + "\n"))


def save_table(path: str | os.PathLike, table: pd.DataFrame) -> None:
    """Write a table as CSV without the index, floats at full precision."""
    atomic_write(path, lambda tmp: table.to_csv(tmp, index=False, float_format="%.17g"))


def save_figure(figure: Any, *paths: str | os.PathLike) -> None:
    """Save a matplotlib figure to each path (format from the suffix)."""
    for p in paths:
        atomic_write(p, lambda tmp, p=p: figure.savefig(tmp, format=Path(p).suffix.lstrip(".")))
