//! The smallest payload Roblox's own serializer can make of a native
//! remote's values, from the per-value floors in
//! `tether_facts::roblox::serializer`. Only a floor: it proves a payload too
//! large for an unreliable remote, and promises nothing about what fits.

use super::super::{DeclKind, Endpoint, Field, Schema, Ty, TyKind};
use tether_facts::roblox::serializer as roblox;

/// Beyond this depth of nested types a value is counted as its type byte
/// alone, which is still a floor, so no schema can exhaust the stack.
const MAX_DEPTH: u32 = 64;

/// The fewest bytes Roblox can send for `endpoint`'s params: an optional
/// param may be left out of the call, so it counts nothing.
pub fn native_params_min(schema: &Schema, endpoint: &Endpoint) -> u64 {
    endpoint
        .params
        .iter()
        .filter(|p| !matches!(p.ty.kind, TyKind::Optional { .. }))
        .map(|p| value_min(schema, &p.ty, 0))
        .fold(0, u64::saturating_add)
}

fn value_min(schema: &Schema, ty: &Ty, depth: u32) -> u64 {
    if depth > MAX_DEPTH {
        return roblox::TYPE_BYTES;
    }
    let depth = depth + 1;
    let each = |ty: &Ty| value_min(schema, ty, depth);
    match &ty.kind {
        TyKind::Boolean => roblox::BOOLEAN_BYTES,
        TyKind::Number { .. } => roblox::NUMBER_BYTES,
        TyKind::String { len } | TyKind::Binary { len } => roblox::string_bytes(u64::from(len.min)),
        TyKind::Buffer { len } => roblox::buffer_bytes(u64::from(len.min)),
        TyKind::Optional { .. } => roblox::NIL_BYTES,
        TyKind::Array { elem, len } => {
            roblox::TABLE_BYTES.saturating_add(u64::from(len.min).saturating_mul(each(elem)))
        }
        TyKind::Map { key, value, len } => roblox::TABLE_BYTES.saturating_add(
            u64::from(len.min).saturating_mul(each(key).saturating_add(each(value))),
        ),
        TyKind::Set { elem, len } => roblox::TABLE_BYTES.saturating_add(
            u64::from(len.min).saturating_mul(each(elem).saturating_add(roblox::BOOLEAN_BYTES)),
        ),
        TyKind::Record { fields } => record_min(schema, fields, depth),
        TyKind::Union { arms } => arms.iter().map(each).min().unwrap_or(roblox::TYPE_BYTES),
        TyKind::Named { decl } => match &schema.decl(*decl).kind {
            DeclKind::Alias { ty } => each(ty),
            DeclKind::Enum { variants } => variants
                .iter()
                .map(|v| match &v.fields {
                    // A unit variant travels as its name.
                    None => roblox::string_bytes(v.name.len() as u64),
                    // A tagged variant is a table with its tag field.
                    Some(fields) => record_min(schema, fields, depth)
                        .saturating_add(key_min(schema.decl(*decl).tag_field()))
                        .saturating_add(roblox::string_bytes(v.name.len() as u64)),
                })
                .min()
                .unwrap_or(roblox::TYPE_BYTES),
        },
        TyKind::Metatable { table, .. } => each(table),
        TyKind::Datatype { .. }
        | TyKind::RobloxEnum { .. }
        | TyKind::Instance { .. }
        | TyKind::Any
        | TyKind::Function { .. }
        | TyKind::MixedTable { .. }
        | TyKind::Extern { .. }
        | TyKind::Shared { .. }
        | TyKind::Error => roblox::TYPE_BYTES,
    }
}

/// A table of `fields`: each required field's key and value; an optional
/// field may be absent.
fn record_min(schema: &Schema, fields: &[Field], depth: u32) -> u64 {
    fields
        .iter()
        .filter(|f| !matches!(f.ty.kind, TyKind::Optional { .. }))
        .map(|f| key_min(&f.name).saturating_add(value_min(schema, &f.ty, depth)))
        .fold(roblox::TABLE_BYTES, u64::saturating_add)
}

/// A string key: at least its length's byte and its bytes.
fn key_min(name: &str) -> u64 {
    let len = name.len() as u64;
    roblox::vlq_bytes(len).saturating_add(len)
}
