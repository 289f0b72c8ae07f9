#!/bin/bash
# The train command from the outside: usage errors, bad experiment files and
# bad data each give one line naming the file and exit non-zero, and leave no
# results behind; a good run writes its four files and repeats byte for byte.
set -euo pipefail
BUILD=${BUILD:-build/release}
# VALGRIND="valgrind ..." runs the trainer under it (make check-valgrind)
train="${VALGRIND:-} $BUILD/bin/train"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "e2e-train: FAIL: $*" >&2; exit 1; }

# expect STATUS PATTERN cmd...: exit status and a one-line message matching PATTERN
expect() {
    local want=$1 pattern=$2 rc=0
    shift 2
    "$@" > "$tmp/out" 2> "$tmp/err" || rc=$?
    [ "$rc" = "$want" ] || fail "'$*' exited $rc, want $want: $(cat "$tmp/err")"
    [ "$(wc -l < "$tmp/err")" -eq 1 ] || fail "'$*' printed more than one line: $(cat "$tmp/err")"
    grep -qE -- "$pattern" "$tmp/err" || fail "'$*': '$(cat "$tmp/err")' does not match '$pattern'"
}

"$BUILD/bin/repro" synth --out "$tmp/data" --train 300 --test 100 --side 12
printf 'model = softmax\nmax_epoch = 2\nlearning_rate = 0.1\n' > "$tmp/good.exp"
printf 'model = softmax\n# a comment\nlamda = 0.5\n' > "$tmp/typo.exp"
out=$tmp/results/syn/study/seed-1

$train --help | grep -q -- '--config' || fail "--help does not document --config"
expect 2 "required" $train --config "$tmp/good.exp"
expect 2 "unknown option '--bogus'" $train --bogus
expect 1 "typo.exp:3: .*'lamda'" $train --config "$tmp/typo.exp" --data "$tmp/data" --out "$out"
expect 1 "'$tmp/nodata/train-images-idx3-ubyte'" $train --config "$tmp/good.exp" --data "$tmp/nodata" --out "$out"
head -c 1000 "$tmp/data/t10k-images-idx3-ubyte" > "$tmp/t" && mkdir -p "$tmp/cut" && cp "$tmp/data/"* "$tmp/cut/" && mv "$tmp/t" "$tmp/cut/t10k-images-idx3-ubyte"
expect 1 "truncated at byte 1000 \(image 7 of 100\)" $train --config "$tmp/good.exp" --data "$tmp/cut" --out "$out"
expect 2 "MNIST_ISA='bogus'" env MNIST_ISA=bogus $train --config "$tmp/good.exp" --data "$tmp/data" --out "$out"
[ ! -e "$out/summary.json" ] || fail "a failed run left summary.json"

$train --quiet --config "$tmp/good.exp" --data "$tmp/data" --out "$out"
for f in summary.json epochs.csv iterations.csv timing.json; do [ -s "$out/$f" ] || fail "no $f"; done
grep -q '"study": "study"' "$out/summary.json" || fail "study name not taken from the path"
cp -r "$out" "$tmp/first"
$train --quiet --config "$tmp/good.exp" --data "$tmp/data" --out "$out"
for f in summary.json epochs.csv iterations.csv; do cmp -s "$out/$f" "$tmp/first/$f" || fail "$f differs on a rerun"; done
ls -A "$out" | grep -q '\.tmp\.' && fail "temporary files left behind"
# one training written for two runs of the same configuration (the planner's
# shared runs): each directory holds the bytes a training of its own writes,
# under its own name, and the second's timing.json names the first
twin=$tmp/results/syn/other/seed-1
$train --quiet --config "$tmp/good.exp" --data "$tmp/data" --out "$tmp/pair" --out "$twin"
grep -q '"study": "other"' "$twin/summary.json" || fail "the second --out is not written under its own name"
$train --quiet --config "$tmp/good.exp" --data "$tmp/data" --out "$tmp/alone/syn/other/seed-1"
for f in summary.json epochs.csv iterations.csv; do
    cmp -s "$twin/$f" "$tmp/alone/syn/other/seed-1/$f" || fail "a shared training's $f differs from its own training's"
