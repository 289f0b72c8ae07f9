#!/bin/bash
# Failure behaviour end to end (README, "Failure behaviour"), through make's own
# rules on two tiny studies, a synthetic dataset fetched by make data (offline,
# with its own checksums) and a one-page write-up; each part is one fault:
#   1  a full disk (a file size limit) while drawing: the step fails naming the
#      figure, nothing truncated is left, the next build draws everything
#   2  the data stamp made again, data/ fetched again, the results copied to a
#      fresh tree: nothing to train, make status agrees; a changed data byte:
#      every run stale
#   3  two make report at once: both succeed, the second waits for the first
#   4  a SIGKILL of the whole build at the final rename, REPORT_OUT on another
#      filesystem: the next make report finishes a complete PDF
#   5  an unknown placeholder: one line with the file, line and key
#   6  the student's details taken literally; a name LaTeX cannot set fails
#      with LaTeX's first error, its source line and page, and leaves the old
#      report.html and report.pdf in place, both
#   7  an experiment file's error stops make at the plan, printed once
#   8  temporary files of a killed build are removed by the next one
#   9  a corrupt epochs.csv: the manifest is not rewritten
#   10 make verify with a truncated manifest fails before rerunning anything
# (11: tests/test_manifest.c; 12: tests/e2e-train.sh.) Everything goes to a
# scratch directory. FAULTS_ONLY="2 7" runs only those parts (after the first
# build, which they all start from).
set -euo pipefail
BUILD=${BUILD:-build/release}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
fail() { echo "e2e-faults: FAIL: $*" >&2; exit 1; }
part() { [ -z "${FAULTS_ONLY:-}" ] || [[ " $FAULTS_ONLY " == *" $1 "* ]]; }

# shellcheck source=tests/synth-data.sh
. tests/synth-data.sh
# the four files make data fetches (MNIST_DIR, offline) and their checksums
synth_with_sums "$tmp/src" "$tmp/sums" 5
rm "$tmp/src/.verified"
mkdir "$tmp/exps" "$tmp/out"
printf 'model = softmax\nlambda = 0, 0.5\nmax_epoch = 2\nseeds = 1, 2\n' > "$tmp/exps/sm.exp"
printf 'model = mlp\nhidden = 8\nmax_epoch = 2\nseeds = 1\n' > "$tmp/exps/net.exp"
printf -- '---\ntitle: Faults\n---\n\n# Faults\n\nA value: {{sm:lambda-0.5:test_acc}}.\n\n{{table:sm}}\n\n![Accuracy](sm-epoch-acc)\n' \
    > "$tmp/report.md"
printf 'student: "Ada Lovelace"\nstudent-id: "42"\ncourse: "Faults"\n' > "$tmp/meta.yaml"
# this write-up cites no claim and is not typeset for print: the claims are
# not held strictly (this dataset has two studies of its own), no typesetting
# checks (tests/e2e-report.sh and e2e-typeset.sh test both)

# run_make [VAR=value...] goal...: every path in the scratch directory
run_make() {
    make --no-print-directory DATASET=mnist DATA_ROOT="$tmp/data" DATA_SUMS="$tmp/sums" \
        MNIST_DIR="$tmp/src" DATA_OFFLINE=1 EXPS="$tmp/exps/net.exp $tmp/exps/sm.exp" \
        RESULTS_ROOT="$tmp/results" PLAN="$tmp/plan.mk" PLAN_RUNS="$tmp/runs" \
        FIG_ROOT="$tmp/figures" REPORT_ROOT="$tmp/build" REPORT_OUT="$tmp/out" REFERENCE= \
        REPORT_MD="$tmp/report.md" REPORT_META="$tmp/meta.yaml" MANIFEST_OUT="$tmp/manifest.json" \
        VERIFY_DIR="$tmp/verify" STRICT_CLAIMS= TYPESET_SKIP=overfull,headers,citations \
        BUILD="$BUILD" SANITIZE="$san" "$@"
}
html=$tmp/out/report.html
pdf=$tmp/out/report.pdf
# runs trained since the file named (a summary.json newer than it)
trained_since() { find "$tmp/results" -name summary.json -newer "$1" | wc -l; }
# make status's output in $tmp/status; up_to_date: whether it says every run is
status_of() { run_make -s status "$@" > "$tmp/status" 2>&1 || true; }
up_to_date() { status_of "$@"; grep -qx "status: every run is up to date" "$tmp/status"; }

