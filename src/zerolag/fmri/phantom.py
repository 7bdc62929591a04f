"""A 4D NIfTI phantom in MNI space generated from a known network over the atlas regions.

Each atlas region present on the phantom's grid is a node of an Erdős–Rényi network ``G``
(:func:`zerolag.make_network`); the region's BOLD signal is the library's OU + HRF simulation
(:func:`zerolag.simulation.ou.simulate_bold`, standardised). Every voxel of a region carries that signal
plus, as in a real scan, a baseline, a linear drift, a share of the CSF and white-matter signals
(partial volumes, physiology), a head-motion-like signal, and independent voxel noise. CSF and
white-matter voxels (masks from nilearn's MNI152 templates, exactly those the parcellation uses)
carry their tissue signal, other brain voxels only the shared nuisance and noise; outside the brain
the image is 0. The image is written as int16 with a scale factor, volume block by volume block, so
memory does not grow with the number of volumes. The motion-like signal is also written as an
fMRIPrep-style confounds table (column ``motion``).
"""

from __future__ import annotations

import gzip
import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .._optional import require
from ..simulation.networks import NetworkSpec, check_random_state, make_network
from .parcellation import labels_on_grid, load_image, tissue_masks

__all__ = ["PhantomTruth", "mni_grid", "nuisance_signal", "write_phantom"]

_MNI_MIN = np.array([-90.0, -126.0, -72.0])  # corner of the MNI152 2 mm bounding box (91 × 109 × 91)
_MNI_EXTENT = np.array([180.0, 216.0, 180.0])
_SLOPE = 0.05  # int16 scale factor: steps of 0.05 against voxel noise of sd ~1
_BASELINE = 800.0


@dataclass
class PhantomTruth:
    """What the phantom was made from.

    Attributes
    ----------
    g : ndarray (R, R)
        Coupling matrix over the regions present, row = target, column = source.
    labels : DataFrame
        ``index``, ``name``, ``hemisphere``, ``n_voxels`` of those regions (row r = node r).
    region_signals : ndarray (T, R), float32
        The regions' BOLD signals before they were spread over voxels (a noise-free reference).
    confounds : DataFrame
        The confounds table written beside the image.
    nuisance : DataFrame
        The shared signals as generated (standardised): ``csf``, ``wm`` (carried by the tissue voxels with
        amplitude 2, leaked into the regions' voxels with ``nuisance_leak``) and ``motion`` (every brain voxel,
        amplitude ``motion``); what a preprocessing pipeline's tissue and motion confounds would estimate.
    """

    g: np.ndarray
    labels: pd.DataFrame
    region_signals: np.ndarray
    confounds: pd.DataFrame
    nuisance: pd.DataFrame


def mni_grid(voxel_size: float) -> tuple[tuple[int, int, int], np.ndarray]:
    """Shape and affine of an isotropic grid of ``voxel_size`` mm over the MNI152 bounding box (RAS+)."""
    if not voxel_size > 0:
        raise ValueError(f"voxel_size must be a positive number of mm, got {voxel_size}")
    shape = tuple(int(s) for s in np.floor(_MNI_EXTENT / voxel_size + 1e-9).astype(int) + 1)
    affine = np.diag([voxel_size, voxel_size, voxel_size, 1.0])
    affine[:3, 3] = _MNI_MIN
    return shape, affine


def nuisance_signal(
    n: int, dt: float, *, timescale: float, rng: np.random.Generator, frequency: float = 0.0
) -> np.ndarray:
    """A standardised slow AR(1) process of ``timescale`` seconds, plus a sinusoid of ``frequency`` Hz if given."""
    a = np.exp(-dt / timescale)
    e = rng.standard_normal(n) * np.sqrt(1 - a * a)
    x = np.empty(n)
    x[0] = rng.standard_normal()
    for t in range(1, n):  # n ~ 1e4: a Python loop is fine
        x[t] = a * x[t - 1] + e[t]
    if frequency > 0:
        x = x + np.sqrt(2) * np.sin(2 * np.pi * frequency * dt * np.arange(n) + rng.uniform(0, 2 * np.pi))
    return (x - x.mean()) / x.std()


