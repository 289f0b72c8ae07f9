#!/bin/bash
# Nothing of the HTML report is lost in the PDF: every figure and table
# caption of the HTML ("Figure N:", "Table N:") appears in the PDF's text, in
# the same order, and LaTeX's log reports no overfull \vbox (a page whose
# contents ran past its foot, which is how a caption or a table disappears).
# usage: check-captions.sh REPORT.html REPORT.pdf [LATEX.log]
# Exit status 1 with one line naming what is missing; 2 on a usage error.
set -euo pipefail
html=${1:?usage: check-captions.sh REPORT.html REPORT.pdf [LATEX.log]}
pdf=${2:?usage: check-captions.sh REPORT.html REPORT.pdf [LATEX.log]}
log=${3:-}
command -v pdftotext > /dev/null ||
    { echo "report: pdftotext not found: run 'apt-get install poppler-utils' (or make deps)" >&2; exit 2; }
for f in "$html" "$pdf" ${log:+"$log"}; do
    [ -r "$f" ] || { echo "report: '$f': cannot read" >&2; exit 2; }
done
# (report/filter.lua joins "Figure" and its number with a non-breaking space)
nbsp=$'\u00a0'
want=$(grep -oE "<(figcaption|caption)[^>]*>(Figure|Table)[ $nbsp][0-9]+:" "$html" |
       sed -E "s/^<[^>]*>//; s/:\$//; s/$nbsp/ /" || true)
have=$(pdftotext "$pdf" - | tr '\f' '\n' | grep -oE '^(Figure|Table) [0-9]+:' | sed 's/:$//' || true)
missing=$(comm -23 <(sort -u <<< "$want") <(sort -u <<< "$have") | sort -t' ' -k1,1 -k2,2n |
          paste -sd, - | sed 's/,/, /g')
if [ -n "$missing" ]; then
    echo "report: '$pdf' lacks the captions of $missing (present in '$html')" >&2
    exit 1
fi
if [ "$want" != "$have" ]; then
    first=$(diff <(echo "$want") <(echo "$have") | grep -m1 '^[<>]' | cut -c3- || true)
    echo "report: '$pdf' has its captions in another order than '$html' (first at $first)" >&2
    exit 1
fi
if [ -n "$log" ] && line=$(grep -n -m1 '^Overfull \\vbox' "$log"); then
    echo "report: '$log':${line%%:*}: overfull \\vbox: a page's contents ran past its foot" >&2
    exit 1
fi
