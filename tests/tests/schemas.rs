//! The example schemas: `schemas/` checks clean, and every file in
//! `schemas/invalid/` triggers the rule its first line names. The human and
//! JSON output of each invalid file is pinned in a snapshot.

use std::path::{Path, PathBuf};
use tether_compiler::diag::render::{human, json};
use tether_compiler::diag::rules;
use tether_compiler::{compile, Compilation, SourceLoader};

/// Reads paths relative to the workspace root, so that file names in
/// diagnostics (and snapshots) do not depend on where the test runs.
struct WorkspaceLoader;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the tests crate sits inside the workspace")
        .to_path_buf()
}

impl SourceLoader for WorkspaceLoader {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        std::fs::read_to_string(workspace_root().join(path))
    }
}

fn compile_relative(path: &str) -> Compilation {
    compile(&WorkspaceLoader, &[PathBuf::from(path)]).expect("schema is readable")
}

fn invalid_schemas() -> Vec<String> {
    let dir = workspace_root().join("schemas/invalid");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("schemas/invalid exists")
        .filter_map(|entry| {
            let name = entry.ok()?.file_name().into_string().ok()?;
            name.ends_with(".tether").then_some(name)
        })
        .collect();
    names.sort();
    names
}

/// The rule a file demonstrates: its first line reads `-- rule-name: ...`
/// or `-- rule-name (warning): ...`.
fn expected_rule(path: &str) -> &'static rules::Rule {
    let text = std::fs::read_to_string(workspace_root().join(path)).expect("readable");
    let first = text.lines().next().unwrap_or_default();
    let name = first
        .trim_start_matches("--")
        .trim()
        .split([':', ' '])
        .next()
        .unwrap_or_default();
    rules::find(name).unwrap_or_else(|| panic!("{path}: first line names no rule: {first:?}"))
}

#[test]
fn the_example_game_schema_checks_clean() {
    let compilation = compile_relative("schemas/game.tether");
    let rendered = human::render_to_string(&compilation.sources, &compilation.diagnostics);
    assert!(compilation.diagnostics.is_empty(), "{rendered}");
    // Every kind of endpoint, each way it can go, appears in the example.
    use tether_compiler::ir::{Call, Direction, Route, Side};
    let kinds = [
        (Call::Event, Route::Remote(Direction::ClientToServer)),
        (Call::Event, Route::Remote(Direction::ServerToClient)),
        (Call::Event, Route::Remote(Direction::Both)),
        (Call::Function, Route::Remote(Direction::ClientToServer)),
        (Call::Function, Route::Remote(Direction::ServerToClient)),
        (Call::Event, Route::Bindable(Side::Server)),
        (Call::Event, Route::Bindable(Side::Client)),
        (Call::Function, Route::Bindable(Side::Server)),
        (Call::Function, Route::Bindable(Side::Client)),
    ];
    for (call, route) in kinds {
        assert!(
            compilation
                .schema
                .endpoints
                .iter()
                .any(|e| e.call == call && e.route == route),
            "no {call:?} {route:?} in the example"
        );
    }
    assert!(
        compilation.sources.len() >= 2,
        "game.tether imports shared/types.tether"
    );
}

#[test]
fn every_rule_has_an_invalid_example() {
    let covered: Vec<&str> = invalid_schemas()
        .iter()
        .map(|name| expected_rule(&format!("schemas/invalid/{name}")).name)
        .collect();
    // Rules that only Rust types can break are covered by the macros'
    // compile-fail cases (tether/tests/ui/) instead.
    let rust_only = [rules::SHARED_IDENTITY.name];
    for rule in rules::ALL.iter().filter(|r| !rust_only.contains(&r.name)) {
        assert!(
            covered.contains(&rule.name),
            "no file in schemas/invalid/ triggers `{}`",
            rule.name
        );
    }
}

#[test]
fn each_invalid_schema_triggers_its_rule_and_matches_its_snapshot() {
    for name in invalid_schemas() {
        let path = format!("schemas/invalid/{name}");
        let rule = expected_rule(&path);
        let compilation = compile_relative(&path);
        let fired: Vec<&str> = compilation
            .diagnostics
            .iter()
            .map(|d| d.rule.name)
            .collect();
        assert!(
            fired.contains(&rule.name),
            "{path}: expected `{}`, got {fired:?}",
            rule.name
        );

        let stem = name.trim_end_matches(".tether");
        let human = human::render_to_string(&compilation.sources, &compilation.diagnostics);
        let json = json::render_to_string(&compilation.sources, &compilation.diagnostics);
        insta::assert_snapshot!(format!("{stem}.human"), human);
        insta::assert_snapshot!(format!("{stem}.json"), json);
    }
}

#[test]
fn the_rules_reference_is_generated_from_the_catalog() {
    let path = workspace_root().join("docs/rules.md");
    let written = std::fs::read_to_string(&path).expect("docs/rules.md exists");
    assert_eq!(
        written,
        rules::reference_markdown(),
        "docs/rules.md is stale: run `cargo run -p tether-cli -- rules --format markdown > docs/rules.md`"
    );
}
