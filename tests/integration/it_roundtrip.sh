# it_roundtrip - departments answer from their drop folders; the broker stores
# each answer once; a revision supersedes; late and missing are reported as such
. "$(dirname "$0")/lib.sh"
it_setup
start_broker
REQ=1005/STTTT-TTBCXB
FOLDER=1005-STTTT-TTBCXB
ONTIME=000.00.04.H45    # answers before the deadline
REVISER=000.00.19.H45   # answers, resends the same file, then a revision
LATE=000.00.13.H45      # answers after the deadline
MISSING=000.00.05.H45   # never answers
for c in $ONTIME $REVISER $LATE $MISSING; do
    start_agent "$c" "$(agency_name "$c")"
done
make_request "$WORK/request.json" 259200
cli request send "$WORK/request.json" >/dev/null
for c in $ONTIME $REVISER $LATE $MISSING; do
    wait_for 20 "$c received the request" test -s "$WORK/drop-$c/$FOLDER/YEU-CAU.txt"
done
# Nothing ready yet: the agents say they are processing (receipt 05).
wait_for 20 "missing agency shows processing" status_in $REQ $MISSING PROCESSING

drop_reply() {   # drop_reply CODE [NAME]: staff put the prepared reply in place
    local code=$1 name=${2:-bao-cao.txt}
    cp "$DEMO/chi-tieu/$code.csv" "$WORK/drop-$code/$FOLDER/chi-tieu.csv"
    cp "$DEMO/replies/$code.txt" "$WORK/drop-$code/$FOLDER/.$name.part"
    mv "$WORK/drop-$code/$FOLDER/.$name.part" "$WORK/drop-$code/$FOLDER/$name"
}
revision_of() {
    cli --json summary "$REQ" --format json | jq -r --arg c "$1" \
        '.agencies[] | select(.agency.code == $c) | .revision // 0'
}
revision_is() { [ "$(revision_of "$1")" = "$2" ]; }

drop_reply $ONTIME
wait_for 20 "on-time report stored" status_in $REQ $ONTIME REPORTED
wait_for 20 "on-time report moved to sent/" test -s "$WORK/drop-$ONTIME/$FOLDER/sent/bao-cao.txt"
grep -q "đúng hạn" "$WORK/drop-$ONTIME/$FOLDER/sent/BIEN-NHAN.txt" || fail "receipt line missing"

drop_reply $REVISER
wait_for 20 "reviser's first report stored" revision_is $REVISER 1
# The same document again (staff copy it twice): same report id, nothing new.
wait_for 20 "first copy moved to sent/" test -s "$WORK/drop-$REVISER/$FOLDER/sent/bao-cao.txt"
drop_reply $REVISER bao-cao-ban-sao.txt
wait_for 20 "duplicate acknowledged" test -s "$WORK/drop-$REVISER/$FOLDER/sent/bao-cao-ban-sao.txt"
revision_is $REVISER 1 || fail "a duplicate submission stored a new revision"
# A corrected document is the next revision and supersedes the first.
sed 's/^1\. \(.*\)$/1. \1 (bổ sung)/' "$DEMO/replies/$REVISER.txt" \
    >"$WORK/drop-$REVISER/$FOLDER/.v2.part"
mv "$WORK/drop-$REVISER/$FOLDER/.v2.part" "$WORK/drop-$REVISER/$FOLDER/bao-cao-v2.txt"
wait_for 20 "revision 2 stored" revision_is $REVISER 2
cli summary "$REQ" --format json | jq -e --arg c $REVISER \
    '[.items[] | (.contributions // [])[] | select(.agency.code == $c) | .section.title] | any(test("bổ sung"))' \
    >/dev/null || fail "the summary does not show the latest revision"

# The deadline passes: restart the broker four days later (its clock is
# injectable), so the check runs at once instead of waiting.
stop_broker
export BC_CLOCK_OFFSET_MS=$(( 4 * 86400 * 1000 ))
start_broker
wait_for 20 "missing agency marked overdue" status_in $REQ $MISSING OVERDUE
drop_reply $LATE
wait_for 20 "late report stored" status_in $REQ $LATE REPORTED
wait_for 20 "late report moved to sent/" test -s "$WORK/drop-$LATE/$FOLDER/sent/BIEN-NHAN.txt"
grep -q "trễ hạn" "$WORK/drop-$LATE/$FOLDER/sent/BIEN-NHAN.txt" || fail "late receipt line missing"

cli summary "$REQ" --format json >"$WORK/summary.json"
timeliness() { jq -r --arg c "$1" '.agencies[] | select(.agency.code == $c) | .timeliness' "$WORK/summary.json"; }
[ "$(timeliness $ONTIME)" = ON_TIME ] || fail "$ONTIME not on time: $(timeliness $ONTIME)"
[ "$(timeliness $REVISER)" = ON_TIME ] || fail "$REVISER not on time"
[ "$(timeliness $LATE)" = LATE ] || fail "$LATE not late: $(timeliness $LATE)"
[ "$(timeliness $MISSING)" = OVERDUE_MISSING ] || fail "$MISSING not overdue: $(timeliness $MISSING)"
total=$(jq '.agencies | length' "$WORK/summary.json")
unique=$(jq '[.agencies[].agency.code] | unique | length' "$WORK/summary.json")
[ "$total" = 18 ] && [ "$unique" = 18 ] || fail "summary lists $total agencies ($unique unique), expected 18 once each"
[ "$(jq '.reported' "$WORK/summary.json")" = 3 ] || fail "reported count is not 3"
jq -e --arg c $MISSING '.missingAgencies | any(.code == $c)' "$WORK/summary.json" >/dev/null \
    || fail "missing agency not in the follow-up list"
hop_bao=$(jq -r '.indicators[] | select(.indicator.code == "HOP_BAO") | .total' "$WORK/summary.json")
want=0
for c in $ONTIME $REVISER $LATE; do
    want=$(( want + $(grep '^HOP_BAO,' "$DEMO/chi-tieu/$c.csv" | cut -d, -f2) ))
done
[ "$hop_bao" = "$want" ] || fail "HOP_BAO total $hop_bao, expected $want"
cli summary "$REQ" >"$WORK/summary.txt"
head -n 40 "$WORK/summary.txt"
grep -q "Trễ hạn" "$WORK/summary.txt" || fail "text summary does not show the late agency"
echo "ok: round trip with on-time, late, missing, duplicate and revision"
