#!/bin/bash
# make status and make runs-table end to end, through make's own rules, on two
# tiny studies and a synthetic dataset with its own checksums: before any run
# everything is missing; after make studies everything is up to date (exit
# status 0); an edited setting, a newer trainer key and newer data each make
# exactly the runs they touch stale, with that reason (the data by its
# contents: the same data stamped again changes nothing); runs.csv has a row per
# run. Everything goes to a scratch directory.
set -euo pipefail
BUILD=${BUILD:-build/release}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
fail() { echo "e2e-status: FAIL: $*" >&2; exit 1; }

# shellcheck source=tests/synth-data.sh
. tests/synth-data.sh
data=$tmp/data/syn
synth_with_sums "$data" "$tmp/syn.sha256" 3
mkdir "$tmp/exps"
printf 'model = softmax\nlambda = 0, 0.5\nmax_epoch = 2\nseeds = 1, 2\n' > "$tmp/exps/sm.exp"
printf 'model = mlp\nhidden = 8\nmax_epoch = 2\nseeds = 1, 2\n' > "$tmp/exps/net.exp"
# the trainer's key lives in the scratch directory too, so that it can be made newer
cp "$BUILD/train.key" "$tmp/train.key" 2> /dev/null || true

run_make() {
    make --no-print-directory DATASET=syn EXPS="$tmp/exps/net.exp $tmp/exps/sm.exp" \
        DATA_ROOT="$tmp/data" DATA_SUMS="$tmp/syn.sha256" RESULTS_ROOT="$tmp/results" \
        PLAN="$tmp/plan.mk" PLAN_RUNS="$tmp/runs" TRAIN_KEY="$tmp/train.key" \
        BUILD="$BUILD" SANITIZE="$san" "$@"
}
# status [make args...]: make status's output in $tmp/out, repro status's exit status in $rc
status() {
    rc=0
    run_make -s status "$@" > "$tmp/out" 2> "$tmp/err" || rc=$?
}

status
[ "$rc" != 0 ] || fail "status before any run said everything is up to date"
grep -qx "status: syn, 2 studies, 6 runs: 0 done, 6 missing, 0 stale" "$tmp/out" ||
    fail "before any run: $(head -1 "$tmp/out")"
status JSON=1
grep -q '"up_to_date": false' "$tmp/out" || fail "the JSON does not say it is not up to date"
grep -q '"missing": 6' "$tmp/out" || fail "the JSON does not count 6 missing runs"

run_make studies > "$tmp/log" 2>&1 || { tail -20 "$tmp/log" >&2; fail "make studies failed"; }
status
[ "$rc" = 0 ] || fail "after make studies, status exited $rc: $(cat "$tmp/out")"
grep -qx "status: every run is up to date" "$tmp/out" || fail "after make studies: $(tail -1 "$tmp/out")"

# one setting of one study edited: its four runs, and only those, are stale
sed -i 's/^max_epoch = 2/max_epoch = 3/' "$tmp/exps/sm.exp"
status
[ "$rc" != 0 ] || fail "an edited experiment left everything up to date"
grep -qx "status: syn, 2 studies, 6 runs: 2 done, 0 missing, 4 stale" "$tmp/out" ||
    fail "after the edit: $(head -1 "$tmp/out")"
grep -qx "  sm: all 4 runs: configuration changed" "$tmp/out" || fail "the edited study is not named: $(cat "$tmp/out")"
! grep -q "^  net[:/]" "$tmp/out" || fail "the other study is named stale: $(cat "$tmp/out")"
run_make studies > "$tmp/log" 2>&1 || { tail -20 "$tmp/log" >&2; fail "make studies after the edit failed"; }
grep -q '^\[4/4\] runs done' "$tmp/log" || fail "make studies did not rerun exactly the 4 stale runs: $(grep '^\[' "$tmp/log" | tail -2)"
status
[ "$rc" = 0 ] || fail "after the rerun, status exited $rc"

# the data stamped again with the same contents: nothing is stale (the runs
# depend on a key of the verified contents, not on the stamp's time)
sleep 0.01
touch "$data/.verified"
status
[ "$rc" = 0 ] || fail "the same data stamped again made runs stale: $(cat "$tmp/out")"
# a newer trainer (its key) and other data: every run, both reasons
synth_with_sums "$data" "$tmp/syn.sha256" 4
touch "$tmp/train.key"
status
grep -qx "  net: all 2 runs: trainer changed, data changed" "$tmp/out" || fail "new trainer and data: $(cat "$tmp/out")"
status JSON=1
grep -q '"reasons": \[' "$tmp/out" && grep -q '"trainer"' "$tmp/out" && grep -q '"data"' "$tmp/out" ||
    fail "the JSON does not give the reasons"
run_make studies > "$tmp/log" 2>&1 || { tail -20 "$tmp/log" >&2; fail "make studies after the key failed"; }

# one table of every run
run_make runs-table > "$tmp/log" 2>&1 || { tail -20 "$tmp/log" >&2; fail "make runs-table failed"; }
csv=$tmp/results/syn/runs.csv
[ "$(wc -l < "$csv")" -eq 7 ] || fail "runs.csv has $(wc -l < "$csv") lines, want 7"
head -1 "$csv" | grep -q '^study,run,model,learning_rate,' || fail "runs.csv header: $(head -1 "$csv")"
grep -q '^sm,"lambda-0.5,seed-2",softmax,' "$csv" || fail "no row for sm/lambda-0.5,seed-2"
echo "e2e-status: ok"
