#!/usr/bin/env bash
# install-deps - installs the Debian 12 packages baocao needs, only those missing
#
#   install-deps.sh          build and run: compilers, libraries, tools
#   install-deps.sh --test   also what the test suite uses (cmocka, jq, clang)
set -euo pipefail

pkgs=(build-essential cmake pkg-config
      libzmq3-dev libprotobuf-c-dev protobuf-c-compiler liblmdb-dev
      libjansson-dev libinih-dev libsodium-dev libutf8proc-dev jq)
if [ "${1:-}" = "--test" ]; then
    pkgs+=(libcmocka-dev clang libclang-rt-14-dev lmdb-utils)
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
