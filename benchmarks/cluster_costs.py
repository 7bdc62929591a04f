"""Paper-scale cost per figure (jobs, CPU-hours, peak memory), from measured jobs: docs/cluster.md.

Measured, then extrapolated by repetition (every job of the paper run has a twin that differs only in its
repetition index; the draws differ, the work does not):

    python benchmarks/cluster_costs.py sample-config sample.yaml      # paper scale, every repetition count -> 1
    snakemake reproduce-all --configfile sample.yaml                   # in a scratch copy
    snakemake -n --forceall reproduce-all --configfile config/paper.yaml > paper_dry_run.txt
    python benchmarks/cluster_costs.py table paper_dry_run.txt <scratch>/results/benchmarks --overhead 2.3

`table` reads every job of the dry run (rule, inputs, outputs, benchmark file), gives each the measured
benchmark of its repetition-0 twin (`rep<k>` -> `rep0` in the benchmark path; a job that loops over
repetitions, LOOPING_RULES, gets its sample's cost times the paper's repetitions over the sample's), and sums
per figure (a figure = the jobs its final files need; shared jobs count in every figure that needs them, once in
the total).
"""

import argparse
import collections
import math
import re
import sys
from pathlib import Path

import yaml

REPETITION_KEYS = ("networks", "reps")
ROOT = Path(__file__).resolve().parents[1]
LOOPING_RULES = {  # rule -> the config keys of the repetitions one job loops over
    "noisefree_point": ("fig3", "networks"),
    "tutorial_compare_sigmoid": ("tutorial", "side_by_side", "reps"),
    "tutorial_compare_ou": ("tutorial", "side_by_side", "reps"),
}


def paper_config():
    """config/config.yaml with config/paper.yaml merged in, as Snakemake merges `--configfile`."""
    from snakemake.utils import update_config

    config = yaml.safe_load((ROOT / "config/config.yaml").read_text())
    update_config(config, yaml.safe_load((ROOT / "config/paper.yaml").read_text()))
    return config


def repetition_factor(rule, paper, sample):
    """How many times more repetitions a paper job of ``rule`` runs than its twin in the sample."""
    if rule not in LOOPING_RULES:
        return 1.0
    full, one = paper, sample
    for key in LOOPING_RULES[rule]:
        full, one = full[key], one[key]
    return full / one


def one_repetition(config):
    """The config with every repetition count (keys `networks`, `reps`) set to 1."""
    if isinstance(config, dict):
        return {k: 1 if k in REPETITION_KEYS and isinstance(v, int) else one_repetition(v) for k, v in config.items()}
    if isinstance(config, list):
        return [one_repetition(v) for v in config]
    return config


def parse_dry_run(text):
    """Jobs of a `snakemake -n` printout: dicts with rule, input, output, benchmark."""
    jobs, job = [], None
    for line in text.splitlines():
        if m := re.match(r"^\s*(?:local)?rule ([\w-]+):$", line):
            job = {"rule": m[1], "input": [], "output": [], "benchmark": None}
            jobs.append(job)
        elif job is not None and (m := re.match(r"^\s+(input|output|benchmark): (.*)$", line)):
            files = [f.strip() for f in m[2].split(",") if f.strip()]
            if m[1] == "benchmark":
                job["benchmark"] = files[0]
            else:
                job[m[1]] = files
    return jobs


def figure_of(target):
    """Figure a final file belongs to: its file stem, the tutorial's files together."""
    stem = Path(target).stem
    return "tutorial" if stem.startswith("tutorial_") else stem


def closure(jobs, targets):
    """Indices of the jobs needed for ``targets``."""
    producer = {f: i for i, job in enumerate(jobs) for f in job["output"]}
    todo, seen = [producer[t] for t in targets if t in producer], set()
    while todo:
        i = todo.pop()
        if i not in seen:
            seen.add(i)
            todo.extend(producer[f] for f in jobs[i]["input"] if f in producer)
    return seen


def last_sample(seconds):
    """Time of Snakemake's last benchmark sample in a job of ``seconds``: every 0.5 s up to 15 s, then every 30 s."""
    return seconds // 0.5 * 0.5 if seconds <= 15 else 15 + (seconds - 15) // 30 * 30


def read_benchmark(path):
    """Wall time, CPU time and peak RSS of a job; CPU time corrected for what ran after the last sample.

    Snakemake's benchmark records the CPU time seen at its last sample, so a 40 s job reports what it
    used in its first 15 s. `cpu_s` scales the recorded value by wall time / time of the last sample (the
    job's CPU rate assumed constant); `cpu_recorded_s` is the recorded value, a lower bound.
    """
    lines = Path(path).read_text().splitlines()
    header, values = lines[0].split("\t"), lines[-1].split("\t")  # last line = last repeat
    row = dict(zip(header, values, strict=True))
    seconds, cpu = float(row["s"]), float(row["cpu_time"])
    sampled = last_sample(seconds)
    return {
        "s": seconds,
        "cpu_recorded_s": cpu,
        "cpu_s": cpu * seconds / sampled if sampled > 0 else cpu,
        "max_rss_mb": float(row["max_rss"]),
    }


