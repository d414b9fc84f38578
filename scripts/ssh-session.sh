#!/usr/bin/env bash
# A real SSH session: qari read through `ssh -tt` inside tmux at 80×24, the
# connection dropped mid-read, and the next session resuming where the
# reader left off.
#
#   scripts/ssh-session.sh            # builds target/debug/qari if needed
#   QARI=target/release/qari scripts/ssh-session.sh
#   QARI_SSH_PORT=2222 scripts/ssh-session.sh
#   QARI_SSH_KEEP=1 scripts/ssh-session.sh   # keep the temp dir (logs, screens)
#
# It starts its own sshd on 127.0.0.1 (a spare port from 2222 up) with a
# throwaway host key, user key, authorized_keys and sshd_config in a temp dir;
# the system's sshd config and ~/.ssh are never read or written (ssh runs with
# -F /dev/null and its own known_hosts). tmux runs its own server on a socket
# in the temp dir (-S).
# Everything it started is stopped on every exit path (trap).
#
# Scenario (article: articles/nile-long-read.md, copied into the temp dir):
#  1. TERM=xterm-256color: the laid-out Arabic title is on screen (checked
#     against GNU FriBidi's shaping of the same words), move 3 paragraphs,
#     kill -9 the ssh client (the link drops) → qari gets SIGHUP: it must save
#     the position (state file under the XDG_STATE_HOME given to it) and exit.
#  2. TERM=screen: the same paragraph is focused on screen, move 2 more, kill
#     -9 this connection's sshd processes (server side drop) → same checks.
#  3. TERM=xterm-256color: resumed at that paragraph again; quit with Q.
# After each drop: no qari and no session sshd left behind.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
ARTICLE_SRC="$ROOT/articles/nile-long-read.md"
# Words of the article's title, to find on the first screen.
TITLE_WORDS="النيل رحلة نهر"

fail() {
    echo "ssh-session: FAIL: $*" >&2
    if [ -n "${T:-}" ] && [ -f "$T/screen.txt" ]; then
        echo "--- last screen ---" >&2
        cat "$T/screen.txt" >&2
        echo "-------------------" >&2
    fi
    if [ -n "${T:-}" ] && [ -f "$T/sshd.log" ]; then
        echo "--- sshd log (tail) ---" >&2
        tail -n 20 "$T/sshd.log" >&2
    fi
    exit 1
}
step() { echo "ssh-session: $*"; }

