//! How long `compile_str` takes on a realistic schema of R remotes and R/5
//! types, for R = 250, 1,000 and 4,000. The target is under 20 ms for 1,000
//! remotes and 200 types, and time linear in R.
//!
//! A second group times the phases on their own — parsing, loading (parse
//! plus import graph), resolving and checking — to show which one dominates.
//!
//! Run with `cargo bench -p tether-bench --bench check`.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;
use tether_bench::synthetic::schema;
use tether_compiler::diag::FileId;
use tether_compiler::stages::{load, resolve};
use tether_compiler::{check, compile_str, syntax, MemoryLoader};

const SIZES: [usize; 3] = [250, 1_000, 4_000];
const FILE: &str = "bench.tether";

fn bench_compile(c: &mut Criterion) {
    let mut group = c.benchmark_group("compile_str");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    for remotes in SIZES {
        let text = schema(remotes);
        let compilation = compile_str(FILE, &text);
        println!(
            "R = {remotes}: {} types, {} bytes of schema, {} diagnostics ({} errors)",
            remotes / 5,
            text.len(),
            compilation.diagnostics.len(),
            compilation.error_count(),
        );
        for d in compilation.diagnostics.iter().take(5) {
            let at = &text[d.span.start as usize..];
            let line = at.lines().next().unwrap_or("");
            println!("  {}: {} at `{line}`", d.rule.name, d.message);
        }
        group.throughput(Throughput::Elements(remotes as u64));
        group.bench_with_input(BenchmarkId::from_parameter(remotes), &text, |b, text| {
            b.iter(|| compile_str(FILE, black_box(text)))
        });
    }
    group.finish();
}

fn bench_phases(c: &mut Criterion) {
    let mut group = c.benchmark_group("phases");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2));
    for remotes in SIZES {
        let text = schema(remotes);
        let roots = [PathBuf::from(FILE)];
        let loader = MemoryLoader::new([(FILE, text.as_str())]);
        let loaded = load(&loader, &roots).expect("the root is in memory");
        let resolved = resolve(&loaded.sources, &loaded.files, Default::default());
        group.throughput(Throughput::Elements(remotes as u64));
        group.bench_with_input(BenchmarkId::new("parse", remotes), &text, |b, text| {
            b.iter(|| syntax::parse(FileId(0), black_box(text)))
        });
        group.bench_with_input(BenchmarkId::new("load", remotes), &roots, |b, roots| {
            b.iter(|| load(&loader, black_box(roots)))
        });
        group.bench_with_input(BenchmarkId::new("resolve", remotes), &loaded, |b, l| {
            b.iter(|| resolve(&l.sources, black_box(&l.files), Default::default()))
        });
        group.bench_with_input(
            BenchmarkId::new("check", remotes),
            &resolved.schema,
            |b, schema| b.iter(|| check(black_box(schema))),
        );
    }
    group.finish();
}

criterion_group!(benches, bench_compile, bench_phases);
criterion_main!(benches);
