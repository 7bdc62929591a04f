"""profiles/slurm: names only rules that exist, requests what SLURM needs, and fits the test cluster's rules.

The profile itself runs for real in `make cluster-test` (tests/cluster/run_slurm_test.py).
"""

import re
import subprocess
import sys

import pytest
import yaml
from support import ROOT, SNAKEMAKE

PROFILE = yaml.safe_load((ROOT / "profiles/slurm/config.yaml").read_text())
# every rule of the workflow, the generated ones (figures.smk) included, as Snakemake lists them
RULES = set(
    subprocess.run(
        [SNAKEMAKE, "--list-rules", "--nolock"], cwd=ROOT, capture_output=True, text=True, check=True, timeout=300
    ).stdout.split()
)

sys.path.insert(0, str(ROOT / "tests/cluster"))
from run_slurm_test import overhead_by_kind, planned_submissions, submitted_name  # noqa: E402 (after the path set-up)


def test_profile_uses_the_slurm_executor_with_squeue_status_checks():
    assert PROFILE["executor"] == "slurm"
    # without slurmdbd sacct fails and the plugin would wait forever; with it, squeue works as well
    assert PROFILE["slurm-status-command"] == "squeue"
    # the plugin silently switches back to sacct unless MinJobAge >= 3 x this delay; SLURM's default is 300 s
    assert 3 * PROFILE["slurm-init-seconds-before-status-checks"] <= 300
    conf = (ROOT / "tests/cluster/slurm.sh").read_text()
    assert int(re.search(r"^MinJobAge=(\d+)$", conf, re.M)[1]) >= 3 * PROFILE["slurm-init-seconds-before-status-checks"]


def test_every_named_rule_exists():
    named = set(PROFILE["set-resources"]) | set(PROFILE.get("set-threads", {})) | set(PROFILE["groups"])
    assert named <= RULES, f"profile names rules the workflow does not have: {sorted(named - RULES)}"


def test_defaults_and_overrides_give_memory_and_runtime():
    # rules that the profile does not name (e.g. added later) fall back to these
    assert {"mem_mb", "runtime"} <= set(PROFILE["default-resources"])
    for rule, resources in PROFILE["set-resources"].items():
        assert {"mem_mb", "runtime"} <= set(resources), rule
        assert resources["mem_mb"] >= 500 and resources["runtime"] >= 1, rule


def test_group_jobs_are_planned_as_the_serial_chains_the_plugin_runs():
    # the SLURM plugin starts a group job's Snakemake with --jobs 1: its jobs run one at a time, so a group
    # asking for more than one CPU would hold CPUs it never uses; `cores` (which also caps threads) must be 1
    assert PROFILE["cores"] == 1
    assert "set-threads" not in PROFILE  # threads above `cores` would be capped silently: use cpus_per_task
    assert PROFILE["set-resources"]["scaling_run"]["cpus_per_task"] == 2  # holds its node's 2 CPUs, as locally


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
        ("rule_points_noisefree_point", "points"),
        ("rule_side_by_side_tutorial_compare_ou_tutorial_compare_sigmoid", "side_by_side"),
        ("rule_simulation_wildcards_ou_T20000_tau0.1_N16_p0.2_rho0.4_q0_0", "simulation"),
        ("rule_provenance", "provenance"),
        ("rule_scaling_run_wildcards_N12_p0.2_rho0.6_q0_0", "scaling_run"),
    ],
)
def test_cluster_test_reads_group_and_rule_from_the_slurm_comment(comment, name):
    assert submitted_name(comment, {"points", "side_by_side", "report"}) == name


