"""Parcellation of a tiny synthetic image with a tiny atlas: exact region means, drops recorded, bad input."""

import warnings

import nibabel as nib
import numpy as np
import pandas as pd
import pytest
from support import save, tiny_atlas, tiny_image

from zerolag.fmri.cleaning import clean_signals, load_confounds
from zerolag.fmri.labels import exclude_labels, hemisphere, hemisphere_order, read_labels
from zerolag.fmri.parcellation import parcellate
from zerolag.fmri.pipeline import prepare_nifti
from zerolag.fmri.timeseries import read_timeseries


@pytest.fixture
def atlas(tmp_path):
    return tiny_atlas(tmp_path)


def test_region_means_are_exact_through_a_flipped_atlas(tmp_path, atlas):
    atlas_path, labels_path, grid, affine = atlas
    image, data = tiny_image(tmp_path, affine)
    rs = parcellate(image, atlas_path, read_labels(labels_path), nuisance=())
    assert rs.labels["name"].tolist() == ["Area_A_L", "Area_A_R", "Vermis_B"]
    assert rs.labels["n_voxels"].tolist() == [6, 6, 8]
    for r, idx in enumerate([11, 12, 21]):
        expected = data[grid == idx].astype(float).mean(axis=0)  # (volumes,)
        np.testing.assert_allclose(rs.signals[:, r], expected, rtol=1e-12)
    assert len(rs.dropped) == 0 and rs.signals.shape == (40, 3)


