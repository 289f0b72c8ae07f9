#!/bin/bash
# Every repro subcommand, as `repro --help` lists them (and every verb of those
# with verbs, as their --help lists them): -h and --help print the same usage
# on stdout, nothing on stderr, exit status 0; `--out` without a value is one
# line on stderr, exit status 2: "repro CMD: option '--out' needs a value (see
# repro CMD --help)" when CMD's help lists --out, else "repro CMD: unknown
# option '--out' (see repro CMD --help)". So help and parsing agree and the
# same mistake reads the same everywhere (include/opts.h).
set -euo pipefail
BUILD=${BUILD:-build/release}
cd "$(dirname "$0")/.."
repro=$BUILD/bin/repro
train=$BUILD/bin/train
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "e2e-cli: FAIL: $*" >&2; exit 1; }
# The verbs a usage of the form "usage: PROG <command> ..." lists under "commands:".
verbs() { sed -n '/^commands:$/,$p' "$1" | sed -n 's/^  \([a-z][a-z-]*\) .*/\1/p'; }

checked=0 messages=0
check() { # check WORD... : one leaf command, e.g. check manifest write
    local cmd="repro $*" rc
    for h in -h --help; do
        rc=0
        "$repro" "$@" $h > "$tmp/$h.out" 2> "$tmp/err" || rc=$?
        [ "$rc" = 0 ] || fail "'$cmd $h' exits with $rc, not 0"
        [ ! -s "$tmp/err" ] || fail "'$cmd $h' writes to stderr: $(head -1 "$tmp/err")"
        head -1 "$tmp/$h.out" | grep -q "^usage: $cmd\\b" ||
            fail "'$cmd $h' does not start with 'usage: $cmd': $(head -1 "$tmp/$h.out")"
    done
    cmp -s "$tmp/-h.out" "$tmp/--help.out" || fail "'$cmd -h' and '$cmd --help' differ"
    checked=$((checked + 1))
    if grep -qE '^ +(-[a-z], )?--out ' "$tmp/--help.out"; then
        want="$cmd: option '--out' needs a value (see $cmd --help)"
    else
        want="$cmd: unknown option '--out' (see $cmd --help)"
    fi
    rc=0
    "$repro" "$@" --out > "$tmp/out" 2> "$tmp/err" || rc=$?
    [ "$rc" = 2 ] || fail "'$cmd --out' exits with $rc, not 2"
    [ ! -s "$tmp/out" ] || fail "'$cmd --out' writes to stdout"
    [ "$(cat "$tmp/err")" = "$want" ] ||
        fail "'$cmd --out' says '$(cat "$tmp/err")', not '$want'"
    messages=$((messages + 1))
}

"$repro" --help > "$tmp/top"
commands=$(verbs "$tmp/top")
[ -n "$commands" ] || fail "'repro --help' lists no commands"
for c in $commands; do
    "$repro" "$c" --help > "$tmp/cmd" || fail "'repro $c --help' fails"
    if head -1 "$tmp/cmd" | grep -q "^usage: repro $c <command>"; then
        subs=$(verbs "$tmp/cmd")
        [ -n "$subs" ] || fail "'repro $c --help' lists no commands"
        for v in $subs; do check "$c" "$v"; done
    else
        check "$c"
    fi
done
# the trainer parses with the same table: the same message for the same mistake
rc=0
"$train" --out > "$tmp/out" 2> "$tmp/err" || rc=$?
want="train: option '--out' needs a value (see train --help)"
[ "$rc" = 2 ] && [ "$(cat "$tmp/err")" = "$want" ] ||
    fail "'train --out' exits $rc saying '$(cat "$tmp/err")', not '$want'"
"$train" -h | head -1 | grep -q '^usage: train ' || fail "'train -h' prints no usage"
echo "e2e-cli: $checked commands and train answer -h and --help; $messages and train answer" \
    "'--out' without a value with the one message"
