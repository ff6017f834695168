//! Tether for a Rust game: the runtime that generated remotes stand on, and
//! the macros that declare them in Rust.
//!
//! - [`include_schema!`] compiles a `.tether` schema at compile time;
//! - [`protocol`] declares a protocol in a module of Rust items;
//! - [`Replicable`] derives the wire codec of a struct or enum.
//!
//! Everything the runtime exports is here under the same names
//! (`tether::wire`, `tether::types`, `tether::ServerRuntime`, ...), which is
//! where the expansions of the macros find it, and where the code that
//! `tether-build` generates from a schema in a build script finds it too.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub use tether_macros::{include_schema, protocol, Replicable};
pub use tether_runtime::*;