def write_phantom(
    path: str | os.PathLike,
    atlas: object,
    labels: pd.DataFrame,
    *,
    voxel_size: float,
    n_volumes: int,
    tr: float,
    tau: float,
    p: float,
    rho: float,
    voxel_noise: float = 1.0,
    nuisance_leak: float = 0.5,
    motion: float = 0.5,
    drift: float = 2.0,
    random_state: int | np.random.Generator | None,
) -> PhantomTruth:
    """Write a phantom 4D NIfTI (``.nii`` or ``.nii.gz``) and return its truth.

    Parameters
    ----------
    path : path
        Output image (written atomically).
    atlas : path or nibabel image
        Label image in MNI space (e.g. AAL2).
    labels : DataFrame
        Regions that become nodes (``index``, ``name``, ``hemisphere``); regions without a voxel on the
        grid are left out of ``G`` (the parcellation will report them as dropped).
    voxel_size : float
        Isotropic voxel size in mm of the phantom's grid over the MNI bounding box.
    n_volumes : int
        Number of volumes (time points); the sampling interval is ``tr``.
    tr : float
        Repetition time in seconds (the OU process is sampled at ``tr``).
    tau, p, rho : float
        OU time constant (s), connection probability and spectral radius of ``G``.
    voxel_noise : float
        Standard deviation of the independent noise of every voxel (region signals have sd 1).
    nuisance_leak, motion, drift : float
        Amplitudes (in units of the region signal's sd) of the CSF + WM signals in grey-matter voxels,
        of the motion-like signal in every brain voxel, and of the linear drift (end to end).
    random_state : int, Generator or None
        Seed of everything random (network, signals, noise).

    Returns
    -------
    PhantomTruth

    Raises
    ------
    zerolag._optional.MissingExtraError
        If nibabel or nilearn is not installed (the ``fmri`` extra).
    """
    require("nibabel", "nilearn", extra="fmri", feature="writing a phantom NIfTI")
    from ..io import atomic_write
    from ..simulation.ou import simulate_bold

    rng = check_random_state(random_state)
    n_volumes = int(n_volumes)
    shape, affine = mni_grid(voxel_size)
    atl = load_image(atlas, "atlas")
    grid = labels_on_grid(atl, shape, affine, atlas_name="atlas", image_name="phantom grid")
    counts = np.array([(grid == idx).sum() for idx in labels["index"]])
    present = labels[counts > 0].reset_index(drop=True).copy()
    present["n_voxels"] = counts[counts > 0]
    n = len(present)
    if n_volumes <= n:
        raise ValueError(
            f"a phantom of {n_volumes} volumes for {n} regions would have a singular covariance: use more volumes"
        )
    g, _ = make_network(NetworkSpec(n=n, p=p, rho=rho), random_state=rng)
    regions = simulate_bold(g, tau=tau, dt=tr, duration=n_volumes * tr, random_state=rng, dtype=np.float32)
    regions = regions[:n_volumes]
    csf, wm = (nuisance_signal(n_volumes, tr, timescale=s, rng=rng, frequency=f) for s, f in ((4.0, 0.3), (20.0, 0.0)))
    mot = nuisance_signal(n_volumes, tr, timescale=30.0, rng=rng)
    masks = tissue_masks(shape, affine, exclude=grid > 0)
    from nilearn import datasets

    brain = (
        labels_on_grid(
            datasets.load_mni152_brain_mask(resolution=2),
            shape,
            affine,
            atlas_name="brain mask",
            image_name="phantom grid",
        )
        > 0
    )
    flat_grid = grid.reshape(-1, order="F")
    node_of = np.full(flat_grid.shape, -1)
    for r, idx in enumerate(present["index"]):
        node_of[flat_grid == idx] = r
    csf_f, wm_f = masks["csf"].reshape(-1, order="F"), masks["wm"].reshape(-1, order="F")
    brain_f = brain.reshape(-1, order="F") | (flat_grid > 0) | csf_f | wm_f
    vox = np.flatnonzero(brain_f)  # Fortran-order voxel numbers: the NIfTI layout
    node = node_of[vox]
    kind = np.where(node >= 0, 0, np.where(csf_f[vox], 1, np.where(wm_f[vox], 2, 3)))
    baseline = _BASELINE + rng.uniform(-50, 50, vox.size)
    slope = drift * rng.uniform(-1, 1, vox.size)
    ramp = np.linspace(-0.5, 0.5, n_volumes)
    leak = np.where(kind == 0, nuisance_leak, 0.0)
    in_region = node >= 0
    confounds = pd.DataFrame({"motion": mot})

    import nibabel as nib

    hdr = nib.Nifti1Header()
    hdr.set_data_dtype(np.int16)
    hdr.set_data_shape((*shape, n_volumes))
    hdr.set_zooms((voxel_size, voxel_size, voxel_size, tr))
    hdr.set_xyzt_units("mm", "sec")
    hdr.set_sform(affine, code="mni")
    hdr.set_qform(affine, code="mni")
    hdr.set_slope_inter(_SLOPE, 0.0)
    hdr["vox_offset"] = 352
    n_vox = int(np.prod(shape))
    block = max(1, (1 << 22) // max(1, vox.size))

    def write(tmp: str) -> None:
        opener = gzip.open if str(path).endswith(".gz") else open
        kwargs = {"compresslevel": 1} if opener is gzip.open else {}
        with opener(tmp, "wb", **kwargs) as f:
            f.write(hdr.binaryblock)
            f.write(b"\0" * 4)
            for t0 in range(0, n_volumes, block):
                t1 = min(n_volumes, t0 + block)
                nt = t1 - t0
                y = baseline + np.outer(ramp[t0:t1], slope)
                y += voxel_noise * rng.standard_normal((nt, vox.size))
                y += motion * mot[t0:t1, None]
                y += np.outer(csf[t0:t1], np.where(kind == 1, 2.0, leak)) + np.outer(
                    wm[t0:t1], np.where(kind == 2, 2.0, leak)
                )
                y[:, in_region] += regions[t0:t1][:, node[in_region]]
                full = np.zeros((nt, n_vox), dtype=np.int16)
                full[:, vox] = np.clip(np.rint(y / _SLOPE), -32768, 32767).astype(np.int16)
                f.write(full.tobytes())

    atomic_write(path, write)
    nuisance = pd.DataFrame({"csf": csf, "wm": wm, "motion": mot})
    return PhantomTruth(g=g, labels=present, region_signals=regions, confounds=confounds, nuisance=nuisance)


def save_phantom(
    *,
    image: str | os.PathLike,
    confounds: str | os.PathLike,
    truth: str | os.PathLike,
    labels: str | os.PathLike,
    regions: str | os.PathLike,
    atlas: str | os.PathLike,
    atlas_labels: str | os.PathLike,
    exclude: list[str],
    random_state: int,
    **params: float,
) -> dict:
    """Write a phantom and everything known about it: the image, its confounds table, the true network
    (``truth.npz``: ``g``, ``index``), the regions' label table and their noise-free signals.

    ``params`` are :func:`write_phantom`'s (``voxel_size``, ``n_volumes``, ``tr``, ``tau``, ``p``, ``rho``, …).
    """
    from ..io import atomic_write, save_npy, save_npz
    from .labels import exclude_labels, read_labels, write_labels

    kept, _ = exclude_labels(read_labels(atlas_labels), exclude)
    t = write_phantom(image, atlas, kept, random_state=random_state, **params)
    atomic_write(confounds, lambda tmp: t.confounds.to_csv(tmp, sep="\t", index=False, float_format="%.9g"))
    save_npz(truth, g=t.g, index=t.labels["index"].to_numpy())
    write_labels(labels, t.labels)
    save_npy(regions, t.region_signals)
    return {
        "regions": len(t.labels),
        "links": int(np.count_nonzero(t.g)),
        "voxels_per_region_min": int(t.labels["n_voxels"].min()),
    }
