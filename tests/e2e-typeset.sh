#!/bin/bash
# The build's typesetting checks (src/scripts/check-typeset.sh) and what
# keeps the report clear of their defects (report/latex-header.tex,
# report/filter.lua's non-breaking spaces), on small documents made here:
# a clean one passes every check; each check fails, naming the defect, on a
# document with that defect planted (a line into the margin, a table header of
# three lines, a heading at a page's foot, "Figure" and its number on two
# lines, a plain space before "%" in the HTML, a figure shown before it is
# cited); a heading followed by a table that does not fit moves to the next
# page with it; the filter writes non-breaking spaces in both outputs.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
fail() { echo "e2e-typeset: FAIL: $*" >&2; exit 1; }
for tool in pandoc pdflatex pdftotext; do
    command -v "$tool" > /dev/null || fail "$tool is not installed (run make deps)"
done
check=src/scripts/check-typeset.sh
nbsp=$'\u00a0'

# A LaTeX document of body $2 with the report's header, as pandoc's template
# sets it up (the packages the header relies on), compiled into $tmp/$1.pdf.
latex() {
    cat > "$tmp/$1.tex" << EOF
\\documentclass[11pt]{article}
\\usepackage[margin=2.5cm]{geometry}
\\usepackage{longtable,booktabs,array,calc,graphicx,hyperref}
\\setcounter{secnumdepth}{3}
$(cat report/latex-header.tex)
\\begin{document}
$2
\\end{document}
EOF
    (cd "$tmp" && pdflatex -interaction=nonstopmode -halt-on-error "$1.tex" > /dev/null 2>&1) ||
        fail "pdflatex failed on $1.tex (see $tmp/$1.log)"
}
# An HTML page of headings and text, as pandoc writes them.
html() { printf '<html><body>\n%s\n</body></html>\n' "$2" > "$tmp/$1.html"; }
# check NAME [args]: the check on NAME.html/.pdf/.log must fail with a message
# matching $want
must_fail() {
    local name=$1
    shift
    if $check "$@" "$tmp/$name.html" "$tmp/$name.pdf" "$tmp/$name.log" 2> "$tmp/err"; then
        fail "$name: the check passed a planted defect"
    fi
    grep -qE -- "$want" "$tmp/err" || fail "$name: the message does not say '$want': $(cat "$tmp/err")"
}

lorem="Words that fill a line of text in the body of the report and then some more of them."
para=$(for i in 1 2 3 4 5 6; do printf '%s ' "$lorem"; done)
tablerows=$(for i in $(seq 1 24); do printf 'row %d & %d.5 \\\\\n' "$i" "$i"; done)
heading_html='<h1 data-number="1" id="one"><span class="header-section-number">1</span> First part</h1>
<h2 data-number="1.1" id="kept"><span class="header-section-number">1.1</span> Kept heading</h2>'

# A clean document passes every check: a heading that lands near the foot of a
# page with a table after it that does not fit there goes to the next page
# with its table (the header's \keeplines does not break between them).
latex clean "\\section{First part}
$para

$para

$para

$para

$para

$para

$para

