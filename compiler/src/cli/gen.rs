//! `tether gen rust SCHEMA [-o FILE]`: the generated code on stdout or in
//! FILE; diagnostics go to stderr, and errors mean no code (exit 1). A file
//! that cannot be read or written is exit 2.

use super::args::{ColorWhen, GenArgs, Language};
use super::single::compile_file;
use super::{output, CliError, Status};
use crate::gen::rust::{generate, RustOptions};
use std::io::{self, Write};

pub fn run(args: &GenArgs, color: ColorWhen) -> Result<Status, CliError> {
    let Some(compilation) = compile_file(&args.file, "gen", color)? else {
        return Ok(Status::Failed);
    };
    let code = match args.language {
        Language::Rust => {
            let options = RustOptions {
                source: Some(args.file.display().to_string().replace('\\', "/")),
                ..RustOptions::default()
            };
            generate(&compilation.schema, &options)
        }
    };
    let code = match code {
        Ok(code) => code,
        Err(error) => {
            output::report_error(color, &error.to_string(), None);
            return Ok(Status::Failed);
        }
    };
    match &args.output {
        Some(path) => crate::build::write_if_changed(path, &code).map_err(|error| match error {
            crate::build::BuildError::Write { path, source } => CliError::Output(io::Error::new(
                source.kind(),
                format!("{}: {source}", path.display()),
            )),
            other => CliError::Output(io::Error::other(other.to_string())),
        })?,
        None => {
            let mut out = io::stdout().lock();
            out.write_all(code.as_bytes())?;
            out.flush()?;
        }
    }
    Ok(Status::Ok)
}
