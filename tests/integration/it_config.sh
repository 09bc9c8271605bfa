# it_config - configuration and provisioning as an operator meets them:
# the samples list every key with its default (they are what --print-config
# prints); every daemon refuses a bad file at start and with --check-config,
# exit 78 naming the file, the line and the [section] key; a province made by
# `baocao province init CSV` works from its bundles as they are; and
# `baocao agency add` enrols one more department later, whose agent, set up
# the way docs/operations.md says, connects by itself and answers.
. "$(dirname "$0")/lib.sh"
it_setup
# A signal ends the test through lib.sh's EXIT trap: every process stopped.
trap 'exit 143' TERM
trap 'exit 130' INT
# free_port: a TCP port below the ephemeral range that nothing listens on
# (the bundles need the broker's port before the broker starts).
free_port() {
    local p
    for _ in $(seq 50); do
        p=$(( 20000 + RANDOM % 12000 ))
        if ! ss -Htln "sport = :$p" 2>/dev/null | grep -q .; then
            echo "$p"
            return 0
        fi
    done
    fail "no free TCP port found"
}
DASHBOARD_BIN="$BC_BIN_DIR/agents/dashboard/baocao-dashboard"
DEPLOY="$BC_SOURCE_DIR/deploy"
SECONDS=0

# --- 1. the samples are the defaults, every key commented out ------------------
bash "$DEPLOY/scripts/conf-samples.sh" --check "$BC_BIN_DIR" \
    || fail "a sample in deploy/ drifted from --print-config"
# The CLI has no --print-config: its sample must name exactly the keys of its table.
table_keys=$(grep -oE '\{ "cli", "[a-z_]+"' "$BC_SOURCE_DIR/agents/cli/main.c" \
             | sed -E 's/.*"([a-z_]+)"$/\1/' | sort)
sample_keys=$(sed -nE 's/^#([a-z_]+) =.*/\1/p' "$DEPLOY/baocao.conf.sample" | sort)
[ -n "$table_keys" ] && [ "$table_keys" = "$sample_keys" ] \
    || fail "deploy/baocao.conf.sample keys ($sample_keys) differ from the CLI's ($table_keys)"
# Every key uncommented, with its default, is accepted as it stands.
uncomment() { sed -E 's/^#([a-z_]+ =)/\1/' "$1"; }
uncomment "$DEPLOY/baocao-broker.conf.sample" >"$WORK/broker-all.conf"
"$BROKER_BIN" --config "$WORK/broker-all.conf" --check-config | grep -qx "configuration ok" \
    || fail "the broker refuses its own sample with every key set"
uncomment "$DEPLOY/baocao-agent.conf.sample" >"$WORK/agent-all.conf"
"$AGENT_BIN" --config "$WORK/agent-all.conf" --code 000.00.04.H45 --name "Sở Nội vụ" \
    --drop "$WORK/drop" --check-config | grep -qx "config ok" \
    || fail "the agent refuses its own sample with every key set"
uncomment "$DEPLOY/baocao.conf.sample" >"$WORK/cli-all.conf"
set +e
"$CLI_BIN" --config "$WORK/cli-all.conf" --store "$WORK/no-store" request list >/dev/null \
    2>"$WORK/cli.err"
rc=$?
set -e
[ $rc -ne 78 ] || { cat "$WORK/cli.err"; fail "the CLI refuses its own sample with every key set"; }
if [ -x "$DASHBOARD_BIN" ] && [ -f "$DEPLOY/baocao-dashboard.conf.sample" ]; then
    uncomment "$DEPLOY/baocao-dashboard.conf.sample" >"$WORK/dashboard-all.conf"
    "$DASHBOARD_BIN" --config "$WORK/dashboard-all.conf" --check-config \
        | grep -qx "configuration ok" || fail "the dashboard refuses its own sample"
fi
echo "# samples: every key with its default, accepted by its program"

