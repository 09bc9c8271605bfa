# crash_fanout - the broker killed with -9 while a request is being fanned out:
# once the coordinator has an ack, every addressed agency receives the request,
# and each delivery records its arrival once.
. "$(dirname "$0")/../integration/lib.sh"
it_setup
CYCLES=${CRASH_FANOUT_CYCLES:-5}
start_broker
CODES=$(jq -r '.recipients[].code' "$DEMO/request.json")
for c in $CODES; do
    start_agent "$c" "$(agency_name "$c")"
done
for n in $(seq 1 "$CYCLES"); do
    number=$(( 2000 + n ))
    make_request "$WORK/request-$n.json" 259200 "$number"
    cli request send "$WORK/request-$n.json" >"$WORK/send-$n.out" 2>&1 &
    SEND=$!
    sleep "0.0$(( RANDOM % 9 ))"
    kill -KILL "$BROKER_PID"
    wait "$BROKER_PID" 2>/dev/null || true
    wait "$SEND" && acked=1 || acked=0
    start_broker
    if [ $acked -eq 0 ]; then
        # The coordinator saw no ack: it sends again; "already stored" is fine.
        cli request send "$WORK/request-$n.json" >/dev/null 2>&1 || \
            cli --json status "$number/STTTT-TTBCXB" >/dev/null || fail "request $number lost"
    fi
    for c in $CODES; do
        wait_for 30 "$c received request $number" test -s "$WORK/drop-$c/$number-STTTT-TTBCXB/YEU-CAU.txt"
    done
    arrived_once() {
        [ "$(cli --json status "$number/STTTT-TTBCXB" | jq '[.agencies[] | select(.status == "ARRIVED" or .status == "PROCESSING")] | length')" = 18 ]
    }
    wait_for 30 "every agency acknowledged request $number" arrived_once
    echo "# cycle $n: request $number acked before the kill: $acked; all 18 agencies received it"
done
echo "cycles $CYCLES, requests $CYCLES, every one delivered to all 18 agencies"
