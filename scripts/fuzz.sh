#!/usr/bin/env bash
# Run every cargo-fuzz target of fuzz/ for SECONDS each (default 60) and
# print executions and findings per target.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Needs cargo-fuzz (`cargo install cargo-fuzz`). libFuzzer's instrumentation
# needs nightly rustc flags: with a nightly toolchain installed it is used
# (`cargo +nightly fuzz`), otherwise stable is used with RUSTC_BOOTSTRAP=1.
# The sanitizer is off (`-s none`): qari is safe Rust, so what we hunt is
# panics, overflows (debug assertions stay on), hangs and memory blow-ups,
# and AddressSanitizer would halve the executions on a shared machine.
# A finding is a file libFuzzer writes to fuzz/artifacts/TARGET/ (crash-*,
# timeout-*, oom-*); reproduce one with
#   cargo +nightly fuzz run -s none TARGET fuzz/artifacts/TARGET/FILE
# and turn it into a regression test under tests/.
set -euo pipefail

seconds=${1:-60}
shift || true
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root/fuzz"

all_targets=(layout import_txt import_md import_html import_json entities)
targets=("${@:-${all_targets[@]}}")

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: cargo-fuzz is not installed (cargo install cargo-fuzz)" >&2
    exit 2
fi
if rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
    cargo=(cargo +nightly fuzz)
else
    export RUSTC_BOOTSTRAP=1
    cargo=(cargo fuzz)
fi

"${cargo[@]}" build -s none >&2

# Seed the importers with the repository's own sample articles.
seed() {
    local target=$1 ext=$2
    mkdir -p "corpus/$target"
    for f in "$root"/tests/fixtures/articles/*."$ext"; do
        [ -e "$f" ] && cp -n "$f" "corpus/$target/" || true
    done
}
seed import_txt txt
seed import_md md
seed import_html html
seed import_json json

summary=()
for t in "${targets[@]}"; do
    mkdir -p "corpus/$t" "artifacts/$t"
    before=$(ls "artifacts/$t" | wc -l)
    log=$(mktemp)
    echo "== $t: ${seconds}s" >&2
    set +e
    "${cargo[@]}" run -s none "$t" "corpus/$t" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 >"$log" 2>&1
    status=$?
    set -e
    execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' | tail -1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*')
    after=$(ls "artifacts/$t" | wc -l)
    found=$((after - before))
    if [ "$status" -ne 0 ]; then
        grep -E 'panicked|ERROR|Test unit written' "$log" | head -5 >&2 || true
    fi
    summary+=("$(printf '%-12s %6ss %12s %8s %6s' "$t" "$seconds" "${execs:-?}" "${cov:-?}" "$found")")
    rm -f "$log"
done

printf '%-12s %7s %12s %8s %6s\n' target time execs cov found
printf '%s\n' "${summary[@]}"
echo "artifacts: $root/fuzz/artifacts/"
