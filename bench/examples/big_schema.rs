//! Prints a generated schema of R remotes and R/5 types (R = 1,000 unless
//! given as the first argument), for `bench/rustc-time.sh`:
//!
//! ```text
//! cargo run -p tether-bench --example big_schema -- 1000 > big.tether
//! ```
//!
//! The schema comes from [`tether_bench::synthetic`], as for the checker
//! benchmark.

fn main() {
    let remotes = match std::env::args().nth(1) {
        Some(arg) => arg.parse().unwrap_or_else(|_| {
            eprintln!("usage: big_schema [REMOTES]  (a count, default 1000)");
            std::process::exit(2);
        }),
        None => 1_000,
    };
    print!("{}", tether_bench::synthetic::schema(remotes));
}
