//! Code generators: they turn a checked [`Schema`](crate::ir::Schema) into
//! source code for one language. Generators run only on schemas without
//! errors; an IR the checker would reject is a [`rust::GenError`], not a panic.

pub mod fingerprint;
pub mod luau;
pub mod rust;

pub use fingerprint::fingerprint;
