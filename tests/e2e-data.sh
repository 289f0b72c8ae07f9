#!/bin/bash
# make data's fetch script, offline, on a synthetic dataset with its own
# checksums: good files are verified and installed; a file that fails its
# checksum is never left in the data directory and no .verified stamp appears.
set -euo pipefail
BUILD=${BUILD:-build/release}
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "e2e-data: FAIL: $*" >&2; exit 1; }

"$BUILD/bin/repro" synth --out "$tmp/src" --train 100 --test 20 --side 10 --gz
mkdir -p "$tmp/raw"
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
    gzip -dc "$tmp/src/$f.gz" > "$tmp/raw/$f"
    echo "$(sha256sum "$tmp/raw/$f" | cut -d' ' -f1)  $f" >> "$tmp/sums"
done

# good gzip files from a local directory
DATA_OFFLINE=1 DATA_SUMS="$tmp/sums" MNIST_DIR="$tmp/src" "$root/src/scripts/fetch-data.sh" mnist "$tmp/out" > /dev/null
[ -f "$tmp/out/.verified" ] || fail "no .verified after good files"
cmp -s "$tmp/out/train-images-idx3-ubyte" "$tmp/raw/train-images-idx3-ubyte" || fail "installed file differs"

# a corrupted copy: rejected, nothing installed, no stamp
mkdir -p "$tmp/bad"
cp "$tmp/raw/"* "$tmp/bad/"
printf '\x01' | dd of="$tmp/bad/t10k-images-idx3-ubyte" bs=1 seek=100 conv=notrunc status=none
if DATA_OFFLINE=1 DATA_SUMS="$tmp/sums" MNIST_DIR="$tmp/bad" "$root/src/scripts/fetch-data.sh" mnist "$tmp/out2" > /dev/null 2> "$tmp/err"; then
    fail "a corrupted file was accepted"
fi
grep -q "sha-256 .* does not match" "$tmp/err" || fail "no checksum message: $(cat "$tmp/err")"
[ ! -e "$tmp/out2/t10k-images-idx3-ubyte" ] || fail "corrupted file left in the data directory"
[ ! -e "$tmp/out2/.verified" ] || fail ".verified written despite a bad file"
ls -A "$tmp/out2" | grep -q '^\.fetch' && fail "temporary directory left behind"

# a truncated gzip source is refused the same way
head -c 200 "$tmp/src/train-images-idx3-ubyte.gz" > "$tmp/bad/train-images-idx3-ubyte.gz"
rm "$tmp/bad/train-images-idx3-ubyte"
if DATA_OFFLINE=1 DATA_SUMS="$tmp/sums" MNIST_DIR="$tmp/bad" "$root/src/scripts/fetch-data.sh" mnist "$tmp/out3" > /dev/null 2> "$tmp/err"; then
    fail "a truncated gzip file was accepted"
fi
[ ! -e "$tmp/out3/train-images-idx3-ubyte" ] || fail "truncated file installed"
# without DATA_SUMS the script finds the checkout's own checksum file,
# wherever the script lives in the tree (it fails here for want of files)
DATA_OFFLINE=1 MNIST_DIR="$tmp/none" "$root/src/scripts/fetch-data.sh" mnist "$tmp/out4" \
    > /dev/null 2> "$tmp/err" && fail "no source, yet the fetch succeeded"
! grep -q 'no checksums' "$tmp/err" || fail "the checkout's checksum file was not found: $(cat "$tmp/err")"
echo "e2e-data: ok"
