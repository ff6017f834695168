//! Rust names for schema names: case conversion, keyword escapes, and the
//! scopes in which two schema names must not meet as one Rust name.

use super::{GenError, NameCollision};
use crate::diag::Span as SchemaSpan;
use proc_macro2::{Ident, Span};
use std::collections::HashMap;

/// Words of an identifier: split at `_`, at a lower-case letter or digit
/// followed by an upper-case one, and before the last capital of an acronym
/// (`HTTPServer` is `HTTP`, `Server`).
pub fn words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    for chunk in name.split('_').filter(|c| !c.is_empty()) {
        let chars: Vec<(usize, char)> = chunk.char_indices().collect();
        let mut start = 0;
        for i in 1..chars.len() {
            let (at, c) = chars[i];
            let prev = chars[i - 1].1;
            let next = chars.get(i + 1).map(|&(_, c)| c);
            let boundary = c.is_uppercase()
                && (prev.is_lowercase()
                    || prev.is_ascii_digit()
                    || (prev.is_uppercase() && next.is_some_and(char::is_lowercase)));
            if boundary {
                words.push(&chunk[start..at]);
                start = at;
            }
        }
        words.push(&chunk[start..]);
    }
    words
}

/// `snake_case`: `RecentNames` → `recent_names`, `onEnd` → `on_end`. One
/// leading underscore is kept (`_hidden` → `_hidden`), never more, so a
/// converted name never starts with `__`, which generated code keeps for its
/// own locals.
pub fn snake_case(name: &str) -> String {
    let body = words(name)
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join("_");
    if body.is_empty() {
        "_unnamed".to_string()
    } else if name.starts_with('_') {
        format!("_{body}")
    } else {
        body
    }
}

/// `PascalCase`: `hit_confirmed` → `HitConfirmed`; a name already in
/// PascalCase is kept as declared (`HTTPServer`, `UDim2`).
pub fn pascal_case(name: &str) -> String {
    let body: String = words(name)
        .iter()
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect();
    if body.is_empty() {
        "Unnamed".to_string()
    } else {
        body
    }
}

/// Rust keywords (strict and reserved, all editions) that a raw identifier
/// can stand for.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn",
    "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let",
    "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return",
    "static", "struct", "trait", "true", "try", "type", "typeof", "unsafe", "unsized", "use",
    "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers; they get a trailing `_`.
const NOT_RAW: &[&str] = &["self", "Self", "super", "crate"];

/// The Rust spelling of an identifier: keywords become raw identifiers
/// (`type` → `r#type`), the few that cannot be raw take a trailing
/// underscore (`Self` → `Self_`).
pub fn escape(name: &str) -> String {
    if NOT_RAW.contains(&name) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name) {
        format!("r#{name}")
    } else {
        name.to_string()
    }
}

/// An identifier token for an already converted name.
pub fn ident(name: &str) -> Ident {
    let escaped = escape(name);
    match escaped.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(&escaped, Span::call_site()),
    }
}

/// A field, parameter, method or module name: `snake_case`, escaped.
pub fn snake_ident(name: &str) -> Ident {
    ident(&snake_case(name))
}

/// A type or variant name: `PascalCase`, escaped.
pub fn pascal_ident(name: &str) -> Ident {
    ident(&pascal_case(name))
}

/// Whether clippy's `upper_case_acronyms` would call this name an acronym.
pub fn is_all_caps(name: &str) -> bool {
    name.chars().filter(|c| c.is_alphabetic()).count() > 1 && !name.chars().any(char::is_lowercase)
}

/// One Rust namespace (a module's types, a struct's fields, ...): records
/// which schema name took each Rust name, and refuses a second.
#[derive(Debug)]
pub struct Scope {
    what: String,
    taken: HashMap<String, Claim>,
}

/// Who took a Rust name: a schema name where it is written, or the
/// generator itself.
#[derive(Debug)]
struct Claim {
    schema: String,
    span: Option<SchemaSpan>,
}

impl Scope {
    /// `what` names the scope in error messages ("fields of `Item`").
    pub fn new(what: impl Into<String>) -> Self {
        Scope {
            what: what.into(),
            taken: HashMap::new(),
        }
    }

    /// Names that generated code puts in this scope itself.
    pub fn reserve(mut self, names: &[&str]) -> Self {
        for name in names {
            let claim = Claim {
                schema: format!("generated `{name}`"),
                span: None,
            };
            self.taken.insert(name.to_string(), claim);
        }
        self
    }

    /// Takes `rust` for the schema name `schema`, written at `span`.
    pub fn claim(&mut self, rust: &str, schema: &str, span: SchemaSpan) -> Result<(), GenError> {
        match self.taken.get(rust) {
            Some(first) => Err(GenError::Collision(Box::new(NameCollision {
                scope: self.what.clone(),
                first: first.schema.clone(),
                first_span: first.span,
                second: format!("`{schema}`"),
                second_span: span,
                rust: rust.to_string(),
            }))),
            None => {
                let claim = Claim {
                    schema: format!("`{schema}`"),
                    span: Some(span),
                };
                self.taken.insert(rust.to_string(), claim);
                Ok(())
            }
        }
    }

    /// Whether the Rust name `rust` is taken in this scope.
    pub fn contains(&self, rust: &str) -> bool {
        self.taken.contains_key(rust)
    }
}

/// A name for a generated local or argument that no schema name in
/// `taken` uses: `base`, else `base_`, `base__`, ...
pub fn fresh(base: &str, taken: &[String]) -> String {
    let mut name = base.to_string();
    while taken.contains(&name) {
        name.push('_');
    }
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_camel_acronyms_and_underscores() {
        assert_eq!(words("HTTPServer"), ["HTTP", "Server"]);
        assert_eq!(words("recentNames"), ["recent", "Names"]);
        assert_eq!(words("Vector3Value"), ["Vector3", "Value"]);
        assert_eq!(words("hit_confirmed"), ["hit", "confirmed"]);
        assert_eq!(words("UDim2"), ["U", "Dim2"]);
    }

    #[test]
    fn cases() {
        assert_eq!(snake_case("RecentNames"), "recent_names");
        assert_eq!(snake_case("onEnd"), "on_end");
        assert_eq!(snake_case("__x"), "_x");
        assert_eq!(snake_case("_"), "_unnamed");
        assert_eq!(pascal_case("hit_confirmed"), "HitConfirmed");
        assert_eq!(pascal_case("HTTPServer"), "HTTPServer");
        assert_eq!(pascal_case("red"), "Red");
    }
}
