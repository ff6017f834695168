//! The compiler's fix-its in the macros' syntax: what a schema writes as a
//! refinement after a type, a Rust field or parameter writes as an
//! attribute.

use tether_compiler::diag::diagnostic::Fix;
use tether_compiler::diag::Diagnostic;

/// The help line of `diagnostic`, its proposed code written as attributes.
pub fn help(diagnostic: &Diagnostic) -> Option<String> {
    match &diagnostic.suggestion {
        Some(suggestion) => Some(suggestion.render(attribute)),
        None => diagnostic.help.clone(),
    }
}

fn attribute(fix: &Fix) -> String {
    match fix {
        Fix::MaxLen { max, .. } => format!("`#[tether(max_len = {max})]`"),
    }
}
