#!/bin/bash
# Installs the Debian packages the project needs, or says exactly what to run.
# Cheap when everything is present: it only looks (commands, pkg-config modules,
# TeX files) and touches no network. Usage: src/scripts/deps.sh [extra-package ...]
set -euo pipefail

missing=()
need_cmd() { command -v "$1" >/dev/null 2>&1 || missing+=("$2"); }
need_pc()  { pkg-config --exists "$1" 2>/dev/null || missing+=("$2"); }
need_tex() { kpsewhich "$1" >/dev/null 2>&1 || missing+=("$2"); }

need_cmd cc gcc
need_cmd make make
need_cmd pkg-config pkg-config
[ -e /usr/include/stdio.h ] || missing+=(libc6-dev)
need_pc zlib zlib1g-dev
need_pc libcrypto libssl-dev
need_pc jansson libjansson-dev
need_pc check check
need_pc gsl libgsl-dev
need_cmd gnuplot gnuplot-nox
need_cmd pandoc pandoc
need_cmd pdflatex texlive-latex-base
need_cmd kpsewhich texlive-latex-base
# what pandoc's LaTeX template and report/latex-header.tex load
for sty in microtype etoolbox footnotehyper booktabs xcolor parskip float; do
    need_tex "$sty.sty" texlive-latex-recommended
done
for sty in hyperref geometry longtable bookmark; do
    need_tex "$sty.sty" texlive-latex-base
done
need_tex lmodern.sty lmodern
# LuaLaTeX sets the PDF, so that any name in report/metadata.yaml sets: the
# Latin Modern OpenType fonts for Latin (and Greek, Cyrillic), WenQuanYi Micro
# Hei for what they lack (Chinese, Japanese, Korean)
need_tex luaotfload.sty texlive-luatex
need_tex fontspec.sty texlive-latex-recommended
need_tex lmroman10-regular.otf fonts-lmodern
[ -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc ] || missing+=(fonts-wqy-microhei)
need_tex t1lmr.fd lmodern
need_tex ecrm1000.tfm texlive-fonts-recommended
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || missing+=(fonts-dejavu-core)
# the HTML report's maths font (report/report.css embeds it)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuMathTeXGyre.ttf ] || missing+=(fonts-dejavu-extra)
need_cmd pdftotext poppler-utils
need_cmd curl curl
[ -e /etc/ssl/certs/ca-certificates.crt ] || missing+=(ca-certificates)
need_cmd npm npm
# An extra package without an architecture is wanted for this machine's own:
# dpkg-query answers for every installed architecture of a name, so an arm64
# libopenblas-dev (installed by make check-arm64) must not pass for the amd64
# one the benchmark links. Architecture-independent packages say "all".
native=$(dpkg --print-architecture)
for extra in "$@"; do
    if [ "${extra#*:}" != "$extra" ]; then
        dpkg-query -W -f='${Status}\n' "$extra" 2>/dev/null | grep -qx 'install ok installed' ||
            missing+=("$extra")
    else
        dpkg-query -W -f='${Status} ${Architecture}\n' "$extra" 2>/dev/null |
            grep -qxE "install ok installed ($native|all)" || missing+=("$extra")
    fi
done

[ ${#missing[@]} -eq 0 ] && exit 0

# one package may be named by several checks
mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
# A package of another architecture (name:arch, e.g. check:arm64, asked for by
# make check-arm64) comes through multiarch: dpkg must know that architecture
# before apt-get update reads its package lists.
add_arch=()
for p in "${missing[@]}"; do
    a=${p#*:}
    [ "$a" != "$p" ] && [ "$a" != "$(dpkg --print-architecture)" ] || continue
    dpkg --print-foreign-architectures | grep -qx "$a" || add_arch+=("$a")
done
mapfile -t add_arch < <(printf '%s\n' "${add_arch[@]}" | sed '/^$/d' | sort -u)
cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    pre=""
    for a in "${add_arch[@]}"; do pre+="dpkg --add-architecture $a && "; done
    echo "deps: missing Debian packages; run as root: ${pre}apt-get update && $cmd" >&2
    exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
for a in "${add_arch[@]}"; do
    echo "deps: dpkg --add-architecture $a"
    dpkg --add-architecture "$a"
done
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: done"
