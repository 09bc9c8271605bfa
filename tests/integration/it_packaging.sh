# it_packaging - installed as a province installs it: the install tree, man
# pages that render and match --help and --print-config, sample configs that
# the programs accept, systemd units checked by systemd-analyze, the daemons
# running as an unprivileged user without capabilities inside the units'
# system call filter and address families and stopping cleanly on SIGTERM,
# the .deb packages with their contents, maintainer scripts and declared
# dependencies, and dpkg -i / -r / -P of them in a throw-away overlay of
# this system.
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
ROOT=$WORK/root
DEBROOT=$WORK/debroot
DASHBOARD_BIN="$BC_BIN_DIR/agents/dashboard/baocao-dashboard"
SECONDS=0

skip_note() { echo "SKIP (part): $*"; }
normalize_man() {   # the roff source as plain words: no escapes, quotes or macros
    zcat "$1" | sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\(..//g' -e 's/"//g' \
        -e 's/^\.[A-Z][A-Z]* //' -e 's/[[:space:]][[:space:]]*/ /g' -e 's/ $//'
}

# --- 1. cmake --install into a throw-away prefix ------------------------------
cmake --install "$BC_BIN_DIR" --prefix "$ROOT" >"$WORK/install.log"
want=(bin/baocao bin/baocao-agent sbin/baocao-broker
      share/man/man1/baocao.1.gz share/man/man8/baocao-broker.8.gz share/man/man8/baocao-agent.8.gz
      etc/baocao/baocao-broker.conf etc/baocao/baocao-agent.conf etc/baocao/baocao.conf
      lib/systemd/system/baocao-broker.service lib/systemd/system/baocao-agent.service
      share/doc/baocao-broker/operations.md)
if [ -x "$DASHBOARD_BIN" ]; then
    want+=(sbin/baocao-dashboard share/man/man8/baocao-dashboard.8.gz
           lib/systemd/system/baocao-dashboard.service etc/baocao/baocao-dashboard.conf)
fi
for f in "${want[@]}"; do
    [ -e "$ROOT/$f" ] || fail "cmake --install did not install $f"
done
echo "# install tree: ${#want[@]} files present"

# The installed programs run, and accept the installed configs as they are.
# (grep reads a file, not a pipe: grep -q may stop reading early, and the
# writer's SIGPIPE would fail the pipeline under pipefail.)
for prog in bin/baocao sbin/baocao-broker bin/baocao-agent; do
    "$ROOT/$prog" --help >"$WORK/help.out" || fail "$prog --help exits non-zero"
    grep -q "^usage: ${prog#*/}" "$WORK/help.out" || fail "$prog --help prints no usage"
done
"$ROOT/sbin/baocao-broker" --config "$ROOT/etc/baocao/baocao-broker.conf" --check-config \
    | grep -q "configuration ok" || fail "the installed broker config is not accepted"
"$ROOT/bin/baocao-agent" --config "$ROOT/etc/baocao/baocao-agent.conf" --code 000.00.04.H45 \
    --name "Sở Nội vụ" --drop "$WORK/drop" --check-config | grep -q "config ok" \
    || fail "the installed agent config is not accepted"
set +e
"$ROOT/bin/baocao" --config "$ROOT/etc/baocao/baocao.conf" --store "$WORK/no-store" \
    request list >/dev/null 2>"$WORK/cli.err"
rc=$?
set -e
[ $rc -ne 78 ] && [ $rc -ne 64 ] || { cat "$WORK/cli.err"; fail "the installed baocao.conf is refused ($rc)"; }
# The installed configs are the samples: every key commented out.
for c in baocao-broker baocao-agent baocao; do
    cmp -s "$ROOT/etc/baocao/$c.conf" "$BC_SOURCE_DIR/deploy/$c.conf.sample" \
        || fail "/etc/baocao/$c.conf is not deploy/$c.conf.sample"
    if grep -Eq '^[a-z_]+ *=' "$ROOT/etc/baocao/$c.conf"; then
        fail "$c.conf sets a key instead of showing its default commented out"
    fi
done

# --- 2. man pages: render without warnings, cover every option and key --------
if ! command -v man >/dev/null; then
    fail "man is missing: bash deploy/scripts/install-deps.sh --test"
fi
check_man() {   # check_man PAGE.gz
    local page=$1
    LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$page" >"$WORK/man.out" 2>"$WORK/man.err" \
        || fail "man -l $page failed"
    [ ! -s "$WORK/man.err" ] || { cat "$WORK/man.err"; fail "$page renders with warnings"; }
    grep -q "^NAME" "$WORK/man.out" && grep -q "^SYNOPSIS" "$WORK/man.out" \
        || fail "$page lacks NAME or SYNOPSIS"
    normalize_man "$page" >"$WORK/man.txt"
}
man_has() {      # man_has WHAT TEXT: TEXT (fixed string) is in the last checked page
    grep -qF -- "$2" "$WORK/man.txt" || fail "man page lacks $1: $2"
}
man_has_key() {  # man_has_key KEY DEFAULT: a line "KEY = DEFAULT" documents it
    grep -qxF -- "$(printf '%s = %s' "$1" "$2" | sed 's/ $//')" "$WORK/man.txt" \
        || fail "man page lacks the key $1 with its default '$2'"
}
options_of() { "$@" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u; }
keys_of() {      # keys_of SAMPLE: "key<TAB>default" for every commented key
    sed -nE 's/^#([a-z_]+) = ?(.*)$/\1\t\2/p' "$1"
}
check_daemon_man() {   # check_daemon_man PAGE SAMPLE PROGRAM...
    local page=$1 sample=$2
    shift 2
    check_man "$page"
    local n=0
    for o in $(options_of "$@"); do
        man_has option "$o"
        n=$((n + 1))
    done
    while IFS=$'\t' read -r k d; do
        man_has_key "$k" "$d"
        n=$((n + 1))
    done < <(keys_of "$sample")
    echo "# $(basename "$page"): renders cleanly, documents $n options and keys"
}
check_daemon_man "$ROOT/share/man/man8/baocao-broker.8.gz" "$ROOT/etc/baocao/baocao-broker.conf" \
    "$ROOT/sbin/baocao-broker"
check_daemon_man "$ROOT/share/man/man8/baocao-agent.8.gz" "$ROOT/etc/baocao/baocao-agent.conf" \
    "$ROOT/bin/baocao-agent"
if [ -x "$DASHBOARD_BIN" ]; then
    check_daemon_man "$ROOT/share/man/man8/baocao-dashboard.8.gz" \
        "$ROOT/etc/baocao/baocao-dashboard.conf" "$ROOT/sbin/baocao-dashboard"
fi
# baocao(1): every command of `baocao --help`, every option of every noun's help.
check_man "$ROOT/share/man/man1/baocao.1.gz"
n=0
while read -r noun verbs _; do
    for verb in ${verbs//|/ }; do
        man_has command "$noun $verb"
        n=$((n + 1))
    done
done < <("$ROOT/bin/baocao" --help | sed -n '/^Lệnh:/,/^$/p' | grep -E '^  [a-z]+ [a-z|]+ ')
nouns=$("$ROOT/bin/baocao" --help | sed -n '/^Lệnh:/,/^$/p' | awk '/^  [a-z]/ {print $1}' | sort -u)
for noun in $nouns; do
    for o in $("$ROOT/bin/baocao" "$noun" --help | grep -oE -- '--[a-z][a-z-]+' | sort -u); do
        man_has option "$o"
        n=$((n + 1))
    done
done
while IFS=$'\t' read -r k d; do
    man_has_key "$k" "$d"
    n=$((n + 1))
done < <(keys_of "$ROOT/etc/baocao/baocao.conf")
echo "# baocao.1.gz: renders cleanly, documents $n commands, options and keys"

# --- 3. systemd units ------------------------------------------------------------
units=(baocao-broker baocao-agent)
[ -x "$DASHBOARD_BIN" ] && units+=(baocao-dashboard)
for u in "${units[@]}"; do
    f="$ROOT/lib/systemd/system/$u.service"
    exec_bin=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$f")
    [ -x "$exec_bin" ] || fail "$u.service starts $exec_bin, which is not installed"
    for d in 'User=baocao' 'StateDirectory=baocao' 'ConfigurationDirectory=baocao' \
             'ProtectSystem=strict' 'ProtectHome=yes' 'NoNewPrivileges=yes' 'PrivateTmp=yes' \
             'CapabilityBoundingSet=' 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6' \
             'SystemCallFilter=@system-service' 'KillSignal=SIGTERM' 'TimeoutStopSec=' \
             'Restart=on-failure' 'StandardError=journal'; do
        grep -q "^$d" "$f" || fail "$u.service lacks $d"
    done
    grep -qx 'CapabilityBoundingSet=' "$f" || fail "$u.service keeps capabilities"
done
# A trivial unit first: when even that fails, systemd-analyze cannot work in
# this container, and the check is skipped rather than failed.
printf '[Service]\nExecStart=/bin/true\n' >"$WORK/probe.service"
if ! command -v systemd-analyze >/dev/null; then
    skip_note "systemd-analyze is missing (apt-get install systemd): unit files not verified"
elif ! systemd-analyze verify "$WORK/probe.service" >"$WORK/probe.out" 2>&1; then
    skip_note "systemd-analyze cannot run here ($(head -n 1 "$WORK/probe.out")): units not verified"
else
    # Documentation=man:... is checked against the installed man pages.
    unit_files=()
    for u in "${units[@]}"; do
        unit_files+=("$ROOT/lib/systemd/system/$u.service")
    done
    if ! MANPATH="$ROOT/share/man" systemd-analyze verify "${unit_files[@]}" \
            >"$WORK/verify.out" 2>&1 \
            || [ -s "$WORK/verify.out" ]; then
        sed -i 's|^|    |' "$WORK/verify.out"
        cat "$WORK/verify.out"
        fail "systemd-analyze verify complains about the units"
    fi
    echo "# systemd-analyze verify: ${units[*]} clean"
    for u in "${units[@]}"; do
        if systemd-analyze security --offline=yes "$ROOT/lib/systemd/system/$u.service" \
                >"$WORK/security.out" 2>&1; then
            level=$(sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p' "$WORK/security.out")
            echo "# systemd-analyze security $u: exposure $level"
            awk -v l="$level" 'BEGIN { exit !(l != "" && l <= 2.5) }' \
                || fail "$u.service is exposed ($level > 2.5)"
        else
            skip_note "systemd-analyze security --offline is not supported here"
        fi
    done
fi

# --- 4. the daemons as the units run them: no capabilities, within the filter -----
# As an unprivileged user with no_new_privs and an empty bounding set (what
# User=, NoNewPrivileges= and CapabilityBoundingSet= give), a province made
# by the installed `baocao province init`, one round trip over CURVE; under
# strace, every system call must be allowed by @system-service minus
# @privileged, or systemd's filter would stop the service in production.
if [ "$(id -u)" -ne 0 ]; then
    skip_note "not root: the daemons were not run as another user"
else
chmod 0755 "$WORK"
RUN=$WORK/run
mkdir -p "$RUN"
PORT=$(free_port)
A=000.00.04.H45
"$ROOT/bin/baocao" --broker "tcp://127.0.0.1:$PORT" --store "$RUN/store" \
    province init "$DEMO/agencies.csv" --dir "$RUN/province" >/dev/null
chown -R nobody:nogroup "$RUN"
as_service() {
    setpriv --reuid=nobody --regid=nogroup --clear-groups --no-new-privs \
        --bounding-set=-all --inh-caps=-all "$@"
}
sanitized=0
readelf -d "$ROOT/sbin/baocao-broker" >"$WORK/dynamic.txt"
grep -q 'NEEDED.*libasan' "$WORK/dynamic.txt" && sanitized=1
tracer=()
if command -v strace >/dev/null && [ $sanitized -eq 0 ]; then
    tracer=(strace -f -qq -o)
else
    skip_note "strace missing or a sanitizer build: system calls not checked"
fi
daemon_pid() {     # daemon_pid WRAPPER_PID PROGRAM: the pid running PROGRAM
    local w=$1 bin=$2 p
    for p in "$w" $(pgrep -P "$w" || true); do
        [ "$(readlink "/proc/$p/exe" 2>/dev/null)" = "$bin" ] && { echo "$p"; return 0; }
    done
    return 1
}
# start_traced NAME PROGRAM ARGS...: starts PROGRAM as the service user (under
# strace when it can); sets TRACED_PID (the wrapper, whose exit status is the
# program's) and DAEMON_PID. Both are stopped on exit: a killed strace would
# leave its tracee running.
start_traced() {
    local name=$1 bin=$2
    shift
    if [ ${#tracer[@]} -gt 0 ]; then
        "${tracer[@]}" "$WORK/$name.strace" setpriv --reuid=nobody --regid=nogroup \
            --clear-groups --no-new-privs --bounding-set=-all --inh-caps=-all \
            "$@" >>"$WORK/$name.log" 2>&1 &
    else
        as_service "$@" >>"$WORK/$name.log" 2>&1 &
    fi
    TRACED_PID=$!
    PIDS+=("$TRACED_PID")
    wait_for 10 "$name started" daemon_pid "$TRACED_PID" "$bin"
    DAEMON_PID=$(daemon_pid "$TRACED_PID" "$bin")
    PIDS+=("$DAEMON_PID")
}
start_traced broker "$ROOT/sbin/baocao-broker" --config "$RUN/province/broker/baocao-broker.conf" \
    --ready-file "$RUN/ready" --events 'tcp://127.0.0.1:*'
BWRAP=$TRACED_PID
BPID=$DAEMON_PID
wait_for 20 "unprivileged broker ready" test -s "$RUN/ready"
ENDPOINT="tcp://127.0.0.1:$PORT"
[ "$(stat -c %U "$RUN/store/data.mdb")" = nobody ] || fail "store not written by the service user"
grep -q '^CapEff:[[:space:]]*0000000000000000' "/proc/$BPID/status" || fail "broker has capabilities"
grep -q '^NoNewPrivs:[[:space:]]*1' "/proc/$BPID/status" || fail "broker lacks no_new_privs"
start_traced agent "$ROOT/bin/baocao-agent" --config "$RUN/province/$A/baocao-agent.conf"
AWRAP=$TRACED_PID
APID=$DAEMON_PID
jq --arg a "$A" '.recipients = [.recipients[] | select(.code == $a)]' "$DEMO/request.json" \
    >"$WORK/request.json"
"$ROOT/bin/baocao" --config "$RUN/province/$COORD/baocao.conf" request send "$WORK/request.json" \
    >/dev/null
FOLDER="$RUN/province/$A/drop/1005-STTTT-TTBCXB"
wait_for 20 "the unprivileged agent received the request" test -s "$FOLDER/YEU-CAU.txt"
cp "$DEMO/replies/$A.txt" "$FOLDER/.bao-cao.txt"
chown nobody:nogroup "$FOLDER/.bao-cao.txt"
mv "$FOLDER/.bao-cao.txt" "$FOLDER/bao-cao.txt"
wait_for 20 "the unprivileged agent's report stored" test -s "$FOLDER/sent/BIEN-NHAN.txt"
"$ROOT/bin/baocao" --config "$RUN/province/$COORD/baocao.conf" --json status 1005/STTTT-TTBCXB \
    | jq -e --arg a "$A" '.agencies[] | select(.agency.code == $a) | .status == "REPORTED"' \
    >/dev/null || fail "the report is not in the store"
daemons="broker agent"
if [ -x "$ROOT/sbin/baocao-dashboard" ]; then
    # The dashboard beside them: the store read-only, the feed over CURVE.
    EVENTS=$(sed -n 's/^events=//p' "$RUN/ready")
    start_traced dashboard "$ROOT/sbin/baocao-dashboard" --config /dev/null --store "$RUN/store" \
        --events "$EVENTS" --key "$RUN/province/$COORD/$COORD.key" \
        --broker-key "$RUN/province/broker/broker.pub" --port 0 --ready-file "$RUN/dash.ready"
    DWRAP=$TRACED_PID
    DPID=$DAEMON_PID
    wait_for 20 "unprivileged dashboard ready" test -s "$RUN/dash.ready"
    URL=$(sed -n 's/^url=//p' "$RUN/dash.ready")
    http_get() { curl -fsS --max-time 10 "$URL$1"; }
    http_get healthz | grep -qx ok || fail "dashboard /healthz"
    http_get api/requests >"$WORK/api.json" || fail "dashboard /api/requests"
    grep -q 1005 "$WORK/api.json" || fail "the dashboard does not list the request"
    wait_for 20 "the dashboard follows the event feed" \
        bash -c "curl -fsS --max-time 5 '${URL}metrics' | grep -q '^baocao_dashboard_feed_up 1'"
    kill -TERM "$DPID"
    set +e
    wait "$DWRAP"
    rc=$?
    set -e
    [ $rc -eq 0 ] || fail "the dashboard exited $rc on SIGTERM"
    daemons+=" dashboard"
fi
# SIGTERM as systemd sends it: both stop by themselves, exit 0.
for pair in "$APID:$AWRAP:agent" "$BPID:$BWRAP:broker"; do
    IFS=: read -r pid wrapper name <<<"$pair"
    kill -TERM "$pid"
    set +e
    wait "$wrapper"
    rc=$?
    set -e
    [ $rc -eq 0 ] || fail "the $name exited $rc on SIGTERM"
done
echo "# unprivileged $daemons: round trip over CURVE, clean stop on SIGTERM"
if [ ${#tracer[@]} -gt 0 ]; then
    expand() {
        systemd-analyze syscall-filter "$1" | tail -n +2 | sed 's/#.*//; s/[[:space:]]//g' \
            | grep -v '^$' | while read -r s; do
                case $s in @*) expand "$s" ;; *) echo "$s" ;; esac
            done
    }
    expand @system-service | sort -u >"$WORK/allowed"
    expand @privileged | sort -u >"$WORK/privileged"
    comm -23 "$WORK/allowed" "$WORK/privileged" >"$WORK/allowed-final"
    for name in $daemons; do
        # Only what the daemon does: from its execve on (setpriv's own set-up
        # is systemd's job in production).
        awk '/execve\(.*baocao-(broker|agent|dashboard)"/ && / = 0$/ { on = 1; next } on' \
            "$WORK/$name.strace" | sed -E 's/^[0-9]+ +//' >"$WORK/$name.trace"
        sed -E 's/^<\.\.\. ([a-z0-9_]+) resumed>.*/\1(/' "$WORK/$name.trace" \
            | grep -oE '^[a-z0-9_]+\(' | tr -d '(' | sort -u >"$WORK/$name.calls"
        [ -s "$WORK/$name.calls" ] || fail "no system calls traced for the $name"
        outside=$(comm -23 "$WORK/$name.calls" "$WORK/allowed-final" | tr '\n' ' ')
        [ -z "$outside" ] || fail "the $name calls outside @system-service ~@privileged: $outside"
        # The socket families it opens are those its unit allows.
        families=$(grep -oE '^socket\(AF_[A-Z0-9]+' "$WORK/$name.trace" | cut -d'(' -f2 | sort -u)
        allowed_families=$(sed -n 's/^RestrictAddressFamilies=//p' \
                           "$ROOT/lib/systemd/system/baocao-$name.service")
        for f in $families; do
            case " $allowed_families " in
                *" $f "*) ;;
                *) fail "the $name opens $f sockets; its unit allows only $allowed_families" ;;
            esac
        done
        echo "# $name: $(wc -l <"$WORK/$name.calls") distinct system calls, all within the" \
             "unit's filter; sockets:" $families
    done
fi
fi

# --- 5. the .deb packages ---------------------------------------------------------
if ! command -v dpkg-shlibdeps >/dev/null; then
    fail "dpkg-shlibdeps is missing: bash deploy/scripts/install-deps.sh --test"
fi
t0=$SECONDS
cpack --config "$BC_BIN_DIR/CPackConfig.cmake" -G DEB -B "$WORK/pkg" >"$WORK/cpack.log" 2>&1 \
    || { tail -n 30 "$WORK/cpack.log"; fail "cpack failed"; }
echo "# cpack -G DEB: $((SECONDS - t0)) s"
declare -A contents=(
    [baocao-broker]="./usr/sbin/baocao-broker ./usr/share/man/man8/baocao-broker.8.gz ./etc/baocao/baocao-broker.conf ./usr/lib/systemd/system/baocao-broker.service ./usr/share/doc/baocao-broker/operations.md"
    [baocao-agent]="./usr/bin/baocao-agent ./usr/share/man/man8/baocao-agent.8.gz ./etc/baocao/baocao-agent.conf ./usr/lib/systemd/system/baocao-agent.service"
    [baocao-cli]="./usr/bin/baocao ./usr/share/man/man1/baocao.1.gz ./etc/baocao/baocao.conf"
)
if [ -x "$DASHBOARD_BIN" ]; then
    contents[baocao-broker]+=" ./usr/sbin/baocao-dashboard ./usr/share/man/man8/baocao-dashboard.8.gz ./etc/baocao/baocao-dashboard.conf ./usr/lib/systemd/system/baocao-dashboard.service"
fi
# lib_packages: "soname package" for every library the extracted programs
# link, from one dpkg-query call (usrmerge: a library may be known under /lib
# or /usr/lib).
lib_packages() {
    local exe soname path
    : >"$WORK/needed"
    for exe in "$@"; do
        while read -r soname path; do
            echo "$soname $path" >>"$WORK/needed"
        done < <(ldd "$exe" | awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}' \
                 | grep -Ff <(readelf -d "$exe" | sed -n 's/.*NEEDED.*\[\(.*\)\]/\1/p'))
    done
    sort -u "$WORK/needed" -o "$WORK/needed"
    local candidates=()
    while read -r soname path; do
        candidates+=("$path" "/usr${path#/usr}" "${path#/usr}")
    done <"$WORK/needed"
    dpkg-query -S "${candidates[@]}" 2>/dev/null | sed -E 's/^([^:]+)(:[a-z0-9]+)?: (.*)$/\1 \3/' \
        >"$WORK/owners" || true
    while read -r soname path; do
        local owner
        owner=$(awk -v b="/$soname" 'substr($2, length($2) - length(b) + 1) == b {print $1; exit}' \
                "$WORK/owners")
        echo "$soname ${owner:-?}"
    done <"$WORK/needed"
}
mkdir -p "$DEBROOT"
for pkg in baocao-broker baocao-agent baocao-cli; do
    deb=$(ls "$WORK/pkg/${pkg}_"*.deb 2>/dev/null | head -n 1)
    [ -n "$deb" ] || fail "no package $pkg"
    dpkg-deb --info "$deb" >"$WORK/info"
    dpkg-deb --contents "$deb" | awk '{print $6}' >"$WORK/contents"
    [ "$(dpkg-deb --field "$deb" Package)" = "$pkg" ] || fail "$deb is not $pkg"
    for f in ${contents[$pkg]}; do
        grep -qxF "$f" "$WORK/contents" || fail "$pkg lacks $f"
    done
    depends=$(dpkg-deb --field "$deb" Depends)
    # Every library a program of the package links must be a declared dependency.
    dpkg-deb -x "$deb" "$DEBROOT"
    exes=()
    for exe in $(grep -E '^\./usr/s?bin/[^/]+$' "$WORK/contents"); do
        exes+=("$DEBROOT/${exe#./}")
        "$DEBROOT/${exe#./}" --help >/dev/null || fail "the packaged ${exe#.} does not run"
    done
    while read -r soname lib_pkg; do
        [ "$lib_pkg" != "?" ] || fail "$pkg: $soname belongs to no Debian package"
        case ", $depends," in
            *", $lib_pkg "*|*", $lib_pkg,"*) ;;
            *) fail "$pkg links $soname from $lib_pkg, not in Depends: $depends" ;;
        esac
    done < <(lib_packages "${exes[@]}")
    conffiles=$(dpkg-deb --info "$deb" conffiles 2>/dev/null || true)
    for f in $(grep -E '^\./etc/.*[^/]$' "$WORK/contents"); do
        grep -qxF "${f#.}" <<<"$conffiles" || fail "$pkg: ${f#.} is not a conffile"
    done
    if grep -q '^\./usr/lib/systemd/system/' "$WORK/contents"; then
        case ", $depends," in *", adduser"*) ;; *) fail "$pkg does not depend on adduser" ;; esac
        mkdir -p "$WORK/control-$pkg"
        dpkg-deb --control "$deb" "$WORK/control-$pkg"
        for s in postinst prerm postrm; do
            [ -x "$WORK/control-$pkg/$s" ] || fail "$pkg lacks an executable $s"
            sh -n "$WORK/control-$pkg/$s" || fail "$pkg: $s is not valid sh"
        done
        grep -q 'adduser --system' "$WORK/control-$pkg/postinst" \
            || fail "$pkg's postinst does not create the system user"
        for u in $(grep -oE 'system/[a-z-]+\.service$' "$WORK/contents" | cut -d/ -f2); do
            exec_bin=$(sed -n 's/^ExecStart=\([^ ]*\).*/\1/p' "$DEBROOT/usr/lib/systemd/system/$u")
            grep -qxF ".$exec_bin" "$WORK/contents" || fail "$u starts $exec_bin, not in $pkg"
            grep -q "/etc/baocao/" "$DEBROOT/usr/lib/systemd/system/$u" \
                || fail "$u does not read /etc/baocao"
        done
    fi
    printf '# %s: %s bytes, installed %s KiB; Depends: %s\n' "$(basename "$deb")" \
        "$(stat -c %s "$deb")" "$(dpkg-deb --field "$deb" Installed-Size)" "$depends"
