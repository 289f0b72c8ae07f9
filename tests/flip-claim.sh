#!/bin/bash
# flip-claim.sh CLAIMS NAME: prints the claims file CLAIMS with the check of
# claim NAME negated ("check = not (...)"), for the tests that show a build
# failing on a claim that does not hold. Fails when NAME has no check.
set -euo pipefail
[ $# -eq 2 ] || { echo "usage: flip-claim.sh CLAIMS NAME" >&2; exit 2; }
awk -v name="$2" '
    /^[ \t]*\[/ { cur = $0; gsub(/^[ \t]*\[|\][ \t]*$/, "", cur) }
    cur == name && /^[ \t]*check[ \t]*=/ {
        sub(/^[ \t]*check[ \t]*=[ \t]*/, ""); print "check = not (" $0 ")"; done = 1; next
    }
    { print }
    END { if (!done) { print "flip-claim.sh: no check for claim '" name "'" > "/dev/stderr"; exit 1 } }
' "$1"
