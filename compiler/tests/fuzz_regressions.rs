//! Replays the inputs kept for the `parse` fuzz target
//! (`fuzz/regressions/parse/`: what the fuzzer found, minimized, and a few
//! interesting inputs) and the example schemas it is seeded with, through
//! the target's own harness (`fuzz/src/parse.rs`, included below), on the
//! 2 MiB stack of a test thread.

#[path = "../../fuzz/src/parse.rs"]
#[allow(dead_code)]
mod harness;

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every file under `dir` (recursively), sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let entries =
            std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if path.is_dir() {
                walk(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out.sort();
    out
}

/// Runs every file under `dir` through the harness; returns how many.
fn replay(dir: &Path) -> usize {
    let inputs = files(dir);
    for path in &inputs {
        let data = std::fs::read(path).expect("a readable input");
        let name = path.display().to_string();
        let outcome = std::panic::catch_unwind(|| harness::run(&data));
        if let Err(panic) = outcome {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("a panic");
            panic!("{name} fails the parse target: {message}");
        }
    }
    inputs.len()
}

#[test]
fn parse_regressions_replay() {
    let count = replay(&root().join("fuzz/regressions/parse"));
    assert!(count >= 3, "only {count} inputs in fuzz/regressions/parse");
}

#[test]
fn parse_seed_schemas_replay() {
    let count = replay(&root().join("schemas")) + replay(&root().join("tests/schemas"));
    assert!(count > 20, "only {count} seed schemas");
}

/// The harness generates Rust for a schema that checks clean, and reports
/// diagnostics for one that does not.
#[test]
fn the_harness_generates_for_clean_schemas() {
    let text = std::fs::read_to_string(root().join("tests/schemas/types.tether"))
        .expect("tests/schemas/types.tether");
    let compilation = harness::run_text(&text);
    assert!(!compilation.has_errors(), "{:?}", compilation.diagnostics);
    let compilation = harness::run_text("type A = B");
    assert!(compilation.has_errors());
}
