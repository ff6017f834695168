//! Why a build could not turn its schemas into code, as data.
//!
//! A build script's `main` that returns this error makes the Rust runtime
//! print `Error: {error:?}`; `Debug` is therefore the same text as
//! `Display`, so that the diagnostics show once and read as they do in a
//! terminal rather than as an escaped struct.

use crate::diag::render::human;
use crate::diag::Diagnostic;
use crate::gen::luau::GenError as LuauGenError;
use crate::gen::rust::GenError;
use crate::{Compilation, LoadError};
use std::fmt;
use std::path::{Path, PathBuf};

/// Why a schema could not be turned into code.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A schema named to the build could not be read.
    #[error(transparent)]
    Load(#[from] LoadError),

    /// The project's `tether.toml` could not be used.
    #[error(transparent)]
    Project(#[from] crate::project::ProjectError),

    /// The schema has errors; `rendered` holds them as `tether check` prints
    /// them, without colour (warnings go to cargo as warnings).
    #[error("{} has {}:\n\n{rendered}", path.display(), count(*errors, "error"))]
    Schema {
        /// The schema as it was named to the build.
        path: PathBuf,
        /// How many errors it has.
        errors: usize,
        /// The error diagnostics, rendered as text.
        rendered: String,
    },

    /// The schema checked clean but its Rust could not be generated.
    #[error("cannot generate Rust for {}: {source}", path.display())]
    Gen {
        /// The schema.
        path: PathBuf,
        /// What the generator refused.
        #[source]
        source: GenError,
    },

    /// The schema checked clean but its Luau could not be generated.
    #[error("cannot generate Luau for {}: {source}", path.display())]
    LuauGen {
        /// The schema.
        path: PathBuf,
        /// What the generator refused.
        #[source]
        source: LuauGenError,
    },

    /// A generated file could not be written.
    #[error("cannot write {}: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },

    /// No output directory: not run from a build script, and none was set.
    #[error("OUT_DIR is not set: run from a build script, or set `Config::out_dir`")]
    NoOutDir,

    /// Two schemas have the same file stem, so their modules would collide.
    #[error("{} and {} would both be written to {}", first.display(), second.display(), out.display())]
    SameOutput {
        /// The schema named first.
        first: PathBuf,
        /// The schema named second.
        second: PathBuf,
        /// The file both would become.
        out: PathBuf,
    },

    /// More than one schema failed; each error, in the order the schemas
    /// were named.
    #[error("{}", join(.0))]
    Several(Vec<BuildError>),
}

impl fmt::Debug for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl BuildError {
    /// The errors of a build that compiled every schema: none, one, or
    /// [`BuildError::Several`].
    pub(crate) fn collect(mut errors: Vec<BuildError>) -> Result<(), BuildError> {
        match errors.len() {
            0 => Ok(()),
            1 => Err(errors.remove(0)),
            _ => Err(BuildError::Several(errors)),
        }
    }

    /// The error of a schema whose compilation found errors.
    pub(crate) fn schema(path: &Path, compilation: &Compilation) -> BuildError {
        let errors: Vec<Diagnostic> = compilation
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        let rendered = human::render_to_string(&compilation.sources, &errors);
        BuildError::Schema {
            path: path.to_path_buf(),
            errors: errors.len(),
            rendered: rendered.trim_end().to_string(),
        }
    }
}

fn count(n: usize, noun: &str) -> String {
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

fn join(errors: &[BuildError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n\n")
}
