#!/bin/bash
# Kill and resume: the pipeline is killed (SIGKILL, the whole process group) at
# random points while trainers run and write, then resumed; the results must be
# byte-identical to an uninterrupted run's and no temporary file may survive.
# Also: a second make runs nothing, and editing one value reruns only its runs.
set -euo pipefail
BUILD=${BUILD:-build/release}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "e2e-resume: FAIL: $*" >&2; exit 1; }

"$BUILD/bin/repro" synth --out "$tmp/data/syn" --train 3000 --test 500 --side 28 > /dev/null
# the stamp make data leaves: the checksums it verified (the trainer checks them)
(cd "$tmp/data/syn" && sha256sum train-images-idx3-ubyte train-labels-idx1-ubyte \
    t10k-images-idx3-ubyte t10k-labels-idx1-ubyte) > "$tmp/data/syn/.verified"
mkdir -p "$tmp/exp"
cat > "$tmp/exp/tiny.exp" <<'EXP'
model = mlp
hidden = 256
max_epoch = 10
learning_rate = 0.01, 0.02, 0.03
seeds = 1, 2, 3, 4
EXP

# pipeline DIR [make args...]: the study's runs into DIR, through the real Makefile
pipeline() {
    local dir=$1
    shift
    make --no-print-directory -s BUILD="$BUILD" DATASET=syn DATA_ROOT="$tmp/data" \
        EXPS="$tmp/exp/tiny.exp" RESULTS_ROOT="$dir/results" PLAN="$dir/plan.mk" \
        PLAN_RUNS="$dir/runs" CI=1 "$@" tiny
}

pipeline "$tmp/a" > /dev/null 2>&1 || fail "uninterrupted pipeline failed"
[ "$(find "$tmp/a/results" -name summary.json | wc -l)" -eq 12 ] || fail "expected 12 runs"

# interrupted three times at random points, then resumed
interrupted=0
for i in 1 2 3; do
    setsid bash -c "$(declare -f pipeline); tmp='$tmp' BUILD='$BUILD' pipeline '$tmp/b' -j2" > /dev/null 2>&1 &
    pid=$!
    sleep "0.$((RANDOM % 5 + 1))"
    kill -9 -- "-$pid" 2> /dev/null || true
    wait "$pid" 2> /dev/null || true
    [ "$(find "$tmp/b/results" -name summary.json 2> /dev/null | wc -l)" -lt 12 ] && interrupted=1
done
[ "$interrupted" = 1 ] || fail "no kill landed while runs were still going"
pipeline "$tmp/b" -j2 > /dev/null 2>&1 || fail "resumed pipeline failed"
for f in $(cd "$tmp/a/results" && find . -type f ! -name timing.json | sort); do
    cmp -s "$tmp/a/results/$f" "$tmp/b/results/$f" || fail "$f differs after kill and resume"
done
[ -z "$(find "$tmp/b/results" -name '*.tmp.*')" ] || fail "temporary files survived"

# nothing to do the second time
touch -d '2000-01-01' "$tmp/stamp"
find "$tmp/b/results" -newer "$tmp/stamp" -name summary.json > "$tmp/before"
out=$(pipeline "$tmp/b" 2>&1)
[ -z "$(find "$tmp/b/results" -newer "$tmp/before" -name summary.json)" ] || fail "a second make reran runs: $out"

# one value edited: only its four seeds rerun
sed -i 's/0.03/0.04/' "$tmp/exp/tiny.exp"
touch "$tmp/mark"
sleep 1
pipeline "$tmp/b" > /dev/null 2>&1 || fail "pipeline after the edit failed"
new=$(find "$tmp/b/results" -newer "$tmp/mark" -name summary.json | sort | tr '\n' ' ')
want=$(for s in 1 2 3 4; do printf '%s ' "$tmp/b/results/syn/tiny/learning_rate-0.04,seed-$s/summary.json"; done)
[ "$new" = "$want" ] ||
    fail "the edit reran '$new'"
echo "e2e-resume: ok"
