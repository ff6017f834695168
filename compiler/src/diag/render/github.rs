//! GitHub Actions workflow commands, which become annotations on a pull request:
//!
//! ```text
//! ::error file=a.tether,line=2,col=6,endLine=2,endColumn=10,title=duplicate-name (T003)::message
//! ```
//!
//! The message is followed, on lines of their own, by each secondary label
//! (`note: path:line:column: text`) and the help (`help: text`). Data and
//! property values are escaped as the Actions toolkit does.

use super::{file_name, Region};
use crate::diag::{Diagnostic, Severity, SourceMap};
use std::io;

/// Writes one workflow command per diagnostic.
pub fn render(
    sources: &SourceMap,
    diagnostics: &[Diagnostic],
    out: &mut dyn io::Write,
) -> io::Result<()> {
    for diagnostic in diagnostics {
        writeln!(out, "{}", command(sources, diagnostic))?;
    }
    Ok(())
}

/// [`render`] into a string.
pub fn render_to_string(sources: &SourceMap, diagnostics: &[Diagnostic]) -> String {
    let mut out = Vec::new();
    // Writing into memory cannot fail.
    let _ = render(sources, diagnostics, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn command(sources: &SourceMap, diagnostic: &Diagnostic) -> String {
    let region = Region::of(sources, diagnostic.span);
    let title = format!("{} ({})", diagnostic.rule.name, diagnostic.rule.code);
    let mut message = diagnostic.message.clone();
    for label in &diagnostic.labels {
        let at = Region::of(sources, label.span);
        message.push_str(&format!(
            "\nnote: {}:{}:{}: {}",
            file_name(sources, label.span),
            at.line,
            at.column,
            label.message
        ));
    }
    if let Some(help) = &diagnostic.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    // A workflow command is `error`, `warning` or `notice`.
    let command = match diagnostic.severity {
        Severity::Note => "notice",
        other => other.as_str(),
    };
    format!(
        "::{} file={},line={},col={},endLine={},endColumn={},title={}::{}",
        command,
        escape_property(file_name(sources, diagnostic.span)),
        region.line,
        region.column,
        region.end_line,
        region.end_column,
        escape_property(&title),
        escape_data(&message),
    )
}

/// Escapes the message of a workflow command.
pub fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a property value of a workflow command.
pub fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::render::fixture;

    #[test]
    fn one_command_per_diagnostic() {
        let sources = fixture::sources();
        let text = render_to_string(&sources, &[fixture::duplicate()]);
        let expected = "::error file=schemas/game.tether,line=2,col=6,endLine=2,endColumn=10,\
title=duplicate-name (T003)::the name `Name` is declared twice\
%0Anote: schemas/game.tether:1:6: first declared here%0Ahelp: rename one of them\n";
        assert_eq!(text, expected);
    }

    #[test]
    fn notes_use_the_notice_command() {
        let sources = fixture::sources();
        let diagnostic = fixture::duplicate().with_severity(Severity::Note);
        let text = render_to_string(&sources, &[diagnostic]);
        assert!(text.starts_with("::notice file="));
    }

    #[test]
    fn warnings_use_the_warning_command() {
        let sources = fixture::sources();
        let diagnostic = fixture::duplicate().with_severity(crate::diag::Severity::Warning);
        let text = render_to_string(&sources, &[diagnostic]);
        assert!(text.starts_with("::warning file="));
    }

    #[test]
    fn escapes_data_and_properties() {
        assert_eq!(escape_data("50%\r\nnext: a,b"), "50%25%0D%0Anext: a,b");
        assert_eq!(escape_property("C:\\x,y%\n"), "C%3A\\x%2Cy%25%0A");
    }

    #[test]
    fn odd_spans_do_not_panic() {
        let (sources, diagnostics) = fixture::odd();
        let text = render_to_string(&sources, &diagnostics);
        assert_eq!(text.lines().count(), diagnostics.len());
        assert!(text.contains("file=<unknown>,line=1,col=1"));
    }
}
