#!/usr/bin/env bash
# demo - the demo province end to end: installs what is missing, builds,
# starts a broker and one agent per department on loopback, issues the
# request, lets the departments answer (one late, one never), prints who
# answered and the provincial summary, then stops everything it started.
set -euo pipefail
top=$(cd "$(dirname "$0")/../.." && pwd)
cd "$top"
bash deploy/scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null

DEMO=$top/deploy/province-demo
. "$DEMO/roles.env"
RUN=${BAOCAO_DEMO_DIR:-$(mktemp -d /tmp/baocao-demo.XXXXXX)}
DEADLINE_IN=${BAOCAO_DEMO_DEADLINE_S:-20}
mkdir -p "$RUN"
PIDS=()
cleanup() {
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT

wait_for() {   # wait_for SECONDS WHAT COMMAND...
    local limit=$1 what=$2; shift 2
    local end=$(( $(date +%s) + limit ))
    until "$@" >/dev/null 2>&1; do
        if [ "$(date +%s)" -ge $end ]; then
            echo "demo: timed out waiting for $what (logs in $RUN)" >&2
            exit 1
        fi
        sleep 0.1
    done
}

# A port of our own on loopback; the province's keys name it.
PORT=${BAOCAO_DEMO_PORT:-$(( 20000 + RANDOM % 12000 ))}
EP="tcp://127.0.0.1:$PORT"
echo "== Tạo khóa CURVE và khóa ký cho máy chủ và $(( $(wc -l <"$DEMO/agencies.csv") - 1 )) cơ quan"
build/agents/cli/baocao --broker "$EP" --store "$RUN/store" \
    province init "$DEMO/agencies.csv" --dir "$RUN/province" >/dev/null
PROV=$RUN/province
echo "== Khởi động máy chủ trung gian (baocao-broker, CURVE và chữ ký bắt buộc), dữ liệu tại $RUN"
build/broker/baocao-broker --config "$PROV/broker/baocao-broker.conf" \
    --events 'tcp://127.0.0.1:*' --ready-file "$RUN/ready" >"$RUN/broker.log" 2>&1 &
PIDS+=($!)
wait_for 20 "the broker" test -s "$RUN/ready"
COORD=$(awk -F, 'NR > 1 && /coordinator/ { print $1; exit }' "$DEMO/agencies.csv")
cli() { build/agents/cli/baocao --config "$PROV/$COORD/baocao.conf" "$@"; }

codes=$(jq -r '.recipients[].code' "$DEMO/request.json")
echo "== Khởi động $(echo "$codes" | wc -w) máy trạm của các cơ quan (baocao-agent)"
for code in $codes; do
    build/agents/agent/baocao-agent --config "$PROV/$code/baocao-agent.conf" \
        >"$PROV/$code/agent.log" 2>&1 &
    PIDS+=($!)
done

deadline=$(date -u -d "@$(( $(date +%s) + DEADLINE_IN + 7 * 3600 ))" +%Y-%m-%dT%H:%M:%S+07:00)
sed "s/^  \"deadline\": \".*\",\$/  \"deadline\": \"$deadline\",/" "$DEMO/request.json" \
    >"$RUN/request.json"
echo "== Sở Thông tin và Truyền thông gửi yêu cầu báo cáo, hạn $deadline"
cli request send "$RUN/request.json"
REQ=$(jq -r '"\(.number)/\(.notation)"' "$RUN/request.json")
FOLDER=$(jq -r '"\(.number)-\(.notation)"' "$RUN/request.json")

for code in $codes; do
    wait_for 30 "$code to receive the request" test -s "$PROV/$code/drop/$FOLDER/YEU-CAU.txt"
done
echo "== Mọi cơ quan đã nhận yêu cầu; cán bộ các cơ quan đặt báo cáo vào thư mục"
drop() {
    local code=$1 dir=$PROV/$1/drop/$FOLDER
    cp "$DEMO/chi-tieu/$code.csv" "$dir/chi-tieu.csv"
    cp "$DEMO/replies/$code.txt" "$dir/.bao-cao.txt.part"
    mv "$dir/.bao-cao.txt.part" "$dir/bao-cao.txt"
}
for code in $codes; do
    if [ "$code" != "$DEMO_LATE" ] && [ "$code" != "$DEMO_MISSING" ]; then
        drop "$code"
    fi
done
for code in $codes; do
    if [ "$code" != "$DEMO_LATE" ] && [ "$code" != "$DEMO_MISSING" ]; then
        wait_for 30 "$code's report" test -s "$PROV/$code/drop/$FOLDER/sent/BIEN-NHAN.txt"
    fi
done
cli status "$REQ"

now=$(date +%s)
target=$(date -d "$deadline" +%s)
if [ "$now" -le "$target" ]; then
    echo "== Chờ đến hạn báo cáo ($(( target - now + 1 )) giây)..."
    sleep $(( target - now + 1 ))
fi
echo "== Quá hạn; $(jq -r --arg c "$DEMO_LATE" '.recipients[] | select(.code == $c) | .name' "$DEMO/request.json") gửi báo cáo muộn"
drop "$DEMO_LATE"
wait_for 30 "the late report" test -s "$PROV/$DEMO_LATE/drop/$FOLDER/sent/BIEN-NHAN.txt"
overdue() { cli --json status "$REQ" | grep -q OVERDUE; }
wait_for 10 "the overdue mark" overdue

echo
cli status "$REQ"
echo
cli summary "$REQ" --format text
cli summary "$REQ" --format md -o "$RUN/tong-hop.md"
cli summary "$REQ" --format json -o "$RUN/tong-hop.json"
echo
echo "== Chữ ký của một báo cáo, và nhật ký kiểm toán:"
cli report verify "$REQ" "$(echo "$codes" | head -n 1)"
cli audit verify
echo
echo "== Bản tổng hợp: $RUN/tong-hop.md, $RUN/tong-hop.json; nhật ký: $RUN/broker.log, $PROV/*/agent.log"

# The live dashboard on the demo's store and event feed (CURVE, with the
# coordinator's key): its address, then it runs until Ctrl-C. Not when
# BAOCAO_DEMO_NO_WAIT=1 or stdin is not a terminal (CI): then it is only
# checked to answer, and stopped with the rest.
EVENTS=$(sed -n 's/^events=//p' "$RUN/ready")
start_dashboard() {   # start_dashboard PORT: sets DASH_PID; fails if it does not come up
    rm -f "$RUN/dashboard.ready"
    build/agents/dashboard/baocao-dashboard --store "$RUN/store" --events "$EVENTS" \
        --key "$PROV/$COORD/$COORD.key" --broker-key "$PROV/$COORD/broker.pub" \
        --port "$1" --ready-file "$RUN/dashboard.ready" >>"$RUN/dashboard.log" 2>&1 &
    DASH_PID=$!
    local end=$(( $(date +%s) + 20 ))
    until [ -s "$RUN/dashboard.ready" ]; do
        if ! kill -0 "$DASH_PID" 2>/dev/null || [ "$(date +%s)" -ge $end ]; then
            kill "$DASH_PID" 2>/dev/null || true
            return 1
        fi
        sleep 0.1
    done
}
# Port 8080 (BAOCAO_DEMO_DASHBOARD_PORT), or any free one when it is taken.
if ! start_dashboard "${BAOCAO_DEMO_DASHBOARD_PORT:-8080}" && ! start_dashboard 0; then
    echo "demo: the dashboard did not start (see $RUN/dashboard.log)" >&2
    exit 1
fi
PIDS+=("$DASH_PID")
URL=$(sed -n 's/^url=//p' "$RUN/dashboard.ready")
echo
echo "== Bảng theo dõi trực tiếp: $URL"
echo "   (trang yêu cầu: ${URL}r/$(jq -rn --arg k "$REQ" '$k | @uri'); nhật ký: $RUN/dashboard.log)"
if command -v curl >/dev/null; then
    curl -fsS --max-time 10 "${URL}api/requests" \
        | jq -r '.requests[] | "   \(.citation): \(.reported // 0)/\(.addressed) cơ quan đã báo cáo"'
fi
if [ "${BAOCAO_DEMO_NO_WAIT:-0}" = 1 ] || [ ! -t 0 ]; then
    echo "== Không chờ (BAOCAO_DEMO_NO_WAIT=1 hoặc không chạy trên thiết bị đầu cuối): dừng mọi tiến trình."
else
    echo "== Mở địa chỉ trên bằng trình duyệt. Nhấn Ctrl-C để dừng bản trình diễn."
    wait "$DASH_PID" || true
fi
