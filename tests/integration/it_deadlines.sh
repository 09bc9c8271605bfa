# it_deadlines - the reminder policy (24 h and 2 h before the deadline) sends
# the request again to agencies that have not answered; after the deadline
# they are overdue; a late report is accepted and marked late. The broker's
# clock is moved (BC_CLOCK_OFFSET_MS) instead of waiting.
. "$(dirname "$0")/lib.sh"
it_setup
REQ=1005/STTTT-TTBCXB
FOLDER=1005-STTTT-TTBCXB
A=000.00.04.H45     # has an agent
B=000.00.05.H45     # has none
H=3600000
start_broker
start_agent "$A" "$(agency_name "$A")"
make_request "$WORK/request.json" $(( 30 * 3600 ))
cli request send "$WORK/request.json" >/dev/null
wait_for 20 "A received the request" test -s "$WORK/drop-$A/$FOLDER/YEU-CAU.txt"
[ "$(status_of $REQ $B)" = PENDING ] || fail "B is not pending"

restart_at() {   # restart_at HOURS: the broker's clock HOURS ahead
    stop_broker
    export BC_CLOCK_OFFSET_MS=$(( $1 * H ))
    start_broker
    unset BC_CLOCK_OFFSET_MS
}
history_of() {
    "$BC_BIN_DIR/tests/tools/bc_history" "$WORK/store" "$WORK/request.json" "$1"
}
reminded() { [ "$(history_of "$1" | grep -c REMINDED)" -ge "$2" ]; }

restart_at 7          # 23 h before the deadline: the 24 h reminder is due
wait_for 20 "first reminder to B" reminded $B 1
wait_for 20 "first reminder to A" reminded $A 1
history_of $A | grep -q "nhắc lần 1" || fail "reminder step without its note"
restart_at 29         # 1 h before: the 2 h reminder is due
wait_for 20 "second reminder to B" reminded $B 2
[ "$(history_of $B | grep -c REMINDED)" = 2 ] || fail "B reminded more than twice"
restart_at 31         # an hour past the deadline
export BC_CLOCK_OFFSET_MS=$(( 31 * H ))
wait_for 20 "B overdue" status_in $REQ $B OVERDUE
# A's agent answers the redelivery with fresh receipts, so its latest status
# moves on; its timeliness is what says it is overdue.
timeliness_of() { cli summary $REQ --format json | jq -r --arg c "$1" '.agencies[] | select(.agency.code == $c) | .timeliness'; }
a_overdue() { [ "$(timeliness_of $A)" = OVERDUE_MISSING ]; }
wait_for 20 "A overdue" a_overdue
history_of $A | grep -q OVERDUE || fail "A's history has no overdue step"
cp "$DEMO/replies/$A.txt" "$WORK/drop-$A/$FOLDER/.x.part"
mv "$WORK/drop-$A/$FOLDER/.x.part" "$WORK/drop-$A/$FOLDER/bao-cao.txt"
wait_for 30 "the late report stored" status_in $REQ $A REPORTED
t=$(cli summary $REQ --format json | jq -r --arg c $A '.agencies[] | select(.agency.code == $c) | .timeliness')
[ "$t" = LATE ] || fail "A's report is $t, expected LATE"
history_of $B
echo "ok: reminders at 24 h and 2 h, overdue after the deadline, late report marked late"
