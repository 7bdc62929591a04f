"""Networks as BIDS-derivatives relationship matrices: ``<prefix>_relmat.tsv`` and its ``_relmat.json`` sidecar.

The layout is the one the BIDS extension proposal BEP017 (relationship matrices, a draft) describes and
xcp_d writes (``*_stat-pearsoncorrelation_relmat.tsv``): a square tab-separated matrix with a header row of
region labels and a first column, ``Node``, holding the label of each row; missing values are ``n/a``. The
sidecar carries BEP017's ``RelationshipMeasure``, ``Weighted``, ``Directed``, ``ValidDiagonal`` and
``StorageFormat`` fields, and what else one needs to use the matrix without this software.

**Orientation**: row = target, column = source. The entry in row ``i``, column ``j`` is the weight of the link
from region ``j`` to region ``i``, ``G[i, j]`` in the model ``x = G x + v``. The sidecar says so in words
(``Orientation``) and as fields (``Rows: "target"``, ``Columns: "source"``).

**Shared region order**: a matrix is written over a fixed list of regions (``nodes``: e.g. every label of the
atlas); regions this subject lacks (dropped: no voxels, a constant signal, excluded by name) keep their row and
column, filled with ``n/a``, so the matrices of all subjects have one shape and one order. The sidecar lists
them with the reason (``DroppedNodes``).
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["ORIENTATION", "relmat_paths", "expand_to_nodes", "write_relmat", "read_relmat"]

ORIENTATION = (
    "row = target, column = source: the entry in row i, column j is the weight of the link from region j "
    "(source) to region i (target), G[i, j] in x = G x + v"
)
_NA = "n/a"
_ROW_LABELS = "Node"


def relmat_paths(prefix: str | os.PathLike) -> tuple[Path, Path]:
    """The matrix and sidecar paths of a prefix: ``<prefix>_relmat.tsv`` and ``<prefix>_relmat.json``.

    Raises
    ------
    ValueError
        If ``prefix`` already ends in ``_relmat``, ``.tsv`` or ``.json`` (a file name given for the prefix),
        or names a directory.
    """
    text = os.fspath(prefix)
    name = Path(text).name
    if not name or text.endswith(os.sep) or name.endswith(("_relmat", ".tsv", ".json")):
        raise ValueError(
            f"relationship-matrix prefix {text!r} must be the start of a file name, e.g. "
            "out/sub-01_task-rest_seg-AAL2_stat-zerolag: <prefix>_relmat.tsv and <prefix>_relmat.json are written"
        )
    return Path(f"{text}_relmat.tsv"), Path(f"{text}_relmat.json")


def expand_to_nodes(matrix: np.ndarray, names: list[str], nodes: list[str]) -> np.ndarray:
    """``matrix`` over ``names`` placed into a matrix over ``nodes``, NaN in the rows and columns of the others.

    Parameters
    ----------
    matrix : ndarray of shape (R, R)
        Row = target, column = source, in the order of ``names``.
    names : list of str
        The regions of ``matrix``; every one must be in ``nodes``.
    nodes : list of str
        The regions of the result, in its order (e.g. every label of the atlas).

    Returns
    -------
    ndarray of shape (len(nodes), len(nodes))
    """
    matrix = np.asarray(matrix, dtype=float)
    if matrix.shape != (len(names), len(names)):
        raise ValueError(f"a matrix of shape {matrix.shape} for {len(names)} region names: it must be square over them")
    where = {name: k for k, name in enumerate(nodes)}
    if len(where) != len(nodes):
        raise ValueError("the node list has duplicated names")
    missing = [name for name in names if name not in where]
    if missing:
        raise ValueError(f"regions {missing[:5]} are not in the node list (of {len(nodes)} regions)")
    pos = np.array([where[name] for name in names], dtype=int)
    full = np.full((len(nodes), len(nodes)), np.nan)
    full[np.ix_(pos, pos)] = matrix
    return full


def _label_table(regions: pd.DataFrame, what: str) -> pd.DataFrame:
    if not {"index", "name"} <= set(regions.columns):
        raise ValueError(f"{what} must be a table with columns 'index' and 'name', got {list(regions.columns)}")
    return regions.reset_index(drop=True)


def write_relmat(
    prefix: str | os.PathLike,
    matrix: np.ndarray,
    regions: pd.DataFrame,
    *,
    measure: str,
    directed: bool,
    nodes: pd.DataFrame | None = None,
    dropped: pd.DataFrame | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> tuple[Path, Path]:
    """Write a network as ``<prefix>_relmat.tsv`` with its sidecar ``<prefix>_relmat.json``.

    Parameters
    ----------
    prefix : path
        Start of both file names (BIDS entities, e.g. ``out/sub-01_task-rest_seg-AAL2_stat-zerolag``).
    matrix : ndarray of shape (R, R)
        The network over ``regions``: row = target, column = source (``G[i, j]``: from ``j`` to ``i``).
    regions : DataFrame
        ``index`` (label value in the atlas) and ``name`` of the ``R`` regions, row ``r`` = region ``r``.
    measure : str
        What the entries are (the sidecar's ``RelationshipMeasure``).
    directed : bool
        Whether entry ``(i, j)`` differs from ``(j, i)`` (the sidecar's ``Directed``).
    nodes : DataFrame, optional
        ``index`` and ``name`` of every region the file has a row for, in its order; regions not in
        ``regions`` get ``n/a`` rows and columns. Default: ``regions``.
    dropped : DataFrame, optional
        ``index``, ``name`` and ``reason`` of the regions left out (recorded as ``DroppedNodes``).
    metadata : mapping, optional
        Further sidecar fields (method, options, input, atlas, number of samples, …); they may not replace
        the fields this function writes.

    Returns
    -------
    (Path, Path)
        The matrix and sidecar paths. Both are serialised before either is written, and each is written
        atomically: an error leaves no half-written file.
    """
    from . import __version__
    from .io import atomic_write, jsonable

    tsv, sidecar_path = relmat_paths(prefix)
    regions = _label_table(regions, "regions")
    nodes = regions if nodes is None else _label_table(nodes, "nodes")
    names, node_names = [str(n) for n in regions["name"]], [str(n) for n in nodes["name"]]
    full = expand_to_nodes(matrix, names, node_names) + 0.0  # no "-0"
    if dropped is None:
        dropped = pd.DataFrame({"index": [], "name": [], "reason": []})
    elif not {"index", "name", "reason"} <= set(dropped.columns):
        raise ValueError(f"dropped must have columns 'index', 'name' and 'reason', got {list(dropped.columns)}")
    unexplained = sorted(set(node_names) - set(names) - set(dropped["name"].astype(str)))
    if unexplained:
        raise ValueError(
            f"regions {unexplained[:5]} of the node list have no estimate and are not among the dropped regions: "
            "pass each region left out in `dropped` with its reason"
        )
    sidecar = {
        "RelationshipMeasure": measure,
        "Weighted": True,
        "Directed": bool(directed),
        "ValidDiagonal": False,
        "StorageFormat": "Full",
        "Orientation": ORIENTATION,
        "Rows": "target",
        "Columns": "source",
        "NodeLabels": node_names,
        "NodeIndices": [int(i) for i in nodes["index"]],
        "DroppedNodes": [
            {"index": int(r["index"]), "name": str(r["name"]), "reason": str(r["reason"])}
            for _, r in dropped.iterrows()
        ],
        "GeneratedBy": [{"Name": "zerolag", "Version": __version__}],
    }
    clash = sorted(set(metadata or {}) & set(sidecar))
    if clash:
        raise ValueError(f"metadata may not replace the fields write_relmat sets: {clash}")
    sidecar.update(metadata or {})
    sidecar_text = json.dumps(jsonable(sidecar), indent=2, sort_keys=True, allow_nan=False) + "\n"
    table = pd.DataFrame(full, index=pd.Index(node_names, name=_ROW_LABELS), columns=node_names)
    buffer = io.StringIO()
    table.to_csv(buffer, sep="\t", na_rep=_NA, lineterminator="\n")
    tsv_text = buffer.getvalue()
    atomic_write(tsv, lambda tmp: Path(tmp).write_text(tsv_text))
    atomic_write(sidecar_path, lambda tmp: Path(tmp).write_text(sidecar_text))
    return tsv, sidecar_path


def read_relmat(path: str | os.PathLike) -> tuple[np.ndarray, list[str], dict]:
    """Read a relationship matrix written by :func:`write_relmat` (or any BEP017 / xcp_d ``_relmat.tsv``).

    Parameters
    ----------
    path : path
        The ``<prefix>_relmat.tsv`` file, or its prefix. The sidecar is the ``.json`` of the same name.

    Returns
    -------
    matrix : ndarray of shape (N, N)
        Row = target, column = source as the sidecar's ``Rows``/``Columns`` say for files of this
        software; ``n/a`` is read as NaN.
    labels : list of str
        The region labels, in row (= column) order.
    sidecar : dict
        The JSON sidecar.

    Raises
    ------
    ValueError
        Naming the file: missing, not square, row labels that differ from the header, a value that is not a
        number or ``n/a``, a missing or unreadable sidecar, or a sidecar whose ``NodeLabels`` differ.
    """
    text = os.fspath(path)
    tsv = Path(text) if text.endswith("_relmat.tsv") else relmat_paths(text)[0]
    sidecar_path = tsv.with_suffix(".json")
    for p, what in ((tsv, "relationship matrix"), (sidecar_path, "its sidecar")):
        if not p.is_file():
            raise ValueError(f"{what} {p} does not exist")
    table = pd.read_csv(tsv, sep="\t", dtype=str, keep_default_na=False)
    columns = [str(c) for c in table.columns[1:]]
    labels = table.iloc[:, 0].tolist()
    if labels != columns:
        raise ValueError(
            f"relationship matrix {tsv}: the first column (row labels) must list the header's {len(columns)} "
            f"labels in the same order; it has {len(labels)} rows starting {labels[:3]}"
        )
    cells = table.iloc[:, 1:].to_numpy()
    try:
        matrix = np.array([[np.nan if v == _NA else float(v) for v in row] for row in cells], dtype=float)
    except ValueError as exc:
        raise ValueError(f"relationship matrix {tsv} holds a value that is neither a number nor n/a: {exc}") from exc
    try:
        sidecar = json.loads(sidecar_path.read_text())
    except json.JSONDecodeError as exc:
        raise ValueError(f"sidecar {sidecar_path} is not valid JSON: {exc}") from exc
    if "NodeLabels" in sidecar and sidecar["NodeLabels"] != labels:
        raise ValueError(f"sidecar {sidecar_path} lists other NodeLabels than the matrix {tsv}")
    return matrix.reshape(len(labels), len(labels)), labels, sidecar
