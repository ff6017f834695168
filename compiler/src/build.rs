//! The build-script face: compile schemas from a crate's `build.rs` into
//! Rust modules under `OUT_DIR`, in the style of `prost-build`.
//!
//! ```no_run
//! // In build.rs's `main`:
//! tether_compiler::build::compile(&["schemas/game.tether"]).unwrap();
//! ```
//! ```ignore
//! // src/lib.rs
//! pub mod game {
//!     include!(concat!(env!("OUT_DIR"), "/game.rs"));
//! }
//! ```
//!
//! Paths are relative to the crate (`CARGO_MANIFEST_DIR`). Each schema
//! becomes `$OUT_DIR/<stem>.rs`, rewritten only when its content changes.
//! Cargo is told to rerun the script when the schema or anything it imports
//! changes. Warnings show in cargo's output (`cargo:warning=`); errors are
//! printed to stderr and fail the build. Works without the `cli` feature.

use crate::diag::{Diagnostic, SourceMap};
use crate::gen::luau::{LuauFiles, LuauOptions};
use crate::gen::rust::{GenError, RustOptions};
use crate::{Compilation, FsLoader, LoadError};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Why a schema could not be turned into code.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error(transparent)]
    Load(#[from] LoadError),

    #[error("{} has {errors} error(s):\n{rendered}", path.display())]
    Schema {
        path: PathBuf,
        errors: usize,
        /// The diagnostics, rendered as text.
        rendered: String,
    },

    #[error("cannot generate Rust for {}: {source}", path.display())]
    Gen {
        path: PathBuf,
        #[source]
        source: GenError,
    },

    #[error("cannot generate Luau for {}: {source}", path.display())]
    LuauGen {
        path: PathBuf,
        #[source]
        source: crate::gen::luau::GenError,
    },

    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    #[error("OUT_DIR is not set: run from a build script, or set `Config::out_dir`")]
    NoOutDir,

    #[error("{} and {} would both be written to {}", first.display(), second.display(), out.display())]
    SameOutput {
        first: PathBuf,
        second: PathBuf,
        out: PathBuf,
    },
}

/// Compiles `schemas` into `$OUT_DIR` with the default [`Config`].
pub fn compile<P: AsRef<Path>>(schemas: &[P]) -> Result<(), BuildError> {
    Config::new().compile(schemas)
}

/// The generated Rust for one schema (relative paths are taken from the
/// current directory), without touching `OUT_DIR` or printing anything.
pub fn generate_to_string(path: impl AsRef<Path>) -> Result<String, BuildError> {
    let path = path.as_ref();
    let compilation = crate::compile(&FsLoader, &[path.to_path_buf()])?;
    if compilation.has_errors() {
        return Err(schema_error(path, &compilation));
    }
    generate(path, &compilation, &RustOptions::default())
}

/// The Luau modules for one schema (relative paths are taken from the
/// current directory), without writing them anywhere.
pub fn generate_luau(path: impl AsRef<Path>) -> Result<LuauFiles, BuildError> {
    let path = path.as_ref();
    let compilation = crate::compile(&FsLoader, &[path.to_path_buf()])?;
    if compilation.has_errors() {
        return Err(schema_error(path, &compilation));
    }
    luau(path, &compilation)
}

/// Options for [`compile`].
#[derive(Clone, Debug)]
pub struct Config {
    out_dir: Option<PathBuf>,
    luau_dir: Option<PathBuf>,
    cargo_output: bool,
    runtime_crate: Option<String>,
}

impl Default for Config {
    fn default() -> Self {
        Config::new()
    }
}

impl Config {
    pub fn new() -> Self {
        Config {
            out_dir: None,
            luau_dir: None,
            cargo_output: true,
            runtime_crate: None,
        }
    }

    /// Where to write the generated files (default: `$OUT_DIR`).
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Also writes each schema's Luau modules, for a Roblox game, into
    /// `<dir>/<stem>/` (`server.luau`, `client.luau`, `types.luau`,
    /// `tether.luau`). A relative `dir` is taken from the crate's directory.
    pub fn luau_out(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.luau_dir = Some(dir.into());
        self
    }

