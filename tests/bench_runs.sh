#!/bin/bash
# bench_runs.sh - times whole training runs of the trainer against the FLOP
# count of their matrix products, and the whole report's trainings against
# the FLOP floor at the measured peak. A report, not a test: it never fails on
# a number. Called by `make bench-runs`:
#
#   tests/bench_runs.sh TRAIN REPRO DATA_DIR KERNELS OUT
#
# TRAIN and REPRO are the two programs, DATA_DIR the verified MNIST directory,
# KERNELS the kernel table of `make bench-kernels` (its peak line and OpenBLAS
# columns are reused; missing, those columns read "-"), OUT the report, written
# to a temporary name and renamed into place. RESULTS_ROOT (default results)
# is where finished runs are looked for (every dataset under it). Each run is timed REPS times
# (default 3) and the fastest kept: other work on the machine only ever slows
# a run down. Every vector path the kernel table lists is timed, the widest
# (the trainer's default) first; the whole-report estimate uses that one. Scratch
# results go to the directory of OUT, under runs/.
set -euo pipefail

if [ $# -ne 5 ]; then
    echo "usage: bench_runs.sh TRAIN REPRO DATA_DIR KERNELS OUT" >&2
    exit 2
fi
train=$1 repro=$2 data=$3 kernels=$4 out=$5
reps=${REPS:-3}
results=${RESULTS_ROOT:-results}
dir=$(dirname "$out")/runs
rm -rf "$dir"
mkdir -p "$dir/exp"

# ---- the runs: the homework's settings (experiments/README.md) ------------------
# name | experiment file | run | batch | layer sizes, input side first
cat > "$dir/exp/mlp-128.exp" <<'EOF'
model = mlp
hidden = 128
max_epoch = 20
EOF
cat > "$dir/exp/mlp-512x128.exp" <<'EOF'
model = mlp
hidden = 512x128
max_epoch = 3
EOF
runs=(
    "softmax defaults|experiments/softmax-defaults.exp|seed-1|100|784 10"
    "784-128-10|$dir/exp/mlp-128.exp|seed-1|100|784 128 10"
    "784-512-128-10|$dir/exp/mlp-512x128.exp|seed-1|100|784 512 128 10"
)

field() { # field FILE KEY: a number or string value of summary/timing JSON
    sed -n "s/^ *\"$2\": *\"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p" "$1" | head -1
}

# The kernel table: path -> peak; shape -> ours and OpenBLAS GFLOP/s.
peak_of() { # peak_of ISA
    [ -f "$kernels" ] || { echo 0; return; }
    sed -n "s/^# peak .* $1 \([0-9.]*\) GFLOP\/s.*/\1/p" "$kernels" | head -1 | grep . || echo 0
}

# rates ISA BATCH SIZES...: the FLOP-weighted rate (total FLOPs / total time)
# of our products and of OpenBLAS's over one training step's products:
# per layer nn (B x out x in) and tn (in x out x B), and nt (B x in x out) for
# every layer but the first. Prints "ours blas", 0 where the table lacks one.
rates() {
    local isa=$1 batch=$2
    shift 2
    if [ ! -f "$kernels" ] || [ "$isa" = scalar ]; then
        echo "0 0"
        return
    fi
    local shapes="" in="" l=0
    for size in "$@"; do
        if [ -n "$in" ]; then
            shapes+="nn $batch $size $in;tn $in $size $batch;"
            [ $l -gt 0 ] && shapes+="nt $batch $in $size;"
            l=$((l + 1))
        fi
        in=$size
    done
    awk -v isa="$isa" -v shapes="$shapes" '
        BEGIN { n = split(shapes, s, ";"); oc = isa == "avx512" ? 9 : 6 }
        /^(nn|tn|nt) / { key = $1 " " $2 " " $3 " " $4; ours[key] = $oc; blas[key] = $(oc + 1) }
        END {
            for (i = 1; i <= n; i++) {
                if (s[i] == "") continue
                split(s[i], f, " ")
                fl = 2 * f[2] * f[3] * f[4]
                total += fl
                if (ours[s[i]] + 0 > 0) to += fl / ours[s[i]]; else to = -1e30
                if (blas[s[i]] + 0 > 0) tb += fl / blas[s[i]]; else tb = -1e30
            }
            printf "%.1f %.1f\n", (to > 0 ? total / to : 0), (tb > 0 ? total / tb : 0)
        }' "$kernels"
}

fmt() { # fmt VALUE: "-" for 0
    awk -v v="$1" 'BEGIN { if (v + 0 > 0) printf "%.1f", v; else printf "-" }'
}

cpu=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo | head -1)
tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
{
    echo "# runs: whole training runs of $train, one process on one core, best of $reps"
    echo "# cpu       ${cpu:-unknown}, $(nproc) cores"
    echo "# date      $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "# load      $(cut -d' ' -f1 /proc/loadavg) (1-minute average before the runs;" \
        "other work slows them)"
    echo "# GFLOP/s   train_flops of summary.json (the matrix-product FLOPs of training) / wall"
    echo "#           time, the wall time including data loading and every evaluation"
    echo "# of peak   that rate / the one-core pure-FMA peak of $kernels"
    echo "# cpu_peak  the same with the run's CPU time (user + system) for its wall time: on a"
    echo "#           machine other work shares, what the run itself reached"
    echo "# kernels   our products and OpenBLAS's on the run's training-step shapes ($kernels),"
    echo "#           FLOP-weighted: the rate of the products alone, nothing else counted"
    echo "# vs blas   the whole run's rate / OpenBLAS's kernel rate at the same shapes"
    echo "#"
    printf "%-16s %6s %6s %7s %7s %7s %7s %8s %7s %7s %7s %8s\n" "run" "epochs" "path" \
        "wall_s" "cpu_s" "GFLOP/s" "of_peak" "cpu_peak" "ours_k" "blas_k" "vs_blas" "maxrss_MB"
} > "$tmp"

