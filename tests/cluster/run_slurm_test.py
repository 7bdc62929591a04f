#!/usr/bin/env python3
"""A reduced `reproduce_all` through a real SLURM with profiles/slurm, checked against a local run.

    .venv/bin/python tests/cluster/run_slurm_test.py     (or: make cluster-test; needs root)

1. brings up a private single-node SLURM (tests/cluster/slurm.sh up: Debian's packages, its own state
   directory, ports and munge socket; it refuses to run beside a SLURM it did not start);
2. plans the run: `snakemake -n --workflow-profile profiles/slurm` on a tiny config covering every branch
   (Fig. 3, a time-series figure, the tutorial, the frequency example, scaling, provenance) lists the
   jobs and the group jobs, i.e. the sbatch submissions Snakemake will make;
3. runs the same config locally (profiles/default) and through SLURM (profiles/slurm, only the status-check
   delay shortened and retries off), each in its own copy of the workflow;
4. checks that every planned submission became exactly one SLURM job, seen three ways that do not need
   sacct: Snakemake's log ("submitted with SLURM jobid"), squeue polled every second during the run (job
   name = the run's ID, comment = rule or group), and SLURM's job-completion log (jobcomp/filetxt): the same
   job IDs, as many as planned, with the planned rule/group for each, all COMPLETED with exit code 0;
5. checks that every table equals the local run's, apart from wall-time columns
   (zerolag.scoring.tables.reproducible_part, as tests/workflow/test_workflow_resume.py);
6. stops the test cluster (tests/cluster/slurm.sh down: only the PIDs it started), unless --keep-cluster.

Prints the job count, the number of SLURM jobs, the wall time of each phase and the overhead (wall time x
CPUs, and the CPU-seconds the SLURM jobs held, against the jobs' own CPU time). Exit status 0 = passed.

With --config FILE --targets ... --skip-local it runs another config through the test SLURM the same way and
only checks the submissions and reports the overhead; docs/cluster.md measures the paper-scale sample so:

    .venv/bin/python benchmarks/cluster_costs.py sample-config sample.yaml
    .venv/bin/python tests/cluster/run_slurm_test.py --config sample.yaml --skip-local --timeout 7200 \
        --targets fig1 fig2 fig3 fig4 fig5 fig7 freq scaling tutorial provenance
"""

import argparse
import collections
import datetime
import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from support import SINGLE_THREAD_ENV, assert_same_tables, copy_workflow, load_config, tables  # noqa: E402 (after the path set-up)

sys.path.insert(0, str(ROOT / "benchmarks"))
from cluster_costs import read_benchmark  # noqa: E402 (after the path set-up)

SLURM_SH = ROOT / "tests/cluster/slurm.sh"
SNAKEMAKE = str(Path(sys.executable).with_name("snakemake"))
# A reduced reproduce_all: every group of the profile and every kind of ungrouped job, on the tiny configs of
# the workflow tests with one network per point: Fig. 3, the time-series Fig. 2 (OU + HRF simulation,
# covariance, two estimators), the tutorial's recorded numbers and its side-by-side comparison, the frequency
# example, scaling (a 2-thread job), provenance. Figs. 1, 4, 5 and 7 and the tutorial's other figures only
# run rules of the same groups again on other parameters; on a 2-CPU node each job of a group job costs
# ~5 s of its own Snakemake start-up, so they are left to the local workflow tests.
TUTORIAL = ("results/tables/tutorial_recorded.csv", "results/figures/tutorial_side_by_side.pdf")
TARGETS = ("fig3", "fig2", *TUTORIAL, "freq", "scaling", "provenance")
CONFIG = {**load_config("tiny_timeseries"), "tutorial": load_config("tiny_tutorial")["tutorial"]}
CONFIG["fig3"].update(
    networks=1,
    methods=["zerolag"],
    sweeps={  # every panel at the default network: one network
        "A": {"parameter": "rho", "values": [0.6]},
        "B": {"parameter": "p", "values": [0.15]},
        "C": {"parameter": "n", "values": [16]},
        "D": {"parameter": "q", "values": [0.0]},
    },
)
CONFIG["scaling"].update(sizes=[12])
CONFIG["tutorial"]["side_by_side"].update(sizes=[5], reps=1)
# Only what the test cluster needs differently from a site: it is idle, so status checks can start after
# 2 s (its MinJobAge of 300 s stays above 3 x 2 s, so the plugin keeps using squeue); no retries, so a
# failing job fails the test instead of showing up as a second SLURM job.
SLURM_OVERRIDES = [
    *("--slurm-init-seconds-before-status-checks", "2", "--retries", "0", "--latency-wait", "5"),
    "--slurm-keep-successful-logs",  # for diagnosis when a later check fails (the work directory is kept then)
]
TIMEOUT_S = 900  # Snakemake ignores SIGTERM while it waits for SLURM: `timeout -k` follows with SIGKILL


