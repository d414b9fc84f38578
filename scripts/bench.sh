#!/usr/bin/env bash
# qari's performance report: one table, each row measured beside its peer in
# the same run, medians of several runs (the machines are noisy).
#
#   scripts/bench.sh            # 5 runs per figure
#   RUNS=9 scripts/bench.sh
#   BENCH_DIR=/tmp/qb scripts/bench.sh   # keep the generated inputs there
#   BENCH_ONLY=frame,entities scripts/bench.sh   # only those rows (render,
#                                        # list, keys, frame, entities)
#
# Rows: render throughput at width 80 vs `fribidi --width 80` (4.5 MB);
# `qari list` over 10,000 generated articles, cold and warm index, vs reading
# the first 4 KiB of every file; CPU time and bytes written per keypress on
# the 5,000-word sample vs `less` on the same text; time to first frame and
# peak memory for a 5 MB article vs `less` (and, at 120×36, when its
# entities reach the sidebar; every such row runs `--theme dark`, so it asks
# no background, and the pty answers DA1 only, so the margins question costs
# one round trip), and the first frame of a 5,000-word article with
# `--theme auto` in a pty that answers as xterm does and in one that never
# does, against `--theme dark`: the questions' own cost; `qari
# entities` on a 5,000-word
# article. Inputs are generated from the project's own sample articles
# (benches/bench_data.py); the measuring is in benches/perf_report.py.
# After the table it runs the in-process benchmarks other parts ship
# (cargo bench --bench render / list / keypress / entities) when they exist.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
RUNS=${RUNS:-5}

need=()
command -v fribidi >/dev/null 2>&1 || need+=(libfribidi-bin)
command -v less >/dev/null 2>&1 || need+=(less)
command -v python3 >/dev/null 2>&1 || need+=(python3)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
    [ "$(id -u)" = 0 ] || { echo "bench: missing ${need[*]}" >&2; exit 1; }
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

cargo build --release --quiet --bin qari
QARI="$ROOT/target/release/qari"

if [ -n "${BENCH_DIR:-}" ]; then
    D=$BENCH_DIR
    mkdir -p "$D"
else
    D=$(mktemp -d /tmp/qari-bench.XXXXXX)
    trap 'rm -rf "$D"' EXIT
fi

gen() { [ -e "$D/$2" ] || python3 benches/bench_data.py "$QARI" "$1" "$D/$2" "$3"; }
echo "bench: generating inputs in $D" >&2
gen paragraphs render.txt 4500000
gen article big.txt 5300000
gen words w5000.txt 5000
gen library lib 10000

echo "bench: measuring ($RUNS runs per figure, alternating with the peer)" >&2
echo
echo "qari $(git describe --always --dirty 2>/dev/null || echo '?'), $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), medians of $RUNS runs"
echo
python3 benches/perf_report.py "$QARI" "$D" "$RUNS"

if [ -z "${NO_CARGO_BENCHES:-}" ]; then
    for b in render list keypress entities; do
        if [ -f "benches/$b.rs" ]; then
            echo
            echo "== cargo bench --bench $b"
            cargo bench --quiet --bench "$b" 2>/dev/null
        fi
    done
fi
