# lib.sh - helpers for integration tests: real binaries on loopback, stopped by PID
#
# Every test sources this file, calls it_setup, starts what it needs with
# start_broker / start_agent, and waits for events with wait_for (bounded,
# no sleep-to-settle). Everything started is stopped by PID on exit.
set -euo pipefail

: "${BC_BIN_DIR:?BC_BIN_DIR must point at the build tree}"
: "${BC_SOURCE_DIR:?BC_SOURCE_DIR must point at the source tree}"
BROKER_BIN="$BC_BIN_DIR/broker/baocao-broker"
AGENT_BIN="$BC_BIN_DIR/agents/agent/baocao-agent"
CLI_BIN="$BC_BIN_DIR/agents/cli/baocao"
DEMO="$BC_SOURCE_DIR/deploy/province-demo"
COORD=000.00.07.H45
PIDS=()

it_setup() {
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/baocao-it.XXXXXX")
    trap it_teardown EXIT
    echo "# work folder: $WORK"
}

it_teardown() {
    local rc=$?
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait_gone "$pid" 10 || kill -KILL "$pid" 2>/dev/null || true
    done
    if declare -F it_cleanup >/dev/null; then
        it_cleanup || true
    fi
    if [ $rc -ne 0 ]; then
        echo "# FAILED; logs follow"
        for f in "$WORK"/*.log; do
            [ -f "$f" ] || continue
            echo "## $f"
            tail -n 40 "$f"
        done
    fi
    rm -rf "$WORK"
    exit $rc
}

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 50 ms until it
# succeeds; fails the test with DESCRIPTION when SECONDS pass.
wait_for() {
    local limit=$1 what=$2
    shift 2
    local deadline=$(( $(date +%s%N) / 1000000 + limit * 1000 ))
    until "$@" >/dev/null 2>&1; do
        if [ $(( $(date +%s%N) / 1000000 )) -ge $deadline ]; then
            fail "timed out after ${limit}s waiting for: $what"
        fi
        sleep 0.05
    done
}

wait_gone() {
    local pid=$1 limit=${2:-10}
    local deadline=$(( $(date +%s) + limit ))
    while kill -0 "$pid" 2>/dev/null; do
        [ "$(date +%s)" -ge $deadline ] && return 1
        sleep 0.05
    done
    return 0
}

# start_broker [extra flags...]: starts a broker on ephemeral loopback ports
# with the store in $WORK/store; sets BROKER_PID and ENDPOINT.
start_broker() {
    rm -f "$WORK/ready"
    if [ ! -f "$WORK/broker.conf" ]; then
        # Plain transport for the tests of everything else; it_security and
        # the demo run with CURVE and signatures.
        printf '[broker]\nsecurity = none\nrequire_signatures = no\n' >"$WORK/broker.conf"
    fi
    "$BROKER_BIN" --config "$WORK/broker.conf" --store "$WORK/store" \
        --agencies "${AGENCIES:-$DEMO/agencies.csv}" \
        --endpoint "${BROKER_ENDPOINT:-tcp://127.0.0.1:*}" --events 'tcp://127.0.0.1:*' \
        --ready-file "$WORK/ready" "$@" >>"$WORK/broker.log" 2>&1 &
    BROKER_PID=$!
    PIDS+=("$BROKER_PID")
    wait_for 20 "broker ready" test -s "$WORK/ready"
    ENDPOINT=$(sed -n 's/^endpoint=//p' "$WORK/ready")
    # Restarts reuse the same port, so agents reconnect to the same address.
    BROKER_ENDPOINT=$ENDPOINT
}

stop_broker() {
    kill -TERM "$BROKER_PID"
    wait_gone "$BROKER_PID" 15 || fail "broker did not stop on SIGTERM"
}

# start_agent CODE NAME: starts CODE's agent with its drop folder in
# $WORK/drop-CODE; sets AGENT_PID.
start_agent() {
    local code=$1 name=$2
    mkdir -p "$WORK/drop-$code"
    cat >"$WORK/agent-$code.conf" <<CONF
[agent]
code = $code
name = $name
broker = $ENDPOINT
drop = $WORK/drop-$code
heartbeat_ms = 500
retry_max_ms = 2000
CONF
    if [ -n "${PROVINCE:-}" ]; then
        # CURVE and signed reports with the keys of `baocao province init`.
        printf 'key = %s\nbroker_key = %s\n' "$PROVINCE/$code/$code.key" \
            "$PROVINCE/$code/broker.pub" >>"$WORK/agent-$code.conf"
    fi
    "$AGENT_BIN" --config "$WORK/agent-$code.conf" >>"$WORK/agent-$code.log" 2>&1 &
    AGENT_PID=$!
    PIDS+=("$AGENT_PID")
}

stop_pid() {
    kill -TERM "$1" 2>/dev/null || true
    wait_gone "$1" 15 || fail "process $1 did not stop on SIGTERM"
}

cli() {
    if [ -n "${PROVINCE:-}" ]; then
        "$CLI_BIN" --store "$WORK/store" --broker "$ENDPOINT" --as "$COORD" \
            --key "$PROVINCE/$COORD/$COORD.key" --broker-key "$PROVINCE/broker/broker.pub" "$@"
    else
        "$CLI_BIN" --store "$WORK/store" --broker "$ENDPOINT" --as "$COORD" "$@"
    fi
}

# free_port: a loopback port below the kernel's ephemeral range (so no
# outgoing connection takes it meanwhile) that nothing listens on now.
free_port() {
    local p
    for _ in $(seq 1 100); do
        p=$(( 20000 + RANDOM % 12000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    fail "no free port found"
}

# province_init: keys and bundles for the demo province (CURVE, signatures);
# later start_broker, start_agent and cli use them.
province_init() {
    BROKER_ENDPOINT="tcp://127.0.0.1:$(free_port)"
    PROVINCE="$WORK/province"
    "$CLI_BIN" --broker "$BROKER_ENDPOINT" --store "$WORK/store" \
        province init "$DEMO/agencies.csv" --dir "$PROVINCE" >/dev/null
    cp "$PROVINCE/broker/baocao-broker.conf" "$WORK/broker.conf"
    AGENCIES="$PROVINCE/broker/agencies.csv"
}

agency_name() {
    grep "^$1," "$DEMO/agencies.csv" | head -n 1 | cut -d, -f2- | sed 's/,[a-z ]*$//; s/^"//; s/"$//'
}

# make_request FILE DEADLINE_OFFSET_SECONDS [NUMBER]: the demo request with
# its deadline moved to now + offset (and another number if given).
make_request() {
    local out=$1 offset=$2 number=${3:-1005}
    local deadline
    deadline=$(date -d "@$(( $(date +%s) + offset ))" +%Y-%m-%dT%H:%M:%S+00:00)
    sed -e "s/^  \"deadline\": \".*\",\$/  \"deadline\": \"$deadline\",/" \
        -e "s/^  \"number\": 1005,/  \"number\": $number,/" \
        "$DEMO/request.json" >"$out"
    grep -q "$deadline" "$out" || fail "could not set the deadline in $out"
}

# status_of REQUEST CODE: prints the latest status name of CODE's delivery.
status_of() {
    cli --json status "$1" | jq -r --arg c "$2" \
        '.agencies[] | select(.agency.code == $c) | .status'
}

# status_in REQUEST CODE STATUS...: true when CODE's latest status is one of them.
status_in() {
    local req=$1 code=$2
    shift 2
    local now
    now=$(status_of "$req" "$code")
    for s in "$@"; do
        [ "$now" = "$s" ] && return 0
    done
    return 1
}
