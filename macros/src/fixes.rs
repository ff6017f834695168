//! The compiler's fix-its in the macros' syntax: what a schema writes as a
//! refinement after a type, a Rust field or parameter writes as an
//! attribute; `T?` is `Option<T>`, `{T}` is `Vec<T>`, a record is a
//! struct, and `@unreliable` is `#[tether(unreliable)]`.

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
        Fix::Optional => "`Option<T>`".to_string(),
        Fix::Array => "`Vec<T>`".to_string(),
        Fix::OneOptional => "one `Option`".to_string(),
        Fix::OptionalField => {
            "a struct with an optional field: `struct Slot { value: Option<T> }`".to_string()
        }
        Fix::KeyValueArray => {
            "a `Vec` of structs such as `struct Entry { key: K, value: V }`".to_string()
        }
        Fix::StringKey => "`String` or a unit enum".to_string(),
        Fix::Range { min, max } => format!("`\"{min}..{max}\"`"),
        Fix::Attribute { name, args: false } => format!("`#[tether({name})]`"),
        Fix::Attribute { name, args: true } => format!("`#[tether({name}(..))]`"),
        Fix::AttributeName(name) => format!("`{name}`"),
        Fix::Allow(rule) => format!("`#[tether(allow({rule}))]`"),
    }
}