run_make report > "$tmp/log" 2>&1 || { tail -20 "$tmp/log" >&2; fail "the first make report failed"; }
[ -s "$html" ] && [ -s "$pdf" ] || fail "no report after the first build"
cp "$html" "$tmp/good.html"
cp "$pdf" "$tmp/good.pdf"
up_to_date || fail "after the build: $(cat "$tmp/status")"

if part 2; then
# -- 2: content, not time, decides that the data changed
touch "$tmp/mark"
sleep 0.01
rm "$tmp/data/mnist/.verified"
run_make data > "$tmp/log" 2>&1 || fail "make data again failed: $(tail -3 "$tmp/log")"
[ "$tmp/data/mnist/.verified" -nt "$tmp/mark" ] || fail "make data did not stamp the data again"
up_to_date ||
    fail "the same data stamped again made runs stale: $(cat "$tmp/status")"
rm -rf "$tmp/data"
run_make data > "$tmp/log" 2>&1 || fail "make data after rm -r data failed: $(tail -3 "$tmp/log")"
up_to_date ||
    fail "the same data fetched again made runs stale: $(cat "$tmp/status")"
run_make studies > "$tmp/log" 2>&1 || fail "make studies failed: $(tail -3 "$tmp/log")"
[ "$(trained_since "$tmp/mark")" -eq 0 ] || fail "make studies retrained $(trained_since "$tmp/mark") runs of the same data"
# a fresh tree: the data fetched anew, the results copied in (their times kept)
cp -a "$tmp/results" "$tmp/results2"
rm -rf "$tmp/data"
run_make RESULTS_ROOT="$tmp/results2" data > "$tmp/log" 2>&1 || fail "make data in the fresh tree failed"
up_to_date RESULTS_ROOT="$tmp/results2" ||
    fail "results copied into a fresh tree are stale: $(cat "$tmp/status")"
run_make RESULTS_ROOT="$tmp/results2" studies > "$tmp/log" 2>&1 || fail "make studies in the fresh tree failed"
[ "$(find "$tmp/results2" -name summary.json -newer "$tmp/mark" | wc -l)" -eq 0 ] ||
    fail "the fresh tree retrained runs"
rm -rf "$tmp/results2"
# one data byte changed (and its checksum with it): every run is stale, for the data
cp -a "$tmp/src" "$tmp/src.good"
cp "$tmp/sums" "$tmp/sums.good"
img=$tmp/src/train-images-idx3-ubyte
byte=$(od -An -tu1 -j 300 -N 1 "$img" | tr -d ' ')
printf "\\$(printf '%03o' $((byte ^ 1)))" | dd of="$img" bs=1 seek=300 conv=notrunc status=none
(cd "$tmp/src" && sha256sum train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte \
    t10k-labels-idx1-ubyte) > "$tmp/sums"
rm -rf "$tmp/data"
run_make data > "$tmp/log" 2>&1 || fail "make data of the changed data failed: $(tail -3 "$tmp/log")"
status_of
grep -qx "status: mnist, 2 studies, 5 runs: 0 done, 0 missing, 5 stale" "$tmp/status" ||
    fail "a changed data byte: $(cat "$tmp/status")"
