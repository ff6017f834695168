//! A diagnostic as data: what the checker finds, before anyone renders it.

use super::rules::{Rule, Severity};
use super::span::Span;

/// A secondary location with a note ("first declared here").
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    /// Where the note points.
    pub span: Span,
    /// The note shown at that span.
    pub message: String,
}

/// One finding: a rule broken at a span, with its message, labels and help.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnostic {
    /// The rule it reports, from the catalog.
    pub rule: &'static Rule,
    /// Its severity: the rule's default, unless the finding sets another.
    pub severity: Severity,
    /// The one-line message.
    pub message: String,
    /// The primary location.
    pub span: Span,
    /// Text under the primary span; empty when the message says it all.
    pub label: String,
    /// Secondary locations, each with a note.
    pub labels: Vec<Label>,
    /// A line that says how to fix it.
    pub help: Option<String>,
    /// The code the help proposes, as data, for a front end whose syntax
    /// is not a schema's; `help` is the same line in schema syntax.
    pub suggestion: Option<Suggestion>,
}

/// A help line that proposes code: words and code in turn, the code as
/// data, so that each front end writes it in its own syntax (`string(..64)`
/// in a schema, `#[tether(max_len = 64)]` on a Rust field).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Suggestion {
    /// The line's parts, in order.
    pub parts: Vec<Part>,
}

/// A piece of a [`Suggestion`].
#[derive(Clone, Debug, PartialEq)]
pub enum Part {
    /// Words, the same in every front end.
    Text(String),
    /// Code, written in the front end's syntax.
    Code(Fix),
}

/// A piece of code that a help line proposes, as data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fix {
    /// An upper bound on a length (strings, buffers) or an element count
    /// (arrays, maps): on the type the diagnostic is at, or, as an example,
    /// on a type of the kind `on`.
    MaxLen {
        /// The upper bound to write.
        max: u32,
        /// `None`: the type the diagnostic is at; otherwise the kind of type
        /// the example is written on.
        on: Option<Bounded>,
    },
    /// The type made optional.
    Optional,
    /// An array of the type.
    Array,
    /// One optional layer, to remove.
    OneOptional,
    /// A record whose one optional field holds the value.
    OptionalField,
    /// An array of key-value records, in place of a dictionary.
    KeyValueArray,
    /// The key types that survive Roblox's serializer as themselves.
    StringKey,
    /// A range with its bounds as written.
    Range {
        /// The lower bound, as written.
        min: String,
        /// The upper bound, as written.
        max: String,
    },
    /// An attribute on the declaration: `name` as a schema writes it after
    /// the `@`; `args` when it takes arguments the help leaves to the user.
    Attribute {
        /// `unreliable`, `timeout`, `allow(server-invokes-client)`.
        name: &'static str,
        /// Whether it takes arguments (`@timeout(5s)`).
        args: bool,
    },
    /// An attribute's name alone, as in "did you mean".
    AttributeName(&'static str),
    /// `@allow(rule)`, of the rule named.
    Allow(&'static str),
}

/// A kind of type that a [`Fix`] is shown on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bounded {
    /// A `string`, shown as `string(..N)`.
    String,
    /// An array, shown as `{T}(..N)`.
    Array,
}

impl Suggestion {
    /// An empty line, to build with [`Suggestion::text`] and [`Suggestion::code`].
    pub fn new() -> Self {
        Suggestion::default()
    }

    /// Adds words.
    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.parts.push(Part::Text(text.into()));
        self
    }

    /// Adds code.
    pub fn code(mut self, fix: Fix) -> Self {
        self.parts.push(Part::Code(fix));
        self
    }

    /// The help line, each fix written by `write`.
    pub fn render(&self, write: impl Fn(&Fix) -> String) -> String {
        self.parts
            .iter()
            .map(|part| match part {
                Part::Text(text) => text.clone(),
                Part::Code(fix) => write(fix),
            })
            .collect()
    }
}

/// Words alone: a line with nothing to write in a front end's syntax.
impl<T: Into<String>> From<T> for Suggestion {
    fn from(text: T) -> Self {
        Suggestion::new().text(text)
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
            Fix::Optional => "`T?`".to_string(),
            Fix::Array => "`{T}`".to_string(),
            Fix::OneOptional => "one `?`".to_string(),
            Fix::OptionalField => "a record with an optional field: `{ Value: T? }`".to_string(),
            Fix::KeyValueArray => {
                "an array of records such as `{ { Key: K, Value: V } }`".to_string()
            }
            Fix::StringKey => "`string` or a unit `enum`".to_string(),
            Fix::Range { min, max } => format!("`{min}..{max}`"),
            Fix::Attribute { name, .. } => format!("`@{name}`"),
            Fix::AttributeName(name) => format!("`@{name}`"),
            Fix::Allow(rule) => format!("`@allow({rule})`"),
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

    /// Sets the text under the primary span.
    pub fn with_label(mut self, label: impl Into<String>) -> Self {
        self.label = label.into();
        self
    }

    /// Adds a secondary location with its note.
    pub fn with_secondary(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label {
            span,
            message: message.into(),
        });
        self
    }

    /// Sets the help line.
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

    /// Overrides the rule's default severity.
    pub fn with_severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }

    /// A policy error accepted on purpose by the `@allow` at `allow`: a note
    /// that points at the attribute, so the place stays visible.
    pub fn allowed_at(mut self, allow: Span) -> Self {
        let name = self.rule.name;
        self.severity = Severity::Note;
        self.labels.push(Label {
            span: allow,
            message: "accepted here on purpose".to_string(),
        });
        self.with_suggestion(
            Suggestion::new()
                .text("remove ")
                .code(Fix::Allow(name))
                .text(" to make this an error again"),
        )
    }

    /// Whether its severity is `Error`.
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
