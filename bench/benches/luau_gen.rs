//! What `tether gen luau` costs beside `tether check`, in process, on the
//! synthetic protocols of E events, E/10 remote functions and E/5 types
//! (`tether_bench::synthetic::protocol`), E = 250 and 1,000. The target is
//! generation within twice the check.
//!
//! Run with `cargo bench -p tether-bench --bench luau_gen`. Benchmark ids are
//! `luau_gen/<step>/<events>`:
//!
//! - `check`: `compile_str` (parse, load, resolve, check), what `tether check`
//!   does to a file;
//! - `gen`: `compile_str`, then `gen::luau::generate` (the four modules as
//!   strings), what `tether gen luau` does before writing them;
//! - `generate`: `gen::luau::generate` alone, on the checked schema;
//! - `fingerprint`: `gen::fingerprint`, the schema's hash, which `generate`
//!   computes for the modules' headers.
//!
//! The last lines print gen / check per size, read back from criterion's
//! `estimates.json` of this run.

use std::hint::black_box;
use std::time::{Duration, SystemTime};

use criterion::{BenchmarkId, Criterion, Throughput};
use tether_bench::synthetic::protocol;
use tether_compiler::compile_str;
use tether_compiler::gen::fingerprint;
use tether_compiler::gen::luau::{generate, LuauOptions};

const GROUP: &str = "luau_gen";
const SIZES: [usize; 2] = [250, 1_000];
const FILE: &str = "protocol.tether";

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group(GROUP);
    let options = LuauOptions::default();
    for events in SIZES {
        let text = protocol(events);
        let compilation = compile_str(FILE, &text);
        assert!(
            !compilation.has_errors(),
            "the protocol of {events} events does not check"
        );
        let files = generate(&compilation.schema, &options).expect("the protocol generates");
        println!(
            "E = {events}: {} bytes of schema, {} bytes of server + client + types",
            text.len(),
            files.server.len() + files.client.len() + files.types.len()
        );
        group.throughput(Throughput::Elements(events as u64));
        group.bench_with_input(BenchmarkId::new("check", events), &text, |b, text| {
            b.iter(|| compile_str(FILE, black_box(text)))
        });
        group.bench_with_input(BenchmarkId::new("gen", events), &text, |b, text| {
            b.iter(|| {
                let compilation = compile_str(FILE, black_box(text));
                generate(&compilation.schema, &options).expect("the protocol generates")
            })
        });
        group.bench_with_input(
            BenchmarkId::new("generate", events),
            &compilation.schema,
            |b, schema| b.iter(|| generate(black_box(schema), &options)),
        );
        group.bench_with_input(
            BenchmarkId::new("fingerprint", events),
            &compilation.schema,
            |b, schema| b.iter(|| fingerprint(black_box(schema))),
        );
    }
    group.finish();
}

/// Milliseconds of `luau_gen/<step>/<events>`, if this run measured it.
fn estimate_ms(step: &str, events: usize, since: SystemTime) -> Option<f64> {
    Some(tether_bench::criterion_estimate(&format!("{GROUP}/{step}/{events}"), since)? / 1e6)
}

fn main() {
    let since = SystemTime::now();
    let mut c = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    bench(&mut c);
    c.final_summary();
    println!();
    println!(
        "{:>7} {:>10} {:>10} {:>12} {:>15} {:>10}",
        "events", "check ms", "gen ms", "generate ms", "fingerprint ms", "gen/check"
    );
    for events in SIZES {
        let [check, gen, generate, fingerprint] = ["check", "gen", "generate", "fingerprint"]
            .map(|step| estimate_ms(step, events, since));
        let cell = |v: Option<f64>| v.map_or("-".to_string(), |ms| format!("{ms:.2}"));
        let ratio = match (check, gen) {
            (Some(c), Some(g)) => format!("{:.2}x", g / c),
            _ => "-".to_string(),
        };
        println!(
            "{events:>7} {:>10} {:>10} {:>12} {:>15} {ratio:>10}",
            cell(check),
            cell(gen),
            cell(generate),
            cell(fingerprint)
        );
    }
}
