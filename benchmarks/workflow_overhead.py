"""Snakemake's overhead against the science: wall time × cores − the jobs' own CPU time (docs/cluster.md).

    python benchmarks/workflow_overhead.py sample-config sample.yaml          # paper scale, one network per point
    /usr/bin/time -f %e snakemake fig1 fig2 … --configfile sample.yaml        # in a scratch copy; note the wall time
    python benchmarks/workflow_overhead.py measure <scratch> --wall S --cores 2 [--paper-dry-run paper.txt]

`measure` reads every benchmark file of the run (`<scratch>/results/benchmarks`), sums the jobs' CPU time
(corrected for Snakemake's sampling, `cluster_costs.read_benchmark`) and prints wall × cores, the CPU of
the jobs, the overhead (the difference: Snakemake's start-up of each job, its bookkeeping and cores left
idle) and its share of the science. With `--paper-dry-run` (the printout of `snakemake -n reproduce-all
--configfile config/paper.yaml`) it also extrapolates to paper scale: every paper job gets the CPU of its
twin in the sample (`rep<k>` → `rep0`); jobs that loop over repetitions (Fig. 3's points, the tutorial's
comparisons) get it times the paper's repetitions over the sample's; the overhead per job is the sample's.
"""

import argparse
import sys
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from cluster_costs import measure as twin_costs  # noqa: E402 (after the path set-up)
from cluster_costs import one_repetition, parse_dry_run, read_benchmark  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LOOPING_RULES = {  # rule -> the config path of the repetitions it loops over
    "noisefree_point": ("fig3", "networks"),
    "tutorial_compare_sigmoid": ("tutorial", "side_by_side", "reps"),
    "tutorial_compare_ou": ("tutorial", "side_by_side", "reps"),
}


def paper_config() -> dict:
    """config/config.yaml overlaid with config/paper.yaml, as Snakemake merges `--configfile`."""
    from snakemake.utils import update_config

    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    update_config(config, yaml.safe_load((ROOT / "config/paper.yaml").read_text()))
    return config


def lookup(config: dict, keys: tuple[str, ...]):
    for key in keys:
        config = config[key]
    return config


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
        paper = paper_config()
        sample = one_repetition(paper)
        science = 0.0
        for i, job in enumerate(jobs):
            if i in found:
                factor = 1.0
                if job["rule"] in LOOPING_RULES:
                    keys = LOOPING_RULES[job["rule"]]
                    factor = lookup(paper, keys) / lookup(sample, keys)
                science += found[i]["cpu_s"] * factor
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
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample-config", help="write the paper-scale config with one repetition per point")
    s.add_argument("out")
    m = sub.add_parser("measure", help="print the overhead table (markdown)")
    m.add_argument("run_dir", type=Path)
    m.add_argument("--wall", type=float, required=True, help="wall time of the Snakemake run, seconds")
    m.add_argument("--cores", type=int, required=True)
    m.add_argument("--paper-dry-run", type=Path, help="`snakemake -n` printout of the paper-scale run")
    args = parser.parse_args(argv)
    if args.command == "sample-config":
        Path(args.out).write_text(yaml.safe_dump(one_repetition(paper_config()), sort_keys=False))
    else:
        print(measure(args.run_dir, args.wall, args.cores, args.paper_dry_run))
    return 0


if __name__ == "__main__":
    sys.exit(main())