    /// Whether to print `cargo:` instructions (rerun-if-changed, warnings);
    /// on by default.
    pub fn cargo_output(&mut self, on: bool) -> &mut Self {
        self.cargo_output = on;
        self
    }

    /// The name the generated code reaches the runtime by: `tether_runtime`
    /// by default, `tether` for a crate that depends on the `tether` crate.
    pub fn runtime_crate(&mut self, name: impl Into<String>) -> &mut Self {
        self.runtime_crate = Some(name.into());
        self
    }

    /// Compiles each schema (with its imports) into `<out_dir>/<stem>.rs`.
    /// Every schema is compiled and reported before the first error is returned.
    pub fn compile<P: AsRef<Path>>(&self, schemas: &[P]) -> Result<(), BuildError> {
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(BuildError::NoOutDir)?,
        };
        let base = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
        let mut outputs: Vec<(PathBuf, PathBuf)> = Vec::new();
        let mut first_error = None;
        for schema in schemas {
            let path = match &base {
                Some(base) => base.join(schema.as_ref()),
                None => schema.as_ref().to_path_buf(),
            };
            let stem = path.file_stem().unwrap_or_default().to_string_lossy();
            let out = out_dir.join(format!("{stem}.rs"));
            if let Some((first, _)) = outputs.iter().find(|(_, o)| *o == out) {
                return Err(BuildError::SameOutput {
                    first: first.clone(),
                    second: path,
                    out,
                });
            }
            outputs.push((path.clone(), out.clone()));
            if let Err(error) = self.compile_one(&path, &out) {
                first_error.get_or_insert(error);
            }
        }
        match first_error {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    fn compile_one(&self, path: &Path, out: &Path) -> Result<(), BuildError> {
        if self.cargo_output {
            // Until the file is read, at least the schema itself is watched.
            println!("cargo:rerun-if-changed={}", path.display());
        }
        let compilation = crate::compile(&FsLoader, &[path.to_path_buf()])?;
        if self.cargo_output {
            for directive in cargo_directives(&compilation) {
                println!("{directive}");
            }
        }
        if compilation.has_errors() {
            let error = schema_error(path, &compilation);
            if self.cargo_output {
                if let BuildError::Schema { rendered, .. } = &error {
                    eprint!("{rendered}");
                }
            }
            return Err(error);
        }
        let options = RustOptions {
            runtime_crate: self.runtime_crate.clone(),
            ..RustOptions::default()
        };
        let code = generate(path, &compilation, &options)?;
        write_if_changed(out, &code)?;
        if let Some(dir) = &self.luau_dir {
            let dir = match std::env::var_os("CARGO_MANIFEST_DIR") {
                Some(base) if dir.is_relative() => PathBuf::from(base).join(dir),
                _ => dir.clone(),
            };
            let stem = path.file_stem().unwrap_or_default();
            let files = luau(path, &compilation)?;
            for (name, text) in files.files() {
                write_if_changed(&dir.join(stem).join(name), text)?;
            }
        }
        Ok(())
    }
}

/// What cargo is told about a compiled schema: every imported file to
/// watch (the root is watched before it is read), and each warning, line by
/// line, so that it shows in cargo's output.
pub fn cargo_directives(compilation: &Compilation) -> Vec<String> {
    let watched = compilation
        .sources
        .iter()
        .skip(1)
        .filter_map(|(_, file)| file.path.as_ref())
        .map(|path| format!("cargo:rerun-if-changed={}", path.display()));
    let warnings = compilation
        .diagnostics
        .iter()
        .filter(|d| !d.is_error())
        .flat_map(|d| {
            render(&compilation.sources, d)
                .lines()
                .map(|line| format!("cargo:warning={line}"))
                .collect::<Vec<_>>()
        });
    watched.chain(warnings).collect()
}

fn generate(
    path: &Path,
    compilation: &Compilation,
    options: &RustOptions,
) -> Result<String, BuildError> {
    crate::gen::rust::generate(&compilation.schema, options).map_err(|source| BuildError::Gen {
        path: path.to_path_buf(),
        source,
    })
}

fn luau(path: &Path, compilation: &Compilation) -> Result<LuauFiles, BuildError> {
    let options = LuauOptions::default();
    crate::gen::luau::generate(&compilation.schema, &options).map_err(|source| {
        BuildError::LuauGen {
            path: path.to_path_buf(),
            source,
        }
    })
}

fn schema_error(path: &Path, compilation: &Compilation) -> BuildError {
    let rendered = compilation
        .diagnostics
        .iter()
        .map(|d| render(&compilation.sources, d))
        .collect();
    BuildError::Schema {
        path: path.to_path_buf(),
        errors: compilation.error_count(),
        rendered,
    }
}

/// Writes `text` to `path` unless it already holds exactly that, so that
/// cargo does not rebuild what includes it.
pub fn write_if_changed(path: &Path, text: &str) -> Result<(), BuildError> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == text) {
        return Ok(());
    }
    let write = || -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)?;
        }
        let mut file = std::fs::File::create(path)?;
        file.write_all(text.as_bytes())?;
        file.flush()
    };
    write().map_err(|source| BuildError::Write {
        path: path.to_path_buf(),
        source,
    })
}

