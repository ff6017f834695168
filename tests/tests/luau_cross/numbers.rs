//! Booleans, integers (whole bytes and packed bit fields) and floats.

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use tether_roblox_mock::Side;

use super::case::{boxed, fail, hex, one_frame, rust_decode};
use super::harness::Cross;
use super::lv::{Lv, QUIET_F32};
use super::strategies::{any_f32, any_f64, finite_f32, finite_f64, EXACT};

const CASES: u32 = 24;

#[test]
fn booleans_cross() {
    boxed!(Bool, BoolBox).run(CASES, |_| any::<bool>());
}

#[test]
fn whole_byte_integers_cross() {
    boxed!(U8, U8Box).run(CASES, |_| any::<u8>());
    boxed!(U16, U16Box).run(CASES, |_| any::<u16>());
    boxed!(U32, U32Box).run(CASES, |_| any::<u32>());
    boxed!(I8, I8Box).run(CASES, |_| any::<i8>());
    boxed!(I16, I16Box).run(CASES, |_| any::<i16>());
    boxed!(I32, I32Box).run(CASES, |_| any::<i32>());
    boxed!(U8Min, U8MinBox).run(CASES, |_| prop_oneof![Just(1u8), Just(255u8), 1u8..]);
    boxed!(I32Min, I32MinBox).run(CASES, |_| {
        prop_oneof![Just(-100_000i32), Just(i32::MAX), -100_000i32..]
    });
}

/// 64-bit integers within 2^53, where Luau numbers are exact; the two
/// u32 halves must come out as Rust's 8 bytes.
#[test]
fn sixty_four_bit_integers_within_two_to_the_53_cross() {
    let exact = EXACT as i64;
    boxed!(U64, U64Box).run(CASES, |_| {
        prop_oneof![
            Just(0u64),
            Just(EXACT),
            Just(u64::from(u32::MAX) + 1),
            0..=EXACT
        ]
    });
    boxed!(I64, I64Box).run(CASES, |_| {
        prop_oneof![
            Just(-exact),
            Just(exact),
            Just(-1i64),
            Just(-(1i64 << 32)),
            -exact..=exact
        ]
    });
    boxed!(U64Min, U64MinBox).run(CASES, |_| prop_oneof![Just(5u64), Just(EXACT), 5..=EXACT]);
}

/// Integers of narrow declared ranges travel as bit fields: both sides must
/// agree on the field's width and where its bits land.
#[test]
fn packed_integers_cross() {
    boxed!(U8Range, U8RangeBox).run(CASES, |_| prop_oneof![Just(1u8), Just(100u8), 1u8..=100]);
    boxed!(U8Exact, U8ExactBox).run(4, |_| Just(7u8));
    boxed!(U16Range, U16RangeBox).run(CASES, |_| {
        prop_oneof![Just(10u16), Just(1000u16), 10u16..=1000]
    });
    boxed!(U32Max, U32MaxBox).run(CASES, |_| prop_oneof![Just(1_000_000u32), 0u32..=1_000_000]);
    boxed!(I8Range, I8RangeBox).run(CASES, |_| -10i8..=10);
    boxed!(I16Range, I16RangeBox).run(CASES, |_| {
        prop_oneof![Just(-300i16), Just(300i16), -300i16..=300]
    });
    boxed!(I64Range, I64RangeBox).run(CASES, |_| {
        prop_oneof![
            Just(-5_000_000_000i64),
            Just(5_000_000_000i64),
            -5_000_000_000i64..=5_000_000_000
        ]
    });
    boxed!(U8Pct, U8PctBox).run(CASES, |_| prop_oneof![Just(0u8), Just(100u8), 0u8..=100]);
    boxed!(U8High, U8HighBox).run(CASES, |_| prop_oneof![Just(200u8), Just(255u8), 200u8..]);
    boxed!(I32Small, I32SmallBox).run(CASES, |_| -5i32..=5);
}

