//! The Rust type that stands for each schema type, written from a given
//! module: what the type definitions, the codecs and the handles all name.

use super::names::{ident, pascal_case};
use super::{Gen, GenError};
use crate::ir::{NumKind, Ty, TyKind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// A Rust tuple of `items` (types, values or patterns): `(A, B)`, `(A,)`
/// or `()`.
pub(super) fn tuple_of(items: &[impl quote::ToTokens]) -> TokenStream {
    match items {
        [one] => quote!((#one,)),
        many => quote!((#(#many),*)),
    }
}

/// A message body's shape, for its values, their types or their codecs:
/// the params as a tuple (`params`), or the returns as the caller gets
/// them (none: `()`, one: the value itself, more: a tuple).
pub(super) fn body(items: &[TokenStream], params: bool) -> TokenStream {
    match (items, params) {
        ([one], false) => one.clone(),
        _ => tuple_of(items),
    }
}

impl Gen<'_> {
    /// The Rust type of `ty`, written from inside module `from`.
    pub fn rust_ty(&self, ty: &Ty, from: &[String], origin: &str) -> Result<TokenStream, GenError> {
        Ok(match &ty.kind {
            TyKind::Boolean => quote!(bool),
            TyKind::Number { kind, .. } => num_ty(*kind),
            TyKind::String { .. } => quote!(::std::string::String),
            TyKind::Buffer { .. } | TyKind::Binary { .. } => quote!(::std::vec::Vec<u8>),
            // An instance may arrive as nil whether or not it is optional
            // (section 4.9 of the wire format), so both are an `Option`.
            TyKind::Optional { inner }
                if matches!(self.model.unalias(inner).kind, TyKind::Instance { .. }) =>
            {
                self.rust_ty(inner, from, origin)?
            }
            TyKind::Optional { inner } => {
                let inner = self.rust_ty(inner, from, origin)?;
                quote!(::core::option::Option<#inner>)
            }
            TyKind::Array { elem, .. } => {
                let elem = self.rust_ty(elem, from, origin)?;
                quote!(::std::vec::Vec<#elem>)
            }
            TyKind::Map { key, value, .. } => {
                let key = self.key_ty(key, from, origin)?;
                let value = self.rust_ty(value, from, origin)?;
                quote!(::std::collections::HashMap<#key, #value>)
            }
            TyKind::Set { elem, .. } => {
                let elem = self.key_ty(elem, from, origin)?;
                quote!(::std::collections::HashSet<#elem>)
            }
            TyKind::Record { .. } | TyKind::Union { .. } => match self.model.anon_item(ty) {
                Some(item) => self.item_path(from, item),
                None => return Err(self.unsupported(ty, origin)),
            },
            TyKind::Named { decl } => match self.model.decl_item(*decl) {
                Some(item) => {
                    let path = self.item_path(from, item);
                    match self.model.is_boxed(ty) {
                        true => quote!(::std::boxed::Box<#path>),
                        false => path,
                    }
                }
                None => return Err(self.unsupported(ty, origin)),
            },
            TyKind::Datatype { datatype } => {
                let name = format_ident!("{}", datatype.name());
                quote!(::tether::types::#name)
            }
            TyKind::RobloxEnum { name } => roblox_enum_path(name),
            TyKind::Instance { class, .. } => {
                let class = roblox_class_path(class);
                quote!(::core::option::Option<::tether::types::Ref<#class>>)
            }
            TyKind::Function { params, returns } => {
                let params = params
                    .iter()
                    .map(|p| self.rust_ty(p, from, origin))
                    .collect::<Result<Vec<_>, _>>()?;
                let ret = match returns.len() {
                    0 => quote!(),
                    _ => {
                        let ret = self.tuple_ty(returns, from, origin)?;
                        quote!(-> #ret)
                    }
                };
                quote!(::std::sync::Arc<dyn ::core::ops::Fn(#(#params),*) #ret + ::core::marker::Send + ::core::marker::Sync>)
            }
            TyKind::Metatable { table, .. } => self.rust_ty(table, from, origin)?,
            TyKind::Any => quote!(::tether::types::Value),
            TyKind::Extern { path, namespace } => {
                let rust = extern_path(path).ok_or_else(|| self.unsupported(ty, origin))?;
                // A relative path is relative to the module it was written
                // in, and the generated code names it from other modules.
                let absolute = ["crate::", "::", "Self"]
                    .iter()
                    .any(|p| path.starts_with(p));
                match absolute {
                    true => rust,
                    false => {
                        let prefix = self.module_prefix(from, &super::model::module_of(namespace));
                        quote!(#prefix #rust)
                    }
                }
            }
            TyKind::MixedTable { .. } | TyKind::Shared { .. } | TyKind::Error => {
                return Err(self.unsupported(ty, origin))
            }
        })
    }

    /// Returns as Rust has them: `()`, the one type, or a tuple.
    pub fn tuple_ty(
        &self,
        tys: &[Ty],
        from: &[String],
        origin: &str,
    ) -> Result<TokenStream, GenError> {
        let types = tys
            .iter()
            .map(|t| self.rust_ty(t, from, origin))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(body(&types, false))
    }

    /// Dictionary keys are strings or unit enums (`non-string-key`).
    /// The Rust type of a map's key or a set's element. An instance key is
    /// a `Ref`, not an `Option`: an entry whose key the receiver cannot see
    /// is left out of the collection rather than keyed by `None`.
    fn key_ty(&self, key: &Ty, from: &[String], origin: &str) -> Result<TokenStream, GenError> {
        if crate::ir::keys::packed_key(self.schema, key) != crate::ir::keys::PackedKey::Keyable {
            return Err(self.unsupported(key, origin));
        }
        match &self.model.unalias(key).kind {
            TyKind::Instance { class, .. } => {
                let class = roblox_class_path(class);
                Ok(quote!(::tether::types::Ref<#class>))
            }
            _ => self.rust_ty(key, from, origin),
        }
    }
}

/// `Enum.<name>`'s type, which the runtime ships with every other Roblox
/// enum: `pascal_case` of the name, as the runtime's tables are written.
pub fn roblox_enum_path(name: &str) -> TokenStream {
    let name = ident(&pascal_case(name));
    quote!(::tether::roblox::enums::#name)
}

/// A Roblox class's marker type, which the runtime ships with every other
/// class (`Player` is the runtime's `PlayerClass`).
pub fn roblox_class_path(class: &str) -> TokenStream {
    let class = ident(class);
    quote!(::tether::roblox::classes::#class)
}

pub fn num_ty(kind: NumKind) -> TokenStream {
    let name = match kind {
        NumKind::Number => "f64",
        other => other.name(),
    };
    let name = format_ident!("{name}");
    quote!(#name)
}

/// The Rust path of an extern type, as its front end wrote it.
pub fn extern_path(path: &str) -> Option<TokenStream> {
    syn::parse_str::<syn::Type>(path)
        .ok()
        .map(quote::ToTokens::into_token_stream)
}
