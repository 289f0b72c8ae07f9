#!/bin/bash
# launch-slurm.sh COMMAND...: runs one command, a run's training command, as
# its own Slurm job step and exits with its outcome. The Makefile puts this in
# front of every training command when LAUNCH=slurm (make's -j is the number of
# runs in flight); SLURM_FLAGS adds srun options, e.g.
#   make report LAUNCH=slurm SLURM_FLAGS="--partition=short --time=10"
#
# The step runs with the same working directory and relative paths as make, so
# the checkout, the data and the results must be the same directories on every
# compute node (a shared filesystem). Before the command starts, the node checks
# that: it sees the checkout, runs the same trainer binary (checksum), sees the
# run config and the data directory, and reads a token this side just wrote
# into the run's results directory (so a node-local directory of the same name
# does not pass). Every failure is one line naming the run:
#   srun missing, the job rejected (srun's message and exit status), a node that
#   cannot see a path, a step killed for its time or memory limit or cancelled,
#   a signal; the trainer's own errors pass through as they are.
# A run that fails leaves none of its result files (a killed trainer leaves at
# most a temporary file, and summary.json marks a finished run), so the next
# make reruns exactly that run.
set -uo pipefail
me=launch-slurm

[ $# -gt 0 ] || { echo "$me: usage: launch-slurm.sh COMMAND..." >&2; exit 2; }

# The paths the training command names (train --help: --config, --data, --out;
# --out again for every run that shares the training: outs holds them all).
config='' data='' out='' run_name=''
outs=()
args=("$@")
for ((i = 1; i + 1 < $#; i++)); do
    case ${args[i]} in
    --config) config=${args[i + 1]} ;;
    --data) data=${args[i + 1]} ;;
    --out)
        outs+=("${args[i + 1]}")
        [ -n "$out" ] || out=${args[i + 1]}
        ;;
    --name) [ -n "$run_name" ] || run_name=${args[i + 1]} ;;
    esac
done
# The job's name: dataset/study/run, the first --name, else the last three
# components of the first --out.
name=$(basename "$1")
if [ -n "$run_name" ]; then
    name=$run_name
elif [ -n "$out" ]; then
    name=$(echo "$out" | awk -F/ '{ n = NF; while (n > 1 && $n == "") n--;
                                    print (n > 2 ? $(n - 2) "/" : "") (n > 1 ? $(n - 1) "/" : "") $n }')
fi
say() { echo "$me: '$name': $*" >&2; }

if ! command -v srun > /dev/null 2>&1; then
    say "'srun' not found: install Slurm's client tools (Debian: slurm-client) or run without LAUNCH=slurm"
    exit 127
fi

# The run's result files (rundir.h), in every --out: removed when the step
# fails, so that nothing that looks finished is left.
clear_run() {
    local o
    for o in "${outs[@]}"; do
        [ -d "$o" ] || continue
        rm -f "$o/summary.json" "$o/epochs.csv" "$o/iterations.csv" "$o/timing.json" \
            "$o"/.*.tmp.*
    done
}

log=$(mktemp "${TMPDIR:-/tmp}/launch-slurm.XXXXXX") || { say "cannot create a temporary file"; exit 1; }
probe=''
# shellcheck disable=SC2317  # run by the trap
cleanup() { rm -f "$log" ${probe:+"$probe"}; }
trap cleanup EXIT
token=$$.$RANDOM.$(date +%s%N)
if [ -n "$out" ]; then
    mkdir -p "$out" || { say "cannot create the results directory '$out'"; exit 1; }
    probe=$out/.launch-probe
    echo "$token" > "$probe" || { say "cannot write into the results directory '$out'"; exit 1; }
fi
trainer_sum=''
[ -f "$1" ] && trainer_sum=$(cksum < "$1")

# On the node: check what it sees, then become the command. Exit status 96
# means a check failed (the trainer exits 0, 1 or 2).
read -r -d '' node_check <<'SH'
me=$1 name=$2 dir=$3 token=$4 config=$5 data=$6 out=$7 sum=$8
shift 8
node=${SLURMD_NODENAME:-$(uname -n)}
no() { echo "$me: '$name': node '$node' $*" >&2; exit 96; }
cd "$dir" 2> /dev/null && [ "$(pwd -P)" = "$dir" ] || no "cannot see the checkout '$dir'"
if [ -n "$sum" ]; then
    [ -x "$1" ] || no "cannot run the trainer '$1' (the build directory must be shared)"
    [ "$(cksum < "$1")" = "$sum" ] || no "runs another trainer '$1' than this machine's (the build directory must be shared)"
fi
[ -z "$config" ] || [ -r "$config" ] || no "cannot see the run config '$config'"
[ -z "$data" ] || [ -d "$data" ] || no "cannot see the data directory '$data'"
if [ -n "$out" ]; then
    [ "$(cat "$out/.launch-probe" 2> /dev/null)" = "$token" ] ||
        no "cannot see the results directory '$out' (it must be shared)"
