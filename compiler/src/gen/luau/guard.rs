//! Guards for native remotes: Luau expressions that say whether a value
//! Roblox delivered is of its declared type, since what a client passes to
//! a native remote arrives as whatever Luau value it chose to send.

use super::code::Code;
use super::codec::Codec;
use super::names::{field, string};
use super::types::unsupported;
use super::GenError;
use crate::ir::packing::int_bounds;
use crate::ir::{DeclId, DeclKind, Field, LenRange, NumRange, Ty, TyKind};

impl Codec<'_> {
    /// A Luau expression, true when `v` (an expression evaluated once per
    /// use: a name) is a value of `ty`.
    pub fn guard(&self, ty: &Ty, v: &str, origin: &str) -> Result<String, GenError> {
        Ok(match &ty.kind {
            TyKind::Boolean => format!("type({v}) == \"boolean\""),
            TyKind::Number {
                kind,
                range,
                nonfinite,
            } => match int_bounds(*kind, *range) {
                Some((lo, hi)) => format!("{}({v}, {lo}, {hi})", self.rt("gint")),
                None => {
                    let bound = |b: Option<f64>| b.map_or("nil".to_string(), |b| format!("{b:?}"));
                    let (lo, hi) = match range {
                        Some(NumRange::Float { min, max }) => (bound(*min), bound(*max)),
                        _ => ("nil".to_string(), "nil".to_string()),
                    };
                    let nonfinite = if *nonfinite { ", true" } else { "" };
                    format!("{}({v}, {lo}, {hi}{nonfinite})", self.rt("gnum"))
                }
            },
            TyKind::String { len } => format!("{}({v}, {})", self.rt("gstr"), bounds(*len)),
            TyKind::Binary { len } => {
                format!("{}({v}, {}, true)", self.rt("gstr"), bounds_full(*len))
            }
            TyKind::Buffer { len } => format!("{}({v}, {})", self.rt("gbuf"), bounds(*len)),
            TyKind::Optional { inner } => {
                format!("({v} == nil or {})", self.guard(inner, v, origin)?)
            }
            TyKind::Array { elem, len } => format!(
                "{}({v}, {}, {})",
                self.rt("garr"),
                bounds_full(*len),
                self.each(elem, origin)?
            ),
            TyKind::Map { key, value, len } => format!(
                "{}({v}, {}, {}, {})",
                self.rt("gmap"),
                bounds_full(*len),
                self.each(key, origin)?,
                self.each(value, origin)?
            ),
            TyKind::Set { elem, len } => format!(
                "{}({v}, {}, {})",
                self.rt("gmap"),
                bounds_full(*len),
                self.each(elem, origin)?
            ),
            TyKind::Record { fields } => self.record(fields, v, 0, origin)?,
            TyKind::Union { arms } => {
                let arms = arms
                    .iter()
                    .map(|arm| self.guard(arm, v, origin))
                    .collect::<Result<Vec<_>, _>>()?;
                format!("({})", arms.join(" or "))
            }
            TyKind::Named { decl } => match self.decl(*decl, origin)? {
                DeclKind::Alias { ty } if self.inlined(*decl) => self.guard(ty, v, origin)?,
                _ => format!("G.{}({v})", self.function_name(*decl)),
            },
            TyKind::Datatype { datatype } => {
                format!("{}({v}, {})", self.rt("gtype"), string(datatype.name()))
            }
            TyKind::RobloxEnum { name } => {
                format!("{}({v}, Enum.{name})", self.rt("grenum"))
            }
            TyKind::Instance { class, .. } => match class.as_str() {
                "Instance" => format!("{}({v})", self.rt("ginst")),
                class => format!("{}({v}, {})", self.rt("ginst"), string(class)),
            },
            TyKind::Any => "true".to_string(),
            TyKind::Metatable { .. }
            | TyKind::Function { .. }
            | TyKind::MixedTable { .. }
            | TyKind::Extern { .. }
            | TyKind::Shared { .. }
            | TyKind::Error => return Err(unsupported("this type in a native remote", origin)),
        })
    }

    /// `function(x) return <guard of x> end`, for a collection's elements.
    fn each(&self, ty: &Ty, origin: &str) -> Result<String, GenError> {
        let x = self.fresh("x");
        let guard = self.guard(ty, &x, origin)?;
        Ok(format!("function({x}: any): boolean return {guard} end"))
    }

    /// A table of `fields` and `extra` other keys (a tagged variant's tag
    /// field), with no more keys than those.
    fn record(
        &self,
        fields: &[Field],
        v: &str,
        extra: usize,
        origin: &str,
    ) -> Result<String, GenError> {
        let keys = fields.len() + extra;
        let mut parts = vec![format!("{}({v}, {keys})", self.rt("grec"))];
        for f in fields {
            parts.push(self.guard(&f.ty, &field(v, &f.name), origin)?);
        }
        Ok(parts.join(" and "))
    }

    /// `G.Name = function(v) .. end`: the guard of a declaration.
    pub fn guard_decl(&self, decl: DeclId, out: &mut Code) -> Result<(), GenError> {
        let origin = self.schema.decl(decl).name.to_string();
        let name = self.function_name(decl);
        match self.decl(decl, &origin)? {
            DeclKind::Alias { ty } => {
                let guard = self.guard(ty, "v", &origin)?;
                out.line(format!(
                    "G.{name} = function(v: any): boolean return {guard} end"
                ));
            }
            DeclKind::Enum { variants } if variants.iter().all(|v| v.fields.is_none()) => {
                let table = self.declared_enum(decl);
                out.line(format!(
                    "G.{name} = function(v: any): boolean return {}(v, {table}) end",
                    self.rt("genum")
                ));
            }
            DeclKind::Enum { variants } => {
                let tag = self.schema.decl(decl).tag_field();
                out.open(format!("G.{name} = function(v: any): boolean"));
                out.line(format!(
                    "local k = if type(v) == \"table\" then {} else nil",
                    field("v", tag)
                ));
                for (i, variant) in variants.iter().enumerate() {
                    let fields = variant.fields.as_deref().unwrap_or_default();
                    let test = format!("k == {} then", string(&variant.name));
                    match i {
                        0 => out.open(format!("if {test}")),
                        _ => out.reopen(format!("elseif {test}")),
                    }
                    out.line(format!("return {}", self.record(fields, "v", 1, &origin)?));
                }
                out.close("end");
                out.line("return false");
                out.close("end");
            }
        }
        Ok(())
    }
}

/// `min, max` of a length, `nil` for no upper bound.
fn bounds(len: LenRange) -> String {
    match len.max {
        Some(max) => format!("{}, {max}", len.min),
        None => len.min.to_string(),
    }
}

/// [`bounds`], with the upper bound written even when there is none.
fn bounds_full(len: LenRange) -> String {
    match len.max {
        Some(max) => format!("{}, {max}", len.min),
        None => format!("{}, nil", len.min),
    }
}
