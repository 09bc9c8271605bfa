# it_refusals - a request with an unknown recipient, a malformed file, a
# duplicate key, or from a non-coordinator is refused with a clear error
. "$(dirname "$0")/lib.sh"
it_setup
start_broker

expect_fail() {
    local want=$1 what=$2
    shift 2
    set +e
    "$@" >"$WORK/out" 2>"$WORK/err"
    local rc=$?
    set -e
    [ $rc -eq "$want" ] || { cat "$WORK/err"; fail "$what: exit $rc, expected $want"; }
    [ -s "$WORK/err" ] || fail "$what: no error message"
    echo "# $what -> exit $rc: $(head -n 1 "$WORK/err")"
}

make_request "$WORK/ok.json" 259200
sed 's/"000.00.04.H45"/"000.00.99.H45"/' "$WORK/ok.json" >"$WORK/unknown.json"
expect_fail 65 "unknown recipient" cli request send "$WORK/unknown.json"
grep -q "000.00.99.H45" "$WORK/err" || fail "error does not name the unknown agency"

printf '{ "number": 12, "notation": ' >"$WORK/broken.json"
expect_fail 65 "malformed JSON" cli request send "$WORK/broken.json"

sed 's/"subject":/"subjetc":/' "$WORK/ok.json" >"$WORK/typo.json"
expect_fail 65 "unknown field" cli request send "$WORK/typo.json"
grep -q "subjetc" "$WORK/err" || fail "error does not name the unknown field"

sed 's/"notation": "STTTT-TTBCXB"/"notation": "STTTT--"/' "$WORK/ok.json" >"$WORK/notation.json"
expect_fail 65 "malformed notation" cli request send "$WORK/notation.json"

sed 's/"promulgationDate": "[0-9-]*"/"promulgationDate": "2026-02-30"/' "$WORK/ok.json" >"$WORK/date.json"
expect_fail 65 "impossible date" cli request send "$WORK/date.json"

expect_fail 66 "missing file" cli request send "$WORK/absent.json"

cli request send "$WORK/ok.json" >/dev/null
expect_fail 65 "duplicate key" cli request send "$WORK/ok.json"

# A department may not issue requests.
set +e
"$CLI_BIN" --store "$WORK/store" --broker "$ENDPOINT" --as 000.00.04.H45 \
    request send "$WORK/ok.json" >"$WORK/out" 2>"$WORK/err"
rc=$?
set -e
[ $rc -ne 0 ] || fail "a department could issue a request"
echo "# department issuing -> exit $rc: $(head -n 1 "$WORK/err")"

# Garbage on the broker's socket does not stop it.
exec 3<>"/dev/tcp/127.0.0.1/${ENDPOINT##*:}" && head -c 4096 /dev/urandom >&3 && exec 3>&- || true
cli request list | grep -q "1005/STTTT-TTBCXB" || fail "broker stopped serving after garbage"
kill -0 "$BROKER_PID" || fail "broker died on garbage input"
echo "ok: every bad request refused with a clear error"
