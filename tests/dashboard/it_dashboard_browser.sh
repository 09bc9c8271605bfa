# it_dashboard_browser - the request page in Debian's headless Chromium shows
# an agency turn from pending to reported live when its agent submits, and
# saves screenshots into the build tree. Skips (exit 77) with a clear message
# when Chromium or Node.js >= 20 is missing or Chromium cannot start.
set -euo pipefail
: "${BC_BIN_DIR:?BC_BIN_DIR must point at the build tree}"
: "${BC_SOURCE_DIR:?BC_SOURCE_DIR must point at the source tree}"
HERE=$(cd "$(dirname "$0")" && pwd)
CHROMIUM=${BC_CHROMIUM:-/usr/bin/chromium}
NODE_DIR="$BC_BIN_DIR/tests/dashboard/browser-node"
SHOTS="$BC_BIN_DIR/tests/dashboard/screenshots"

skip() {
    echo "SKIP: $*"
    exit 77
}
[ -x "$CHROMIUM" ] || skip "chromium is not installed at $CHROMIUM (apt-get install chromium)"
command -v curl >/dev/null || skip "curl is not installed (apt-get install curl)"
command -v node >/dev/null || skip "node is not installed (apt-get install nodejs)"
command -v npm >/dev/null || skip "npm is not installed (apt-get install npm)"
node_major=$(node -p 'process.versions.node.split(".")[0]')
[ "$node_major" -ge 20 ] || skip "node $(node --version) is too old: playwright-core 1.65 needs 20 or later"
probe=$(mktemp -d "${TMPDIR:-/tmp}/baocao-chromium-probe.XXXXXX")
if ! timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$probe/profile" --dump-dom about:blank >"$probe/out" 2>"$probe/err"; then
    why=$(grep -v '^\s*$' "$probe/err" | tail -n 1)
    rm -rf "$probe"
    skip "chromium cannot start: ${why:-no output}"
fi
rm -rf "$probe"

# playwright-core, pinned by the committed lockfile, into the build tree; it
# drives the system's Chromium and downloads no browser.
mkdir -p "$NODE_DIR"
if ! cmp -s "$HERE/browser/package-lock.json" "$NODE_DIR/package-lock.json" \
   || [ ! -f "$NODE_DIR/node_modules/playwright-core/package.json" ]; then
    cp "$HERE/browser/package.json" "$HERE/browser/package-lock.json" "$NODE_DIR/"
    export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm_config_update_notifier=false
    echo "# npm ci in $NODE_DIR"
    if ! (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error); then
        echo "# npm ci failed; once more"
        (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error) \
            || { echo "FAIL: npm ci of playwright-core failed (is the npm registry reachable?)"; exit 1; }
    fi
fi

. "$HERE/dash_lib.sh"
it_setup
province_init
dash_start_broker
A=000.00.04.H45         # reports while the page is open
B=000.00.05.H45         # stays pending
for c in $A $B; do
    start_agent "$c" "$(agency_name "$c")"
done
FOLDER=1005-STTTT-TTBCXB
make_request "$WORK/request.json" 259200
cli request send "$WORK/request.json" >/dev/null
wait_for 20 "A received the request" test -s "$WORK/drop-$A/$FOLDER/YEU-CAU.txt"
start_dashboard
wait_for 20 "dashboard subscribed to the feed" metric_is baocao_dashboard_feed_up 1
KEY=$(api requests | jq -r '.requests[0].key')

export BC_NODE_MODULES="$NODE_DIR/node_modules" BC_CHROMIUM="$CHROMIUM" BC_DASH_URL="$DASH_URL"
export BC_REQUEST_KEY="$KEY" BC_AGENCY="$A" BC_SHOTS="$SHOTS"
export BC_DROP_CMD="cp '$DEMO/chi-tieu/$A.csv' '$WORK/drop-$A/$FOLDER/chi-tieu.csv' && cp '$DEMO/replies/$A.txt' '$WORK/drop-$A/$FOLDER/.b.part' && mv '$WORK/drop-$A/$FOLDER/.b.part' '$WORK/drop-$A/$FOLDER/bao-cao.txt'"
node --test --test-reporter=spec "$HERE/browser/browser.test.mjs"
stop_dashboard
ls -l "$SHOTS"
echo "ok: the request page turned $A from pending to reported live; screenshots in $SHOTS"
