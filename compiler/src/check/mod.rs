//! The checker: every rule of the contract over the resolved IR. Each file
//! holds one family of rules; this one runs them and gathers what they find.

mod flows;
mod limits;
mod recursion;
mod tables;

use crate::diag::{Diagnostic, Severity, Span};
use crate::ir::{Endpoint, Schema};
use std::collections::HashSet;

/// Runs every check over `schema` and returns what they found.
pub fn check(schema: &Schema) -> Vec<Diagnostic> {
    let mut sink = Sink::default();
    recursion::check(schema, &mut sink);
    tables::check(schema, &mut sink);
    flows::check(schema, &mut sink);
    limits::check(schema, &mut sink);
    sink.diagnostics
}

/// Collects diagnostics, once per rule and place: a type used by many
/// endpoints is reported where it is written, not once per use.
#[derive(Default)]
struct Sink {
    diagnostics: Vec<Diagnostic>,
    seen: HashSet<(&'static str, Span)>,
}

impl Sink {
    fn push(&mut self, diagnostic: Diagnostic) {
        if self.seen.insert((diagnostic.rule.code, diagnostic.span)) {
            self.diagnostics.push(diagnostic);
        }
    }

    /// Reports a finding that concerns `endpoint`, unless a warning there is
    /// silenced by `@allow`. A finding inside a named type gets a label at
    /// the endpoint that uses it.
    fn push_for(&mut self, endpoint: &Endpoint, mut diagnostic: Diagnostic, use_note: &str) {
        if diagnostic.severity == Severity::Warning && endpoint.attrs.allows(diagnostic.rule.name) {
            return;
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
