#!/bin/bash
# The layout's floors and the one way their dependencies run, checked on the
# #include lines of every source file (src/<folder>/*.c) and public header
# (include/*.h, include/report/*.h):
#
#   train  -> nn -> kernels -> util       the trainer's side
#   train  -> run -> util                 the run's floor, below both sides
#   cmd -> report -> run -> util          the report's side
#   report -> kernels                     the manifest names the kernel path
#                                         a machine takes; synthetic data is
#                                         drawn from the project's generator
#
# The trainer links the archives of its folders only (Makefile), and its code
# is the key of every finished run: an include against these arrows would
# pull report-side code into it, or make a lower floor depend on a higher one.
# A header of include/report/ belongs to the report side, one directly in
# include/ to the folder of the .c file of its name; the headers with no .c of
# their own are listed in HEADER_ONLY below.
# usage: tests/check-layout.sh [ROOT]   (ROOT defaults to the checkout)
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"

# folder: the folders it may include from, itself first
declare -A MAY=(
    [util]="util"
    [kernels]="kernels util"
    [nn]="nn kernels util"
    [run]="run util"
    [train]="train nn run kernels util"
    [report]="report run kernels util"
    [cmd]="cmd report run kernels util"
)
HEADER_ONLY="checked.h:util kinds.h:util gemm_paths.h:kernels vec_paths.h:kernels
             neon_part.h:kernels report/cli.h:cmd"

# Every source file lives in one of the layout's folders.
for f in src/*.c src/*/*.c; do
    [ -e "$f" ] || continue
    d=${f#src/}
    d=${d%%/*}
    if [ "$d" = "${f#src/}" ] || [ -z "${MAY[$d]:-}" ]; then
        echo "layout: '$f': source outside the layout's folders (src/${!MAY[*]})" >&2
        exit 1
    fi
done

# include/NAME -> folder: the report side's headers are in include/report/,
# the others directly in include/.
declare -A FLOOR
for h in include/report/*.h; do
    FLOOR[${h#include/}]=report
done
for h in include/*.h; do
    base=$(basename "$h" .h)
    srcs=$(compgen -G "src/*/$base.c" | grep -vE '^src/(report|cmd)/' || true)
    if [ "$(wc -w <<< "$srcs")" = 1 ]; then
        d=${srcs#src/}
        FLOOR[${h#include/}]=${d%%/*}
    fi
done
for pair in $HEADER_ONLY; do
    FLOOR[${pair%%:*}]=${pair#*:}
done
for h in include/*.h include/report/*.h; do
    name=${h#include/}
    [ -n "${FLOOR[$name]:-}" ] ||
        { echo "layout: '$h': no folder: no src/<folder>/$(basename "$h" .h).c and not in HEADER_ONLY" >&2; exit 1; }
done

# Each #include "..." against the arrows: the first one found, with its line.
for f in src/*/*.c include/*.h include/report/*.h; do
    if [ "${f%%/*}" = src ]; then
        d=${f#src/}
        from=${d%%/*}
    else
        from=${FLOOR[${f#include/}]}
    fi
    while IFS=: read -r line inc; do
        to=${FLOOR[$inc]:-}
        if [ -z "$to" ]; then
            echo "layout: '$f:$line': includes '$inc', which is no header of include/" >&2
            exit 1
        fi
        case " ${MAY[$from]} " in
        *" $to "*) ;;
        *)
            echo "layout: '$f:$line': $from includes '$inc' of $to ($from may include only ${MAY[$from]// /, })" >&2
            exit 1
            ;;
        esac
    done < <(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
             sed -E 's/^([0-9]+):[^"]*"([^"]+)".*/\1:\2/')
done
