#!/bin/bash
# The boundary the layout shows: the training side (src/util, src/kernels,
# src/nn, src/train and the headers directly in include/) never includes a
# report-side header (include/report/). The trainer is built from exactly
# those folders, and its code is the key of every finished run, so a report
# header pulled in here would make report edits rerun every study.
# usage: tests/check-layout.sh [ROOT]   (ROOT defaults to the checkout)
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root"
bad=$(grep -nE '^[[:space:]]*#[[:space:]]*include[[:space:]]*"report/' \
        src/util/*.c src/kernels/*.c src/nn/*.c src/train/*.c include/*.h 2>/dev/null || true)
if [ -n "$bad" ]; then
    while IFS= read -r line; do
        echo "layout: '${line%%:*}': training-side file includes a report-side header: ${line#*:*:}" >&2
    done <<< "$bad"
    exit 1
fi
# Every source file lives in one of the layout's folders.
stray=$(find src -maxdepth 1 -type f -name '*.c' | head -1)
[ -z "$stray" ] || { echo "layout: '$stray': source outside the layout's folders (src/util, kernels, nn, train, report, cmd)" >&2; exit 1; }
