#!/usr/bin/env bash
# A private single-node SLURM on this machine, for testing the workflow's SLURM profile.
#
#   tests/cluster/slurm.sh up       install (Debian packages, if missing), configure and start it; wait for an idle node
#   tests/cluster/slurm.sh down     cancel its jobs, stop the daemons it started (by PID), remove its state directory
#   tests/cluster/slurm.sh status   print its state (exit 1 if it is not running)
#   tests/cluster/slurm.sh env      print the variables clients need (eval "$(tests/cluster/slurm.sh env)")
#
# Everything lives in $ZEROLAG_SLURM_DIR (default /tmp/zerolag-slurm): slurm.conf, its own munge key and
# socket, spool and state directories, logs, PID files. The script writes nothing under /etc (the packages'
# own installation aside), and the daemons listen on their own ports. Clients find this cluster through
# SLURM_CONF, except inside jobs:
# the plugin's job step (snakemake-executor-plugin-slurm-jobstep 0.6.1) drops every SLURM_* variable but
# the job's identity before it calls srun, so srun falls back to where a configless compute node keeps its
# configuration, /run/slurm/conf/slurm.conf: `up` points /run/slurm/conf at $ZEROLAG_SLURM_DIR (and refuses
# if /etc/slurm/slurm.conf or another /run/slurm/conf exists: srun would read that one), `down` removes it.
# `up` refuses to run beside a slurmctld or slurmd it did not start, and reuses its own if they are still
# running. `down` only signals PIDs recorded in its PID files, after checking that each still belongs to
# the daemon it started.
#
# Needs root (slurmd starts jobs as their user; apt-get installs the packages). No systemd, no cgroups:
# process tracking by /proc (proctrack/linuxproc), no task plugin, no accounting database (squeue, not
# sacct, answers status queries; jobcomp/filetxt records every finished job in $ZEROLAG_SLURM_DIR/jobcomp.log).
set -euo pipefail

STATE=$(realpath -m "${ZEROLAG_SLURM_DIR:-/tmp/zerolag-slurm}")
CTLD_PORT=${ZEROLAG_SLURM_PORT:-16817}
SLURMD_PORT=$((CTLD_PORT + 1))
MARKER="$STATE/.zerolag-slurm" # only a directory holding this file is ever removed
PACKAGES=(munge slurmctld slurmd slurm-client)
CONF="$STATE/slurm.conf"
RUN_CONF=/run/slurm/conf # where srun looks on a configless compute node

say() { echo "slurm.sh: $*" >&2; }
die() {
    say "$*"
    exit 1
}

# --- processes we started: PID file + expected command name -----------------------------------------------
pid_of() { # name -> PID recorded for our daemon of that name, if it is alive and still that program
    local name=$1 file="$STATE/$1.pid" pid
    [[ -s $file ]] || return 1
    pid=$(tr -dc '0-9' <"$file")
    [[ -n $pid && -r /proc/$pid/comm ]] || return 1
    [[ $(cat "/proc/$pid/comm") == "$name" ]] || return 1
    echo "$pid"
}

running() { pid_of munged >/dev/null && pid_of slurmctld >/dev/null && pid_of slurmd >/dev/null; }

foreign() { # PIDs of a live slurmctld/slurmd this script did not start
    local name pid mine
    for name in slurmctld slurmd; do
        mine=$(pid_of "$name" || true)
        for pid in $(pgrep -x "$name" || true); do
            # daemonising leaves exited intermediate processes as zombies where PID 1 does not reap them
            [[ $(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) != Z ]] || continue
            [[ $pid == "$mine" ]] || echo "$name:$pid"
        done
    done
}

stop_pid() { # name: TERM our daemon, wait up to 15 s, then KILL it
    local name=$1 pid i
    pid=$(pid_of "$name") || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 150); do
        kill -0 "$pid" 2>/dev/null || {
            say "stopped $name ($pid)"
            return 0
        }
        sleep 0.1
    done
    say "$name ($pid) ignored SIGTERM; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
}

client_env() {
    echo "export SLURM_CONF=$CONF"
}

