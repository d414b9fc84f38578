#!/usr/bin/env bash
# `qari render --raw --width 80` against GNU FriBidi's `fribidi --width 80`
# (its closest equivalent: bidi, mirroring, breaking lines at the width and
# padding right-to-left lines; fribidi does no Arabic shaping) on the same
# ~4 MB of Arabic news text, whole process each, file in and lines out to
# /dev/null. Paired runs, alternating which goes first, so both see the
# same neighbours on a shared machine; prints the medians and their ratio.
#
#   benches/render_vs_fribidi.sh              # 21 pairs
#   PAIRS=41 benches/render_vs_fribidi.sh
#   INPUT=some.txt benches/render_vs_fribidi.sh   # one paragraph a line
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PAIRS=${PAIRS:-21}
WIDTH=${WIDTH:-80}

command -v fribidi >/dev/null 2>&1 || {
    echo "render_vs_fribidi: fribidi is missing (apt-get install libfribidi-bin)" >&2
    exit 1
}
[ -x /usr/bin/time ] || { echo "render_vs_fribidi: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

cargo build --release --quiet --bin qari
QARI="$ROOT/target/release/qari"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
INPUT=${INPUT:-}
if [ -z "$INPUT" ]; then
    # Paragraphs of the project's own sample articles (never ../shared/seed).
    INPUT="$TMP/arabic.txt"
    python3 benches/bench_data.py "$QARI" paragraphs "$INPUT" 4194304
fi

# One run: wall seconds (from the clock, in ns) and CPU seconds (user+sys).
run() {
    local start end
    start=$(date +%s%N)
    /usr/bin/time -f '%U %S' -o "$TMP/cpu" "$@" <"$INPUT" >/dev/null
    end=$(date +%s%N)
    read -r user sys <"$TMP/cpu"
    echo "$(( (end - start) / 1000 )) $user $sys"
}

: >"$TMP/qari"
: >"$TMP/fribidi"
# A warm-up of each (page cache, binary loaded).
run "$QARI" render --raw --width "$WIDTH" >/dev/null
run fribidi --width "$WIDTH" >/dev/null
for i in $(seq 1 "$PAIRS"); do
    if [ $((i % 2)) = 1 ]; then
        run "$QARI" render --raw --width "$WIDTH" >>"$TMP/qari"
        run fribidi --width "$WIDTH" >>"$TMP/fribidi"
    else
        run fribidi --width "$WIDTH" >>"$TMP/fribidi"
        run "$QARI" render --raw --width "$WIDTH" >>"$TMP/qari"
    fi
done

python3 - "$TMP/qari" "$TMP/fribidi" "$INPUT" "$PAIRS" "$WIDTH" "$(fribidi --version | head -1)" <<'EOF'
import os, statistics, sys
def load(path):
    rows = [l.split() for l in open(path) if l.strip()]
    wall = [int(r[0]) / 1e6 for r in rows]
    cpu = [float(r[1]) + float(r[2]) for r in rows]
    return statistics.median(wall), statistics.median(cpu), wall
q_wall, q_cpu, qs = load(sys.argv[1])
f_wall, f_cpu, fs = load(sys.argv[2])
size = os.path.getsize(sys.argv[3]) / 1e6
pairs, width, version = sys.argv[4], sys.argv[5], sys.argv[6]
ratios = sorted(q / f for q, f in zip(qs, fs))
print(f"render {size:.2f} MB of Arabic text at width {width}, {pairs} paired runs (medians)")
print(f"qari render --raw --width {width}   wall {q_wall*1000:7.1f} ms   CPU {q_cpu*1000:6.0f} ms")
print(f"fribidi --width {width} ({version})   wall {f_wall*1000:7.1f} ms   CPU {f_cpu*1000:6.0f} ms")
print(f"qari / fribidi: wall {q_wall/f_wall:.2f}x (median of per-pair ratios {statistics.median(ratios):.2f}x, "
      f"quartiles {ratios[len(ratios)//4]:.2f}-{ratios[(3*len(ratios))//4]:.2f}), CPU {q_cpu/f_cpu:.2f}x")
EOF
