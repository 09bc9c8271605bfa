# it_offline_agent - an agent started only after the request was issued still
# receives it; so does one whose broker was restarted between issue and delivery
. "$(dirname "$0")/lib.sh"
it_setup
start_broker
make_request "$WORK/request.json" 259200
cli request send "$WORK/request.json" >/dev/null

# Broker restarted between issue and delivery: nothing is lost.
stop_broker
start_broker
A=000.00.08.H45
start_agent "$A" "$(agency_name "$A")"
wait_for 20 "late-starting agent received the request" \
    test -s "$WORK/drop-$A/1005-STTTT-TTBCXB/YEU-CAU.txt"

# The agent is down while the broker restarts, and comes back afterwards.
B=000.00.09.H45
start_agent "$B" "$(agency_name "$B")"
wait_for 20 "second agent received the request" test -s "$WORK/drop-$B/1005-STTTT-TTBCXB/YEU-CAU.txt"
stop_pid "$AGENT_PID"
rm -rf "$WORK/drop-$B/1005-STTTT-TTBCXB"
stop_broker
start_broker
start_agent "$B" "$(agency_name "$B")"
wait_for 20 "restarted agent received the request again" \
    test -s "$WORK/drop-$B/1005-STTTT-TTBCXB/YEU-CAU.txt"

# An agent that is running while the broker restarts says hello again by itself.
C=000.00.10.H45
start_agent "$C" "$(agency_name "$C")"
sleep 0.2   # let it connect before the request exists; its hello finds nothing
make_request "$WORK/request2.json" 259200 1006
stop_broker
start_broker
cli request send "$WORK/request2.json" >/dev/null
wait_for 20 "running agent received a request issued after a broker restart" \
    test -s "$WORK/drop-$C/1006-STTTT-TTBCXB/YEU-CAU.txt"
echo "ok: offline and restarted agents receive every request"
