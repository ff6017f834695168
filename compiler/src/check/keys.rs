//! Dictionary keys, by how the table travels: `non-string-key` where
//! Roblox's serializer copies it (a bindable's values, native encoding),
//! `invalid-key` where Tether's wire carries it (a remote's, packed).
//!
//! Roblox turns a non-string key into a string only when it serializes the
//! table itself; the wire writes a key as its type, so a `u8`, a boolean, a
//! unit enum, a Roblox enum or an instance arrives as sent (an entry whose
//! key instance the receiver cannot see is left out). What no encoding can
//! key by is a value without an identity of its own on the other side: a
//! float (NaN equals nothing, and generated Rust cannot hash it), a table
//! (copied, so never equal to the key the receiver looks up) or an optional
//! (nil cannot be a key).

use super::Sink;
use crate::diag::diagnostic::{Fix, Suggestion};
use crate::diag::{rules, Diagnostic};
use crate::ir::keys::{packed_key, PackedKey};
use crate::ir::{DeclId, DeclKind, Encoding, Schema, Ty, TyKind};
use std::collections::HashSet;

pub(super) fn check(schema: &Schema, sink: &mut Sink) {
    let mut walked: HashSet<(DeclId, Encoding)> = HashSet::new();
    for endpoint in &schema.endpoints {
        let encoding = endpoint.encoding;
        let note = match encoding {
            Encoding::Native => format!("in `{}`, whose values Roblox copies", endpoint.name),
            Encoding::Packed => format!("in `{}`", endpoint.name),
        };
        let roots =
            (endpoint.params.iter().map(|p| &p.ty)).chain(endpoint.returns.iter().flatten());
        walk(schema, roots, encoding, &mut walked, &mut |diagnostic| {
            sink.push_for(endpoint, diagnostic, &note)
        });
    }
    // A declaration no endpoint uses is checked as a remote would carry it.
    for index in 0..schema.decls.len() {
        let id = DeclId(index as u32);
        if walked.contains(&(id, Encoding::Native)) || walked.contains(&(id, Encoding::Packed)) {
            continue;
        }
        walked.insert((id, Encoding::Packed));
        walk(
            schema,
            decl_types(schema, id),
            Encoding::Packed,
            &mut walked,
            &mut |d| sink.push(d),
        );
    }
}

/// The types a declaration holds: an alias's type, an enum's fields.
fn decl_types(schema: &Schema, decl: DeclId) -> Vec<&Ty> {
    match &schema.decl(decl).kind {
        DeclKind::Alias { ty } => vec![ty],
        DeclKind::Enum { variants } => variants
            .iter()
            .flat_map(|v| v.fields.iter().flatten().map(|f| &f.ty))
            .collect(),
    }
}

fn walk<'s>(
    schema: &'s Schema,
    roots: impl IntoIterator<Item = &'s Ty>,
    encoding: Encoding,
    walked: &mut HashSet<(DeclId, Encoding)>,
    report: &mut dyn FnMut(Diagnostic),
) {
    let mut stack: Vec<&Ty> = roots.into_iter().collect();
    while let Some(ty) = stack.pop() {
        match &ty.kind {
            TyKind::Named { decl } => {
                if walked.insert((*decl, encoding)) {
                    stack.extend(decl_types(schema, *decl));
                }
            }
            // A set's elements are its keys.
            TyKind::Map { key, .. } | TyKind::Set { elem: key, .. } => {
                let finding = match encoding {
                    Encoding::Native => non_string_key(schema, key),
                    Encoding::Packed => invalid_key(schema, key),
                };
                if let Some(diagnostic) = finding {
                    report(diagnostic);
                }
                stack.extend(ty.children());
            }
            // A function value is passed as itself; its signature's tables
            // are not copied.
            TyKind::Function { .. } => {}
            _ => stack.extend(ty.children()),
        }
    }
}

/// Where Roblox serializes the table: keys that survive as themselves are
/// strings, and unit enums (sent by name).
fn non_string_key(schema: &Schema, key: &Ty) -> Option<Diagnostic> {
    let target = schema.unalias(key);
    let what = match &target.kind {
        TyKind::String { .. } | TyKind::Binary { .. } | TyKind::Error => return None,
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
        TyKind::Union { .. } => "a union".to_string(),
        TyKind::Extern { path, .. } => format!(
            "`{path}`, declared outside the protocol, which the checker cannot see; \
             a unit enum key is declared in the protocol's module"
        ),
        _ => "a table".to_string(),
    };
    let mut diagnostic = Diagnostic::new(
        &rules::NON_STRING_KEY,
        key.span,
        format!(
            "dictionary keys must be strings where Roblox copies the table, but this key is {what}"
        ),
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

/// Where the wire carries the table: any key that is its own value on the
/// other side.
fn invalid_key(schema: &Schema, key: &Ty) -> Option<Diagnostic> {
    const COPIED: &str = "a table, copied in transfer, is never the key the receiver looks up";
    let (what, why) = match packed_key(schema, key) {
        PackedKey::Keyable | PackedKey::Function => return None,
        PackedKey::Float => (
            "a float".to_string(),
            "NaN equals nothing, so a float has no exact equality to key by",
        ),
        PackedKey::Datatype(name) => (
            format!("a `{name}`"),
            "a datatype is compared by its floats, which have no exact equality",
        ),
        PackedKey::Table => ("a table".to_string(), COPIED),
        PackedKey::TaggedEnum => ("a tagged enum".to_string(), COPIED),
        PackedKey::Optional => ("optional".to_string(), "nil cannot be a key"),
        PackedKey::Any => (
            "`any`".to_string(),
            "a key of any type may be a table, a float or nil",
        ),
    };
    let target = schema.unalias(key);
    let mut diagnostic = Diagnostic::new(
        &rules::INVALID_KEY,
        key.span,
        format!("a dictionary cannot be keyed by {what}"),
    )
    .with_label(why);
    if !std::ptr::eq(target, key) {
        diagnostic = diagnostic.with_secondary(target.span, "defined here");
    }
    Some(
        diagnostic.with_suggestion(
            Suggestion::new()
                .text(
                    "key it by a string, an integer type (`u32`), a boolean, a unit enum, a \
                     Roblox enum or an instance, or send ",
                )
                .code(Fix::KeyValueArray),
        ),
    )
}
