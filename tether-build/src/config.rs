//! The options of a build, as a builder.

use crate::Error;
use std::path::{Path, PathBuf};

/// How to compile schemas: where the code goes, whether Luau is written
/// too, and which crate the generated code reaches the runtime through.
///
/// ```no_run
/// // build.rs
/// fn main() -> Result<(), Box<dyn std::error::Error>> {
///     tether_build::Config::new()
///         .luau_out("src/shared/Net")
///         .compile(&["schemas/game.tether"])?;
///     Ok(())
/// }
/// ```
#[derive(Clone, Debug, Default)]
pub struct Config {
    inner: tether_compiler::build::Config,
}

impl Config {
    /// The defaults: Rust into `$OUT_DIR`, no Luau, cargo's instructions
    /// printed, the runtime reached through `tether`.
    pub fn new() -> Self {
        Config::default()
    }

    /// Writes the generated Rust into `dir` instead of `$OUT_DIR`.
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.inner.out_dir(dir);
        self
    }

    /// Also writes each schema's Luau modules, for the Roblox side of the
    /// game, into `<dir>/<stem>/` (`server.luau`, `client.luau`,
    /// `types.luau`, `tether.luau`). A relative `dir` is taken from the
    /// crate's directory.
    pub fn luau_out(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.inner.luau_out(dir);
        self
    }

    /// Whether to print cargo's instructions (`cargo:rerun-if-changed`,
    /// `cargo:warning`); on by default, off for a caller that is not a
    /// build script.
    pub fn cargo_output(&mut self, on: bool) -> &mut Self {
        self.inner.cargo_output(on);
        self
    }

    /// The crate the generated code reaches the runtime through, as Rust
    /// code names it: `tether` by default; `tether_runtime` for a crate
    /// that depends on the runtime alone.
    pub fn runtime_crate(&mut self, name: impl Into<String>) -> &mut Self {
        self.inner.runtime_crate(name);
        self
    }

    /// Whether to format the generated Rust for a person to read; off by
    /// default, since nobody reads `OUT_DIR` and formatting is most of what
    /// generating costs.
    pub fn format(&mut self, on: bool) -> &mut Self {
        self.inner.format(on);
        self
    }

    /// Compiles each schema (with its imports) into `<out_dir>/<stem>.rs`.
    /// Every schema is compiled before the errors are returned.
    pub fn compile(&self, schemas: &[impl AsRef<Path>]) -> Result<(), Error> {
        self.inner.compile(schemas)
    }
}
