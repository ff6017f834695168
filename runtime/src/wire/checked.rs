//! Numbers with a declared range or a finiteness rule (section 4.1),
//! checked and written, or read and checked, in one call.
//!
//! Generated code calls these for every refined number, so each check is
//! compiled once, here, rather than spelled out at every use. A bound equal
//! to the Rust type's own bound stands for "no bound" (`u32(1..)` is
//! `u32_in(v, 1, u32::MAX)`) and is reported as absent in a [`RangeError`];
//! likewise an infinite float bound.
//!
//! Each check is a comparison inlined into the caller; only a value out of
//! range calls the functions that build its error, which are cold.

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
#[cold]
#[inline(never)]
fn int_in(
    v: i128,
    min: i128,
    max: i128,
    type_min: i128,
    type_max: i128,
) -> Result<(), super::RangeError> {
    check_int(v, bound(min, type_min), bound(max, type_max))
}

/// The error of a packed field above `max - min`.
#[cold]
#[inline(never)]
fn packed_error(field: u64, min: i128, max: i128) -> DecodeError {
    packed_out_of_range(field, min, max)
}

/// The check of a float: within `min..=max` (an infinite bound is none),
/// and finite unless `nonfinite`.
#[cold]
#[inline(never)]
fn float_in(v: f64, min: f64, max: f64, nonfinite: bool) -> Result<(), super::RangeError> {
    check_float(v, float_bound(min), float_bound(max), nonfinite)
}

/// Whether [`float_in`] passes `v`, as comparisons the caller inlines (its
/// bounds are constants there): an infinite bound is none, and NaN is
/// neither below nor above a bound, as [`check_float`] treats them.
#[inline]
fn float_ok(v: f64, min: f64, max: f64, nonfinite: bool) -> bool {
    (nonfinite || v.is_finite()) && !(min.is_finite() && v < min) && !(max.is_finite() && v > max)
}

macro_rules! checked_ints {
    ($($int:ident $checked:ident $packed:ident;)*) => {
        impl Writer {
            $(
                #[doc = concat!("Writes a `", stringify!($int), "` in `min..=max`, or refuses it.")]
                #[inline]
                pub fn $checked(&mut self, v: $int, min: $int, max: $int) -> Result<(), EncodeError> {
                    if v < min || v > max {
                        int_in(v.into(), min.into(), max.into(), $int::MIN.into(), $int::MAX.into())?;
                    }
                    self.$int(v);
                    Ok(())
                }

                #[doc = concat!(
                    "Writes a `", stringify!($int), "` in `min..=max` as a packed field of `bits` ",
                    "bits (`v - min`), or refuses it."
                )]
                #[inline]
                pub fn $packed(&mut self, v: $int, min: $int, max: $int, bits: u32) -> Result<(), EncodeError> {
                    if v < min || v > max {
                        int_in(v.into(), min.into(), max.into(), $int::MIN.into(), $int::MAX.into())?;
                    }
                    // In range, so `0 <= v - min <= max - min < 2^64`.
                    self.bits64((i128::from(v) - i128::from(min)) as u64, bits);
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
                    if v < min || v > max {
                        if let Err(error) = int_in(v.into(), min.into(), max.into(), $int::MIN.into(), $int::MAX.into()) {
                            self.refuse(error.into())?;
                        }
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
                    let (min, max) = (i128::from(min), i128::from(max));
                    if i128::from(field) > max - min {
                        return self.refuse(packed_error(field, min, max)).map(|()| min as $int);
                    }
                    // `min <= min + field <= max`, so the value is a `$int`.
                    Ok((min + i128::from(field)) as $int)
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
                    if !float_ok(v.into(), min, max, nonfinite) {
                        float_in(v.into(), min, max, nonfinite)?;
                    }
                    self.$float(v);
                    Ok(())
                }

                #[doc = concat!("Writes a finite `", stringify!($float), "`, or refuses NaN and infinities.")]
                #[inline]
                pub fn $finite(&mut self, v: $float) -> Result<(), EncodeError> {
                    if !v.is_finite() {
                        float_in(v.into(), f64::NEG_INFINITY, f64::INFINITY, false)?;
                    }
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
                    if !float_ok(v.into(), min, max, nonfinite) {
                        if let Err(error) = float_in(v.into(), min, max, nonfinite) {
                            self.refuse(error.into())?;
                        }
                    }
                    Ok(v)
                }

                #[doc = concat!("Reads a finite `", stringify!($float), "`, rejecting NaN and infinities.")]
                #[inline]
                pub fn $finite(&mut self) -> Result<$float, DecodeError> {
                    let v = self.$float()?;
                    if !v.is_finite() {
                        if let Err(error) = float_in(v.into(), f64::NEG_INFINITY, f64::INFINITY, false) {
                            self.refuse(error.into())?;
                        }
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The inlined comparison passes exactly what the full check passes.
    #[test]
    fn the_fast_float_check_agrees_with_the_full_one() {
        let values = [
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN,
            -1.5,
            -0.0,
            0.0,
            0.5,
            1.0,
            45.0,
            45.000001,
        ];
        let bounds = [f64::NEG_INFINITY, -1.5, 0.0, 1.0, 45.0, f64::INFINITY];
        for &v in &values {
            for &min in &bounds {
                for &max in &bounds {
                    for nonfinite in [false, true] {
                        assert_eq!(
                            float_ok(v, min, max, nonfinite),
                            float_in(v, min, max, nonfinite).is_ok(),
                            "{v} in {min}..={max}, nonfinite {nonfinite}"
                        );
                    }
                }
            }
        }
    }

    /// Every `i8` and packed field, against the range the check is for.
    #[test]
    fn integer_checks_pass_exactly_the_range() {
        for (min, max) in [(i8::MIN, i8::MAX), (-100, 100), (0, 7), (5, 5), (-3, -1)] {
            // The bits the span needs, at least one.
            let span = (i128::from(max) - i128::from(min)) as u64;
            let bits = (64 - span.leading_zeros()).max(1);
            for v in i8::MIN..=i8::MAX {
                let inside = (min..=max).contains(&v);
                let mut w = Writer::new();
                assert_eq!(w.i8_in(v, min, max).is_ok(), inside, "{v} in {min}..={max}");
                let mut w = Writer::new();
                assert_eq!(w.packed_i8(v, min, max, bits).is_ok(), inside);
                if inside {
                    let mut r = Reader::new(w.as_bytes());
                    assert_eq!(r.packed_i8(min, max, bits), Ok(v));
                }
            }
            // Fields above `max - min` are refused.
            if span + 1 < 1 << bits {
                let mut w = Writer::new();
                w.bits64(span + 1, bits);
                assert!(Reader::new(w.as_bytes()).packed_i8(min, max, bits).is_err());
            }
        }
    }
}
