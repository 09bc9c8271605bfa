# dash_lib.sh - the dashboard's test helpers, on top of integration/lib.sh
#
# Sourced by every dashboard test after lib.sh's own setup: adds
# start_dashboard (the real binary on an ephemeral loopback port, on the
# test's store and broker feed, CURVE with the coordinator's key when
# province_init ran), small HTTP helpers over curl, and metric reading.
. "$BC_SOURCE_DIR/tests/integration/lib.sh"
DASH_BIN="$BC_BIN_DIR/agents/dashboard/baocao-dashboard"
command -v curl >/dev/null || fail "curl not found: apt-get install curl"

# dash_start_broker [flags...]: lib.sh's start_broker, on ports below the
# kernel's ephemeral range (32768 and up, where this suite's thousands of
# client sockets live), and on other ports when the chosen ones are taken
# by a test running beside this one.
dash_start_broker() {
    local attempt from
    for attempt in 1 2 3 4 5 6 7 8; do
        if [ -z "${BROKER_ENDPOINT:-}" ] || [ "${BROKER_ENDPOINT##*:}" -ge 32768 ] || [ $attempt -gt 1 ]; then
            BROKER_ENDPOINT="tcp://127.0.0.1:$(( 20000 + RANDOM % 12000 ))"
        fi
        EVENTS_ENDPOINT="tcp://127.0.0.1:$(( 20000 + RANDOM % 12000 ))"
        rm -f "$WORK/ready"
        touch "$WORK/broker.log"
        from=$(( $(wc -l <"$WORK/broker.log") + 1 ))
        if [ ! -f "$WORK/broker.conf" ]; then
            printf '[broker]\nsecurity = none\nrequire_signatures = no\n' >"$WORK/broker.conf"
        fi
        "$BROKER_BIN" --config "$WORK/broker.conf" --store "$WORK/store" \
            --agencies "${AGENCIES:-$DEMO/agencies.csv}" --endpoint "$BROKER_ENDPOINT" \
            --events "$EVENTS_ENDPOINT" --ready-file "$WORK/ready" "$@" >>"$WORK/broker.log" 2>&1 &
        BROKER_PID=$!
        local deadline=$(( $(date +%s) + 20 ))
        while [ ! -s "$WORK/ready" ] && kill -0 "$BROKER_PID" 2>/dev/null \
              && [ "$(date +%s)" -lt $deadline ]; do
            sleep 0.05
        done
        if [ -s "$WORK/ready" ]; then
            PIDS+=("$BROKER_PID")
            ENDPOINT=$(sed -n 's/^endpoint=//p' "$WORK/ready")
            return 0
        fi
        kill "$BROKER_PID" 2>/dev/null || true
        wait "$BROKER_PID" 2>/dev/null || true
        tail -n +"$from" "$WORK/broker.log" | grep -q 'Address already in use' \
            || fail "the broker did not start"
        echo "# a broker port was taken; trying others"
    done
    fail "no free port for the broker after 8 tries"
}

# restart_broker: stops the broker and starts it again on the same endpoints.
restart_broker() {
    stop_broker
    rm -f "$WORK/ready"
    "$BROKER_BIN" --config "$WORK/broker.conf" --store "$WORK/store" \
        --agencies "${AGENCIES:-$DEMO/agencies.csv}" --endpoint "$BROKER_ENDPOINT" \
        --events "$EVENTS_ENDPOINT" --ready-file "$WORK/ready" >>"$WORK/broker.log" 2>&1 &
    BROKER_PID=$!
    PIDS+=("$BROKER_PID")
    wait_for 20 "broker ready again" test -s "$WORK/ready"
}

