#!/bin/bash
# Removes what a killed build left behind in each DIR: the temporary files and
# directories every writer of the report side uses, named .NAME.tmp.PID, whose
# process PID is no longer running (or is a zombie). Those of a build still running (two builds
# at once) are left alone.
# usage: src/scripts/sweep-tmp.sh DIR...
set -euo pipefail
shopt -s nullglob
for dir in "$@"; do
    [ -d "$dir" ] || continue
    for f in "$dir"/.*.tmp.[0-9]*; do
        pid=${f##*.tmp.}
        case $pid in *[!0-9]*) continue ;; esac
        # a zombie (killed, its parent gone, not yet reaped) is not running
        state=$(sed -E 's/^.*\) (.).*$/\1/' "/proc/$pid/stat" 2> /dev/null || true)
        if [ -z "$state" ] || [ "$state" = Z ]; then rm -rf -- "$f"; fi
    done
done