def log(message: str) -> None:
    print(f"[cluster-test {time.strftime('%H:%M:%S')}] {message}", flush=True)


def copy_with_config(dest: Path, config: dict | None = None) -> Path:
    """A copy of the workflow with ``config`` (default: the reduced CONFIG) as ``tiny.yaml``."""
    copy_workflow(dest)
    (dest / "tiny.yaml").write_text(yaml.safe_dump(CONFIG if config is None else config))
    return dest


def snakemake(work: Path, profile: str, targets, *extra: str, env: dict, log_path: Path, timeout: int):
    """Run Snakemake in ``work``; --configfile last (it takes several values). Returns (returncode, seconds)."""
    cmd = [SNAKEMAKE, "--workflow-profile", f"profiles/{profile}", *targets, *extra, "--configfile", "tiny.yaml"]
    cmd = ["timeout", "-k", "30", str(timeout), *cmd]
    start = time.monotonic()
    with log_path.open("w") as out:
        result = subprocess.run(cmd, cwd=work, env=env, stdout=out, stderr=subprocess.STDOUT)
    return result.returncode, time.monotonic() - start


def planned_submissions(dry_run_log: str) -> tuple[int, collections.Counter]:
    """Jobs Snakemake plans, and its SLURM submissions by group or rule name.

    A submission is a group job (its header in the dry run) or a top-level job with a log: target rules
    (fig3, reproduce_all, ...) have no action and no log, and Snakemake finishes them itself.
    """
    total = int(re.search(r"^total\s+(\d+)$", dry_run_log, re.M)[1])
    submissions = collections.Counter()
    lines = dry_run_log.splitlines()
    for i, line in enumerate(lines):
        if m := re.match(r"^\[[^]]*\] Group job (\S+) ", line):
            submissions[m[1]] += 1
        elif m := re.match(r"^rule (\w+):$", line):
            block = itertools.takewhile(lambda text: text.startswith("    "), lines[i + 1 :])
            if any(text.startswith("    log:") for text in block):
                submissions[m[1]] += 1
    return total, submissions


def submitted_name(comment: str, groups: set[str]) -> str:
    """Group or rule of a SLURM job from the plugin's comment: rule_<group>_<rules> or rule_<rule>[_wildcards_...]."""
    body = comment.removeprefix("rule_")
    for group in groups:
        if body.startswith(group + "_"):
            return group
    return body.split("_wildcards_")[0]


class SqueuePoller(threading.Thread):
    """Record every job squeue shows (all states) once a second: job ID -> (name, comment, last state)."""

    def __init__(self, env: dict):
        super().__init__(daemon=True)
        self.env, self.jobs, self.stop = env, {}, threading.Event()

    def run(self):
        while not self.stop.is_set():
            out = subprocess.run(
                ["squeue", "-h", "-t", "all", "-o", "%i|%j|%T|%k"], env=self.env, capture_output=True, text=True
            ).stdout
            for line in out.splitlines():
                jobid, name, state, comment = line.split("|", 3)
                self.jobs[jobid] = (name, comment, state)
            self.stop.wait(1)


def jobcomp_records(path: Path) -> dict[str, dict[str, str]]:
    """SLURM's job-completion log (jobcomp/filetxt): job ID -> fields."""
    records = {}
    for line in path.read_text().splitlines() if path.exists() else []:
        fields = dict(item.split("=", 1) for item in line.split() if "=" in item)
        records[fields["JobId"]] = fields
    return records


def run_seconds(record: dict[str, str]) -> float:
    start, end = (datetime.datetime.fromisoformat(record[key]) for key in ("StartTime", "EndTime"))
    return (end - start).total_seconds()