# --- 2. bad files: exit 78, the file, the line and the key ---------------------
# expect_78 PATTERN COMMAND...: exit 78 and PATTERN (grep -E) in what it printed.
expect_78() {
    local pattern=$1
    shift
    set +e
    timeout 20 "$@" >"$WORK/out" 2>&1
    local rc=$?
    set -e
    [ $rc -eq 78 ] || { cat "$WORK/out"; fail "exit $rc, not 78, from: $*"; }
    grep -qE -- "$pattern" "$WORK/out" || { cat "$WORK/out"; fail "no '$pattern' in the message of: $*"; }
}
n=0
# bad_file DAEMON HEADER LINE PATTERN: HEADER (the valid lines before it), then
# LINE; PATTERN names where ("@" stands for FILE:LINE of LINE).
bad_file() {
    local daemon=$1 header=$2 line=$3 pattern=$4
    local f="$WORK/bad-$daemon-$n.conf"
    printf '%b%b\n' "$header" "$line" >"$f"
    local at
    at="$(printf '%s' "$f" | sed 's/[.[\*^$]/\\&/g'):$(wc -l <"$f")"
    pattern=${pattern//@/$at}
    case $daemon in
    broker)
        expect_78 "$pattern" "$BROKER_BIN" --config "$f" --check-config
        # At start too, before anything is opened or bound.
        expect_78 "$pattern" "$BROKER_BIN" --config "$f" --store "$WORK/never-$n" \
            --agencies "$DEMO/agencies.csv" --endpoint 'tcp://127.0.0.1:*' --events 'tcp://127.0.0.1:*'
        [ ! -e "$WORK/never-$n" ] || fail "a broker with a bad config made its store"
        ;;
    agent)
        expect_78 "$pattern" "$AGENT_BIN" --config "$f" --check-config
        expect_78 "$pattern" "$AGENT_BIN" --config "$f"
        [ ! -e "$WORK/drop-never" ] || fail "an agent with a bad config made its drop folder"
        ;;
    dashboard)
        expect_78 "$pattern" "$DASHBOARD_BIN" --config "$f" --check-config
        expect_78 "$pattern" "$DASHBOARD_BIN" --config "$f" --store "$WORK/never-$n" --port 0
        ;;
    esac
    echo "#   $daemon: $(grep -m1 -oE '[^ ]*:[0-9]+: .*|\[.*' "$WORK/out" | sed "s|$WORK/||")"
    n=$((n + 1))
}
B='# the province broker\n[broker]\nmap_size_mb = 64\n'
bad_file broker "$B" 'colour = blue' '@: \[broker\] colour: unknown key'
bad_file broker "$B" 'batch_max = many' '@: \[broker\] batch_max: not a whole number'
bad_file broker "$B" 'batch_max = 0' '@: \[broker\] batch_max: out of range \(1\.\.100000\)'
bad_file broker "$B" 'session_timeout_ms = 10' '@: \[broker\] session_timeout_ms: out of range'
bad_file broker "$B" 'require_signatures = maybe' '@: \[broker\] require_signatures: not yes or no'
bad_file broker "$B" 'security = tls' '@: \[broker\] security: must be curve or none: tls'
bad_file broker "$B" 'log_level = loud' '@: \[broker\] log_level: must be error, warn, info or debug'
bad_file broker "$B" 'batch_max 5' '@: syntax error'
bad_file broker "$B" '[brokr]\nendpoint = tcp://*:5570' '@: \[brokr\]: unknown section'
A="[agent]\ncode = 000.00.04.H45\nname = Sở Nội vụ\ndrop = $WORK/drop-never\n"
bad_file agent "$A" 'colour = blue' '@: \[agent\] colour: unknown key'
bad_file agent "$A" 'heartbeat_ms = often' '@: \[agent\] heartbeat_ms: not a whole number'
bad_file agent "$A" 'heartbeat_ms = 50' '@: \[agent\] heartbeat_ms: out of range \(500\.\.600000\)'
bad_file agent "$A" 'retry_max_ms = 99999999' '@: \[agent\] retry_max_ms: out of range'
bad_file agent "$A" 'log_level = loud' '@: \[agent\] log_level: not error, warn, info or debug'
bad_file agent "$A" 'code = 000/H45' '@: \[agent\] code: not an organ code'
bad_file agent "$A" 'heartbeat_ms 500' '@: syntax error'
bad_file agent "$A" '[agnt]\nname = x' '@: \[agnt\]: unknown section'
bad_file agent '[agent]\nname = Sở Nội vụ\n' "drop = $WORK/drop-never" \
    'bad-agent-[0-9]+\.conf: \[agent\] code: missing'
