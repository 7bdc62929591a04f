#!/usr/bin/env bash
# Go on with a paper-scale target whose finished jobs are committed as a carry archive, on a machine where
# only the repository survived (docs/paper-scale/in-progress/README.md):
#
#   benchmarks/resume_paper_scale.sh reliability [/work/paper-run]
#
# Reads the commit the jobs ran at from docs/paper-scale/in-progress/<target>.carry.tar.gz, makes (or reuses)
# a detached worktree of that commit at the given directory with this checkout's .venv, restores the jobs,
# and starts `benchmarks/run_paper_scale.sh <target>` there in the background (log: <dir>/paper-run.log).
# Beside it a loop saves the archive back every CARRY_EVERY seconds (default 300) and once the run ends, so
# committing docs/paper-scale/in-progress/ keeps every job finished so far. Without an archive the run starts
# from nothing at this checkout's commit.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ $# -lt 1 || $# -gt 2 ]]; then
    echo "usage: $0 <target> [run directory, default /work/paper-run]" >&2
    exit 2
fi
target=$1
run=$(realpath -m "${2:-/work/paper-run}")
repo=$PWD
python=$repo/.venv/bin/python
archive=$repo/docs/paper-scale/in-progress/$target.carry.tar.gz
[[ -x $python ]] || { echo "$python is missing: run \`make .venv/.installed\` first" >&2; exit 1; }

if [[ -f $archive ]]; then
    commit=$(tar -xzOf "$archive" carry.json | "$python" -c 'import json, sys; print(json.load(sys.stdin)["commit"])')
else
    commit=$(git rev-parse HEAD)
fi
if [[ -d $run ]]; then
    at=$(git -C "$run" rev-parse HEAD 2> /dev/null || true)
    if [[ $at != "$commit" ]]; then
        echo "$run exists at ${at:-no commit}, not at ${commit:0:12}: remove it (git worktree remove $run) or name another directory" >&2
        exit 1
    fi
else
    git worktree prune
    git worktree add --detach "$run" "$commit" > /dev/null
fi
[[ -e $run/.venv ]] || ln -s "$repo/.venv" "$run/.venv"
if [[ -f $archive ]]; then
    "$python" -m zerolag.workflow.carry restore "$archive" "$run"
fi

cd "$run"
setsid nohup nice -n 19 benchmarks/run_paper_scale.sh "$target" > paper-run.log 2>&1 < /dev/null &
pid=$!
# its own saver, not run_paper_scale.sh CARRY=…: the archive's commit may predate CARRY
save="'$python' -m zerolag.workflow.carry save '$run' '$archive' > /dev/null 2>&1"
setsid nohup bash -c "while kill -0 $pid 2> /dev/null; do sleep ${CARRY_EVERY:-300}; $save; done; $save" \
    > /dev/null 2>&1 < /dev/null &
echo "started $target in $run at ${commit:0:12} (pid $pid; log $run/paper-run.log); saving into $archive"