#[test]
fn finite_floats_cross() {
    boxed!(F32, F32Box).run(CASES, |_| finite_f32());
    boxed!(F64, F64Box).run(CASES, |_| finite_f64());
    boxed!(Num, NumBox).run(CASES, |_| finite_f64());
    boxed!(F32Range, F32RangeBox).run(CASES, |_| {
        prop_oneof![Just(-1.5f32), Just(1.5f32), Just(-0.0f32), -1.5f32..=1.5]
    });
    boxed!(F64Range, F64RangeBox).run(CASES, |_| {
        prop_oneof![Just(0.0f64), Just(1.0f64), 0.0f64..=1.0]
    });
    boxed!(NumRange, NumRangeBox).run(CASES, |_| {
        prop_oneof![Just(-1000.0f64), Just(1000.0f64), -1000.0f64..=1000.0]
    });
}

/// NaN (with any payload) and ±inf where the type says `nonfinite`. A
/// binary64 keeps its bits through Luau. A binary32 becomes a Luau number
/// (binary64) when read and a binary32 again when written, which keeps every
/// value and a NaN's payload, but quiets a signalling NaN: Luau cannot hold
/// one, so it sends the quiet NaN of the same payload.
#[test]
fn nonfinite_floats_cross() {
    let same64 = |a: &f64, b: &f64| a.to_bits() == b.to_bits();
    boxed!(F64Nonfinite, F64NonfiniteBox)
        .with_same(same64)
        .run(CASES, |_| any_f64());
    boxed!(NumNonfinite, NumNonfiniteBox)
        .with_same(same64)
        .run(CASES, |_| any_f64());
    boxed!(F32Nonfinite, F32NonfiniteBox)
        .with_same(|a, b| a.to_bits() == b.to_bits())
        .run_with(
            CASES,
            |_| any_f32(),
            |case, cross, v| {
                case.rust_to_luau(cross, v)?;
                case.luau_to_rust(cross, &quiet(*v))
            },
        );
}

fn quiet(v: f32) -> f32 {
    if v.is_nan() {
        f32::from_bits(v.to_bits() | QUIET_F32)
    } else {
        v
    }
}

#[test]
fn a_signalling_binary32_nan_comes_back_quiet() {
    let mut cross = Cross::types();
    let case = boxed!(F32Nonfinite, F32NonfiniteBox).with_same(|a, b| a.to_bits() == b.to_bits());
    let signalling = f32::from_bits(0xFF80_0001);
    case.rust_to_luau(&mut cross, &signalling)
        .unwrap_or_else(|e| panic!("{e}"));
    // Luau holds it as the binary64 NaN the hardware widens it to, and
    // writes that back as the binary32 0xFFC00001.
    let frames = cross
        .luau_fires("SendF32Nonfinite", &Lv::F32(signalling))
        .unwrap_or_else(|e| panic!("{e}"));
    let frame = one_frame("SendF32Nonfinite", frames).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(hex(&frame.bytes[1..]), "01 00 C0 FF");
}

/// A Luau number sent as an `f32` is rounded to the nearest binary32, as
/// Rust's `as f32` rounds it; the range and finiteness checks apply to the
/// rounded value.
#[test]
fn luau_numbers_round_to_binary32_as_rust_does() {
    let cross = std::cell::RefCell::new(Cross::types());
    let f32_case = boxed!(F32, F32Box);
    let nonfinite = boxed!(F32Nonfinite, F32NonfiniteBox);
    super::case::run(
        48,
        &prop_oneof![
            finite_f64(),
            -1e6f64..1e6,
            (-1e-30f64..1e-30), // into the subnormals
            Just(f64::from(f32::MAX) * (1.0 + f64::EPSILON)),
            Just(f64::from(f32::from_bits(1)) / 2.0), // a tie: rounds to even, 0
        ],
        |v| {
            let mut cross = cross.borrow_mut();
            cross.reset();
            let rounded = v as f32;
            // The Luau server sends the binary64; Rust sends it rounded.
            let (event, (expected, _)) = if rounded.is_finite() {
                (f32_case.event, f32_case.encode(&rounded)?)
            } else {
                (nonfinite.event, nonfinite.encode(&rounded)?)
            };
            let frames = cross.luau_fires(event, &Lv::Num(v)).map_err(fail)?;
            let frame = one_frame(event, frames)?;
            prop_assert_eq!(hex(&frame.bytes), hex(&expected), "{} sent as an f32", v);
            let back: f32 = rust_decode(event, &frame.bytes, &[]).map_err(fail)?;
            prop_assert_eq!(back.to_bits(), rounded.to_bits());
            let client = cross.client_side();
            cross.take_events(client);
            Ok::<(), TestCaseError>(())
        },
    );
}

