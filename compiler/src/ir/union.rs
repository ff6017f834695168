//! What a Luau value of a type is at run time, as `type()` and `typeof()`
//! tell: how the encoder of a union (`(A | B)`) tells its arms apart, the
//! one place the checker's `ambiguous-union` and the generators learn it.

use super::{DeclKind, Schema, Ty, TyKind};

/// A kind of Luau value: the name `type(v)` gives (`"number"`, `"table"`),
/// or, for Roblox's userdata, the name `typeof(v)` gives (`"Vector3"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LuauKind {
    /// The name.
    pub name: &'static str,
    /// Whether `typeof` says it (a Roblox userdata), not `type`.
    pub by_typeof: bool,
}

impl LuauKind {
    const fn of_type(name: &'static str) -> Self {
        LuauKind {
            name,
            by_typeof: false,
        }
    }

    const fn of_typeof(name: &'static str) -> Self {
        LuauKind {
            name,
            by_typeof: true,
        }
    }
}

/// The one kind every Luau value of `ty` has, or `None` when values of it
/// may be of several (`any`, an optional that may be nil, a union, a type
/// from outside the protocol).
pub fn luau_kind(schema: &Schema, ty: &Ty) -> Option<LuauKind> {
    let ty = schema.unalias(ty);
    Some(match &ty.kind {
        TyKind::Boolean => LuauKind::of_type("boolean"),
        TyKind::Number { .. } => LuauKind::of_type("number"),
        TyKind::String { .. } | TyKind::Binary { .. } => LuauKind::of_type("string"),
        TyKind::Buffer { .. } => LuauKind::of_type("buffer"),
        TyKind::Function { .. } => LuauKind::of_type("function"),
        // A unit enum's value is its variant's name; a tagged one's a table.
        TyKind::Named { decl } => match &schema.decl(*decl).kind {
            DeclKind::Enum { variants } if variants.iter().all(|v| v.fields.is_none()) => {
                LuauKind::of_type("string")
            }
            _ => LuauKind::of_type("table"),
        },
        TyKind::Record { .. }
        | TyKind::Array { .. }
        | TyKind::Map { .. }
        | TyKind::Set { .. }
        | TyKind::MixedTable { .. }
        | TyKind::Metatable { .. } => LuauKind::of_type("table"),
        TyKind::Datatype { datatype } => LuauKind::of_typeof(datatype.name()),
        TyKind::RobloxEnum { .. } => LuauKind::of_typeof("EnumItem"),
        TyKind::Instance { .. } => LuauKind::of_typeof("Instance"),
        TyKind::Optional { .. }
        | TyKind::Union { .. }
        | TyKind::Any
        | TyKind::Extern { .. }
        | TyKind::Shared { .. }
        | TyKind::Error => return None,
    })
}
