//! The checked number methods generated code calls for refined numbers:
//! each writes what the unchecked write would, refuses what the range
//! refuses, and reports a bound that is the type's own as absent.

use proptest::prelude::*;
use tether_runtime::wire::{
    packed_out_of_range, DecodeError, EncodeError, RangeError, Reader, Writer,
};

fn int_error(value: i128, min: Option<i128>, max: Option<i128>) -> RangeError {
    RangeError::Int { value, min, max }
}

fn written(write: impl FnOnce(&mut Writer)) -> Vec<u8> {
    let mut w = Writer::new();
    write(&mut w);
    w.as_bytes().to_vec()
}

#[test]
fn a_checked_integer_is_written_as_the_plain_one() {
    assert_eq!(
        written(|w| w.u32_in(7, 1, u32::MAX).unwrap()),
        written(|w| w.u32(7))
    );
    assert_eq!(
        written(|w| w.i16_in(-3, -5, 5).unwrap()),
        written(|w| w.i16(-3))
    );
    let bytes = written(|w| w.u32(7));
    assert_eq!(Reader::new(&bytes).u32_in(1, u32::MAX), Ok(7));
}

#[test]
fn the_types_own_bounds_are_reported_as_none() {
    let mut w = Writer::new();
    assert_eq!(
        w.u32_in(0, 1, u32::MAX),
        Err(EncodeError::OutOfRange(Box::new(int_error(
            0,
            Some(1),
            None
        ))))
    );
    assert_eq!(
        w.i8_in(i8::MIN, -3, i8::MAX),
        Err(EncodeError::OutOfRange(Box::new(int_error(
            -128,
            Some(-3),
            None
        ))))
    );
    assert_eq!(
        w.u8_in(11, u8::MIN, 10),
        Err(EncodeError::OutOfRange(Box::new(int_error(
            11,
            None,
            Some(10)
        ))))
    );
    assert!(w.as_bytes().is_empty(), "nothing is written for a refusal");

    let bytes = written(|w| w.u16(1000));
    assert_eq!(
        Reader::new(&bytes).u16_in(1, 999),
        Err(DecodeError::from(int_error(1000, Some(1), Some(999))))
    );
}

#[test]
fn a_packed_integer_is_its_offset_in_the_bits_of_its_span() {
    // -5..5 is a span of 10: four bits holding `value + 5`.
    assert_eq!(
        written(|w| w.packed_i32(-3, -5, 5, 4).unwrap()),
        written(|w| w.bits64(2, 4))
    );
    let bytes = written(|w| w.bits64(2, 4));
    assert_eq!(Reader::new(&bytes).packed_i32(-5, 5, 4), Ok(-3));
    // A value outside the span is refused before anything is written.
    let mut w = Writer::new();
    assert_eq!(
        w.packed_i32(6, -5, 5, 4),
        Err(EncodeError::OutOfRange(Box::new(int_error(
            6,
            Some(-5),
            Some(5)
        ))))
    );
    assert!(w.as_bytes().is_empty());
}

#[test]
fn a_packed_field_above_the_span_is_rejected() {
    // 1..100 in 7 bits: a field of 100 would be 101.
    let bytes = written(|w| w.bits64(100, 7));
    assert_eq!(
        Reader::new(&bytes).packed_u8(1, 100, 7),
        Err(packed_out_of_range(100, 1, 100))
    );
    let bytes = written(|w| w.bits64(99, 7));
    assert_eq!(Reader::new(&bytes).packed_u8(1, 100, 7), Ok(100));
}

#[test]
fn packed_fields_at_the_edges_of_wide_types() {
    let bytes = written(|w| w.packed_u64(u64::MAX, u64::MAX - 1, u64::MAX, 1).unwrap());
    assert_eq!(bytes, written(|w| w.bits64(1, 1)));
    assert_eq!(
        Reader::new(&bytes).packed_u64(u64::MAX - 1, u64::MAX, 1),
        Ok(u64::MAX)
    );
    let bytes = written(|w| w.packed_i64(i64::MIN, i64::MIN, i64::MIN + 3, 2).unwrap());
    assert_eq!(
        Reader::new(&bytes).packed_i64(i64::MIN, i64::MIN + 3, 2),
        Ok(i64::MIN)
    );
}