/// One diagnostic as plain text, without colour:
///
/// ```text
/// schemas/game.tether:3:5: error[mixed-table]: message
///   3 | type X = { string, Name: string }
///     |          ^^^^^^^^^^^^^^^^^^^^^^^^ label
///   = help: ...
/// ```
pub fn render(sources: &SourceMap, diagnostic: &Diagnostic) -> String {
    let mut out = String::new();
    let severity = diagnostic.severity.as_str();
    let rule = diagnostic.rule.name;
    let location = locate(sources, diagnostic.span);
    match &location {
        Some(at) => out.push_str(&format!(
            "{}:{}:{}: {severity}[{rule}]: {}\n",
            at.file, at.line, at.column, diagnostic.message
        )),
        None => out.push_str(&format!("{severity}[{rule}]: {}\n", diagnostic.message)),
    }
    if let Some(at) = &location {
        let number = at.line.to_string();
        let pad = " ".repeat(number.len());
        let width = at.underline.max(1);
        out.push_str(&format!("  {number} | {}\n", at.text));
        out.push_str(&format!(
            "  {pad} | {}{} {}\n",
            " ".repeat(at.column - 1),
            "^".repeat(width),
            diagnostic.label
        ));
    }
    for label in &diagnostic.labels {
        if let Some(at) = locate(sources, label.span) {
            out.push_str(&format!(
                "  = note: {}:{}:{}: {}\n",
                at.file, at.line, at.column, label.message
            ));
        }
    }
    if let Some(help) = &diagnostic.help {
        out.push_str(&format!("  = help: {help}\n"));
    }
    out
}

struct Located {
    file: String,
    line: usize,
    column: usize,
    /// The text of the line the span starts on.
    text: String,
    /// Characters of that line the span covers.
    underline: usize,
}

fn locate(sources: &SourceMap, span: crate::diag::Span) -> Option<Located> {
    if span.file.0 as usize >= sources.len() {
        return None;
    }
    let file = sources.get(span.file);
    let start = (span.start as usize).min(file.text.len());
    let (line, column) = file.line_col(start);
    let line_start = file.line_starts().get(line - 1).copied().unwrap_or(0);
    let text = file.text.get(line_start..).unwrap_or("");
    let text = text.lines().next().unwrap_or("").trim_end_matches('\r');
    let end = (span.end as usize).min(line_start + text.len()).max(start);
    let underline = file.text.get(start..end).map_or(0, |s| s.chars().count());
    Some(Located {
        file: file.name.clone(),
        line,
        column,
        text: text.to_string(),
        underline,
    })
}
