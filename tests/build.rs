//! Compiles the example schemas into typed Rust, as a game's build script does,
//! formatted so that `tests/generated.rs` can compare it with the checked-in
//! code.

fn main() -> Result<(), tether_build::Error> {
    tether_build::Config::new().format(true).compile(&[
        "../schemas/game.tether",
        "schemas/edge.tether",
        "schemas/types.tether",
        "schemas/mirror.tether",
    ])
}
