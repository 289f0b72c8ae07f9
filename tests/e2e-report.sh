#!/bin/bash
# The report pipeline end to end, through make's own rules: the real experiment
# files shrunk (two seeds, small hidden layers) on a tiny synthetic dataset, the
# real trainer, repro plot through gnuplot, repro tabulate, the Lua filter and
# pandoc to HTML and (pdflatex) PDF. Checks that the HTML holds the tables'
# values and every figure, that the PDF is a PDF of plausible length, that a
# second build gives the same HTML and PDF bytes, and that a placeholder without a value
# fails the build naming it. Everything goes to a scratch directory: data/,
# results/, figures/ and the reports of the tree are never touched.
set -euo pipefail
BUILD=${BUILD:-build/release}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
fail() { echo "e2e-report: FAIL: $*" >&2; exit 1; }
for tool in gnuplot pandoc pdflatex; do
    command -v "$tool" > /dev/null || fail "$tool is not installed (run make deps)"
done

# The sanitizer build keeps its own flags: name them, or make would rebuild it.
san=
case $BUILD in */san-*) san=${BUILD##*/san-}; san=${san//-/,} ;; esac

# the homework's protocol takes full batches only: the MLP's validation split
# (1/12 of 1,200) and the test set hold one of the default 100
# shellcheck source=tests/synth-data.sh
. tests/synth-data.sh
synth_with_sums "$tmp/data/syn" "$tmp/syn.sha256" 7
mkdir "$tmp/exps"
for f in experiments/*.exp; do
    sed -e 's/^seeds *=.*/seeds = 1, 2/' -e 's/512x128/16x8/g' -e 's/^hidden *= *128,/hidden = 8,/' \
        "$f" > "$tmp/exps/$(basename "$f")"
done
exps=$(echo "$tmp"/exps/*.exp)
# The write-up and its claims name some networks by their layers: the same
# renaming there.
sed -e 's/512x128/16x8/g' -e 's/hidden-128,/hidden-8,/g' report/report.md > "$tmp/report.md"
sed -e 's/512x128/16x8/g' -e 's/hidden-128,/hidden-8,/g' report/claims.conf > "$tmp/claims.conf"
report_md="$tmp/report.md report/original.md report/conclusions.md report/appendix.md report/appendix-original.md"

# One make command line for every step; REPORT_MD may be added to it.
run_make() {
    make --no-print-directory -j2 DATASET=syn EXPS="$exps" DATA_ROOT="$tmp/data" \
        RESULTS_ROOT="$tmp/results" PLAN="$tmp/plan.mk" PLAN_RUNS="$tmp/runs" \
        FIG_ROOT="$tmp/figures" REPORT_ROOT="$tmp/build" REPORT_OUT="$tmp/out" \
        REFERENCE=report/original-report.csv BUILD="$BUILD" SANITIZE="$san" CLAIMS="$tmp/claims.conf" \
        REPORT_MD="$report_md" "$@"
}
mkdir "$tmp/out"
run_make html pdf > "$tmp/log" 2>&1 || { tail -30 "$tmp/log" >&2; fail "make html pdf failed"; }

html=$tmp/out/report-syn.html
pdf=$tmp/out/report-syn.pdf
values=$tmp/build/syn/values.tsv
[ -s "$html" ] || fail "no $html"
[ -s "$pdf" ] || fail "no $pdf"
[ -s "$values" ] || fail "no values.tsv"

# Every table placeholder became a table, every figure is embedded, no
# placeholder is left.
want_tables=$(cat report/report.md report/original.md report/appendix.md report/appendix-original.md | grep -c '^{{table:')
want_figures=$(cat report/report.md report/appendix.md | grep -c '^!\[')
tables=$(grep -o '<table' "$html" | wc -l)
figures=$(grep -o 'src="data:image/svg+xml' "$html" | wc -l)
[ "$tables" -ge "$want_tables" ] || fail "$tables tables in the HTML, want at least $want_tables"
[ "$figures" -eq "$want_figures" ] || fail "$figures figures in the HTML, want $want_figures"
! grep -q '{{' "$html" || fail "a placeholder is left in the HTML: $(grep -o '{{[^}]*}}' "$html" | head -1)"
grep -q '<math' "$html" || fail "no MathML in the HTML"

# Values the tables and the prose cite appear in the HTML (whose non-breaking
# spaces, between a number and its unit, read as spaces here).
plain=$tmp/plain.html
sed $'s/\u00a0/ /g' "$html" > "$plain"
value() { awk -F'\t' -v k="$1" '$1 == k { print $2 }' "$values"; }
for key in softmax-lambda:lambda-0.5:test_acc softmax-reported-defaults:test_acc \
           mlp-arch:best_test_acc softmax-lambda:lambda-0.5:orig_test_acc; do
    v=$(value "$key")
    [ -n "$v" ] || fail "no value for $key"
    grep -qF -- "$v" "$plain" || fail "$key ($v) not in the HTML"
done
# a fact cited with its decimals, a true minus sign where it is negative
fact=$(awk -F'\t' '$1 == "mlp-arch:cmp:relu-sigmoid:test_acc:min" { printf "%.2f", ($2 < 0 ? -$2 : $2) }' "$tmp/build/syn/facts.tsv")
[ -n "$fact" ] && grep -qF -- "$fact" "$plain" || fail "the ReLU/sigmoid difference ($fact) is not in the HTML"
grep -q $'Table\u00a03' "$html" || fail "tables are not numbered (Table, a non-breaking space, 3)"
# the fidelity account: one row per number of the reference, in its order
fid=$tmp/build/syn/fidelity.csv
[ "$(head -1 "$fid")" = "table,setting,quantity,original,mean,sd,n,verdict,reason" ] || fail "fidelity.csv header"
numbers=$(grep -v '^#' report/original-report.csv | tail -n +2 | awk -F, '{ for (i = 11; i <= NF; i++) n += $i != "" } END { print n }')
[ "$(tail -n +2 "$fid" | wc -l)" -eq "$numbers" ] || fail "fidelity.csv has $(tail -n +2 "$fid" | wc -l) rows, want $numbers"
grep -qF -- "$(value fidelity:reproduced) are reproduced" "$plain" || fail "the fidelity counts are not in the HTML"
grep -q $'Figure\u00a02' "$html" || fail "figures are not numbered (Figure, a non-breaking space, 2)"

# The PDF: a PDF whose page tree counts as many pages as it has page objects.
[ "$(head -c 5 "$pdf")" = "%PDF-" ] || fail "report-syn.pdf is not a PDF"
pages=$(grep -ac '/Type /Page\b' "$pdf" || true)
# (the root of the page tree has the largest /Count)
count=$(grep -a -A3 '/Type /Pages' "$pdf" | sed -n 's/.*\/Count \([0-9]*\).*/\1/p' | sort -n | tail -1)
[ -n "$count" ] && [ "$pages" -eq "$count" ] || fail "PDF page objects ($pages) and /Count ($count) differ"
[ "$pages" -ge 15 ] && [ "$pages" -le 120 ] || fail "PDF has $pages pages, expected 15 to 120"

# Nothing of the HTML is lost in the PDF (make checks it before renaming the
# PDF into place; here the check itself must catch a lost caption, captions
# out of order and an overfull page).
check=src/scripts/check-captions.sh
latex_log=$tmp/build/syn/latex/report.log
[ -s "$latex_log" ] || fail "no LaTeX log kept in $latex_log"
$check "$html" "$pdf" "$latex_log" || fail "the built PDF fails the caption check"
sed 's|</figure>|</figure><figure><figcaption>Figure 999: lost</figcaption></figure>|' "$html" \
    > "$tmp/more.html"
if $check "$tmp/more.html" "$pdf" 2> "$tmp/err"; then fail "a caption missing from the PDF went unnoticed"; fi
grep -q "lacks the captions of Figure 999" "$tmp/err" || fail "the lost caption is not named: $(cat "$tmp/err")"
# the first figure's caption label moved to the end of the page
first=$(grep -oE $'<figcaption[^>]*>Figure\u00a01:' "$html" | head -1)
{ awk -v f="$first" '!done && (i = index($0, f)) { $0 = substr($0, 1, i - 1) substr($0, i + length(f)); done = 1 } 1' \
    "$html"; echo "<figcaption>Figure 1: moved</figcaption>"; } > "$tmp/order.html"
if $check "$tmp/order.html" "$pdf" 2> "$tmp/err"; then fail "captions out of order went unnoticed"; fi
grep -q "in another order" "$tmp/err" || fail "no message for captions out of order: $(cat "$tmp/err")"
{ cat "$latex_log"; printf 'Overfull \\vbox (12.0pt too high) has occurred while \\output is active\n'; } \
    > "$tmp/overfull.log"
if $check "$html" "$pdf" "$tmp/overfull.log" 2> "$tmp/err"; then fail "an overfull vbox went unnoticed"; fi
grep -q "overfull .vbox" "$tmp/err" || fail "no message for an overfull vbox: $(cat "$tmp/err")"
pdf_text=$(pdftotext "$pdf" -)
grep -q 'The homework.s questions' <<< "$pdf_text" || fail "the PDF has no table of answers"
grep -q 'The homework.s questions' "$html" || fail "the HTML has no table of answers"

# The same results give the same HTML and PDF bytes.
mv "$html" "$tmp/first.html"
mv "$pdf" "$tmp/first.pdf"
run_make html pdf > "$tmp/log" 2>&1 || { tail -20 "$tmp/log" >&2; fail "second make failed"; }
cmp -s "$html" "$tmp/first.html" || fail "two builds of the same results give different HTML"
cmp -s "$pdf" "$tmp/first.pdf" || fail "two builds of the same results give different PDFs"

# Without the original's figures (any dataset but MNIST): no comparison
# columns, and the section on the original says there is nothing to compare.
mkdir "$tmp/out3"
run_make html REFERENCE= REPORT_ROOT="$tmp/build3" REPORT_OUT="$tmp/out3" \
    REPORT_MD="$tmp/report.md report/original-none.md report/conclusions.md report/appendix.md" > "$tmp/log" 2>&1 ||
    { tail -20 "$tmp/log" >&2; fail "make html without a reference failed"; }
! grep -q 'original test' "$tmp/out3/report-syn.html" || fail "comparison columns without a reference"
grep -q 'has nothing of it to compare with' "$tmp/out3/report-syn.html" ||
    fail "the report without a reference does not say so"

# Claims: on this dataset (not MNIST) a claim that does not hold is marked in
# the text, its numbers in a footnote, and the build goes on.
claims=$tmp/build/syn/claims.tsv
[ -s "$claims" ] || fail "no claims.tsv"
if grep -q $'outcome\tdoes not hold$' "$claims"; then
    grep -q 'does not hold on ' "$html" || fail "a claim that does not hold is not marked in the HTML"
    # with its numbers in a footnote: the numbers claims.tsv gives for such a
    # claim (the text cites most of them), found in the HTML's notes
    sed -n '/role="doc-endnotes"/,$p' "$html" > "$tmp/notes.html"
    found=0
    while IFS=$'\t' read -r key nums; do
        grep -qF "<code>${nums%%;*}" "$tmp/notes.html" && { found=1; break; }
    done < <(awk -F'\t' '$1 ~ /:outcome$/ && $2 == "does not hold" { k = $1; sub(/:outcome$/, ":numbers", k); want[k] = 1 }
                          $1 in want { print $1 "\t" $2 }' "$claims" "$claims")
    [ "$found" = 1 ] || fail "no claim that does not hold has its numbers in a footnote of the HTML"
fi
# A claim that holds here, its check flipped, under the strictness of an MNIST
# build: the build fails naming the claim, its line and its numbers, and
# writes no report.
name=$(awk -F'\t' '$1 ~ /^claim:.*:outcome$/ && $2 == "holds" { sub(/^claim:/, "", $1); sub(/:outcome$/, "", $1); print $1; exit }' "$claims")
[ -n "$name" ] || fail "no claim holds on the synthetic data (nothing to flip)"
bash tests/flip-claim.sh --only "$tmp/claims.conf" "$name" > "$tmp/flipped.conf" || fail "cannot flip claim $name"
mkdir "$tmp/out6"
if run_make html CLAIMS="$tmp/flipped.conf" STRICT_CLAIMS=1 REPORT_ROOT="$tmp/build6" \
    REPORT_OUT="$tmp/out6" > "$tmp/log" 2>&1; then
    fail "a flipped claim did not fail the strict build"
fi
grep -q "claims: '$tmp/flipped.conf' line [0-9]*: claim '$name' does not hold: not (.*) (.* = " "$tmp/log" ||
    fail "the failure does not name the claim and its numbers: $(tail -3 "$tmp/log")"
[ -z "$(ls -A "$tmp/out6")" ] || fail "a failed claim left $(ls -A "$tmp/out6")"
[ ! -e "$tmp/build6/syn/values.json" ] || fail "a failed claim left values.json"

# A placeholder without a value fails the build, naming it, and leaves no report.
printf '# Broken\n\nA value that does not exist: {{no-such-study:test_acc}}.\n' > "$tmp/broken.md"
mkdir "$tmp/out2"
if run_make html REPORT_MD="$tmp/broken.md" REPORT_OUT="$tmp/out2" > "$tmp/log" 2>&1; then
    fail "a missing value did not fail the build"
fi
grep -q 'no value for placeholder {{no-such-study:test_acc}}' "$tmp/log" ||
    fail "the error does not name the key: $(tail -3 "$tmp/log")"
[ -z "$(ls -A "$tmp/out2")" ] || fail "a failed build left $(ls -A "$tmp/out2")"

# A missing pandoc names the package to install; a broken one (it writes half a
# file and fails) fails the build and leaves nothing behind.
mkdir "$tmp/out4"
if run_make html PANDOC="$tmp/no-such-pandoc" REPORT_OUT="$tmp/out4" > "$tmp/log" 2>&1; then
    fail "a missing pandoc did not fail the build"
fi
grep -q "pandoc not found: run 'apt-get install pandoc'" "$tmp/log" ||
    fail "no install hint for a missing pandoc: $(tail -3 "$tmp/log")"
printf '#!/bin/sh
while [ $# -gt 0 ]; do [ "$1" = --output ] && echo half > "$2"; shift; done
exit 3
' \
    > "$tmp/broken-pandoc"
chmod +x "$tmp/broken-pandoc"
if run_make html pdf PANDOC="$tmp/broken-pandoc" REPORT_OUT="$tmp/out4" > "$tmp/log" 2>&1; then
    fail "a failing pandoc did not fail the build"
fi
grep -q "report: pandoc failed writing" "$tmp/log" || fail "no message for a failing pandoc: $(tail -3 "$tmp/log")"
[ -z "$(ls -A "$tmp/out4")" ] || fail "a failing pandoc left $(ls -A "$tmp/out4")"

# Studies are data: renaming a study (its file, its as-reported twin and their
# references in the write-up) and adding a study with a sweep of its own build
# the report with no C change. The renamed study trains the same runs, so the
# fidelity account is the same bytes; the new one gets its figures, its table
# and its line in make status.
mkdir "$tmp/exps5" "$tmp/out5"
cp "$tmp"/exps/*.exp "$tmp/exps5/"
mv "$tmp/exps5/softmax-epoch.exp" "$tmp/exps5/softmax-epochs.exp"
mv "$tmp/exps5/softmax-reported-epoch.exp" "$tmp/exps5/softmax-reported-epochs.exp"
printf 'title = MLP: hidden width\nmodel = mlp\nhidden = 4, 12\nmax_epoch = 2\nseeds = 1, 2\n' \
    > "$tmp/exps5/mlp-width.exp"
{ cat report/studies.conf; echo 'table softmax-epochs softmax-epoch'; } > "$tmp/studies5.conf"
# (the fidelity keys name the original's tables, which keep their names)
rename='s/fidelity:softmax-epoch/@FID@/g; s/softmax-epoch\b/softmax-epochs/g;
        s/softmax-reported-epoch\b/softmax-reported-epochs/g; s/@FID@/fidelity:softmax-epoch/g'
for f in "$tmp/report.md" report/original.md report/conclusions.md report/appendix.md report/appendix-original.md; do
    sed -e "$rename" "$f" > "$tmp/5-$(basename "$f")"
done
sed -e "$rename" "$tmp/claims.conf" > "$tmp/5-claims.conf"
grep -q 'softmax-epochs' "$tmp/5-report.md" || fail "the rename did not reach the write-up"
run5() {
    run_make EXPS="$(echo "$tmp"/exps5/*.exp)" STUDIES_CONF="$tmp/studies5.conf" \
        FIG_ROOT="$tmp/figures5" REPORT_ROOT="$tmp/build5" REPORT_OUT="$tmp/out5" CLAIMS="$tmp/5-claims.conf" \
        REPORT_MD="$tmp/5-report.md $tmp/5-original.md $tmp/5-conclusions.md $tmp/5-appendix.md $tmp/5-appendix-original.md" "$@"
}
run5 html > "$tmp/log" 2>&1 || { tail -20 "$tmp/log" >&2; fail "make html with a renamed and a new study failed"; }
for f in softmax-epochs-glance.svg softmax-epochs-epoch-acc.svg mlp-width-epoch-acc.svg mlp-width-sweep.svg; do
    [ -s "$tmp/figures5/syn/$f" ] || fail "no figure $f after the rename and the new study"
done
for f in softmax-epochs.md softmax-reported-epochs.md mlp-width.md; do
    [ -s "$tmp/build5/syn/tables/$f" ] || fail "no table $f after the rename and the new study"
done
grep -q '^mlp-width:' "$tmp/build5/syn/values.tsv" || fail "no values of the new study"
cmp -s "$tmp/build5/syn/fidelity.csv" "$fid" || fail "renaming a study changed the fidelity account"
run5 -s status > "$tmp/log" 2>&1 || true
grep -q '^  mlp-width ' "$tmp/log" || fail "make status does not list the new study: $(cat "$tmp/log")"

echo "e2e-report: ok ($(grep -c . "$values") values, $tables tables, $figures figures, $pages PDF pages)"
