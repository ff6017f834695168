//! The build-script face: compile schemas from a crate's `build.rs` into
//! Rust modules under `OUT_DIR`, in the style of `prost-build`. A game uses
//! it through the `tether-build` crate.
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     tether_compiler::build::compile(&["schemas/game.tether"])?;
//!     Ok(())
//! }
//! ```
//! ```ignore
//! // src/lib.rs
//! pub mod game {
//!     include!(concat!(env!("OUT_DIR"), "/game.rs"));
//! }
//! ```
//!
//! Paths are relative to the crate (`CARGO_MANIFEST_DIR`), and diagnostics
//! name them as written. Each schema becomes `$OUT_DIR/<stem>.rs`, rewritten
//! only when its content changes, whose code reaches the runtime through the
//! `tether` crate ([`Config::runtime_crate`] changes that). Cargo is told to
//! rerun the script when the schema or anything it imports changes.
//! Warnings show in cargo's output (`cargo:warning=`); errors are returned
//! as a [`BuildError`] that prints them as `tether check` does, and print
//! nothing by themselves.

mod error;
mod plain;

pub use error::BuildError;
pub use plain::render;

use crate::gen::luau::{LuauFiles, LuauOptions};
use crate::gen::rust::RustOptions;
use crate::project::Project;
use crate::{Compilation, FsLoader, SourceLoader};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The crate generated Rust reaches the runtime through unless told
/// otherwise: `tether`, the crate a game depends on.
pub const DEFAULT_RUNTIME_CRATE: &str = "tether";

/// Compiles `schemas` into `$OUT_DIR` with the default [`Config`].
pub fn compile<P: AsRef<Path>>(schemas: &[P]) -> Result<(), BuildError> {
    Config::new().compile(schemas)
}

/// The generated Rust for one schema (relative paths are taken from the
/// current directory), as [`compile`] would write it, without touching
/// `OUT_DIR` or printing anything.
pub fn generate_to_string(path: impl AsRef<Path>) -> Result<String, BuildError> {
    let path = path.as_ref();
    let compilation = checked(&FsLoader, path)?;
    let options = RustOptions {
        format: true,
        ..rust_options(None)
    };
    generate(path, &compilation, &options)
}

/// The Luau modules for one schema (relative paths are taken from the
/// current directory), without writing them anywhere.
pub fn generate_luau(path: impl AsRef<Path>) -> Result<LuauFiles, BuildError> {
    let path = path.as_ref();
    let compilation = checked(&FsLoader, path)?;
    luau(path, &compilation)
}

/// Options for [`compile`].
#[derive(Clone, Debug)]
pub struct Config {
    out_dir: Option<PathBuf>,
    luau_dir: Option<PathBuf>,
    cargo_output: bool,
    runtime_crate: Option<String>,
    format: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config::new()
    }
}

