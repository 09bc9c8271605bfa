#!/usr/bin/env bash
# run.sh - the benchmark harness: builds if needed, starts a real broker (and
# the peers) on loopback, measures, and prints the summary table.
#
#   bash tests/bench/run.sh            full run (about 12 minutes, 3 runs each)
#   bash tests/bench/run.sh --smoke    tiny sizes, no peers, a few seconds (CI)
#
# Options: --runs N (default 3), --no-peers, --no-build (use BC_BIN_DIR),
# --out DIR (keep the raw results there; default a temp folder, printed).
# Environment: BC_BIN_DIR build tree to use (default build-bench, built here),
# BC_BENCH_SCALE multiplies every message count of the full run.
#
# Everything started here listens on 127.0.0.1 only, with its own config in
# the work folder, and is stopped by PID on exit. Every loop is bounded in
# count and time. Client and server share the machine's cores: figures are
# for the whole machine, as on the province's 2-core servers.
set -euo pipefail
SRC=$(cd "$(dirname "$0")/../.." && pwd)
HERE="$SRC/tests/bench"

smoke=0 runs=3 peers=1 build=1 out=""
while [ $# -gt 0 ]; do
    case "$1" in
    --smoke) smoke=1 runs=1 peers=0 ;;
    --runs) runs=$2; shift ;;
    --no-peers) peers=0 ;;
    --no-build) build=0 ;;
    --out) out=$2; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 64 ;;
    esac
    shift
done
BIN=${BC_BIN_DIR:-$SRC/build-bench}
SCALE=${BC_BENCH_SCALE:-1}

if [ $build -eq 1 ]; then
    echo "== build ($BIN)"
    cmake -S "$SRC" -B "$BIN" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$BIN" -j"$(nproc)" --target baocao-broker baocao bench_load bench_lmdb \
        bench_cpu bench_echo bench_broker bench_peer >/dev/null
fi
T="$BIN/tests/bench"
BROKER="$BIN/broker/baocao-broker"
CLI="$BIN/agents/cli/baocao"
for f in "$BROKER" "$CLI" "$T/bench_load" "$T/bench_lmdb" "$T/bench_cpu" "$T/bench_echo" \
         "$T/bench_broker"; do
    [ -x "$f" ] || { echo "run.sh: $f is missing; build first" >&2; exit 69; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/baocao-bench.XXXXXX")
OUT=${out:-$WORK/out}
mkdir -p "$OUT"
RESULTS="$OUT/results.txt"
: >"$RESULTS"
PIDS=()
FAILED=0

cleanup() {
    local rc=$?
    for pid in "${PIDS[@]}"; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 100); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    done
    if [ -z "$out" ]; then
        rm -rf "$WORK"
    else
        rm -rf "$WORK"/s-* "$WORK"/peer-* "$WORK"/lmdb-*
    fi
    exit $rc
}
trap cleanup EXIT

# One open file per connection, for the broker, the echo and the clients.
hard=$(ulimit -Hn)
if [ "$hard" = unlimited ] || [ "$hard" -gt 65536 ]; then hard=65536; fi
ulimit -n "$hard"

note() { echo "$*" | tee -a "$RESULTS"; }

# record TAG COMMAND...: runs a measuring command, keeps its RESULT lines with
# the run number and the machine's load at that moment.
record() {
    local tag=$1
    shift
    local load io
    load=$(cut -d' ' -f1 /proc/loadavg)
    io=$(sed -n 's/^some avg10=\([0-9.]*\).*/\1/p' /proc/pressure/io 2>/dev/null || echo -)
    local rc=0
    "$@" >"$WORK/last.out" 2>"$WORK/last.err" || rc=$?
    sed "s/^RESULT /RESULT run=$RUN tag=$tag load=$load io=$io /" "$WORK/last.out" \
        | grep '^RESULT' | tee -a "$RESULTS" | cut -c1-200 || true
    if [ $rc -ne 0 ]; then
        echo "FAILED ($rc): $tag: $*" | tee -a "$RESULTS"
        sed 's/^/    /' "$WORK/last.err" | head -n 5
        FAILED=1
    fi
    return 0
}

