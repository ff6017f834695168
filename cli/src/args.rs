//! The command line, as clap parses it.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;
use tether_compiler::build::DEFAULT_RUNTIME_CRATE;

/// Checks `.tether` schemas against Roblox's documented remote limitations.
#[derive(Debug, Parser)]
#[command(
    name = "tether",
    version,
    propagate_version = true,
    arg_required_else_help = true
)]
pub struct Cli {
    /// When to colour human output
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check schema files and directories, and report every diagnostic
    Check(CheckArgs),
    /// Explain a rule: what it catches, the Roblox behaviour behind it, and the fix
    Explain(ExplainArgs),
    /// List every rule
    Rules(RulesArgs),
    /// Print the resolved model (IR) of one schema file as JSON
    Ir(IrArgs),
    /// Generate code for one schema file (and what it imports)
    Gen(GenArgs),
    /// Convert another tool's schema into a `.tether` schema
    Import(ImportArgs),
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    #[command(subcommand)]
    pub source: ImportSource,
}

/// The tools whose schemas `tether import` reads.
#[derive(Debug, Subcommand)]
pub enum ImportSource {
    /// A Zap config (`.zap`); notes and warnings go to stderr
    Zap(ZapArgs),
}

#[derive(Debug, Args)]
pub struct ZapArgs {
    /// The Zap config to convert
    #[arg(value_name = "FILE.zap")]
    pub file: PathBuf,

    /// Where to write the `.tether` schema (default: standard output)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Schema files, or directories to search recursively for `*.tether`
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// How to print diagnostics (always to stdout)
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    #[command(flatten)]
    pub levels: LevelArgs,
}

/// Rule levels for one run, over those of `tether.toml`.
#[derive(Debug, Args)]
pub struct LevelArgs {
    /// Silence a rule (a name or a code) that can be silenced
    #[arg(long, short = 'A', value_name = "RULE")]
    pub allow: Vec<String>,

    /// Report a rule as a warning
    #[arg(long, short = 'W', value_name = "RULE")]
    pub warn: Vec<String>,

    /// Report a rule as an error; `--deny warnings` fails the run on any warning
    #[arg(long, short = 'D', value_name = "RULE")]
    pub deny: Vec<String>,
}

/// `--deny warnings`: the group of every warning, not a rule.
pub const WARNINGS: &str = "warnings";

impl LevelArgs {
    /// Whether warnings fail the run.
    pub fn deny_warnings(&self) -> bool {
        self.deny.iter().any(|rule| rule == WARNINGS)
    }
}

#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// A rule name (`mixed-table`) or code (`T101`)
    #[arg(value_name = "RULE")]
    pub rule: String,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,

    /// The levels to show, over those of the `tether.toml` found from the
    /// current directory
    #[command(flatten)]
    pub levels: LevelArgs,
}

#[derive(Debug, Args)]
pub struct IrArgs {
    /// The schema file to compile (its imports are followed)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

#[derive(Debug, Args)]
pub struct GenArgs {
    /// The language to generate
    #[arg(value_enum, value_name = "LANGUAGE")]
    pub language: Language,

    /// The schema file to compile (its imports are followed)
    #[arg(value_name = "SCHEMA")]
    pub file: PathBuf,

    /// Where to write the code: a file for Rust (default: standard output),
    /// a directory for Luau's four modules (required)
    #[arg(long, short = 'o', value_name = "PATH")]
    pub output: Option<PathBuf>,

    /// The crate generated Rust reaches the runtime through: `tether`, the
    /// crate a game depends on, or `tether_runtime` for a crate that depends
    /// on the runtime alone
    #[arg(long, value_name = "NAME", default_value = DEFAULT_RUNTIME_CRATE, value_parser = crate_name)]
    pub runtime_crate: String,

    /// Rust: write each item on one line instead of formatting the code, as
    /// the build API does for OUT_DIR
    #[arg(long)]
    pub no_format: bool,
}

/// A crate name as Rust code spells it: an identifier (`tether_runtime`, not
/// `tether-runtime`), checked here so that a typo is a usage error.
fn crate_name(name: &str) -> Result<String, String> {
    let mut chars = name.chars();
    let starts_well = chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
    if starts_well && chars.all(|c| c.is_ascii_alphanumeric() || c == '_') && name != "_" {
        Ok(name.to_string())
    } else {
        Err(format!(
            "`{name}` is not a crate name as Rust code writes it (letters, digits and `_`, e.g. `tether_runtime`)"
        ))
    }
}

/// What `gen` generates.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Language {
    /// A Rust module for a crate that depends on `tether`
    Rust,
    /// The Luau modules of a Roblox game: server, client, types and runtime
    Luau,
}

/// How `check` prints diagnostics.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Source excerpts with underlines, and a summary line
    Human,
    /// JSON Lines: one object per diagnostic
    Json,
    /// GitHub Actions workflow commands (annotations)
    Github,
    /// SARIF 2.1.0, for code scanning
    Sarif,
}

/// How `rules` prints the catalog.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// An aligned table
    Human,
    /// One JSON array of every rule
    Json,
    /// The reference page, as in docs/rules.md
    Markdown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// When writing to a terminal (and NO_COLOR is not set)
    Auto,
    Always,
    Never,
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn definition_is_consistent() {
        Cli::command().debug_assert();
    }
}
