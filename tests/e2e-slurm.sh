#!/bin/bash
# The studies through a real Slurm: a single-node cluster started here from
# Debian's packages (tests/slurm-cluster.sh, as root), two of the real
# experiment files shrunk (two seeds, small hidden layers) on a tiny synthetic
# dataset, run by `make verify LAUNCH=slurm` against the manifest of the same
# studies run locally: every result file is byte for byte the same, and every
# run went to Slurm as its own job. Then the failures, one line each and no
# result files left: srun missing, a job rejected, a node that cannot see the
# results directory (slurmd in a mount namespace where it is hidden), a step
# killed at its memory limit and at its time limit, a step cancelled mid-run
# with scancel, after which the next make reruns exactly that run. The daemons
# are stopped by their pids. Not part of make check: make check-slurm.
set -euo pipefail
BUILD=${BUILD:-build/release}
cd "$(dirname "$0")/.."
fail() { echo "e2e-slurm: FAIL: $*" >&2; exit 1; }
if [ "$(id -u)" -ne 0 ]; then
    echo "e2e-slurm: skipped: needs root to start munged, slurmctld and slurmd (run make check-slurm as root)"
    exit 0
fi
for cmd in munged slurmctld slurmd srun squeue scancel; do
    command -v "$cmd" > /dev/null || fail "'$cmd' not found: run make deps-slurm"
