//! Compiles the benchmark payloads into typed Rust, as a game's build script
//! does.

fn main() -> Result<(), tether_build::Error> {
    tether_build::compile(&["schemas/payloads.tether"])
}