wait_file() {
    local file=$1 limit=$2 pid=${3:-}
    for _ in $(seq $((limit * 20))); do
        [ -s "$file" ] && return 0
        if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
            return 1
        fi
        sleep 0.05
    done
    return 1
}

stop_pid() {
    local pid=$1
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 150); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    local keep=()
    for p in "${PIDS[@]}"; do
        [ "$p" = "$pid" ] || keep+=("$p")
    done
    PIDS=("${keep[@]}")
}

# start_broker NAME AGENCIES [PROVINCE] [nosync]: a broker with a fresh store
# in $WORK/s-NAME; sets BPID, EP, STORE.
start_broker() {
    local name=$1 agencies=$2 province=${3:-} mode=${4:-}
    local dir="$WORK/s-$name"
    rm -rf "$dir"
    mkdir -p "$dir"
    STORE="$dir/store"
    if [ -n "$province" ]; then
        # As deployed: CURVE with the ZAP handler, signatures required.
        cp "$province/broker/baocao-broker.conf" "$dir/broker.conf"
        agencies="$province/broker/agencies.csv"
    else
        printf '[broker]\nsecurity = none\nrequire_signatures = no\n' >"$dir/broker.conf"
    fi
    if [ "$mode" = nosync ]; then
        "$T/bench_broker" "$dir/broker.conf" "$STORE" "$agencies" "$dir/ready" \
            >"$dir/broker.log" 2>&1 &
    else
        "$BROKER" --config "$dir/broker.conf" --store "$STORE" --agencies "$agencies" \
            --endpoint 'tcp://127.0.0.1:*' --events 'tcp://127.0.0.1:*' \
            --ready-file "$dir/ready" >"$dir/broker.log" 2>&1 &
    fi
    BPID=$!
    PIDS+=("$BPID")
    if ! wait_file "$dir/ready" 30 "$BPID"; then
        echo "run.sh: broker $name did not start" >&2
        tail -n 5 "$dir/broker.log" >&2
        exit 70
    fi
    EP=$(sed -n 's/^endpoint=//p' "$dir/ready")
}

# province N NAME: agency list and keys (baocao province init) for N departments.
province() {
    local n=$1 name=$2
    local dir="$WORK/prov-$name"
    if [ ! -d "$dir/keys" ]; then
        mkdir -p "$dir"
        "$T/bench_load" agencies "$n" "$dir/agencies.csv"
        "$CLI" --broker 'tcp://127.0.0.1:1' --store "$dir/unused" \
            province init "$dir/agencies.csv" --dir "$dir/keys" >/dev/null
    fi
    PROV="$dir/keys"
    AGENCIES="$dir/agencies.csv"
}

# --- sizes -----------------------------------------------------------------
# Ingest configurations: "AGENTS INFLIGHT REPORTS_PER_AGENT"; each agency
# sends 10 revisions per request, so a run needs REPORTS/10 requests.
REV=10
if [ $smoke -eq 1 ]; then
    INGEST=("1 1 10" "4 4 20")
    NOSYNC=("4 4 20")
    DEPLOYED=("2 2 10")
    PEER_CFG=()
    FAN_AGENTS=20 FAN_REV=2 LMDB_S=0.2 CPU_S=0.2 PROV_N=8 ECHO=("4 4 50")
else
    s() { echo $(( $1 * SCALE )); }
    INGEST=("1 1 $(s 300)" "1 16 $(s 2000)" "16 1 $(s 200)" "16 16 $(s 600)" \
            "64 1 $(s 100)" "64 16 $(s 300)")
    NOSYNC=("16 1 $(s 400)" "16 16 $(s 1000)" "64 16 $(s 400)")
    DEPLOYED=("1 1 $(s 300)" "1 16 $(s 1000)" "16 1 $(s 200)" "16 16 $(s 400)" \
              "64 1 $(s 100)" "64 16 $(s 200)")
    PEER_CFG=("1 1 $(s 300)" "1 16 $(s 2000)" "16 1 $(s 200)" "16 16 $(s 600)" \
              "64 1 $(s 100)" "64 16 $(s 300)")
    FAN_AGENTS=1000 FAN_REV=10 LMDB_S=1.5 CPU_S=1 PROV_N=1000 ECHO=("16 16 2000" "64 16 500")