if [ -x "$DASHBOARD_BIN" ]; then
    D='[dashboard]\nlisten = 127.0.0.1\n'
    bad_file dashboard "$D" 'colour = blue' '@: \[dashboard\] colour: unknown key'
    bad_file dashboard "$D" 'port = 70000' '@: \[dashboard\] port: out of range'
    bad_file dashboard "$D" 'threads = some' '@: \[dashboard\] threads: not a whole number'
    bad_file dashboard "$D" 'port 8080' '@: syntax error'
fi
expect_78 'nope\.conf: No such file' "$BROKER_BIN" --config "$WORK/nope.conf" --check-config
expect_78 'nope\.conf: No such file' "$AGENT_BIN" --config "$WORK/nope.conf" --check-config
# A flag overrides the file: the bad word is replaced before it is checked.
printf '[broker]\nsecurity = tls\n' >"$WORK/override.conf"
"$BROKER_BIN" --config "$WORK/override.conf" --security none --check-config \
    | grep -qx "configuration ok" || fail "--security does not override the file"
echo "# $n bad files refused with exit 78, at --check-config and at start"

# --- 3. a province from a CSV, run from its bundles as they are ----------------
COORD=000.00.07.H45
A=000.00.04.H45
NEW=000.00.05.H45
cat >"$WORK/agencies.csv" <<CSV
code,name,role
$COORD,Sở Thông tin và Truyền thông,coordinator operator
$A,Sở Nội vụ,department
CSV
PORT=$(free_port)
PROVINCE=$WORK/province
"$CLI_BIN" --broker "tcp://127.0.0.1:$PORT" --store "$WORK/store" \
    province init "$WORK/agencies.csv" --dir "$PROVINCE" >"$WORK/init.out"
for f in broker/broker.key broker/broker.pub broker/agencies.csv broker/baocao-broker.conf \
         "$A/$A.key" "$A/$A.pub" "$A/broker.pub" "$A/baocao-agent.conf" \
         "$COORD/$COORD.key" "$COORD/broker.pub" "$COORD/baocao.conf"; do
    [ -s "$PROVINCE/$f" ] || fail "province init did not write $f"
done
[ "$(stat -c %a "$PROVINCE/$A/$A.key")" = 600 ] || fail "a bundle's secret key is not 0600"
[ "$(tail -n +2 "$PROVINCE/broker/agencies.csv" | wc -l)" = 2 ] || fail "registry rows"
# The bundles' configs pass --check-config untouched.
"$BROKER_BIN" --config "$PROVINCE/broker/baocao-broker.conf" --check-config >/dev/null
"$AGENT_BIN" --config "$PROVINCE/$A/baocao-agent.conf" --check-config >/dev/null
"$BROKER_BIN" --config "$PROVINCE/broker/baocao-broker.conf" --events 'tcp://127.0.0.1:*' \
    --ready-file "$WORK/ready" >>"$WORK/broker.log" 2>&1 &
BROKER_PID=$!
PIDS+=("$BROKER_PID")
wait_for 20 "broker from its bundle ready" test -s "$WORK/ready"
grep -q "CURVE on; 2 agencies have keys" "$WORK/broker.log" || fail "the bundle's broker is not on CURVE"
"$AGENT_BIN" --config "$PROVINCE/$A/baocao-agent.conf" >>"$WORK/agent-$A.log" 2>&1 &
PIDS+=("$!")
coord() { "$CLI_BIN" --config "$PROVINCE/$COORD/baocao.conf" "$@"; }
jq --arg a "$A" '.recipients = [{"code": $a, "name": "Sở Nội vụ"}]' "$DEMO/request.json" \
    >"$WORK/r1.json"
