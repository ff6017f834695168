//! Replays the inputs kept for the `transport` fuzz target
//! (`fuzz/seeds/transport/`, `fuzz/regressions/transport/`) through the
//! target's own harness (`fuzz/src/transport.rs`, included below).
//!
//! `TETHER_WRITE_FUZZ_SEEDS=1 cargo test -p tether-net --test
//! fuzz_regressions` rewrites the seed corpus from the harness's `seeds`.

#[path = "../../fuzz/src/transport.rs"]
mod transport;

use std::path::{Path, PathBuf};

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz")
}

/// Runs every file of `dir` through the harness; returns how many.
fn replay(dir: &Path) -> usize {
    let entries =
        std::fs::read_dir(dir).unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()));
    let mut count = 0;
    for entry in entries {
        let path = entry.expect("a directory entry").path();
        if !path.is_file() {
            continue;
        }
        let data = std::fs::read(&path).expect("a readable input");
        if std::panic::catch_unwind(|| transport::run(&data)).is_err() {
            panic!("{} fails", path.display());
        }
        count += 1;
    }
    count
}

#[test]
fn transport_seeds_replay() {
    let dir = fuzz_dir().join("seeds/transport");
    if std::env::var_os("TETHER_WRITE_FUZZ_SEEDS").is_some() {
        std::fs::create_dir_all(&dir).expect("a seed directory");
        for (name, bytes) in transport::seeds() {
            std::fs::write(dir.join(name), bytes).expect("a seed written");
        }
    }
    let count = replay(&dir);
    assert_eq!(
        count,
        transport::seeds().len(),
        "fuzz/seeds/transport is stale"
    );
}

#[test]
fn transport_regressions_replay() {
    let count = replay(&fuzz_dir().join("regressions/transport"));
    assert!(
        count >= 1,
        "only {count} inputs in fuzz/regressions/transport"
    );
}

/// Every seed reads as what it was made as, so that the fuzzer starts from
/// inputs that get past each reader's first check.
#[test]
fn transport_seeds_read_as_what_they_are() {
    use tether_net::datagram::{self, Control, Datagram};
    for (name, bytes) in transport::seeds() {
        let read = match name {
            "frame" => tether_net::framing::decode(&bytes).is_ok(),
            "datagram" => matches!(datagram::decode(&bytes), Some(Datagram::Packet { .. })),
            "bind" => matches!(datagram::decode(&bytes), Some(Datagram::Bind { token: 42 })),
            "offer" => matches!(Control::decode(&bytes), Some(Control::Offer { .. })),
            "bound" => Control::decode(&bytes) == Some(Control::Bound),
            "hello" => tether_runtime::handshake::Hello::decode(&bytes).is_ok(),
            other => panic!("a seed of no known kind: {other}"),
        };
        assert!(read, "seed `{name}` does not read as one: {bytes:02x?}");
    }
}
