#!/usr/bin/env bash
# How long rustc takes on the Rust that Tether generates for a large schema.
#
#   bash bench/rustc-time.sh [EVENTS]         (default 1000; RUNS=3 timed builds)
#
# The schema is the protocol of bench/examples/big_schema.rs --protocol:
# EVENTS remote events, EVENTS/10 remote functions and EVENTS/5 types
# (SCHEMA=remotes for the checker benchmark's mix of remotes and bindables).
# PROFILE=release times release builds instead of debug ones.
# DEBUGINFO=line-tables-only (or another value of cargo's `debug` setting)
# gives the scratch crate that debug info, as a protocol crate of its own may
# have (`[profile.dev.package.<name>]`).
#
# Builds are not incremental (CARGO_INCREMENTAL=0) unless CARGO_INCREMENTAL=1
# is set: an incremental rebuild of an unchanged file reuses rustc's query
# cache and would not measure compiling the generated code.
#
# 1. Generates a schema of REMOTES remotes and REMOTES/5 types with the
#    generator of compiler/benches/check.rs (bench/examples/big_schema.rs).
# 2. Writes a scratch crate under target/tether-rustc-time/ that depends on
#    tether by path and compiles the schema in its build.rs with
#    tether_build::compile, as a game does.
# 3. Builds it once (debug) to warm the dependencies.
# 4. Touches the generated source in OUT_DIR and times `cargo build` (debug)
#    of just that crate, RUNS times: rustc on the generated code alone.
# 5. Touches the schema and times `cargo build` once more: the build script
#    (tether-build, as cargo builds build dependencies: unoptimized) and
#    rustc again, what a schema edit costs.
#
# Prints seconds and the size of the generated code.
set -euo pipefail

remotes="${1:-1000}"
runs="${RUNS:-3}"
profile="${PROFILE:-dev}"
case "${SCHEMA:-protocol}" in
    protocol) kind=(--protocol) ;;
    remotes) kind=() ;;
    *) echo "SCHEMA is protocol or remotes" >&2; exit 2 ;;
esac
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
scratch="$root/target/tether-rustc-time"
name="tether-rustc-time"

now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

mkdir -p "$scratch/src" "$scratch/schemas"

echo "== generating a schema of $remotes remotes"
cargo run --quiet --release --manifest-path "$root/Cargo.toml" \
    -p tether-bench --example big_schema -- "${kind[@]}" "$remotes" >"$scratch/schemas/big.tether.new"
# Replace the schema only when it changed, so a rerun stays warm.
if cmp -s "$scratch/schemas/big.tether.new" "$scratch/schemas/big.tether"; then
    rm "$scratch/schemas/big.tether.new"
else
    mv "$scratch/schemas/big.tether.new" "$scratch/schemas/big.tether"
fi

# An empty [workspace] table keeps cargo from taking the scratch crate for an
# unlisted member of the Tether workspace it sits in.
cat >"$scratch/Cargo.toml" <<EOF
[package]
name = "$name"
version = "0.0.0"
edition = "2021"
publish = false

[workspace]

[dependencies]
tether = { path = "$root/tether" }

[build-dependencies]
tether-build = { path = "$root/tether-build" }
EOF
if [[ -n "${DEBUGINFO:-}" ]]; then
    printf '\n[profile.%s.package.%s]\ndebug = "%s"\n' "$profile" "$name" "$DEBUGINFO" >>"$scratch/Cargo.toml"
fi

cat >"$scratch/build.rs" <<'EOF'
fn main() -> Result<(), Box<dyn std::error::Error>> {
    tether_build::compile(&["schemas/big.tether"])?;
    Ok(())
}
EOF

cat >"$scratch/src/lib.rs" <<'EOF'
//! The generated code of schemas/big.tether, compiled as a game would.
#![allow(warnings)]

pub mod big {
    include!(concat!(env!("OUT_DIR"), "/big.rs"));
}
EOF

export CARGO_TARGET_DIR="$scratch/target"
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"
build() {
    cargo build --quiet --profile "$profile" --manifest-path "$scratch/Cargo.toml" -p "$name" 2>"$scratch/build.log" || {
        cat "$scratch/build.log" >&2
        exit 1
    }
}

echo "== warming the dependencies (first build)"
start="$(now)"
build
echo "first build: $(elapsed "$start" "$(now)") s"

# The build script's OUT_DIR as cargo reports it: each profile and debug
# setting has its own, so the newest file on disk may belong to another.
out_dir="$(cargo build --quiet --profile "$profile" --manifest-path "$scratch/Cargo.toml" -p "$name" \
    --message-format=json 2>/dev/null | grep '"reason":"build-script-executed"' |
    sed -n "s|.*\"out_dir\":\"\([^\"]*/build/$name-[0-9a-f]*/out\)\".*|\1|p" || true)"
generated="$out_dir/big.rs"
if [[ -z "$out_dir" || ! -f "$generated" ]]; then
    echo "generated source not found (OUT_DIR '$out_dir')" >&2
    exit 1
fi

schema_lines="$(wc -l <"$scratch/schemas/big.tether")"
# Lines as a person reads them: the build script writes OUT_DIR unformatted
# (an item a line), so count the formatted code `tether gen rust` writes.
cargo run --quiet --release --manifest-path "$root/Cargo.toml" -p tether-cli -- \
    gen rust "$scratch/schemas/big.tether" -o "$scratch/big.formatted.rs"
gen_lines="$(wc -l <"$scratch/big.formatted.rs")"
gen_bytes="$(wc -c <"$generated")"
echo "schema: $remotes remotes, $schema_lines lines"
echo "generated: $generated"
echo "generated: $gen_bytes bytes; formatted, $gen_lines lines, $((gen_lines / remotes)) lines per event"

echo "== rustc on the generated code: touch it, cargo build ($profile, CARGO_INCREMENTAL=$CARGO_INCREMENTAL), $runs times"
times=()
for i in $(seq 1 "$runs"); do
    touch "$generated"
    start="$(now)"
    build
    t="$(elapsed "$start" "$(now)")"
    times+=("$t")
    echo "run $i: $t s"
done
best="$(printf '%s\n' "${times[@]}" | sort -n | head -n 1)"
median="$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }')"

echo "== a schema edit: touch the schema, cargo build (build script + rustc)"
touch "$scratch/schemas/big.tether"
start="$(now)"
build
schema_edit="$(elapsed "$start" "$(now)")"
echo "schema edit: $schema_edit s"

# Peak memory of one more rustc-only build, where GNU time is installed.
if [[ -x /usr/bin/time ]]; then
    touch "$generated"
    /usr/bin/time -v -o "$scratch/time.txt" \
        cargo build --quiet --profile "$profile" --manifest-path "$scratch/Cargo.toml" -p "$name" 2>>"$scratch/build.log"
    rss_kb="$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$scratch/time.txt")"
    echo "peak RSS of the largest process (rustc) in a rustc-only build: $((rss_kb / 1024)) MiB"
fi

echo
echo "summary: $remotes events -> $gen_lines lines of generated Rust;" \
    "$profile build of the crate (CARGO_INCREMENTAL=$CARGO_INCREMENTAL${DEBUGINFO:+, debug = $DEBUGINFO}):" \
    "best $best s, median $median s over $runs runs;" \
    "schema edit (build script + rustc): $schema_edit s"
