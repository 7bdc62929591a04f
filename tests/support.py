"""Plain helpers of the tests, also used outside pytest (tests/cluster/run_slurm_test.py, benchmarks/).

The workflow: a copy of it, a Snakemake run in that copy, the tiny configs of tests/configs/, the tables of a
run compared with another's. The fMRI tests: tiny synthetic images, atlases and label files. Fixtures are in
tests/conftest.py.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nibabel as nib
import numpy as np
import pandas as pd
import yaml

from zerolag.scoring.tables import reproducible_part

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "tests/configs"
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))

# One BLAS thread per process, as the Makefile sets: jobs pin their own pools to their `threads`.
SINGLE_THREAD_ENV = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


# --- the workflow ------------------------------------------------------------------------------------------


def load_config(name: str) -> dict:
    """The tiny config ``tests/configs/<name>.yaml``, a fresh copy on every call (tests may change it)."""
    return yaml.safe_load((CONFIGS / f"{name}.yaml").read_text())


def copy_workflow(dest: Path) -> Path:
    """A copy of the workflow (Snakefile, rules, config, envs, profiles, library source) in ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    for item in ("Snakefile", "workflow", "config", "envs", "profiles", "src"):
        src = ROOT / item
        (shutil.copytree if src.is_dir() else shutil.copy)(src, dest / item)
    return dest


def run_snakemake(workdir: Path, config: Path, *args: str) -> subprocess.CompletedProcess:
    """Run Snakemake in ``workdir`` with ``config`` (``--configfile`` last: it takes several values)."""
    return subprocess.run(
        [SNAKEMAKE, *args, "--cores", "2", "--directory", str(workdir), "--configfile", str(config)],
        cwd=workdir,
        capture_output=True,
        text=True,
        env=SINGLE_THREAD_ENV,
        timeout=900,
    )


def write_config(workdir: Path, name: str, config: dict) -> Path:
    path = workdir / name
    path.write_text(yaml.safe_dump(config))
    return path


def tables(work: Path) -> dict[str, pd.DataFrame]:
    found = {p.name: pd.read_csv(p) for p in sorted((work / "results/tables").glob("*.csv"))}
    assert found, f"no tables in {work}"
    return found


def assert_same_tables(reference: dict[str, pd.DataFrame], other: dict[str, pd.DataFrame]) -> None:
    assert sorted(other) == sorted(reference)
    for name, table in reference.items():
        expected, got = reproducible_part(table), reproducible_part(other[name])
        assert list(got.columns) == list(expected.columns), name
        pd.testing.assert_frame_equal(got, expected, check_exact=True, obj=name)


# --- tiny synthetic images, atlases and label files for the fMRI tests -------------------------------------


def save(img, path: Path) -> Path:
    nib.save(img, str(path))
    return path


def tiny_atlas(tmp: Path) -> tuple[Path, Path, np.ndarray, np.ndarray]:
    """A 4 × 3 × 2 grid of 2 mm voxels with 3 regions (and background), stored with x flipped.

    Returns the atlas path, the labels path, the labels in image-grid order (x not flipped) and the
    image grid's affine.
    """
    grid = np.zeros((4, 3, 2), dtype=np.int16)
    grid[:2, :, 0] = 11  # Left_A: 6 voxels
    grid[2:, :, 0] = 12  # Right_A: 6 voxels
    grid[:, :2, 1] = 21  # Mid_B: 8 voxels
    affine = np.diag([2.0, 2.0, 2.0, 1.0])
    affine[:3, 3] = [-4.0, -2.0, 0.0]
    flipped = grid[::-1].copy()  # the atlas file stores x the other way round
    a_aff = affine.copy()
    a_aff[0, 0] = -2.0
    a_aff[0, 3] = affine[0, 3] + 2.0 * (grid.shape[0] - 1)
    atlas = save(nib.Nifti1Image(flipped, a_aff), tmp / "atlas.nii.gz")
    labels = tmp / "labels.csv"
    pd.DataFrame({"index": [11, 12, 21], "name": ["Area_A_L", "Area_A_R", "Vermis_B"]}).to_csv(labels, index=False)
    return atlas, labels, grid, affine


def tiny_image(tmp: Path, affine: np.ndarray, n_volumes: int = 40, seed: int = 0, name: str = "bold.nii.gz"):
    rng = np.random.default_rng(seed)
    data = rng.standard_normal((4, 3, 2, n_volumes)).astype(np.float32) + 100
    return save(nib.Nifti1Image(data, affine), tmp / name), data


def shipped_config(name: str) -> dict:
    """A shipped config as the workflow sees it: ``config.yaml``, or it with an overlay merged in (``paper.yaml``)."""
    from snakemake.utils import update_config

    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    if name != "config.yaml":
        update_config(config, yaml.safe_load((ROOT / "config" / name).read_text()))
    return config
