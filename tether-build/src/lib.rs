//! Compiles Tether schemas into typed Rust from a crate's `build.rs`, in
//! the style of `prost-build`.
//!
//! A game depends on `tether` and builds with `tether-build`:
//!
//! ```toml
//! [dependencies]
//! tether = "0.1"
//!
//! [build-dependencies]
//! tether-build = "0.1"
//! ```
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     tether_build::compile(&["schemas/game.tether"])?;
//!     Ok(())
//! }
//! ```
//!
//! ```ignore
//! // src/main.rs or src/lib.rs
//! mod game {
//!     include!(concat!(env!("OUT_DIR"), "/game.rs"));
//! }
//! ```
//!
//! Each schema becomes `$OUT_DIR/<stem>.rs` (`game.rs` above), whose code
//! reaches the runtime through `::tether`. Paths are relative to the crate's
//! directory. Cargo reruns the script when a schema or anything it imports
//! changes, and shows the schemas' warnings as build warnings.
//!
//! A schema with errors fails the build with an [`Error`] that holds the
//! diagnostics as `tether check` prints them; its `Debug` is the same text,
//! so that a `main` returning it prints them once, readably:
//!
//! ```text
//! Error: schemas/game.tether has 1 error:
//!
//! error[T101]: ...
//!   --> schemas/game.tether:4:10
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod config;

pub use config::Config;
pub use tether_compiler::build::BuildError as Error;

use std::path::Path;

/// Compiles each schema (with its imports) into `$OUT_DIR/<stem>.rs` with
/// the default [`Config`].
///
/// Every schema is compiled before the errors are returned; nothing is
/// printed but cargo's instructions.
pub fn compile(schemas: &[impl AsRef<Path>]) -> Result<(), Error> {
    Config::new().compile(schemas)
}
