//! Names that must be unique within one list: fields, params, variants.

use crate::diag::{rules, Diagnostic, Span};
use std::collections::HashMap;

/// Reports every name in `items` that repeats an earlier one.
pub fn check_unique<'n>(
    items: impl Iterator<Item = (&'n str, Span)>,
    what: &str,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let mut seen: HashMap<&str, Span> = HashMap::new();
    for (name, span) in items {
        if let Some(&first) = seen.get(name) {
            diagnostics.push(
                Diagnostic::new(
                    &rules::DUPLICATE_NAME,
                    span,
                    format!("{what} `{name}` is declared more than once"),
                )
                .with_label(format!("{what} declared again here"))
                .with_secondary(first, "first declared here")
                .with_help(format!("give each {what} its own name")),
            );
        } else {
            seen.insert(name, span);
        }
    }
}