done
grep -q '"trained_with": "[^"/]*/pair"' "$twin/timing.json" || fail "the shared run's timing.json does not name its training: $(cat "$twin/timing.json")"
grep -q 'trained_with' "$tmp/pair/timing.json" && fail "the first --out's timing.json says it was trained with another"
expect 2 "give one --out" $train --config "$tmp/good.exp" --run seed-1 --data "$tmp/data" --out "$tmp/pair" --out "$twin"
# --name gives the names summary.json records, whatever the directory is called
$train --quiet --config "$tmp/good.exp" --data "$tmp/data" --out "$tmp/anywhere" --name syn/named/seed-1
grep -q '"study": "named"' "$tmp/anywhere/summary.json" || fail "--name's study is not recorded"
grep -q '"dataset": "syn"' "$tmp/anywhere/summary.json" || fail "--name's dataset is not recorded"
expect 2 "--name 'syn/seed-1' is not DATASET/STUDY/RUN" $train --config "$tmp/good.exp" --data "$tmp/data" --out "$tmp/x" --name syn/seed-1
expect 2 "2 --out but 1 --name: give one --name per --out" $train --config "$tmp/good.exp" --data "$tmp/data" --out "$tmp/x" --name a/b/c --out "$tmp/y"
[ ! -e "$tmp/x" ] && [ ! -e "$tmp/y" ] || fail "a usage error created a results directory"
# a full disk (here: a file size limit, which fails writes the same way) gives
# one line naming the file, a non-zero exit, and no results at all
rm -rf "$out"
rc=0
printf 'model = softmax\nmax_epoch = 2\nbatch_size = 10\n' > "$tmp/long.exp"
(ulimit -f 1; trap '' XFSZ; exec $train --quiet --config "$tmp/long.exp" --data "$tmp/data" --out "$out") \
    2> "$tmp/err" || rc=$?
[ "$rc" = 1 ] || fail "a full disk exited $rc: $(cat "$tmp/err")"
grep -q "train: write: '$out/.*': File too large" "$tmp/err" || fail "no write error: $(cat "$tmp/err")"
[ -z "$(ls -A "$out" 2> /dev/null)" ] || fail "a failed write left $(ls -A "$out")"
# data that no longer matches its checksums (a byte flipped after make data
# verified it): one line naming the file, both digests and the command that
# restores it, exit status 1, and no results at all
files="train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte"
(cd "$tmp/data" && sha256sum $files) > "$tmp/sums"
rm -rf "$out"
$train --quiet --config "$tmp/good.exp" --data "$tmp/data" --sums "$tmp/sums" --out "$out" ||
    fail "data that matches its checksums was refused"
rm -rf "$out"
img=$tmp/data/train-images-idx3-ubyte
good=$(sha256sum < "$img" | cut -d' ' -f1)
byte=$(od -An -tu1 -j 200 -N 1 "$img" | tr -d ' ')
printf "\\$(printf '%03o' $((byte ^ 1)))" | dd of="$img" bs=1 seek=200 conv=notrunc status=none
bad=$(sha256sum < "$img" | cut -d' ' -f1)
[ "$bad" != "$good" ] || fail "the byte was not flipped"
expect 1 "^train: data: '$img': sha-256 $bad does not match $good from '$tmp/sums'; restore it: rm -f $tmp/data/.verified && make data-sums DATA_ROOT=$tmp\$" \
    $train --config "$tmp/good.exp" --data "$tmp/data" --sums "$tmp/sums" --out "$out"
[ ! -e "$out" ] || fail "refused data left $out behind"
# Run by hand as README shows it (no --sums), the trainer still checks the data
# against the stamp make data leaves in the data directory (a copy of the
# checksums it verified); --no-sums trains on it unchecked.
cp "$tmp/sums" "$tmp/data/.verified"
expect 1 "^train: data: '$img': sha-256 $bad does not match $good from '$tmp/data/.verified'" \
    $train --config "$tmp/good.exp" --data "$tmp/data" --out "$out"
[ ! -e "$out" ] || fail "refused data (checked by default) left $out behind"
expect 2 "give one or the other" $train --config "$tmp/good.exp" --data "$tmp/data" --sums "$tmp/sums" --no-sums --out "$out"
$train --quiet --config "$tmp/good.exp" --data "$tmp/data" --no-sums --out "$out" ||
    fail "--no-sums refused the data"
echo "e2e-train: ok"
