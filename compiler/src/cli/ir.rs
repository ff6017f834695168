//! `tether ir`: the resolved model of one file as JSON on stdout; any
//! diagnostics go to stderr, and errors mean no IR.

use super::args::{ColorWhen, IrArgs};
use super::{output, CliError, Status};
use crate::diag::render::human;
use crate::FsLoader;
use std::io::Write;

pub fn run(args: &IrArgs, color: ColorWhen) -> Result<Status, CliError> {
    if args.file.is_dir() {
        return Err(CliError::NotAFile(args.file.clone()));
    }
    let compilation = crate::compile(&FsLoader, std::slice::from_ref(&args.file))?;
    if !compilation.diagnostics.is_empty() {
        let mut err = output::stderr(color);
        human::render(&compilation.sources, &compilation.diagnostics, &mut err)?;
        human::Summary::new(&compilation.diagnostics, compilation.sources.len(), false)
            .write(&mut err)?;
        err.flush()?;
    }
    if compilation.has_errors() {
        return Ok(Status::Failed);
    }
    let mut out = output::stdout(color);
    let ir = serde_json::to_string_pretty(&compilation.schema)?;
    writeln!(out, "{ir}")?;
    out.flush()?;
    Ok(Status::Ok)
}
