//! Which dictionary keys Tether's wire carries as themselves (the packed
//! encoding): the one place the checker's `invalid-key` and the generators
//! learn it from.

use super::{DeclKind, Schema, Ty, TyKind};

/// What a key is, as far as keying a packed dictionary by it goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PackedKey<'s> {
    /// Arrives as itself and compares exactly: a string, an integer, a
    /// boolean, a unit enum, a Roblox enum, an instance (an entry whose key
    /// the receiver cannot see is left out, `instance-may-be-nil` warns
    /// where that can happen), or a type from outside the protocol (whose
    /// `Eq` and `Hash` are its own).
    Keyable,
    /// A float: NaN equals nothing.
    Float,
    /// A datatype, compared by its floats.
    Datatype(&'s str),
    /// A table or a tagged enum: copied in transfer, so never the key the
    /// receiver looks up.
    Table,
    /// A tagged enum, a table too.
    TaggedEnum,
    /// An optional: nil cannot be a key.
    Optional,
    /// `any`: may be a table, a float or nil.
    Any,
    /// A function: `function-value`'s.
    Function,
}

/// What `key` (through aliases) is as a packed dictionary's key.
pub fn packed_key<'s>(schema: &'s Schema, key: &'s Ty) -> PackedKey<'s> {
    let key = schema.unalias(key);
    match &key.kind {
        TyKind::String { .. }
        | TyKind::Binary { .. }
        | TyKind::Boolean
        | TyKind::RobloxEnum { .. }
        | TyKind::Extern { .. }
        | TyKind::Error => PackedKey::Keyable,
        TyKind::Number { kind, .. } if !kind.is_float() => PackedKey::Keyable,
        TyKind::Number { .. } => PackedKey::Float,
        TyKind::Instance { .. } => PackedKey::Keyable,
        TyKind::Named { decl } => match &schema.decl(*decl).kind {
            DeclKind::Enum { variants } if variants.iter().all(|v| v.fields.is_none()) => {
                PackedKey::Keyable
            }
            DeclKind::Enum { .. } => PackedKey::TaggedEnum,
            DeclKind::Alias { .. } => PackedKey::Table,
        },
        TyKind::Datatype { datatype } => PackedKey::Datatype(datatype.name()),
        TyKind::Optional { .. } => PackedKey::Optional,
        TyKind::Any | TyKind::Union { .. } => PackedKey::Any,
        TyKind::Function { .. } => PackedKey::Function,
        _ => PackedKey::Table,
    }
}