# --- tools -------------------------------------------------------------
need=()
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh >/dev/null 2>&1 || need+=(openssh-client)
command -v ssh-keygen >/dev/null 2>&1 || need+=(openssh-client)
command -v tmux >/dev/null 2>&1 || need+=(tmux)
command -v fribidi >/dev/null 2>&1 || need+=(libfribidi-bin)
command -v python3 >/dev/null 2>&1 || need+=(python3)
if [ ${#need[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || fail "missing ${need[*]} and not root to install them"
    step "installing ${need[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null \
        || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null; } \
        || fail "could not install ${need[*]}"
fi

if [ -z "${QARI:-}" ]; then
    (cd "$ROOT" && cargo build --quiet --bin qari) || fail "cargo build failed"
    QARI="$ROOT/target/debug/qari"
fi
QARI=$(cd "$(dirname "$QARI")" && pwd)/$(basename "$QARI")
[ -x "$QARI" ] || fail "no qari binary at $QARI"

# --- sandbox and cleanup -----------------------------------------------
T=$(mktemp -d /tmp/qari-ssh.XXXXXX)
SOCK="$T/tmux.sock"
SSHD_PID=""
MADE_PRIVSEP=""
cleanup() {
    local rc=$?
    tmux -S "$SOCK" kill-server >/dev/null 2>&1 || true
    if [ -n "$SSHD_PID" ]; then
        # The listener and any session processes it still has.
        local kids
        kids=$(pgrep -P "$SSHD_PID" 2>/dev/null || true)
        kill "$SSHD_PID" $kids >/dev/null 2>&1 || true
    fi
    # A qari started from this sandbox (matched by its unique path).
    local left
    left=$(pgrep -f -- "^$T/bin/qari( |$)" 2>/dev/null || true)
    [ -z "$left" ] || kill -9 $left >/dev/null 2>&1 || true
    [ -z "$MADE_PRIVSEP" ] || rmdir /run/sshd 2>/dev/null || true
    if [ -n "${QARI_SSH_KEEP:-}" ]; then
        echo "ssh-session: kept $T" >&2
    else
        rm -rf "$T"
    fi
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM HUP

mkdir -p "$T/bin" "$T/lib" "$T/xdg/state" "$T/xdg/config" "$T/xdg/cache"
# A link with a path unique to this run, so its processes can be found
# (and only they) by command line.
ln -s "$QARI" "$T/bin/qari"
cp "$ARTICLE_SRC" "$T/lib/nile.md"
ARTICLE="$T/lib/nile.md"
STATE_FILE="$T/xdg/state/qari/reading.json"

# --- sshd ----------------------------------------------------------------
ssh-keygen -q -t ed25519 -N '' -C qari-host -f "$T/host_key"
ssh-keygen -q -t ed25519 -N '' -C qari-user -f "$T/user_key"
cp "$T/user_key.pub" "$T/authorized_keys"
USER_NAME=$(id -un)

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
PORT=${QARI_SSH_PORT:-2222}
while ! port_free "$PORT"; do
    PORT=$((PORT + 1))
    [ "$PORT" -lt 2400 ] || fail "no free port in 2222-2399"
done

cat >"$T/sshd_config" <<EOF
Port $PORT
ListenAddress 127.0.0.1
HostKey $T/host_key
PidFile $T/sshd.pid
AuthorizedKeysFile $T/authorized_keys
StrictModes no
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
PermitRootLogin prohibit-password
AllowUsers $USER_NAME
UsePAM no
PrintMotd no
PrintLastLog no
X11Forwarding no
AllowTcpForwarding no
PermitTTY yes
LogLevel VERBOSE
EOF

if [ "$(id -u)" = 0 ] && [ ! -d /run/sshd ]; then
    # sshd's privilege-separation directory (normally made by its service).
    mkdir -p /run/sshd && chmod 755 /run/sshd && MADE_PRIVSEP=1
fi
/usr/sbin/sshd -t -f "$T/sshd_config" 2>"$T/sshd.log" || fail "sshd rejects its config: $(cat "$T/sshd.log")"
/usr/sbin/sshd -D -e -f "$T/sshd_config" 2>>"$T/sshd.log" &
SSHD_PID=$!
echo "[127.0.0.1]:$PORT $(cut -d' ' -f1,2 "$T/host_key.pub")" >"$T/known_hosts"

SSH=(ssh -F /dev/null -p "$PORT" -i "$T/user_key"
    -o IdentitiesOnly=yes -o BatchMode=yes
    -o UserKnownHostsFile="$T/known_hosts" -o GlobalKnownHostsFile=/dev/null
    -o StrictHostKeyChecking=yes -o LogLevel=ERROR
    -o ServerAliveInterval=0 -o ConnectTimeout=5
    "$USER_NAME@127.0.0.1")

for _ in $(seq 50); do
    "${SSH[@]}" true 2>/dev/null && break
    kill -0 "$SSHD_PID" 2>/dev/null || fail "sshd exited"
    sleep 0.2
done
"${SSH[@]}" true 2>"$T/ssh-probe.err" || fail "cannot log in over ssh: $(cat "$T/ssh-probe.err")"
step "sshd on 127.0.0.1:$PORT (pid $SSHD_PID), key login works"


# --- helpers ---------------------------------------------------------------
tm() { tmux -S "$SOCK" -f /dev/null "$@"; }
capture() { tm capture-pane -p -t "$1" >"$T/screen.txt" 2>/dev/null || true; }

# The reading pane's progress ("N/M", any digits) as a paragraph number.
progress() {
    python3 - "$T/screen.txt" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="utf-8").read()
digits = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
last = text.rstrip("\n").split("\n")[-1].translate(digits)
m = re.search(r"(\d+)/(\d+)", last)
print(m.group(1) if m else "")
EOF
}

# The lines of the focused paragraph (marked by the margin bar), with the
# pane borders cut off: the paragraph's text as the reader sees it.
focused() {
    python3 - "$T/screen.txt" <<'EOF'
import sys
for line in open(sys.argv[1], encoding="utf-8"):
    if "▌" in line:
        print(line.split("│")[1].strip() if "│" in line else line.strip())
EOF
}

# wait_for SESSION DESCRIPTION PYTHON-CONDITION-ON-`s` [SECONDS]
wait_screen() {
    local target=$1 what=$2 cond=$3 secs=${4:-15}
    local i
    for i in $(seq $((secs * 10))); do
        capture "$target"
        if python3 -c "import sys; s=open(sys.argv[1],encoding='utf-8').read(); sys.exit(0 if ($cond) else 1)" "$T/screen.txt" 2>/dev/null; then
            return 0
        fi
        sleep 0.1
    done
    fail "timed out waiting for $what"
}

# The longest all-letter Arabic words of paragraph N (1-based) of the
# article, one a line, in logical order (from the article model).
paragraph_words() {
    "$QARI" show --json "$ARTICLE" | python3 -c '
import json, re, sys
n = int(sys.argv[1])
text = json.load(sys.stdin)["paragraphs"][n - 1]["text"]
words = sorted(set(re.findall(r"[\u0621-\u064A]{5,}", text)), key=lambda w: (-len(w), w))
print("\n".join(words[:3]))' "$1"
}

# shape WORD: the word as a terminal must show it, shaped and reordered by
# GNU FriBidi (an independent reference, not qari); its U+FEFF lam-alef
# fillers removed.
shape() { printf '%s\n' "$1" | fribidi --nopad --nobreak | sed 's/\xef\xbb\xbf//g; s/[[:space:]]*$//'; }

at_paragraph() { # SESSION N: wait until the progress shows paragraph N
    local target=$1 n=$2 i
    for i in $(seq 150); do
        capture "$target"
        [ "$(progress)" = "$n" ] && break
        sleep 0.1
    done
    [ "$(progress)" = "$n" ] || fail "$target: expected to be at paragraph $n, progress shows '$(progress)'"
    # The focused lines hold that paragraph's words, laid out and shaped.
    focused >"$T/focus.txt"
    local w shaped
    while IFS= read -r w; do
        shaped=$(shape "$w")
        grep -qF -- "$shaped" "$T/focus.txt" \
            || fail "$target: paragraph $n's word '$w' (shaped '$shaped') is not in the focused lines"
    done < <(paragraph_words "$n")
}

start_session() { # NAME TERM
    local name=$1 term=$2
    # The remote command records the TERM ssh carried over, then becomes qari
    # with XDG dirs in the sandbox.
    local remote="printf %s \"\$TERM\" > $T/term-$name; exec env XDG_STATE_HOME=$T/xdg/state XDG_CONFIG_HOME=$T/xdg/config XDG_CACHE_HOME=$T/xdg/cache QARI_LIBRARY= $T/bin/qari $ARTICLE"
    tm new-session -d -s "$name" -x 80 -y 24 \
        "exec env TERM=$term $(printf '%q ' "${SSH[@]}") -tt $(printf '%q' "$remote") 2>$T/ssh-$name.err"
    tm set-option -t "$name" remain-on-exit on >/dev/null
    wait_screen "$name" "qari's reading pane ($name)" "'/' in s and '╭' in s"
    local got
    got=$(cat "$T/term-$name" 2>/dev/null || true)
    [ "$got" = "$term" ] || fail "$name: remote TERM is '$got', expected '$term'"
    [ "$(tm display -p -t "$name" '#{window_width}x#{window_height}')" = "80x24" ] \
        || fail "$name: pane is not 80x24"
    step "$name: TERM=$term, qari on screen at 80x24"
}

qari_pids() { pgrep -f -- "^$T/bin/qari( |$)" 2>/dev/null || true; }

after_drop() { # NAME EXPECTED-POSITION(0-based) [HOW]
    local name=$1 pos=$2 how=${3:-dropped} i
    for i in $(seq 100); do
        [ -z "$(qari_pids)" ] && [ -z "$(pgrep -P "$SSHD_PID" 2>/dev/null || true)" ] && break
        sleep 0.1
    done
    [ -z "$(qari_pids)" ] || fail "$name: qari still running after the drop: $(ps -o pid,stat,args -p "$(qari_pids | paste -sd, -)")"
    [ -z "$(pgrep -P "$SSHD_PID" 2>/dev/null || true)" ] || fail "$name: a session sshd is left behind"
    kill -0 "$SSHD_PID" 2>/dev/null || fail "the listening sshd died"
    [ -f "$STATE_FILE" ] || fail "$name: no state file at $STATE_FILE after the drop"
    local saved
    saved=$(python3 - "$STATE_FILE" "$ARTICLE" <<'EOF'
import json, os, sys
data = json.load(open(sys.argv[1], encoding="utf-8"))
entry = data.get("articles", {}).get(os.path.realpath(sys.argv[2]))
print("" if entry is None else entry.get("position", ""))
EOF
)
    [ "$saved" = "$pos" ] || fail "$name: state file has position '$saved', expected $pos"
    step "$name: $how; position $pos saved, no qari or session sshd left"
}

keys() { # SESSION KEY...: send keys one at a time
    local target=$1
    shift
    local k
    for k in "$@"; do
        tm send-keys -t "$target" "$k"
        sleep 0.05
    done
}

# --- 1: xterm-256color, drop by killing the client -------------------------
start_session s1 xterm-256color
for w in $TITLE_WORDS; do
    grep -qF -- "$(shape "$w")" "$T/screen.txt" || fail "s1: title word '$w' (shaped '$(shape "$w")') not on screen"
done
at_paragraph s1 1
step "s1: title and first paragraph laid out and shaped as FriBidi shapes them"
keys s1 j j j
at_paragraph s1 4
focused >"$T/focus-before.txt"
[ -s "$T/focus-before.txt" ] || fail "s1: no focused paragraph on screen"
CLIENT=$(tm display -p -t s1 '#{pane_pid}')
kill -9 "$CLIENT"
after_drop s1 3

# --- 2: screen, resume, drop by killing the session's sshd ------------------
start_session s2 screen
at_paragraph s2 4
focused >"$T/focus-s2.txt"
cmp -s "$T/focus-before.txt" "$T/focus-s2.txt" \
    || fail "s2: resumed on a different paragraph: $(diff "$T/focus-before.txt" "$T/focus-s2.txt" | head -5)"
step "s2: resumed at paragraph 4, same text focused"
keys s2 j j
at_paragraph s2 6
focused >"$T/focus-before.txt"
CONN=$(pgrep -P "$SSHD_PID" || true)
[ -n "$CONN" ] || fail "s2: no session sshd under the listener"
SESSION_KIDS=$(for c in $CONN; do pgrep -P "$c" -x sshd || true; done)
# shellcheck disable=SC2086
kill -9 $CONN $SESSION_KIDS
after_drop s2 5

# --- 3: xterm-256color again, resume, quit normally --------------------------
start_session s3 xterm-256color
at_paragraph s3 6
focused >"$T/focus-s3.txt"
cmp -s "$T/focus-before.txt" "$T/focus-s3.txt" \
    || fail "s3: resumed on a different paragraph: $(diff "$T/focus-before.txt" "$T/focus-s3.txt" | head -5)"
step "s3: resumed at paragraph 6, same text focused"
keys s3 Q
# tmux marks the pane dead when its pty closes (ssh has ended, so qari has
# quit), and fills in the exit status once it has reaped ssh. tmux 3.3
# sometimes never fills it in when the pty closes first, so the status is
# checked when tmux reports it and the pane's death is what proves the quit.
DEAD=0
for _ in $(seq 150); do
    DEAD=$(tm display -p -t s3 '#{pane_dead}')
    [ "$DEAD" = 1 ] && break
    sleep 0.1
done
[ "$DEAD" = 1 ] || fail "s3: qari did not quit on Q"
STATUS=/
for _ in $(seq 30); do
    STATUS=$(tm display -p -t s3 '#{pane_dead_status}/#{pane_dead_signal}')
    [ "$STATUS" = / ] || break
    sleep 0.1
done
case "$STATUS" in
    0/ | 0/0) ;;
    /) echo "ssh-session: s3: (tmux did not report ssh's exit status)" >&2 ;;
    *) fail "s3: ssh ended with status/signal $STATUS after Q" ;;
esac
capture s3
# The terminal was given back: the alternate screen with the reader is gone.
! grep -q '╭' "$T/screen.txt" || fail "s3: the reader's screen is still shown after quitting"
after_drop s3 5 quit

step "OK: three sessions over ssh (xterm-256color, screen), two drops, position kept"
