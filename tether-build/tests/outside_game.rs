//! A game crate outside this workspace, set up as the README shows: it
//! depends on `tether`, builds with `tether-build`, and is built by cargo
//! from a temporary directory. One schema is clean and the game links; one
//! has an error, and cargo shows its diagnostic once, without a panic.
//!
//! The dependencies build once into `<target>/outside-game` (the
//! workspace's target directory, or `CARGO_TARGET_DIR`), so a rerun only
//! compiles the small game crate itself.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The README's build script, word for word.
const BUILD_RS: &str = r#"fn main() -> Result<(), Box<dyn std::error::Error>> {
    tether_build::compile(&["schemas/game.tether"])?;
    Ok(())
}
"#;

/// The README's module of generated code, and a `main` that makes both
/// sides: enough for the generated code to compile and link against
/// `tether` without leaning on API beyond the constructors.
const MAIN_RS: &str = r#"mod game {
    include!(concat!(env!("OUT_DIR"), "/game.rs"));
}

fn main() {
    let _server = game::Server::new();
    let _client = game::Client::new();
    println!("server and client made");
}
"#;

/// The README's schema, abridged as it is there.
const SCHEMA: &str = r#"enum Team { Red, Blue, Spectator }
type ItemId = u32(1..)

@rate(5/s)
remote event Chat: client -> server (message: string(1..200), channel: Team)

namespace Shop {
    @rate(2/s) @timeout(5s)
    remote function Buy: client -> server (item: ItemId, quantity: u8(1..10)) -> (boolean, string(..64)?)
}
"#;

/// A mixed table (`mixed-table`, T101) on line 2.
const BROKEN_SCHEMA: &str = r#"enum Team { Red, Blue }
type Loadout = { string, Name: string }
remote event Equip: server -> client (loadout: Loadout, team: Team)
"#;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tether-build sits in the workspace")
        .to_path_buf()
}

/// Where the game crates build: beside the workspace's own output, so that
/// the dependencies are compiled once and reused by later runs.
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target"))
        .join("outside-game")
}

/// A path as a TOML literal string (no escapes, so Windows paths survive).
fn toml_path(path: &Path) -> String {
    format!("'{}'", path.display())
}

/// Writes a game crate named `name` with `schema` into a new temporary
/// directory.
fn game_crate(name: &str, schema: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let root = workspace_root();
    // The empty [workspace] table keeps cargo from looking for a workspace
    // above the temporary directory.
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2021\"\npublish = false\n\n\
         [workspace]\n\n\
         [dependencies]\ntether = {{ path = {} }}\n\n\
         [build-dependencies]\ntether-build = {{ path = {} }}\n",
        toml_path(&root.join("tether")),
        toml_path(&root.join("tether-build")),
    );
    let files = [
        ("Cargo.toml", manifest.as_str()),
        ("build.rs", BUILD_RS),
        ("src/main.rs", MAIN_RS),
        ("schemas/game.tether", schema),
    ];
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a file in a folder")).expect("a folder");
        std::fs::write(&path, text).expect("a file");
    }
    // The workspace's lock file pins the versions it already has, so that
    // `--offline` finds every dependency in cargo's cache.
    std::fs::copy(root.join("Cargo.lock"), dir.path().join("Cargo.lock"))
        .expect("the workspace has a lock file");
    dir
}

fn cargo_build(dir: &Path) -> Output {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    Command::new(cargo)
        .args(["build", "--offline"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target_dir())
        .env("CARGO_TERM_COLOR", "never")
        // Nobody debugs these builds: without debug info and incremental
        // caches they take a fraction of the time and the disk.
        .env("CARGO_PROFILE_DEV_DEBUG", "0")
        .env("CARGO_INCREMENTAL", "0")
        .output()
        .expect("cargo runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_readme_shows_this_build_script() {
    let readme = std::fs::read_to_string(workspace_root().join("README.md")).expect("README.md");
    assert!(
        readme.contains(&format!("// build.rs\n{BUILD_RS}")),
        "README.md's build.rs differs from the one built here"
    );
    assert!(readme.contains("[build-dependencies]\ntether-build = "));
    assert!(readme.contains(MAIN_RS.split("\n\n").next().unwrap_or_default()));
}

#[test]
fn a_game_outside_the_workspace_builds_and_links() {
    let name = "outside-game";
    let game = game_crate(name, SCHEMA);
    let output = cargo_build(game.path());
    assert!(
        output.status.success(),
        "cargo build failed:\n{}",
        text(&output.stderr)
    );
    let binary = target_dir()
        .join("debug")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    let run = Command::new(&binary).output().expect("the game runs");
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert_eq!(text(&run.stdout), "server and client made\n");
}

#[test]
fn a_schema_error_fails_the_build_and_shows_once() {
    let game = game_crate("outside-game-broken", BROKEN_SCHEMA);
    let output = cargo_build(game.path());
    let stderr = text(&output.stderr);
    assert!(!output.status.success(), "{stderr}");
    assert_eq!(stderr.matches("error[T101]").count(), 1, "{stderr}");
    assert!(
        stderr.contains("Error: schemas/game.tether has 1 error:"),
        "{stderr}"
    );
    assert!(stderr.contains("--> schemas/game.tether:2:16"), "{stderr}");
    assert!(stderr.contains("rule `mixed-table`"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    // The error's Debug is its text, not an escaped struct.
    assert!(!stderr.contains("Schema {"), "{stderr}");
    assert!(!stderr.contains("\\n"), "{stderr}");
}
