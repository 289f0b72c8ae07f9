#!/bin/bash
# make verify end to end, through make's own rules, on the synthetic pipeline
# of e2e-report (three of the real experiment files shrunk to two seeds and
# small layers, a tiny synthetic dataset with its own checksums): the results
# and their manifest are made once, as make report makes them; then
#   - an unchanged tree verifies, in full and with QUICK=1 (which reruns the
#     first seed of every configuration only, and says so);
#   - a result file edited by one digit is named with its metric delta, and
#     verify exits non-zero;
#   - a run the expected manifest has but the rerun lacks, and one it lacks
#     but the rerun has, are both named.
# Everything goes to a scratch directory (the tree's build/ is not touched).
set -euo pipefail
BUILD=${BUILD:-build/release}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
fail() { echo "e2e-verify: FAIL: $*" >&2; exit 1; }

# shellcheck source=tests/synth-data.sh
. tests/synth-data.sh
data=$tmp/data/syn
synth_with_sums "$data" "$tmp/syn.sha256" 7
mkdir "$tmp/exps"
for s in softmax-lambda softmax-reported-defaults mlp-arch; do
    sed -e 's/^seeds *=.*/seeds = 1, 2/' -e 's/512x128/16x8/g' -e 's/^hidden *= *128,/hidden = 8,/' \
        "experiments/$s.exp" > "$tmp/exps/$s.exp"
done
exps=$(echo "$tmp"/exps/*.exp)
runs=$((5 * 2 + 2 + 8 * 2))

run_make() {
    make --no-print-directory -j2 DATASET=syn EXPS="$exps" DATA_ROOT="$tmp/data" \
        DATA_SUMS="$tmp/syn.sha256" RESULTS_ROOT="$tmp/results" PLAN="$tmp/plan.mk" \
        PLAN_RUNS="$tmp/runs" REPORT_ROOT="$tmp/build" VERIFY_DIR="$tmp/verify" \
        BUILD="$BUILD" SANITIZE="$san" "$@"
}
# verify_with MANIFEST [make args...]: make verify's output in $tmp/log, its status in $rc
verify_with() {
    local manifest=$1
    shift
    rc=0
    run_make verify MANIFEST="$manifest" "$@" > "$tmp/log" 2>&1 || rc=$?
}

run_make manifest MANIFEST_OUT="$tmp/expected.json" > "$tmp/log" 2>&1 ||
    { tail -20 "$tmp/log" >&2; fail "make manifest failed"; }
[ "$(find "$tmp/results" -name summary.json | wc -l)" -eq "$runs" ] || fail "expected $runs runs"

# An unchanged tree verifies, in full and quickly.
verify_with "$tmp/expected.json"
[ "$rc" = 0 ] || { tail -20 "$tmp/log" >&2; fail "an unchanged tree did not verify (exit $rc)"; }
grep -qx "verify: $runs runs identical, 0 differ, 0 missing, 0 unexpected; checked $runs of the $runs expected runs (100%)" "$tmp/log" ||
    fail "no clean closing line: $(tail -3 "$tmp/log")"
verify_with "$tmp/expected.json" QUICK=1
[ "$rc" = 0 ] || { tail -20 "$tmp/log" >&2; fail "QUICK=1 did not verify (exit $rc)"; }
half=$((runs / 2))
grep -qx "verify: $half runs identical, 0 differ, 0 missing, 0 unexpected; checked $half of the $runs expected runs (50%: the first seed of every configuration)" "$tmp/log" ||
    fail "QUICK=1 does not say what it checked: $(tail -3 "$tmp/log")"
[ "$(find "$tmp/verify/results" -name summary.json | wc -l)" -eq "$half" ] ||
    fail "QUICK=1 reran $(find "$tmp/verify/results" -name summary.json | wc -l) runs, want $half"
[ -z "$(find "$tmp/verify/results" -path '*seed-2*' -name summary.json)" ] || fail "QUICK=1 reran a second seed"

# A result edited by one digit (the last of the final training loss: an
# accuracy may leave [0, 1], which the manifest's reader rejects) is named,
# with the delta, and fails the verification.
summary=$tmp/results/syn/softmax-lambda/lambda-0.5,seed-1/summary.json
cp "$summary" "$tmp/summary.orig"
was=$(sed -n '/"final"/,$ s/.*"train_loss": \([0-9.e+-]*\).*/\1/p' "$summary")
[ -n "$was" ] || fail "no final train_loss in $summary"
last=${was: -1}
now=${was%?}$(( (last + 1) % 10 ))
sed -i "/\"final\"/,\$ s/\"train_loss\": $was/\"train_loss\": $now/" "$summary"
cmp -s "$summary" "$tmp/summary.orig" && fail "the edit did not change $summary"
run_make manifest MANIFEST_OUT="$tmp/edited.json" > "$tmp/log" 2>&1 ||
    { tail -20 "$tmp/log" >&2; fail "make manifest of the edited results failed"; }
verify_with "$tmp/edited.json"
[ "$rc" != 0 ] || fail "an edited result verified"
want="run softmax-lambda/lambda-0.5,seed-1: summary.json differ; train_loss $(printf '%.9g' "$now") -> $(printf '%.9g' "$was") ("
grep -qF -- "$want" "$tmp/log" || fail "the edited run is not named with its delta: $(grep '^run' "$tmp/log" | head -3)"
grep -q "verify: $((runs - 1)) runs identical, 1 differ, 0 missing, 0 unexpected" "$tmp/log" ||
    fail "wrong count for one edited run: $(tail -1 "$tmp/log")"
cp "$tmp/summary.orig" "$summary"

# Seeds 1, 3 where the manifest has 1, 2: seed 2 is missing, seed 3 unexpected.
sed -i 's/^seeds *=.*/seeds = 1, 3/' "$tmp/exps/softmax-reported-defaults.exp"
verify_with "$tmp/expected.json"
[ "$rc" != 0 ] || fail "a changed set of runs verified"
grep -qx "run softmax-reported-defaults/seed-2: missing" "$tmp/log" || fail "the missing run is not named: $(grep '^run' "$tmp/log")"
grep -qx "run softmax-reported-defaults/seed-3: not in the expected manifest" "$tmp/log" ||
    fail "the unexpected run is not named: $(grep '^run' "$tmp/log")"
grep -qx "experiment softmax-reported-defaults.exp: sha-256 differs" "$tmp/log" ||
    fail "the changed experiment file is not named"

echo "e2e-verify: ok ($runs runs; full, quick, an edited result, a missing and an unexpected run)"
