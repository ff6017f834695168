//! Table shapes Roblox cannot carry, wherever they are written:
//! `mixed-table`, `non-string-key`, `nil-in-table`, `metatable-lost`, and
//! `shared-identity` (references that a copy cannot keep shared).
//! These hold for remotes and bindables alike, so they are checked where the
//! type is written rather than per use.

use super::Sink;
use crate::diag::diagnostic::{Fix, Suggestion};
use crate::diag::{rules, Diagnostic};
use crate::ir::{DeclKind, Schema, TablePartKind, Ty, TyKind};

pub(super) fn check(schema: &Schema, sink: &mut Sink) {
    let mut roots: Vec<&Ty> = Vec::new();
    for decl in &schema.decls {
        match &decl.kind {
            DeclKind::Alias { ty } => roots.push(ty),
            DeclKind::Enum { variants } => {
                roots.extend(
                    variants
                        .iter()
                        .flat_map(|v| v.fields.iter().flatten().map(|f| &f.ty)),
                );
            }
        }
    }
    for endpoint in &schema.endpoints {
        roots.extend(endpoint.params.iter().map(|p| &p.ty));
        roots.extend(endpoint.returns.iter().flatten());
    }
    let mut stack = roots;
    while let Some(ty) = stack.pop() {
        check_node(schema, ty, sink);
        // A function value is passed as itself, never serialised, so the
        // tables in its signature are not copied.
        if !matches!(ty.kind, TyKind::Function { .. }) {
            stack.extend(ty.children());
        }
    }
}

fn check_node(schema: &Schema, ty: &Ty, sink: &mut Sink) {
    match &ty.kind {
        TyKind::MixedTable { parts } => sink.push(mixed_table(ty, parts)),
        TyKind::Map { key, value, .. } => {
            if let Some(diagnostic) = non_string_key(schema, key) {
                sink.push(diagnostic);
            }
            if let Some(diagnostic) = nil_in_table(schema, value, "dictionary value") {
                sink.push(diagnostic);
            }
        }
        TyKind::Array { elem, .. } => {
            if let Some(diagnostic) = nil_in_table(schema, elem, "array element") {
                sink.push(diagnostic);
            }
        }
        TyKind::Metatable { meta, .. } => sink.push(
            Diagnostic::new(
                &rules::METATABLE_LOST,
                ty.span,
                "a table's metatable does not survive the trip",
            )
            .with_label("the receiver gets the plain table, without this metatable")
            .with_secondary(meta.span, "lost in transfer")
            .with_help("send the plain table and call `setmetatable` again on the receiving side"),
        ),
        TyKind::Shared { inner, wrapper } => sink.push(
            Diagnostic::new(
                &rules::SHARED_IDENTITY,
                ty.span,
                format!("a value shared through `{wrapper}` does not stay shared across a remote or bindable"),
            )
            .with_label("the receiver gets its own copy of the value")
            .with_secondary(inner.span, "copied, not shared")
            .with_help("send the value itself and share it again where it is received"),
        ),
        _ => {}
    }
}

fn mixed_table(ty: &Ty, parts: &[crate::ir::TablePart]) -> Diagnostic {
    let positional = parts
        .iter()
        .filter(|p| matches!(p.kind, TablePartKind::Positional { .. }))
        .count();
    let mut diagnostic = Diagnostic::new(
        &rules::MIXED_TABLE,
        ty.span,
        "a table cannot be both an array and a dictionary",
    )
    .with_label("Roblox drops part of a mixed table in transfer");
    for (index, part) in parts.iter().enumerate() {
        let note = match &part.kind {
            TablePartKind::Positional { .. } if positional > 1 && index > 0 => {
                "a second array part"
            }
            TablePartKind::Positional { .. } => "this is the array part",
            TablePartKind::Field { .. } => "this field makes the table a dictionary",
            TablePartKind::Indexer { .. } => "this indexer makes the table a dictionary",
        };
        diagnostic = diagnostic.with_secondary(part.span, note);
    }
    diagnostic.with_help(
        "keep the table one shape: put the list in a field of a record, such as `{ Items: {T}, Name: string }`",
    )
}

/// Keys that survive as themselves: strings, and unit enums (sent by name).
fn non_string_key(schema: &Schema, key: &Ty) -> Option<Diagnostic> {
    let target = schema.unalias(key);
    let what = match &target.kind {
        TyKind::String { .. } | TyKind::Error => return None,
        TyKind::Named { decl } => match &schema.decl(*decl).kind {
            DeclKind::Enum { variants } if variants.iter().all(|v| v.fields.is_none()) => {
                return None
            }
            _ => "a tagged enum".to_string(),
        },
        TyKind::Instance { class, .. } => format!("an instance (`{class}`)"),
        TyKind::Number { .. } => "a number".to_string(),
        TyKind::Boolean => "a boolean".to_string(),
        TyKind::RobloxEnum { name } => format!("a Roblox enum (`Enum.{name}`)"),
        TyKind::Datatype { datatype } => format!("a `{}`", datatype.name()),
        TyKind::Function { .. } => "a function".to_string(),
        TyKind::Optional { .. } => "optional (a nil key cannot be stored)".to_string(),
        TyKind::Extern { path, .. } => format!(
            "`{path}`, declared outside the protocol, which the checker cannot see; \
             a unit enum key is declared in the protocol's module"
        ),
        _ => "a table".to_string(),
    };
    let mut diagnostic = Diagnostic::new(
        &rules::NON_STRING_KEY,
        key.span,
        format!("dictionary keys must be strings, but this key is {what}"),
    )
    .with_label("Roblox converts this key to a string in transfer");
    if !std::ptr::eq(target, key) {
        diagnostic = diagnostic.with_secondary(target.span, "defined here");
    }
    Some(
        diagnostic.with_suggestion(
            Suggestion::new()
                .text("key the dictionary by ")
                .code(Fix::StringKey)
                .text(", or send ")
                .code(Fix::KeyValueArray),
        ),
    )
}

fn nil_in_table(schema: &Schema, slot: &Ty, what: &str) -> Option<Diagnostic> {
    let target = schema.unalias(slot);
    let TyKind::Optional { .. } = target.kind else {
        return None;
    };
    let mut diagnostic = Diagnostic::new(
        &rules::NIL_IN_TABLE,
        slot.span,
        format!("an optional {what} leaves nil holes in the table"),
    )
    .with_label(if what == "array element" {
        "a nil element cuts the array short"
    } else {
        "a nil value is the same as a missing key"
    });
    if !std::ptr::eq(target, slot) {
        diagnostic = diagnostic.with_secondary(target.span, "optional here");
    }
    Some(
        diagnostic.with_suggestion(
            Suggestion::new()
                .text(format!("make the {what} non-optional, or wrap it in "))
                .code(Fix::OptionalField),
        ),
    )
}
