"""Read NetSim ``.mat`` files (Smith et al. 2011, the FMRIB NetSim simulations).

Each file holds ``ts`` — the subjects' time series stacked in time, shape
(Nsubjects · Ntimepoints, Nnodes) — and ``net`` (Nsubjects, Nnodes, Nnodes), where
``net[s, i, j] ≠ 0`` means a connection **i → j**: the transpose of this package's
``G[target, source]``. The scalars ``Nnodes``, ``Nsubjects`` and ``Ntimepoints`` give the shapes.
NetSim's ``net`` has −1 on the diagonal (the nodes' self-decay); it is not a connection and is
zeroed here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

__all__ = ["NetSimData", "read_netsim"]

_KEYS = ("ts", "net", "Nnodes", "Nsubjects", "Ntimepoints")


@dataclass(frozen=True)
class NetSimData:
    """Time series and true networks of one simulation, in this package's orientation.

    Attributes
    ----------
    ts : ndarray (subjects, timepoints, nodes)
    truth : ndarray (subjects, nodes, nodes)
        ``truth[s, i, j]``: strength of the connection from j to i (zero diagonal).
    """

    ts: np.ndarray
    truth: np.ndarray

    @property
    def n_subjects(self) -> int:
        return self.ts.shape[0]


def _scalar(mat: dict, key: str, path: str) -> int:
    value = np.asarray(mat[key]).ravel()
    if value.size != 1 or value[0] != int(value[0]) or value[0] < 1:
        raise ValueError(f"{path}: {key} must be one positive integer, got {mat[key]!r}")
    return int(value[0])


def read_netsim(path: str | os.PathLike) -> NetSimData:
    """Read one NetSim ``.mat`` file.

    Raises
    ------
    ValueError
        If a key is missing or the shapes disagree with ``Nnodes``, ``Nsubjects``, ``Ntimepoints``.
    """
    import scipy.io

    path = os.fspath(path)
    if not os.path.isfile(path):
        raise ValueError(f"{path}: no such file; give the path of a NetSim simN.mat file")
    try:
        mat = scipy.io.loadmat(path)
    except (ValueError, scipy.io.matlab.MatReadError) as exc:
        raise ValueError(f"{path}: not a readable MATLAB .mat file ({exc})") from exc
    missing = [k for k in _KEYS if k not in mat]
    if missing:
        raise ValueError(f"{path}: not a NetSim file, missing {missing} (a NetSim file holds {list(_KEYS)})")
    nodes, subjects, timepoints = (_scalar(mat, k, path) for k in ("Nnodes", "Nsubjects", "Ntimepoints"))
    ts = np.asarray(mat["ts"], dtype=float)
    net = np.asarray(mat["net"], dtype=float)
    if net.ndim == 2 and subjects == 1:
        net = net[None]
    if ts.shape != (subjects * timepoints, nodes):
        raise ValueError(
            f"{path}: ts has shape {ts.shape}, expected (Nsubjects·Ntimepoints, Nnodes) = "
            f"({subjects * timepoints}, {nodes})"
        )
    if net.shape != (subjects, nodes, nodes):
        expected = (subjects, nodes, nodes)
        raise ValueError(f"{path}: net has shape {net.shape}, expected (Nsubjects, Nnodes, Nnodes) = {expected}")
    if not (np.all(np.isfinite(ts)) and np.all(np.isfinite(net))):
        raise ValueError(f"{path}: ts or net contains NaN or inf")
    truth = np.transpose(net, (0, 2, 1)).copy()  # net[s, i, j]: i → j  ⇒  truth[s, j, i]
    idx = np.arange(nodes)
    truth[:, idx, idx] = 0.0
    return NetSimData(ts=ts.reshape(subjects, timepoints, nodes), truth=truth)