impl Config {
    /// The defaults: write to `$OUT_DIR`, no Luau, print `cargo:`
    /// instructions, reach the runtime through `tether`.
    pub fn new() -> Self {
        Config {
            out_dir: None,
            luau_dir: None,
            cargo_output: true,
            runtime_crate: None,
            format: false,
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

    /// The name the generated code reaches the runtime by:
    /// [`DEFAULT_RUNTIME_CRATE`] (`tether`) by default, `tether_runtime`
    /// for a crate that depends on the runtime alone.
    pub fn runtime_crate(&mut self, name: impl Into<String>) -> &mut Self {
        self.runtime_crate = Some(name.into());
        self
    }

    /// Whether to format the generated Rust for a person to read; off by
    /// default, since nobody reads `OUT_DIR` and formatting is most of what
    /// generating costs.
    pub fn format(&mut self, on: bool) -> &mut Self {
        self.format = on;
        self
    }

    /// Compiles each schema (with its imports) into `<out_dir>/<stem>.rs`.
    /// Every schema is compiled before the errors are returned, all of them.
    pub fn compile<P: AsRef<Path>>(&self, schemas: &[P]) -> Result<(), BuildError> {
        let out_dir = match &self.out_dir {
            Some(dir) => dir.clone(),
            None => std::env::var_os("OUT_DIR")
                .map(PathBuf::from)
                .ok_or(BuildError::NoOutDir)?,
        };
        let loader = Rooted::at_manifest_dir();
        let mut outputs: Vec<(PathBuf, PathBuf)> = Vec::new();
        let mut errors = Vec::new();
        for schema in schemas {
            let path = schema.as_ref().to_path_buf();
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
            if let Err(error) = self.compile_one(&loader, &path, &out) {
                errors.push(error);
            }
        }
        BuildError::collect(errors)
    }

    fn compile_one(&self, loader: &Rooted, path: &Path, out: &Path) -> Result<(), BuildError> {
        if self.cargo_output {
            // Until the file is read, at least the schema itself is watched.
            // A relative path is taken from the crate's directory, as ours are.
            println!("cargo:rerun-if-changed={}", path.display());
        }
        // The project's `tether.toml` sets the default encoding and the
        // levels its checks have here as in `tether check`.
        let project = Project::find(&loader.base.join(path))?;
        let encoding = project
            .as_ref()
            .and_then(Project::encoding)
            .unwrap_or_default();
        let mut compilation = crate::compile_with(loader, &[path.to_path_buf()], encoding)?;
        if let Some(project) = project {
            if self.cargo_output {
                println!("cargo:rerun-if-changed={}", project.path().display());
            }
            project.levels().apply(&mut compilation.diagnostics);
        }
        if self.cargo_output {
            for directive in cargo_directives(&compilation) {
                println!("{directive}");
            }
        }
        if compilation.has_errors() {
            return Err(BuildError::schema(path, &compilation));
        }
        let options = RustOptions {
            format: self.format,
            ..rust_options(self.runtime_crate.clone())
        };
        let code = generate(path, &compilation, &options)?;
        write_if_changed(out, &code)?;
        if let Some(dir) = &self.luau_dir {
            let stem = path.file_stem().unwrap_or_default();
            let files = luau(path, &compilation)?;
            for (name, text) in files.files() {
                write_if_changed(&loader.base.join(dir).join(stem).join(name), text)?;
            }
        }
        Ok(())
    }
}

/// Reads paths relative to a base directory (the crate's, in a build
/// script, whatever the current directory), while the diagnostics keep
/// naming them as they were written.
struct Rooted {
    base: PathBuf,
}

impl Rooted {
    /// Rooted at `CARGO_MANIFEST_DIR`, or at the current directory when it
    /// is not set.
    fn at_manifest_dir() -> Rooted {
        let base = std::env::var_os("CARGO_MANIFEST_DIR").map_or_else(PathBuf::new, PathBuf::from);
        Rooted { base }
    }
}

impl SourceLoader for Rooted {
    fn read(&self, path: &Path) -> std::io::Result<String> {
        FsLoader.read(&self.base.join(path))
    }

    fn identity(&self, path: &Path) -> PathBuf {
        FsLoader.identity(&self.base.join(path))
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

/// The compilation of one schema, or its errors.
fn checked(loader: &dyn SourceLoader, path: &Path) -> Result<Compilation, BuildError> {
    let mut compilation = crate::compile(loader, &[path.to_path_buf()])?;
    if let Some(project) = Project::find(path)? {
        project.levels().apply(&mut compilation.diagnostics);
    }
    if compilation.has_errors() {
        return Err(BuildError::schema(path, &compilation));
    }
    Ok(compilation)
}

fn rust_options(runtime_crate: Option<String>) -> RustOptions {
    RustOptions {
        runtime_crate: Some(runtime_crate.unwrap_or_else(|| DEFAULT_RUNTIME_CRATE.to_string())),
        ..RustOptions::default()
    }
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
