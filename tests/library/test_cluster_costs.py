"""benchmarks/cluster_costs.py: the sample config, the benchmark correction, the extrapolation by twins."""

import sys
from pathlib import Path

import pytest
from support import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import cluster_costs as cc  # noqa: E402 (after the path set-up)

DRY_RUN = """
[Tue Dec  1 08:41:41 2026]
rule network:
    output: results/networks/N20_p0.1_rho0.7_q0/rep3/network.npz
    log: logs/networks/N20_p0.1_rho0.7_q0/rep3.log
    benchmark: results/benchmarks/networks/N20_p0.1_rho0.7_q0/rep3.tsv
    wildcards: net=N20_p0.1_rho0.7_q0, rep=3
[Tue Dec  1 08:41:41 2026]
rule estimate:
    input: results/networks/N20_p0.1_rho0.7_q0/rep3/network.npz
    output: results/estimates/x/rep3/zerolag.npy, results/estimates/x/rep3/zerolag.json
    benchmark: results/benchmarks/estimates/x/rep3/zerolag.tsv
[Tue Dec  1 08:41:41 2026]
rule fig1_table:
    output: results/tables/fig1.csv
    benchmark: results/benchmarks/tables/fig1.tsv
[Tue Dec  1 08:41:41 2026]
localrule reproduce_all:
    input: results/estimates/x/rep3/zerolag.npy, results/tables/fig1.csv
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
    write_benchmark(bench / "networks/N20_p0.1_rho0.7_q0/rep0.tsv", seconds=1.0, cpu=0.5, rss=80.0)
    write_benchmark(bench / "estimates/x/rep0/zerolag.tsv", seconds=10.0, cpu=9.0, rss=150.0)
    write_benchmark(bench / "tables/fig1.tsv", seconds=1.0, cpu=0.4, rss=70.0)
    dry = tmp_path / "dry.txt"
    dry.write_text(DRY_RUN)
    jobs = cc.parse_dry_run(DRY_RUN)
    assert [j["rule"] for j in jobs] == ["network", "estimate", "fig1_table", "reproduce_all"]
    assert cc.closure(jobs, ["results/estimates/x/rep3/zerolag.npy"]) == {0, 1}
    costs, missing = cc.measure(jobs, [bench])
    assert not missing and costs[1]["cpu_s"] == pytest.approx(9.0)
    text = cc.table(dry, [bench], overhead_s=3600.0)
    rows = {line.split("|")[1].strip(): line.split("|")[2:] for line in text.splitlines() if line.startswith("| ")}
    # the estimate's figure ("zerolag", the stem of its final file) needs the network and the estimate
    assert [c.strip() for c in rows["zerolag"][:4]] == [
        "2",
        f"{9.5 / 3600:.2f}",
        f"{9.5 / 3600:.2f}",
        f"{2 + 9.5 / 3600:.2f}",
    ]
    assert rows["**reproduce_all** (shared jobs once)"][0].strip() == "3"
