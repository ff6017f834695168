//! Arrays of flat records, written column by column (section 4.4).

use super::super::model::ItemKind;
use super::super::names::snake_ident;
use super::super::{Gen, GenError};
use super::{bits::*, numbers::*, wire, Dec, Val};
use crate::ir::layout::BitField;
use crate::ir::packing::int_packing;
use crate::ir::{LenRange, Ty, TyKind};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

/// A leaf of a flat record: the field path to it (`pos.x`) and its type.
pub(super) struct Leaf<'t> {
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

    pub(super) fn record_item(&self, ty: &Ty) -> Option<usize> {
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
    pub(super) fn leaves<'m>(
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
    pub(super) fn zero_record(&self, item: usize, from: &[String]) -> TokenStream {
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

    pub(super) fn flat_leaves(
        &self,
        elem: &Ty,
        origin: &str,
    ) -> Result<(usize, Vec<Leaf<'_>>), GenError> {
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
    pub(super) fn enc_columns(
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
    pub(super) fn dec_columns(
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
