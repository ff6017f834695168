//! `tether check`: compile every schema found, print the diagnostics to stdout.

use super::args::{CheckArgs, ColorWhen, Format};
use super::{levels, output, walk, CliError, Status};
use std::io::Write;
use tether_compiler::diag::render::{github, human, json, sarif};
use tether_compiler::project::Project;
use tether_compiler::FsLoader;

pub fn run(args: &CheckArgs, color: ColorWhen) -> Result<Status, CliError> {
    // The project is the one of the first path: a run checks one project.
    let project = match args.paths.first() {
        Some(first) => Project::find(first)?,
        None => None,
    };
    let levels = levels::for_run(project.as_ref(), &args.levels)?;
    let files = walk::schema_files(&args.paths, project.as_ref())?;
    let encoding = project
        .as_ref()
        .and_then(Project::encoding)
        .unwrap_or_default();
    let mut compilation = tether_compiler::compile_with(&FsLoader, &files, encoding)?;
    levels.apply(&mut compilation.diagnostics);
    let sources = &compilation.sources;
    let diagnostics = &compilation.diagnostics;
    let summary = human::Summary::new(diagnostics, sources.len(), args.levels.deny_warnings());

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
