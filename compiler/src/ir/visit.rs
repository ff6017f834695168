//! Walking IR types: the direct children of a node, and alias chains.

use super::{DeclKind, Schema, TablePartKind, Ty, TyKind};

impl Ty {
    /// The types directly inside this one (not through named declarations).
    pub fn children(&self) -> Vec<&Ty> {
        match &self.kind {
            TyKind::Optional { inner } => vec![inner],
            TyKind::Array { elem, .. } => vec![elem],
            TyKind::Map { key, value, .. } => vec![key, value],
            TyKind::Set { elem, .. } => vec![elem],
            TyKind::Union { arms } => arms.iter().collect(),
            TyKind::Record { fields } => fields.iter().map(|f| &f.ty).collect(),
            TyKind::MixedTable { parts } => parts
                .iter()
                .flat_map(|p| match &p.kind {
                    TablePartKind::Positional { elem } => vec![elem],
                    TablePartKind::Indexer { key, value } => vec![key, value],
                    TablePartKind::Field { field } => vec![&field.ty],
                })
                .collect(),
            TyKind::Function { params, returns } => params.iter().chain(returns).collect(),
            TyKind::Metatable { table, meta } => vec![table, meta],
            TyKind::Shared { inner, .. } => vec![inner],
            TyKind::Boolean
            | TyKind::Number { .. }
            | TyKind::String { .. }
            | TyKind::Buffer { .. }
            | TyKind::Binary { .. }
            | TyKind::Named { .. }
            | TyKind::Datatype { .. }
            | TyKind::RobloxEnum { .. }
            | TyKind::Instance { .. }
            | TyKind::Any
            | TyKind::Extern { .. }
            | TyKind::Error => Vec::new(),
        }
    }

    /// Whether the type is a scalar: a value each generator's runtime reads
    /// and writes with one call of its own (a boolean, a number, a string,
    /// a buffer, a datatype, a Roblox enum, an instance), not a declared
    /// type, an optional, a collection or a table.
    pub fn is_scalar(&self) -> bool {
        matches!(
            self.kind,
            TyKind::Boolean
                | TyKind::Number { .. }
                | TyKind::String { .. }
                | TyKind::Buffer { .. }
                | TyKind::Binary { .. }
                | TyKind::Datatype { .. }
                | TyKind::RobloxEnum { .. }
                | TyKind::Instance { .. }
        )
    }

    /// Calls `visit` on this type and every type inside it, depth first.
    pub fn walk<'t>(&'t self, visit: &mut impl FnMut(&'t Ty)) {
        let mut stack = vec![self];
        while let Some(ty) = stack.pop() {
            visit(ty);
            stack.extend(ty.children().into_iter().rev());
        }
    }
}

impl Schema {
    /// Follows `type A = B` aliases until a type that is not an alias name.
    /// Stops at a cycle of aliases, returning the last type reached.
    pub fn unalias<'s>(&'s self, mut ty: &'s Ty) -> &'s Ty {
        for _ in 0..=self.decls.len() {
            let TyKind::Named { decl } = ty.kind else {
                return ty;
            };
            match self.decls.get(decl.0 as usize).map(|d| &d.kind) {
                Some(DeclKind::Alias { ty: target }) => ty = target,
                _ => return ty,
            }
        }
        ty
    }
}
