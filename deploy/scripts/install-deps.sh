#!/usr/bin/env bash
# install-deps - installs the Debian 12 packages baocao needs, only those missing
#
#   install-deps.sh          build and run: compilers, libraries, tools
#   install-deps.sh --test   also what the test suite uses (cmocka, clang, poppler-utils)
set -euo pipefail

pkgs=(build-essential cmake pkg-config
      libzmq3-dev libprotobuf-c-dev protobuf-c-compiler liblmdb-dev
      libjansson-dev libinih-dev libsodium-dev libutf8proc-dev jq)
# The printed summary: PDF with cairo and pango, in a serif that covers
# Vietnamese (Liberation Serif, metric compatible with Times New Roman;
# DejaVu Serif as the fallback).
pkgs+=(libcairo2-dev libpango1.0-dev fonts-liberation2 fonts-dejavu-core)
# The document parser reads signed PDFs' text layers through poppler-glib.
pkgs+=(libpoppler-glib-dev)
# The dashboard's HTTP server.
pkgs+=(libmicrohttpd-dev)
if [ "${1:-}" = "--test" ]; then
    pkgs+=(libcmocka-dev clang libclang-rt-14-dev lmdb-utils)
    # pdftotext, pdftoppm, pdffonts, pdfinfo check the summary's PDF;
    # xmllint checks that its HTML is well-formed.
    pkgs+=(poppler-utils libxml2-utils)
    # The document parser's tests make their PDFs: pango-view renders the
    # text fixtures (in DejaVu Serif), qpdf joins pages and encrypts.
    pkgs+=(pango1.0-tools qpdf fonts-dejavu-core)
    # Packaging and deployment tests: cpack's dpkg-shlibdeps (dpkg-dev),
    # `systemd-analyze verify` of the units, `man -l` of the man pages,
    # strace for the units' system call filter, ip netns for it_netns.
    pkgs+=(dpkg-dev systemd man-db groff-base strace iproute2)
    # The dashboard's tests: HTTP over curl; the browser test drives Debian's
    # Chromium with playwright-core from npm. Node.js comes with these
    # machines (20, with its npm); Debian's own is only for a machine without
    # any (its npm would conflict with another Node.js package).
    pkgs+=(curl chromium)
    if ! command -v node >/dev/null; then
        pkgs+=(nodejs npm)
    fi
fi

missing=()
for p in "${pkgs[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi
echo "installing: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: run as root (or install the packages above) first" >&2
    exit 77
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
