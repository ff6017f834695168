//! Compiles the example schemas into typed Rust, as a game's build script would.

fn main() {
    let schemas = [
        "../schemas/game.tether",
        "schemas/edge.tether",
        "schemas/types.tether",
        "schemas/mirror.tether",
    ];
    if let Err(error) = tether_compiler::build::compile(&schemas) {
        eprintln!("{error}");
        std::process::exit(1);
    }
}
