#!/bin/bash
# The trainer's key ($BUILD/train.key, which every finished run depends on)
# covers the trainer's code only. In a scratch copy of the sources: an edit
# to a function only the report side calls (the run directory's reader,
# run_result_finite_iters) changes that file's code but leaves the key as it
# was; an edit to a layer the trainer calls (fc_forward in src/nn) changes it.
set -euo pipefail
BUILD=${BUILD:-build/release}
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
fail() { echo "e2e-trainkey: FAIL: $*" >&2; exit 1; }

cp -a Makefile include src "$tmp/"
# The checkout's objects, when there are any, so that only what the edits
# touch compiles again (make rebuilds from the sources' dependencies).
if [ -d "$BUILD/obj" ]; then
    mkdir -p "$tmp/$BUILD"
    cp -a "$BUILD/obj" "$BUILD/flags" "$tmp/$BUILD/" 2> /dev/null || true
fi

mk() {
    make -C "$tmp" --no-print-directory -s BUILD="$BUILD" SANITIZE="${SANITIZE:-}" "$@" > "$tmp/make.log" 2>&1 ||
        { cat "$tmp/make.log" >&2; fail "make $*"; }
}
key() { mk "$BUILD/train.key" && cat "$tmp/$BUILD/train.key"; }
# The code of an object file (its .text), so that an edit is shown to change code.
text_of() { objcopy -O binary --only-section=.text "$tmp/$1" "$tmp/text.bin" && sha256sum < "$tmp/text.bin"; }

# src FUNCTION: the one source file that defines it
src_of() {
    local f
    f=$(cd "$tmp" && grep -l "^[a-z].*[ *]$1(" src/*/*.c)
    [ "$(wc -w <<< "$f")" = 1 ] || fail "'$1' is defined in '$f', not one file"
    echo "$f"
}
# edit FILE FUNCTION: a statement the compiler keeps at the top of the body
edit() {
    awk -v fn="$2" '
        state == 1 && /^\{/ { print; print "    volatile int e2e_edit = 1;"; print "    (void)e2e_edit;"; state = 2; next }
        state == 0 && /^[a-z]/ && index($0, " " fn "(") + index($0, "*" fn "(") && !/;[[:space:]]*$/ { state = 1 }
        { print }
        END { exit state == 2 ? 0 : 1 }' "$tmp/$1" > "$tmp/edit.c" || fail "no body of '$2' in '$1'"
    mv "$tmp/edit.c" "$tmp/$1"
}

before=$(key)
[ -n "$before" ] || fail "no trainer key"

report_src=$(src_of run_result_finite_iters)
report_obj=$BUILD/obj/${report_src#src/}
report_obj=${report_obj%.c}.o
mk "$report_obj"
code_before=$(text_of "$report_obj")
edit "$report_src" run_result_finite_iters
mk "$report_obj"
[ "$(text_of "$report_obj")" != "$code_before" ] || fail "the edit of '$report_src' did not change its code"
after=$(key)
[ "$after" = "$before" ] ||
    fail "editing run_result_finite_iters ($report_src, report side only) changed the trainer's key"
echo "  e2e-trainkey: report-only edit ($report_src): trainer key unchanged"

layer_src=$(src_of fc_forward)
edit "$layer_src" fc_forward
after=$(key)
[ "$after" != "$before" ] || fail "editing fc_forward ($layer_src) left the trainer's key unchanged"
echo "  e2e-trainkey: layer edit ($layer_src): trainer key changed"
