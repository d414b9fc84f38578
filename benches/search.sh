#!/usr/bin/env bash
# The library search against its peer, in one run, on a generated library
# (benches/bench_data.py searchlib: the project's own sample paragraphs, a
# third of the articles spelling the query words another way).
#
#   benches/search.sh              # 10,000 articles, 11 paired runs
#   benches/search.sh 100000       # the same generated 100,000 articles
#   PAIRS=21 benches/search.sh
#   BENCH_DIR=/tmp/qs benches/search.sh   # keep the generated library there
#
# Rows: warm `qari search` of a word and of a two-word phrase vs `rg -c` of
# the same literal over the same folder (median wall and CPU of paired runs,
# alternating which goes first; articles found by each); `qari entities
# DIR` warm; the cold index build (with entities) in CPU per article; the
# index size against the library's text; peak memory while searching.
# Every run gets its own XDG cache/config/state dirs.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
COUNT=${1:-10000}
PAIRS=${PAIRS:-11}

command -v rg >/dev/null 2>&1 || { echo "search bench: rg is missing (apt-get install ripgrep)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "search bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }

cargo build --release --quiet --bin qari
QARI="$ROOT/target/release/qari"
TMP=$(mktemp -d /tmp/qari-search-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
if [ -n "${BENCH_DIR:-}" ]; then
    mkdir -p "$BENCH_DIR"
    LIB="$BENCH_DIR/searchlib-$COUNT"
else
    LIB="$TMP/lib"
fi
[ -e "$LIB" ] || {
    echo "search bench: generating $COUNT articles in $LIB" >&2
    python3 benches/bench_data.py "$QARI" searchlib "$LIB" "$COUNT"
}
export XDG_CACHE_HOME="$TMP/cache" XDG_CONFIG_HOME="$TMP/config" XDG_STATE_HOME="$TMP/state"
mkdir -p "$XDG_CACHE_HOME" "$XDG_CONFIG_HOME" "$XDG_STATE_HOME"

WORD="القاهرة"
PHRASE="البنك المركزي"

# One run: wall µs, user s, sys s, peak KiB.
run() {
    local start end
    start=$(date +%s%N)
    /usr/bin/time -f '%U %S %M' -o "$TMP/t" "$@" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    read -r user sys rss <"$TMP/t"
    echo "$(( (end - start) / 1000 )) $user $sys $rss"
}

# Cold build: no index, no library cache.
rm -rf "$XDG_CACHE_HOME"/*
run "$QARI" search "$WORD" "$LIB" >"$TMP/cold"
INDEX=$(ls "$XDG_CACHE_HOME"/qari/search-*.bin)

pairs() { # name, qari args..., -- rg args...
    local name=$1; shift
    local q=() r=()
    while [ "$1" != -- ]; do q+=("$1"); shift; done
    shift; r=("$@")
    : >"$TMP/$name.qari"; : >"$TMP/$name.rg"
    run "${q[@]}" >/dev/null; run "${r[@]}" >/dev/null
    for i in $(seq 1 "$PAIRS"); do
        if [ $((i % 2)) = 1 ]; then
            run "${q[@]}" >>"$TMP/$name.qari"; run "${r[@]}" >>"$TMP/$name.rg"
        else
            run "${r[@]}" >>"$TMP/$name.rg"; run "${q[@]}" >>"$TMP/$name.qari"
        fi
    done
}
pairs word "$QARI" search "$WORD" "$LIB" -- rg -c -F "$WORD" "$LIB"
pairs phrase "$QARI" search "\"$PHRASE\"" "$LIB" -- rg -c -F "$PHRASE" "$LIB"
: >"$TMP/ent"
run "$QARI" entities "$LIB" >/dev/null
for i in $(seq 1 "$PAIRS"); do run "$QARI" entities "$LIB" >>"$TMP/ent"; done

# Articles found by each (qari: all of them, not the first 20).
count_q() { "$QARI" search --json --limit 0 "$1" "$LIB" 2>/dev/null | grep -c '"path"' || true; }
count_r() { rg -c -F "$1" "$LIB" | wc -l; }
echo "$(count_q "$WORD") $(count_r "$WORD") $(count_q "\"$PHRASE\"") $(count_r "$PHRASE")" >"$TMP/counts"
TEXT=$(find "$LIB" -type f -printf '%s\n' | awk '{s+=$1} END {print s}')

python3 - "$TMP" "$COUNT" "$PAIRS" "$(stat -c %s "$INDEX")" "$TEXT" "$(nproc)" \
    "$(cut -d' ' -f1-3 /proc/loadavg)" "$(rg --version | sed -n 1p)" "$WORD" "$PHRASE" <<'EOF'
import statistics, sys
tmp, count, pairs, isize, text, cpus, load, rgv, word, phrase = sys.argv[1:]
count, isize, text = int(count), int(isize), int(text)
def load_rows(name):
    rows = [l.split() for l in open(f"{tmp}/{name}") if l.strip()]
    wall = statistics.median(int(r[0]) / 1000 for r in rows)
    cpu = statistics.median((float(r[1]) + float(r[2])) * 1000 for r in rows)
    rss = max(int(r[3]) for r in rows) / 1024
    return wall, cpu, rss
qw, rw, qp, rp = open(f"{tmp}/counts").read().split()
print(f"library search, {count} generated articles ({text/1e6:.1f} MB of text), {cpus} CPUs "
      f"(shared machine, load {load}), medians of {pairs} paired runs, warm index")
peak = 0.0
for name, label, qn, rn in (("word", word, qw, rw), ("phrase", f'"{phrase}"', qp, rp)):
    q, r = load_rows(f"{name}.qari"), load_rows(f"{name}.rg")
    peak = max(peak, q[2])
    print(f"  search {label:<16} qari wall {q[0]:7.1f} ms CPU {q[1]:6.0f} ms, {qn:>5} articles | "
          f"rg -c wall {r[0]:7.1f} ms CPU {r[1]:6.0f} ms, {rn:>5} files | qari/rg wall {q[0]/r[0]:.2f}x")
e = load_rows("ent")
print(f"  qari entities DIR (warm)           wall {e[0]:7.1f} ms CPU {e[1]:6.0f} ms   (target < 200 ms at 10,000)")
c = open(f"{tmp}/cold").read().split()
cold_cpu = (float(c[1]) + float(c[2])) * 1000
print(f"  cold index build with entities     wall {int(c[0])/1e6:7.2f} s  CPU {cold_cpu/count:6.2f} ms/article "
      f"(all cores; target < 3 ms), peak {int(c[3])/1024:.0f} MiB")
print(f"  index size {isize/1e6:.1f} MB = {100*isize/text:.1f}% of the library's text (target <= 40%)")
print(f"  peak memory while searching {peak:.1f} MiB (target <= 64 MiB)   [{rgv}]")
EOF
