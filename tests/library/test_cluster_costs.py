"""benchmarks/cluster_costs.py: the sample config, the benchmark correction, the extrapolation by twins."""

import sys
from pathlib import Path

import pytest
from support import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import cluster_costs as cc  # noqa: E402 (after the path set-up)

DRY_RUN = """
[Tue Dec  1 08:41:41 2026]
rule noisefree_point:
    output: results/runs/noisefree/N20_p0.1_rho0.7_q0.csv
    log: logs/runs/noisefree/N20_p0.1_rho0.7_q0.log
    benchmark: results/benchmarks/runs/noisefree/N20_p0.1_rho0.7_q0.tsv
    wildcards: net=N20_p0.1_rho0.7_q0
[Tue Dec  1 08:41:41 2026]
rule simulation:
    output: results/runs/ou_T200000_tau0.1/N100_p0.1_rho0.3_q0/rep3/scores.csv
    benchmark: results/benchmarks/runs/ou_T200000_tau0.1/N100_p0.1_rho0.3_q0/rep3/scores.tsv
[Tue Dec  1 08:41:41 2026]
rule fig3_table:
    input: results/runs/noisefree/N20_p0.1_rho0.7_q0.csv
    output: results/tables/fig3.csv
    benchmark: results/benchmarks/tables/fig3.tsv
[Tue Dec  1 08:41:41 2026]
localrule reproduce-all:
    input: results/tables/fig3.csv, results/runs/ou_T200000_tau0.1/N100_p0.1_rho0.3_q0/rep3/scores.csv
    jobid: 0
"""
HEADER = "s\th:m:s\tmax_rss\tmax_vms\tmax_uss\tmax_pss\tio_in\tio_out\tmean_load\tcpu_time\n"


def write_benchmark(path: Path, seconds: float, cpu: float, rss: float) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + f"{seconds}\t0:00:00\t{rss}\t0\t0\t0\t0\t0\t0\t{cpu}\n")


def test_one_repetition_sets_every_repetition_count_and_nothing_else():
    config = {
        "fig3": {"networks": 20, "defaults": {"n": 100}},
        "tutorial": {"side_by_side": {"reps": 10}},
        "fig2": {"rep": 0},
    }
    assert cc.one_repetition(config) == {
        "fig3": {"networks": 1, "defaults": {"n": 100}},
        "tutorial": {"side_by_side": {"reps": 1}},
        "fig2": {"rep": 0},
    }


@pytest.mark.parametrize(
    ("seconds", "sampled"), [(0.3, 0.0), (10.3, 10.0), (15.0, 15.0), (40.0, 15.0), (50.0, 45.0), (101.4, 75.0)]
)
def test_last_benchmark_sample(seconds, sampled):
    # Snakemake samples every 0.5 s for 15 s, then every 30 s
    assert cc.last_sample(seconds) == sampled


def test_cpu_time_is_scaled_to_the_whole_job(tmp_path):
    write_benchmark(tmp_path / "b.tsv", seconds=40.0, cpu=6.0, rss=120.0)
    record = cc.read_benchmark(tmp_path / "b.tsv")
    assert record["cpu_recorded_s"] == 6.0
    assert record["cpu_s"] == pytest.approx(6.0 * 40.0 / 15.0)  # the rate of the first 15 s, for 40 s
    assert record["max_rss_mb"] == 120.0


def test_jobs_get_their_rep0_twins_and_figures_their_closure(tmp_path):
    bench = tmp_path / "bench"
    write_benchmark(bench / "runs/noisefree/N20_p0.1_rho0.7_q0.tsv", seconds=1.0, cpu=0.5, rss=80.0)
    write_benchmark(
        bench / "runs/ou_T200000_tau0.1/N100_p0.1_rho0.3_q0/rep0/scores.tsv", seconds=10.0, cpu=9.0, rss=150.0
    )
    write_benchmark(bench / "tables/fig3.tsv", seconds=1.0, cpu=0.4, rss=70.0)
    dry = tmp_path / "dry.txt"
    dry.write_text(DRY_RUN)
    jobs = cc.parse_dry_run(DRY_RUN)
    assert [j["rule"] for j in jobs] == ["noisefree_point", "simulation", "fig3_table", "reproduce-all"]
    assert cc.closure(jobs, ["results/tables/fig3.csv"]) == {0, 2}
    costs, missing = cc.measure(jobs, [bench])
    assert not missing
    # a simulation job of repetition 3 costs what its repetition-0 twin cost in the sample
    assert costs[1]["cpu_s"] == pytest.approx(9.0)
    # a noise-free point loops over its repetitions: the paper's 20 networks per point, the sample's 1
    repetitions = cc.paper_config()["fig3"]["networks"]
    assert repetitions == 20 and costs[0]["cpu_s"] == pytest.approx(0.5 * repetitions)
    text = cc.table(dry, [bench], overhead_s=3600.0)
    rows = {line.split("|")[1].strip(): line.split("|")[2:] for line in text.splitlines() if line.startswith("| ")}
    # Fig. 3 needs its point and its table; the total counts every job once
    assert [c.strip() for c in rows["fig3"][:4]] == [
        "2",
        f"{(10.0 + 0.4) / 3600:.2f}",
        f"{(10.0 + 0.4) / 3600:.2f}",
        f"{2 + 10.4 / 3600:.2f}",
    ]
    assert rows["**reproduce-all** (shared jobs once)"][0].strip() == "3"
