//! `tether ir`: the resolved model of one file as JSON on stdout; any
//! diagnostics go to stderr, and errors mean no IR.

use super::args::{ColorWhen, IrArgs};
use super::single::compile_file;
use super::{output, CliError, Status};
use std::io::Write;

pub fn run(args: &IrArgs, color: ColorWhen) -> Result<Status, CliError> {
    let Some(compilation) = compile_file(&args.file, "ir", color)? else {
        return Ok(Status::Failed);
    };
    let mut out = output::stdout(color);
    let ir = serde_json::to_string_pretty(&compilation.schema)?;
    writeln!(out, "{ir}")?;
    out.flush()?;
    Ok(Status::Ok)
}