\\subsection{Kept heading}
\\keeplines{30}
\\begin{longtable}[]{@{}lr@{}}
\\caption{A table of Figure${nbsp}1's values: 87.3~\\%.}\\tabularnewline
\\toprule
setting & accuracy \\\\
\\midrule
\\endhead
$tablerows
\\bottomrule
\\end{longtable}"
html clean "$heading_html
<p>As <a href=\"#tab-a\">Table${nbsp}1</a> shows, 87.3${nbsp}%.</p>
<table id=\"tab-a\"><caption>Table${nbsp}1: values</caption></table>"
$check "$tmp/clean.html" "$tmp/clean.pdf" "$tmp/clean.log" 2> "$tmp/err" ||
    fail "a clean document fails the checks: $(cat "$tmp/err")"
page_of() { pdftotext "$tmp/$1.pdf" - | awk -v t="$2" 'BEGIN { p = 1 } { p += gsub(/\f/, "") } index($0, t) { print p; exit }'; }
[ "$(page_of clean 'Kept heading')" = "$(page_of clean 'row 1')" ] ||
    fail "the heading and its table went to different pages"

# overfull: a word that cannot break runs into the margin
cp "$tmp/clean.html" "$tmp/overfull.html"
latex overfull "\\section{First part}
A line with \\texttt{results/mnist/softmax-lambda/lambda-0.5,seed-1/epochs-and-more-and-more.csv} in it.

$para"
want="Overfull .hbox .*too wide.*margin"
must_fail overfull
$check --skip overfull "$tmp/overfull.html" "$tmp/overfull.pdf" "$tmp/overfull.log" ||
    fail "--skip overfull still fails"

# headers: a header cell of three lines (as pandoc writes a header that wraps)
cp "$tmp/clean.html" "$tmp/headers.html"
latex headers "\\section{First part}
\\begin{longtable}[]{@{}>{\\raggedright\\arraybackslash}p{2cm}r@{}}
\\caption{Times.}\\tabularnewline
\\toprule
\\begin{minipage}[b]{\\linewidth}\\raggedright
time per run in seconds of wall time
\\end{minipage} & b \\\\
\\midrule
\\endhead
1 & 2 \\\\
\\bottomrule
\\end{longtable}"
want="the header of Table 1, a cell of [3-9] lines .*at most two"
must_fail headers

# headings: a heading left at the foot of its page
latex headings "\\section{First part}
$para

\\subsection{Kept heading}
\\newpage
$para"
cp "$tmp/clean.html" "$tmp/headings.html"
want="page 1: the heading \"1.1 Kept heading\" is at the foot of the page"
must_fail headings

# breaks: "Figure" at the end of a line, its number on the next; in the HTML a
# plain space before "%"
latex breaks "\\section{First part}
As Figure\\newline 5 shows.

$para"
cp "$tmp/clean.html" "$tmp/breaks.html"
want="a line break between \".*Figure\" and \"5 shows.*its number"
must_fail breaks
cp "$tmp/clean.pdf" "$tmp/breaks2.pdf"
cp "$tmp/clean.log" "$tmp/breaks2.log"
html breaks2 "$heading_html
<p>As <a href=\"#tab-a\">Table${nbsp}1</a> shows, 87.3 %.</p>
<table id=\"tab-a\"><caption>Table${nbsp}1: values</caption></table>"
want="a plain space in \"3 %\""
must_fail breaks2

# citations: a figure shown before any link to it
cp "$tmp/clean.pdf" "$tmp/cite.pdf"
cp "$tmp/clean.log" "$tmp/cite.log"
html cite "$heading_html
<p>As <a href=\"#tab-a\">Table${nbsp}1</a> shows.</p>
<table id=\"tab-a\"><caption>Table${nbsp}1: values</caption></table>
<figure><img src=\"x.svg\" id=\"fig-late\" /><figcaption>Figure${nbsp}1: late</figcaption></figure>
<p>Only now <a href=\"#fig-late\">Figure${nbsp}1</a>.</p>"
want="Figure 1 \\(fig-late\\) is not cited in the text before it appears"
must_fail cite
$check --skip citations "$tmp/cite.html" "$tmp/cite.pdf" "$tmp/cite.log" ||
    fail "--skip citations still fails"
if $check --skip nonsense "$tmp/cite.html" "$tmp/cite.pdf" "$tmp/cite.log" 2> /dev/null; then
    fail "an unknown check to skip went unnoticed"
fi

# The filter: references and numbers with their units keep together in both
# outputs (U+00A0 in the HTML, ~ in LaTeX).
mkdir -p "$tmp/values" "$tmp/figs"
printf 'acc\t87.3 ± 0.4\nlo\t0.79\nhi\t1.30\nsent\tahead by 0.35 points in 12 s\n' > "$tmp/values/values.tsv"
: > "$tmp/values/values-timing.tsv"
cat > "$tmp/f.md" << 'EOF'
# T

{{tab:x}} says {{acc}} % (batch size = 16), from {{lo}} to {{hi}}, {{sent}}.

{{table:x}}
EOF
mkdir -p "$tmp/values/tables"
printf '| a | b |\n|--|--|\n| 1 | 2 |\n\nTable: values\n' > "$tmp/values/tables/x.md"
args=(--from markdown --lua-filter report/filter.lua --metadata values-dir="$tmp/values"
      --metadata figures-dir="$tmp/figs")
pandoc "${args[@]}" --to html5 "$tmp/f.md" > "$tmp/f.html" || fail "pandoc (html) failed on the filter test"
pandoc "${args[@]}" --to latex "$tmp/f.md" > "$tmp/f.tex" || fail "pandoc (latex) failed on the filter test"
for s in "Table${nbsp}1" "87.3${nbsp}±${nbsp}0.4${nbsp}%" "size${nbsp}=${nbsp}16" "0.79${nbsp}to${nbsp}1.30" \
         "0.35${nbsp}points" "12${nbsp}s"; do
    grep -qF -- "$s" "$tmp/f.html" || fail "the HTML lacks a non-breaking '$s': $(grep -o 'says.*' "$tmp/f.html")"
done
for s in 'Table~1' '0.4~\%' 'size~=~16' '0.79~to~1.30'; do
    grep -qF -- "$s" "$tmp/f.tex" || fail "the LaTeX lacks '$s': $(grep 'says' "$tmp/f.tex")"
done
echo "e2e-typeset: ok (6 checks each failing on its planted defect, non-breaking spaces in both outputs)"
