#!/usr/bin/env bash
# Screenshot of the reader in a real xterm (no bidi, no shaping of its own)
# under Xvfb with an Arabic-capable monospace font, for the README.
# Needs: xvfb xterm fonts-dejavu-core (or fonts-noto-core) imagemagick tmux.
# Usage: scripts/screenshot.sh [qari binary] [output.png]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/qari}
out=${2:-docs/screenshot.png}
display=:97
home=$(mktemp -d)
trap 'tmux -L shot kill-server 2>/dev/null || true; kill "$xvfb" 2>/dev/null || true; rm -rf "$home"' EXIT

Xvfb "$display" -screen 0 1400x900x24 >/dev/null 2>&1 &
xvfb=$!
sleep 1
# tmux runs qari so the script can send keys; xterm attaches to it.
env HOME="$home" XDG_CONFIG_HOME="$home/config" XDG_STATE_HOME="$home/state" \
    XDG_CACHE_HOME="$home/cache" COLORTERM=truecolor \
    tmux -L shot -f /dev/null new-session -d -s shot -x 120 -y 36 \
    "$bin tests/fixtures/library"
tmux -L shot set -g status off
tmux -L shot set -g default-terminal tmux-256color
tmux -L shot set -ga terminal-overrides ',xterm*:Tc'
DISPLAY=$display xterm -fa 'DejaVu Sans Mono' -fs 11 -geometry 120x36+0+0 \
    -bg '#14161b' -fg '#d7d3cb' -e tmux -L shot attach -t shot &
sleep 2
# Open the first article, show the entities, search, move to the hit.
tmux -L shot send-keys -t shot Enter
sleep 0.5
tmux -L shot send-keys -t shot / 'الاسكندريه' Enter
sleep 0.5
tmux -L shot send-keys -t shot Tab j
sleep 0.5
tmux -L shot send-keys -t shot S-Tab
sleep 1
DISPLAY=$display import -window root -crop "$(DISPLAY=$display xwininfo -root -tree | awk '/xterm/ {print $0; exit}' | sed -E 's/.* ([0-9]+)x([0-9]+)\+([0-9]+)\+([0-9]+).*/\1x\2+\3+\4/')" "$out"
echo "wrote $out"
