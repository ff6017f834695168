//! Replays the inputs kept for the `decode` and `value` fuzz targets
//! (`fuzz/regressions/<target>/`: what the fuzzer found, minimized, and a
//! few interesting inputs; `fuzz/seeds/<target>/`: the seed corpora)
//! through the targets' own harnesses (`fuzz/src/decode.rs` and
//! `fuzz/src/value.rs`, included below).
//!
//! `TETHER_WRITE_FUZZ_SEEDS=1 cargo test -p tether-tests --test
//! fuzz_regressions` rewrites the seed corpora from the harnesses' `seeds`.

#[path = "../../fuzz/src/decode.rs"]
#[allow(dead_code)]
mod decode;
#[path = "../../fuzz/src/value.rs"]
#[allow(dead_code)]
mod value;

use std::path::{Path, PathBuf};

use tether_runtime::Direction;

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// The files of `dir`, sorted.
fn files(dir: &Path) -> Vec<PathBuf> {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    let mut out: Vec<PathBuf> = entries
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.is_file())
        .collect();
    out.sort();
    out
}

/// Runs every file of `dir` through `run`; returns how many.
fn replay(dir: &Path, run: impl Fn(&[u8]) + std::panic::RefUnwindSafe) -> usize {
    let inputs = files(dir);
    for path in &inputs {
        let data = std::fs::read(path).expect("a readable input");
        if let Err(panic) = std::panic::catch_unwind(|| run(&data)) {
            let message = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("a panic");
            panic!("{} fails: {message}", path.display());
        }
    }
    inputs.len()
}

fn decode_run(data: &[u8]) {
    decode::run(data)
}

fn value_run(data: &[u8]) {
    let _ = value::run(data);
}

#[test]
fn decode_regressions_replay() {
    let count = replay(&fuzz_dir().join("regressions/decode"), decode_run);
    assert!(count >= 3, "only {count} inputs in fuzz/regressions/decode");
}

#[test]
fn value_regressions_replay() {
    let count = replay(&fuzz_dir().join("regressions/value"), value_run);
    assert!(count >= 3, "only {count} inputs in fuzz/regressions/value");
}

#[test]
fn decode_seeds_replay() {
    let count = replay(&fuzz_dir().join("seeds/decode"), decode_run);
    assert!(count > 100, "only {count} inputs in fuzz/seeds/decode");
}

#[test]
fn value_seeds_replay() {
    let count = replay(&fuzz_dir().join("seeds/value"), value_run);
    assert!(count > 10, "only {count} inputs in fuzz/seeds/value");
}

/// Every seed of the decode target is a frame its receiver accepts, so the
/// fuzzer starts from messages that get past the header; and there is one
/// for nearly every message.
#[test]
fn decode_seeds_are_accepted_frames() {
    let seeds = decode::seeds();
    let messages: usize = decode::PROTOCOLS
        .iter()
        .map(|(_, p)| p.to_server.len() + p.to_client.len())
        .sum();
    let mut covered = std::collections::HashSet::new();
    for (name, input) in &seeds {
        let (selection, frame) = decode::split(input).expect("a seed has a header");
        let protocol = decode::PROTOCOLS[selection.protocol].1;
        let outcome = match selection.direction {
            Direction::ToServer => decode::server_receives(protocol, 0, frame),
            Direction::ToClient => decode::client_receives(protocol, 0, frame),
        };
        assert!(outcome.reliable, "{name} is not accepted: {outcome:?}");
        covered.insert((selection.protocol, selection.direction, selection.message));
    }
    assert!(
        covered.len() * 10 >= messages * 9,
        "seeds for only {} of {messages} messages",
        covered.len()
    );
    write_seeds_if_asked("decode", &seeds);
}

/// Every seed of the value target decodes.
#[test]
fn value_seeds_decode() {
    let seeds = value::seeds();
    for (name, input) in &seeds {
        assert!(value::run(input).is_some(), "{name} does not decode");
    }
    write_seeds_if_asked("value", &seeds);
}

fn write_seeds_if_asked(target: &str, seeds: &[(String, Vec<u8>)]) {
    if std::env::var_os("TETHER_WRITE_FUZZ_SEEDS").is_none() {
        return;
    }
    let dir = fuzz_dir().join("seeds").join(target);
    std::fs::create_dir_all(&dir).expect("create the seed directory");
    for (name, input) in seeds {
        std::fs::write(dir.join(name), input).expect("write a seed");
    }
}