grep -q "  sm: all 4 runs: data changed" "$tmp/status" || fail "no reason given: $(cat "$tmp/status")"
# back to the data the report was built from: changed again, so make trains
# every run again (the same bytes as before)
rm -rf "$tmp/data" "$tmp/src"
mv "$tmp/src.good" "$tmp/src"
mv "$tmp/sums.good" "$tmp/sums"
touch "$tmp/mark"
run_make studies > "$tmp/log" 2>&1 || fail "make studies on the first data failed: $(tail -3 "$tmp/log")"
[ "$(trained_since "$tmp/mark")" -eq 5 ] || fail "changed data retrained $(trained_since "$tmp/mark") of 5 runs"
up_to_date || fail "after retraining: $(cat "$tmp/status")"
fi

if part 7; then
# -- 7: an experiment file's error stops make at the plan, printed once
cp "$tmp/exps/sm.exp" "$tmp/sm.exp.good"
printf 'lamda = 0.5\n' >> "$tmp/exps/sm.exp"
rc=0
run_make studies > "$tmp/log" 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "make studies went on after the plan failed"
[ "$(grep -c "sm.exp:5: unknown key" "$tmp/log")" -eq 1 ] || fail "the experiment's error is not printed once: $(cat "$tmp/log")"
! grep -v '^repro plan: ' "$tmp/log" | grep -q '^repro ' || fail "a later step repeated the error: $(cat "$tmp/log")"
mv "$tmp/sm.exp.good" "$tmp/exps/sm.exp"
touch "$tmp/exps/sm.exp" "$tmp/exps/net.exp"
run_make studies > "$tmp/log" 2>&1 || fail "make studies after the fix failed: $(tail -3 "$tmp/log")"
fi

if part 5; then
# -- 5: an unknown placeholder: one line naming the file, the line and the key
cp "$tmp/report.md" "$tmp/report.md.good"
printf '\nRuns: {{runs:totl}}.\n' >> "$tmp/report.md"
rc=0
run_make html > "$tmp/log" 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "an unknown placeholder did not fail the build"
grep -qx "report: $tmp/report.md:13: no value for placeholder {{runs:totl}}" "$tmp/log" ||
    fail "the unknown placeholder is not named with its file and line: $(cat "$tmp/log")"
! grep -q 'traceback' "$tmp/log" || fail "a Lua stack trace: $(cat "$tmp/log")"
cmp -s "$html" "$tmp/good.html" && cmp -s "$pdf" "$tmp/good.pdf" || fail "a failed build touched the report"
mv "$tmp/report.md.good" "$tmp/report.md"
fi

if part 6; then
# -- 6: the student's details taken literally; a name LaTeX cannot set
# (LuaTeX, stopping after a page was shipped out, deletes <jobname>.pdf in
# its working directory: make's, the checkout's own report.pdf, must stay)
own_pdf=
[ -e report.pdf ] || { echo 'e2e-faults: a stand-in for the checkout'"'"'s report.pdf' > report.pdf; own_pdf=1; }
pdf_sum=$(sha256sum < report.pdf)
printf 'student: "Łukasz Müller 张伟 $x$ \\\\textbf{} *y*"\nstudent-id: "7"\ncourse: "Faults"\n' > "$tmp/meta.yaml"
run_make pdf > "$tmp/log" 2>&1 || fail "a Latin name with Markdown in it failed: $(tail -3 "$tmp/log")"
grep -qF 'Łukasz Müller 张伟 $x$ \textbf{} *y* · student id 7 · Faults' "$html" ||
    fail "the name is not shown as written in the HTML: $(grep -o 'author[^<]*' "$html" | head -2)"
pdftotext "$pdf" - | grep -qF 'Łukasz Müller 张伟 $x$ \textbf{} *y*' || fail "the name is not in the PDF as written"
cp "$html" "$tmp/latin.html"
cp "$pdf" "$tmp/latin.pdf"
# a character that none of the fonts has (cuneiform) stops LaTeX, naming it
printf 'student: "Ada \xf0\x92\x80\x80"\n' > "$tmp/meta.yaml"
rc=0
run_make pdf > "$tmp/log" 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "a character no font has went unnoticed"
grep -qE "^report: $tmp/build/mnist/latex/report.tex:[0-9]+ \(page 1\): Missing character: There is no .* \(U\+12000\)" "$tmp/log" ||
    fail "the missing character is not named: $(cat "$tmp/log")"
