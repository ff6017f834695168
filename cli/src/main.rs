//! The `tether` command line: `check`, `explain`, `rules`, `ir`, `gen` and `import`.
//!
//! Exit status: 0 when the run found no errors (warnings allowed unless
//! `--deny warnings`), 1 when it found errors (or denied warnings), 2 when
//! the tool could not run: bad arguments, a missing or unreadable path, a
//! directory without schemas, an unknown rule. Diagnostics of `check` go to
//! stdout in every format; errors of the tool itself go to stderr. `import`
//! fails (1) on a syntax error in the file it converts, and prints its
//! diagnostics to stderr, the schema to stdout (or `-o FILE`); its notes and
//! warnings do not fail it.
#![forbid(unsafe_code)]

mod args;
mod check;
mod error;
mod explain;
mod gen;
mod import;
mod ir;
mod levels;
mod output;
mod rules;
mod single;
mod walk;

use args::{Cli, Command};
use error::CliError;

use clap::Parser;
use std::ffi::OsString;
use std::process::ExitCode;

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    /// No errors.
    Ok = 0,
    /// Errors found (or warnings, when they are denied).
    Failed = 1,
    /// The tool could not run.
    CannotRun = 2,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> ExitCode {
        ExitCode::from(status as u8)
    }
}

fn main() -> ExitCode {
    run(std::env::args_os()).into()
}

/// Runs `tether` with these arguments (the first is the program name).
fn run<I, T>(args: I) -> Status
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(error) => {
            // Help and version go to stdout and succeed; usage errors go to stderr.
            let _ = error.print();
            return if error.use_stderr() {
                Status::CannotRun
            } else {
                Status::Ok
            };
        }
    };
    match dispatch(&cli) {
        Ok(status) => status,
        Err(error) if error.is_broken_pipe() => Status::CannotRun,
        Err(error) => {
            output::report_error(cli.color, &error.to_string(), error.help().as_deref());
            Status::CannotRun
        }
    }
}

fn dispatch(cli: &Cli) -> Result<Status, CliError> {
    match &cli.command {
        Command::Check(args) => check::run(args, cli.color),
        Command::Explain(args) => explain::run(args, cli.color),
        Command::Rules(args) => rules::run(args, cli.color),
        Command::Ir(args) => ir::run(args, cli.color),
        Command::Gen(args) => gen::run(args, cli.color),
        Command::Import(args) => import::run(args, cli.color),
    }
}