def twin(benchmark):
    return re.sub(r"/rep\d+", "/rep0", benchmark)


def measure(jobs, benchmark_dirs, twins=True):
    """Measured cost of every job (its rep-0 twin, scaled by its repetitions); jobs without a twin are left out."""
    paper = paper_config()
    sample = one_repetition(paper)
    costs, missing = {}, collections.Counter()
    for i, job in enumerate(jobs):
        if job["benchmark"] is None:
            continue  # target rules (reproduce-all) do no work
        rel = Path(twin(job["benchmark"]) if twins else job["benchmark"]).relative_to("results/benchmarks")
        found = [d / rel for d in benchmark_dirs if (d / rel).is_file()]
        if found:
            cost = read_benchmark(found[0])
            factor = repetition_factor(job["rule"], paper, sample) if twins else 1.0
            costs[i] = {**cost, "cpu_s": cost["cpu_s"] * factor, "cpu_recorded_s": cost["cpu_recorded_s"] * factor}
        else:
            missing[job["rule"]] += 1
    return costs, missing


def summarise(indices, jobs, costs):
    measured = [costs[i] for i in indices if i in costs]
    return {
        "jobs": len([i for i in indices if jobs[i]["benchmark"]]),
        "cpu_h": sum(c["cpu_s"] for c in measured) / 3600,
        "cpu_recorded_h": sum(c["cpu_recorded_s"] for c in measured) / 3600,
        "peak_mb": max((c["max_rss_mb"] for c in measured), default=0),
        "longest_cpu_s": max((c["cpu_s"] for c in measured), default=0),
    }


def table(dry_run, benchmark_dirs, twins=True, overhead_s=0.0):
    jobs = parse_dry_run(Path(dry_run).read_text())
    final = next(job for job in jobs if job["rule"] in ("reproduce-all", "reproduce_all"))["input"]
    costs, missing = measure(jobs, [Path(d) for d in benchmark_dirs], twins)
    figures = collections.defaultdict(list)
    for target in final:
        figures[figure_of(target)].append(target)
    out = [
        "| figure | jobs | CPU-hours | CPU-hours recorded (lower bound) "
        f"| CPU-hours with {overhead_s:g} s start-up per job | longest job, CPU (min) | peak memory of a job (MB) |"
    ]
    out.append("|---|---:|---:|---:|---:|---:|---:|")
    rows = {name: summarise(closure(jobs, targets), jobs, costs) for name, targets in figures.items()}
    rows["**reproduce-all** (shared jobs once)"] = summarise(closure(jobs, final), jobs, costs)
    for name, r in rows.items():
        out.append(
            f"| {name} | {r['jobs']} | {r['cpu_h']:.2f} | {r['cpu_recorded_h']:.2f} "
            f"| {r['cpu_h'] + r['jobs'] * overhead_s / 3600:.2f} | {r['longest_cpu_s'] / 60:.1f} "
            f"| {math.ceil(r['peak_mb'])} |"
        )
    out += ["", "| rule | jobs | CPU s: mean | CPU s: max | max RSS (MB) |", "|---|---:|---:|---:|---:|"]
    by_rule = collections.defaultdict(list)
    for i, job in enumerate(jobs):
        if i in costs:
            by_rule[job["rule"]].append(costs[i])
    for rule, cs in sorted(by_rule.items(), key=lambda kv: -sum(c["cpu_s"] for c in kv[1])):
        out.append(
            f"| {rule} | {len(cs)} | {sum(c['cpu_s'] for c in cs) / len(cs):.1f} | {max(c['cpu_s'] for c in cs):.1f} "
            f"| {math.ceil(max(c['max_rss_mb'] for c in cs))} |"
        )
    if missing:
        out.append(f"\nUnmeasured (no rep-0 twin found): {dict(missing)}")
    return "\n".join(out)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sample-config", help="write the paper-scale config with one repetition per point")
    s.add_argument("out")
    t = sub.add_parser("table", help="print the cost tables (markdown)")
    t.add_argument("dry_run")
    t.add_argument("benchmarks", nargs="+")
    t.add_argument("--exact", action="store_true", help="use each job's own benchmark")
    t.add_argument(
        "--overhead", type=float, default=0.0, help="seconds of CPU each job adds outside its benchmark (SLURM: 2.3)"
    )
    args = parser.parse_args(argv)
    if args.command == "sample-config":
        Path(args.out).write_text(yaml.safe_dump(one_repetition(paper_config()), sort_keys=False))
    else:
        print(table(args.dry_run, args.benchmarks, twins=not args.exact, overhead_s=args.overhead))


if __name__ == "__main__":
    sys.exit(main())