cmp -s "$html" "$tmp/latin.html" && cmp -s "$pdf" "$tmp/latin.pdf" ||
    fail "a failed PDF left a new report.html beside the old report.pdf"
printf 'student: "Ada Lovelace"\nstudent-id: "42"\ncourse: "Faults"\n' > "$tmp/meta.yaml"
# this write-up cites no claim and is not typeset for print: the claims are
# not held strictly (this dataset has two studies of its own), no typesetting
# checks (tests/e2e-report.sh and e2e-typeset.sh test both)
# LaTeX stops (raw TeX in the write-up that it does not know): its first error,
# with the source line and page, in one line; the old report.html and
# report.pdf both stay
cp "$tmp/report.md" "$tmp/report.md.good"
printf '\nSee \\nosuchmacro here.\n' >> "$tmp/report.md"
rc=0
run_make pdf > "$tmp/log" 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "an undefined LaTeX macro did not fail the build"
grep -qE "^report: $tmp/build/mnist/latex/report.tex:[0-9]+ \(page 1\): Undefined control sequence\.$" "$tmp/log" ||
    fail "LaTeX's error is not given with its line and page: $(cat "$tmp/log")"
line=$(sed -nE 's/^report: .*report.tex:([0-9]+) .*/\1/p' "$tmp/log")
sed -n "${line}p" "$tmp/build/mnist/latex/report.tex" | grep -qF '\nosuchmacro' || fail "line $line of report.tex is not the one"
cmp -s "$html" "$tmp/latin.html" && cmp -s "$pdf" "$tmp/latin.pdf" ||
    fail "a failed PDF left a new report.html beside the old report.pdf"
mv "$tmp/report.md.good" "$tmp/report.md"
[ -e report.pdf ] && [ "$(sha256sum < report.pdf)" = "$pdf_sum" ] ||
    fail "a LaTeX failure deleted or changed report.pdf in make's working directory"
[ -z "$own_pdf" ] || rm -f report.pdf
# (the next build makes the report of the first details again)
printf 'student: "Ada Lovelace"\nstudent-id: "42"\ncourse: "Faults"\n' > "$tmp/meta.yaml"
# this write-up cites no claim and is not typeset for print: the claims are
# not held strictly (this dataset has two studies of its own), no typesetting
# checks (tests/e2e-report.sh and e2e-typeset.sh test both)
fi

if part 1; then
# -- 1: a full disk while drawing (writes past a file size limit fail, as on
# a full disk; gnuplot exits 0 all the same)
rm -f "$tmp"/build/mnist/figures-*.stamp
rc=0
(ulimit -f 4; trap '' XFSZ; run_make figures > "$tmp/log" 2>&1) || rc=$?
[ "$rc" != 0 ] || fail "figures drawn on a full disk were taken as finished"
grep -qE "plot: '$tmp/figures/mnist/[^']+\.(svg|pdf)': gnuplot's output is truncated at byte [0-9]+" "$tmp/log" ||
    fail "no line naming the truncated figure: $(cat "$tmp/log")"
