# it_dashboard_load - 1,000 SSE clients open at once on loopback, then close:
# the dashboard counts them right, refuses the one over its bound with 503,
# frees every stream when they go, and still answers; twice, so a leak shows
. "$(dirname "$0")/dash_lib.sh"
LOAD="$BC_BIN_DIR/tests/dashboard/bc_sse_load"
N=${BC_SSE_CLIENTS:-1000}
it_setup
province_init
dash_start_broker
make_request "$WORK/request.json" 259200
cli request send "$WORK/request.json" >/dev/null
start_dashboard --sse-clients-max "$N"
wait_for 20 "dashboard subscribed to the feed" metric_is baocao_dashboard_feed_up 1
PORT=${DASH_URL##*:}
KEY=$(api requests | jq -r '.requests[0].key')
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$DASH_PID/status"; }
echo "# dashboard RSS before: $(rss) kB"

for round in 1 2; do
    # One client more than the bound: exactly one is refused.
    out=$("$LOAD" "$PORT" /events $(( N + 1 )) 90 "$DASH_PID") || { echo "$out"; fail "round $round: clients failed"; }
    echo "# round $round: $out"
    set -- $out
    [ "$4" = "$N" ] || fail "round $round: $4 snapshots, expected $N"
    [ "$6" = 1 ] || fail "round $round: $6 refused, expected 1"
    [ "${12}" = "$N" ] || fail "round $round: the dashboard counted ${12} clients, expected $N"
    wait_for 20 "every stream freed (round $round)" metric_is baocao_dashboard_sse_clients 0
    expect_status 200 /healthz
    expect_status 200 "/api/requests/$(urlenc "$KEY")?view=status"
done
# Scoped streams the same way, half of them.
out=$("$LOAD" "$PORT" "/events?request=$(urlenc "$KEY")" $(( N / 2 )) 90 "$DASH_PID") \
    || { echo "$out"; fail "scoped clients failed"; }
echo "# scoped: $out"
wait_for 20 "every scoped stream freed" metric_is baocao_dashboard_sse_clients 0
metric_is baocao_dashboard_sse_refused_total 2 || fail "refusals: $(metric baocao_dashboard_sse_refused_total)"
metric_is baocao_dashboard_sse_connections_total $(( 2 * N + N / 2 )) \
    || fail "streams opened: $(metric baocao_dashboard_sse_connections_total)"
echo "# dashboard RSS after: $(rss) kB"
kill -0 "$DASH_PID" || fail "the dashboard died"
stop_dashboard
echo "ok: $N SSE clients twice, bounded, counted and freed"
