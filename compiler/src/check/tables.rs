//! Table shapes Roblox cannot carry, wherever they are written:
//! `mixed-table`, `nil-in-table`, `metatable-lost`, and `shared-identity`
//! (references that a copy cannot keep shared). Keys depend on how the
//! table travels, and are `keys.rs`'s.
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
        TyKind::Map { value, .. } => {
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

/// How a table that is not one array, one dictionary or one record mixes
/// its parts: each way gets a message, labels and help of its own.
fn mixed_table(ty: &Ty, parts: &[crate::ir::TablePart]) -> Diagnostic {
    let count = |kind: fn(&TablePartKind) -> bool| parts.iter().filter(|p| kind(&p.kind)).count();
    let positional = count(|k| matches!(k, TablePartKind::Positional { .. }));
    let indexers = count(|k| matches!(k, TablePartKind::Indexer { .. }));
    // Only an array part beside keys, or keys of several types, is a table
    // that Roblox's serializer cuts; the other two mixes are shapes a
    // schema type cannot name, and their labels say so instead.
    const DROPPED: &str = "Roblox drops part of a mixed table in transfer";
    let (message, label, help) = if positional > 0 && positional < parts.len() {
        (
            "a table cannot be both an array and a dictionary",
            DROPPED,
            "keep the table one shape: put the list in a field of a record, such as `{ Items: {T}, Name: string }`",
        )
    } else if positional > 1 {
        (
            "an array holds elements of one type; this one has several array parts",
            "a Luau array type names one element type",
            "send a record with a field per value, such as `{ First: T, Second: U }`, or an array of one element type",
        )
    } else if indexers > 1 {
        (
            "a dictionary has one key type; this one has several",
            DROPPED,
            "use one key type, or a record with a dictionary per key type, such as `{ ByName: {[string]: V}, ByTeam: {[Team]: V} }`",
        )
    } else {
        (
            "a table cannot be both a record and a dictionary",
            "a schema type is a record or a dictionary, not both",
            "put the dictionary in a field of the record, such as `{ Name: string, Scores: {[string]: number} }`",
        )
    };
    let mut diagnostic = Diagnostic::new(&rules::MIXED_TABLE, ty.span, message).with_label(label);
    let (mut arrays, mut keys) = (0, 0);
    for part in parts {
        let note = match &part.kind {
            TablePartKind::Positional { .. } => {
                arrays += 1;
                match arrays {
                    1 => "this is the array part",
                    _ => "a second array part",
                }
            }
            TablePartKind::Field { .. } if positional > 0 => {
                "this field makes the table a dictionary"
            }
            TablePartKind::Field { .. } => "this field makes the table a record",
            TablePartKind::Indexer { .. } if positional > 0 => {
                "this indexer makes the table a dictionary"
            }
            TablePartKind::Indexer { .. } => {
                keys += 1;
                match (indexers, keys) {
                    (1, _) => "this indexer makes the table a dictionary",
                    (_, 1) => "keys of one type",
                    _ => "keys of another type",
                }
            }
        };
        diagnostic = diagnostic.with_secondary(part.span, note);
    }
    diagnostic.with_help(help)
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
