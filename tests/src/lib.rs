//! The example schemas, compiled by `build.rs` into typed Rust. The modules
//! are declared without the prelude, so the generated code must spell every
//! path absolutely.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

/// `schemas/game.tether`, the example game.
#[no_implicit_prelude]
pub mod game {
    ::std::include!(::std::concat!(::std::env!("OUT_DIR"), "/game.rs"));
}

/// `tests/schemas/edge.tether`: names and shapes that stress the generator.
#[no_implicit_prelude]
pub mod edge {
    ::std::include!(::std::concat!(::std::env!("OUT_DIR"), "/edge.rs"));
}

/// `tests/schemas/types.tether`: one declaration per type form, for the
/// encoding tests.
#[no_implicit_prelude]
pub mod types {
    ::std::include!(::std::concat!(::std::env!("OUT_DIR"), "/types.rs"));
}

/// `tests/schemas/mirror.tether`: the protocol that `tests/tests/macros.rs`
/// also declares with `#[tether::protocol]`, to compare the two front ends.
#[no_implicit_prelude]
pub mod mirror {
    ::std::include!(::std::concat!(::std::env!("OUT_DIR"), "/mirror.rs"));
}

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

/// The examples of `docs/network.md` that can run in one process, compiled
/// and run as doctests (those that need sockets are `ignore`d there).
#[doc = include_str!("../../docs/network.md")]
#[cfg(doctest)]
pub struct NetworkDoctests;
