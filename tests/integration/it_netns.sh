# it_netns - across hosts: the broker and three agents each in a network
# namespace of its own, joined by veth pairs with addresses of the test's own
# (10.200.N.0/24, which exist only inside those namespaces: no packet leaves
# them); a full round trip over CURVE; then one agent's link is cut
# (ip link set down) while it submits, and restored: nothing acknowledged is
# lost, nothing is stored twice, and the agent reconnects by itself.
# Where the kernel or the user may not make namespaces, the test says it is
# skipped and exits 0.
. "$(dirname "$0")/lib.sh"

TAG="bc$$"                   # namespaces $TAG-br, $TAG-a1..3; veths ${TAG}b1, ${TAG}a1...
NS_B="$TAG-br"
NS_A=("" "$TAG-a1" "$TAG-a2" "$TAG-a3")
PORT=5570                    # inside the broker's namespace: nothing else listens there
CODES=("" 000.00.04.H45 000.00.05.H45 000.00.06.H45)

skip() {
    echo "SKIP: it_netns: $*"
    exit 0
}
if [ "$(id -u)" -ne 0 ]; then
    skip "needs root to make network namespaces (ip netns add); not run"
fi
command -v ip >/dev/null || skip "ip (iproute2) is not installed; not run"
# Namespaces left by a run that was killed (ctest's timeout) are removed
# first; only ours (bc<pid>-...), and only when that pid is gone.
for ns in $(ip netns list 2>/dev/null | awk '{print $1}' | grep -E '^bc[0-9]+-(br|a[123]|probe[12])$' || true); do
    pid=${ns#bc}
    pid=${pid%%-*}
    if ! kill -0 "$pid" 2>/dev/null; then
        ip netns del "$ns" 2>/dev/null || true
    fi
done
# Probe: two namespaces and a veth pair between them.
if ! { ip netns add "$TAG-probe1" && ip netns add "$TAG-probe2" \
       && ip link add "${TAG}p1" netns "$TAG-probe1" type veth peer name "${TAG}p2" \
              netns "$TAG-probe2"; } >/dev/null 2>&1; then
    ip netns del "$TAG-probe1" 2>/dev/null || true
    ip netns del "$TAG-probe2" 2>/dev/null || true
    skip "the kernel refuses network namespaces or veth pairs here; not run"
fi
ip netns del "$TAG-probe1"
ip netns del "$TAG-probe2"

it_setup
SECONDS=0
it_cleanup() {
    if [ -n "${WATCHDOG:-}" ]; then
        local sleeper
        sleeper=$(pgrep -P "$WATCHDOG" || true)
        kill "$WATCHDOG" 2>/dev/null || true
        [ -z "$sleeper" ] || kill $sleeper 2>/dev/null || true
    fi
    for ns in "$NS_B" "${NS_A[1]}" "${NS_A[2]}" "${NS_A[3]}"; do
        ip netns del "$ns" 2>/dev/null || true
    done
    ip netns list | grep -q "^$TAG-" && echo "# WARNING: namespaces of $TAG left behind"
    return 0
}
# A signal ends the test through the EXIT trap (processes stopped, namespaces
# deleted); the watchdog does it before ctest's own timeout would kill us.
trap 'exit 143' TERM
trap 'exit 130' INT
trap 'exit 129' HUP
( sleep 150; kill -TERM $$ ) 2>/dev/null &
WATCHDOG=$!

# --- the network: one link per agent, each its own /24 ----------------------------
ip netns add "$NS_B"
ip -n "$NS_B" link set lo up
for i in 1 2 3; do
    ip netns add "${NS_A[$i]}"
    ip -n "${NS_A[$i]}" link set lo up
    ip link add "${TAG}b$i" netns "$NS_B" type veth peer name "${TAG}a$i" netns "${NS_A[$i]}"
    ip -n "$NS_B" addr add "10.200.$i.1/24" dev "${TAG}b$i"
    ip -n "$NS_B" link set "${TAG}b$i" up
    ip -n "${NS_A[$i]}" addr add "10.200.$i.2/24" dev "${TAG}a$i"
    ip -n "${NS_A[$i]}" link set "${TAG}a$i" up
done
# No route from one agent's namespace to another's, nor to the host.
ip -n "${NS_A[1]}" route get 10.200.2.2 >/dev/null 2>&1 && fail "agents' namespaces are joined"
echo "# namespaces: $NS_B and ${NS_A[*]:1}; links 10.200.{1,2,3}.0/24"

# --- the province, the broker, the agents ------------------------------------------
PROVINCE=$WORK/province
"$CLI_BIN" --broker "tcp://127.0.0.1:$PORT" --store "$WORK/store" \
    province init "$DEMO/agencies.csv" --dir "$PROVINCE" >/dev/null
cat >>"$PROVINCE/broker/baocao-broker.conf" <<CONF
heartbeat_ms = 500
session_timeout_ms = 3000
CONF
ip netns exec "$NS_B" "$BROKER_BIN" --config "$PROVINCE/broker/baocao-broker.conf" \
    --endpoint "tcp://*:$PORT" --events 'tcp://127.0.0.1:*' --ready-file "$WORK/ready" \
    >>"$WORK/broker.log" 2>&1 &
BROKER_PID=$!
PIDS+=("$BROKER_PID")
wait_for 20 "broker ready in its namespace" test -s "$WORK/ready"
APID=()
for i in 1 2 3; do
    c=${CODES[$i]}
    mkdir -p "$WORK/drop-$c"
    cat >"$WORK/agent-$c.conf" <<CONF
[agent]
code = $c
name = $(agency_name "$c")
broker = tcp://10.200.$i.1:$PORT
drop = $WORK/drop-$c
key = $PROVINCE/$c/$c.key
broker_key = $PROVINCE/$c/broker.pub
heartbeat_ms = 500
retry_max_ms = 2000
CONF
    ip netns exec "${NS_A[$i]}" "$AGENT_BIN" --config "$WORK/agent-$c.conf" \
        >>"$WORK/agent-$c.log" 2>&1 &
    APID[$i]=$!
    PIDS+=("${APID[$i]}")
done
for i in 1 2 3; do
    wait_for 20 "agent $i connected across its link" grep -q "connected to broker tcp://10.200.$i.1" \
        "$WORK/agent-${CODES[$i]}.log"
done
# The coordinator works on the broker's host: its namespace, over loopback.
coord() {
    ip netns exec "$NS_B" "$CLI_BIN" --store "$WORK/store" --broker "tcp://127.0.0.1:$PORT" \
        --as "$COORD" --key "$PROVINCE/$COORD/$COORD.key" \
        --broker-key "$PROVINCE/broker/broker.pub" "$@"
}
request() {   # request NUMBER: the demo request, numbered, to our three agencies
    jq --argjson n "$1" --arg a "${CODES[1]}" --arg b "${CODES[2]}" --arg c "${CODES[3]}" \
        '.number = $n | .recipients = [.recipients[] | select(.code == $a or .code == $b or .code == $c)]' \
        "$DEMO/request.json" >"$WORK/request-$1.json"
    coord request send "$WORK/request-$1.json" >/dev/null
}
drop_reply() {   # drop_reply CODE NUMBER
    local d="$WORK/drop-$1/$2-STTTT-TTBCXB"
    cp "$DEMO/replies/$1.txt" "$d/.bao-cao.txt"
    mv "$d/.bao-cao.txt" "$d/bao-cao.txt"
}
status_is() { [ "$(status_of "$1/STTTT-TTBCXB" "$2")" = "$3" ]; }
status_of() {
    coord --json status "$1" | jq -r --arg c "$2" '.agencies[] | select(.agency.code == $c) | .status'
}
revision_of() {
    coord --json summary "$1/STTTT-TTBCXB" --format json | jq -r --arg c "$2" \
        '.agencies[] | select(.agency.code == $c) | .revision // 0'
}

# --- 1. a full round trip across the links -------------------------------------------
request 1005
for i in 1 2 3; do
    wait_for 20 "agent $i received the request" test -s "$WORK/drop-${CODES[$i]}/1005-STTTT-TTBCXB/YEU-CAU.txt"
    drop_reply "${CODES[$i]}" 1005
done
for i in 1 2 3; do
    wait_for 20 "agent $i's report stored" status_is 1005 "${CODES[$i]}" REPORTED
done
echo "# round trip: three agents in their namespaces answered 1005 ($SECONDS s)"

# --- 2. a link cut while the agent submits ---------------------------------------------
V=${CODES[3]}
NUMBERS=(1006 1007 1008 1009 1010)
for n in "${NUMBERS[@]}"; do
    request "$n"
done
for n in "${NUMBERS[@]}"; do
    for i in 1 2 3; do
        wait_for 20 "agent $i received $n" test -s "$WORK/drop-${CODES[$i]}/$n-STTTT-TTBCXB/YEU-CAU.txt"
    done
done
# Two answers go through first; the third is dropped and the cable pulled at
# once, while it is read, sent or acknowledged; the last two come while the
# link is down.
drop_reply "$V" 1006
drop_reply "$V" 1007
wait_for 20 "the first answers acknowledged" test -s "$WORK/drop-$V/1007-STTTT-TTBCXB/sent/BIEN-NHAN.txt"
drop_reply "$V" 1008
ip -n "${NS_A[3]}" link set "${TAG}a3" down
CUT_AT=$SECONDS
echo "# link ${TAG}a3 down during submission"
drop_reply "$V" 1009
drop_reply "$V" 1010
# The others go on meanwhile.
for n in "${NUMBERS[@]}"; do
    drop_reply "${CODES[1]}" "$n"
    drop_reply "${CODES[2]}" "$n"
done
for n in "${NUMBERS[@]}"; do
    wait_for 20 "agent 1 answered $n while agent 3 is cut off" status_is "$n" "${CODES[1]}" REPORTED
    wait_for 20 "agent 2 answered $n while agent 3 is cut off" status_is "$n" "${CODES[2]}" REPORTED
done
wait_for 20 "agent 3 notices the lost broker" grep -qE "lost (the connection to )?broker" "$WORK/agent-$V.log"
# What the agent holds as acknowledged is stored, before the link is back.
acked=0
for n in "${NUMBERS[@]}"; do
    if [ -s "$WORK/drop-$V/$n-STTTT-TTBCXB/sent/BIEN-NHAN.txt" ]; then
        status_is "$n" "$V" REPORTED || fail "$n was acknowledged to agent 3 but is not stored"
        acked=$((acked + 1))
    fi
done
pending=$(( ${#NUMBERS[@]} - acked ))
echo "# while cut off ($((SECONDS - CUT_AT)) s): $acked of ${#NUMBERS[@]} acknowledged and stored, $pending in the outbox"
sleep 1   # a few more heartbeats and resends into the void (the link is down on purpose)
ip -n "${NS_A[3]}" link set "${TAG}a3" up
UP_AT=$SECONDS
echo "# link ${TAG}a3 up again"
wait_for 30 "agent 3 reconnected by itself" \
    bash -c "[ \$(grep -c 'connected to broker' '$WORK/agent-$V.log') -ge 2 ]"
kill -0 "${APID[3]}" || fail "agent 3 is not running: it did not survive the cut"
for n in "${NUMBERS[@]}"; do
    wait_for 30 "agent 3's answer to $n stored after the link came back" status_is "$n" "$V" REPORTED
    wait_for 20 "agent 3's answer to $n acknowledged" \
        test -s "$WORK/drop-$V/$n-STTTT-TTBCXB/sent/BIEN-NHAN.txt"
done
echo "# reconnected and caught up in $((SECONDS - UP_AT)) s;" \
     "agent 3 logged: $(grep -cE 'lost (the connection to )?broker' "$WORK/agent-$V.log") lost," \
     "$(grep -c 'connected to broker' "$WORK/agent-$V.log") connected," \
     "$(grep -c 'resent report' "$WORK/agent-$V.log") resends"

# --- 3. nothing lost, nothing twice ---------------------------------------------------
for n in 1005 "${NUMBERS[@]}"; do
    for i in 1 2 3; do
        c=${CODES[$i]}
        [ "$(status_of "$n/STTTT-TTBCXB" "$c")" = REPORTED ] || fail "$c's answer to $n lost"
        rev=$(revision_of "$n" "$c")
        [ "$rev" = 1 ] || fail "$c's answer to $n stored as revision $rev, not once"
        lines=$(wc -l <"$WORK/drop-$c/$n-STTTT-TTBCXB/sent/BIEN-NHAN.txt")
        [ "$lines" = 1 ] || fail "$c's receipt for $n has $lines lines"
    done
done
stored=$(grep -c "from $V stored as" "$WORK/broker.log")
[ "$stored" = 6 ] || fail "the broker stored $stored reports of agent 3, expected 6 (one per request)"
dups=$(grep -c "stored: revision .*duplicate" "$WORK/agent-$V.log" || true)
coord audit verify >/dev/null || fail "the audit chain does not verify"
echo "ok: round trip across namespaces; a cut link lost nothing and stored nothing twice ($dups resend(s) answered as duplicates; $SECONDS s)"
