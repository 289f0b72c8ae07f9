#!/bin/bash
# The typesetting of the report, checked on what was built (as
# check-captions.sh checks that the PDF lost nothing of the HTML):
#   overfull     no line of the PDF runs more than 1 pt into the margin (LaTeX's
#                log: "Overfull \hbox (Xpt too wide)")
#   headers      no table header wraps over more than two lines (the log's
#                "report-check: header" lines, which report/latex-header.tex
#                writes for every header cell of more than two lines)
#   headings     no section heading in the last two lines of a PDF page (the
#                headings are the HTML's h1 to h3, numbered as in the PDF)
#   breaks       no line break between "Figure" or "Table" and its number, a
#                number and its unit (%, s, points) or a mean and its "± sd"
#                (the PDF's lines); in the HTML no plain space there, nor in
#                "N to M" (report/filter.lua writes non-breaking spaces there,
#                and around "=" before a number)
#   citations    every figure and table is cited (a link to it) in the text
#                before it appears (the HTML, in document order)
# usage: check-typeset.sh [--skip CHECK,...] REPORT.html REPORT.pdf LATEX.log
# Exit status 1 with one line naming the first defect; 2 on a usage error.
set -euo pipefail
usage="usage: check-typeset.sh [--skip CHECK,...] REPORT.html REPORT.pdf LATEX.log"
skip=","
if [ "${1:-}" = --skip ]; then
    skip=",${2:?$usage},"
    shift 2
fi
html=${1:?$usage}
pdf=${2:?$usage}
log=${3:?$usage}
for c in ${skip//,/ }; do
    case $c in
    overfull | headers | headings | breaks | citations) ;;
    *) echo "report: check-typeset: unknown check '$c' (overfull, headers, headings, breaks, citations)" >&2
       exit 2 ;;
    esac
done
command -v pdftotext > /dev/null ||
    { echo "report: pdftotext not found: run 'apt-get install poppler-utils' (or make deps)" >&2; exit 2; }
for f in "$html" "$pdf" "$log"; do
    [ -r "$f" ] || { echo "report: '$f': cannot read" >&2; exit 2; }
done
on() { [[ $skip != *",$1,"* ]]; }
fail() { echo "report: $*" >&2; exit 1; }
nbsp=$'\u00a0'

# overfull: the log's line, its size and the source lines it names
if on overfull; then
    bad=$(grep -n '^Overfull \\hbox (' "$log" |
          awk -F'[(]|pt too wide' '$2 + 0 > 1 { print; exit }' || true)
    if [ -n "$bad" ]; then
        n=${bad%%:*}
        what=$(sed -n "$((n + 1))p" "$log" | cut -c1-60)
        fail "'$log':$n: ${bad#*:} (more than 1 pt into the margin): $what"
    fi
fi

# headers: the first header cell of more than two lines
if on headers; then
    bad=$(grep -n -m1 '^report-check: header' "$log" || true)
    [ -z "$bad" ] || fail "'$log':${bad%%:*}: the header of ${bad#*report-check: header: } (at most two)"
fi

# The PDF's text, page by page (form feeds), and the headings of the HTML.
text=$(pdftotext -layout "$pdf" -)

if on headings; then
    # "6.1 Sigmoid against ReLU": number and title, spaces squeezed
    headings=$(grep -oE '<h[1-3][^>]*>.*</h[1-3]>' "$html" | grep -v 'class="title"' |
               sed -E 's/<[^>]*>/ /g; s/&amp;/\&/g; s/&lt;/</g; s/&gt;/>/g' |
               tr -s ' \t' ' ' | sed -E 's/^ //; s/ $//' || true)
    bad=$(awk -v heads="$headings" '
        BEGIN { n = split(heads, h, "\n"); for (i = 1; i <= n; i++) if (h[i] != "") want[h[i]] = 1 }
        function flush(   k, j, t) {
            # the body: the last line is the page number when it is only one
            k = nl
            if (k > 0 && line[k] ~ /^[0-9]+$/) k--
            for (j = k; j >= 1 && j >= k - 1; j--)
                if (line[j] in want) { printf "%d\t%s\n", page, line[j]; done = 1; exit }
            nl = 0
        }
        { while ((i = index($0, "\f")) > 0) { pre = substr($0, 1, i - 1); add(pre); page++; flush(); $0 = substr($0, i + 1) }
          add($0) }
        function add(s) { gsub(/[ \t]+/, " ", s); sub(/^ /, "", s); sub(/ $/, "", s); if (s != "") line[++nl] = s }
        BEGIN { page = 0 }
        END { if (!done) { page++; flush() } }' <<< "$text" || true)
    [ -z "$bad" ] || fail "'$pdf': page ${bad%%$'\t'*}: the heading \"${bad#*$'\t'}\" is at the foot of the page, apart from its text"
fi

if on breaks; then
    # the PDF: one line ends where the next begins a number (or its unit)
    bad=$(pdftotext "$pdf" - | tr '\f' '\n' | awk '
        { sub(/[ \t]+$/, ""); sub(/^[ \t]+/, "") }
        prev != "" && $0 != "" {
            if (prev ~ /(^|[^[:alnum:]])(Figure|Figures|Table|Tables|Section)$/ && $0 ~ /^[0-9]/) w = "its number"
            else if (prev ~ /[0-9]$/ && $0 ~ /^(%|±|s([^[:alnum:]]|$)|points([^[:alnum:]]|$))/) w = "its unit"
            else if (prev ~ /[0-9] ±$/ && $0 ~ /^[0-9]/) w = "its spread"
            else w = ""
            if (w != "") { printf "%s\t%s\t%s\n", substr(prev, length(prev) > 24 ? length(prev) - 23 : 1), substr($0, 1, 24), w; exit }
        }
        { prev = $0 }' || true)
    if [ -n "$bad" ]; then
        IFS=$'\t' read -r a b w <<< "$bad"
        fail "'$pdf': a line break between \"$a\" and \"$b\": keep $w on the same line (a non-breaking space)"
    fi
    # the HTML's text (tags out): the same places hold a non-breaking space
    bad=$(sed -E 's/<[^>]*>//g' "$html" | grep -v '^[[:space:]]*$' |
          grep -m1 -noE '(Figure|Table) [0-9]+|[0-9] (%|±)|± [0-9]|[0-9] to [0-9]' || true)
    [ -z "$bad" ] || fail "'$html': a plain space in \"${bad#*:}\" (a non-breaking space belongs there)"
fi

# citations: the first figure or table whose first link comes after it (or never)
if on citations; then
    bad=$(grep -oE '(id|href)="#?(fig|tab)-[^"]+"' "$html" | awk -F'"' '
        { key = $2; sub(/^#/, "", key) }
        $1 ~ /^href/ { cited[key] = 1; next }
        !(key in cited) && !(key in shown) { print key; exit }
        { shown[key] = 1 }' || true)
    if [ -n "$bad" ]; then
        # its number: the caption that follows its anchor
        num=$(grep -oE "id=\"$bad\"|(Figure|Table)[ $nbsp][0-9]+:" "$html" |
              grep -A1 -m1 "id=\"$bad\"" | sed -n "2{s/:\$//; s/$nbsp/ /; p}")
        fail "'$html': ${num:-$bad} ($bad) is not cited in the text before it appears"
    fi
fi
exit 0