#[test]
fn binary32_ranges_apply_to_the_rounded_value() {
    let mut cross = Cross::types();
    // Just above 1.5, within half a binary32 step: rounds to 1.5, in range.
    let below_half_step = 1.5 + 2f64.powi(-30);
    let frames = cross
        .luau_fires("SendF32Range", &Lv::Num(below_half_step))
        .unwrap_or_else(|e| panic!("{e}"));
    let frame = one_frame("SendF32Range", frames).unwrap_or_else(|e| panic!("{e}"));
    let (rust, _) = boxed!(F32Range, F32RangeBox)
        .encode(&1.5)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(hex(&frame.bytes), hex(&rust));
    // Past half a step: rounds to the next binary32, out of range. Luau
    // refuses it, as Rust refuses that binary32.
    let next = f32::from_bits(1.5f32.to_bits() + 1);
    assert!(boxed!(F32Range, F32RangeBox).encode(&next).is_err());
    let refused = cross.luau_fires("SendF32Range", &Lv::Num(f64::from(next) - 2f64.powi(-40)));
    let error = refused.expect_err("Luau refuses a value that rounds out of range");
    assert!(
        error.contains("expected a number from -1.5 to 1.5"),
        "{error}"
    );
    // A number beyond binary32 rounds to infinity: not finite for `f32`.
    let error = cross
        .luau_fires("SendF32", &Lv::Num(1e39))
        .expect_err("Luau refuses a number that overflows binary32");
    assert!(error.contains("expected a finite number"), "{error}");
    assert!(cross.take_client_frames().is_empty());
}

/// Above 2^53 a Luau number no longer holds every integer: a u64 or i64
/// from Rust arrives rounded to the nearest binary64, and what Luau can send
/// back is that rounded value, or nothing at all past the type's bounds.
#[test]
fn sixty_four_bit_integers_above_two_to_the_53_arrive_rounded() {
    let mut cross = Cross::types();
    let u64s = boxed!(U64, U64Box);
    let client = cross.client_side();
    let arrives = |cross: &mut Cross, v: u64| -> f64 {
        let (bytes, ids) = u64s.encode(&v).unwrap_or_else(|e| panic!("{e}"));
        cross.fire_to_client(false, &bytes, &ids);
        let got: f64 = cross
            .eval(client, "local g = X.got[1] X.got = {} return g.args[1]")
            .unwrap_or_else(|e| panic!("{e}"));
        got
    };
    // 2^53 + 1 is halfway between two binary64s: rounds to even, 2^53.
    assert_eq!(arrives(&mut cross, EXACT + 1), 9_007_199_254_740_992.0);
    assert_eq!(arrives(&mut cross, EXACT + 3), 9_007_199_254_740_996.0);
    // u64::MAX rounds up to 2^64, which is no u64 at all.
    assert_eq!(arrives(&mut cross, u64::MAX), 18_446_744_073_709_551_616.0);

    // Sent back, 2^53 + 1 has become 2^53.
    let frames = cross
        .luau_fires("SendU64", &Lv::Num(9_007_199_254_740_993.0))
        .unwrap_or_else(|e| panic!("{e}"));
    let frame = one_frame("SendU64", frames).unwrap_or_else(|e| panic!("{e}"));
    let back: u64 = rust_decode("SendU64", &frame.bytes, &[]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, EXACT);
    cross.take_events(client);
    // 2^64 is refused; so is i64::MAX, which rounds to 2^63.
    let error = cross
        .luau_fires("SendU64", &Lv::Num(18_446_744_073_709_551_616.0))
        .expect_err("2^64 is no u64");
    assert!(error.contains("expected an integer"), "{error}");
    let error = cross
        .luau_fires("SendI64", &Lv::Num(9_223_372_036_854_775_807.0))
        .expect_err("2^63 is no i64");
    assert!(error.contains("expected an integer"), "{error}");
    // i64::MIN, -2^63, is a binary64: it crosses both ways exactly.
    boxed!(I64, I64Box)
        .check(&mut cross, &i64::MIN)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(cross.rejected(client), 0);
    assert!(cross.take_events(Side::Server).is_empty());
}