def test_cluster_test_splits_the_overhead_by_kind_of_slurm_job(tmp_path):
    header = "s\th:m:s\tmax_rss\tmax_vms\tmax_uss\tmax_pss\tio_in\tio_out\tmean_load\tcpu_time\n"
    for name, cpu in (("a", 105.0), ("b", 45.0), ("c", 7.0)):  # at a benchmark sample: no tail correction
        bench = tmp_path / f"results/benchmarks/{name}.tsv"
        bench.parent.mkdir(parents=True, exist_ok=True)
        bench.write_text(header + f"{cpu}\t0:00:00\t1\t1\t1\t1\t0\t0\t100\t{cpu}\n")  # wall = CPU
    logs = tmp_path / ".snakemake/slurm_logs"
    (logs / "group_simulations").mkdir(parents=True)
    (logs / "rule_provenance").mkdir(parents=True)
    (logs / "group_simulations/11.log").write_text(
        "rule simulation:\n    benchmark: results/benchmarks/a.tsv\n"
        "rule simulation:\n    benchmark: results/benchmarks/b.tsv\n"
    )
    (logs / "rule_provenance/12.log").write_text("rule provenance:\n    benchmark: results/benchmarks/c.tsv\n")
    finished = {
        "11": {"StartTime": "2026-01-01T00:00:00", "EndTime": "2026-01-01T00:01:40", "ProcCnt": "2"},
        "12": {"StartTime": "2026-01-01T00:00:00", "EndTime": "2026-01-01T00:00:10", "ProcCnt": "1"},
    }
    rows = overhead_by_kind(tmp_path, finished, {"11": "simulations", "12": "provenance"})
    # held: 100 s x 2 CPUs and 10 s x 1; science: both simulations' benchmarks, and provenance's
    assert rows == [("provenance", 1, 10.0, 7.0), ("simulations", 1, 200.0, 150.0)]


def test_cluster_test_plans_one_submission_per_group_job_and_ungrouped_job(tmp_path):
    """The planned submissions of a dry run with the profile: group headers plus top-level jobs with a log."""
    from run_slurm_test import SLURM_OVERRIDES, TARGETS, copy_with_config

    work = copy_with_config(tmp_path / "wf")
    cmd = [SNAKEMAKE, "-n", "--workflow-profile", "profiles/slurm", *TARGETS, *SLURM_OVERRIDES]
    cmd += ["--configfile", "tiny.yaml"]
    result = subprocess.run(cmd, cwd=work, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    total, planned = planned_submissions(result.stdout + result.stderr)
    # one noise-free point (Fig. 3's single network spec) in `points`; Fig. 2's simulation in `simulations`; the
    # tutorial's 2 side-by-side comparisons (one size, both kinds) <= 10; 1 frequency run; the 6 tables (Figs. 3,
    # 2, freq, scaling, the tutorial's recorded numbers and side by side) with their 5 figures <= 10 units in
    # `report`; scaling_run and provenance alone; target rules (fig3, ...) are not submitted
    assert planned == {
        "points": 1,
        "simulations": 1,
        "side_by_side": 1,
        "freq_example": 1,
        "report": 1,
        "scaling_run": 1,
        "provenance": 1,
    }
    assert total == 22  # 18 jobs + 4 target rules


def job_resources(dry_run: str, rule: str) -> dict[str, str]:
    """The resources a dry run prints for the first job of ``rule``."""
    block = dry_run[dry_run.index(f"rule {rule}:") :]
    line = next(text for text in block.splitlines() if text.strip().startswith("resources:"))
    return dict(item.split("=", 1) for item in line.split(":", 1)[1].replace(" ", "").split(","))


def test_the_slurm_profile_is_the_one_in_force(tmp_path):
    """`--workflow-profile profiles/slurm` replaces profiles/default (which Snakemake loads by itself otherwise and
    whose settings would win over a `--profile`): the SLURM profile's resources are the ones the jobs get."""
    from run_slurm_test import copy_with_config

    work = copy_with_config(tmp_path / "wf")
    runs = {}
    for name, flags in {"slurm": ["--workflow-profile", "profiles/slurm"], "default": []}.items():
        cmd = [SNAKEMAKE, "-n", *flags, "fig3", "--configfile", "tiny.yaml"]
        result = subprocess.run(cmd, cwd=work, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, result.stderr[-3000:]
        runs[name] = result.stdout + result.stderr
    assert "Using workflow specific profile profiles/slurm " in runs["slurm"]
    assert "profiles/default" not in runs["slurm"]
    assert "Using workflow specific profile profiles/default " in runs["default"]
    slurm = PROFILE["set-resources"]["noisefree_point"]
    got = job_resources(runs["slurm"], "noisefree_point")
    assert (int(got["mem_mb"]), int(got["runtime"])) == (slurm["mem_mb"], slurm["runtime"])
    own = job_resources(runs["default"], "noisefree_point")  # the rule's own declaration, not the profile's
    assert (int(own["mem_mb"]), int(own["runtime"])) != (slurm["mem_mb"], slurm["runtime"])
