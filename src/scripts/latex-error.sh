#!/bin/bash
# Prints, on one line, why LaTeX stopped: the first error of its log ("! ..."),
# the source line it names ("l.NNN") in TEX, and the page it was setting (one
# more than the pages already shipped out, "[N]" in the log).
# usage: src/scripts/latex-error.sh LOG TEX
set -euo pipefail
log=${1:?usage: latex-error.sh LOG TEX}
tex=${2:?usage: latex-error.sh LOG TEX}
[ -r "$log" ] || { echo "report: LaTeX wrote no log '$log'"; exit 0; }
awk -v tex="$tex" -v logf="$log" '
    !err && /^! / { err = substr($0, 3); next }
    !err { s = $0; while (match(s, /\[[0-9]+/)) { page = substr(s, RSTART + 1, RLENGTH - 1) + 0; s = substr(s, RSTART + RLENGTH) } next }
    err && !line && /^l\.[0-9]+/ { line = substr($0, 3); sub(/ .*/, "", line) }
    END {
        if (!err) { printf "report: LaTeX stopped without an error line (disk full? see %s)\n", logf; exit }
        printf "report: %s:%s (page %d): %s\n", tex, line ? line : "?", page + 1, err
    }' "$log"