fi

# --- the machine -------------------------------------------------------------
{
    echo "# baocao benchmark, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "# command: bash tests/bench/run.sh $([ $smoke -eq 1 ] && echo --smoke) (runs $runs)"
    echo "# commit: $(git -C "$SRC" rev-parse --short HEAD 2>/dev/null || echo -)" \
         "$(git -C "$SRC" status --porcelain 2>/dev/null | grep -q . && echo '(with local changes)')"
    echo "# nproc: $(nproc); cpu: $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
    echo "# memory: $(free -m | awk '/^Mem:/ {print $2}') MiB; kernel: $(uname -r)"
    echo "# disk: $(df -h "$WORK" | awk 'NR==2 {print $1, $2, "fs", $6}')" \
         "$(findmnt -no FSTYPE,OPTIONS -T "$WORK" 2>/dev/null || true)"
    echo "# load at start: $(cut -d' ' -f1-3 /proc/loadavg); io pressure: $(head -n 1 /proc/pressure/io 2>/dev/null || echo -)"
} | tee -a "$RESULTS"

# --- the peers -------------------------------------------------------------
REDIS_PID="" RABBIT_PID="" EPMD_PID="" NATS_PID=""
free_port() {
    local p
    for _ in $(seq 50); do
        p=$(( 20000 + RANDOM % 30000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

start_peers() {
    local missing=()
    for p in redis-server rabbitmq-server nats-server libhiredis-dev librabbitmq-dev \
             libnats-dev; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "== installing the peers: ${missing[*]}"
        if [ "$(id -u)" -ne 0 ]; then
            echo "run.sh: the peers need root to install; skipping them" >&2
            peers=0
            return 0
        fi
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            "${missing[@]}" >/dev/null
        # Rebuild bench_peer now that its client libraries are there.
        cmake -S "$SRC" -B "$BIN" >/dev/null
        cmake --build "$BIN" --target bench_peer >/dev/null
    fi
    local d="$WORK/peer-redis"
    mkdir -p "$d"
    REDIS_PORT=$(free_port)
    cat >"$d/redis.conf" <<CONF
port $REDIS_PORT
bind 127.0.0.1
dir $d
appendonly yes
appendfsync always
save ""
daemonize no
logfile $d/redis.log
CONF
    redis-server "$d/redis.conf" &
    REDIS_PID=$!
    PIDS+=("$REDIS_PID")

    d="$WORK/peer-nats"
    mkdir -p "$d"
    NATS_PORT=$(free_port)
    # JetStream 2.9 has no setting that syncs every write: show its refusal.
    printf 'listen: 127.0.0.1:%s\njetstream {\n  store_dir: "%s/js"\n  sync_interval: always\n}\n' \
        "$NATS_PORT" "$d" >"$d/sync.conf"
    local refusal
    refusal=$(timeout 10 nats-server -c "$d/sync.conf" 2>&1 | head -n 1 || true)
    note "# nats-server $(nats-server --version 2>&1 | head -n 1) with sync_interval: always: ${refusal:-started (not refused)}"
    printf 'listen: 127.0.0.1:%s\njetstream {\n  store_dir: "%s/js"\n}\n' "$NATS_PORT" "$d" \
        >"$d/nats.conf"
    nats-server -c "$d/nats.conf" >"$d/nats.log" 2>&1 &
    NATS_PID=$!
    PIDS+=("$NATS_PID")

    d="$WORK/peer-rabbit"
    mkdir -p "$d/home" "$d/mnesia" "$d/log"
    RABBIT_PORT=$(free_port)
    local epmd_port
    epmd_port=$(free_port)
    cat >"$d/rabbitmq.conf" <<CONF
listeners.tcp.default = 127.0.0.1:$RABBIT_PORT
disk_free_limit.absolute = 100MB
log.console = false
log.file.level = warning
CONF
    echo '[].' >"$d/enabled_plugins"
    epmd -port "$epmd_port" -address 127.0.0.1 >"$d/epmd.log" 2>&1 &
    EPMD_PID=$!
    PIDS+=("$EPMD_PID")
    HOME="$d/home" RABBITMQ_NODENAME=bench@localhost RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 \
        RABBITMQ_NODE_PORT=$RABBIT_PORT RABBITMQ_DIST_PORT=$(free_port) \
        ERL_EPMD_PORT=$epmd_port ERL_EPMD_ADDRESS=127.0.0.1 RABBITMQ_MNESIA_BASE="$d/mnesia" \
        RABBITMQ_LOG_BASE="$d/log" RABBITMQ_CONFIG_FILE="$d/rabbitmq.conf" \
        RABBITMQ_ENABLED_PLUGINS_FILE="$d/enabled_plugins" RABBITMQ_PID_FILE="$d/rabbit.pid" \
        /usr/lib/rabbitmq/bin/rabbitmq-server >"$d/rabbit.out" 2>&1 &
    RABBIT_PID=$!
    PIDS+=("$RABBIT_PID")
    # Ready when each answers a real publish (bounded).
    local ok
    for kind in redis nats amqp; do
        local port
        case $kind in
        redis) port=$REDIS_PORT ;;
        nats) port=$NATS_PORT ;;
        amqp) port=$RABBIT_PORT ;;
        esac
        ok=0
        for _ in $(seq 240); do
            if "$T/bench_peer" "$kind" "$port" 1 1 1 64 >/dev/null 2>&1; then
                ok=1
                break
            fi
            sleep 0.5
        done
        [ $ok -eq 1 ] || note "# peer $kind did not come up; its figures are missing"
    done
    note "# peers: $(redis-server --version | cut -d' ' -f1-3), rabbitmq-server $(dpkg-query -W -f='${Version}' rabbitmq-server), nats-server $(dpkg-query -W -f='${Version}' nats-server)"
}