# --- installation ------------------------------------------------------------------------------------------
install_packages() {
    local missing=() p
    for p in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    command -v apt-get >/dev/null || die "missing ${missing[*]} and no apt-get: install SLURM 22.05+ and munge yourself"
    say "installing ${missing[*]} (Debian packages, --no-install-recommends)"
    export DEBIAN_FRONTEND=noninteractive
    # a clean machine may have no package lists yet; the packages' scripts cannot start daemons (no systemd)
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# --- configuration -----------------------------------------------------------------------------------------
write_conf() {
    local host cpus mem_mb
    host=$(hostname -s)
    # the machine's real CPUs (nproc --all: plain nproc honours OMP_NUM_THREADS)
    cpus=$(nproc --all)
    # below what the kernel reports (slurmd drains a node whose RealMemory exceeds the real one)
    mem_mb=$(awk '/^MemTotal:/ {print int($2 / 1024 * 0.9)}' /proc/meminfo)
    cat >"$CONF" <<EOF
# Written by tests/cluster/slurm.sh: a private single-node test cluster (not a site configuration).
ClusterName=zerolagtest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$STATE/munge/munge.socket
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/slurmd
SlurmctldPidFile=$STATE/slurmctld.pid
SlurmdPidFile=$STATE/slurmd.pid
SlurmctldLogFile=$STATE/log/slurmctld.log
SlurmdLogFile=$STATE/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# no systemd/cgroups on the CI machines
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
# no slurmdbd: sacct is unavailable; squeue answers status queries while jobs are younger than MinJobAge
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$STATE/jobcomp.log
MinJobAge=300
# cores and memory are consumable, as on a real cluster
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
DefMemPerCPU=1000
MpiDefault=none
ReturnToService=2
SlurmdTimeout=60
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
}

# --- commands ----------------------------------------------------------------------------------------------
up() {
    [[ $(id -u) -eq 0 ]] || die "needs root (slurmd runs jobs as their users; apt-get installs packages)"
    local others
    others=$(foreign)
    [[ -z $others ]] || die "a slurmctld/slurmd this script did not start is running ($others): refusing to start a second one"
    [[ ! -e /etc/slurm/slurm.conf ]] || die "/etc/slurm/slurm.conf exists: srun inside the test jobs would read it, not ours"
    if [[ -e $RUN_CONF || -L $RUN_CONF ]] && [[ $(readlink "$RUN_CONF") != "$STATE" ]]; then
        die "$RUN_CONF exists and is not ours: a configless slurmd may use this machine"
    fi
    if running; then
        say "reusing the running test cluster in $STATE"
        wait_idle
        return 0
    fi
    install_packages
    if [[ -e $STATE ]]; then
        [[ -e $MARKER ]] || die "$STATE exists and is not ours (no $MARKER): set ZEROLAG_SLURM_DIR elsewhere"
        stop_pid slurmd
        stop_pid slurmctld
        stop_pid munged
        local created_run_slurm=0
        [[ ! -e $STATE/created-run-slurm ]] || created_run_slurm=1
        rm -rf "$STATE"
    fi
    mkdir -p "$STATE"/{munge,ctld,slurmd,log}
    touch "$MARKER"
    [[ ${created_run_slurm:-0} == 0 ]] || touch "$STATE/created-run-slurm"
    chmod 0755 "$STATE"
    # munge: a key and socket of our own, the daemon running as the munge user
    head -c 1024 /dev/urandom >"$STATE/munge/munge.key"
    chown -R munge:munge "$STATE/munge"
    chmod 0755 "$STATE/munge" # clients need to reach the socket
    chmod 0400 "$STATE/munge/munge.key"
    write_conf
    # srun inside jobs: the configless-node location (see the header)
    [[ -d /run/slurm ]] || {
        mkdir -p /run/slurm
        touch "$STATE/created-run-slurm"
    }
    ln -sfn "$STATE" "$RUN_CONF"
    local t0=$SECONDS
    setpriv --reuid=munge --regid=munge --init-groups munged \
        --socket="$STATE/munge/munge.socket" --key-file="$STATE/munge/munge.key" \
        --pid-file="$STATE/munge/munged.pid" --log-file="$STATE/munge/munged.log" \
        --seed-file="$STATE/munge/munged.seed"
    wait_file "$STATE/munge/munged.pid"
    cp "$STATE/munge/munged.pid" "$STATE/munged.pid"
    slurmctld -i -f "$CONF"
    wait_file "$STATE/slurmctld.pid"
    slurmd -f "$CONF"
    wait_file "$STATE/slurmd.pid"
    wait_idle
    say "test cluster up in $((SECONDS - t0)) s: $(SLURM_CONF=$CONF sinfo -h -N -o '%N %c CPUs %m MB %t')"
}

wait_file() {
    local i
    for i in $(seq 100); do
        [[ -s $1 ]] && return 0
        sleep 0.1
    done
    die "no $1 after 10 s (see $STATE/log, $STATE/munge/munged.log)"
}

wait_idle() {
    local i state
    for i in $(seq 120); do
        state=$(SLURM_CONF=$CONF sinfo -h -N -o %t 2>/dev/null || true)
        [[ $state == idle* || $state == mix* || $state == alloc* ]] && return 0
        sleep 0.5
    done
    tail -n 20 "$STATE/log/slurmctld.log" "$STATE/log/slurmd.log" >&2 || true
    die "node not idle after 60 s (state: ${state:-none})"
}

down() {
    [[ -e $MARKER ]] || {
        say "no test cluster in $STATE"
        return 0
    }
    if pid_of slurmctld >/dev/null; then
        # our private cluster runs only test jobs: cancel them so slurmd leaves no job processes behind
        SLURM_CONF=$CONF scancel --full --quiet --user "$(id -un)" 2>/dev/null || true
        local i
        for i in $(seq 100); do
            [[ -z $(SLURM_CONF=$CONF squeue -h -t PD,R,CG -o %i 2>/dev/null) ]] && break
            sleep 0.2
        done
    fi
    stop_pid slurmd
    stop_pid slurmctld
    stop_pid munged
    if [[ -L $RUN_CONF && $(readlink "$RUN_CONF") == "$STATE" ]]; then
        rm "$RUN_CONF"
        [[ ! -e $STATE/created-run-slurm ]] || rmdir /run/slurm 2>/dev/null || true
    fi
    if [[ ${ZEROLAG_SLURM_KEEP:-0} == 1 ]]; then
        say "kept $STATE (ZEROLAG_SLURM_KEEP=1)"
    else
        rm -rf "$STATE"
    fi
}

status() {
    running || {
        say "not running"
        return 1
    }
    SLURM_CONF=$CONF sinfo -N
    SLURM_CONF=$CONF squeue
}

case ${1:-} in
up) up ;;
down) down ;;
status) status ;;
env) client_env ;;
*) die "usage: $0 up|down|status|env" ;;
esac
