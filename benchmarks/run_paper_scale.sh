#!/usr/bin/env bash
# The paper-scale run, figure by figure, in a checkout of its own (a git worktree at the commit to publish):
#
#   git worktree add /scratch/paper-run <commit> && cd /scratch/paper-run && ln -s <repo>/.venv .venv
#   setsid nohup benchmarks/run_paper_scale.sh fig3 fig2 fig7 ... > paper-run.log 2>&1 &
#
# Each target runs to completion before the next (`snakemake <target> --configfile config/paper.yaml`, all
# local cores, --keep-going: a failing job does not stop the independent ones); a target that fails is
# logged and the run goes on to the next. After each: `snakemake provenance` (the commit and config
# hash the tables come from) and one line "<target> done in <s> s" in paper-run-times.tsv, so a later session
# can see what finished, publish it (python -m zerolag.workflow.publish . <repo>/docs/paper-scale <target>)
# and start the rest; Snakemake skips what is already built. CPU per figure: benchmarks/cluster_costs.py
# on results/benchmarks.
#
# A machine that will not outlive the run: before it goes, pack the finished jobs, and on the next machine
# unpack them into a worktree at the same commit, then start this script again (it runs only the rest):
#
#   python -m zerolag.workflow.carry save /scratch/paper-run jobs.tar.gz       # outputs, logs, benchmarks, metadata
#   git worktree add --detach /scratch/paper-run <the commit in jobs.tar.gz's carry.json>
#   python -m zerolag.workflow.carry restore jobs.tar.gz /scratch/paper-run
#
# With CARRY=<absolute path of an archive> the script saves that archive itself, every CARRY_EVERY seconds
# (default 600) while a target runs and once after each target, so that a machine lost without warning
# loses at most that much work. Where the machine itself is replaced between sessions (only the repository
# survives), point CARRY into docs/paper-scale/in-progress/ and commit the archive (README.md there).
set -uo pipefail
cd "$(dirname "$0")/.."
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 MKL_NUM_THREADS=1
SNAKEMAKE=.venv/bin/snakemake
carry() {
    [[ -n "${CARRY:-}" ]] && .venv/bin/python -m zerolag.workflow.carry save . "$CARRY" > /dev/null 2>&1
    return 0
}
if [[ -n "${CARRY:-}" ]]; then
    (while sleep "${CARRY_EVERY:-600}"; do carry; done) &
    saver=$!
    trap 'kill "$saver" 2> /dev/null' EXIT
fi
for target in "$@"; do
    start=$(date +%s)
    echo "[$(date -u +%FT%TZ)] $target: start"
    if "$SNAKEMAKE" "$target" --configfile config/paper.yaml --rerun-incomplete --keep-going; then
        status=done
    else
        status=FAILED
    fi
    "$SNAKEMAKE" provenance --configfile config/paper.yaml --rerun-incomplete --forcerun provenance
    carry
    seconds=$(($(date +%s) - start))
    printf '%s\t%s\t%s\t%s\n' "$target" "$status" "$seconds" "$(git rev-parse HEAD)" >> paper-run-times.tsv
    echo "[$(date -u +%FT%TZ)] $target $status in $seconds s"
done
