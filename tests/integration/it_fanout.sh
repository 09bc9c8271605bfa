# it_fanout - one request fanned out to several agents on loopback, each
# receiving it in its drop folder and answering receipt 01 (arrived)
. "$(dirname "$0")/lib.sh"
it_setup
start_broker
CODES="000.00.04.H45 000.00.05.H45 000.00.19.H45"
for c in $CODES; do
    start_agent "$c" "$(agency_name "$c")"
done
make_request "$WORK/request.json" 259200
cli request send "$WORK/request.json" | tee "$WORK/send.out"
grep -q "1005/STTTT-TTBCXB" "$WORK/send.out" || fail "send did not name the request"

for c in $CODES; do
    wait_for 20 "$c received the request" test -s "$WORK/drop-$c/1005-STTTT-TTBCXB/YEU-CAU.txt"
    grep -q "Chỉ thị" "$WORK/drop-$c/1005-STTTT-TTBCXB/YEU-CAU.txt" \
        || fail "YEU-CAU.txt of $c does not show the request"
done
for c in $CODES; do
    wait_for 20 "$c acknowledged arrival" status_in 1005/STTTT-TTBCXB "$c" ARRIVED PROCESSING
done
# An agency without an agent stays pending, and every addressed agency is listed once.
cli status 1005/STTTT-TTBCXB | tee "$WORK/status.out"
[ "$(status_of 1005/STTTT-TTBCXB 000.00.06.H45)" = PENDING ] || fail "offline agency is not pending"
n=$(cli --json status 1005/STTTT-TTBCXB | jq '.agencies | length')
[ "$n" = 18 ] || fail "status lists $n agencies, expected 18"
cli request list | grep -q "1005/STTTT-TTBCXB" || fail "request list does not show the request"
echo "ok: fan-out to 3 agents, 18 deliveries listed"
