#!/bin/bash
# flip-claim.sh [--only] CLAIMS NAME: prints the claims file CLAIMS with the
# check of claim NAME negated ("check = not (...)"), for the tests that show a
# build failing on a claim that does not hold; with --only, that claim alone
# (on data where other claims do not hold, so that it is the one named).
# Fails when NAME has no check.
set -euo pipefail
only=0
[ "${1:-}" = --only ] && { only=1; shift; }
[ $# -eq 2 ] || { echo "usage: flip-claim.sh [--only] CLAIMS NAME" >&2; exit 2; }
awk -v name="$2" -v only="$only" '
    /^[ \t]*\[/ { cur = $0; gsub(/^[ \t]*\[|\][ \t]*$/, "", cur) }
    cur == name && /^[ \t]*check[ \t]*=/ {
        sub(/^[ \t]*check[ \t]*=[ \t]*/, ""); print "check = not (" $0 ")"; done = 1; next
    }
    !only || cur == name { print }
    END { if (!done) { print "flip-claim.sh: no check for claim '" name "'" > "/dev/stderr"; exit 1 } }
' "$1"
