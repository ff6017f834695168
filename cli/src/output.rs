//! Where output goes, and whether it is coloured.

use super::args::ColorWhen;
use codespan_reporting::term::termcolor::{self, BufferedStandardStream, ColorChoice};
use std::io::IsTerminal;

/// Standard output, buffered; coloured per `when` (only human output sets colours).
pub fn stdout(when: ColorWhen) -> BufferedStandardStream {
    BufferedStandardStream::stdout(choice(when, std::io::stdout().is_terminal()))
}

/// Standard error, buffered; coloured per `when`.
pub fn stderr(when: ColorWhen) -> BufferedStandardStream {
    BufferedStandardStream::stderr(choice(when, std::io::stderr().is_terminal()))
}

fn choice(when: ColorWhen, is_terminal: bool) -> ColorChoice {
    match when {
        // termcolor's `Auto` also honours NO_COLOR and TERM=dumb.
        ColorWhen::Auto if is_terminal => ColorChoice::Auto,
        ColorWhen::Auto | ColorWhen::Never => ColorChoice::Never,
        ColorWhen::Always => ColorChoice::Always,
    }
}

/// Writes `error: message` (and `help: ...`) to standard error.
pub fn report_error(when: ColorWhen, message: &str, help: Option<&str>) {
    use std::io::Write;
    use termcolor::{Color, ColorSpec, WriteColor};

    fn label(out: &mut BufferedStandardStream, word: &str, color: Color) {
        let _ = out.set_color(ColorSpec::new().set_fg(Some(color)).set_bold(true));
        let _ = write!(out, "{word}");
        let _ = out.reset();
    }

    let mut err = stderr(when);
    label(&mut err, "error", Color::Red);
    let _ = writeln!(err, ": {message}");
    if let Some(help) = help {
        label(&mut err, "help", Color::Cyan);
        let _ = writeln!(err, ": {help}");
    }
    let _ = err.flush();
}
