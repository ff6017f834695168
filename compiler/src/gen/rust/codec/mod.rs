//! Encode and decode code for one value of a schema type, per
//! docs/wire-format.md §4, with every refinement checked both ways.
//!
//! Encoding code is statements writing to `__w` and returning early with an
//! `EncodeError`; decoding code is an expression reading from `__r`. Named
//! records, enums, datatypes and `any` go through their `Encode`/`Decode`
//! impls; aliases are expanded, so an alias's refinements are checked
//! wherever it is used.

mod bits;
mod columns;
mod numbers;

pub use bits::{dec_bit_run, enc_bit_run};
pub(super) use numbers::{len_range, number_check};

use numbers::*;

use super::model::ItemKind;
use super::{Gen, GenError};
use crate::ir::{Ty, TyKind};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

/// A value to encode: a place (`self.name`, a parameter) or a reference to one.
pub struct Val {
    expr: TokenStream,
    is_ref: bool,
}

impl Val {
    /// A place holding the value.
    pub fn place(expr: TokenStream) -> Val {
        Val {
            expr,
            is_ref: false,
        }
    }

    /// An expression of type `&T`.
    pub fn reference(expr: TokenStream) -> Val {
        Val { expr, is_ref: true }
    }

    /// `&T`.
    fn by_ref(&self) -> TokenStream {
        let expr = &self.expr;
        match self.is_ref {
            true => quote!(#expr),
            false => quote!(&#expr),
        }
    }

    /// The value itself, for `Copy` types.
    fn copied(&self) -> TokenStream {
        let expr = &self.expr;
        match self.is_ref {
            true => quote!(*#expr),
            false => quote!(#expr),
        }
    }
}

/// Decoding code: either an expression of type `Result<T, DecodeError>`, or
/// one of type `T` (which may use `?`).
pub enum Dec {
    Try(TokenStream),
    Value(TokenStream),
}

impl Dec {
    /// An expression of type `T`.
    pub fn value(self) -> TokenStream {
        match self {
            Dec::Try(expr) => quote!(#expr?),
            Dec::Value(expr) => expr,
        }
    }

    /// An expression of type `Result<T, DecodeError>` (no `Ok(x?)`).
    pub fn result(self) -> TokenStream {
        match self {
            Dec::Try(expr) => expr,
            Dec::Value(expr) => quote!(::core::result::Result::Ok(#expr)),
        }
    }
}

/// The runtime's wire module.
fn wire() -> TokenStream {
    quote!(::tether::wire)
}

impl Gen<'_> {
    /// Whether `ty` encodes exactly as its Rust type's `Encode` does, with
    /// nothing from its use site (a range, a length, a class): then a
    /// message of such values needs no codec of its own.
    pub fn is_plain(&self, ty: &Ty) -> bool {
        match &ty.kind {
            // The runtime's `String` is an unbounded `string`.
            TyKind::String { len } if *len == crate::ir::LenRange::UNBOUNDED => true,
            TyKind::Boolean
            | TyKind::Record { .. }
            | TyKind::Union { .. }
            | TyKind::Datatype { .. }
            | TyKind::RobloxEnum { .. }
            | TyKind::Extern { .. }
            | TyKind::Any => true,
            TyKind::Number {
                kind,
                range: None,
                nonfinite,
            } => !kind.is_float() || !nonfinite,
            TyKind::Named { decl } => match self.model.decl_item(*decl) {
                Some(item) => match &self.model.items[item].kind {
                    ItemKind::Alias(target) => self.is_plain(target),
                    _ => true,
                },
                None => false,
            },
            // The runtime's `Option<T>` writes the presence bit then `T`,
            // as the generated code does; an optional instance is read
            // leniently (an absent instance is `None`), so it is not plain.
            TyKind::Optional { inner } => !self.is_instance(inner) && self.is_plain(inner),
            _ => false,
        }
    }

    /// Statements that encode `v` (of type `ty`) into `__w`.
    pub fn enc(
        &self,
        ty: &Ty,
        v: &Val,
        origin: &str,
        depth: usize,
    ) -> Result<TokenStream, GenError> {
        let wire = wire();
        Ok(match &ty.kind {
            TyKind::Boolean => {
                let v = v.copied();
                quote!(__w.bool(#v);)
            }
            TyKind::Number { kind, .. } => match self.enc_call(ty, v, origin, depth)? {
                Some(call) => quote!(#call?;),
                None => {
                    let (method, v) = (num_method(*kind), v.copied());
                    quote!(__w.#method(#v);)
                }
            },
            TyKind::String { .. } | TyKind::Buffer { .. } | TyKind::Binary { .. } => {
                self.enc_stmt(ty, v, origin, depth)?
            }
            TyKind::Optional { inner } if self.is_instance(inner) => {
                let v = v.copied();
                quote! {
                    match #v {
                        ::core::option::Option::Some(__i) => {
                            __w.bool(true);
                            __w.instance(::core::option::Option::Some(__i.id()));
                        }
                        ::core::option::Option::None => __w.bool(false),
                    }
                }
            }
            TyKind::Optional { .. } if self.is_plain(ty) => self.enc_stmt(ty, v, origin, depth)?,
            TyKind::Optional { inner } => {
                let x = format_ident!("__x{depth}");
                let body = self.enc(inner, &Val::reference(quote!(#x)), origin, depth + 1)?;
                let v = v.by_ref();
                quote! {
                    match #v {
                        ::core::option::Option::Some(#x) => {
                            __w.bool(true);
                            #body
                        }
                        ::core::option::Option::None => __w.bool(false),
                    }
                }
            }
            TyKind::Array { elem, len } if self.flat_record(elem).is_some() => {
                self.enc_columns(elem, v, *len, origin, depth)?
            }
            TyKind::Array { .. } | TyKind::Map { .. } | TyKind::Set { .. } => {
                self.enc_stmt(ty, v, origin, depth)?
            }
            TyKind::Named { decl } => {
                let item = self
                    .model
                    .decl_item(*decl)
                    .ok_or_else(|| self.unsupported(ty, origin))?;
                match &self.model.items[item].kind {
                    ItemKind::Alias(target) => self.enc(target, v, origin, depth)?,
                    _ => self.enc_stmt(ty, v, origin, depth)?,
                }
            }
            TyKind::Record { .. }
            | TyKind::Union { .. }
            | TyKind::Datatype { .. }
            | TyKind::RobloxEnum { .. }
            | TyKind::Extern { .. }
            | TyKind::Any => self.enc_stmt(ty, v, origin, depth)?,
            // Only an optional instance may be sent as nil.
            TyKind::Instance { class, .. } => {
                let v = v.copied();
                let refusal =
                    format!("a `{class}` is required here; only an optional instance may be nil");
                quote! {
                    match #v {
                        ::core::option::Option::Some(__i) => __w.instance(::core::option::Option::Some(__i.id())),
                        ::core::option::Option::None => {
                            return ::core::result::Result::Err(#wire::EncodeError::Invalid(
                                ::std::borrow::Cow::Borrowed(#refusal),
                            ))
                        }
                    }
                }
            }
            TyKind::Metatable { table, .. } => self.enc(table, v, origin, depth)?,
            TyKind::Function { .. }
            | TyKind::MixedTable { .. }
            | TyKind::Shared { .. }
            | TyKind::Error => return Err(self.unsupported(ty, origin)),
        })
    }

    /// `ty`'s encoding as one call, an expression of type
    /// `Result<(), EncodeError>`, where it is one (strings, buffers, checked
    /// numbers, collections, types with an `Encode` impl); `None` for the
    /// encodings that are statements.
    fn enc_call(
        &self,
        ty: &Ty,
        v: &Val,
        origin: &str,
        depth: usize,
    ) -> Result<Option<TokenStream>, GenError> {
        let wire = wire();
        Ok(Some(match &ty.kind {
            TyKind::Number {
                kind,
                range,
                nonfinite,
            } => {
                let Some((method, args)) = refined_number(*kind, *range, *nonfinite) else {
                    return Ok(None);
                };
                let v = v.copied();
                match args.is_empty() {
                    true => quote!(__w.#method(#v)),
                    false => quote!(__w.#method(#v, #args)),
                }
            }
            TyKind::String { len } => {
                let (v, len) = (v.by_ref(), len_range(*len));
                quote!(__w.string(#v, #len))
            }
            // A binary string's bytes are a buffer's, without the UTF-8
            // check a string has.
            TyKind::Buffer { len } | TyKind::Binary { len } => {
                let (v, len) = (v.by_ref(), len_range(*len));
                quote!(__w.buffer(#v, #len))
            }
            TyKind::Optional { .. } if self.is_plain(ty) => {
                let v = v.by_ref();
                quote!(#wire::Encode::encode(#v, __w))
            }
            // Booleans pack eight to a byte; writing them a byte at a time
            // gives the same bytes as one by one, faster.
            TyKind::Array { elem, len }
                if matches!(self.model.unalias(elem).kind, TyKind::Boolean) =>
            {
                let (v, len) = (v.by_ref(), len_range(*len));
                quote!(#wire::write_bools(__w, #v, #len))
            }
            TyKind::Array { elem, .. } if self.flat_record(elem).is_some() => return Ok(None),
            TyKind::Array { elem, len } => {
                let each = self.elem_encoder(elem, origin, depth)?;
                let (v, len) = (v.by_ref(), len_range(*len));
                quote!(#wire::write_array(__w, #v, #len, #each))
            }
            TyKind::Map { key, value, len } => {
                let key = self.key_encoder(key, origin, depth)?;
                let value = self.elem_encoder(value, origin, depth)?;
                let (v, len) = (v.by_ref(), len_range(*len));
                quote!(#wire::write_map(__w, #v, #len, #key, #value))
            }
            TyKind::Set { elem, len } => {
                let each = self.key_encoder(elem, origin, depth)?;
                let (v, len) = (v.by_ref(), len_range(*len));
                quote!(#wire::write_set(__w, #v, #len, #each))
            }
            TyKind::Named { decl } => {
                let item = self
                    .model
                    .decl_item(*decl)
                    .ok_or_else(|| self.unsupported(ty, origin))?;
                match &self.model.items[item].kind {
                    ItemKind::Alias(target) => return self.enc_call(target, v, origin, depth),
                    // A `Box<T>` place or reference: `&**r` or `&*p` is the `&T`.
                    _ if self.model.is_boxed(ty) => {
                        let e = &v.expr;
                        match v.is_ref {
                            true => quote!(#wire::Encode::encode(&**#e, __w)),
                            false => quote!(#wire::Encode::encode(&*#e, __w)),
                        }
                    }
                    _ => {
                        let v = v.by_ref();
                        quote!(#wire::Encode::encode(#v, __w))
                    }
                }
            }
            TyKind::Record { .. }
            | TyKind::Union { .. }
            | TyKind::Datatype { .. }
            | TyKind::RobloxEnum { .. }
            | TyKind::Extern { .. }
            | TyKind::Any => {
                let v = v.by_ref();
                quote!(#wire::Encode::encode(#v, __w))
            }
            TyKind::Metatable { table, .. } => return self.enc_call(table, v, origin, depth),
            _ => return Ok(None),
        }))
    }

    /// The body of a function returning `Result<(), EncodeError>` that
    /// encodes `v`: the one call, or the statements and `Ok(())`.
    pub fn enc_body(&self, ty: &Ty, v: &Val, origin: &str) -> Result<TokenStream, GenError> {
        if let Some(call) = self.enc_call(ty, v, origin, 0)? {
            return Ok(call);
        }
        let body = self.enc(ty, v, origin, 0)?;
        Ok(quote! {
            #body
            ::core::result::Result::Ok(())
        })
    }

    /// [`Gen::enc_call`] as a statement, for the kinds that have one.
    fn enc_stmt(
        &self,
        ty: &Ty,
        v: &Val,
        origin: &str,
        depth: usize,
    ) -> Result<TokenStream, GenError> {
        match self.enc_call(ty, v, origin, depth)? {
            Some(call) => Ok(quote!(#call?;)),
            None => Err(self.unsupported(ty, origin)),
        }
    }

    /// What writes one element (or key) of a collection of `elem`: the
    /// element type's own `Encode::encode` where that is its encoding, so
    /// that every collection of one element type shares one instance of
    /// the runtime's loop, else a closure with the use site's checks.
    fn elem_encoder(&self, elem: &Ty, origin: &str, depth: usize) -> Result<TokenStream, GenError> {
        let wire = wire();
        if self.is_plain(elem) {
            return Ok(quote!(#wire::Encode::encode));
        }
        let x = format_ident!("__x{depth}");
        let v = Val::reference(quote!(#x));
        Ok(match self.enc_call(elem, &v, origin, depth + 1)? {
            Some(call) => quote!(|#x, __w| #call),
            None => {
                let body = self.enc(elem, &v, origin, depth + 1)?;
                quote!(|#x, __w| {
                    #body
                    ::core::result::Result::Ok(())
                })
            }
        })
    }

    /// What writes a map's key or a set's element: an instance key is a
    /// `Ref` (see `key_ty`), never nil.
    fn key_encoder(&self, key: &Ty, origin: &str, depth: usize) -> Result<TokenStream, GenError> {
        match self.is_instance(key) {
            true => Ok(quote!(|__x, __w| {
                __w.instance(::core::option::Option::Some(__x.id()));
                ::core::result::Result::Ok(())
            })),
            false => self.elem_encoder(key, origin, depth),
        }
    }

    fn is_instance(&self, ty: &Ty) -> bool {
        matches!(self.model.unalias(ty).kind, TyKind::Instance { .. })
    }

    /// What reads one element (or key) of a collection of `elem`: as
    /// [`Gen::elem_encoder`], `Decode::decode` where that is its decoding.
    fn elem_decoder(
        &self,
        elem: &Ty,
        from: &[String],
        origin: &str,
        depth: usize,
    ) -> Result<TokenStream, GenError> {
        let wire = wire();
        if self.is_plain(elem) {
            return Ok(quote!(#wire::Decode::decode));
        }
        let elem = self.dec(elem, from, origin, depth + 1)?.result();
        Ok(quote!(|__r| #elem))
    }

    /// Reads a non-nil reference to an instance of `ty`'s class (through
    /// aliases) and types it `Ref<Class>`, so that decoded ids get their
    /// class even where nothing names the type. The reader checks the class
    /// where it knows the instances' classes (the server).
    fn required_instance(&self, ty: &Ty) -> TokenStream {
        let class = match &self.model.unalias(ty).kind {
            TyKind::Instance { class, .. } => class.clone(),
            _ => "Instance".to_string(),
        };
        let class = super::rust_types::roblox_class_path(&class);
        quote! {
            ::core::option::Option::map(
                __r.required_instance_of(
                    <#class as ::tether::types::Class>::NAME,
                )?,
                ::tether::types::Ref::<#class>::new,
            )
        }
    }

    /// Code that decodes a value of `ty` from `__r`.
    pub fn dec(
        &self,
        ty: &Ty,
        from: &[String],
        origin: &str,
        depth: usize,
    ) -> Result<Dec, GenError> {
        let wire = wire();
        Ok(match &ty.kind {
            TyKind::Boolean => Dec::Try(quote!(__r.bool())),
            TyKind::Number {
                kind,
                range,
                nonfinite,
            } => {
                let (method, args) = refined_number(*kind, *range, *nonfinite)
                    .unwrap_or_else(|| (num_method(*kind), quote!()));
                Dec::Try(quote!(__r.#method(#args)))
            }
            TyKind::String { len } => {
                let len = len_range(*len);
                Dec::Try(quote!(__r.string(#len)))
            }
            TyKind::Buffer { len } | TyKind::Binary { len } => {
                let len = len_range(*len);
                Dec::Try(quote!(__r.buffer(#len)))
            }
            TyKind::Optional { .. } if self.is_plain(ty) => {
                Dec::Try(quote!(#wire::Decode::decode(__r)))
            }
            TyKind::Optional { inner } => {
                if self.is_instance(inner) {
                    // An absent instance (not replicated, not streamed in) decodes as `None`.
                    let instance = self.required_instance(inner);
                    Dec::Value(quote! {
                        if __r.bool()? {
                            #instance
                        } else {
                            ::core::option::Option::None
                        }
                    })
                } else {
                    let inner = self.dec(inner, from, origin, depth + 1)?.value();
                    Dec::Value(quote! {
                        if __r.bool()? {
                            ::core::option::Option::Some(#inner)
                        } else {
                            ::core::option::Option::None
                        }
                    })
                }
            }
            TyKind::Array { elem, len }
                if matches!(self.model.unalias(elem).kind, TyKind::Boolean) =>
            {
                let len = len_range(*len);
                Dec::Try(quote!(#wire::read_bools(__r, #len)))
            }
            TyKind::Array { elem, len } if self.flat_record(elem).is_some() => {
                self.dec_columns(elem, *len, from, origin, depth)?
            }
            TyKind::Array { elem, len } => {
                let min_bits = bits_lit(self.model.min_bits(elem));
                let each = self.elem_decoder(elem, from, origin, depth)?;
                let len = len_range(*len);
                Dec::Try(quote!(#wire::read_array(__r, #len, #min_bits, #each)))
            }
            TyKind::Map { key, value, len } => {
                let min_bits = bits_lit(
                    self.model
                        .min_bits(key)
                        .saturating_add(self.model.min_bits(value)),
                );
                // An instance key decodes to an `Option`; the runtime leaves
                // out the entries whose key is `None`.
                let read = match self.is_instance(key) {
                    true => quote!(read_map_of_instances),
                    false => quote!(read_map),
                };
                let key = self.elem_decoder(key, from, origin, depth)?;
                let value = self.elem_decoder(value, from, origin, depth)?;
                let len = len_range(*len);
                Dec::Try(quote!(#wire::#read(__r, #len, #min_bits, #key, #value)))
            }
            TyKind::Set { elem, len } => {
                let min_bits = bits_lit(self.model.min_bits(elem));
                let read = match self.is_instance(elem) {
                    true => quote!(read_set_of_instances),
                    false => quote!(read_set),
                };
                let each = self.elem_decoder(elem, from, origin, depth)?;
                let len = len_range(*len);
                Dec::Try(quote!(#wire::#read(__r, #len, #min_bits, #each)))
            }
            TyKind::Named { decl } => {
                let item = self
                    .model
                    .decl_item(*decl)
                    .ok_or_else(|| self.unsupported(ty, origin))?;
                match &self.model.items[item].kind {
                    ItemKind::Alias(target) => self.dec(target, from, origin, depth)?,
                    // The type is the use site's (a field, an element, a
                    // codec's result): inferred, not named.
                    _ => {
                        let call = quote!(#wire::Decode::decode(__r));
                        match self.model.is_boxed(ty) {
                            true => Dec::Value(quote!(::std::boxed::Box::new(#call?))),
                            false => Dec::Try(call),
                        }
                    }
                }
            }
            TyKind::Record { .. }
            | TyKind::Union { .. }
            | TyKind::Datatype { .. }
            | TyKind::RobloxEnum { .. }
            | TyKind::Extern { .. }
            | TyKind::Any => Dec::Try(quote!(#wire::Decode::decode(__r))),
            // The reference 0 fails (the sender must not send nil here); an
            // instance the receiver cannot see arrives as `None`, as in Roblox.
            TyKind::Instance { .. } => Dec::Value(self.required_instance(ty)),
            TyKind::Metatable { table, .. } => self.dec(table, from, origin, depth)?,
            TyKind::Function { .. }
            | TyKind::MixedTable { .. }
            | TyKind::Shared { .. }
            | TyKind::Error => return Err(self.unsupported(ty, origin)),
        })
    }
}