fi
exec "$@"
SH

# SLURM_FLAGS is split on spaces: one srun option per word.
read -ra flags <<< "${SLURM_FLAGS:-}"
# The trainer prints only a closing line or an error to stderr (no progress:
# stderr is not a terminal under srun), so it is held until the step ends and
# then shown, with srun's own lines folded into one.
srun --quiet --quit-on-interrupt --ntasks=1 --cpus-per-task=1 "${flags[@]}" \
    --job-name="$name" --chdir="$(pwd -P)" \
    -- /bin/sh -c "$node_check" sh "$me" "$name" "$(pwd -P)" "$token" "$config" "$data" "$out" \
    "$trainer_sum" "$@" 2> "$log"
rc=$?
[ -n "$probe" ] && rm -f "$probe"
slurm=$(grep -E '^(srun|slurmstepd[^:]*): ' "$log")
# Whether the command started: srun reports on its task or step, or the node's
# check failed. Until then every line is srun's, even those without its prefix.
started=0
[ "$rc" -eq 0 ] && started=1
grep -qE 'task [0-9]+: |STEP [0-9]' <<< "$slurm" && started=1
grep -q "^$me: " "$log" && started=1
# the command's own lines: the trainer's closing line or error, a failed check
[ "$started" -eq 1 ] && grep -Ev '^(srun|slurmstepd[^:]*): ' "$log" >&2
[ "$rc" -eq 0 ] && exit 0

clear_run
step=$(sed -n 's/.*\*\*\* \(STEP [0-9.]* ON [^ ]*\) CANCELLED.*/\1/p' <<< "$slurm" | head -1)
step=${step:+ (${step,,})}
why() { grep -qiE "$1" <<< "$slurm"; }
# "ID STATE NODES" of the newest job of this name the controller remembers
last_job() {
    scontrol -o show job 2> /dev/null | awk -v n="$name" '
        { id = st = nm = nd = ""
          for (i = 1; i <= NF; i++) {
              if ($i ~ /^JobId=/) id = substr($i, 7)
              else if ($i ~ /^JobName=/) nm = substr($i, 9)
              else if ($i ~ /^JobState=/) st = substr($i, 10)
              else if ($i ~ /^NodeList=/) nd = substr($i, 10)
          }
          if (nm == n && id + 0 > best) { best = id + 0; out = id " " st " " nd } }
        END { print out }'
}
if [ "$rc" -eq 96 ] && grep -q "^$me: " "$log"; then
    : # the node's check said why, above
elif [ "$started" -eq 0 ] && grep -q 'Unable to allocate resources' "$log"; then
    msg=$(grep -m1 'Unable to allocate resources' "$log" | sed -E 's/^srun: ((error|fatal): )?//')
    say "job rejected by slurm (srun exit $rc): $msg"
elif [ "$started" -eq 0 ]; then
    # a fatal line says most; else the first error, else srun's first line
    msg=$(grep -m1 '^srun: fatal: ' "$log" || grep -m1 '^srun: error: ' "$log" || head -1 "$log")
    msg=$(sed -E 's/^srun: ((error|fatal): )?//' <<< "$msg")
    say "srun could not start the job (exit $rc)${msg:+: $msg}"
elif why 'DUE TO TIME LIMIT'; then
    say "killed by slurm at its time limit$step: the run is not done (raise --time in SLURM_FLAGS)"
elif why 'exceeded memory limit|Out Of Memory|oom-kill'; then
    say "killed by slurm over its memory limit: the run is not done (raise --mem in SLURM_FLAGS)"
elif why 'CANCELLED'; then
    due=$(sed -n 's/.*CANCELLED AT [^ ]* \(DUE TO [^*]*[^ *]\).*/\1/p' <<< "$slurm" | head -1)
    say "cancelled$step${due:+ ${due,,}}: the run is not done"
elif [ "$rc" -gt 128 ] && [ "$(last_job | cut -d' ' -f2)" = CANCELLED ]; then
    # srun does not always pass on the step's CANCELLED line before it exits
    # (the task's TERM can come first): the controller still knows
    read -r id _ node <<< "$(last_job)"
    say "cancelled (step $id.0 on $node): the run is not done"
elif [ "$rc" -gt 128 ] || why 'task [0-9]+: (Killed|Terminated)'; then
    sig=KILL
    [ "$rc" -gt 128 ] && sig=$(kill -l $((rc - 128)) 2> /dev/null || echo $((rc - 128)))
    why 'task [0-9]+: Terminated' && sig=TERM
    say "killed by signal $sig (srun exit $rc): the run is not done"
elif grep -qvE '^(srun|slurmstepd[^:]*): ' "$log"; then
    : # the command's own error, shown above
else
    say "srun failed (exit $rc)${slurm:+: $(tail -1 <<< "$slurm")}"
fi
exit "$rc"
