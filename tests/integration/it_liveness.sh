# it_liveness - a silent agent is shown offline with its last-seen time in
# `baocao status`; a dead broker is noticed and the agent reconnects by
# itself when it comes back, with nothing for an operator to do.
. "$(dirname "$0")/lib.sh"
it_setup
printf '[broker]\nsecurity = none\nrequire_signatures = no\nsession_timeout_ms = 1500\npresence_flush_ms = 200\n' \
    >"$WORK/broker.conf"
A=000.00.04.H45
B=000.00.05.H45
start_broker
start_agent "$A" "$(agency_name "$A")"
start_agent "$B" "$(agency_name "$B")"
BPID=$AGENT_PID
make_request "$WORK/request.json" 259200
cli request send "$WORK/request.json" >/dev/null
wait_for 20 "B received the request" test -s "$WORK/drop-$B/1005-STTTT-TTBCXB/YEU-CAU.txt"
connected() { cli --json status 1005/STTTT-TTBCXB | jq -e --arg c "$1" '.agencies[] | select(.agency.code == $c) | .online == true' >/dev/null; }
wait_for 10 "A shown online" connected "$A"
wait_for 10 "B shown online" connected "$B"

# B's agent is frozen (a hung process, a pulled cable): it goes silent.
kill -STOP "$BPID"
offline() { ! connected "$1" && cli --json status 1005/STTTT-TTBCXB | jq -e --arg c "$1" '.agencies[] | select(.agency.code == $c) | .lastSeen != null' >/dev/null; }
wait_for 15 "silent B shown offline with its last-seen time" offline "$B"
cli status 1005/STTTT-TTBCXB | tee "$WORK/status.txt" | grep "$B" | grep -q "ngoại tuyến, lần cuối" \
    || fail "status does not show B offline with its last-seen time"
connected "$A" || fail "A, still beating, is not online"
kill -CONT "$BPID"
wait_for 15 "B back online by itself" connected "$B"

# The broker dies; the agents notice and come back when it does.
kill -KILL "$BROKER_PID"
wait "$BROKER_PID" 2>/dev/null || true
sleep 2
start_broker
wait_for 20 "A reconnected by itself" connected "$A"
wait_for 20 "B reconnected by itself" connected "$B"
grep -q "lost the connection\|lost broker\|does not know our session" "$WORK/agent-$A.log" || fail "A did not notice the dead broker"
echo "ok: silent agents shown offline with last seen; agents reconnect by themselves"