def overhead_by_kind(
    work: Path, finished: dict[str, dict[str, str]], kinds: dict[str, str]
) -> list[tuple[str, int, float, float]]:
    """Per kind of SLURM job (group or rule): SLURM jobs, CPU-seconds held, CPU-seconds of science.

    Held is SLURM's elapsed time × the job's CPUs (``finished``: the completion log); science is the CPU
    time of the benchmark files of the jobs the SLURM job ran, read from its kept log
    (``.snakemake/slurm_logs/**/<jobid>.log``, which lists each job's ``benchmark:``). ``kinds`` maps a
    SLURM job ID to its group or rule (:func:`submitted_name`).
    """
    held, science, count = collections.Counter(), collections.Counter(), collections.Counter()
    logs = {path.stem: path for path in (work / ".snakemake/slurm_logs").rglob("*.log")}
    for jobid, record in finished.items():
        kind = kinds.get(jobid, "?")
        count[kind] += 1
        held[kind] += run_seconds(record) * int(record.get("ProcCnt", 1))
        text = logs[jobid].read_text() if jobid in logs else ""
        for bench in sorted(set(re.findall(r"^\s+benchmark: (\S+)$", text, re.M))):
            if (work / bench).exists():
                science[kind] += read_benchmark(work / bench)["cpu_s"]
    return [(kind, count[kind], held[kind], science[kind]) for kind in sorted(count)]


