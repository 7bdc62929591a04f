"""What profiles/slurm asks of a cluster at paper scale: the sbatch calls Snakemake makes (docs/cluster.md).

    .venv/bin/python benchmarks/slurm_requests.py [--configfile config/paper.yaml]     (root: test cluster)

1. plans the run: `snakemake -n --workflow-profile profiles/slurm reproduce-all` counts the jobs and the
   submissions (group jobs + jobs outside groups), as tests/cluster/run_slurm_test.py does;
2. optionally runs one rule's jobs locally first (`--until RULE`), so that what depends on them is ready to
   submit (no job of the paper's model needs this: every science job starts from the config alone);
3. runs it for real against the test cluster (tests/cluster/slurm.sh), in a scratch copy, with a stand-in
   `sbatch` first on PATH that records its arguments and submits nothing, and a stand-in `squeue` that
   reports those jobs as running. Snakemake submits every job whose inputs exist (the first wave: every
   simulation group, comparison, scaling and frequency job) and waits; once no call came for 60 s it is
   stopped (SIGKILL to the process group this script started);
4. prints, per group or rule: sbatch calls, CPUs, memory and time limit requested.
"""

import argparse
import collections
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests/cluster"))
from run_slurm_test import SLURM_SH, SNAKEMAKE, planned_submissions, submitted_name  # noqa: E402
from support import SINGLE_THREAD_ENV, copy_workflow  # noqa: E402 (tests/, on the path run_slurm_test set)

FAKE_SBATCH = """#!/bin/sh
echo "$*" >> {log}
echo $((900000 + $(wc -l < {log})))
"""
FAKE_SQUEUE = """#!/bin/sh
case "$*" in
*--name*) [ -f {log} ] && awk '{{print 900000 + NR "|RUNNING"}}' {log} ;;
*) exec {real} "$@" ;;
esac
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--configfile", default="config/paper.yaml")
    parser.add_argument("--idle", type=int, default=60, help="stop after this many seconds without a submission")
    parser.add_argument("--until", default="", help="rule to run locally first (default: none)")
    args = parser.parse_args()
    work = copy_workflow(Path(tempfile.mkdtemp(prefix="zerolag-requests-")))
    shutil.copy(ROOT / args.configfile, work / "run.yaml")
    calls = work / "sbatch_calls.txt"
    bin_dir = work / "fake_bin"
    bin_dir.mkdir()
    (bin_dir / "sbatch").write_text(FAKE_SBATCH.format(log=calls))
    (bin_dir / "squeue").write_text(FAKE_SQUEUE.format(log=calls, real=shutil.which("squeue") or "squeue"))
    for tool in ("sbatch", "squeue"):
        (bin_dir / tool).chmod(0o755)

    env = dict(SINGLE_THREAD_ENV)  # PATH gets the stand-ins below
    cmd = [SNAKEMAKE, "--workflow-profile", "profiles/slurm", "reproduce-all"]
    dry = subprocess.run([*cmd, "-n", "--configfile", "run.yaml"], cwd=work, env=env, capture_output=True, text=True)
    if dry.returncode != 0:
        print(dry.stderr[-3000:])
        return 1
    n_jobs, planned = planned_submissions(dry.stdout + dry.stderr)
    print(f"planned: {n_jobs} jobs in {sum(planned.values())} submissions: {dict(sorted(planned.items()))}")

    if args.until:
        until = [SNAKEMAKE, "reproduce-all", "--until", args.until]
        subprocess.run([*until, "--configfile", "run.yaml"], cwd=work, env=env, check=True, capture_output=True)
    subprocess.run([SLURM_SH, "up"], check=True)
    try:
        out = subprocess.run([SLURM_SH, "env"], capture_output=True, text=True, check=True).stdout
        env.update(line.removeprefix("export ").split("=", 1) for line in out.split() if "=" in line)
        env["PATH"] = f"{bin_dir}{os.pathsep}{env['PATH']}"
        with (work / "snakemake.log").open("w") as log:
            process = subprocess.Popen(
                [*cmd, "--slurm-init-seconds-before-status-checks", "5", "--configfile", "run.yaml"],
                cwd=work,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        count, last_change = 0, time.monotonic()
        while process.poll() is None:
            time.sleep(5)
            now = sum(1 for _ in calls.open()) if calls.exists() else 0
            if now != count:
                count, last_change = now, time.monotonic()
            elif count and time.monotonic() - last_change > args.idle:
                break
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    finally:
        subprocess.run([SLURM_SH, "down"], check=False)

    by_name = collections.defaultdict(list)
    for line in calls.read_text().splitlines() if calls.exists() else []:
        comment = re.search(r"--comment '?([^' ]+)", line)[1]
        cpus = int(re.search(r"--cpus-per-task[= ](\d+)", line)[1])
        mem = int(re.search(r"--mem (\d+)", line)[1])
        minutes = int(re.search(r" -t '?(\d+)", line)[1])
        by_name[submitted_name(comment, set(planned))].append((cpus, mem, minutes))
    print(f"first wave: {count} sbatch calls (log: {work / 'snakemake.log'})\n")
    print(
        "| group or rule | planned submissions | sbatch calls in the first wave | CPUs | memory (MB) "
        "| time limit (min): median, max |"
    )
    print("|---|---:|---:|---:|---:|---:|")
    for name in sorted(planned):
        requests = by_name.get(name, [])
        if not requests:
            print(f"| {name} | {planned[name]} | 0 | | | |")
            continue
        cpus, mems, minutes = zip(*requests, strict=True)
        print(
            f"| {name} | {planned[name]} | {len(requests)} | {min(cpus)}–{max(cpus)} | {min(mems)}–{max(mems)} "
            f"| {statistics.median(minutes):.0f}, {max(minutes)} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
