"""Atlas label tables: reading, excluding regions by name, hemispheres and hemisphere ordering."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

__all__ = ["read_labels", "exclude_labels", "name_matches", "hemisphere", "hemisphere_order", "write_labels"]

_LEFT = re.compile(r"(^|[_\s.-])(L|Left|lh|LH)($|[_\s.-])")
_RIGHT = re.compile(r"(^|[_\s.-])(R|Right|rh|RH)($|[_\s.-])")


def hemisphere(name: str) -> str:
    """``"L"``, ``"R"`` or ``""`` (midline or unknown) from a region name.

    Recognises a separate token ``L``/``R``, ``Left``/``Right`` or ``lh``/``rh`` anywhere in the name,
    e.g. ``Precentral_L``, ``Left Amygdala``, ``lh.superiorfrontal``, ``R_V1``. A name with both or
    neither (``Vermis_3``) is midline.
    """
    left, right = bool(_LEFT.search(name)), bool(_RIGHT.search(name))
    return "L" if left and not right else "R" if right and not left else ""


def _base(name: str) -> str:
    """The name without its hemisphere token (to pair homotopic regions)."""
    return _RIGHT.sub(r"\1\3", _LEFT.sub(r"\1\3", name)).strip("_ .-").lower()


def hemisphere_order(names: Sequence[str]) -> tuple[np.ndarray, dict[str, int]]:
    """Order regions as left hemisphere, right hemisphere (homotopic partners in the same order), midline.

    Parameters
    ----------
    names : sequence of str
        Region names in their original order.

    Returns
    -------
    order : ndarray of int
        ``names[order]`` is the hemisphere-ordered list: left regions in their original order, then
        the right regions in the order of their left partners (unpaired right regions after them, in
        original order), then midline regions.
    counts : dict
        Number of regions per block: ``{"L": …, "R": …, "midline": …}``.
    """
    hemi = [hemisphere(n) for n in names]
    left = [i for i, h in enumerate(hemi) if h == "L"]
    right = [i for i, h in enumerate(hemi) if h == "R"]
    by_base = {}
    for i in right:
        by_base.setdefault(_base(names[i]), i)
    paired = []
    for i in left:
        j = by_base.get(_base(names[i]))
        if j is not None and j not in paired:
            paired.append(j)
    right_sorted = paired + [j for j in right if j not in paired]
    mid = [i for i, h in enumerate(hemi) if h == ""]
    order = np.array(left + right_sorted + mid, dtype=int)
    return order, {"L": len(left), "R": len(right), "midline": len(mid)}


def read_labels(path: str | os.PathLike) -> pd.DataFrame:
    """Read an atlas label table (CSV or TSV) with columns ``index`` (integer value in the atlas image) and ``name``.

    Column names are matched case-insensitively; ``label``/``value``/``id`` are accepted for ``index``
    and ``label_name``/``region`` for ``name``. Returns a table with ``index``, ``name`` and
    ``hemisphere``, in file order.

    Raises
    ------
    ValueError
        Naming the file: missing columns, non-integer or duplicated indices, index 0 (background),
        empty or duplicated names.
    """
    path = Path(path)
    if not path.is_file():
        raise ValueError(f"atlas labels file {path} does not exist")
    sep = "\t" if path.suffix.lower() in (".tsv", ".txt") else ","
    table = pd.read_csv(path, sep=sep, dtype=str, keep_default_na=False)
    columns = {c.strip().lower(): c for c in table.columns}
    index_col = next((columns[c] for c in ("index", "label", "value", "id") if c in columns), None)
    name_col = next(
        (columns[c] for c in ("name", "label_name", "region") if c in columns and columns[c] != index_col), None
    )
    if index_col is None or name_col is None:
        raise ValueError(
            f"atlas labels file {path} needs an 'index' column (the integer value of the region in the atlas "
            f"image) and a 'name' column; it has {list(table.columns)}"
        )
    try:
        index = table[index_col].astype(float)
    except ValueError as exc:
        raise ValueError(f"atlas labels file {path}: column {index_col!r} must hold integers ({exc})") from exc
    if not np.all(index == np.round(index)):
        raise ValueError(f"atlas labels file {path}: column {index_col!r} must hold integers")
    out = pd.DataFrame({"index": index.astype(np.int64), "name": table[name_col].str.strip()})
    if (out["index"] == 0).any():
        raise ValueError(f"atlas labels file {path} lists index 0, which is the background: remove that row")
    for col in ("index", "name"):
        dup = out[col][out[col].duplicated()].tolist()
        if dup:
            raise ValueError(f"atlas labels file {path}: duplicated {col} values {dup[:5]}")
    if (out["name"] == "").any():
        raise ValueError(
            f"atlas labels file {path}: empty region names in rows {np.flatnonzero(out['name'] == '')[:5].tolist()}"
        )
    out["hemisphere"] = [hemisphere(n) for n in out["name"]]
    return out


def name_matches(labels: pd.DataFrame, patterns: Sequence[str]) -> np.ndarray:
    """Boolean mask of the rows of a label table whose ``name`` matches one of ``patterns`` (regexes)."""
    hit = np.zeros(len(labels), dtype=bool)
    for pattern in patterns:
        hit |= labels["name"].str.contains(pattern, regex=True).to_numpy()
    return hit


def exclude_labels(labels: pd.DataFrame, patterns: Sequence[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Split a label table into kept regions and regions whose name matches one of ``patterns`` (regexes).

    Returns ``(kept, excluded)``; ``excluded`` has a ``reason`` column.
    """
    hit = name_matches(labels, patterns)
    excluded = labels[hit].copy()
    excluded["reason"] = "excluded by name (" + ", ".join(patterns) + ")"
    return labels[~hit].reset_index(drop=True), excluded.reset_index(drop=True)


def write_labels(path: str | os.PathLike, labels: pd.DataFrame) -> None:
    """Write a label table as TSV, atomically."""
    from ..io import atomic_write

    atomic_write(path, lambda tmp: labels.to_csv(tmp, sep="\t", index=False))
