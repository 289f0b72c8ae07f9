#!/bin/bash
# Prints, on one line, why LaTeX stopped: the first error of its log ("! ..."),
# the source line it names ("l.NNN") in TEX, and the page it was setting (the
# page being shipped out, "[N" without its "]" in the log, or else one more
# than the pages shipped out).
# usage: src/scripts/latex-error.sh LOG TEX
set -euo pipefail
log=${1:?usage: latex-error.sh LOG TEX}
tex=${2:?usage: latex-error.sh LOG TEX}
[ -r "$log" ] || { echo "report: LaTeX wrote no log '$log'"; exit 0; }
awk -v tex="$tex" -v logf="$log" '
    # pages: "[N" opens the shipping out of page N, "]" closes it
    !err {
        s = $0
        while (match(s, /\[[0-9]+|\]/)) {
            t = substr(s, RSTART, RLENGTH)
            if (t == "]") open = 0; else { page = substr(t, 2) + 0; open = 1 }
            s = substr(s, RSTART + RLENGTH)
        }
    }
    !err && /^! / { err = substr($0, 3); next }
    # a character none of the fonts has (\tracinglostchars=3)
    !err && /^Missing character: / { err = $0; sub(/ in font .*/, "", err); next }
    err && !line && /^l\.[0-9]+/ { line = substr($0, 3); sub(/ .*/, "", line) }
    END {
        if (!err) { printf "report: LaTeX stopped without an error line (disk full? see %s)\n", logf; exit }
        printf "report: %s:%s (page %d): %s\n", tex, line ? line : "?", open ? page : page + 1, err
    }' "$log"
