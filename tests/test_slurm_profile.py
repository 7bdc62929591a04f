"""profiles/slurm: names only rules that exist, requests what SLURM needs, and fits the test cluster's rules.

The profile itself runs for real in `make cluster-test` (tests/cluster/run_slurm_test.py).
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
PROFILE = yaml.safe_load((ROOT / "profiles/slurm/config.yaml").read_text())
RULES = {
    m[1]
    for path in (ROOT / "workflow/rules").glob("*.smk")
    for m in re.finditer(r"^rule (\w+):", path.read_text(), re.M)
}

sys.path.insert(0, str(ROOT / "tests/cluster"))
from run_slurm_test import planned_submissions, submitted_name  # noqa: E402 (after the path set-up)


def test_profile_uses_the_slurm_executor_with_squeue_status_checks():
    assert PROFILE["executor"] == "slurm"
    # without slurmdbd sacct fails and the plugin would wait forever; with it, squeue works as well
    assert PROFILE["slurm-status-command"] == "squeue"
    # the plugin silently switches back to sacct unless MinJobAge >= 3 x this delay; SLURM's default is 300 s
    assert 3 * PROFILE["slurm-init-seconds-before-status-checks"] <= 300
    conf = (ROOT / "tests/cluster/slurm.sh").read_text()
    assert int(re.search(r"^MinJobAge=(\d+)$", conf, re.M)[1]) >= 3 * PROFILE["slurm-init-seconds-before-status-checks"]


def test_every_named_rule_exists():
    named = set(PROFILE["set-resources"]) | set(PROFILE["set-threads"]) | set(PROFILE["groups"])
    assert named <= RULES, f"profile names rules the workflow does not have: {sorted(named - RULES)}"


def test_defaults_and_overrides_give_memory_and_runtime():
    # rules that the profile does not name (e.g. added later) fall back to these
    assert {"mem_mb", "runtime"} <= set(PROFILE["default-resources"])
    for rule, resources in PROFILE["set-resources"].items():
        assert {"mem_mb", "runtime"} <= set(resources), rule
        assert resources["mem_mb"] >= 500 and resources["runtime"] >= 1, rule


def test_every_group_has_components_and_no_group_is_named_like_a_rule():
    groups = set(PROFILE["groups"].values())
    assert set(PROFILE["group-components"]) <= groups
    # a group job's SLURM comment is rule_<group>_<rules>: no group name may start a rule name (the
    # cluster test tells group jobs from single jobs by it)
    assert not {g for g in groups for rule in RULES if rule.startswith(g)}


def test_site_knobs_are_documented_in_the_profile():
    text = (ROOT / "profiles/slurm/config.yaml").read_text()
    assert "# slurm_account:" in text and "# slurm_partition:" in text


@pytest.mark.parametrize(
    ("comment", "name"),
    [
        ("rule_sims_estimate_network_noisefree_covariance_score", "sims"),
        ("rule_side_by_side_tutorial_compare_ou_tutorial_compare_sigmoid", "side_by_side"),
        ("rule_provenance", "provenance"),
        ("rule_scaling_run_wildcards_N12_p0.2_rho0.6_q0_0", "scaling_run"),
    ],
)
def test_cluster_test_reads_group_and_rule_from_the_slurm_comment(comment, name):
    assert submitted_name(comment, {"sims", "side_by_side", "report"}) == name


def test_cluster_test_plans_one_submission_per_group_job_and_ungrouped_job(tmp_path):
    """The planned submissions of a dry run with the profile: group headers plus top-level jobs with a log."""
    from run_slurm_test import SLURM_OVERRIDES, SNAKEMAKE, TARGETS, copy_with_config

    work = copy_with_config(tmp_path / "wf")
    cmd = [SNAKEMAKE, "-n", "--profile", "profiles/slurm", *TARGETS, *SLURM_OVERRIDES, "--configfile", "tiny.yaml"]
    result = subprocess.run(cmd, cwd=work, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    total, planned = planned_submissions(result.stdout + result.stderr)
    # 4 network draws (Fig. 3, Fig. 2, the tutorial's, scaling's) <= 100 per group job; 2 units in sims (Fig. 3's
    # covariance, Fig. 2's simulation, each with its estimates and scores) <= 20; 2 side-by-side comparisons
    # <= 25; 1 frequency run; the 5 table + figure pairs of Figs. 3, 2, freq, scaling and the tutorial's
    # side by side <= 10; scaling_run, provenance and the recorded numbers alone; target rules (fig3, ...)
    # are not submitted
    assert planned == {
        "networks": 1,
        "sims": 1,
        "side_by_side": 1,
        "freq_example": 1,
        "report": 1,
        "scaling_run": 1,
        "provenance": 1,
        "tutorial_recorded_table": 1,
    }
    assert total == 33  # 29 jobs + 4 target rules
