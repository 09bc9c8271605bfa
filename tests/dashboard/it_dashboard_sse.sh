# it_dashboard_sse - live updates over Server-Sent Events: a snapshot then
# sequenced updates; a report.stored update arrives when an agent submits; a
# client reconnecting with Last-Event-ID gets exactly what it missed, or a
# fresh snapshot when that is older than the ring; presence changes go live
. "$(dirname "$0")/dash_lib.sh"
it_setup
province_init
dash_start_broker
A=000.00.04.H45
B=000.00.05.H45
for c in $A $B; do
    start_agent "$c" "$(agency_name "$c")"
    eval "AGENT_$(echo "$c" | tr -d .)=$AGENT_PID"
done
FOLDER=1005-STTTT-TTBCXB
make_request "$WORK/request.json" 259200
cli request send "$WORK/request.json" >/dev/null
for c in $A $B; do
    wait_for 20 "$c received the request" test -s "$WORK/drop-$c/$FOLDER/YEU-CAU.txt"
done
# A small ring, so that a gap older than it is easy to make.
printf '[dashboard]\nring_events = 16\nkeepalive_s = 2\npresence_poll_ms = 500\n' >"$WORK/dash.conf"
start_dashboard --config "$WORK/dash.conf"
wait_for 20 "dashboard subscribed to the feed" metric_is baocao_dashboard_feed_up 1
KEY=$(api requests | jq -r '.requests[0].key')
ENC=$(urlenc "$KEY")

# sse OUT [curl args...]: a stream of this request's updates into OUT; sets SSE_PID.
sse() {
    local out=$1
    shift
    curl -s -N --max-time 150 "$@" "$DASH_URL/events?request=$ENC" >"$out" &
    SSE_PID=$!
    PIDS+=("$SSE_PID")
}
# events FILE: one line per SSE event: id TAB event TAB data.
events() {
    awk 'BEGIN { RS = ""; FS = "\n" }
         { id = ""; ev = ""; data = ""
           for (i = 1; i <= NF; i++) {
               if ($i ~ /^id: /) id = substr($i, 5)
               else if ($i ~ /^event: /) ev = substr($i, 8)
               else if ($i ~ /^data: /) data = substr($i, 7)
           }
           if (ev != "") print id "\t" ev "\t" data }' "$1"
}
# has_update FILE KIND CODE: FILE holds an update of KIND about agency CODE.
has_update() {
    events "$1" | awk -F'\t' '$2 == "update" { print $3 }' \
        | jq -e --arg k "$2" --arg c "$3" 'select(.kind == $k and .event.agencyCode == $c)' >/dev/null
}
update_of() {
    events "$1" | awk -F'\t' '$2 == "update"' | while IFS=$'\t' read -r id ev data; do
        if echo "$data" | jq -e --arg k "$2" --arg c "$3" '.kind == $k and .event.agencyCode == $c' >/dev/null; then
            printf '%s\t%s\n' "$id" "$data"
            break
        fi
    done
}

sse "$WORK/all.sse"
ALL_PID=$SSE_PID
curl -s -N --max-time 150 "$DASH_URL/events" >"$WORK/everything.sse" &
EVERY_PID=$!
PIDS+=("$EVERY_PID")
wait_for 20 "first snapshot" grep -q '^event: snapshot' "$WORK/all.sse"
wait_for 20 "list snapshot" grep -q '^event: snapshot' "$WORK/everything.sse"
awk 'NR <= 3 && /^retry: 3000$/ { found = 1 } END { exit !found }' "$WORK/all.sse" \
    || fail "no retry field first"
events "$WORK/all.sse" | awk 'NR == 1' | cut -f3 | jq -e --arg k "$KEY" \
    '.request.entry.key == $k and (.request.agencies | length) == 18 and (.request | has("summary") | not)
     and (.seq | test("^[0-9]+$")) and (.reset | not)' >/dev/null \
    || fail "request snapshot: $(head -c 400 "$WORK/all.sse")"
events "$WORK/everything.sse" | awk 'NR == 1' | cut -f3 | jq -e --arg k "$KEY" \
    '.list.requests[0].key == $k' >/dev/null || fail "list snapshot"
wait_for 10 "two SSE clients counted" metric_is baocao_dashboard_sse_clients 2

# A submits: its report.stored update arrives, carrying the state after it.
drop_reply $A $FOLDER
wait_for 30 "A's report.stored update" has_update "$WORK/all.sse" report.stored $A
IFS=$'\t' read -r A_ID A_DATA < <(update_of "$WORK/all.sse" report.stored $A)
echo "# A's update $A_ID"
echo "$A_DATA" | jq -e --arg a $A --arg k "$KEY" '
    .kind == "report.stored" and .requestKey == $k and .event.agencyCode == $a
    and .event.status == "REPORTED" and .event.revision == 1
    and .agency.status.status == "REPORTED" and .agency.statusLabel == "Đã báo cáo"
    and .request.reported == 1 and .request.addressed == 18' >/dev/null \
    || fail "A's update: $A_DATA"