done
san=
case $BUILD in */san-*) san=${BUILD##*/san-}; san=${san//-/,} ;; esac

# (a name of its own: generic /tmp/tmp.* directories get swept by others)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/e2e-slurm.XXXXXX")
cluster=$tmp/cluster
time_pid=
cleanup() {
    [ -n "$time_pid" ] && kill -- "-$time_pid" 2> /dev/null
    [ -d "$cluster" ] && bash tests/slurm-cluster.sh stop "$cluster"
    [ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT

"$BUILD/bin/repro" synth --out "$tmp/data/syn" --train 1200 --test 100 --side 10 --seed 7 > /dev/null
# the stamp make data leaves: the checksums it verified (the trainer checks them)
(cd "$tmp/data/syn" && sha256sum train-images-idx3-ubyte train-labels-idx1-ubyte \
    t10k-images-idx3-ubyte t10k-labels-idx1-ubyte) > "$tmp/data/syn/.verified"
mkdir "$tmp/exps" "$tmp/unshared"
for s in softmax-lambda mlp-arch; do
    sed -e 's/^seeds *=.*/seeds = 1, 2/' -e 's/512x128/16x8/g' -e 's/^hidden *= *128,/hidden = 8,/' \
        "experiments/$s.exp" > "$tmp/exps/$s.exp"
done
exps="$tmp/exps/softmax-lambda.exp $tmp/exps/mlp-arch.exp"
# A study whose runs take seconds, to be killed while they train.
"$BUILD/bin/repro" synth --out "$tmp/data/slow" --train 6000 --test 200 --side 28 --seed 3 > /dev/null
(cd "$tmp/data/slow" && sha256sum train-images-idx3-ubyte train-labels-idx1-ubyte \
    t10k-images-idx3-ubyte t10k-labels-idx1-ubyte) > "$tmp/data/slow/.verified"
printf 'model = mlp\nhidden = 512\nmax_epoch = 100\nseeds = 1, 2\n' > "$tmp/exps/slow.exp"

# run_make RESULTS [make args...]: the pipeline with its results under RESULTS
run_make() {
    local res=$1
    shift
    timeout -k 10 300 make --no-print-directory -j2 BUILD="$BUILD" SANITIZE="$san" DATASET=syn EXPS="$exps" \
        DATA_ROOT="$tmp/data" RESULTS_ROOT="$res" PLAN="$res.plan.mk" PLAN_RUNS="$res.runs" CI=1 "$@"
}
run_slow() {
    local res=$1
    shift
    timeout -k 10 300 make --no-print-directory -j2 BUILD="$BUILD" SANITIZE="$san" DATASET=slow \
        EXPS="$tmp/exps/slow.exp" DATA_ROOT="$tmp/data" RESULTS_ROOT="$res" PLAN="$res.plan.mk" \
        PLAN_RUNS="$res.runs" CI=1 LAUNCH=slurm "$@" slow
}
# expect_line LOG PATTERN: each failed run (a make error) is named in one line
# of the launcher's, and that line says why
expect_line() {
    local n failed
    n=$(grep -c '^launch-slurm: ' "$1" || true)
    failed=$(grep -cE '^make(\[[0-9]+\])?: \*\*\* \[.*\] Error' "$1" || true)
    [ "$n" -ge 1 ] && [ "$n" -eq "$failed" ] || fail "$n lines from the launcher for $failed failed runs: $(cat "$1")"
    ! grep '^launch-slurm: ' "$1" | grep -qv "^launch-slurm: $2" ||
        fail "want 'launch-slurm: $2', got: $(grep '^launch-slurm: ' "$1")"
}
# no_results DIR: nothing that looks like a result below DIR
no_results() {
    local left
    left=$(find "$1" -type f \( -name '*.json' -o -name '*.csv' -o -name '.*.tmp.*' -o -name '.launch-probe' \) 2> /dev/null || true)
    [ -z "$left" ] || fail "a failed run left $left"
}

# The reference: the same studies run here, and their manifest.
run_make "$tmp/local" softmax-lambda mlp-arch > "$tmp/log" 2>&1 || { tail "$tmp/log" >&2; fail "local run failed"; }
# shellcheck disable=SC2086
"$BUILD/bin/repro" manifest write --dataset syn --build "$BUILD" --results "$tmp/local/syn" \
    --data "$tmp/data/syn" --out "$tmp/local.json" $exps
runs=$(find "$tmp/local" -name summary.json | wc -l)
[ "$runs" -eq 26 ] || fail "$runs local runs, want 26"

# srun missing: every command on PATH but srun.
mkdir "$tmp/nosrun"
for d in ${PATH//:/ }; do
    for f in "$d"/*; do
        [ -x "$f" ] && [ "${f##*/}" != srun ] && [ ! -e "$tmp/nosrun/${f##*/}" ] && ln -s "$f" "$tmp/nosrun/${f##*/}"
    done
done
if PATH=$tmp/nosrun run_make "$tmp/nosrun-results" LAUNCH=slurm softmax-lambda > "$tmp/log" 2>&1; then
    fail "a run without srun succeeded"
fi
grep -q "'srun' not found: install Slurm's client tools" "$tmp/log" || fail "no message for a missing srun: $(tail -3 "$tmp/log")"
no_results "$tmp/nosrun-results"

hide=
if unshare --mount true 2> /dev/null; then
    hide=$tmp/unshared
else
    echo "e2e-slurm: note: no mount namespaces here: the unshared results directory is not tested"
fi
SLURM_CLUSTER_HIDE=$hide bash tests/slurm-cluster.sh start "$cluster" > "$tmp/cluster.log" 2>&1 ||
    { cat "$tmp/cluster.log" >&2; fail "the cluster did not start"; }
export SLURM_CONF=$cluster/slurm.conf
node=$(sed -n 's/^slurm-cluster: node \([^ ]*\) up.*/\1/p' "$tmp/cluster.log")

# A step over its time limit (one minute, Slurm's least): started first, as the
# scheduler takes a minute or more to end it; any command can be launched.
SLURM_FLAGS=--time=1 setsid timeout -k 10 300 src/scripts/launch-slurm.sh sleep 300 > "$tmp/time.log" 2>&1 &
time_pid=$!
for _ in $(seq 100); do
    [ -n "$(squeue -h -t running -n sleep -o %i)" ] && break
    sleep 0.1
done

# The studies through Slurm: make verify against the local manifest.
jobs_before=$(grep -c '_slurm_rpc_allocate_resources' "$cluster/log/slurmctld.log" || true)
run_make "$tmp/local" verify LAUNCH=slurm VERIFY_STUDIES="softmax-lambda mlp-arch" \
    VERIFY_EXPS="$exps" MANIFEST="$tmp/local.json" VERIFY_DIR="$tmp/verify" > "$tmp/verify.log" 2>&1 ||
    { tail "$tmp/verify.log" >&2; fail "make verify LAUNCH=slurm failed"; }
tail -1 "$tmp/verify.log" | grep -q "^verify: $runs runs identical, 0 differ, 0 missing, 0 unexpected[;]" ||
    fail "verify through slurm: $(tail -1 "$tmp/verify.log")"
grep -qx "actual ran on $node (.*): $runs runs" "$tmp/verify.log" || fail "verify does not say where the runs ran"
jobs=$(($(grep -c '_slurm_rpc_allocate_resources' "$cluster/log/slurmctld.log") - jobs_before))
[ "$jobs" -eq "$runs" ] || fail "$jobs slurm jobs for $runs runs"
for f in $(cd "$tmp/local" && find . -type f ! -name timing.json | sort); do
    cmp -s "$tmp/local/$f" "$tmp/verify/results/$f" || fail "$f differs between the local and the slurm run"
done
[ "$(cd "$tmp/verify/results" && find . -type f ! -name timing.json | wc -l)" -eq \
    "$(cd "$tmp/local" && find . -type f ! -name timing.json | wc -l)" ] || fail "the slurm run wrote other files"
grep -q "\"node\": \"$node\"" "$tmp/verify/results/syn/mlp-arch/hidden-8,loss-euclidean,activation-relu,seed-1/timing.json" ||
    fail "timing.json does not name the node"
[ -z "$(find "$tmp/verify/results" -name '.launch-probe')" ] || fail "probe files left behind"

# A job slurm rejects.
if run_make "$tmp/rejected" LAUNCH=slurm SLURM_FLAGS=--partition=no-such-partition softmax-lambda \
    > "$tmp/log" 2>&1; then
    fail "a rejected job succeeded"
fi
expect_line "$tmp/log" ".*: job rejected by slurm (srun exit 1): Unable to allocate resources: Invalid partition name specified"
no_results "$tmp/rejected"

# A node that does not see the results directory.
if [ -n "$hide" ]; then
    if run_make "$hide/results" PLAN="$tmp/unshared.plan.mk" PLAN_RUNS="$tmp/unshared.runs" \
        LAUNCH=slurm softmax-lambda > "$tmp/log" 2>&1; then
        fail "a node without the results directory succeeded"
    fi
    expect_line "$tmp/log" ".*: node '$node' cannot see the results directory '$hide/results/syn/softmax-lambda/.*' (it must be shared)"
    no_results "$hide/results"
fi

# A step over its memory limit (2 MB: slurm samples every second).
if run_slow "$tmp/mem" SLURM_FLAGS=--mem=2 > "$tmp/log" 2>&1; then
    fail "a run over its memory limit succeeded"
fi
grep -q "^launch-slurm: 'slow/slow/seed-[12]': killed by slurm over its memory limit: the run is not done" "$tmp/log" ||
    fail "no memory limit message: $(cat "$tmp/log")"
no_results "$tmp/mem"

# The time limit, started above.
wait "$time_pid" && fail "a step over its time limit succeeded"
time_pid=
grep -qx "launch-slurm: 'sleep': killed by slurm at its time limit (step [0-9]*.0 on $node): the run is not done (raise --time in SLURM_FLAGS)" "$tmp/time.log" &&
    [ "$(wc -l < "$tmp/time.log")" -eq 1 ] || fail "the time limit is not one line: $(cat "$tmp/time.log")"

# scancel of a running step: both runs in flight, one cancelled; the other
# finishes, the cancelled one leaves nothing, and the next make reruns it alone.
run_slow "$tmp/cancel" > "$tmp/cancel.log" 2>&1 &
make_pid=$!
victim=
for _ in $(seq 300); do
    if [ "$(squeue -h -t running -o %j | grep -c '^slow/slow/seed-')" -eq 2 ]; then
        victim=$(squeue -h -t running -n slow/slow/seed-1 -o %i)
        break
    fi
    sleep 0.1
done
[ -n "$victim" ] || fail "the two slow runs never ran together"
sleep 1
scancel "$victim"
wait "$make_pid" && fail "make succeeded although a run was cancelled"
expect_line "$tmp/cancel.log" "'slow/slow/seed-1': cancelled (step $victim.0 on $node): the run is not done"
[ -f "$tmp/cancel/slow/slow/seed-2/summary.json" ] || fail "the run in flight beside the cancelled one did not finish"
no_results "$tmp/cancel/slow/slow/seed-1"
todo=$(run_slow "$tmp/cancel" -n | grep -c '/train --config' || true)
[ "$todo" -eq 1 ] || fail "after the cancel make would run $todo runs, want 1"
run_slow "$tmp/cancel" -n | grep -qE -- "--out $tmp/cancel/slow/slow/seed-1( |\$)" || fail "make would not rerun seed-1"
touch -r "$tmp/cancel/slow/slow/seed-2/summary.json" "$tmp/seed2.stamp"
run_slow "$tmp/cancel" > "$tmp/log" 2>&1 || { tail "$tmp/log" >&2; fail "the rerun after the cancel failed"; }
[ -f "$tmp/cancel/slow/slow/seed-1/summary.json" ] || fail "the rerun did not finish seed-1"
[ ! "$tmp/cancel/slow/slow/seed-2/summary.json" -nt "$tmp/seed2.stamp" ] || fail "the rerun ran seed-2 again"

pids=$(cat "$cluster"/*.pid)
bash tests/slurm-cluster.sh stop "$cluster"
for pid in $pids; do
    ! grep -qs "$cluster/" "/proc/$pid/cmdline" || fail "daemon $pid of the test cluster still runs"
done
rm -rf "$cluster"
echo "e2e-slurm: ok ($runs runs byte-identical through slurm, $jobs jobs; rejected, unshared${hide:+ results}, memory, time and scancel failures named)"