! ls "$tmp"/build/mnist/figures-*.stamp > /dev/null 2>&1 || fail "a figure step was stamped done"
ls -A "$tmp/figures/mnist" | grep -q '\.tmp\.' && fail "temporary figures left: $(ls -A "$tmp/figures/mnist")"
run_make figures > "$tmp/log" 2>&1 || fail "drawing with space again failed: $(tail -3 "$tmp/log")"
for f in "$tmp"/figures/mnist/*.svg; do tail -c 10 "$f" | grep -q '</svg>' || fail "$f is incomplete"; done
for f in "$tmp"/figures/mnist/*.pdf; do tail -c 10 "$f" | grep -q '%%EOF' || fail "$f is incomplete"; done
# the same for the tables and values (repro tabulate)
rm "$tmp/build/mnist/values.json"
rc=0
(ulimit -f 1; trap '' XFSZ; run_make tables > "$tmp/log" 2>&1) || rc=$?
[ "$rc" != 0 ] || fail "tables written on a full disk were taken as finished"
[ ! -e "$tmp/build/mnist/values.json" ] || fail "values.json written on a full disk"
left=$(find "$tmp/build" -name '*.tmp.*')
[ -z "$left" ] || fail "a full disk left $left"
run_make tables > "$tmp/log" 2>&1 || fail "the tables with space again failed: $(tail -3 "$tmp/log")"
# the same for the documents (pandoc, LuaLaTeX and the copies next to the
# final names): the build fails, the report stays as it was, nothing is left
touch "$tmp/report.md"
cp "$html" "$tmp/before.html"
cp "$pdf" "$tmp/before.pdf"
rc=0
(ulimit -f 40; trap '' XFSZ; run_make pdf > "$tmp/log" 2>&1) || rc=$?
[ "$rc" != 0 ] || fail "documents written on a full disk were taken as finished: $(cat "$tmp/log"; ls -la "$tmp/out")"
grep -q "^report: " "$tmp/log" || fail "no line for the documents on a full disk: $(cat "$tmp/log")"
cmp -s "$html" "$tmp/before.html" && cmp -s "$pdf" "$tmp/before.pdf" || fail "a full disk changed the report"
rc=0
(ulimit -f 16; trap '' XFSZ; run_make html > "$tmp/log" 2>&1) || rc=$?
[ "$rc" != 0 ] || fail "an HTML written on a full disk was taken as finished"
grep -q "^report: pandoc failed writing $html" "$tmp/log" || fail "no line for pandoc on a full disk: $(cat "$tmp/log")"
cmp -s "$html" "$tmp/before.html" || fail "a full disk changed report.html"
left=$(find "$tmp/out" "$tmp/build" -name '*.tmp.*')
[ -z "$left" ] || fail "a full disk left $left"
fi

if part 8; then
# -- 8: leftovers of a killed build are removed by the next one
dead=999999
while [ -d "/proc/$dead" ]; do dead=$((dead - 1)); done
touch "$tmp/figures/mnist/.sm-glance.svg.tmp.$dead" "$tmp/build/mnist/tables/.sm.md.tmp.$dead" \
    "$tmp/out/.report.pdf.tmp.$dead" "$tmp/.manifest.json.tmp.$dead" "$tmp/results/mnist/.runs.csv.tmp.$dead"
mkdir "$tmp/build/mnist/.docs.tmp.$dead"
touch "$tmp/exps/sm.exp"
run_make report > "$tmp/log" 2>&1 || fail "the build after the leftovers failed: $(tail -3 "$tmp/log")"
left=$(find "$tmp" -name "*.tmp.$dead")
[ -z "$left" ] || fail "leftovers of a killed build were kept: $left"
fi

if part 3; then
# -- 3: two make report at once: both succeed, one waits, the report is whole
touch "$tmp/report.md"
run_make report > "$tmp/log1" 2>&1 & p1=$!
run_make report > "$tmp/log2" 2>&1 & p2=$!
rc1=0 rc2=0
wait $p1 || rc1=$?
wait $p2 || rc2=$?
[ "$rc1" = 0 ] && [ "$rc2" = 0 ] || fail "two builds at once: exit $rc1 and $rc2: $(tail -n 3 "$tmp/log1" "$tmp/log2")"
cmp -s "$html" "$tmp/good.html" || fail "two builds at once left a different report.html"
cmp -s "$pdf" "$tmp/good.pdf" || fail "two builds at once left a different report.pdf"
fi

if part 4; then
# -- 4: a SIGKILL of the whole build as it renames the PDF into place, with
# REPORT_OUT on another filesystem (/dev/shm). The mv below stands in for the
# moment: it kills every process of the build (those with its E2E_KILL_TAG);
# across filesystems it first leaves a half-written copy, as mv does.
if [ -d /dev/shm ] && [ -w /dev/shm ] && [ "$(stat -c %d /dev/shm)" != "$(stat -c %d "$tmp")" ]; then
    shm=$(mktemp -d /dev/shm/e2e-faults.XXXXXX)
    mkdir "$tmp/bin"
    cat > "$tmp/bin/mv" <<'MV'
#!/bin/bash
dest=${*: -1}
case $dest in
*/report.pdf)
    src=${*: -2:1}
    if [ "$(stat -c %d "$(dirname "$src")")" != "$(stat -c %d "$(dirname "$dest")")" ]; then
        head -c 1000 "$src" > "$dest"
    fi
    pids=()
    for p in /proc/[0-9]*; do
        tr '\0' '\n' < "$p/environ" 2> /dev/null | grep -qx "E2E_KILL_TAG=$E2E_KILL_TAG" && pids+=("${p#/proc/}")
    done
    kill -KILL "${pids[@]}" ;;
