"""Snakemake's overhead against the science: wall time × cores − the jobs' own CPU time (docs/cluster.md).

    python benchmarks/cluster_costs.py sample-config sample.yaml               # paper scale, one network per point
    /usr/bin/time -f %e snakemake fig1 fig2 … --configfile sample.yaml        # in a scratch copy; note the wall time
    python benchmarks/workflow_overhead.py <scratch> --wall S --cores 2 [--paper-dry-run paper.txt]

It reads every benchmark file of the run (`<scratch>/results/benchmarks`), sums the jobs' CPU time
(corrected for Snakemake's sampling, `cluster_costs.read_benchmark`) and prints wall × cores, the CPU of
the jobs, the overhead (the difference: Snakemake's start-up of each job, its bookkeeping and cores left
idle) and its share of the science. With `--paper-dry-run` (the printout of `snakemake -n reproduce-all
--configfile config/paper.yaml`) it also extrapolates to paper scale: every paper job gets the CPU of its
twin in the sample (`cluster_costs.measure`: jobs that loop over repetitions count them); the overhead
per job is the sample's.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from cluster_costs import measure as twin_costs  # noqa: E402 (after the path set-up)
from cluster_costs import parse_dry_run, read_benchmark  # noqa: E402


def run_costs(benchmarks: Path) -> list[dict]:
    return [{"path": p, **read_benchmark(p)} for p in sorted(benchmarks.rglob("*.tsv"))]


def measure(run_dir: Path, wall: float, cores: int, dry_run: Path | None) -> str:
    costs = run_costs(run_dir / "results/benchmarks")
    cpu = sum(c["cpu_s"] for c in costs)
    overhead = wall * cores - cpu
    out = [
        "| run | jobs | wall × cores (s) | jobs' CPU (s) | overhead (s) | overhead per job (s) | overhead / science |",
        "|---|---:|---:|---:|---:|---:|---:|",
        f"| sample, measured | {len(costs)} | {wall * cores:.0f} | {cpu:.0f} | {overhead:.0f} "
        f"| {overhead / len(costs):.2f} | {overhead / cpu:.1%} |",
    ]
    if dry_run is not None:
        jobs = [job for job in parse_dry_run(dry_run.read_text()) if job["benchmark"]]
        found, missing = twin_costs(jobs, [run_dir / "results/benchmarks"])
        science = sum(cost["cpu_s"] for cost in found.values())
        extra = overhead / len(costs) * len(jobs)
        out.append(
            f"| paper scale, extrapolated | {len(jobs)} | — | {science:.0f} | {extra:.0f} "
            f"| {overhead / len(costs):.2f} | {extra / science:.1%} |"
        )
        if missing:
            out.append(f"\nNo twin in the sample for: {dict(missing)}")
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("run_dir", type=Path, help="the run's working directory (with results/benchmarks)")
    parser.add_argument("--wall", type=float, required=True, help="wall time of the Snakemake run, seconds")
    parser.add_argument("--cores", type=int, required=True)
    parser.add_argument("--paper-dry-run", type=Path, help="`snakemake -n` printout of the paper-scale run")
    args = parser.parse_args(argv)
    print(measure(args.run_dir, args.wall, args.cores, args.paper_dry_run))
    return 0


if __name__ == "__main__":
    sys.exit(main())
