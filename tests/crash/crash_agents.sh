# crash_agents - agents started before the broker; then agents killed with -9
# mid-submission and restarted, again and again: every document staff put in
# a drop folder is stored exactly once, and every one lands.
. "$(dirname "$0")/../integration/lib.sh"
it_setup
DOCS=${CRASH_DOCS:-10}
CYCLES=${CRASH_CYCLES:-20}
CODES="000.00.04.H45 000.00.05.H45 000.00.06.H45 000.00.08.H45"
FOLDER=1005-STTTT-TTBCXB
declare -A APID

# (c) agents first: they wait for a broker that is not there yet.
BROKER_ENDPOINT="tcp://127.0.0.1:$(free_port)"
ENDPOINT=$BROKER_ENDPOINT
for c in $CODES; do
    start_agent "$c" "$(agency_name "$c")"
    APID[$c]=$AGENT_PID
done
start_broker
make_request "$WORK/request.json" 259200
cli request send "$WORK/request.json" >/dev/null
for c in $CODES; do
    wait_for 30 "$c received the request (agent started before the broker)" \
        test -s "$WORK/drop-$c/$FOLDER/YEU-CAU.txt"
done
echo "# agents started before the broker received the request"

# (b) staff drop DOCS distinct documents into every folder while agents die.
for c in $CODES; do
    for i in $(seq 1 "$DOCS"); do
        { cat "$DEMO/replies/$c.txt"; echo "Phụ lục $i."; } >"$WORK/drop-$c/$FOLDER/.d$i.part"
        mv "$WORK/drop-$c/$FOLDER/.d$i.part" "$WORK/drop-$c/$FOLDER/bao-cao-$i.txt"
    done
done
cycles=0
while [ $cycles -lt "$CYCLES" ]; do
    sleep "0.$(printf '%03d' $(( RANDOM % 250 + 50 )))"
    victim=$(echo $CODES | cut -d' ' -f$(( RANDOM % 4 + 1 )))
    kill -KILL "${APID[$victim]}" 2>/dev/null || true
    wait "${APID[$victim]}" 2>/dev/null || true
    start_agent "$victim" "$(agency_name "$victim")"
    APID[$victim]=$AGENT_PID
    cycles=$(( cycles + 1 ))
done
sent_count() { ls "$WORK/drop-$1/$FOLDER/sent/" 2>/dev/null | grep -c '^bao-cao-' || true; }
all_sent() {
    for c in $CODES; do [ "$(sent_count "$c")" -eq "$DOCS" ] || return 1; done
}
wait_for 120 "every document acknowledged and moved to sent/" all_sent
stop_broker
"$BC_BIN_DIR/tests/crash/crash_check" "$WORK/store" - $(( 4 * DOCS )) "$cycles"
