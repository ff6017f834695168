//! `tether check`: compile every schema found, print the diagnostics to stdout.

use super::args::{CheckArgs, ColorWhen, Format};
use super::{output, walk, CliError, Status};
use std::io::Write;
use tether_compiler::diag::render::{github, human, json, sarif};
use tether_compiler::FsLoader;

pub fn run(args: &CheckArgs, color: ColorWhen) -> Result<Status, CliError> {
    let files = walk::schema_files(&args.paths)?;
    let compilation = tether_compiler::compile(&FsLoader, &files)?;
    let sources = &compilation.sources;
    let diagnostics = &compilation.diagnostics;
    let summary = human::Summary::new(diagnostics, sources.len(), args.deny_warnings());

    let mut out = output::stdout(color);
    match args.format {
        Format::Human => {
            human::render(sources, diagnostics, &mut out)?;
            summary.write(&mut out)?;
        }
        Format::Json => json::render(sources, diagnostics, &mut out)?,
        Format::Github => github::render(sources, diagnostics, &mut out)?,
        Format::Sarif => sarif::render(sources, diagnostics, &mut out)?,
    }
    out.flush()?;
    Ok(if summary.failed() {
        Status::Failed
    } else {
        Status::Ok
    })
}
