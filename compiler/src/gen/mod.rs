//! Code generators: they turn a checked [`Schema`] into
//! source code for one language. Generators run only on schemas without
//! errors; an IR the checker would reject is a [`rust::GenError`], not a panic.

mod fingerprint;
pub mod luau;
pub mod rust;

pub use fingerprint::fingerprint;

use crate::ir::Schema;

/// The source a generated file's header names: `given`, or else the root
/// file's name alone, so the output does not depend on where the schema
/// sits on the machine that generated it.
pub fn source_name(schema: &Schema, given: Option<&str>) -> String {
    given
        .map(str::to_string)
        .or_else(|| {
            let first = schema.files.first()?;
            let name = std::path::Path::new(first).file_name()?;
            Some(name.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "a schema".to_string())
}