done

# --- 6. dpkg -i, reinstall, -r and -P, in a throw-away copy of this system ---------
# An overlay of / (changes in a tmpfs) in a private mount namespace, entered
# with chroot: the maintainer scripts really run (user, folders), the
# installed programs find their configs at /etc/baocao, and nothing of it
# reaches this machine.
if [ "$(id -u)" -ne 0 ]; then
    skip_note "not root: the packages were not installed with dpkg"
elif grep -qw overlay /proc/filesystems && command -v unshare >/dev/null; then
    mkdir -p "$WORK/ovl"
    cp "$WORK"/pkg/*.deb "$WORK/ovl/"
    cat >"$WORK/ovl/run.sh" <<'SCRIPT'
set -eu
O=$1
# Only in a mount namespace of our own: the mounts vanish with it.
[ "$(readlink /proc/self/ns/mnt)" != "$(readlink /proc/1/ns/mnt)" ] || { echo "not in a private mount namespace"; exit 2; }
mkdir -p "$O/layer" "$O/root"
mount -t tmpfs tmpfs "$O/layer"
mkdir -p "$O/layer/upper" "$O/layer/work"
mount -t overlay overlay -o "lowerdir=/,upperdir=$O/layer/upper,workdir=$O/layer/work" "$O/root"
mountpoint -q "$O/root" || { echo "overlay not mounted"; exit 2; }
mount -t proc proc "$O/root/proc"
# A /dev of its own: the host's, bound in, would let a script in the chroot
# replace this machine's /dev/null.
mount -t tmpfs -o mode=0755 tmpfs "$O/root/dev"
mknod -m 0666 "$O/root/dev/null" c 1 3
mknod -m 0666 "$O/root/dev/zero" c 1 5
mknod -m 0666 "$O/root/dev/full" c 1 7
mknod -m 0666 "$O/root/dev/random" c 1 8
mknod -m 0666 "$O/root/dev/urandom" c 1 9
ln -s /proc/self/fd "$O/root/dev/fd"
mkdir -p "$O/root/var/tmp/baocao-pkgs"
cp "$O"/*.deb "$O/root/var/tmp/baocao-pkgs/"
exec chroot "$O/root" /bin/bash -s <<'INSIDE'
set -eu
ok() { [ -c /dev/null ] || no "/dev/null is no longer a device"; echo "#   $*"; }
no() { echo "FAIL (in the overlay): $*"; exit 1; }
! getent passwd baocao >/dev/null || no "a user baocao exists before the install"
rm -f /var/lib/man-db/auto-update      # no index rebuilds: man -w searches the files
dpkg -i /var/tmp/baocao-pkgs/*.deb >/var/tmp/dpkg.log 2>&1 || { cat /var/tmp/dpkg.log; no "dpkg -i failed"; }
ok "dpkg -i baocao-broker baocao-agent baocao-cli: installed"
getent passwd baocao | grep -q ':/var/lib/baocao:/usr/sbin/nologin$' || no "system user baocao: $(getent passwd baocao)"
[ "$(stat -c '%U %a' /etc/baocao/keys)" = "baocao 700" ] || no "/etc/baocao/keys: $(stat -c '%U %a' /etc/baocao/keys)"
for d in /var/lib/baocao /var/lib/baocao-agent /srv/baocao/drop; do
    [ "$(stat -c '%U %a' "$d")" = "baocao 750" ] || no "$d: $(stat -c '%U %a' "$d")"
done
ok "postinst: user baocao (nologin), /etc/baocao/keys 0700, store, outbox and drop folders"
/usr/sbin/baocao-broker --check-config | grep -qx "configuration ok" || no "broker with /etc/baocao"
/usr/bin/baocao-agent --config /etc/baocao/baocao-agent.conf --code 000.00.04.H45 --name x \
    --drop /srv/baocao/drop --check-config | grep -qx "config ok" || no "agent with /etc/baocao"
if [ -x /usr/sbin/baocao-dashboard ]; then
    /usr/sbin/baocao-dashboard --check-config | grep -qx "configuration ok" || no "dashboard"
fi
for page in baocao.1 baocao-broker.8 baocao-agent.8; do
    man -w "${page%.*}" >/dev/null 2>&1 || no "man ${page%.*} not found"
done
ok "programs read their configs in /etc/baocao; man finds the pages"
if command -v systemd-analyze >/dev/null; then
    systemd-analyze verify /usr/lib/systemd/system/baocao-*.service >/var/tmp/verify.log 2>&1 \
        && [ ! -s /var/tmp/verify.log ] || { cat /var/tmp/verify.log; no "systemd-analyze verify"; }
    ok "systemd-analyze verify of the installed units: clean"
fi
# An operator's edit survives a reinstall (the upgrade path of postinst).
echo 'endpoint = tcp://*:5570' >>/etc/baocao/baocao-broker.conf
dpkg -i /var/tmp/baocao-pkgs/*.deb >/var/tmp/dpkg.log 2>&1 || { cat /var/tmp/dpkg.log; no "reinstall"; }
grep -qx 'endpoint = tcp://\*:5570' /etc/baocao/baocao-broker.conf || no "the edited config was replaced"
ok "reinstall (postinst configure OLD-VERSION): the edited conffile kept"
dpkg -r baocao-broker baocao-agent baocao-cli >/var/tmp/dpkg.log 2>&1 || { cat /var/tmp/dpkg.log; no "dpkg -r"; }
[ ! -e /usr/sbin/baocao-broker ] && [ -e /etc/baocao/baocao-broker.conf ] || no "dpkg -r"
dpkg -P baocao-broker baocao-agent baocao-cli >/var/tmp/dpkg.log 2>&1 || { cat /var/tmp/dpkg.log; no "dpkg -P"; }
[ ! -e /etc/baocao/baocao-broker.conf ] || no "purge left the conffile"
[ -d /etc/baocao/keys ] && [ -d /var/lib/baocao ] && getent passwd baocao >/dev/null \
    || no "purge removed keys, store or user"
ok "dpkg -r then -P: programs, then configs gone; keys, store and user kept"
INSIDE
SCRIPT
    if ! unshare -m --propagation private bash "$WORK/ovl/run.sh" "$WORK/ovl" >"$WORK/ovl.log" 2>&1; then
        cat "$WORK/ovl.log"
        if grep -q "^FAIL" "$WORK/ovl.log"; then
            fail "the packages do not install, reinstall or remove cleanly"
        fi
        skip_note "no overlay of / here ($(tail -n 1 "$WORK/ovl.log")): dpkg -i not tried"
    else
        cat "$WORK/ovl.log"
    fi
    # Unless baocao is really installed here, none of it may show on this machine.
    if ! dpkg -s baocao-broker >/dev/null 2>&1; then
        ! getent passwd baocao >/dev/null || fail "the overlay leaked: a user baocao exists here"
        [ ! -e /etc/baocao/baocao-broker.conf ] || fail "the overlay leaked: /etc/baocao exists here"
    fi
else
    skip_note "overlayfs or unshare missing: the packages were not installed with dpkg"
fi

echo "ok: install tree, man pages, configs, units, unprivileged daemons and .deb packages ($SECONDS s)"
