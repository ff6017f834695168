//! A diagnostic as data: what the checker finds, before anyone renders it.

use super::rules::{Rule, Severity};
use super::span::Span;

/// A secondary location with a note ("first declared here").
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    pub rule: &'static Rule,
    pub severity: Severity,
    pub message: String,
    pub span: Span,
    /// Text under the primary span; empty when the message says it all.
    pub label: String,
    pub labels: Vec<Label>,
    pub help: Option<String>,
    /// The code the help proposes, as data, for a front end whose syntax
    /// is not a schema's; `help` is the same line in schema syntax.
    pub suggestion: Option<Suggestion>,
}

/// A help line that proposes code: the words around it, and the code as
/// data, so that each front end writes it in its own syntax (`string(..64)`
/// in a schema, `#[tether(max_len = 64)]` on a Rust field).
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    pub before: String,
    pub fixes: Vec<Fix>,
    pub after: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fix {
    /// An upper bound on a length (strings, buffers) or an element count
    /// (arrays, maps): on the type the diagnostic is at, or, as an example,
    /// on a type of the kind `on`.
    MaxLen { max: u32, on: Option<Bounded> },
}

/// A kind of type that a [`Fix`] is shown on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bounded {
    String,
    Array,
}

impl Suggestion {
    /// The help line, each fix written by `write`.
    pub fn render(&self, write: impl Fn(&Fix) -> String) -> String {
        let fixes: Vec<String> = self.fixes.iter().map(write).collect();
        format!("{}{}{}", self.before, fixes.join(", "), self.after)
    }
}

impl Fix {
    /// The fix as a schema writes it.
    pub fn schema(&self) -> String {
        match self {
            Fix::MaxLen { max, on: None } => format!("`(..{max})` after the type"),
            Fix::MaxLen {
                max,
                on: Some(Bounded::String),
            } => format!("`string(..{max})`"),
            Fix::MaxLen {
                max,
                on: Some(Bounded::Array),
            } => format!("`{{T}}(..{max})`"),
        }
    }
}

impl Diagnostic {
    /// A diagnostic at the rule's default severity.
    pub fn new(rule: &'static Rule, span: Span, message: impl Into<String>) -> Self {
        Diagnostic {
            rule,
            severity: rule.severity,
            message: message.into(),
            span,
            label: String::new(),
            labels: Vec::new(),
            help: None,
            suggestion: None,
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// A help line that proposes code, written here in schema syntax.
    pub fn with_suggestion(mut self, suggestion: Suggestion) -> Self {
        self.help = Some(suggestion.render(Fix::schema));
        self.suggestion = Some(suggestion);
        self
    }

    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// Sorts diagnostics by position and drops exact repeats, which arise when
/// a file is reached from several roots.
pub fn normalize(diagnostics: &mut Vec<Diagnostic>) {
    diagnostics.sort_by(|a, b| {
        (
            a.span.file,
            a.span.start,
            a.span.end,
            a.rule.code,
            &a.message,
        )
            .cmp(&(
                b.span.file,
                b.span.start,
                b.span.end,
                b.rule.code,
                &b.message,
            ))
    });
    diagnostics.dedup_by(|a, b| a.span == b.span && a.rule == b.rule && a.message == b.message);
}