def test_empty_and_constant_regions_are_dropped_with_a_warning_and_recorded(tmp_path, atlas):
    atlas_path, labels_path, grid, affine = atlas
    image, data = tiny_image(tmp_path, affine)
    data[grid == 21] = 5.0  # constant region
    image = save(nib.Nifti1Image(data, affine), tmp_path / "const.nii.gz")
    # a fourth label present in the atlas but off the image grid: the image sees only x < 3
    small = save(nib.Nifti1Image(data[:3], affine), tmp_path / "small.nii.gz")
    with pytest.warns(UserWarning, match="constant signal"):
        rs = parcellate(image, atlas_path, read_labels(labels_path), nuisance=())
    assert rs.dropped["name"].tolist() == ["Vermis_B"] and rs.dropped["reason"].tolist() == ["constant signal"]
    assert rs.labels["name"].tolist() == ["Area_A_L", "Area_A_R"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        rs2 = parcellate(small, atlas_path, read_labels(labels_path), nuisance=())
    assert rs2.labels["n_voxels"].tolist() == [6, 3]  # Area_A_R loses the voxels at x = 3
    assert not any("no voxel" in str(w.message) for w in caught)


def test_excluded_and_unreachable_regions_are_recorded(tmp_path, atlas):
    atlas_path, labels_path, grid, affine = atlas
    image, _ = tiny_image(tmp_path, affine[:, :])
    half = save(nib.Nifti1Image(np.asarray(nib.load(image).dataobj)[:2], affine), tmp_path / "half.nii.gz")
    labels, excluded = exclude_labels(read_labels(labels_path), ["^Vermis"])
    with pytest.warns(UserWarning, match="no voxel"):
        rs = parcellate(half, atlas_path, labels, excluded=excluded, nuisance=())
    reasons = dict(zip(rs.dropped["name"], rs.dropped["reason"], strict=True))
    assert reasons["Area_A_R"] == "no voxels on the image grid"
    assert reasons["Vermis_B"].startswith("excluded by name")
    assert rs.labels["name"].tolist() == ["Area_A_L"]


def test_confounds_are_regressed_out(tmp_path, atlas):
    atlas_path, labels_path, grid, affine = atlas
    rng = np.random.default_rng(1)
    n = 200
    confound = np.sin(np.linspace(0, 20, n))
    data = rng.standard_normal((4, 3, 2, n)) + 3 * confound
    image = save(nib.Nifti1Image(data.astype(np.float32), affine), tmp_path / "c.nii.gz")
    table = tmp_path / "confounds.tsv"
    pd.DataFrame({"motion": confound, "other": rng.standard_normal(n)}).to_csv(table, sep="\t", index=False)
    rs = prepare_nifti(image, atlas_path, labels_path, confounds=table, confound_columns=["motion"], nuisance=())
    assert abs(np.corrcoef(rs.signals[:, 0], confound)[0, 1]) < 1e-8
    np.testing.assert_allclose(rs.signals.std(axis=0, ddof=1), 1.0)
    assert rs.record["confounds"] == ["motion"]


def test_hemispheres_and_hemisphere_order_from_label_names():
    assert [
        hemisphere(n) for n in ("Precentral_L", "Left Amygdala", "lh.insula", "R_V1", "Vermis_3", "Rolandic_Oper")
    ] == [
        "L",
        "L",
        "L",
        "R",
        "",
        "",
    ]
    names = ["Precentral_L", "Precentral_R", "Insula_R", "Vermis_1", "Insula_L", "Extra_R"]
    order, counts = hemisphere_order(names)
    assert [names[i] for i in order] == ["Precentral_L", "Insula_L", "Precentral_R", "Insula_R", "Extra_R", "Vermis_1"]
    assert counts == {"L": 2, "R": 3, "midline": 1}


def test_read_timeseries_header_and_orientation(tmp_path):
    x = np.random.default_rng(0).standard_normal((50, 3))
    path = tmp_path / "ts.tsv"
    pd.DataFrame(x, columns=["A_L", "A_R", "B"]).to_csv(path, sep="\t", index=False)
    y, labels = read_timeseries(path)
    np.testing.assert_allclose(y, x)
    assert labels["hemisphere"].tolist() == ["L", "R", ""]
    np.save(tmp_path / "wrong.npy", x.T)
    with pytest.raises(ValueError, match=r"wrong\.npy.*transpose"):
        read_timeseries(tmp_path / "wrong.npy")


# --- bad input: a clear ValueError naming the file and the problem ---------------------------------


def test_a_3d_image_is_refused(tmp_path, atlas):
    atlas_path, labels_path, _, affine = atlas
    img = save(nib.Nifti1Image(np.ones((4, 3, 2), np.float32), affine), tmp_path / "anat.nii.gz")
    with pytest.raises(ValueError, match=r"anat\.nii\.gz is a 3D image.*4D image"):
        parcellate(img, atlas_path, read_labels(labels_path), nuisance=())


def test_an_image_that_does_not_overlap_the_atlas_is_refused(tmp_path, atlas):
    atlas_path, labels_path, _, affine = atlas
    far = affine.copy()
    far[:3, 3] += 500
    image, _ = tiny_image(tmp_path, far, name="far.nii.gz")
    with pytest.raises(ValueError, match=r"far\.nii\.gz and atlas .* do not overlap.*MNI"):
        parcellate(image, atlas_path, read_labels(labels_path), nuisance=())


def test_nan_voxels_are_refused(tmp_path, atlas):
    atlas_path, labels_path, grid, affine = atlas
    image, data = tiny_image(tmp_path, affine)
    data[0, 0, 0, 7] = np.nan
    image = save(nib.Nifti1Image(data, affine), tmp_path / "nan.nii.gz")
    with pytest.raises(ValueError, match=r"nan\.nii\.gz has NaN or inf .*volume 7"):
        parcellate(image, atlas_path, read_labels(labels_path), nuisance=())


def test_confounds_with_the_wrong_number_of_rows_are_refused(tmp_path):
    table = tmp_path / "conf.tsv"
    pd.DataFrame({"a": np.arange(9.0)}).to_csv(table, sep="\t", index=False)
    with pytest.raises(ValueError, match=r"conf\.tsv has 9 rows but the image has 10 volumes"):
        load_confounds(table, 10)
    pd.DataFrame({"a": [np.nan, *range(9)]}).to_csv(table, sep="\t", index=False, na_rep="n/a")
    with pytest.raises(ValueError, match=r"conf\.tsv: column\(s\) \['a'\] have missing values"):
        load_confounds(table, 10)


def test_fewer_volumes_than_regions_is_refused(tmp_path, atlas):
    atlas_path, labels_path, _, affine = atlas
    image, _ = tiny_image(tmp_path, affine, n_volumes=3, name="short.nii.gz")
    with pytest.raises(ValueError, match=r"short\.nii\.gz has 3 volumes for 3 regions"):
        parcellate(image, atlas_path, read_labels(labels_path), nuisance=())
    with pytest.raises(ValueError, match="too few degrees of freedom"):
        clean_signals(np.random.default_rng(0).standard_normal((5, 3)), confounds=np.arange(5.0))


def test_labels_that_do_not_match_the_atlas_are_refused(tmp_path, atlas):
    atlas_path, labels_path, _, affine = atlas
    image, _ = tiny_image(tmp_path, affine)
    missing = tmp_path / "missing.csv"
    pd.DataFrame({"index": [11, 12], "name": ["Area_A_L", "Area_A_R"]}).to_csv(missing, index=False)
    with pytest.raises(ValueError, match=r"label values \[21\] that the labels file does not list"):
        parcellate(image, atlas_path, read_labels(missing), nuisance=())
    extra = tmp_path / "extra.csv"
    pd.DataFrame({"index": [11, 12, 21, 99], "name": ["a_L", "a_R", "b", "c"]}).to_csv(extra, index=False)
    with pytest.raises(ValueError, match=r"lists indices \[99\] that atlas .* does not contain"):
        parcellate(image, atlas_path, read_labels(extra), nuisance=())
    bad = tmp_path / "bad.csv"
    pd.DataFrame({"id_": [1], "region_name": ["x"]}).to_csv(bad, index=False)
    with pytest.raises(ValueError, match=r"bad\.csv needs an 'index' column"):
        read_labels(bad)
