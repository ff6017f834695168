//! Compiles the benchmark payloads into typed Rust, as a game's build script
//! would.

fn main() {
    if let Err(error) = tether_compiler::build::compile(&["schemas/payloads.tether"]) {
        eprintln!("{error}");
        std::process::exit(1);
    }
}
