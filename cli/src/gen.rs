//! `tether gen rust SCHEMA [-o FILE]` and `tether gen luau SCHEMA -o DIR`:
//! the generated code on stdout or in FILE, or the Luau modules in DIR;
//! diagnostics go to stderr, and errors mean no code (exit 1). A file that
//! cannot be read or written is exit 2.

use super::args::{ColorWhen, GenArgs, Language};
use super::single::compile_file;
use super::{output, CliError, Status};
use std::io::{self, Write};
use std::path::Path;
use tether_compiler::build::{write_if_changed, BuildError};
use tether_compiler::gen::{luau, rust};

pub fn run(args: &GenArgs, color: ColorWhen) -> Result<Status, CliError> {
    if args.language == Language::Luau && args.output.is_none() {
        return Err(CliError::NoOutputDir);
    }
    let Some(compilation) = compile_file(&args.file, "gen", color)? else {
        return Ok(Status::Failed);
    };
    let source = args.file.display().to_string().replace('\\', "/");
    let generated = match args.language {
        Language::Rust => rust::generate(
            &compilation.schema,
            &rust::RustOptions::default()
                .source(source)
                .runtime_crate(args.runtime_crate.clone())
                .format(!args.no_format),
        )
        .map(Output::File)
        .map_err(|e| e.to_string()),
        Language::Luau => luau::generate(
            &compilation.schema,
            &luau::LuauOptions::default().source(source),
        )
        .map(Output::Luau)
        .map_err(|e| e.to_string()),
    };
    let generated = match generated {
        Ok(generated) => generated,
        Err(error) => {
            output::report_error(color, &error, None);
            return Ok(Status::Failed);
        }
    };
    match (generated, &args.output) {
        (Output::File(code), Some(path)) => write(path, &code)?,
        (Output::File(code), None) => {
            let mut out = io::stdout().lock();
            out.write_all(code.as_bytes())?;
            out.flush()?;
        }
        (Output::Luau(files), Some(dir)) => {
            for (name, text) in files.files() {
                write(&dir.join(name), text)?;
            }
        }
        (Output::Luau(_), None) => return Err(CliError::NoOutputDir),
    }
    Ok(Status::Ok)
}

enum Output {
    File(String),
    Luau(luau::LuauFiles),
}

fn write(path: &Path, text: &str) -> Result<(), CliError> {
    write_if_changed(path, text).map_err(|error| match error {
        BuildError::Write { path, source } => CliError::Output(io::Error::new(
            source.kind(),
            format!("{}: {source}", path.display()),
        )),
        other => CliError::Output(io::Error::other(other.to_string())),
    })
}
