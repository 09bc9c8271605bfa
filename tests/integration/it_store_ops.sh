# it_store_ops - backup while the broker ingests reports, verify, restore
# refused while the broker runs and accepted once it is stopped; a reader
# killed with -9 leaves a slot that the broker clears by itself.
. "$(dirname "$0")/lib.sh"
it_setup
printf '[broker]\nsecurity = none\nrequire_signatures = no\nreader_check_ms = 300\n' \
    >"$WORK/broker.conf"
start_broker
make_request "$WORK/request.json" 259200
"$BC_BIN_DIR/tests/crash/crash_load" "$ENDPOINT" "$DEMO/agencies.csv" "$WORK/request.json" \
    16 150 "$WORK/acked" >"$WORK/load.out" &
LOAD=$!
PIDS+=("$LOAD")
# Backups under load: each is a consistent snapshot that verifies.
for i in 1 2 3; do
    sleep 0.3
    cli store backup "$WORK/backup-$i" | tee "$WORK/backup-$i.out"
    grep -q "báo cáo:" "$WORK/backup-$i.out" || fail "backup $i printed no figures"
done
wait "$LOAD" || fail "the load did not finish"
cat "$WORK/load.out"
cli store backup "$WORK/backup-final" >/dev/null
n_final=$(grep -o "báo cáo: *[0-9]*" <(cli store backup "$WORK/backup-final2") | grep -o "[0-9]*$")
[ "$n_final" = 2400 ] || fail "final backup holds $n_final reports, expected 2400"
expect_fail() {   # expect_fail CODE WHAT COMMAND...
    local want=$1 what=$2
    shift 2
    set +e
    "$@" >"$WORK/out" 2>"$WORK/err"
    local rc=$?
    set -e
    [ $rc -eq "$want" ] || { cat "$WORK/err"; fail "$what: exit $rc, expected $want"; }
    echo "# $what -> exit $rc: $(head -n 1 "$WORK/err")"
}
expect_fail 73 "backup into a folder that holds a store" cli store backup "$WORK/backup-final"
expect_fail 75 "restore while the broker runs" cli store restore "$WORK/backup-1"

# A reader killed mid-transaction: the broker clears its slot.
"$BC_BIN_DIR/tests/tools/bc_reader" "$WORK/store" >"$WORK/reader.out" &
READER=$!
wait_for 10 "reader holds a transaction" grep -q reading "$WORK/reader.out"
kill -KILL "$READER"
wait "$READER" 2>/dev/null || true
wait_for 10 "stale reader slot cleared" grep -q "BC-STORE-READERS" "$WORK/broker.log"

# Restore the first backup once the broker is stopped: it starts from there.
stop_broker
n1=$(grep -o "báo cáo: *[0-9]*" "$WORK/backup-1.out" | grep -o "[0-9]*$")
cli store restore "$WORK/backup-1"
start_broker
n=$(cli --json request list | jq '.requests | length')
[ "$n" = 1 ] || fail "restored store lists $n requests"
m=$("$BC_BIN_DIR/tests/crash/crash_check" "$WORK/store" - "$n1" 2>&1 | tail -n 1)
echo "# restored store: $m"
case "$m" in *"stored $n1,"*) ;; *) fail "restored store does not hold the backup's $n1 reports" ;; esac
cli audit verify
echo "ok: hot backups under load verify; restore refused while running, then restored"
