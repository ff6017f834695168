//! The macros' compile-time behaviour: every rule that a Rust type can break
//! is a compile error at the offending token (`tests/ui/fail`, one case per
//! rule or front-end error, each with its expected `.stderr`), and every
//! supported construct compiles and type-checks its generated API
//! (`tests/ui/pass`).
//!
//! They live in this crate so that trybuild's scratch project depends on
//! `tether` alone, as a game does, and builds nothing the other suites need
//! (the Luau VM, the type checker).
//!
//! The `.stderr` files depend on rustc's output, hence the toolchain pin in
//! `rust-toolchain.toml`. Regenerate them after a deliberate change with
//! `TRYBUILD=overwrite cargo test -p tether --test ui`, then read them.

#[test]
fn ui() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/fail/*.rs");
    cases.pass("tests/ui/pass/*.rs");
}
