#!/bin/bash
# twin-runs.sh - the same short training runs by two builds of the trainer (another
# compiler, another architecture), compared byte for byte: summary.json,
# epochs.csv and iterations.csv must be identical (timing.json, which holds
# times, the kernel path and the machine, is not compared). Called by .ci/run
# (gcc against clang) and by make check-arm64 (amd64 against arm64 under qemu):
#
#   tests/twin-runs.sh OUT REPRO TRAIN_A TRAIN_B [MNIST_DIR]
#
# TRAIN_A and TRAIN_B are commands, split at spaces, so that
# "qemu-aarch64 -L /usr/aarch64-linux-gnu build/arm64/bin/train" is one. OUT is
# a scratch directory (emptied first). The runs: a softmax and two MLP
# configurations (ReLU with cross-entropy, sigmoid with the Euclidean loss) on
# synthetic data from `repro synth`; with MNIST_DIR (the verified data) also
# softmax-defaults seed-1, whose files must match the committed expected
# manifest too, and one mlp-arch run cut to 2 epochs. Prints the SHA-256 of
# every compared file; exits 1 if any differs.
set -euo pipefail

if [ $# -lt 4 ] || [ $# -gt 5 ]; then
    echo "usage: twin-runs.sh OUT REPRO TRAIN_A TRAIN_B [MNIST_DIR]" >&2
    exit 2
fi
out=$1 repro=$2 mnist=${5:-}
read -ra train_a <<< "$3"
read -ra train_b <<< "$4"
expected=experiments/expected/mnist.json
rm -rf "$out"
mkdir -p "$out/exp"

"$repro" synth --out "$out/synth" --train 600 --test 200 --side 28 --seed 7 > /dev/null
cat > "$out/exp/twin-softmax.exp" <<'EOF'
model = softmax
batch_size = 32
max_epoch = 3
lambda = 0.2
learning_rate = 0.1
EOF
cat > "$out/exp/twin-mlp-relu.exp" <<'EOF'
model = mlp
hidden = 64x32
batch_size = 50
max_epoch = 3
learning_rate = 0.01
EOF
cat > "$out/exp/twin-mlp-sigmoid.exp" <<'EOF'
model = mlp
hidden = 48
activation = sigmoid
loss = euclidean
batch_size = 16
max_epoch = 2
learning_rate = 0.01
EOF
# dataset|experiment file|run (empty: the file's only run)|data directory
runs=(
    "synth|$out/exp/twin-softmax.exp||$out/synth"
    "synth|$out/exp/twin-mlp-relu.exp||$out/synth"
    "synth|$out/exp/twin-mlp-sigmoid.exp||$out/synth"
)
if [ -n "$mnist" ]; then
    # the real study's file with its defaults' 20 epochs cut to 2
    { cat experiments/mlp-arch.exp; echo "max_epoch = 2"; } > "$out/exp/mlp-arch.exp"
    runs+=(
        "mnist|experiments/softmax-defaults.exp|seed-1|$mnist"
        "mnist|$out/exp/mlp-arch.exp|hidden-128,loss-cross-entropy,activation-relu,seed-1|$mnist"
    )
fi

# The hash a committed expected manifest gives for study/run's file, or "".
expected_hash() {
    [ -f "$expected" ] || return 0
    awk -v key="\"$1\": {" -v file="\"$2\":" '
        index($0, key) == 3 { inrun = 1; next }
        inrun && $1 == file { gsub(/[",]/, "", $2); print $2; exit }
        inrun && /^  }/ { exit }' "$expected"
}

# run SIDE SPEC: one run by trainer SIDE (a or b), its time on stdout
run() {
    local side=$1 dataset exp rname data study name start
    IFS='|' read -r dataset exp rname data <<< "$2"
    study=$(basename "$exp" .exp)
    name=${rname:-seed-1}
    local args=(--config "$exp" --data "$data" --quiet --out "$out/$side/$dataset/$study/$name")
    [ -z "$rname" ] || args+=(--run "$rname")
    start=$SECONDS
    if [ "$side" = a ]; then "${train_a[@]}" "${args[@]}"; else "${train_b[@]}" "${args[@]}"; fi
    printf '  %s: %s/%s/%s (%d s)\n' "$side" "$dataset" "$study" "$name" $((SECONDS - start))
}

# Trainer A one run after the other; then B's runs two at a time (B may be
# an emulator: its MNIST runs take minutes, side by side on two cores).
for spec in "${runs[@]}"; do
    run a "$spec"
done
pids=()
for i in "${!runs[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge 2 ]; do wait -n || true; done
    run b "${runs[i]}" > "$out/b-$i.log" 2>&1 &
    pids+=($!)
done
failed=0
for i in "${!pids[@]}"; do
    wait "${pids[i]}" || failed=1
    cat "$out/b-$i.log"
done
if [ $failed -ne 0 ]; then
    echo "twin-runs: a run of '$4' failed" >&2
    exit 1
fi

differ=0
for spec in "${runs[@]}"; do
    IFS='|' read -r dataset exp run data <<< "$spec"
    study=$(basename "$exp" .exp)
    name=${run:-seed-1}
    for f in summary.json epochs.csv iterations.csv; do
        a="$out/a/$dataset/$study/$name/$f" b="$out/b/$dataset/$study/$name/$f"
        [ -f "$a" ] || [ -f "$b" ] || continue
        ha=$(sha256sum < "$a" | cut -d' ' -f1)
        hb=$(sha256sum < "$b" 2>/dev/null | cut -d' ' -f1 || true)
        verdict=same
        cmp -s "$a" "$b" || { verdict=DIFFER; differ=$((differ + 1)); }
        if [ "$study" = softmax-defaults ]; then
            want=$(expected_hash "$study/$name" "$f")
            if [ -z "$want" ]; then
                verdict+=", no expected hash"
            elif [ "$want" = "$hb" ] && [ "$want" = "$ha" ]; then
                verdict+=", = expected manifest"
            else
                verdict+=", NOT the expected manifest's $want"
                differ=$((differ + 1))
            fi
        fi
        if [ "${verdict%%,*}" = same ]; then
            printf '  %s  %s/%s/%s: %s\n' "$ha" "$study" "$name" "$f" "$verdict"
        else
            printf '  a %s b %s  %s/%s/%s: %s\n' "$ha" "${hb:-none}" "$study" "$name" "$f" \
                "$verdict"
        fi
    done
done
if [ $differ -ne 0 ]; then
    echo "twin-runs: $differ file(s) differ between '$3' and '$4'" >&2
    exit 1
fi
echo "twin-runs: ${#runs[@]} runs, every result file identical"
