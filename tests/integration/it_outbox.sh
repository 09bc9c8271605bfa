# it_outbox - a report taken while the broker is down is persisted in the
# agent's outbox; the agent is killed and the document deleted; after both
# restart, the report is still sent and stored, exactly as it was taken.
. "$(dirname "$0")/lib.sh"
it_setup
A=000.00.04.H45
FOLDER=1005-STTTT-TTBCXB
start_broker
start_agent "$A" "$(agency_name "$A")"
make_request "$WORK/request.json" 259200
cli request send "$WORK/request.json" >/dev/null
wait_for 20 "the agent received the request" test -s "$WORK/drop-$A/$FOLDER/YEU-CAU.txt"

stop_broker
cp "$DEMO/replies/$A.txt" "$WORK/drop-$A/$FOLDER/.x.part"
mv "$WORK/drop-$A/$FOLDER/.x.part" "$WORK/drop-$A/$FOLDER/bao-cao.txt"
wait_for 20 "the report was taken into the outbox" grep -q "took document" "$WORK/agent-$A.log"
kill -KILL "$AGENT_PID"
wait "$AGENT_PID" 2>/dev/null || true
rm "$WORK/drop-$A/$FOLDER/bao-cao.txt"

start_broker
start_agent "$A" "$(agency_name "$A")"
wait_for 30 "the outbox report was stored" status_in 1005/STTTT-TTBCXB "$A" REPORTED
grep -q "from the outbox to send again" "$WORK/agent-$A.log" || fail "the agent did not use its outbox"
title=$(cli summary 1005/STTTT-TTBCXB --format json | jq -r --arg c "$A" \
    '[.items[] | (.contributions // [])[] | select(.agency.code == $c)] | length')
[ "$title" -ge 1 ] || fail "the stored report has no sections"
echo "ok: a report in the outbox survives the agent's crash and its document's removal"
