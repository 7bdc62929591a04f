"""Tiny synthetic images, atlases and label files for the fMRI tests."""

from pathlib import Path

import nibabel as nib
import numpy as np
import pandas as pd


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
