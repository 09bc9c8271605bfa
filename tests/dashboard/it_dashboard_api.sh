# it_dashboard_api - every endpoint of baocao-dashboard over HTTP against a
# real broker (CURVE on) and agents: pages, JSON (checked with jq), metrics,
# and bad URLs and parameters answered 4xx while the dashboard stays up
. "$(dirname "$0")/dash_lib.sh"
it_setup
province_init
dash_start_broker
A=000.00.04.H45         # answers
B=000.00.05.H45         # connected, never answers
for c in $A $B; do
    start_agent "$c" "$(agency_name "$c")"
done
FOLDER=1005-STTTT-TTBCXB
CIT=1005/STTTT-TTBCXB
make_request "$WORK/request.json" 259200
cli request send "$WORK/request.json" >/dev/null
start_dashboard
wait_for 20 "dashboard subscribed to the feed over CURVE" metric_is baocao_dashboard_feed_up 1
grep -q CURVE "$WORK/dashboard.log" || fail "the dashboard did not use CURVE"

# The request list.
api requests >"$WORK/list.json"
jq -e '.requests | length == 1' "$WORK/list.json" >/dev/null || fail "list: not one request"
KEY=$(jq -r '.requests[0].key' "$WORK/list.json")
ENC=$(urlenc "$KEY")
echo "# request key $KEY, in a URL $ENC"
jq -e --arg c "$CIT" '.requests[0] | .citation == $c and .addressed == 18 and (.reported // 0) == 0
    and (.deadline | test("\\+07:00$")) and .issuer.code == "000.00.07.H45"' "$WORK/list.json" \
    >/dev/null || fail "list entry: $(jq -c '.requests[0]' "$WORK/list.json")"
jq -e '.seq | test("^[0-9]+$")' "$WORK/list.json" >/dev/null || fail "list: no sequence number"

# One agency answers; the dashboard shows it.
wait_for 20 "A received the request" test -s "$WORK/drop-$A/$FOLDER/YEU-CAU.txt"
drop_reply $A $FOLDER
wait_for 30 "A reported, as the dashboard shows" dash_status_is "$KEY" $A REPORTED
api "requests/$ENC" >"$WORK/req.json"
jq -e --arg a $A '
    .entry.reported == 1 and .entry.addressed == 18
    and (.agencies | length) == 18
    and ([.agencies[] | select(.status.agency.code == $a)][0]
         | .statusLabel == "Đã báo cáo" and .timelinessLabel == "Đúng hạn"
           and .status.timeliness == "ON_TIME" and .status.revision == 1)
    and (.timeline | length) == 1 and .timeline[0].agency.code == $a and .timeline[0].revision == 1
    and (.summary.items | length) > 0 and (.summary.indicators | length) > 0' "$WORK/req.json" \
    >/dev/null || fail "request JSON: $(head -c 800 "$WORK/req.json")"
wait_for 20 "A's agent shown online" sh -c "curl -s '$DASH_URL/api/requests/$ENC?view=status' | jq -e --arg a $A '.agencies[] | select(.status.agency.code == \$a) | .presence.online' >/dev/null"
api "requests/$ENC?view=status&pretty=1" >"$WORK/status.json"
jq -e 'has("summary") | not' "$WORK/status.json" >/dev/null || fail "view=status carries the summary"
grep -q '^  "entry": {' "$WORK/status.json" || fail "pretty=1 is not indented"
# The citation alone names it too, encoded or with a literal slash.
api "requests/$(urlenc "$CIT")?view=status" | jq -e --arg k "$KEY" '.entry.key == $k' >/dev/null \
    || fail "the citation does not name the request"
api "requests/$CIT?view=status" | jq -e --arg k "$KEY" '.entry.key == $k' >/dev/null \
    || fail "the citation with a literal slash does not name the request"

# Pages: Vietnamese, self-contained, the row of A reported.
expect_status 200 "/"
grep -q '<html lang="vi"' "$WORK/body" || fail "the requests page is not in Vietnamese"
grep -q 'Tình hình báo cáo' "$WORK/body" || fail "the requests page lacks its title"
grep -q "/r/$ENC" "$WORK/body" || fail "the requests page does not link the request (URL-encoded)"
grep -Eq '(src|href)="(https?:)?//' "$WORK/body" && fail "the requests page loads an external asset"
expect_status 200 "/r/$ENC"
cp "$WORK/body" "$WORK/page.html"
grep -q "id=\"a-$A\" class=\"row s-reported t-on_time\"" "$WORK/page.html" || fail "A's row is not reported"
grep -q 'Đã báo cáo' "$WORK/page.html" || fail "the request page lacks 'Đã báo cáo'"
grep -q "id=\"a-$B\"" "$WORK/page.html" || fail "B's row is missing"
[ "$(grep -c '<svg' "$WORK/page.html")" -ge 3 ] || fail "fewer than 3 charts (completeness, timeline, indicators)"
grep -q 'Dòng thời gian nhận báo cáo' "$WORK/page.html" || fail "no timeline"
grep -q 'Tổng hợp nội dung theo đề cương' "$WORK/page.html" || fail "no summary by outline item"
grep -Eq '(src|href)="(https?:)?//' "$WORK/page.html" && fail "the request page loads an external asset"
expect_status 200 "/r/$ENC?display=projector"
grep -q '<html lang="vi" class="large contrast">' "$WORK/body" || fail "projector display not applied"
curl -s -D "$WORK/headers" -o /dev/null "$DASH_URL/r/$ENC"
grep -qi "^content-security-policy: default-src 'none'; script-src 'sha256-" "$WORK/headers" \
    || fail "pages are served without a strict CSP"
