//! The generated code of every schema the build compiles is checked in under
//! `tests/generated/` (Rust) and `tests/generated/luau/<schema>/` (the Luau
//! side modules; the shared runtime is `compiler/src/gen/luau/tether.luau`
//! itself), so that reviews show how generated code changes. This test fails
//! when a checked-in copy is stale; run it with `TETHER_BLESS=1` to rewrite
//! them.

use std::path::Path;

fn check_fresh(schema: &str, checked_in: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let generated = tether_compiler::build::generate_to_string(root.join(schema))
        .unwrap_or_else(|error| panic!("{schema} does not generate: {error}"));
    check_text(&generated, checked_in);
}

/// Checks the Luau side modules of `schema` against `generated/luau/<name>/`.
fn check_fresh_luau(schema: &str, name: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let files = tether_compiler::build::generate_luau(root.join(schema))
        .unwrap_or_else(|error| panic!("{schema} does not generate Luau: {error}"));
    for (file, text) in [
        ("server.luau", &files.server),
        ("client.luau", &files.client),
        ("types.luau", &files.types),
    ] {
        check_text(text, &format!("generated/luau/{name}/{file}"));
    }
}

fn check_text(generated: &str, checked_in: &str) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let path = root.join(checked_in);
    if std::env::var_os("TETHER_BLESS").is_some() {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("the folder can be made");
        }
        std::fs::write(&path, generated).expect("checked-in copy is writable");
        return;
    }
    let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        on_disk == generated,
        "{checked_in} is stale: run `TETHER_BLESS=1 cargo test -p tether-tests --test generated`"
    );
}

#[test]
fn the_game_schemas_generated_code_is_checked_in() {
    check_fresh("../schemas/game.tether", "generated/game.rs");
}

#[test]
fn the_edge_schemas_generated_code_is_checked_in() {
    check_fresh("schemas/edge.tether", "generated/edge.rs");
}

#[test]
fn the_types_schemas_generated_code_is_checked_in() {
    check_fresh("schemas/types.tether", "generated/types.rs");
}

#[test]
fn the_mirror_schemas_generated_code_is_checked_in() {
    check_fresh("schemas/mirror.tether", "generated/mirror.rs");
}

#[test]
fn the_luau_of_every_schema_is_checked_in() {
    check_fresh_luau("../schemas/game.tether", "game");
    check_fresh_luau("schemas/edge.tether", "edge");
    check_fresh_luau("schemas/types.tether", "types");
    check_fresh_luau("schemas/mirror.tether", "mirror");
}

#[test]
fn the_build_script_wrote_the_same_code() {
    let out_dir = env!("OUT_DIR");
    for name in ["game.rs", "edge.rs", "types.rs", "mirror.rs"] {
        let built =
            std::fs::read_to_string(Path::new(out_dir).join(name)).expect("built by build.rs");
        let checked_in = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("generated")
                .join(name),
        )
        .unwrap_or_default();
        assert_eq!(
            built, checked_in,
            "{name}: the build script and the checked-in copy differ"
        );
    }
}
