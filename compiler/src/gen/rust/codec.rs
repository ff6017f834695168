//! Encode and decode code for one value of a schema type, per
//! docs/wire-format.md §4, with every refinement checked both ways.
//!
//! Encoding code is statements writing to `__w` and returning early with an
//! `EncodeError`; decoding code is an expression reading from `__r`. Named
//! records, enums, datatypes and `any` go through their `Encode`/`Decode`
//! impls; aliases are expanded, so an alias's refinements are checked
//! wherever it is used.

use super::model::ItemKind;
use super::names::snake_ident;
use super::{Gen, GenError};
use crate::ir::layout::BitField;
use crate::ir::packing::{int_packing, IntPacking};
use crate::ir::{LenRange, NumKind, NumRange, Ty, TyKind};
use proc_macro2::{Ident, Literal, TokenStream};
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
            TyKind::Boolean
            | TyKind::Record { .. }
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
            TyKind::Number {
                kind,
                range,
                nonfinite,
            } => {
                let check = number_check(*kind, *range, *nonfinite, &v.copied());
                let v = v.copied();
                match int_packing(*kind, *range) {
                    Some(packing) => {
                        let field = packed_field(*kind, packing, &v);
                        let bits = Literal::u32_unsuffixed(packing.bits);
                        quote!(#check __w.bits64(#field, #bits);)
                    }
                    None => {
                        let method = num_method(*kind);
                        quote!(#check __w.#method(#v);)
                    }
                }
            }
            TyKind::String { len } => {
                let (v, len) = (v.by_ref(), len_range(*len));
                quote!(__w.string(#v, #len)?;)
            }
            TyKind::Buffer { len } => {
                let (v, len) = (v.by_ref(), len_range(*len));
                quote!(__w.buffer(#v, #len)?;)
            }
            TyKind::Optional { inner }
                if matches!(self.model.unalias(inner).kind, TyKind::Instance { .. }) =>
            {
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
            // Booleans pack eight to a byte; writing them a byte at a time
            // gives the same bytes as one by one, faster.
            TyKind::Array { elem, len }
                if matches!(self.model.unalias(elem).kind, TyKind::Boolean) =>
            {
                let (v, len) = (v.by_ref(), len_range(*len));
                quote!(#wire::write_bools(__w, #v, #len)?;)
            }
            TyKind::Array { elem, len } if self.flat_record(elem).is_some() => {
                self.enc_columns(elem, v, *len, origin, depth)?
            }
            TyKind::Array { elem, len } => {
                let x = format_ident!("__x{depth}");
                let body = self.enc(elem, &Val::reference(quote!(#x)), origin, depth + 1)?;
                let (v, len) = (v.by_ref(), len_range(*len));
                quote! {
                    #wire::write_array(__w, #v, #len, |__w, #x| {
                        #body
                        ::core::result::Result::Ok(())
                    })?;
                }
            }
            TyKind::Map { key, value, len } => {
                let k = format_ident!("__k{depth}");
                let x = format_ident!("__x{depth}");
                let key = self.enc(key, &Val::reference(quote!(#k)), origin, depth + 1)?;
                let value = self.enc(value, &Val::reference(quote!(#x)), origin, depth + 1)?;
                let (v, len) = (v.by_ref(), len_range(*len));
                quote! {
                    #wire::write_map(
                        __w,
                        #v,
                        #len,
                        |__w, #k| {
                            #key
                            ::core::result::Result::Ok(())
                        },
                        |__w, #x| {
                            #value
                            ::core::result::Result::Ok(())
                        },
                    )?;
                }
            }
            TyKind::Named { decl } => {
                let item = self
                    .model
                    .decl_item(*decl)
                    .ok_or_else(|| self.unsupported(ty, origin))?;
                match &self.model.items[item].kind {
                    ItemKind::Alias(target) => self.enc(target, v, origin, depth)?,
                    _ if self.model.is_boxed(ty) => {
                        // A `Box<T>` place or reference: `&**r` or `&*p` is the `&T`.
                        let inner = match v.is_ref {
                            true => {
                                let e = &v.expr;
                                quote!(&**#e)
                            }
                            false => {
                                let e = &v.expr;
                                quote!(&*#e)
                            }
                        };
                        quote!(#wire::Encode::encode(#inner, __w)?;)
                    }
                    _ => {
                        let v = v.by_ref();
                        quote!(#wire::Encode::encode(#v, __w)?;)
                    }
                }
            }
            TyKind::Record { .. }
            | TyKind::Datatype { .. }
            | TyKind::RobloxEnum { .. }
            | TyKind::Extern { .. }
            | TyKind::Any => {
                let v = v.by_ref();
                quote!(#wire::Encode::encode(#v, __w)?;)
            }
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

    /// Reads a non-nil reference to an instance of `ty`'s class (through
    /// aliases) and types it `Ref<Class>`, so that decoded ids get their
    /// class even where nothing names the type. The reader checks the class
    /// where it knows the instances' classes (the server).
    fn required_instance(&self, ty: &Ty, from: &[String]) -> TokenStream {
        let class = match &self.model.unalias(ty).kind {
            TyKind::Instance { class, .. } => class.clone(),
            _ => "Instance".to_string(),
        };
        let module = vec![super::types::ROBLOX_CLASSES.to_string()];
        let class = self.path(from, &module, &super::names::ident(&class));
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
                let n = format_ident!("__n{depth}");
                if let Some(packing) = int_packing(*kind, *range) {
                    return Ok(packed_dec(*kind, packing));
                }
                let method = num_method(*kind);
                let check = number_check(*kind, *range, *nonfinite, &quote!(#n));
                match check.is_empty() {
                    true => Dec::Try(quote!(__r.#method())),
                    false => Dec::Value(quote! {{
                        let #n = __r.#method()?;
                        #check
                        #n
                    }}),
                }
            }
            TyKind::String { len } => {
                let len = len_range(*len);
                Dec::Try(quote!(__r.string(#len)))
            }
            TyKind::Buffer { len } => {
                let len = len_range(*len);
                Dec::Try(quote!(__r.buffer(#len)))
            }
            TyKind::Optional { inner } => {
                if matches!(self.model.unalias(inner).kind, TyKind::Instance { .. }) {
                    // An absent instance (not replicated, not streamed in) decodes as `None`.
                    let instance = self.required_instance(inner, from);
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
                let elem = self.dec(elem, from, origin, depth + 1)?.result();
                let len = len_range(*len);
                Dec::Try(quote!(#wire::read_array(__r, #len, #min_bits, |__r| #elem)))
            }
            TyKind::Map { key, value, len } => {
                let min_bits = bits_lit(
                    self.model
                        .min_bits(key)
                        .saturating_add(self.model.min_bits(value)),
                );
                let key = self.dec(key, from, origin, depth + 1)?.result();
                let value = self.dec(value, from, origin, depth + 1)?.result();
                let len = len_range(*len);
                Dec::Try(quote! {
                    #wire::read_map(__r, #len, #min_bits, |__r| #key, |__r| #value)
                })
            }
            TyKind::Named { decl } => {
                let item = self
                    .model
                    .decl_item(*decl)
                    .ok_or_else(|| self.unsupported(ty, origin))?;
                match &self.model.items[item].kind {
                    ItemKind::Alias(target) => self.dec(target, from, origin, depth)?,
                    _ => {
                        let path = self.item_path(from, item);
                        let call = quote!(<#path as #wire::Decode>::decode(__r));
                        match self.model.is_boxed(ty) {
                            true => Dec::Value(quote!(::std::boxed::Box::new(#call?))),
                            false => Dec::Try(call),
                        }
                    }
                }
            }
            TyKind::Record { .. }
            | TyKind::Datatype { .. }
            | TyKind::RobloxEnum { .. }
            | TyKind::Extern { .. }
            | TyKind::Any => {
                let path = self.rust_ty(ty, from, origin)?;
                Dec::Try(quote!(<#path as #wire::Decode>::decode(__r)))
            }
            // The reference 0 fails (the sender must not send nil here); an
            // instance the receiver cannot see arrives as `None`, as in Roblox.
            TyKind::Instance { .. } => Dec::Value(self.required_instance(ty, from)),
            TyKind::Metatable { table, .. } => self.dec(table, from, origin, depth)?,
            TyKind::Function { .. }
            | TyKind::MixedTable { .. }
            | TyKind::Shared { .. }
            | TyKind::Error => return Err(self.unsupported(ty, origin)),
        })
    }
}

impl Gen<'_> {
    /// `ty` (through aliases) as a [`BitField`], if it is one. Consecutive
    /// ones in a record are written and read as one field (section 2: bits
    /// written one after the other, with no byte value between them, are the
    /// bits of one field).
    pub fn bit_field(&self, ty: &Ty) -> Option<BitField> {
        crate::ir::layout::bit_field(self.schema, ty)
    }
}

/// The checked `u64` field of bit field `place` (an expression of its Rust
/// type): its range checked (a packed integer), then its bits. A block, so
/// that it can stand in any expression (`x as u64 << 3` would parse `u64<`
/// as generics).
fn bit_field_value(field: BitField, place: &TokenStream) -> TokenStream {
    match field {
        BitField::Bool => quote!({
            <::core::primitive::u64 as ::core::convert::From<::core::primitive::bool>>::from(#place)
        }),
        BitField::Int { kind, packing } => {
            let check = number_check(
                kind,
                Some(NumRange::Int {
                    min: Some(packing.min),
                    max: Some(packing.max),
                }),
                false,
                place,
            );
            let value = packed_field(kind, packing, place);
            quote!({
                #check
                #value
            })
        }
    }
}

/// Encodes a run of bit fields (`values` of type `field.1`, at most 64 bits
/// in all) as one field: each checked, then all shifted into one `u64`.
pub fn enc_bit_run(run: &[(TokenStream, BitField)]) -> TokenStream {
    let mut parts = Vec::new();
    let mut shift = 0u32;
    for (value, field) in run {
        let part = bit_field_value(*field, value);
        parts.push(match shift {
            0 => part,
            shift => quote!((#part << #shift)),
        });
        shift += field.bits();
    }
    let bits = Literal::u32_unsuffixed(shift);
    quote!(__w.bits64(#(#parts)|*, #bits);)
}

/// Decodes a run of bit fields written by [`enc_bit_run`] into the locals
/// `names`.
pub fn dec_bit_run(run: &[(Ident, BitField)]) -> TokenStream {
    let total: u32 = run.iter().map(|(_, f)| f.bits()).sum();
    let bits = Literal::u32_unsuffixed(total);
    let mut lets = Vec::new();
    let mut shift = 0u32;
    for (name, field) in run {
        let k = field.bits();
        let mask = Literal::u64_unsuffixed(u64::MAX >> (64 - k));
        let raw = match shift {
            0 => quote!(__bits & #mask),
            shift => quote!((__bits >> #shift) & #mask),
        };
        lets.push(match field {
            BitField::Bool => quote!(let #name = #raw != 0;),
            BitField::Int { kind, packing } => {
                let value = packed_value(*kind, *packing, raw);
                quote!(let #name = #value;)
            }
        });
        shift += k;
    }
    quote! {
        let __bits = __r.bits64(#bits)?;
        #(#lets)*
    }
}

/// A leaf of a flat record: the field path to it (`pos.x`) and its type.
struct Leaf<'t> {
    path: Vec<Ident>,
    ty: &'t Ty,
}

impl Gen<'_> {
    /// The item of `ty` (through aliases) if it is a *flat record*
    /// (`docs/wire-format.md`, section 4.4): a record whose fields are
    /// booleans, numbers or flat records, with at least two leaves, one of
    /// them a bit field, and a non-empty encoding. Arrays of them are written
    /// column by column.
    pub fn flat_record(&self, ty: &Ty) -> Option<usize> {
        crate::ir::layout::flat_record(self.schema, ty)?;
        self.record_item(ty)
    }

    fn record_item(&self, ty: &Ty) -> Option<usize> {
        let ty = self.model.unalias(ty);
        let item = match ty.kind {
            TyKind::Named { decl } if !self.model.is_boxed(ty) => self.model.decl_item(decl)?,
            TyKind::Record { .. } => self.model.anon_item(ty)?,
            _ => return None,
        };
        let record = &self.model.items[item];
        (matches!(record.kind, ItemKind::Struct(_)) && !record.has_function).then_some(item)
    }

    /// Collects the leaves of record `item` under `path`; `None` if a field
    /// is neither a leaf nor a flat record.
    fn leaves<'m>(
        &'m self,
        item: usize,
        path: &mut Vec<Ident>,
        out: &mut Vec<Leaf<'m>>,
        depth: usize,
    ) -> Option<()> {
        let ItemKind::Struct(fields) = self.model.items[item].kind else {
            return None;
        };
        // Nesting is finite (a record cannot hold itself without an array or
        // an optional); the bound guards the recursion all the same.
        if depth > self.model.items.len() {
            return None;
        }
        for field in fields {
            path.push(snake_ident(&field.name));
            match self.model.unalias(&field.ty).kind {
                TyKind::Boolean | TyKind::Number { .. } => out.push(Leaf {
                    path: path.clone(),
                    ty: &field.ty,
                }),
                _ => {
                    let inner = self.record_item(&field.ty)?;
                    self.leaves(inner, path, out, depth + 1)?;
                }
            }
            path.pop();
        }
        Some(())
    }

    /// A value of flat record `item` whose leaves are all zero (or false):
    /// the elements that the columns of a decoded array then fill.
    fn zero_record(&self, item: usize, from: &[String]) -> TokenStream {
        let path = self.item_path(from, item);
        let ItemKind::Struct(fields) = self.model.items[item].kind else {
            return quote!(::core::default::Default::default());
        };
        let values = fields.iter().map(|field| {
            let name = snake_ident(&field.name);
            match self.record_item(&field.ty) {
                Some(inner) => {
                    let zero = self.zero_record(inner, from);
                    quote!(#name: #zero)
                }
                None => quote!(#name: ::core::default::Default::default()),
            }
        });
        quote!(#path { #(#values),* })
    }

    fn flat_leaves(&self, elem: &Ty, origin: &str) -> Result<(usize, Vec<Leaf<'_>>), GenError> {
        let item = self
            .flat_record(elem)
            .ok_or_else(|| self.unsupported(elem, origin))?;
        let mut leaves = Vec::new();
        self.leaves(item, &mut Vec::new(), &mut leaves, 0)
            .ok_or_else(|| self.unsupported(elem, origin))?;
        Ok((item, leaves))
    }

    /// An array of a flat record, column by column: the length prefix, then
    /// each leaf of every element in turn.
    fn enc_columns(
        &self,
        elem: &Ty,
        v: &Val,
        len: LenRange,
        origin: &str,
        depth: usize,
    ) -> Result<TokenStream, GenError> {
        let wire = wire();
        let (_, leaves) = self.flat_leaves(elem, origin)?;
        let x = format_ident!("__x{depth}");
        let columns = leaves
            .iter()
            .map(|leaf| {
                let path = &leaf.path;
                let place = quote!(#x.#(#path).*);
                if let Some(field) = self.bit_field(leaf.ty) {
                    let bits = Literal::u32_unsuffixed(field.bits());
                    let value = bit_field_value(field, &place);
                    return Ok(quote! {
                        #wire::write_bit_column(__w, __items, #bits, |#x| {
                            ::core::result::Result::Ok(#value)
                        })?;
                    });
                }
                let TyKind::Number {
                    kind,
                    range,
                    nonfinite,
                } = self.model.unalias(leaf.ty).kind
                else {
                    return Err(self.unsupported(leaf.ty, origin));
                };
                let check = number_check(kind, range, nonfinite, &place);
                if int_packing(kind, range).is_some_and(|p| p.bits == 0) {
                    // A range of one value takes no bits: checked, not written.
                    return Ok(quote! {
                        for #x in __items.iter() {
                            #check
                        }
                    });
                }
                Ok(quote! {
                    #wire::write_byte_column(__w, __items, |#x| {
                        #check
                        ::core::result::Result::Ok(#place.to_le_bytes())
                    })?;
                })
            })
            .collect::<Result<Vec<_>, GenError>>()?;
        let (v, len) = (v.by_ref(), len_range(len));
        Ok(quote! {{
            let __items: &[_] = #v;
            __w.len(__items.len(), #len)?;
            #(#columns)*
        }})
    }

    /// Decodes what [`Gen::enc_columns`] writes: the count (checked against
    /// the input left), zeroed elements, then each column into them.
    fn dec_columns(
        &self,
        elem: &Ty,
        len: LenRange,
        from: &[String],
        origin: &str,
        depth: usize,
    ) -> Result<Dec, GenError> {
        let wire = wire();
        let (item, leaves) = self.flat_leaves(elem, origin)?;
        let x = format_ident!("__x{depth}");
        let items = format_ident!("__items{depth}");
        let columns = leaves
            .iter()
            .map(|leaf| {
                let path = &leaf.path;
                if let Some(field) = self.bit_field(leaf.ty) {
                    let bits = Literal::u32_unsuffixed(field.bits());
                    let value = match field {
                        BitField::Bool => quote!(__raw != 0),
                        BitField::Int { kind, packing } => {
                            packed_value(kind, packing, quote!(__raw))
                        }
                    };
                    return Ok(quote! {
                        #wire::read_bit_column(__r, &mut #items, #bits, |#x, __raw| {
                            #x.#(#path).* = #value;
                            ::core::result::Result::Ok(())
                        })?;
                    });
                }
                let TyKind::Number {
                    kind,
                    range,
                    nonfinite,
                } = self.model.unalias(leaf.ty).kind
                else {
                    return Err(self.unsupported(leaf.ty, origin));
                };
                let rust = num_rust(kind);
                if let Some(packing) = int_packing(kind, range).filter(|p| p.bits == 0) {
                    // Nothing was written: every element holds the one value.
                    let value = typed_int_lit(packing.min, kind);
                    return Ok(quote! {
                        for #x in #items.iter_mut() {
                            #x.#(#path).* = #value;
                        }
                    });
                }
                let check = number_check(kind, range, nonfinite, &quote!(__v));
                Ok(quote! {
                    #wire::read_byte_column(__r, &mut #items, |#x, __b| {
                        let __v = #rust::from_le_bytes(__b);
                        #check
                        #x.#(#path).* = __v;
                        ::core::result::Result::Ok(())
                    })?;
                })
            })
            .collect::<Result<Vec<_>, GenError>>()?;
        let min_bits = bits_lit(self.model.min_bits(elem));
        let len = len_range(len);
        let zero = self.zero_record(item, from);
        Ok(Dec::Value(quote! {{
            let __n = #wire::read_count(__r, #len, #min_bits)?;
            let mut #items = ::std::vec![#zero; __n];
            #(#columns)*
            #items
        }}))
    }
}

/// A bit count for the collection readers (a `u32`; larger means "more
/// than any input", which `u32::MAX` says as well).
fn bits_lit(bits: u64) -> Literal {
    Literal::u32_unsuffixed(u32::try_from(bits).unwrap_or(u32::MAX))
}

/// The Rust type of a number kind, by absolute path.
fn num_rust(kind: NumKind) -> TokenStream {
    let name = super::types::num_ty(kind);
    quote!(::core::primitive::#name)
}

/// `Writer`/`Reader` method of a number kind.
fn num_method(kind: NumKind) -> Ident {
    match kind {
        NumKind::Number => format_ident!("f64"),
        other => format_ident!("{}", other.name()),
    }
}

/// The range and finiteness check of a number `v` (of the kind's Rust type),
/// or nothing when the Rust type already says it all.
pub(super) fn number_check(
    kind: NumKind,
    range: Option<NumRange>,
    nonfinite: bool,
    v: &TokenStream,
) -> TokenStream {
    let wire = wire();
    if kind.is_float() {
        if nonfinite && range.is_none() {
            return quote!();
        }
        let (min, max) = match range {
            Some(NumRange::Float { min, max }) => (min, max),
            Some(NumRange::Int { min, max }) => (min.map(|m| m as f64), max.map(|m| m as f64)),
            None => (None, None),
        };
        let (min, max) = (opt(min.map(float_lit)), opt(max.map(float_lit)));
        let v = match kind {
            NumKind::F32 => quote!(#v as f64),
            _ => quote!(#v),
        };
        quote!(#wire::check_float(#v, #min, #max, #nonfinite)?;)
    } else {
        let (min, max) = match range {
            Some(NumRange::Int { min, max }) => (min, max),
            Some(NumRange::Float { min, max }) => (
                min.map(|m| m.ceil() as i128),
                max.map(|m| m.floor() as i128),
            ),
            None => return quote!(),
        };
        let (min, max) = (opt(min.map(int_lit)), opt(max.map(int_lit)));
        quote!(#wire::check_int(#v as i128, #min, #max)?;)
    }
}

/// The bit field of a packed integer `v`: `v - min`, as a `u64`. `v` has
/// passed its range check, so the difference is in `0..2^bits`.
fn packed_field(kind: NumKind, packing: IntPacking, v: &TokenStream) -> TokenStream {
    let signed = kind.int_bounds().is_some_and(|(min, _)| min < 0);
    let rust = format_ident!("{}", kind.name());
    match (packing.min, signed) {
        (0, false) => quote! {
            <::core::primitive::u64 as ::core::convert::From<::core::primitive::#rust>>::from(#v)
        },
        (0, true) => quote!(#v as ::core::primitive::u64),
        (min, _) => {
            let offset = offset(-min);
            quote!((#v as ::core::primitive::i128 #offset) as ::core::primitive::u64)
        }
    }
}

/// `+ n` or `- |n|`.
fn offset(n: i128) -> TokenStream {
    let lit = Literal::i128_suffixed(n.unsigned_abs() as i128);
    match n < 0 {
        true => quote!(- #lit),
        false => quote!(+ #lit),
    }
}

/// Decoding a packed integer.
fn packed_dec(kind: NumKind, packing: IntPacking) -> Dec {
    let bits = Literal::u32_unsuffixed(packing.bits);
    Dec::Value(packed_value(kind, packing, quote!(__r.bits64(#bits)?)))
}

/// The integer of kind `kind` that the packed field `raw` (a `u64`) holds:
/// `min + raw`, failing when `raw` is above the span (a field of k bits can
/// hold up to `2^k - 1`). `raw <= span < 2^(width - 1)` makes the sum exact
/// in the kind's own type.
fn packed_value(kind: NumKind, packing: IntPacking, raw: TokenStream) -> TokenStream {
    let wire = wire();
    let rust = format_ident!("{}", kind.name());
    let span = (packing.max - packing.min) as u64;
    let check = match packing.bits {
        bits if bits < 64 && span == (1u64 << bits) - 1 => quote!(),
        _ => {
            let span = Literal::u64_suffixed(span);
            let (min, max) = (int_lit(packing.min), int_lit(packing.max));
            quote! {
                if __raw > #span {
                    return ::core::result::Result::Err(
                        #wire::packed_out_of_range(__raw, #min, #max),
                    );
                }
            }
        }
    };
    let value = match packing.min {
        0 => quote!(__raw as ::core::primitive::#rust),
        min => {
            let lit = typed_int_lit(min, kind);
            quote!((__raw as ::core::primitive::#rust).wrapping_add(#lit))
        }
    };
    quote! {{
        let __raw: ::core::primitive::u64 = #raw;
        #check
        #value
    }}
}

/// `v` as a literal of the Rust type of `kind` (`-5i32`).
fn typed_int_lit(v: i128, kind: NumKind) -> TokenStream {
    if kind
        .int_bounds()
        .is_some_and(|(min, _)| min < 0 && v == min)
    {
        // `-128i8` would negate an out-of-range `128i8`.
        let rust = format_ident!("{}", kind.name());
        return quote!(::core::primitive::#rust::MIN);
    }
    let magnitude = v.unsigned_abs();
    let lit = match kind {
        NumKind::U8 => Literal::u8_suffixed(magnitude as u8),
        NumKind::U16 => Literal::u16_suffixed(magnitude as u16),
        NumKind::U32 => Literal::u32_suffixed(magnitude as u32),
        NumKind::U64 => Literal::u64_suffixed(magnitude as u64),
        NumKind::I8 => Literal::i8_suffixed(magnitude as i8),
        NumKind::I16 => Literal::i16_suffixed(magnitude as i16),
        NumKind::I32 => Literal::i32_suffixed(magnitude as i32),
        _ => Literal::i64_suffixed(magnitude as i64),
    };
    match v < 0 {
        true => quote!(-#lit),
        false => quote!(#lit),
    }
}

fn opt(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

fn int_lit(v: i128) -> TokenStream {
    // Bounds are within `i64`/`u64`, so the magnitude fits an `i128`.
    let lit = Literal::i128_suffixed(v.unsigned_abs() as i128);
    match v < 0 {
        true => quote!(-#lit),
        false => quote!(#lit),
    }
}

fn float_lit(v: f64) -> TokenStream {
    let lit = Literal::f64_suffixed(v.abs());
    match v.is_sign_negative() && v != 0.0 {
        true => quote!(-#lit),
        false => quote!(#lit),
    }
}

/// A `LenRange` constant.
pub fn len_range(len: LenRange) -> TokenStream {
    let wire = wire();
    if len == LenRange::UNBOUNDED {
        return quote!(#wire::LenRange::UNBOUNDED);
    }
    let min = Literal::u32_unsuffixed(len.min);
    let max = opt(len.max.map(|m| {
        let m = Literal::u32_unsuffixed(m);
        quote!(#m)
    }));
    quote!(#wire::LenRange::new(#min, #max))
}