# The server-side PID to read CPU from: RabbitMQ's Erlang VM is beam.smp,
# a child of the script we started.
rabbit_vm_pid() {
    local p
    p=$(cat "$WORK/peer-rabbit/rabbit.pid" 2>/dev/null || true)
    echo "${p:-$RABBIT_PID}"
}

# --- one run -----------------------------------------------------------------
one_run() {
    echo "== run $RUN of $runs"
    # Reference: LMDB's own synced-commit ceiling.
    # Ascending keys (LMDB's best case) and random ones (an index of random
    # ids, pages taken from the free list: the broker's pattern).
    for cfg in "4000 1" "4000 16" "4000 64" "4000 256" "4096 64" "4000 64 random" \
               "4000 256 random"; do
        set -- $cfg
        record lmdb "$T/bench_lmdb" "$WORK/lmdb-$1-$2" "$1" "$2" "$LMDB_S" ${3:+random}
        rm -rf "$WORK/lmdb-$1-$2"
    done
    record verify "$T/bench_cpu" verify 4000 "$CPU_S"

    # Reference: the messaging ceiling (no storage), plain and with CURVE.
    for mode in plain curve; do
        local d="$WORK/s-echo"
        rm -rf "$d"
        mkdir -p "$d"
        if [ $mode = curve ]; then
            "$T/bench_echo" 'tcp://127.0.0.1:*' "$d/ready" "$PROV/broker/broker.key" &
        else
            "$T/bench_echo" 'tcp://127.0.0.1:*' "$d/ready" &
        fi
        local epid=$!
        PIDS+=("$epid")
        wait_file "$d/ready" 10 "$epid" || { echo "echo did not start"; exit 70; }
        local eep
        eep=$(sed -n 's/^endpoint=//p' "$d/ready")
        for cfg in "${ECHO[@]}"; do
            set -- $cfg
            if [ $mode = curve ]; then
                record echo-curve "$T/bench_load" ingest -e "$eep" -p "$PROV" --agents "$1" \
                    --inflight "$2" --per-agent "$3" --first 1 --broker-pid "$epid" --label echo-curve
            else
                record echo "$T/bench_load" ingest -e "$eep" --agents "$1" --inflight "$2" \
                    --per-agent "$3" --first 1 --broker-pid "$epid" --label echo
            fi
        done
        stop_pid "$epid"
    done

    # Durable ingest: plain, then as deployed; and the broker without fsync.
    for path in plain nosync deployed; do
        local cfgs=() prov=""
        case $path in
        plain) cfgs=("${INGEST[@]}") ;;
        nosync) cfgs=("${NOSYNC[@]}") ;;
        deployed) cfgs=("${DEPLOYED[@]}"); prov=$PROV ;;
        esac
        start_broker "$path" "$AGENCIES" "$prov" "$([ $path = nosync ] && echo nosync)"
        local first=1
        for cfg in "${cfgs[@]}"; do
            set -- $cfg
            local nreq=$(( ($3 + REV - 1) / REV ))
            local pflag=()
            [ -n "$prov" ] && pflag=(-p "$prov")
            "$T/bench_load" issue -e "$EP" "${pflag[@]}" --first "$first" --requests "$nreq" \
                --agents "$1" >/dev/null || { echo "FAILED: issuing requests" | tee -a "$RESULTS"; FAILED=1; }
            record "ingest-$path" "$T/bench_load" ingest -e "$EP" "${pflag[@]}" --agents "$1" \
                --inflight "$2" --per-agent "$3" --first "$first" --revisions "$REV" \
                --store "$STORE" --broker-pid "$BPID" --label "$path" --max-seconds 60
            first=$(( first + nreq ))
        done
        stop_pid "$BPID"
        rm -rf "$WORK/s-$path"
    done

    # Fan-out to every agency, memory idle and under load, then the summary.
    for path in plain deployed; do
        local prov="" pflag=()
        if [ $path = deployed ]; then
            prov=$FANPROV
            pflag=(-p "$prov")
        fi
        start_broker "fan-$path" "$FANAGENCIES" "$prov"
        record "fanout-$path" "$T/bench_load" fanout -e "$EP" "${pflag[@]}" \
            --agents "$FAN_AGENTS" --number 1 --broker-pid "$BPID"
        # The summary of the request, its 1,000 reports just stored.
        record "summary-$path" "$T/bench_cpu" summary "$STORE" 1
        # Then every agency reconnects and sends more revisions, 1 in flight.
        record "crowd-$path" "$T/bench_load" crowd -e "$EP" "${pflag[@]}" \
            --agents "$FAN_AGENTS" --number 1 --revisions "$FAN_REV" --broker-pid "$BPID" \
            --load-seconds 60
        stop_pid "$BPID"
        rm -rf "$WORK/s-fan-$path"
    done

    record docparse "$T/bench_cpu" docparse "$CPU_S" "$SRC"/tests/data/docparse/* \
        "$SRC"/deploy/province-demo/replies/*

    if [ $peers -eq 1 ]; then
        for cfg in "${PEER_CFG[@]}"; do
            set -- $cfg
            record peer-redis "$T/bench_peer" redis "$REDIS_PORT" "$1" "$2" "$3" 4000 "$REDIS_PID"
            record peer-amqp "$T/bench_peer" amqp "$RABBIT_PORT" "$1" "$2" "$3" 4000 \
                "$(rabbit_vm_pid)"
            record peer-nats "$T/bench_peer" nats "$NATS_PORT" "$1" "$2" "$3" 4000 "$NATS_PID"
        done
    fi
}

START=$(date +%s)
province "$FAN_AGENTS" fan
FANPROV=$PROV
FANAGENCIES=$AGENCIES
province 64 ingest
if [ $peers -eq 1 ]; then
    start_peers
fi
for RUN in $(seq "$runs"); do
    one_run
done
note "# elapsed: $(( $(date +%s) - START )) s; load at end: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
awk -f "$HERE/summarize.awk" "$RESULTS" | tee "$OUT/summary.md"
echo
echo "raw results: $RESULTS"
exit $FAILED
