//! `tether import`: schemas of other tools, converted to `.tether`.

pub mod zap;

use super::args::{ColorWhen, ImportArgs, ImportSource};
use super::{output, CliError, Status};
use std::io::Write;

/// Runs `tether import <tool> FILE [-o OUT]`.
pub fn run(args: &ImportArgs, color: ColorWhen) -> Result<Status, CliError> {
    match &args.source {
        ImportSource::Zap(zap_args) => zap::run(zap_args, color),
    }
}

/// Writes the converted schema to `-o FILE`, or to standard output.
fn write_output(path: Option<&std::path::Path>, text: &str) -> Result<(), CliError> {
    match path {
        Some(path) => std::fs::write(path, text).map_err(|source| CliError::Write {
            path: path.to_path_buf(),
            source,
        }),
        None => {
            let mut out = output::stdout(ColorWhen::Never);
            out.write_all(text.as_bytes())?;
            out.flush()?;
            Ok(())
        }
    }
}
