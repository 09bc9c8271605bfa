# it_storage_faults - a full disk gives the sender a clear error and no ack,
# the broker keeps serving reads and recovers when space returns; a tiny map
# grows instead of failing. Uses a small tmpfs of the test's own.
. "$(dirname "$0")/lib.sh"
it_setup
mkdir -p "$WORK/small"
if ! mount -t tmpfs -o size=4m tmpfs "$WORK/small" 2>/dev/null; then
    echo "skipped: cannot mount a tmpfs here (needs root and mount rights)"
    exit 0
fi
# it_teardown calls this before removing the work folder.
it_cleanup() {
    for pid in "${PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
    umount "$WORK/small" 2>/dev/null || true
}

# 1. A tiny map (1 MiB) under load grows instead of failing.
cat >"$WORK/broker.conf" <<CONF
[broker]
map_size_mb = 1
security = none
require_signatures = no
CONF
mkdir -p "$WORK/small/store"
"$BROKER_BIN" --config "$WORK/broker.conf" --store "$WORK/small/store" \
    --agencies "$DEMO/agencies.csv" --endpoint 'tcp://127.0.0.1:*' --events 'tcp://127.0.0.1:*' \
    --ready-file "$WORK/ready" >>"$WORK/broker.log" 2>&1 &
BROKER_PID=$!
PIDS+=("$BROKER_PID")
wait_for 20 "broker ready" test -s "$WORK/ready"
ENDPOINT=$(sed -n 's/^endpoint=//p' "$WORK/ready")
make_request "$WORK/request.json" 259200
"$BC_BIN_DIR/tests/crash/crash_load" "$ENDPOINT" "$DEMO/agencies.csv" "$WORK/request.json" \
    16 60 "$WORK/acked" | tee "$WORK/load.out"
mapsize=$(mdb_stat -e "$WORK/small/store" | sed -n 's/.*Map size: //p')
echo "# map size after 960 reports: $mapsize bytes"
[ "$mapsize" -gt 1048576 ] || fail "the map did not grow"

# 2. The disk fills up: once the store's free pages are used, a request gets
#    a clear error and no ack; reads are still served.
dd if=/dev/zero of="$WORK/small/filler" bs=4k 2>/dev/null || true
accepted=0
rc=0
for number in $(seq 2000 2300); do
    make_request "$WORK/r.json" 259200 "$number"
    set +e
    "$CLI_BIN" --store "$WORK/small/store" --broker "$ENDPOINT" --as "$COORD" \
        request send "$WORK/r.json" >"$WORK/out" 2>"$WORK/err"
    rc=$?
    set -e
    [ $rc -eq 0 ] || break
    accepted=$(( accepted + 1 ))
done
cat "$WORK/err"
echo "# $accepted request(s) fitted in the store's free pages before the disk refused"
[ $rc -eq 75 ] || fail "a request on a full disk gave exit $rc, expected 75 (try again later)"
# Linux reports a full tmpfs as ENOSPC, or as EIO when it shows up at the
# commit's sync: either way the broker logs it with a stable id.
grep -Eq "BC-STORE-DISKFULL|BC-STORE-COMMIT" "$WORK/broker.log" \
    || fail "the broker did not log the failed commit"
kill -0 "$BROKER_PID" || fail "the broker died on a full disk"
n=$("$CLI_BIN" --store "$WORK/small/store" --json request list | jq '.requests | length')
[ "$n" = $(( accepted + 1 )) ] || fail "the refused request was stored anyway ($n stored)"
"$CLI_BIN" --store "$WORK/small/store" status "$number/STTTT-TTBCXB" 2>/dev/null \
    && fail "the refused request is listed"

# 3. Space returns: the same request is accepted.
rm -f "$WORK/small/filler"
"$CLI_BIN" --store "$WORK/small/store" --broker "$ENDPOINT" --as "$COORD" \
    request send "$WORK/r.json" || fail "not recovered after space returned"
kill -TERM "$BROKER_PID"
wait "$BROKER_PID" || true
echo "ok: map grows; full disk refused without ack, reads served, recovered"
