//! Bytes of generated Luau per remote, for synthetic protocols of E events,
//! E/10 remote functions and E/5 types (`tether_bench::synthetic::protocol`):
//!
//! ```text
//! cargo run -p tether-bench --release --example luau_sizes
//! ```
//!
//! `server.luau`, `client.luau` and `types.luau` grow with the schema;
//! `tether.luau`, the shared runtime, is the same for every schema and is
//! counted apart. Other event counts: `-- 100 250 1000`.

use tether_compiler::compile_str;
use tether_compiler::gen::luau::{generate, LuauOptions};

const DEFAULT: [usize; 5] = [250, 1_000, 2_000, 5_000, 10_000];

fn main() {
    let mut counts: Vec<usize> = std::env::args()
        .skip(1)
        .map(|arg| {
            arg.parse().unwrap_or_else(|_| {
                eprintln!(
                    "usage: luau_sizes [EVENTS...]  (counts, default 250 1000 2000 5000 10000)"
                );
                std::process::exit(2);
            })
        })
        .collect();
    if counts.is_empty() {
        counts = DEFAULT.to_vec();
    }
    println!(
        "{:>7} {:>6} {:>5} {:>10} {:>10} {:>10} {:>10} {:>11} {:>10} {:>10}",
        "events",
        "funcs",
        "types",
        "schema B",
        "server B",
        "client B",
        "types B",
        "generated B",
        "B/remote",
        "B/event"
    );
    let mut runtime = 0;
    for events in counts {
        let text = tether_bench::synthetic::protocol(events);
        let compilation = compile_str("protocol.tether", &text);
        if compilation.has_errors() {
            for d in compilation.diagnostics.iter().take(5) {
                eprintln!("{}: {}", d.rule.name, d.message);
            }
            panic!("the synthetic protocol of {events} events does not check");
        }
        let files = generate(&compilation.schema, &LuauOptions::default())
            .unwrap_or_else(|e| panic!("{events} events: {e}"));
        runtime = files.tether.len();
        let generated = files.server.len() + files.client.len() + files.types.len();
        let functions = events / 10;
        println!(
            "{:>7} {:>6} {:>5} {:>10} {:>10} {:>10} {:>10} {:>11} {:>10.0} {:>10.0}",
            events,
            functions,
            (events / 5).max(5),
            text.len(),
            files.server.len(),
            files.client.len(),
            files.types.len(),
            generated,
            generated as f64 / (events + functions) as f64,
            generated as f64 / events as f64,
        );
    }
    println!(
        "\ntether.luau (the shared runtime, once per game): {runtime} bytes\n\
         B/remote: server + client + types over events + functions; B/event: over events alone"
    );
}
