# it_bad_input - one peer floods the broker with every kind of bad message;
# each gets an Error reply or a logged drop, the broker stays up and keeps
# serving the others; SIGTERM then stops it cleanly with the store intact.
. "$(dirname "$0")/lib.sh"
it_setup
FLOOD="$BC_BIN_DIR/tests/tools/bc_flood"
start_broker
make_request "$WORK/request.json" 259200
i=0
for mode in garbage version unknown frames reports; do
    i=$(( i + 1 ))
    "$FLOOD" "$ENDPOINT" $mode 20000 | tee -a "$WORK/flood.out" &
    FPID=$!
    # While the flood runs, a coordinator is still served.
    make_request "$WORK/r-$mode.json" 259200 $(( 3000 + i ))
    cli request send "$WORK/r-$mode.json" >/dev/null || fail "coordinator not served during $mode flood"
    wait "$FPID"
    kill -0 "$BROKER_PID" || fail "broker died on $mode flood"
done
grep -q "garbage: sent 20000" "$WORK/flood.out" || fail "garbage flood did not go out"
grep -E "reports: sent 20000 of 20000, error replies [1-9]" "$WORK/flood.out" >/dev/null \
    || fail "reports for an unknown request got no Error replies"
# Oversized messages: the transport drops the peer, the broker stays up.
"$FLOOD" "$ENDPOINT" oversize 3 | tee -a "$WORK/flood.out"
kill -0 "$BROKER_PID" || fail "broker died on oversized messages"
grep -q "bad message" "$WORK/broker.log" || fail "bad messages were not logged"
lines=$(grep -c "bad message from" "$WORK/broker.log")
[ "$lines" -lt 2000 ] || fail "the flood flooded the log too: $lines lines"
grep -q "BC-BROKER-BADMSG" "$WORK/broker.log" || fail "suppressed bad messages not summed up"
cli request send "$WORK/request.json" >/dev/null || fail "broker not serving after the floods"
cli request list | grep -q "1005/STTTT-TTBCXB" || fail "request not listed"

# SIGTERM: a clean stop, exit status 0, the store opens again with everything.
kill -TERM "$BROKER_PID"
wait "$BROKER_PID"
rc=$?
[ $rc -eq 0 ] || fail "broker exited $rc on SIGTERM"
grep -q "stopping" "$WORK/broker.log" || fail "no clean stop logged"
n=$(cli --json request list | jq '.requests | length')
[ "$n" -eq 6 ] || fail "expected 6 stored requests after the floods, found $n"
echo "ok: floods of bad input refused, others served, clean stop"
