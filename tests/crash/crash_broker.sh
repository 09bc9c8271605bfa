# crash_broker - kill -9 the broker at random moments while 16 agencies submit
# 2,000 reports; restart it each time (at least 20 cycles). Every report whose
# ack a client received must be stored exactly once, and every report lands.
. "$(dirname "$0")/../integration/lib.sh"
it_setup
AGENTS=${CRASH_AGENTS:-16}
REPORTS=${CRASH_REPORTS:-125}
CYCLES=${CRASH_CYCLES:-20}
LOAD="$BC_BIN_DIR/tests/crash/crash_load"
CHECK="$BC_BIN_DIR/tests/crash/crash_check"
start_broker
make_request "$WORK/request.json" 259200
"$LOAD" "$ENDPOINT" "$DEMO/agencies.csv" "$WORK/request.json" "$AGENTS" "$REPORTS" \
    "$WORK/acked" >"$WORK/load.out" 2>"$WORK/load.log" &
LOAD_PID=$!
PIDS+=("$LOAD_PID")
cycles=0
while [ $cycles -lt "$CYCLES" ] && kill -0 "$LOAD_PID" 2>/dev/null; do
    # A random moment: 20..300 ms into the broker's life, mid-commit or not.
    sleep "0.$(printf '%03d' $(( RANDOM % 280 + 20 )))"
    kill -KILL "$BROKER_PID"
    wait "$BROKER_PID" 2>/dev/null || true
    cycles=$(( cycles + 1 ))
    start_broker
done
wait "$LOAD_PID" || { cat "$WORK/load.out" "$WORK/load.log"; fail "the clients did not finish"; }
cat "$WORK/load.out"
stop_broker
[ $cycles -ge "$CYCLES" ] || echo "# note: the load finished after $cycles kill cycles"
"$CHECK" "$WORK/store" "$WORK/acked" $(( AGENTS * REPORTS )) "$cycles"