A_SEQ=${A_ID##*-}
RUN=${A_ID%-*}
[ "$(echo "$A_DATA" | jq -r .seq)" = "$A_SEQ" ] || fail "the SSE id and the update's seq differ"
wait_for 10 "the list stream has it too" has_update "$WORK/everything.sse" report.stored $A
# Sequence numbers only grow.
events "$WORK/everything.sse" | awk -F'\t' '$1 != "" { split($1, p, "-"); if (p[2] + 0 <= last + 0 && NR > 1) bad = 1; last = p[2] }
    END { exit bad }' || fail "sequence numbers do not grow"

# The page's client goes away; B submits meanwhile.
kill "$ALL_PID"
wait "$ALL_PID" 2>/dev/null || true
drop_reply $B $FOLDER
wait_for 30 "B's update reached the dashboard" has_update "$WORK/everything.sse" report.stored $B

# It reconnects with the last id it saw: exactly what it missed, no snapshot.
sse "$WORK/resumed.sse" -H "Last-Event-ID: $A_ID"
wait_for 20 "B's update replayed" has_update "$WORK/resumed.sse" report.stored $B
kill "$SSE_PID"
grep -q '^event: snapshot' "$WORK/resumed.sse" && fail "a resumable reconnection got a snapshot"
has_update "$WORK/resumed.sse" report.stored $A && fail "the reconnection got A's update again"
events "$WORK/resumed.sse" | awk -F'\t' -v s="$A_SEQ" '$2 == "update" { split($1, p, "-"); if (p[2] + 0 <= s + 0) exit 1 }' \
    || fail "replayed an update at or before Last-Event-ID"
metric_is baocao_dashboard_sse_resumed_total 1 || fail "the resumption is not counted"

# An id of another run of the dashboard: a fresh snapshot, marked reset.
sse "$WORK/other-run.sse" -H "Last-Event-ID: 0-1"
wait_for 20 "snapshot for another run's id" grep -q '^event: snapshot' "$WORK/other-run.sse"
kill "$SSE_PID"
events "$WORK/other-run.sse" | awk 'NR == 1' | cut -f3 | jq -e '.reset == true and .request.entry.reported == 2' \
    >/dev/null || fail "another run's id: $(head -c 300 "$WORK/other-run.sse")"

# More updates than the ring keeps: a reconnection from A's id is too old
# and gets a fresh snapshot instead of a partial replay.
n=0
until metric_ge baocao_dashboard_event_oldest_seq $(( A_SEQ + 2 )); do
    n=$(( n + 1 ))
    [ $n -le 40 ] || fail "the ring did not move past A's update after 40 requests"
    make_request "$WORK/r$n.json" 259200 $(( 2000 + n ))
    cli request send "$WORK/r$n.json" >/dev/null
done
echo "# issued $n more requests; oldest kept update: $(metric baocao_dashboard_event_oldest_seq)"
sse "$WORK/gap.sse" -H "Last-Event-ID: $A_ID"
wait_for 20 "snapshot after a gap" grep -q '^event: snapshot' "$WORK/gap.sse"
kill "$SSE_PID"
events "$WORK/gap.sse" | awk 'NR == 1' | cut -f3 | jq -e '.reset == true and .request.entry.reported == 2' \
    >/dev/null || fail "gap snapshot: $(head -c 300 "$WORK/gap.sse")"

# Presence goes live too: B's agent stops, the list stream says so.
stop_pid "$(eval echo "\$AGENT_$(echo $B | tr -d .)")"
wait_for 30 "B shown offline" sh -c "awk 'BEGIN { RS = \"\" } /event: update/' '$WORK/everything.sse' | grep '^data: ' | cut -c7- | jq -e --arg b $B 'select(.kind == \"presence\" and .presence.agencyCode == \$b and (.presence.online | not))' >/dev/null"

# The broker restarts on the same endpoints: the feed notices (a second
# subscription), comes back by itself and tells pages to fetch a fresh
# state; updates flow again.
restart_broker
wait_for 30 "a second subscription" metric_ge baocao_dashboard_feed_resyncs_total 2
wait_for 30 "the feed up again" metric_is baocao_dashboard_feed_up 1
wait_for 10 "a feed.resync update on the list stream" sh -c "grep -q '\"kind\":\"feed.resync\"' '$WORK/everything.sse'"
issued=$(metric 'baocao_dashboard_events_received_total{kind="request.issued"}')
make_request "$WORK/after-restart.json" 259200 3000
cli request send "$WORK/after-restart.json" >/dev/null
wait_for 20 "events after the broker's restart" \
    metric_ge 'baocao_dashboard_events_received_total{kind="request.issued"}' $(( issued + 1 ))

# Keepalives flow on an idle stream, and closed clients are freed.
wait_for 10 "a keepalive on the idle stream" grep -q '^: keepalive' "$WORK/everything.sse"
kill "$EVERY_PID"
wait_for 10 "no SSE client left" metric_is baocao_dashboard_sse_clients 0
kill -0 "$DASH_PID" || fail "the dashboard died"
stop_dashboard
echo "ok: snapshot, live report.stored, resume with Last-Event-ID, reset after a gap, presence"
