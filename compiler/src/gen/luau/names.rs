//! Names in Luau: keys and field accesses that stay valid whatever a schema
//! calls its fields, and the flat names of namespaced types.

use crate::ir::QualName;

/// Luau's reserved words: names that cannot follow a `.` or stand as a key.
const RESERVED: &[&str] = &[
    "and", "break", "do", "else", "elseif", "end", "false", "for", "function", "if", "in", "local",
    "nil", "not", "or", "repeat", "return", "then", "true", "until", "while",
];

pub fn is_reserved(name: &str) -> bool {
    RESERVED.contains(&name)
}

/// `value.name`, or `value["name"]` for a reserved word.
pub fn field(value: &str, name: &str) -> String {
    if is_reserved(name) {
        format!("{value}[\"{name}\"]")
    } else {
        format!("{value}.{name}")
    }
}

/// A table constructor's key: `name = `, or `["name"] = `.
pub fn key(name: &str) -> String {
    if is_reserved(name) {
        format!("[\"{name}\"] = ")
    } else {
        format!("{name} = ")
    }
}

/// A table type's property: `name: `, or `["name"]: `.
pub fn property(name: &str) -> String {
    if is_reserved(name) {
        format!("[\"{name}\"]: ")
    } else {
        format!("{name}: ")
    }
}

/// The name a declared type has in `types.luau`: namespaces joined with `_`
/// (`Combat.Hit` is `Combat_Hit`), since a module's types are not nested.
pub fn type_name(name: &QualName) -> String {
    name.0.join("_")
}

/// A Luau string literal.
pub fn string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\{}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