grep -qi '^content-type: text/html; charset=utf-8' "$WORK/headers" || fail "page content type"
[ "$(curl -s -o /dev/null -w '%{http_code}' -I "$DASH_URL/")" = 200 ] || fail "HEAD / refused"

# Metrics.
curl -s "$DASH_URL/metrics" >"$WORK/metrics.txt"
for m in 'baocao_requests 1' 'baocao_reports_stored 1' 'baocao_deliveries{status="REPORTED"} 1' \
         'baocao_dashboard_store_up 1' 'baocao_dashboard_sse_clients 0' 'baocao_dashboard_feed_up 1' \
         'baocao_agencies 19' 'baocao_dashboard_sse_clients_max 2000'; do
    grep -qxF "$m" "$WORK/metrics.txt" || fail "metrics lack: $m"
done
for m in baocao_store_size_bytes baocao_store_map_bytes baocao_agents_online \
         'baocao_dashboard_events_received_total{kind="report.stored"}'; do
    metric_ge "$m" 1 || fail "metric $m is not positive"
done
grep -q '^baocao_store_map_used_ratio 0\.' "$WORK/metrics.txt" || fail "no map use ratio"
grep -q '^# TYPE baocao_deliveries gauge' "$WORK/metrics.txt" || fail "metrics lack TYPE lines"

# Bad URLs and parameters: a 4xx each, never a crash.
LONG=$(head -c 3000 /dev/zero | tr '\0' a)
expect_status 404 "/nope"
expect_status 404 "/api/nope"
expect_status 404 "/r/$(urlenc 9999/XX-YY)"
expect_status 404 "/api/requests/$(urlenc 000.00.07.H45,2026-01-01,1/XX-YY)"
expect_status 400 "/r/"
expect_status 400 "/r/not-a-request"
expect_status 400 "/r/%ZZ"
expect_status 400 "/r/%FF%FE%00"
expect_status 400 "/r/1005%00x"
expect_status 400 "/r/../../etc/passwd" --path-as-is
expect_status 400 "/r/$(head -c 200 /dev/zero | tr '\0' 9)%2FX-Y"
expect_status 400 "/api/requests/,,,"
expect_status 400 "/api/requests?pretty=2"
expect_status 400 "/api/requests?foo=1"
jq -e '.status == 400 and .error == "bad_parameter"' "$WORK/body" >/dev/null \
    || fail "a bad parameter's JSON error: $(cat "$WORK/body")"
expect_status 400 "/api/requests?pretty=1&pretty=1"
expect_status 400 "/api/requests/$ENC?view=everything"
expect_status 400 "/?display=huge"
expect_status 400 "/metrics?x"
expect_status 400 "/events?request="
expect_status 400 "/events?request=$ENC&x=1"
expect_status 404 "/events?request=$(urlenc 9999/XX-YY)"
expect_status 400 "/events" -H "Last-Event-ID: <script>"
expect_status 405 "/" -X POST -d 'x=1'
expect_status 405 "/api/requests" -X DELETE
expect_status 405 "/events" -I
expect_status 414 "/r/$LONG"
expect_status 431 "/" -H "X-Big: $(head -c 40000 /dev/zero | tr '\0' a)"
# Garbage on the socket, and a request line with no HTTP at all.
printf 'GARBAGE\r\n\r\n' | timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/${DASH_URL##*:}; cat >&3; cat <&3" >/dev/null 2>&1 || true
printf '\x00\x01\x02\xff\r\n\r\n' | timeout 5 bash -c "exec 3<>/dev/tcp/127.0.0.1/${DASH_URL##*:}; cat >&3; cat <&3" >/dev/null 2>&1 || true
kill -0 "$DASH_PID" || fail "the dashboard died"
expect_status 200 "/healthz"

# A second request with the same citation: the citation alone is ambiguous.
jq '.promulgationDate = "2026-11-21"' "$WORK/request.json" >"$WORK/request2.json"
cli request send "$WORK/request2.json" >/dev/null
wait_for 20 "the second request's event" metric_ge 'baocao_dashboard_events_received_total{kind="request.issued"}' 1
wait_for 20 "two requests listed" sh -c "curl -s '$DASH_URL/api/requests' | jq -e '.requests | length == 2' >/dev/null"
expect_status 409 "/api/requests/$(urlenc "$CIT")"
jq -e '.error == "ambiguous" and (.candidates | length) == 2' "$WORK/body" >/dev/null \
    || fail "409 without its candidates: $(cat "$WORK/body")"
expect_status 409 "/r/$(urlenc "$CIT")"
expect_status 200 "/api/requests/$ENC"

# A clean stop on SIGTERM.
stop_dashboard
echo "ok: dashboard API, pages, metrics and 4xx for bad input"