def check(condition: bool, message: str, failures: list[str]) -> None:
    log(("ok: " if condition else "FAILED: ") + message)
    if not condition:
        failures.append(message)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--keep-cluster", action="store_true", help="leave the test cluster running")
    parser.add_argument("--workdir", type=Path, help="where to put the two workflow copies (default: a temp dir)")
    parser.add_argument("--config", type=Path, help="run this config instead of the reduced one (YAML, merged in full)")
    parser.add_argument("--targets", nargs="+", default=list(TARGETS), help="targets to build (default: %(default)s)")
    parser.add_argument("--skip-local", action="store_true", help="no local run, so no comparison of the tables")
    parser.add_argument("--timeout", type=int, default=TIMEOUT_S, help="seconds for each run (default: %(default)s)")
    args = parser.parse_args()
    config = yaml.safe_load(args.config.read_text()) if args.config else CONFIG

    env = dict(SINGLE_THREAD_ENV)  # it takes the test cluster's variables below
    base = Path(args.workdir or tempfile.mkdtemp(prefix="zerolag-cluster-test-")).resolve()
    failures: list[str] = []
    start = time.monotonic()
    up = subprocess.run([SLURM_SH, "up"], env=env)
    if up.returncode != 0:
        log("could not bring up the test cluster")
        return 1
    try:
        setup_s = time.monotonic() - start
        env.update(
            line.removeprefix("export ").split("=", 1)
            for line in subprocess.run([SLURM_SH, "env"], capture_output=True, text=True, check=True).stdout.split()
            if "=" in line
        )
        state = Path(env["SLURM_CONF"]).parent
        log(f"test cluster ready after {setup_s:.0f} s (SLURM_CONF={env['SLURM_CONF']})")

        remote = copy_with_config(base / "slurm", config)
        dry = subprocess.run(
            [
                SNAKEMAKE,
                "-n",
                "--workflow-profile",
                "profiles/slurm",
                *args.targets,
                *SLURM_OVERRIDES,
                "--configfile",
                "tiny.yaml",
            ],
            cwd=remote,
            env=env,
            capture_output=True,
            text=True,
        )
        if dry.returncode != 0:
            log(dry.stdout[-3000:] + dry.stderr[-3000:])
            return 1
        n_jobs, planned = planned_submissions(dry.stdout + dry.stderr)
        log(f"planned: {n_jobs} jobs in {sum(planned.values())} SLURM submissions {dict(sorted(planned.items()))}")

        local, local_s = None, 0.0
        if not args.skip_local:
            local = copy_with_config(base / "local", config)
            rc, local_s = snakemake(
                local, "default", args.targets, env=env, log_path=base / "local.log", timeout=args.timeout
            )
            check(rc == 0, f"local run finished (exit {rc}, {local_s:.0f} s, log {base / 'local.log'})", failures)

        poller = SqueuePoller(env)
        poller.start()
        remote_log = base / "slurm.log"
        rc, slurm_s = snakemake(
            remote, "slurm", args.targets, *SLURM_OVERRIDES, env=env, log_path=remote_log, timeout=args.timeout
        )
        time.sleep(2)  # one more squeue after the last job
        poller.stop.set()
        poller.join()
        check(rc == 0, f"SLURM run finished (exit {rc}, {slurm_s:.0f} s, log {remote_log})", failures)

        text = remote_log.read_text()
        run_id = re.search(r"SLURM run ID: (\S+)", text)
        run_id = run_id[1] if run_id else "?"
        from_snakemake = set(re.findall(r"has been submitted with SLURM jobid (\d+)", text))
        seen = {jobid: v for jobid, v in poller.jobs.items() if v[0] == run_id}
        completed = jobcomp_records(state / "jobcomp.log")
        finished = {jobid: f for jobid, f in completed.items() if f.get("Name") == run_id}
        n_planned = sum(planned.values())
        check(len(from_snakemake) == n_planned, f"Snakemake submitted {len(from_snakemake)} SLURM jobs", failures)
        check(set(seen) == from_snakemake, f"squeue saw the same {len(seen)} job IDs", failures)
        check(set(finished) == from_snakemake, f"SLURM's completion log holds the same {len(finished)} IDs", failures)
        states = collections.Counter(f"{f['JobState']} exit {f['ExitCode']}" for f in finished.values())
        check(set(states) == {"COMPLETED exit 0:0"}, f"every SLURM job completed: {dict(states)}", failures)
        ran = collections.Counter(submitted_name(comment, set(planned)) for _, comment, _ in seen.values())
        log(
            f"SLURM jobs ran {sum(map(run_seconds, finished.values())):.0f} s in all, the longest "
            f"{max(map(run_seconds, finished.values()), default=0):.0f} s"
        )
        check(ran == planned, f"one SLURM job per planned group job or job: {dict(sorted(ran.items()))}", failures)
        kinds = {jobid: submitted_name(comment, set(planned)) for jobid, (_, comment, _) in seen.items()}
        profile = yaml.safe_load((ROOT / "profiles/slurm/config.yaml").read_text())
        wanted = {rule: r.get("cpus_per_task", 1) for rule, r in profile["set-resources"].items()}
        held_cpus = {jobid: int(f.get("ProcCnt", 0)) for jobid, f in finished.items()}
        wrong = {j: (kinds.get(j), n) for j, n in held_cpus.items() if n != wanted.get(kinds.get(j), 1)}
        check(
            not wrong,
            "every SLURM job held the CPUs its jobs use (group jobs run theirs one at a time: 1; scaling_run 2)"
            + (f": not {wrong}" if wrong else ""),
            failures,
        )
        if rc == 0 and local is not None:
            try:
                reference, got = tables(local), tables(remote)
                assert_same_tables(reference, got)
                check(True, f"all {len(got)} tables equal the local run's: {', '.join(sorted(got))}", failures)
            except AssertionError as exc:
                check(False, f"tables differ from the local run's: {exc}", failures)
        if failures:
            log(f"SLURM logs: {remote / '.snakemake/slurm_logs'}; Snakemake log: {remote_log}")
            print(text[-4000:])
            for name in ("slurmctld.log", "slurmd.log"):
                path = state / "log" / name
                if path.exists():
                    print(f"--- {path} (last lines)\n" + "\n".join(path.read_text().splitlines()[-15:]))
        benchmarks = list((remote / "results/benchmarks").rglob("*.tsv"))  # one per job that does work
        cpu = sum(read_benchmark(p)["cpu_s"] for p in benchmarks)
        cores = os.cpu_count()
        held = sum(run_seconds(f) * int(f.get("ProcCnt", 1)) for f in finished.values())
        log(
            f"overhead on the test SLURM: wall {slurm_s:.0f} s x {cores} CPUs - jobs' CPU {cpu:.0f} s = "
            f"{slurm_s * cores - cpu:.0f} s; CPU-seconds held by the {len(finished)} SLURM jobs {held:.0f} s - jobs' "
            f"CPU = {held - cpu:.0f} s, {(held - cpu) / max(1, len(benchmarks)):.1f} s per job ({len(benchmarks)} jobs)"
        )
        log("overhead by kind of SLURM job (CPU-seconds; held = elapsed x CPUs, science = the jobs' benchmarks):")
        print("| SLURM job | SLURM jobs | held | science | overhead | per SLURM job |\n|---|---:|---:|---:|---:|---:|")
        for kind, n, kept, work_s in overhead_by_kind(remote, finished, kinds):
            print(f"| {kind} | {n} | {kept:.0f} | {work_s:.0f} | {kept - work_s:.0f} | {(kept - work_s) / n:.0f} |")
        log(
            f"summary: {n_jobs} jobs, {len(from_snakemake)} SLURM jobs, SLURM run {slurm_s:.0f} s, local run "
            f"{local_s:.0f} s, cluster set-up {setup_s:.0f} s, total {time.monotonic() - start:.0f} s"
        )
    finally:
        if args.keep_cluster:
            log(f"test cluster left running: {SLURM_SH} down stops it")
        else:
            subprocess.run([SLURM_SH, "down"], env=env)
    if failures:
        log(f"FAILED: {len(failures)} check(s); work directories kept in {base}")
        return 1
    if not args.workdir:
        shutil.rmtree(base)
    log("passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
