# it_security - every agency authenticated, nobody speaks for another, every
# report provable: CURVE with the ZAP handler, roles, revocation, signatures,
# and the hash-chained audit log, each refusal tested.
. "$(dirname "$0")/lib.sh"
it_setup
SUBMIT="$BC_BIN_DIR/tests/tools/bc_submit"
TAMPER="$BC_BIN_DIR/tests/tools/bc_tamper"
A=000.00.04.H45
B=000.00.05.H45
FOLDER=1005-STTTT-TTBCXB
REQ=1005/STTTT-TTBCXB
province_init
[ "$(stat -c %a "$PROVINCE/$A/$A.key")" = 600 ] || fail "secret key file is not mode 0600"
grep -q curve_secret "$PROVINCE/$A/$A.pub" && fail "a public key file holds a secret"
start_broker
grep -q "CURVE on; 19 agencies have keys" "$WORK/broker.log" || fail "broker not on CURVE"
start_agent "$A" "$(agency_name "$A")"
APID=$AGENT_PID

# A round trip over CURVE with a signed report.
make_request "$WORK/request.json" 259200
cli request send "$WORK/request.json" >/dev/null
wait_for 20 "A received the request over CURVE" test -s "$WORK/drop-$A/$FOLDER/YEU-CAU.txt"
cp "$DEMO/replies/$A.txt" "$WORK/drop-$A/$FOLDER/.x"
mv "$WORK/drop-$A/$FOLDER/.x" "$WORK/drop-$A/$FOLDER/bao-cao.txt"
wait_for 20 "A's signed report stored" status_in $REQ $A REPORTED
cli report verify $REQ $A | tee "$WORK/verify.out"
grep -q "hợp lệ" "$WORK/verify.out" || fail "a stored signed report does not verify"

expect_code() {   # expect_code CODE WHAT COMMAND...
    local want=$1 what=$2
    shift 2
    set +e
    "$@" >"$WORK/out" 2>"$WORK/err"
    local rc=$?
    set -e
    [ $rc -eq "$want" ] || { cat "$WORK/out" "$WORK/err"; fail "$what: exit $rc, expected $want"; }
    echo "# $what -> exit $rc: $(head -n 1 "$WORK/err")"
}
short() { printf '[cli]\ntimeout_ms = 2000\n' >"$WORK/short.conf"; echo "$WORK/short.conf"; }

# An unregistered key cannot connect.
"$CLI_BIN" key new 000.00.98.H45 --dir "$WORK/stranger" >/dev/null
expect_code 69 "unregistered key" "$CLI_BIN" --config "$(short)" --store "$WORK/store" \
    --broker "$ENDPOINT" --as 000.00.98.H45 --key "$WORK/stranger/000.00.98.H45.key" \
    --broker-key "$PROVINCE/broker/broker.pub" request send "$WORK/request.json"
wait_for 10 "refusal logged" grep -q "BC-BROKER-REFUSED.*key not registered" "$WORK/broker.log"
# A plaintext client cannot connect.
expect_code 69 "plaintext client" "$CLI_BIN" --config "$(short)" --store "$WORK/store" \
    --broker "$ENDPOINT" --as "$COORD" request send "$WORK/request.json"

# Agency A cannot submit as B, nor unsigned, nor tampered after signing.
out=$("$SUBMIT" "$ENDPOINT" "$PROVINCE/$A/$A.key" "$PROVINCE/broker/broker.pub" "$WORK/request.json" forged)
echo "# forged sender: $out"
case "$out" in "ERROR DENIED"*) ;; *) fail "A could submit as another agency: $out" ;; esac
out=$("$SUBMIT" "$ENDPOINT" "$PROVINCE/$A/$A.key" "$PROVINCE/broker/broker.pub" "$WORK/request.json" unsigned)
echo "# unsigned: $out"
case "$out" in "ERROR DENIED"*) ;; *) fail "an unsigned report was accepted: $out" ;; esac
out=$("$SUBMIT" "$ENDPOINT" "$PROVINCE/$A/$A.key" "$PROVINCE/broker/broker.pub" "$WORK/request.json" tampered)
echo "# tampered: $out"
case "$out" in "ERROR DENIED"*) ;; *) fail "a report altered after signing was accepted: $out" ;; esac
# ...nor answer a request not addressed to it.
jq '.recipients = [.recipients[] | select(.code != "000.00.05.H45")] | .number = 1007' \
    "$WORK/request.json" >"$WORK/only-others.json"
cli request send "$WORK/only-others.json" >/dev/null
out=$("$SUBMIT" "$ENDPOINT" "$PROVINCE/$B/$B.key" "$PROVINCE/broker/broker.pub" "$WORK/only-others.json" signed)
echo "# not addressed: $out"
case "$out" in "ERROR NOT_ADDRESSED"*) ;; *) fail "B answered a request not addressed to it: $out" ;; esac

# A department can neither issue a request nor change the registry.
make_request "$WORK/r2.json" 259200 1008
dept() { "$CLI_BIN" --store "$WORK/store" --broker "$ENDPOINT" --as "$A" \
    --key "$PROVINCE/$A/$A.key" --broker-key "$PROVINCE/broker/broker.pub" "$@"; }
expect_code 77 "department issuing" dept request send "$WORK/r2.json"
expect_code 77 "department changing the registry" dept agency revoke "$B"

# The operator revokes A: its open connection is refused, and so is a new one.
cli agency revoke "$A"
out=$("$SUBMIT" "$ENDPOINT" "$PROVINCE/$A/$A.key" "$PROVINCE/broker/broker.pub" "$WORK/request.json" signed)
echo "# revoked key: $out"
case "$out" in TIMEOUT|"ERROR DENIED"*) ;; *) fail "a revoked key was served: $out" ;; esac
wait_for 10 "revoked key refused at the handshake" grep -q "key revoked" "$WORK/broker.log"
cli agency list | grep -A1 "^$A" | grep -q "ĐÃ THU HỒI" || fail "agency list does not show the revocation"

# The audit log holds accepted and refused actions and verifies.
cli audit verify
cli audit show >"$WORK/audit.txt"
grep -q "submit_report.*TỪ CHỐI" "$WORK/audit.txt" || fail "refused reports not audited"
grep -q "issue_request.*chấp nhận" "$WORK/audit.txt" || fail "accepted requests not audited"
grep -q "connect.*TỪ CHỐI" "$WORK/audit.txt" || fail "refused connections not audited"

# Tampering is detected: an altered entry, a removed one, a stored report.
stop_broker
cp -r "$WORK/store" "$WORK/store.orig"
"$TAMPER" "$WORK/store" audit-alter 3
expect_code 65 "altered audit entry" cli audit verify
rm -rf "$WORK/store" && cp -r "$WORK/store.orig" "$WORK/store"
"$TAMPER" "$WORK/store" audit-remove 2
expect_code 65 "removed audit entry" cli audit verify
rm -rf "$WORK/store" && cp -r "$WORK/store.orig" "$WORK/store"
"$TAMPER" "$WORK/store" audit-swap 2
expect_code 65 "reordered audit entries" cli audit verify
rm -rf "$WORK/store" && cp -r "$WORK/store.orig" "$WORK/store"
"$TAMPER" "$WORK/store" report-alter
expect_code 65 "altered stored report" cli report verify $REQ $A
echo "ok: CURVE, roles, revocation, signatures and the audit chain hold"
