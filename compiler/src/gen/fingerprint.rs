//! The fingerprint of a schema: a hash of what both ends must agree on to
//! understand each other's bytes.
//!
//! It is FNV-1a (64-bit) over the JSON of the resolved model with every span
//! written as `null` and the file names left out, so that moving text,
//! editing comments or whitespace, or renaming a file does not change it,
//! while any change of a type, an endpoint, an attribute or the declaration
//! order does. The item lists of the Roblox enums the schema uses are hashed
//! too: the wire numbers enum items by position in the reflection database.
//! The JSON is hashed as it is written, never held.

use crate::ir::{Endpoint, Schema, Ty, TyKind, TypeDecl};
use serde::Serialize;
use std::collections::BTreeSet;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a, 64-bit, which the fingerprint's hasher computes.
#[cfg(test)]
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash = Fnv(FNV_OFFSET);
    hash.add(bytes);
    hash.0
}

struct Fnv(u64);

impl Fnv {
    fn add(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(FNV_PRIME);
        }
    }
}

impl std::io::Write for Fnv {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.add(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// What the fingerprint covers of the model: all but the file names.
#[derive(Serialize)]
struct Hashed<'s> {
    decls: &'s [TypeDecl],
    endpoints: &'s [Endpoint],
}

/// The fingerprint of `schema` (see the module docs).
pub fn fingerprint(schema: &Schema) -> u64 {
    let mut hash = Fnv(FNV_OFFSET);
    let hashed = Hashed {
        decls: &schema.decls,
        endpoints: &schema.endpoints,
    };
    // Writing into the hash cannot fail, and the model always serializes.
    let _ = crate::diag::span::without_spans(|| serde_json::to_writer(&mut hash, &hashed));
    for name in roblox_enums(schema) {
        let items = crate::roblox::enum_items(&name).unwrap_or_default();
        hash.add(format!("\nEnum.{name}={}", items.join(",")).as_bytes());
    }
    hash.0
}

/// The Roblox enums written anywhere in the schema, sorted.
pub fn roblox_enums(schema: &Schema) -> BTreeSet<String> {
    used_names(schema, |ty| match &ty.kind {
        TyKind::RobloxEnum { name } => Some(name.clone()),
        _ => None,
    })
}

/// What `pick` finds in any type of the schema, sorted.
fn used_names(schema: &Schema, pick: impl Fn(&Ty) -> Option<String>) -> BTreeSet<String> {
    let mut names = BTreeSet::new();
    let mut visit = |ty: &Ty| {
        if let Some(name) = pick(ty) {
            names.insert(name);
        }
    };
    for decl in &schema.decls {
        match &decl.kind {
            crate::ir::DeclKind::Alias { ty } => ty.walk(&mut visit),
            crate::ir::DeclKind::Enum { variants } => {
                for field in variants.iter().flat_map(|v| v.fields.iter().flatten()) {
                    field.ty.walk(&mut visit);
                }
            }
        }
    }
    for endpoint in &schema.endpoints {
        for field in &endpoint.params {
            field.ty.walk(&mut visit);
        }
        for ty in endpoint.returns.iter().flatten() {
            ty.walk(&mut visit);
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::fnv1a;

    #[test]
    fn fnv1a_known_values() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
