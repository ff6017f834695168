//! The checker: every rule of the contract over the resolved IR. Each file
//! holds one family of rules; this one runs them and gathers what they find.

mod flows;
mod keys;
mod limits;
mod names;
mod recursion;
mod tables;
mod unions;

use crate::diag::{Diagnostic, Severity, Span};
use crate::ir::{Endpoint, Schema};
use crate::resolve::Visibility;
use std::collections::hash_map::{Entry, HashMap};

/// Runs every check over `schema` and returns what they found.
pub fn check(schema: &Schema) -> Vec<Diagnostic> {
    check_files(schema, &Visibility::default())
}

/// [`check`] of a schema read from files, of which `visibility` says
/// which see which: names in files that no file sees together never meet
/// in generated code.
pub(crate) fn check_files(schema: &Schema, visibility: &Visibility) -> Vec<Diagnostic> {
    let mut sink = Sink::default();
    recursion::check(schema, &mut sink);
    tables::check(schema, &mut sink);
    keys::check(schema, &mut sink);
    flows::check(schema, &mut sink);
    limits::check(schema, &mut sink);
    names::check(schema, visibility, &mut sink);
    unions::check(schema, &mut sink);
    sink.diagnostics
}

/// Collects diagnostics, once per rule and place: a type used by many
/// endpoints is reported where it is written, not once per use, at the
/// highest severity any use gives it (an error where one endpoint allows
/// a policy error and another does not).
#[derive(Default)]
struct Sink {
    diagnostics: Vec<Diagnostic>,
    seen: HashMap<(&'static str, Span), usize>,
}

impl Sink {
    fn push(&mut self, diagnostic: Diagnostic) {
        match self.seen.entry((diagnostic.rule.code, diagnostic.span)) {
            Entry::Vacant(entry) => {
                entry.insert(self.diagnostics.len());
                self.diagnostics.push(diagnostic);
            }
            Entry::Occupied(entry) => {
                let earlier = &mut self.diagnostics[*entry.get()];
                if diagnostic.severity > earlier.severity {
                    *earlier = diagnostic;
                }
            }
        }
    }

    /// Reports a finding that concerns `endpoint`. An `@allow` there
    /// silences a warning, and turns a policy error into a note that points
    /// at it; a limitation's errors stay errors. A finding inside a named
    /// type gets a label at the endpoint that uses it.
    fn push_for(&mut self, endpoint: &Endpoint, mut diagnostic: Diagnostic, use_note: &str) {
        let allow = endpoint
            .attrs
            .allow
            .iter()
            .find(|allow| allow.rule == diagnostic.rule.name);
        if let Some(allow) = allow {
            match diagnostic.severity {
                Severity::Warning => return,
                Severity::Error if diagnostic.rule.policy => {
                    diagnostic = diagnostic.allowed_at(allow.span);
                }
                _ => {}
            }
        }
        let inside = diagnostic.span.file == endpoint.span.file
            && diagnostic.span.start >= endpoint.span.start
            && diagnostic.span.end <= endpoint.span.end;
        if !inside {
            diagnostic = diagnostic.with_secondary(endpoint.name_span, use_note.to_string());
        }
        self.push(diagnostic);
    }
}