coord request send "$WORK/r1.json" >/dev/null
DROP_A="$PROVINCE/$A/drop/1005-STTTT-TTBCXB"
wait_for 20 "the bundle's agent received the request" test -s "$DROP_A/YEU-CAU.txt"
cp "$DEMO/replies/$A.txt" "$DROP_A/.bao-cao.txt"
mv "$DROP_A/.bao-cao.txt" "$DROP_A/bao-cao.txt"
reported() { coord --json status "$1" | jq -e --arg c "$2" \
    '.agencies[] | select(.agency.code == $c) | .status == "REPORTED"' >/dev/null; }
wait_for 20 "the bundle's agent answered" reported 1005/STTTT-TTBCXB "$A"
coord report verify 1005/STTTT-TTBCXB "$A" >/dev/null || fail "the answer's signature"
echo "# province from a CSV: broker, agent and coordinator from their bundles, request answered"

# --- 4. one more department, enrolled later -------------------------------------
# On the new department's server (here $HOST2): its keys, and the config made
# from the packaged sample the way docs/operations.md says.
HOST2=$WORK/host2
mkdir -p "$HOST2/etc/baocao"
"$CLI_BIN" key new "$NEW" --dir "$HOST2/etc/baocao/keys" >/dev/null
install -m 0644 "$PROVINCE/$COORD/broker.pub" "$HOST2/etc/baocao/keys/broker.pub"
cp "$DEPLOY/baocao-agent.conf.sample" "$HOST2/etc/baocao/baocao-agent.conf"
cat >>"$HOST2/etc/baocao/baocao-agent.conf" <<CONF
code = $NEW
name = Sở Tư pháp
broker = tcp://127.0.0.1:$PORT
drop = $HOST2/srv/baocao/drop
state = $HOST2/var/lib/baocao-agent
key = $HOST2/etc/baocao/keys/$NEW.key
broker_key = $HOST2/etc/baocao/keys/broker.pub
heartbeat_ms = 500
CONF
"$AGENT_BIN" --config "$HOST2/etc/baocao/baocao-agent.conf" --check-config >/dev/null
# The operator enrols it with only its public key file. (Registered first:
# libzmq gives up for good on a connection refused at the CURVE handshake,
# so an agent started before its registration needs a restart afterwards.)
coord agency add "$NEW" "Sở Tư pháp" department --pub "$HOST2/etc/baocao/keys/$NEW.pub" >/dev/null
coord --json agency list | jq -e --arg c "$NEW" 'tostring | contains($c)' >/dev/null \
    || fail "agency list does not show the new department"
"$AGENT_BIN" --config "$HOST2/etc/baocao/baocao-agent.conf" >>"$WORK/agent-$NEW.log" 2>&1 &
NEW_PID=$!
PIDS+=("$NEW_PID")
wait_for 20 "the new agent connected" grep -q "connected to broker" "$WORK/agent-$NEW.log"
jq --arg a "$A" --arg n "$NEW" '.number = 1006
    | .recipients = [{"code": $a, "name": "Sở Nội vụ"}, {"code": $n, "name": "Sở Tư pháp"}]' \
    "$DEMO/request.json" >"$WORK/r2.json"
coord request send "$WORK/r2.json" >/dev/null
DROP_N="$HOST2/srv/baocao/drop/1006-STTTT-TTBCXB"
wait_for 20 "the new department received the request" test -s "$DROP_N/YEU-CAU.txt"
cp "$DEMO/replies/$NEW.txt" "$DROP_N/.bao-cao.txt"
mv "$DROP_N/.bao-cao.txt" "$DROP_N/bao-cao.txt"
wait_for 20 "the new department answered" reported 1006/STTTT-TTBCXB "$NEW"
[ -d "$HOST2/var/lib/baocao-agent" ] || fail "the outbox is not where state = says"
coord report verify 1006/STTTT-TTBCXB "$NEW" >/dev/null || fail "the new department's signature"
echo "ok: samples, 78 on bad files, a province from a CSV, a department enrolled later ($SECONDS s)"
