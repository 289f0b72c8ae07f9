# shellcheck shell=bash
# Sourced by the end-to-end tests that drive make on a synthetic dataset with
# its own checksums (tests/e2e-status.sh, tests/e2e-verify.sh), after they set
# BUILD and cd to the checkout. Not a test itself (the check rule runs
# tests/e2e-*.sh).

# The sanitizer build keeps its own flags: the tests pass SANITIZE="$san" to
# make, or make would rebuild it.
san=
case $BUILD in */san-*) san=${BUILD##*/san-}; san=${san//-/,} ;; esac

# synth_with_sums DIR SUMS SEED: 1200 training and 100 test images of 10x10
# pixels in DIR, their sha256sum list in SUMS (what DATA_SUMS names) and DIR's
# .verified stamp as make's data check leaves it.
synth_with_sums() {
    "$BUILD/bin/repro" synth --out "$1" --train 1200 --test 100 --side 10 --seed "$3" > /dev/null
    (cd "$1" && sha256sum train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte \
        t10k-labels-idx1-ubyte) > "$2"
    cp "$2" "$1/.verified"
}
