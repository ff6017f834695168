//! Number checks, literals and length ranges as generated code writes them.

use super::{wire, Dec};
use crate::ir::packing::IntPacking;
use crate::ir::{LenRange, NumKind, NumRange};
use proc_macro2::{Ident, Literal, TokenStream};
use quote::{format_ident, quote};

/// A bit count for the collection readers (a `u32`; larger means "more
/// than any input", which `u32::MAX` says as well).
pub(super) fn bits_lit(bits: u64) -> Literal {
    Literal::u32_unsuffixed(u32::try_from(bits).unwrap_or(u32::MAX))
}

/// The Rust type of a number kind, by absolute path.
pub(super) fn num_rust(kind: NumKind) -> TokenStream {
    let name = super::super::rust_types::num_ty(kind);
    quote!(::core::primitive::#name)
}

/// `Writer`/`Reader` method of a number kind.
pub(super) fn num_method(kind: NumKind) -> Ident {
    match kind {
        NumKind::Number => format_ident!("f64"),
        other => format_ident!("{}", other.name()),
    }
}

/// The range and finiteness check of a number `v` (of the kind's Rust type),
/// or nothing when the Rust type already says it all.
pub(crate) fn number_check(
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
pub(super) fn packed_field(kind: NumKind, packing: IntPacking, v: &TokenStream) -> TokenStream {
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
pub(super) fn offset(n: i128) -> TokenStream {
    let lit = Literal::i128_suffixed(n.unsigned_abs() as i128);
    match n < 0 {
        true => quote!(- #lit),
        false => quote!(+ #lit),
    }
}

/// Decoding a packed integer.
pub(super) fn packed_dec(kind: NumKind, packing: IntPacking) -> Dec {
    let bits = Literal::u32_unsuffixed(packing.bits);
    Dec::Value(packed_value(kind, packing, quote!(__r.bits64(#bits)?)))
}

/// The integer of kind `kind` that the packed field `raw` (a `u64`) holds:
/// `min + raw`, failing when `raw` is above the span (a field of k bits can
/// hold up to `2^k - 1`). `raw <= span < 2^(width - 1)` makes the sum exact
/// in the kind's own type.
pub(super) fn packed_value(kind: NumKind, packing: IntPacking, raw: TokenStream) -> TokenStream {
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
pub(super) fn typed_int_lit(v: i128, kind: NumKind) -> TokenStream {
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

pub(super) fn opt(value: Option<TokenStream>) -> TokenStream {
    match value {
        Some(v) => quote!(::core::option::Option::Some(#v)),
        None => quote!(::core::option::Option::None),
    }
}

pub(super) fn int_lit(v: i128) -> TokenStream {
    // Bounds are within `i64`/`u64`, so the magnitude fits an `i128`.
    let lit = Literal::i128_suffixed(v.unsigned_abs() as i128);
    match v < 0 {
        true => quote!(-#lit),
        false => quote!(#lit),
    }
}

pub(super) fn float_lit(v: f64) -> TokenStream {
    let lit = Literal::f64_suffixed(v.abs());
    match v.is_sign_negative() && v != 0.0 {
        true => quote!(-#lit),
        false => quote!(#lit),
    }
}

/// A `LenRange` constant.
pub(crate) fn len_range(len: LenRange) -> TokenStream {
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