#[test]
fn floats_are_finite_unless_the_type_says_nonfinite() {
    let mut w = Writer::new();
    assert_eq!(w.f32_finite(f32::NAN), Err(EncodeError::NonFinite));
    assert_eq!(w.f64_finite(f64::INFINITY), Err(EncodeError::NonFinite));
    assert_eq!(
        w.f32_in(f32::NAN, 0.0, 1.0, false),
        Err(EncodeError::NonFinite)
    );
    assert!(w.as_bytes().is_empty());
    // With `nonfinite`, NaN passes any range and an infinity is checked
    // against it like any number.
    assert_eq!(w.f64_in(f64::NAN, 0.0, 1.0, true), Ok(()));
    assert_eq!(
        w.f64_in(f64::INFINITY, 0.0, 1.0, true),
        Err(EncodeError::OutOfRange(Box::new(RangeError::Float {
            value: f64::INFINITY,
            min: Some(0.0),
            max: Some(1.0)
        })))
    );
    assert_eq!(w.f64_in(f64::INFINITY, 0.0, f64::INFINITY, true), Ok(()));

    let bytes = written(|w| w.f32(f32::INFINITY));
    assert_eq!(
        Reader::new(&bytes).f32_finite(),
        Err(DecodeError::NonFinite)
    );
    let bytes = written(|w| w.f32(1.5));
    assert_eq!(
        Reader::new(&bytes).f32_in(0.0, 1.0, false),
        Err(DecodeError::from(RangeError::Float {
            value: 1.5,
            min: Some(0.0),
            max: Some(1.0)
        }))
    );
}

#[test]
fn an_infinite_float_bound_is_reported_as_none() {
    let mut w = Writer::new();
    assert_eq!(
        w.f32_in(-1.0, 0.0, f64::INFINITY, false),
        Err(EncodeError::OutOfRange(Box::new(RangeError::Float {
            value: -1.0,
            min: Some(0.0),
            max: None
        })))
    );
}

/// The fewest bits that hold `span`.
fn bits_of(span: u64) -> u32 {
    64 - span.leading_zeros()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn packed_integers_round_trip_and_refuse_what_is_outside(
        a in any::<i16>(),
        b in any::<i16>(),
        v in any::<i16>(),
    ) {
        let (min, max) = (a.min(b), a.max(b));
        let bits = bits_of((i32::from(max) - i32::from(min)) as u64);
        let mut w = Writer::new();
        let result = w.packed_i16(v, min, max, bits);
        if (min..=max).contains(&v) {
            prop_assert_eq!(result, Ok(()));
            let bytes = w.as_bytes().to_vec();
            prop_assert_eq!(Reader::new(&bytes).packed_i16(min, max, bits), Ok(v));
        } else {
            prop_assert!(matches!(result, Err(EncodeError::OutOfRange(_))));
            prop_assert!(w.as_bytes().is_empty());
        }
    }

    #[test]
    fn checked_integers_round_trip_and_refuse_what_is_outside(
        a in any::<u32>(),
        b in any::<u32>(),
        v in any::<u32>(),
    ) {
        let (min, max) = (a.min(b), a.max(b));
        let mut w = Writer::new();
        let result = w.u32_in(v, min, max);
        prop_assert_eq!(result.is_ok(), (min..=max).contains(&v));
        // The reader applies the same range to what it reads.
        let bytes = written(|w| w.u32(v));
        prop_assert_eq!(Reader::new(&bytes).u32_in(min, max).is_ok(), (min..=max).contains(&v));
    }
}
