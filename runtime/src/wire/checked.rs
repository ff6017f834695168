//! Numbers with a declared range or a finiteness rule (section 4.1),
//! checked and written, or read and checked, in one call.
//!
//! Generated code calls these for every refined number, so each check is
//! compiled once, here, rather than spelled out at every use. A bound equal
//! to the Rust type's own bound stands for "no bound" (`u32(1..)` is
//! `u32_in(v, 1, u32::MAX)`) and is reported as absent in a [`RangeError`];
//! likewise an infinite float bound.

use super::{check_float, check_int, packed_out_of_range, DecodeError, EncodeError};
use super::{Reader, Writer};

/// `bound` as a range bound: `None` where it is the type's own.
#[inline]
fn bound(bound: i128, type_bound: i128) -> Option<i128> {
    (bound != type_bound).then_some(bound)
}

/// `bound` as a float range bound: `None` where it is infinite.
#[inline]
fn float_bound(bound: f64) -> Option<f64> {
    bound.is_finite().then_some(bound)
}

/// The check of an integer of a type with bounds `type_min..type_max`.
fn int_in(
    v: i128,
    min: i128,
    max: i128,
    type_min: i128,
    type_max: i128,
) -> Result<(), super::RangeError> {
    check_int(v, bound(min, type_min), bound(max, type_max))
}

/// The field of a packed integer (`v - min`), its range checked.
fn packed_field(
    v: i128,
    min: i128,
    max: i128,
    type_min: i128,
    type_max: i128,
) -> Result<u64, EncodeError> {
    int_in(v, min, max, type_min, type_max)?;
    // In range, so `0 <= v - min <= max - min < 2^64`.
    Ok((v - min) as u64)
}

/// The integer a packed field holds: `min + field`, or the error of a field
/// above `max - min`.
fn packed_value(field: u64, min: i128, max: i128) -> Result<i128, DecodeError> {
    let value = min + i128::from(field);
    if value > max {
        return Err(packed_out_of_range(field, min, max));
    }
    Ok(value)
}

macro_rules! checked_ints {
    ($($int:ident $checked:ident $packed:ident;)*) => {
        impl Writer {
            $(
                #[doc = concat!("Writes a `", stringify!($int), "` in `min..=max`, or refuses it.")]
                #[inline]
                pub fn $checked(&mut self, v: $int, min: $int, max: $int) -> Result<(), EncodeError> {
                    int_in(v.into(), min.into(), max.into(), $int::MIN.into(), $int::MAX.into())?;
                    self.$int(v);
                    Ok(())
                }

                #[doc = concat!(
                    "Writes a `", stringify!($int), "` in `min..=max` as a packed field of `bits` ",
                    "bits (`v - min`), or refuses it."
                )]
                #[inline]
                pub fn $packed(&mut self, v: $int, min: $int, max: $int, bits: u32) -> Result<(), EncodeError> {
                    let field = packed_field(v.into(), min.into(), max.into(), $int::MIN.into(), $int::MAX.into())?;
                    self.bits64(field, bits);
                    Ok(())
                }
            )*
        }

        impl Reader<'_> {
            $(
                #[doc = concat!("Reads a `", stringify!($int), "` and rejects one outside `min..=max`.")]
                #[inline]
                pub fn $checked(&mut self, min: $int, max: $int) -> Result<$int, DecodeError> {
                    let v = self.$int()?;
                    if let Err(error) = int_in(v.into(), min.into(), max.into(), $int::MIN.into(), $int::MAX.into()) {
                        self.refuse(error.into())?;
                    }
                    Ok(v)
                }

                #[doc = concat!(
                    "Reads a `", stringify!($int), "` packed in `bits` bits as `v - min`, and ",
                    "rejects a field above `max - min`."
                )]
                #[inline]
                pub fn $packed(&mut self, min: $int, max: $int, bits: u32) -> Result<$int, DecodeError> {
                    let field = self.bits64(bits)?;
                    match packed_value(field, min.into(), max.into()) {
                        // `min <= value <= max`, so the value is a `$int`.
                        Ok(value) => Ok(value as $int),
                        Err(error) => self.refuse(error).map(|()| min),
                    }
                }
            )*
        }
    };
}

checked_ints! {
    u8 u8_in packed_u8;
    u16 u16_in packed_u16;
    u32 u32_in packed_u32;
    u64 u64_in packed_u64;
    i8 i8_in packed_i8;
    i16 i16_in packed_i16;
    i32 i32_in packed_i32;
    i64 i64_in packed_i64;
}

macro_rules! checked_floats {
    ($($float:ident $checked:ident $finite:ident;)*) => {
        impl Writer {
            $(
                #[doc = concat!(
                    "Writes an `", stringify!($float), "` in `min..=max` (infinite bounds are no ",
                    "bound), or refuses it; NaN and infinities only when `nonfinite`."
                )]
                #[inline]
                pub fn $checked(&mut self, v: $float, min: f64, max: f64, nonfinite: bool) -> Result<(), EncodeError> {
                    check_float(v.into(), float_bound(min), float_bound(max), nonfinite)?;
                    self.$float(v);
                    Ok(())
                }

                #[doc = concat!("Writes a finite `", stringify!($float), "`, or refuses NaN and infinities.")]
                #[inline]
                pub fn $finite(&mut self, v: $float) -> Result<(), EncodeError> {
                    check_float(v.into(), None, None, false)?;
                    self.$float(v);
                    Ok(())
                }
            )*
        }

        impl Reader<'_> {
            $(
                #[doc = concat!(
                    "Reads an `", stringify!($float), "` and rejects one outside `min..=max`, ",
                    "or NaN and infinities unless `nonfinite`."
                )]
                #[inline]
                pub fn $checked(&mut self, min: f64, max: f64, nonfinite: bool) -> Result<$float, DecodeError> {
                    let v = self.$float()?;
                    if let Err(error) = check_float(v.into(), float_bound(min), float_bound(max), nonfinite) {
                        self.refuse(error.into())?;
                    }
                    Ok(v)
                }

                #[doc = concat!("Reads a finite `", stringify!($float), "`, rejecting NaN and infinities.")]
                #[inline]
                pub fn $finite(&mut self) -> Result<$float, DecodeError> {
                    let v = self.$float()?;
                    if let Err(error) = check_float(v.into(), None, None, false) {
                        self.refuse(error.into())?;
                    }
                    Ok(v)
                }
            )*
        }
    };
}

checked_floats! {
    f32 f32_in f32_finite;
    f64 f64_in f64_finite;
}
