"""The plan of coarse jobs: every figure row is computed by exactly one job, and the workflow stays small."""

import re
import subprocess

import pandas as pd
import pytest
from support import ROOT, SNAKEMAKE, shipped_config

from zerolag.workflow import paths
from zerolag.workflow.jobs import collect, table_labels
from zerolag.workflow.plan import (
    TIMESERIES_FIGURES,
    fig3_rows,
    noisefree_jobs,
    peers_jobs,
    peers_rows,
    run_paths,
    simulation_jobs,
    ts_rows,
)

QUICK = shipped_config("config.yaml")
PAPER = shipped_config("paper.yaml")


@pytest.mark.parametrize("config", [QUICK, PAPER], ids=["quick", "paper"])
def test_every_row_is_computed_by_one_job(config):
    noisefree = noisefree_jobs(config)
    for row in fig3_rows(config):
        job = noisefree[row["network"]]
        assert row["rep"] in job["reps"] and row["method"] in job["methods"]
    sims = simulation_jobs(config)
    for figure in TIMESERIES_FIGURES:
        for row in ts_rows(config, figure):
            datasets = {d["data"]: d for d in sims[(row["_simulation"], row["network"], row["rep"])]}
            assert row["method"] in datasets[row["data"]]["methods"], (figure, row["data"])
    peers = peers_jobs(config)
    for row in peers_rows(config):
        assert row["method"] in peers[(row["data"], row["network"], row["rep"])]
    # one job per network spec, per simulation, per series: no job is planned twice
    assert len(noisefree) == len({r["network"] for r in fig3_rows(config)})


def test_the_shared_simulation_serves_figs_2_4a_5_and_7_at_paper_scale():
    sims = simulation_jobs(PAPER)
    shared = {d["data"]: d for d in sims[("ou_T200000_tau0.1", "N100_p0.1_rho0.3_q0", 0)]}
    # Fig. 2 and Fig. 7 (and Fig. 5's longest length at τ = 0.1) ask for the same data: one entry, all methods
    assert set(shared["ou_T200000_tau0.1_sig0_obs1"]["methods"]) == {
        "zerolag_sampled_paper",
        "covariance",
        "zerolag_sampled",
        "zerolag_sampled_fast",  # the fast optimiser beside the paper's, on the same data
        "ric",
    }
    assert shared["ou_T200000_tau0.1_sig0_obs1"]["keep"]  # Fig. 2 draws its matrices
    for sigma in PAPER["fig4"]["A"]["noise_std"]:
        assert f"ou_T200000_tau0.1_sig{sigma:g}_obs1" in shared
    for duration in PAPER["fig5"]["durations"][:-1]:
        assert shared[f"ou_T200000_tau0.1_first{duration:g}_sig0_obs1"]["length"] == duration
    assert sum(d["keep"] for datasets in sims.values() for d in datasets) == 1


def test_fig5_lengths_are_prefixes_of_one_simulation_per_tau_and_network():
    rows = ts_rows(QUICK, "fig5")
    longest = max(QUICK["fig5"]["durations"])
    assert {r["_simulation"] for r in rows} == {f"ou_T{longest:g}_tau{tau:g}" for tau in QUICK["fig5"]["taus"]}
    for r in rows:
        assert r["_data"].seconds == r["duration_s"] and r["_data"].duration == longest


def test_collect_picks_the_labelled_rows_in_label_order():
    labels = [
        {"panel": "A", "value": 2, "data": "d", "network": "n", "rep": 1, "method": "m"},
        {"panel": "A", "value": 1, "data": "d", "network": "n", "rep": 0, "method": "m"},
    ]
    runs = [
        pd.DataFrame(
            {"data": ["d", "d"], "network": ["n", "n"], "rep": [0, 1], "method": ["m", "m"], "auc": [0.5, 0.9]}
        ),
        pd.DataFrame({"data": ["e"], "network": ["n"], "rep": [0], "method": ["m"], "auc": [0.1]}),
    ]
    table = collect(labels, runs)
    assert list(table.columns) == ["panel", "value", "data", "network", "rep", "method", "auc"]
    assert table["auc"].tolist() == [0.9, 0.5] and table["value"].tolist() == [2, 1]
    with pytest.raises(KeyError, match="in no run table"):
        collect([{**labels[0], "rep": 7}], runs)


def test_rows_name_their_run_tables_and_internal_keys_stay_out_of_tables():
    rows = ts_rows(QUICK, "fig7")
    assert run_paths(rows) == [
        paths.simulation_run("ou_T200000_tau0.1", "N100_p0.1_rho0.3_q0", rep) for rep in range(4)
    ]
    assert all(not k.startswith("_") for r in table_labels(rows) for k in r)
    assert run_paths(fig3_rows(QUICK))[0] == paths.noisefree_run(fig3_rows(QUICK)[0]["network"])


def planned_jobs(*args: str) -> int:
    result = subprocess.run(
        [SNAKEMAKE, "-n", "--forceall", "--nolock", "reproduce-all", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return int(re.search(r"^total\s+(\d+)$", result.stdout, re.M)[1])


def test_job_counts_stay_small():
    # the step-per-file design planned 733 jobs at quick scale and 9,288 at paper scale
    assert planned_jobs() <= 733 // 3
    assert planned_jobs("--configfile", "config/paper.yaml") <= 1500
