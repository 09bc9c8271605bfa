#!/usr/bin/env bash
# conf-samples - writes or checks deploy/*.conf.sample against the daemons' --print-config
#
#   conf-samples.sh BUILD_DIR           rewrite the samples' key lists (keeps each header)
#   conf-samples.sh --check BUILD_DIR   exit 1 and show the difference when one drifted
#
# A sample is its header (the comment lines before the first [section]) and
# then exactly what `DAEMON --print-config` prints from the built-in defaults,
# with every key commented out. The installed /etc/baocao/*.conf are these
# samples, so a fresh install runs on the defaults.
set -euo pipefail

check=0
if [ "${1:-}" = "--check" ]; then
    check=1
    shift
fi
build=${1:?usage: conf-samples.sh [--check] BUILD_DIR}
deploy=$(cd "$(dirname "$0")/.." && pwd)

# body PROGRAM [ARGS...]: the defaults, keys commented out. -c /dev/null keeps
# a config already installed in /etc/baocao from leaking into the sample.
body() {
    "$@" --print-config | sed -E 's/^([A-Za-z0-9_]+ *=)/#\1/'
}

# header SAMPLE: its lines before the first section.
header() {
    sed -n '/^\[/q;p' "$1"
}

status=0
one() {   # one NAME PROGRAM [ARGS...]
    local name=$1
    shift
    local sample="$deploy/$name.conf.sample"
    if [ ! -x "$1" ]; then
        return 0
    fi
    local want
    want=$( header "$sample"; body "$@" )
    if [ $check -eq 1 ]; then
        if ! diff -u "$sample" <(printf '%s\n' "$want"); then
            echo "conf-samples: $sample differs from $1 --print-config;" \
                 "run deploy/scripts/conf-samples.sh BUILD_DIR" >&2
            status=1
        fi
    else
        printf '%s\n' "$want" >"$sample"
    fi
}

one baocao-broker "$build/broker/baocao-broker" -c /dev/null
one baocao-agent "$build/agents/agent/baocao-agent"
one baocao-dashboard "$build/agents/dashboard/baocao-dashboard" --config /dev/null
exit $status
