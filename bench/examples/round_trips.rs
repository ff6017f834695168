//! Runs `N` encode + decode round trips of one payload with one codec, and
//! nothing else: what `bench/instructions.sh` counts the instructions of.
//!
//! ```text
//! cargo run -p tether-bench --release --example round_trips -- PAYLOAD CODEC [N]
//! ```
//!
//! `PAYLOAD` is a payload name of the wire benchmark (`chat`, `entities`,
//! ...); `CODEC` is `tether`, `bitcode` or `none` (the setup alone, to
//! subtract); `N` defaults to 10,000.

use std::hint::black_box;
use std::process::ExitCode;

use tether_bench::{for_each_case, BitcodeCodec, Case, Message, Mirror, TetherCodec};

fn run<T: Message, M: Mirror>(case: &Case<T, M>, codec: &str, n: u32) {
    match codec {
        "tether" => {
            let mut tether = TetherCodec::default();
            for _ in 0..n {
                let bytes = tether.encode(black_box(&case.tether));
                black_box(TetherCodec::decode::<T>(black_box(bytes)));
            }
        }
        "bitcode" => {
            let mut bitcode = BitcodeCodec::default();
            for _ in 0..n {
                black_box(bitcode.round_trip(black_box(&case.mirror)));
            }
        }
        _ => {}
    }
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(payload), Some(codec)) = (args.first(), args.get(1)) else {
        eprintln!("usage: round_trips PAYLOAD tether|bitcode|none [N]");
        return ExitCode::from(2);
    };
    let n = args.get(2).and_then(|n| n.parse().ok()).unwrap_or(10_000);
    let mut found = false;
    for_each_case!(true, |case| {
        if case.name == payload {
            found = true;
            run(&case, codec, n);
        }
    });
    if !found {
        eprintln!("no payload {payload}");
        return ExitCode::from(2);
    }
    ExitCode::SUCCESS
}
