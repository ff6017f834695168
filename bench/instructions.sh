#!/usr/bin/env bash
# Instructions per encode + decode round trip of each wire benchmark payload,
# Tether against bitcode, counted by valgrind (cachegrind): a figure that,
# unlike time on a shared machine, does not move from run to run.
#
#   bash bench/instructions.sh [N]        (default N = 10000 round trips)
#
# For each payload and codec it runs bench/examples/round_trips.rs with N
# round trips and with 0, and divides the difference by N.
set -euo pipefail

n="${1:-10000}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
cargo build --release -q -p tether-bench --example round_trips
bin="$root/target/release/examples/round_trips"

count() {
    valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \
        "$bin" "$@" 2>&1 | sed -n 's/.*I *refs: *//p' | tr -d ','
}

printf '%-17s %12s %12s %9s\n' payload tether bitcode t/bitcode
for payload in chat move entities entities-uniform flags inventory; do
    row=()
    for codec in tether bitcode; do
        full=$(count "$payload" "$codec" "$n")
        base=$(count "$payload" "$codec" 0)
        row+=($(( (full - base) / n )))
    done
    ratio=$(awk -v t="${row[0]}" -v b="${row[1]}" 'BEGIN { printf "%.2fx", t / b }')
    printf '%-17s %12s %12s %9s\n' "$payload" "${row[0]}" "${row[1]}" "$ratio"
done
