//! Encode + decode of one message, Tether against bitcode and postcard, on
//! the payloads of `schemas/payloads.tether` (the same data in mirror
//! structs for the others; see `src/lib.rs`).
//!
//! Run with `cargo bench -p tether-bench` (about two minutes). Benchmark ids
//! are `encode_decode/<payload>/<codec>`, codecs being:
//!
//! - `tether`: the generated `Encode`/`Decode` of the body record, the id
//!   bits first, into a reused `Writer` (the fastest public path);
//! - `tether-runtime`: the generated message body encoder and the protocol
//!   table's decoder, as the runtime runs them (the decoder boxes the
//!   parameters; they are downcast back);
//! - `bitcode`: bitcode's native derive with reused `bitcode::Buffer`s;
//! - `bitcode-serde`: bitcode's serde mode (`serialize`/`deserialize`);
//! - `postcard`: `to_slice` into a reused buffer, `from_bytes`.
//!
//! At the end one table line per payload gives the bytes (Tether counts the
//! whole message, id bits included) and criterion's estimate of ns per encode +
//! decode, read back from criterion's `estimates.json` of this run.

use std::hint::black_box;
use std::time::{Duration, SystemTime};

use criterion::{BenchmarkId, Criterion};
use tether_bench::{
    bitcode_serde_decode, bitcode_serde_encode, for_each_case, BitcodeCodec, Case, Message, Mirror,
    PostcardCodec, Sizes, TetherCodec,
};

const GROUP: &str = "encode_decode";
const CODECS: [&str; 5] = [
    "tether",
    "tether-runtime",
    "bitcode",
    "bitcode-serde",
    "postcard",
];

/// One table line: a payload's sizes and its benchmarks' ids.
struct Row {
    name: &'static str,
    sizes: Sizes,
}

fn bench_case<T: Message, M: Mirror>(c: &mut Criterion, case: &Case<T, M>) -> Row {
    case.verify();
    let mut group = c.benchmark_group(GROUP);
    let name = case.name;

    let mut tether = TetherCodec::default();
    group.bench_function(BenchmarkId::new(name, "tether"), |b| {
        b.iter(|| {
            let bytes = tether.encode(black_box(&case.tether));
            TetherCodec::decode::<T>(black_box(bytes))
        })
    });
    let args = case.tether.to_args();
    group.bench_function(BenchmarkId::new(name, "tether-runtime"), |b| {
        b.iter(|| {
            let bytes = tether.encode_as_runtime::<T>(black_box(&args));
            TetherCodec::decode_as_runtime::<T>(black_box(bytes))
        })
    });

    let mut bitcode = BitcodeCodec::default();
    group.bench_function(BenchmarkId::new(name, "bitcode"), |b| {
        b.iter(|| bitcode.round_trip(black_box(&case.mirror)))
    });
    group.bench_function(BenchmarkId::new(name, "bitcode-serde"), |b| {
        b.iter(|| {
            let bytes = bitcode_serde_encode(black_box(&case.mirror));
            bitcode_serde_decode::<M>(black_box(&bytes))
        })
    });

    let mut postcard = PostcardCodec::default();
    group.bench_function(BenchmarkId::new(name, "postcard"), |b| {
        b.iter(|| {
            let bytes = postcard.encode(black_box(&case.mirror));
            PostcardCodec::decode::<M>(black_box(bytes))
        })
    });
    group.finish();

    Row {
        name,
        sizes: case.sizes(),
    }
}

/// Nanoseconds of `encode_decode/<payload>/<codec>`, if this run measured it.
fn estimate_ns(payload: &str, codec: &str, since: SystemTime) -> Option<f64> {
    tether_bench::criterion_estimate(&format!("{GROUP}/{payload}/{codec}"), since)
}

fn print_table(rows: &[Row], since: SystemTime) {
    println!();
    println!("bytes per message (tether: id + body) and ns per encode + decode:");
    println!(
        "{:<17} {:>6} {:>7} {:>7} {:>8} | {:>9} {:>9} {:>9} {:>9} {:>9} | {:>8}",
        "payload",
        "tether",
        "bitcode",
        "bc-serde",
        "postcard",
        "tether",
        "tether-rt",
        "bitcode",
        "bc-serde",
        "postcard",
        "t/bitcode"
    );
    for row in rows {
        let ns = CODECS.map(|codec| estimate_ns(row.name, codec, since));
        let cell = |v: Option<f64>| v.map_or("-".to_string(), |ns| format!("{ns:.1}"));
        let ratio = match (ns[0], ns[2]) {
            (Some(t), Some(b)) => format!("{:.2}x", t / b),
            _ => "-".to_string(),
        };
        let s = row.sizes;
        println!(
            "{:<17} {:>6} {:>7} {:>7} {:>8} | {:>9} {:>9} {:>9} {:>9} {:>9} | {:>8}",
            row.name,
            s.tether,
            s.bitcode,
            s.bitcode_serde,
            s.postcard,
            cell(ns[0]),
            cell(ns[1]),
            cell(ns[2]),
            cell(ns[3]),
            cell(ns[4]),
            ratio
        );
    }
}

fn main() {
    let since = SystemTime::now();
    let mut c = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    let mut rows = Vec::new();
    for_each_case!(true, |case| rows.push(bench_case(&mut c, &case)));
    c.final_summary();
    print_table(&rows, since);
}
