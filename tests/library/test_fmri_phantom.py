"""A small phantom NIfTI, parcellated, cleaned and estimated: the known network comes back."""

import nibabel as nib
import numpy as np
import pytest
from support import parcel_atlas

from zerolag import estimate_connectivity, score
from zerolag.fmri.labels import read_labels
from zerolag.fmri.phantom import mni_grid, write_phantom
from zerolag.fmri.pipeline import prepare_nifti


@pytest.fixture(scope="module")
def phantom(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("phantom")
    atlas, labels = parcel_atlas(tmp)
    # 3000 s of BOLD (6000 volumes at TR 0.5 s): at this length the region-level signals give AUC ≈ 0.9
    # for 40 nodes (p = 0.1, ρ = 0.7); a coarse 8 mm grid keeps the image small (~90 MB uncompressed)
    image = tmp / "bold.nii"
    truth = write_phantom(
        image, atlas, read_labels(labels), voxel_size=8, n_volumes=6000, tr=0.5, tau=0.5, p=0.1, rho=0.7, random_state=7
    )
    confounds = tmp / "confounds.tsv"
    truth.confounds.to_csv(confounds, sep="\t", index=False)
    return image, atlas, labels, confounds, truth


def test_phantom_is_a_4d_mni_image_with_its_tr(phantom):
    image, *_ = phantom
    img = nib.load(str(image))
    assert img.shape == (*mni_grid(8)[0], 6000)
    assert img.header.get_zooms()[3] == pytest.approx(0.5)
    assert int(img.header["sform_code"]) == 4  # MNI


def test_the_network_comes_back_from_the_nifti(phantom):
    image, atlas, labels, confounds, truth = phantom
    rs = prepare_nifti(image, atlas, labels, confounds=confounds)
    assert rs.labels["index"].tolist() == truth.labels["index"].tolist()
    # the cleaned region signals are the true ones up to the averaged voxel noise
    corr = [np.corrcoef(rs.signals[:, k], truth.region_signals[:, k])[0, 1] for k in range(len(truth.labels))]
    assert np.median(corr) > 0.9
    nifti = score(truth.g, estimate_connectivity(np.cov(rs.signals, rowvar=False)))
    oracle = score(truth.g, estimate_connectivity(np.cov(truth.region_signals.astype(float), rowvar=False)))
    # what limits recovery is the data length (the oracle), not parcellation or cleaning
    assert oracle["auc"] > 0.85
    assert nifti["auc"] > 0.8 and nifti["auc"] > oracle["auc"] - 0.05
    assert nifti["pcc"] > 0.5


def test_without_nuisance_regression_the_shared_signals_stay(phantom):
    image, atlas, labels, confounds, truth = phantom
    raw = prepare_nifti(image, atlas, labels, nuisance=(), confounds=None)
    clean = prepare_nifti(image, atlas, labels, confounds=confounds)
    mean_corr = lambda x: np.mean(np.corrcoef(x, rowvar=False)[np.triu_indices(x.shape[1], 1)])  # noqa: E731
    assert mean_corr(raw.signals) > mean_corr(clean.signals) + 0.1
