#!/usr/bin/env bash
# The reading pane's scroll between left/right margins, checked in a real
# xterm under Xvfb: qari runs in xterm itself (no tmux, which has no
# margins), on a long article at 100x30 with the entity sidebar beside the
# reading pane. After N `j` keys the screen must equal, pixel for pixel, the
# screen after Ctrl-L (a full redraw) at the same place; the same with
# `scroll_margins = "off"` (whole rows scroll). xterm's log of what qari
# wrote shows which scroll was used, and after qari quits the terminal is
# asked (DECRQM) that left/right margin mode is off again, as it was found.
# A third run with a TERM qari does not know (no terminal scroll at all,
# only the diff) is the baseline. MARGINS_FONT=dejavu draws with DejaVu Sans
# Mono (Xft) instead of the misc-fixed bitmap font, whose glyphs stay in
# their cells: DejaVu's Arabic glyphs overhang, so a cell redrawn alone
# differs by a few pixels from a full redraw on every path.
# Needs: xvfb xterm xdotool imagemagick x11-apps fonts-dejavu-core.
# Usage: scripts/margins-check.sh [qari binary] [out dir] [keys]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=$(realpath "${1:-target/release/qari}")
out=$(realpath -m "${2:-target/margins-check}")
keys=${3:-12}
display=:98
if [ "${MARGINS_FONT:-fixed}" = dejavu ]; then
    font=(-fa 'DejaVu Sans Mono' -fs 10)
else
    font=(-fn '-misc-fixed-medium-r-normal--15-*-*-*-c-90-iso10646-1')
fi
mkdir -p "$out"
work=$(mktemp -d)
trap 'kill "$xvfb" 2>/dev/null || true; rm -rf "$work"' EXIT
Xvfb "$display" -screen 0 1400x900x24 >/dev/null 2>&1 &
xvfb=$!
sleep 1
export DISPLAY=$display

# Asks the terminal for DECLRMM's state and writes the reply to $1.
cat >"$work/mode.py" <<'EOF'
import os, select, sys, termios, tty
fd = sys.stdin.fileno()
old = termios.tcgetattr(fd)
tty.setraw(fd)
os.write(1, b"\x1b[?69$p")
reply = b""
while select.select([fd], [], [], 1)[0]:
    reply += os.read(fd, 64)
    if reply.endswith(b"y"):
        break
termios.tcsetattr(fd, termios.TCSADRAIN, old)
open(sys.argv[1], "w").write(repr(reply))
EOF

shot() { import -window root -crop "$geom" "$1"; }

run() { # name, scroll_margins, TERM
    local name=$1 setting=$2 term=$3 home="$work/$1"
    mkdir -p "$home/config/qari"
    printf 'scroll_margins = "%s"\n' "$setting" >"$home/config/qari/config.toml"
    rm -f "$out/$name.log" "$out/$name-mode.txt"
    xterm "${font[@]}" -geometry 100x30+0+0 -bg white -fg black \
        -l -lf "$out/$name.log" \
        -e env TERM="$term" HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_STATE_HOME="$home/state" \
        XDG_CACHE_HOME="$home/cache" sh -c "'$bin' articles/nile-long-read.md; python3 '$work/mode.py' '$out/$name-mode.txt'" &
    local xt=$!
    sleep 3
    geom=$(xwininfo -root -tree | awk '/"xterm"/ {print; exit}' |
        sed -E 's/.* ([0-9]+)x([0-9]+)\+([0-9]+)\+([0-9]+).*/\1x\2+\3+\4/')
    # Keys go where the pointer is (no window manager: focus follows it).
    xdotool mousemove 200 200
    for _ in $(seq "$keys"); do
        xdotool key j
        sleep 0.15
    done
    sleep 0.5
    shot "$out/$name-after-j.png"
    xdotool key ctrl+l
    sleep 0.7
    shot "$out/$name-after-redraw.png"
    xdotool key Q
    sleep 1.5
    kill "$xt" 2>/dev/null || true
    wait "$xt" 2>/dev/null || true
    local diff
    diff=$(compare -metric AE "$out/$name-after-j.png" "$out/$name-after-redraw.png" null: 2>&1 || true)
    local margin_scrolls whole_scrolls
    margin_scrolls=$(grep -a -o $'\e\\[s\e\\[r' "$out/$name.log" | wc -l || true)
    whole_scrolls=$(grep -a -o -E $'\e\\[[0-9]+[ST]\e\\[r' "$out/$name.log" | wc -l || true)
    echo "$name: $diff pixels differ after $keys j and after Ctrl-L;" \
        "margin scrolls $margin_scrolls, whole-row scrolls $whole_scrolls;" \
        "DECLRMM after quit: $(cat "$out/$name-mode.txt" 2>/dev/null || echo '(no reply)')"
}

run margins auto xterm-256color
run rows off xterm-256color
run plain off qari-unknown