esac
exec /bin/mv "$@"
MV
    chmod +x "$tmp/bin/mv"
    touch "$tmp/report.md"
    (export E2E_KILL_TAG="e2e-faults-$$" PATH="$tmp/bin:$PATH"; run_make REPORT_OUT="$shm" report) \
        > "$tmp/log" 2>&1 || true
    [ ! -e "$shm/report.pdf" ] || [ "$(stat -c %s "$shm/report.pdf")" -lt 2000 ] ||
        fail "the build was not killed at the rename"
    rc=0
    run_make REPORT_OUT="$shm" report > "$tmp/log" 2>&1 || rc=$?
    [ "$rc" = 0 ] || { rm -rf "$shm"; fail "make report after the kill failed: $(tail -3 "$tmp/log")"; }
    cmp -s "$shm/report.pdf" "$tmp/good.pdf" || { rm -rf "$shm"; fail "after a kill at the rename, report.pdf is not whole"; }
    left=$(ls -A "$shm" | grep '\.tmp\.' || true)
    rm -rf "$shm"
    [ -z "$left" ] || fail "the kill's temporary files were kept: $left"
else
    echo "e2e-faults: /dev/shm is not another filesystem here: part 4 skipped" >&2
fi
fi

if part 9; then
# -- 9: a corrupt epochs.csv (a column gone, its summary touched): the manifest
# is not rewritten
cp "$tmp/manifest.json" "$tmp/manifest.good"
run=$(find "$tmp/results/mnist/sm" -name epochs.csv | head -1)
sed -i 's/,[^,]*$//' "$run"
touch "$(dirname "$run")/summary.json"
rc=0
run_make report > "$tmp/log" 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "a corrupt epochs.csv did not fail the build"
grep -q "$run'" "$tmp/log" || fail "the corrupt epochs.csv is not named: $(tail -3 "$tmp/log")"
cmp -s "$tmp/manifest.json" "$tmp/manifest.good" || fail "the manifest was rewritten over a corrupt epochs.csv"
fi

if part 10; then
# -- 10: make verify with a truncated manifest: its error before any rerun
head -c 300 "$tmp/manifest.json" > "$tmp/cut.json"
rc=0
run_make verify MANIFEST="$tmp/cut.json" > "$tmp/log" 2>&1 || rc=$?
[ "$rc" != 0 ] || fail "verify accepted a truncated manifest"
grep -q "manifest: '$tmp/cut.json':[0-9]*:[0-9]*: " "$tmp/log" || fail "no line for the truncated manifest: $(cat "$tmp/log")"
[ ! -e "$tmp/verify/results" ] || fail "verify reran runs before reading the manifest"
fi

echo "e2e-faults: ok"
