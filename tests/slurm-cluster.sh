#!/bin/bash
# A single-node Slurm cluster on this machine, for tests and for trying
# LAUNCH=slurm by hand: munged with its own key, slurmctld and slurmd, every
# file (key, sockets, state, spool, logs, pid files, slurm.conf) under DIR.
# Needs root and Debian's slurm-wlm and munge (make deps-slurm installs them).
#
#   tests/slurm-cluster.sh start DIR   start it; prints the line to source:
#                                      export SLURM_CONF=DIR/slurm.conf
#   tests/slurm-cluster.sh stop DIR    stop the daemons it started, by their pids
#
# SLURM_CLUSTER_HIDE=PATH starts slurmd in a mount namespace of its own with an
# empty tmpfs over PATH: job steps then cannot see what is below PATH, as on a
# node that does not share that filesystem (tests/e2e-slurm.sh uses it).
#
# ProctrackType=proctrack/linuxproc and TaskPlugin=task/none need no cgroups,
# so it runs in a container. Memory is a consumable resource and jobacct_gather
# samples every second with OverMemoryKill, so --mem limits are enforced as on
# a real cluster; KillWait is short so a cancelled step ends quickly.
set -euo pipefail
fail() { echo "slurm-cluster: $*" >&2; exit 1; }

[ $# -eq 2 ] || fail "usage: tests/slurm-cluster.sh start|stop DIR"
verb=$1
dir=$2

# Whether pid runs the daemon name (a stale pid may have been reused; an ended
# daemon not yet reaped has no command line).
runs() { [ -n "$1" ] && grep -qs "$2" "/proc/$1/cmdline"; }

# The daemons this script started, from their pid files, newest first.
stop() {
    local name pid jobs
    # first the jobs still running: their step daemons would outlive slurmd
    if [ -f "$dir/slurmctld.pid" ] && runs "$(cat "$dir/slurmctld.pid")" slurmctld; then
        export SLURM_CONF=$dir/slurm.conf
        jobs=$(squeue -h -o %i 2> /dev/null || true)
        if [ -n "$jobs" ]; then
            # shellcheck disable=SC2086
            scancel $jobs 2> /dev/null || true
            for _ in $(seq 100); do
                [ -z "$(squeue -h -o %i 2> /dev/null)" ] && break
                sleep 0.1
            done
        fi
    fi
    for name in slurmd slurmctld munged; do
        [ -f "$dir/$name.pid" ] || continue
        pid=$(cat "$dir/$name.pid")
        if runs "$pid" "$name"; then
            kill "$pid" 2> /dev/null || true
            for _ in $(seq 50); do runs "$pid" "$name" || break; sleep 0.1; done
            if runs "$pid" "$name"; then kill -9 "$pid" 2> /dev/null || true; fi
        fi
        rm -f "$dir/$name.pid"
    done
}

case $verb in
stop) [ -d "$dir" ] || fail "'$dir': no such directory"; stop; exit 0 ;;
start) ;;
*) fail "'$verb' is not start or stop" ;;
esac

[ "$(id -u)" -eq 0 ] || fail "must run as root (munged and slurmd run as root here)"
for cmd in munged mungekey slurmctld slurmd srun; do
    command -v "$cmd" > /dev/null || fail "'$cmd' not found: run make deps-slurm"
done
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
case $dir in *[!A-Za-z0-9._/-]*) fail "'$dir': path must be letters, digits, '.', '_', '-' or '/'" ;; esac
chmod 700 "$dir"
mkdir -p "$dir/state" "$dir/spool" "$dir/log"
trap 'stop' ERR

# A port nothing listens on, from a range away from Slurm's defaults.
free_port() {
    local p
    for p in $(seq "$1" $(($1 + 200))); do
        (exec 3<> "/dev/tcp/127.0.0.1/$p") 2> /dev/null || { echo "$p"; return; }
    done
    fail "no free port from $1"
}
ctld_port=$(free_port 26817)
slurmd_port=$(free_port $((ctld_port + 1)))

mungekey --create --force --keyfile="$dir/munge.key" > /dev/null
chmod 400 "$dir/munge.key"
munged --force --socket="$dir/munge.socket" --key-file="$dir/munge.key" \
    --pid-file="$dir/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munged.seed"

# The node as slurmd sees this machine (its CPUs, sockets, memory), reached on
# the loopback address.
node=$(slurmd -C | head -1)
name=$(sed -n 's/^NodeName=\([^ ]*\).*/\1/p' <<< "$node")
[ -n "$name" ] || fail "slurmd -C printed no node line: $node"
cpus=$(sed -n 's/.* CPUs=\([0-9]*\).*/\1/p' <<< "$node")
mem=$(sed -n 's/.* RealMemory=\([0-9]*\).*/\1/p' <<< "$node")
cat > "$dir/slurm.conf.tmp" <<EOF
# Written by tests/slurm-cluster.sh: a single-node test cluster.
ClusterName=repro-test
SlurmctldHost=$name(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge.socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU_Memory
DefMemPerCPU=$((mem / cpus))
JobAcctGatherType=jobacct_gather/linux
JobAcctGatherFrequency=task=1
JobAcctGatherParams=OverMemoryKill
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
KillWait=2
MinJobAge=60
ReturnToService=2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
$node NodeAddr=127.0.0.1 State=UNKNOWN
PartitionName=test Nodes=$name Default=YES MaxTime=INFINITE State=UP
EOF
mv "$dir/slurm.conf.tmp" "$dir/slurm.conf"
export SLURM_CONF=$dir/slurm.conf

# -i: ignore state a previous cluster left in DIR
slurmctld -i -f "$SLURM_CONF"
if [ -n "${SLURM_CLUSTER_HIDE:-}" ]; then
    [ -d "$SLURM_CLUSTER_HIDE" ] || fail "'$SLURM_CLUSTER_HIDE': no such directory to hide"
    # shellcheck disable=SC2016
    unshare --mount --propagation private \
        sh -c 'mount -t tmpfs none "$1" && shift && exec "$@"' sh "$SLURM_CLUSTER_HIDE" \
        slurmd -f "$SLURM_CONF"
else
    slurmd -f "$SLURM_CONF"
fi

# Up when the node takes jobs: a trivial job step runs.
for _ in $(seq 60); do
    if state=$(sinfo -h -n "$name" -o %T 2> /dev/null) && [ "$state" = idle ] &&
        timeout 20 srun --quiet -N1 -n1 true 2> /dev/null; then
        echo "slurm-cluster: node $name up ($cpus CPUs) under $dir"
        echo "export SLURM_CONF=$SLURM_CONF"
        exit 0
    fi
    sleep 0.5
done
tail -5 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 || true
stop
fail "node $name did not come up within 30 s (logs in $dir/log)"
