//! Layout facts of the wire that the generators share: which values travel
//! as bit fields, and which arrays travel column by column
//! (`docs/wire-format.md`, sections 4.1 and 4.4).

use super::packing::{int_packing, IntPacking};
use super::{NumKind, Schema, Ty, TyKind};

/// A value written as bits rather than bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BitField {
    Bool,
    /// A packed integer of at least one bit.
    Int {
        kind: NumKind,
        packing: IntPacking,
    },
}

impl BitField {
    pub fn bits(&self) -> u32 {
        match self {
            BitField::Bool => 1,
            BitField::Int { packing, .. } => packing.bits,
        }
    }
}

/// The bit field `ty` (through aliases) is, if any. A 0-bit integer has
/// nothing to share and is not one.
pub fn bit_field(schema: &Schema, ty: &Ty) -> Option<BitField> {
    match schema.unalias(ty).kind {
        TyKind::Boolean => Some(BitField::Bool),
        TyKind::Number { kind, range, .. } => int_packing(kind, range)
            .filter(|packing| packing.bits > 0)
            .map(|packing| BitField::Int { kind, packing }),
        _ => None,
    }
}

/// A leaf of a flat record: the field names from the record down to it
/// (nested records' fields in place), and its type.
#[derive(Debug, Clone)]
pub struct Leaf<'s> {
    pub path: Vec<&'s str>,
    pub ty: &'s Ty,
}

/// The leaves of `ty` if it is a *flat record*: a record (named or inline,
/// through aliases) whose fields are booleans, numbers or flat records, with
/// at least two leaves, at least one of them a bit field (which also makes
/// its encoding non-empty). An array of flat records is written column by
/// column.
pub fn flat_record<'s>(schema: &'s Schema, ty: &'s Ty) -> Option<Vec<Leaf<'s>>> {
    let mut leaves = Vec::new();
    collect_leaves(schema, ty, &mut Vec::new(), &mut leaves, 0)?;
    let has_bits = leaves
        .iter()
        .any(|leaf| bit_field(schema, leaf.ty).is_some());
    (leaves.len() >= 2 && has_bits).then_some(leaves)
}

/// The fields of the record `ty` stands for, through aliases.
pub fn record_fields<'s>(schema: &'s Schema, ty: &'s Ty) -> Option<&'s [super::Field]> {
    match &schema.unalias(ty).kind {
        TyKind::Record { fields } => Some(fields),
        _ => None,
    }
}

fn collect_leaves<'s>(
    schema: &'s Schema,
    ty: &'s Ty,
    path: &mut Vec<&'s str>,
    out: &mut Vec<Leaf<'s>>,
    depth: usize,
) -> Option<()> {
    // A record cannot hold itself without an array or an optional, which
    // are not leaves; the bound guards the recursion all the same.
    if depth > schema.decls.len() + 1 {
        return None;
    }
    for field in record_fields(schema, ty)? {
        path.push(&field.name);
        match schema.unalias(&field.ty).kind {
            TyKind::Boolean | TyKind::Number { .. } => out.push(Leaf {
                path: path.clone(),
                ty: &field.ty,
            }),
            _ => collect_leaves(schema, &field.ty, path, out, depth + 1)?,
        }
        path.pop();
    }
    Some(())
}
