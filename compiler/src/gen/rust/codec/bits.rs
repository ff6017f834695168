//! Bit fields (section 2): consecutive booleans and packed integers of a
//! record written and read as one field, and integers packed into the bits
//! of their declared span.

use super::super::Gen;
use super::numbers::*;
use crate::ir::layout::BitField;
use crate::ir::{NumRange, Ty};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::quote;

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
pub(super) fn bit_field_value(field: BitField, place: &TokenStream) -> TokenStream {
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
