//! What the converter reports, as data, and its rustc-like rendering.

use super::ast::Span;
use codespan_reporting::diagnostic::{Diagnostic, Label, Severity as ReportSeverity};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term::termcolor::WriteColor;
use codespan_reporting::term::{self, Chars, Config};
use std::io;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Translated with a choice the reader should know about.
    Note,
    /// Translated into something that behaves differently, or not at all.
    Warning,
}

/// A construct the converter translated with judgement, at its place in the
/// Zap file.
#[derive(Clone, Debug)]
pub struct Finding {
    pub severity: Severity,
    pub span: Span,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
}

impl Finding {
    pub fn note(span: Span, message: impl Into<String>, label: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Note,
            span,
            message: message.into(),
            label: label.into(),
            help: None,
        }
    }

    pub fn warning(span: Span, message: impl Into<String>, label: impl Into<String>) -> Self {
        Finding {
            severity: Severity::Warning,
            ..Finding::note(span, message, label)
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// Why a Zap config could not be read: the conversion stops at the first.
#[derive(Clone, Debug, thiserror::Error)]
#[error("{message}")]
pub struct SyntaxError {
    pub span: Span,
    pub message: String,
    pub label: String,
    pub help: Option<String>,
}

impl SyntaxError {
    pub fn new(span: Span, message: impl Into<String>, label: impl Into<String>) -> Self {
        SyntaxError {
            span,
            message: message.into(),
            label: label.into(),
            help: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

fn report(
    severity: ReportSeverity,
    span: &Span,
    message: &str,
    label: &str,
    help: Option<&str>,
    len: usize,
) -> Diagnostic<()> {
    let start = span.start.min(len);
    let end = span.end.clamp(start, len);
    Diagnostic::new(severity)
        .with_message(message)
        .with_labels(vec![Label::primary((), start..end).with_message(label)])
        .with_notes(help.map(|h| format!("help: {h}")).into_iter().collect())
}

/// Renders findings, then the syntax error if there is one, as rustc does.
pub fn render(
    name: &str,
    source: &str,
    findings: &[Finding],
    error: Option<&SyntaxError>,
    out: &mut dyn WriteColor,
) -> io::Result<()> {
    let file = SimpleFile::new(name, source);
    let config = Config {
        chars: Chars::ascii(),
        ..Config::default()
    };
    let len = source.len();
    let mut reports: Vec<Diagnostic<()>> = findings
        .iter()
        .map(|f| {
            let severity = match f.severity {
                Severity::Note => ReportSeverity::Note,
                Severity::Warning => ReportSeverity::Warning,
            };
            report(
                severity,
                &f.span,
                &f.message,
                &f.label,
                f.help.as_deref(),
                len,
            )
        })
        .collect();
    if let Some(e) = error {
        reports.push(report(
            ReportSeverity::Error,
            &e.span,
            &e.message,
            &e.label,
            e.help.as_deref(),
            len,
        ));
    }
    for report in &reports {
        term::emit_to_write_style(out, &config, &file, report).map_err(|error| match error {
            codespan_reporting::files::Error::Io(error) => error,
            other => io::Error::other(other.to_string()),
        })?;
    }
    Ok(())
}
