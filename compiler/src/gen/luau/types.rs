//! Luau types: the type of every schema type as Luau writes it, and
//! `types.luau`, which exports every declared type.

use super::code::Code;
use super::names::{property, string, type_name};
use super::GenError;
use crate::ir::{DeclKind, Schema, Ty, TyKind, Variant};

/// Writes Luau types; `prefix` goes before declared names (`Types.` in the
/// side modules, nothing in `types.luau`).
pub struct Types<'s> {
    pub schema: &'s Schema,
    pub prefix: &'static str,
}

impl Types<'_> {
    pub fn of(&self, ty: &Ty, origin: &str) -> Result<String, GenError> {
        Ok(match &ty.kind {
            TyKind::Boolean => "boolean".into(),
            TyKind::Number { .. } => "number".into(),
            TyKind::String { .. } | TyKind::Binary { .. } => "string".into(),
            TyKind::Buffer { .. } => "buffer".into(),
            TyKind::Optional { inner } => {
                let inner_ty = self.of(inner, origin)?;
                if needs_parens(&inner.kind) {
                    format!("({inner_ty})?")
                } else {
                    format!("{inner_ty}?")
                }
            }
            TyKind::Array { elem, .. } => format!("{{ {} }}", self.of(elem, origin)?),
            TyKind::Map { key, value, .. } => {
                format!(
                    "{{ [{}]: {} }}",
                    self.of(key, origin)?,
                    self.of(value, origin)?
                )
            }
            TyKind::Set { elem, .. } => format!("{{ [{}]: true }}", self.of(elem, origin)?),
            TyKind::Union { arms } => {
                let arms = arms
                    .iter()
                    .map(|arm| self.of(arm, origin))
                    .collect::<Result<Vec<_>, _>>()?;
                format!("({})", arms.join(" | "))
            }
            TyKind::Record { fields } => {
                let mut parts = Vec::new();
                for field in fields {
                    parts.push(format!(
                        "{}{}",
                        property(&field.name),
                        self.of(&field.ty, origin)?
                    ));
                }
                if parts.is_empty() {
                    "{}".into()
                } else {
                    format!("{{ {} }}", parts.join(", "))
                }
            }
            TyKind::Named { decl } => {
                let decl = self
                    .schema
                    .decls
                    .get(decl.0 as usize)
                    .ok_or_else(|| unsupported("an unknown type", origin))?;
                format!("{}{}", self.prefix, type_name(&decl.name))
            }
            TyKind::Datatype { datatype } => datatype.name().into(),
            TyKind::RobloxEnum { name } => format!("Enum.{name}"),
            TyKind::Instance { class, .. } => class.clone(),
            TyKind::Function { params, returns } => {
                let params = params
                    .iter()
                    .map(|p| self.of(p, origin))
                    .collect::<Result<Vec<_>, _>>()?;
                format!("({}) -> {}", params.join(", "), self.pack(returns, origin)?)
            }
            TyKind::Metatable { table, .. } => self.of(table, origin)?,
            TyKind::Any => "any".into(),
            TyKind::MixedTable { .. } => return Err(unsupported("a mixed table", origin)),
            TyKind::Extern { path, .. } => {
                return Err(unsupported(&format!("the Rust type `{path}`"), origin))
            }
            TyKind::Shared { wrapper, .. } => {
                return Err(unsupported(&format!("a shared `{wrapper}`"), origin))
            }
            TyKind::Error => return Err(unsupported("an unresolved type", origin)),
        })
    }

    /// A type pack: `()`, `(number)`, `(boolean, string?)`.
    pub fn pack<'t>(
        &self,
        tys: impl IntoIterator<Item = &'t Ty>,
        origin: &str,
    ) -> Result<String, GenError> {
        let tys = tys
            .into_iter()
            .map(|t| self.of(t, origin))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(format!("({})", tys.join(", ")))
    }

    /// The type of a declared enum: a union of string literals for a unit
    /// enum, a union of tables tagged by its `tag` field otherwise.
    pub fn enumeration(
        &self,
        variants: &[Variant],
        tag: &str,
        origin: &str,
    ) -> Result<String, GenError> {
        if variants.iter().all(|v| v.fields.is_none()) {
            let names: Vec<_> = variants.iter().map(|v| string(&v.name)).collect();
            return Ok(names.join(" | "));
        }
        let mut arms = Vec::new();
        for variant in variants {
            let mut parts = vec![format!("{}{}", property(tag), string(&variant.name))];
            for field in variant.fields.iter().flatten() {
                parts.push(format!(
                    "{}{}",
                    property(&field.name),
                    self.of(&field.ty, origin)?
                ));
            }
            arms.push(format!("{{ {} }}", parts.join(", ")));
        }
        Ok(arms.join(" | "))
    }
}

/// Whether `ty`, the body of declaration `index`, reaches that declaration
/// through optionals and aliases alone (`type A = A?`).
fn only_optional_of_itself(schema: &Schema, index: usize, ty: &Ty) -> bool {
    let mut ty = ty;
    for _ in 0..=schema.decls.len() * 2 + 1 {
        match &ty.kind {
            TyKind::Optional { inner } => ty = inner,
            TyKind::Named { decl } if decl.0 as usize == index => return true,
            TyKind::Named { decl } => match schema.decls.get(decl.0 as usize).map(|d| &d.kind) {
                Some(DeclKind::Alias { ty: target }) => ty = target,
                _ => return false,
            },
            _ => return false,
        }
    }
    false
}

fn needs_parens(kind: &TyKind) -> bool {
    matches!(kind, TyKind::Function { .. })
}

pub fn unsupported(what: &str, origin: &str) -> GenError {
    GenError::Unsupported {
        what: what.to_string(),
        origin: origin.to_string(),
    }
}

/// `types.luau`: every declared type, exported.
pub fn module(schema: &Schema, header: &str) -> Result<String, GenError> {
    let types = Types { schema, prefix: "" };
    let mut code = Code::new();
    code.line("--!strict");
    code.line(header);
    code.line("-- The types the schema declares, for `Types.Name` annotations in game code.");
    code.line("");
    for (index, decl) in schema.decls.iter().enumerate() {
        let origin = decl.name.to_string();
        let ty = match &decl.kind {
            // Luau refuses a type that is only itself made optional; its
            // only Luau value is nil.
            DeclKind::Alias { ty } if only_optional_of_itself(schema, index, ty) => "nil".into(),
            DeclKind::Alias { ty } => types.of(ty, &origin)?,
            DeclKind::Enum { variants } => {
                types.enumeration(variants, decl.tag_field(), &origin)?
            }
        };
        code.line(format!("export type {} = {ty}", type_name(&decl.name)));
    }
    code.line("");
    code.line("return {}");
    Ok(code.into_string())
}
