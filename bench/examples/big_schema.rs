//! Prints a generated schema of R remotes and R/5 types (R = 1,000 unless
//! given as the first argument), for `bench/rustc-time.sh`:
//!
//! ```text
//! cargo run -p tether-bench --example big_schema -- 1000 > big.tether
//! ```
//!
//! With `--protocol`, prints the network protocol of E events, E/10 remote
//! functions and E/5 types instead (the Luau generator's benchmarks):
//!
//! ```text
//! cargo run -p tether-bench --example big_schema -- --protocol 1000 > protocol.tether
//! ```
//!
//! The schemas come from [`tether_bench::synthetic`], as for the checker
//! benchmark.

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let protocol = args.first().is_some_and(|a| a == "--protocol");
    if protocol {
        args.remove(0);
    }
    let count = match args.first() {
        Some(arg) => arg.parse().unwrap_or_else(|_| {
            eprintln!("usage: big_schema [--protocol] [COUNT]  (a count, default 1000)");
            std::process::exit(2);
        }),
        None => 1_000,
    };
    if protocol {
        print!("{}", tether_bench::synthetic::protocol(count));
    } else {
        print!("{}", tether_bench::synthetic::schema(count));
    }
}
