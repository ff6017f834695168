//! `tether import zap FILE.zap`: a Zap config (github.com/red-blox/zap)
//! converted to a `.tether` schema. See docs/zap.md for the mapping.

mod ast;
mod diag;
mod emit;
mod lex;
mod parse;

pub use diag::{Finding, SyntaxError};

use super::super::args::{ColorWhen, ZapArgs};
use super::super::{output, CliError, Status};
use std::io::Write;
use tether_compiler::diag::render::human;

/// A converted config: the schema, and what was translated by judgement.
#[derive(Debug)]
pub struct Conversion {
    pub tether: String,
    pub findings: Vec<Finding>,
}

/// Converts the text of a Zap config.
pub fn convert(text: &str) -> Result<Conversion, SyntaxError> {
    let config = parse::parse(text)?;
    let (tether, findings) = emit::emit(&config);
    Ok(Conversion { tether, findings })
}

pub fn run(args: &ZapArgs, color: ColorWhen) -> Result<Status, CliError> {
    let text = match std::fs::read(&args.file) {
        Ok(bytes) => bytes,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
            return Err(CliError::NotFound(args.file.clone()))
        }
        Err(source) => {
            return Err(CliError::Read {
                path: args.file.clone(),
                source,
            })
        }
    };
    let name = args.file.display().to_string();
    let Ok(text) = String::from_utf8(text) else {
        return Err(CliError::NotUtf8(args.file.clone()));
    };
    let result = convert(&text);
    let mut err = output::stderr(color);
    match result {
        Ok(conversion) => {
            diag::render(&name, &text, &conversion.findings, None, &mut err)?;
            // What Tether's checker says of the schema written, as `tether
            // check` would: the import keeps no rule of its own.
            let written = match &args.output {
                Some(path) => path.display().to_string(),
                None => format!("{}.tether", args.file.with_extension("").display()),
            };
            let checked = tether_compiler::compile_str(&written, &conversion.tether);
            if !checked.diagnostics.is_empty() {
                human::render(&checked.sources, &checked.diagnostics, &mut err)?;
                human::Summary::new(&checked.diagnostics, 1, false).write(&mut err)?;
            }
            err.flush()?;
            super::write_output(args.output.as_deref(), &conversion.tether)?;
            Ok(match checked.has_errors() {
                true => Status::Failed,
                false => Status::Ok,
            })
        }
        Err(error) => {
            diag::render(&name, &text, &[], Some(&error), &mut err)?;
            err.flush()?;
            Ok(Status::Failed)
        }
    }
}