# Every vector path the kernel table lists, widest (the trainer's default)
# first; without the table, the default path only.
paths=()
if [ -f "$kernels" ]; then
    read -ra listed <<< "$(sed -n 's/^# paths *//p' "$kernels")"
    for ((i = ${#listed[@]} - 1; i >= 0; i--)); do
        [ "${listed[i]}" = scalar ] || paths+=("${listed[i]}")
    done
fi
[ ${#paths[@]} -gt 0 ] || paths=(default)

declare -A rate_of # per run name: train_flops / CPU time, GFLOP/s
main_isa=""
for path in "${paths[@]}"; do
    for spec in "${runs[@]}"; do
        IFS='|' read -r name exp run batch sizes <<< "$spec"
        study=$(basename "$exp" .exp)
        res="$dir/mnist/$study/$run"
        best_wall="" best_line=""
        for ((r = 0; r < reps; r++)); do
            rm -rf "$res"
            if [ "$path" = default ]; then unset MNIST_ISA; else export MNIST_ISA=$path; fi
            /usr/bin/time -f '%e %U %S %M' -o "$dir/time.txt" \
                "$train" --config "$exp" --run "$run" --data "$data" --out "$res" --quiet
            read -r wall user sys rss < "$dir/time.txt"
            if [ -z "$best_wall" ] ||
                awk -v a="$wall" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then
                best_wall=$wall
                best_line="$wall $user $sys $rss"
            fi
        done
        unset MNIST_ISA
        read -r wall user sys rss <<< "$best_line"
        flops=$(field "$res/summary.json" train_flops)
        epochs=$(field "$res/summary.json" epochs_completed)
        isa=$(field "$res/timing.json" isa)
        # shellcheck disable=SC2086
        read -r ours blas <<< "$(rates "$isa" "$batch" $sizes)"
        peak=$(peak_of "$isa")
        gf=$(awk -v f="$flops" -v w="$wall" 'BEGIN { printf "%.1f", f / w * 1e-9 }')
        gfc=$(awk -v f="$flops" -v u="$user" -v s="$sys" 'BEGIN { printf "%.1f", f / (u + s) * 1e-9 }')
        if [ -z "$main_isa" ] || [ "$main_isa" = "$isa" ]; then
            main_isa=$isa
            rate_of[$name]=$gfc
        fi
        awk -v name="$name" -v ep="$epochs" -v isa="$isa" -v w="$wall" -v u="$user" \
            -v s="$sys" -v gf="$gf" -v gfc="$gfc" -v pk="$peak" -v o="$(fmt "$ours")" \
            -v b="$(fmt "$blas")" -v rss="$rss" '
            BEGIN {
                share = pk > 0 ? sprintf("%.0f%%", 100 * gf / pk) : "-"
                cshare = pk > 0 ? sprintf("%.0f%%", 100 * gfc / pk) : "-"
                vs = b != "-" ? sprintf("%.2f", gf / b) : "-"
                printf "%-16s %6s %6s %7.2f %7.2f %7.1f %7s %8s %7s %7s %7s %8.1f\n", name, ep,
                    isa, w, u + s, gf, share, cshare, o, b, vs, rss / 1024
            }' >> "$tmp"
    done
done

# ---- the whole report -----------------------------------------------------------
# Every training the planner schedules for the report's studies (each "train
# --config" of its rules: a configuration shared by several studies is one
# training), its FLOPs from the trainer's count: epochs x training images x
# per image, per layer 4 x in x out for the first (forward and weight
# gradient) and 6 x in x out for the others (and the input gradient). The
# training images per model are the bench runs' own. The floor is those FLOPs
# at the one-core peak; the finished trainings under RESULTS_ROOT (timing.json,
# summary.json's train_flops; a run whose timing.json names the training it
# was written from, "trained_with", is not counted again) give the measured
# CPU and wall time.
exps=(experiments/*.exp)
softmax_images=$(field "$dir/mnist/softmax-defaults/seed-1/summary.json" train_images)
mlp_images=$(field "$dir/mnist/mlp-128/seed-1/summary.json" train_images)
"$repro" plan --dataset mnist --runs "$dir/plan-runs" --results "$dir/plan-results" \
    --data "$(dirname "$data")" --out "$dir/plan.mk" "${exps[@]}"
peak=$(peak_of "$main_isa")
# per training: its FLOPs and its CPU time at the bench rate that fits it (softmax
# -> the softmax line; one hidden layer of 128 -> 784-128-10; any other MLP ->
# 784-512-128-10)
plan=$(sed -n 's/.* --config \([^ ]*\.cfg\) .*/\1/p' "$dir/plan.mk" | while read -r cfg; do
    awk -v si="$softmax_images" -v mi="$mlp_images" -v rs="${rate_of[softmax defaults]}" \
        -v r128="${rate_of[784-128-10]}" -v r512="${rate_of[784-512-128-10]}" '
        /^model = / { model = $3 }
        /^hidden = / { hidden = $3 }
        /^max_epoch = / { epochs = $3 }
        END {
            spec = model == "mlp" ? "784x" hidden "x10" : "784x10"
            n = split(spec, size, "x")
            per = 0
            for (l = 1; l < n; l++) per += (l == 1 ? 4 : 6) * size[l] * size[l + 1]
            flops = epochs * (model == "mlp" ? mi : si) * per
            rate = model != "mlp" ? rs : hidden == "128" ? r128 : r512
            printf "%.6e %.6e\n", flops, flops / (rate * 1e9)
        }' "$cfg"
done | awk '{ n++; f += $1; t += $2 } END { printf "%d %.6e %.6e\n", n, f, t }')
read -r n_train plan_flops plan_seconds <<< "$plan"
{
    echo "#"
    awk -v f="$plan_flops" -v p="$peak" -v t="$plan_seconds" -v n="$n_train" \
        -v files="${#exps[@]}" 'BEGIN {
        printf "# the whole report (experiments/*.exp, %d files): %d trainings, %.1f TFLOP\n",
            files, n, f * 1e-12
        printf "#   of training products (train_flops)\n"
        if (p > 0)
            printf "#   floor at the peak (%.1f GFLOP/s a core): %7.0f CPU-s, %6.1f min on 2 cores\n",
                p, f / (p * 1e9), f / (2 * p * 1e9) / 60
        printf "#   at the CPU rates of the runs above:       %7.0f CPU-s, %6.1f min on 2 cores\n",
            t, t / 120
        printf "#   (batch-100 rates; the batch-size studies run smaller batches, somewhat slower)\n"
    }'
    for res_dir in "$results"/*/; do
        ds=$(basename "$res_dir")
        measured=$(for t in "$res_dir"*/*/timing.json; do
            [ -f "$t" ] && [ -f "${t%timing.json}summary.json" ] || continue
            grep -q '"trained_with"' "$t" && continue
            echo "$(field "$t" wall_seconds) $(field "$t" cpu_seconds)" \
                "$(field "${t%timing.json}summary.json" train_flops)"
        done)
        if [ -z "$measured" ]; then
            echo "#   measured, $ds: no finished trainings under ${res_dir%/}"
            continue
        fi
        awk -v all="$n_train" -v d="${res_dir%/}" -v p="$peak" '
            { n++; w += $1; c += $2; f += $3 }
            END {
                printf "#   measured, %s: %d trainings (of %d planned), %.1f TFLOP\n", d, n, all,
                    f * 1e-12
                form = "#     %s %7.0f s, %6.1f min two at a time, %6.1f GFLOP/s, floor / %s %s\n"
                ratio = p > 0 ? sprintf("%.2f", f / (p * 1e9) / c) : "-"
                printf form, "CPU  times add up to", c, c / 120, f / c * 1e-9, "CPU ", ratio
                ratio = p > 0 ? sprintf("%.2f", f / (p * 1e9) / w) : "-"
                printf form, "wall times add up to", w, w / 120, f / w * 1e-9, "wall", ratio
                printf "#     (floor: their train_flops at the peak; wall above CPU: the runs\n"
                printf "#     waited for a core, for other work or for each other)\n"
            }' <<< "$measured"
    done
} >> "$tmp"
mv "$tmp" "$out"
trap - EXIT
cat "$out"