# start_dashboard [flags...]: sets DASH_PID, DASH_URL (no trailing slash).
start_dashboard() {
    local events keyargs=()
    events=$(sed -n 's/^events=//p' "$WORK/ready")
    if [ -n "${PROVINCE:-}" ]; then
        keyargs=(--key "$PROVINCE/$COORD/$COORD.key" --broker-key "$PROVINCE/$COORD/broker.pub")
    fi
    rm -f "$WORK/dash.ready"
    "$DASH_BIN" --store "$WORK/store" --events "$events" --port 0 \
        --ready-file "$WORK/dash.ready" "${keyargs[@]}" "$@" >>"$WORK/dashboard.log" 2>&1 &
    DASH_PID=$!
    PIDS+=("$DASH_PID")
    wait_for 20 "dashboard ready" test -s "$WORK/dash.ready"
    DASH_URL=$(sed -n 's/^url=//p' "$WORK/dash.ready")
    DASH_URL=${DASH_URL%/}
}

# urlenc TEXT: TEXT percent-encoded as one path segment or query value.
urlenc() {
    jq -rn --arg s "$1" '$s | @uri'
}

# http_code PATH [curl args...]: prints the status code of GET DASH_URL/PATH.
http_code() {
    local path=$1
    shift
    curl -s -o "$WORK/body" -w '%{http_code}' --max-time 10 "$@" "$DASH_URL$path" || true
}

# expect_status CODE PATH [curl args...]: fails unless GET PATH answers CODE.
expect_status() {
    local want=$1 path=$2
    shift 2
    local got
    got=$(http_code "$path" "$@")
    [ "$got" = "$want" ] || { head -c 600 "$WORK/body"; echo; fail "GET $path: $got, expected $want"; }
    echo "# $want ${path:0:90}"
}

# metric NAME_WITH_LABELS: prints the value of one metric line. (awk reads
# to the end: an early exit would make curl fail on a closed pipe.)
metric() {
    curl -s --max-time 10 "$DASH_URL/metrics" | awk -v m="$1" '$1 == m && !seen { print $2; seen = 1 }'
}
metric_is() { [ "$(metric "$1")" = "$2" ]; }
metric_ge() { local v; v=$(metric "$1"); [ -n "$v" ] && awk -v v="$v" -v w="$2" 'BEGIN { exit !(v >= w) }'; }

# api PATH: GET DASH_URL/api/PATH, body on stdout; fails on a non-200.
api() {
    local code
    code=$(curl -s -o "$WORK/api.json" -w '%{http_code}' --max-time 10 "$DASH_URL/api/$1")
    [ "$code" = 200 ] || { cat "$WORK/api.json"; fail "GET /api/$1: $code"; }
    cat "$WORK/api.json"
}

# status_on_dashboard KEY CODE: the agency's latest status as the dashboard shows it.
status_on_dashboard() {
    api "requests/$(urlenc "$1")?view=status" | jq -r --arg c "$2" \
        '.agencies[] | select(.status.agency.code == $c) | .status.status'
}
dash_status_is() { [ "$(status_on_dashboard "$1" "$2")" = "$3" ]; }

# drop_reply CODE FOLDER: staff put the demo's prepared reply in the agent's folder.
drop_reply() {
    local code=$1 folder=$2
    cp "$DEMO/chi-tieu/$code.csv" "$WORK/drop-$code/$folder/chi-tieu.csv"
    cp "$DEMO/replies/$code.txt" "$WORK/drop-$code/$folder/.bao-cao.txt.part"
    mv "$WORK/drop-$code/$folder/.bao-cao.txt.part" "$WORK/drop-$code/$folder/bao-cao.txt"
}

# stop_dashboard: SIGTERM, then a clean exit (0) with no sanitizer report in
# its log (under BC_SANITIZE a leak or UB makes itself heard here).
stop_dashboard() {
    stop_pid "$DASH_PID"
    local rc=0
    wait "$DASH_PID" 2>/dev/null || rc=$?
    [ $rc -eq 0 ] || fail "the dashboard exited $rc on SIGTERM"
    if grep -E 'runtime error|AddressSanitizer|LeakSanitizer' "$WORK/dashboard.log"; then
        fail "the dashboard's log has a sanitizer report"
    fi
}
