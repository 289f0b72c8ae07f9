#!/bin/bash
# The student's details (report/metadata.yaml: student, student-id, course) as
# the report's metadata, taken literally: pandoc reads every metadata value as
# Markdown, so each ASCII punctuation character of the author line is escaped
# with a backslash ($x$ stays "$x$", \textbf{} stays "\textbf{}"). The line is
# "NAME · student id ID · COURSE", written as a YAML single-quoted "author".
# A value the script cannot read (not on one line) is an error naming its line.
# usage: src/scripts/literal-metadata.sh IN.yaml OUT.yaml
set -euo pipefail
in=${1:?usage: literal-metadata.sh IN.yaml OUT.yaml}
out=${2:?usage: literal-metadata.sh IN.yaml OUT.yaml}
tmp=$(dirname "$out")/.$(basename "$out").tmp.$$
trap 'rm -f "$tmp"' EXIT
LC_ALL=C awk -v file="$in" '
    function bad(why) { printf "report: %s:%d: %s\n", file, NR, why > "/dev/stderr"; failed = 1; exit 1 }
    /^[ \t]*(#|$)/ { next }
    {
        if (!match($0, /^[A-Za-z][A-Za-z0-9_-]*:/)) bad("expected key: value")
        key = substr($0, 1, RLENGTH - 1); v = substr($0, RLENGTH + 1); sub(/^[ \t]+/, "", v)
        if (v ~ /^"/) {
            s = ""; i = 2; closed = 0
            while (i <= length(v)) {
                c = substr(v, i, 1)
                if (c == "\\") { i++; c = substr(v, i, 1); if (c == "n") c = "\n"; else if (c == "t") c = "\t" }
                else if (c == "\"") { closed = 1; break }
                s = s c; i++
            }
            if (!closed) bad("a quoted value must end on its line")
            rest = substr(v, i + 1)
        } else if (v ~ /^\047/) {
            s = ""; i = 2; closed = 0
            while (i <= length(v)) {
                c = substr(v, i, 1)
                if (c == "\047") { if (substr(v, i + 1, 1) == "\047") { s = s c; i += 2; continue } closed = 1; break }
                s = s c; i++
            }
            if (!closed) bad("a quoted value must end on its line")
            rest = substr(v, i + 1)
        } else {
            if (v ~ /^[|>&*!%@`{[]/ || v == "") bad("write the value on its line, in double quotes")
            s = v; sub(/[ \t]+#.*$/, "", s); sub(/[ \t]+$/, "", s); rest = ""
        }
        sub(/^[ \t]+/, "", rest)
        if (rest != "" && rest !~ /^#/) bad("text after the value")
        val[key] = s
    }
    END {
        if (failed) exit 1
        line = ""
        if (val["student"] != "") line = val["student"]
        if (val["student-id"] != "") line = line (line != "" ? " · " : "") "student id " val["student-id"]
        if (val["course"] != "") line = line (line != "" ? " · " : "") val["course"]
        esc = ""
        for (i = 1; i <= length(line); i++) {
            c = substr(line, i, 1)
            if (c ~ /[][!"#$%&()*+,.\/:;<=>?@\\^_`{|}~-]/ || c == "\047") esc = esc "\\"
            if (c == "\047") c = "\047\047"
            esc = esc c
        }
        print "# Written from " file " by src/scripts/literal-metadata.sh: do not edit."
        if (line != "") print "author: \047" esc "\047"
    }' "$in" > "$tmp"
mv -f "$tmp" "$out"
