//! Number checks, literals and length ranges as generated code writes them.

use super::wire;
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

/// A `LenRange` constant, by the shortest of its constructors.
pub(crate) fn len_range(len: LenRange) -> TokenStream {
    let wire = wire();
    let lit = |n: u32| Literal::u32_unsuffixed(n);
    match (len.min, len.max) {
        (0, None) => quote!(#wire::LenRange::UNBOUNDED),
        (min, None) => {
            let min = lit(min);
            quote!(#wire::LenRange::at_least(#min))
        }
        (0, Some(max)) => {
            let max = lit(max);
            quote!(#wire::LenRange::up_to(#max))
        }
        (min, Some(max)) if min == max => {
            let n = lit(min);
            quote!(#wire::LenRange::exact(#n))
        }
        (min, Some(max)) => {
            let (min, max) = (lit(min), lit(max));
            quote!(#wire::LenRange::between(#min, #max))
        }
    }
}

/// A bound of an integer of kind `kind` as the argument of a checked
/// `Writer`/`Reader` method: the kind's own bound (no bound) by name.
fn int_arg(v: Option<i128>, kind: NumKind, is_max: bool) -> TokenStream {
    let rust = format_ident!("{}", kind.name());
    let (type_min, type_max) = kind
        .int_bounds()
        .unwrap_or((i64::MIN as i128, i64::MAX as i128));
    match v {
        None if is_max => quote!(#rust::MAX),
        None => quote!(#rust::MIN),
        Some(v) if v >= type_max => quote!(#rust::MAX),
        Some(v) if v <= type_min => quote!(#rust::MIN),
        Some(v) => {
            let lit = Literal::i128_unsuffixed(v.unsigned_abs() as i128);
            match v < 0 {
                true => quote!(-#lit),
                false => quote!(#lit),
            }
        }
    }
}

/// A float bound as the argument of a checked method: infinite for none.
fn float_arg(v: Option<f64>, is_max: bool) -> TokenStream {
    match v {
        Some(v) => float_lit(v),
        None if is_max => quote!(f64::INFINITY),
        None => quote!(f64::NEG_INFINITY),
    }
}

/// A number's checked write or read: the `Writer`/`Reader` method and its
/// bound arguments (after the value, for a write), or `None` when the Rust
/// type already says it all and the plain method serves.
fn checked_number(
    kind: NumKind,
    range: Option<NumRange>,
    nonfinite: bool,
) -> Option<(Ident, TokenStream)> {
    let name = num_method(kind);
    if kind.is_float() {
        let (min, max) = match range {
            Some(NumRange::Float { min, max }) => (min, max),
            Some(NumRange::Int { min, max }) => (min.map(|m| m as f64), max.map(|m| m as f64)),
            None if nonfinite => return None,
            None => return Some((format_ident!("{name}_finite"), quote!())),
        };
        let (min, max) = (float_arg(min, false), float_arg(max, true));
        return Some((format_ident!("{name}_in"), quote!(#min, #max, #nonfinite)));
    }
    let (min, max) = match range? {
        NumRange::Int { min, max } => (min, max),
        NumRange::Float { min, max } => (
            min.map(|m| m.ceil() as i128),
            max.map(|m| m.floor() as i128),
        ),
    };
    // A range as wide as the type's checks nothing.
    let (type_min, type_max) = kind.int_bounds()?;
    if min.is_none_or(|m| m <= type_min) && max.is_none_or(|m| m >= type_max) {
        return None;
    }
    let (min, max) = (int_arg(min, kind, false), int_arg(max, kind, true));
    Some((format_ident!("{name}_in"), quote!(#min, #max)))
}

/// A refined number's write or read: packed into the bits of its span, or
/// checked; `None` when the plain method serves.
pub(super) fn refined_number(
    kind: NumKind,
    range: Option<NumRange>,
    nonfinite: bool,
) -> Option<(Ident, TokenStream)> {
    match crate::ir::packing::int_packing(kind, range) {
        Some(packing) => Some(packed_number(kind, packing)),
        None => checked_number(kind, range, nonfinite),
    }
}

/// A packed integer's checked write or read: the method and its arguments
/// (the span's bounds and the field's bits).
fn packed_number(kind: NumKind, packing: IntPacking) -> (Ident, TokenStream) {
    let (min, max) = (
        int_arg(Some(packing.min), kind, false),
        int_arg(Some(packing.max), kind, true),
    );
    let bits = Literal::u32_unsuffixed(packing.bits);
    (
        format_ident!("packed_{}", kind.name()),
        quote!(#min, #max, #bits),
    )
}
