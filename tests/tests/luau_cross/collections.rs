//! Optionals, arrays and maps.

use std::collections::HashMap;

use proptest::prelude::*;
use tether::roblox::enums::KeyCode;
use tether_tests::types as t;

use super::case::{boxed, hex, one_frame, rust_decode};
use super::harness::Cross;
use super::lv::Lv;
use super::strategies::{color, text};

const CASES: u32 = 24;

#[test]
fn optionals_cross() {
    boxed!(OptU8, OptU8Box).run(CASES, |_| prop::option::of(any::<u8>()));
    boxed!(OptStr, OptStrBox).run(CASES, |_| prop::option::of(text(0, 8)));
    boxed!(OptOpt, OptOptBox).run(CASES, |_| prop::option::of(any::<u8>().prop_map(Some)));
}

/// `u8??` has three values in Rust, `None`, `Some(None)` and
/// `Some(Some(v))`, and two in Luau: nil is nil. `Some(None)` (flags 1, 0)
/// arrives in Luau as nil, and Luau sends nil back as `None` (flag 0).
#[test]
fn some_none_arrives_as_nil_and_goes_back_as_none() {
    let mut cross = Cross::types();
    let case = boxed!(OptOpt, OptOptBox);
    let (bytes, ids) = case.encode(&Some(None)).unwrap_or_else(|e| panic!("{e}"));
    // Id 36 in bits 0-6, the outer flag 1 in bit 7; the inner flag 0.
    assert_eq!(hex(&bytes), "A4 00");
    cross.fire_to_client(false, &bytes, &ids);
    cross
        .expect_on_client("SendOptOpt", &Lv::Nil)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(cross.rejected(cross.client_side()), 0);

    let frames = cross
        .luau_fires("SendOptOpt", &Lv::Nil)
        .unwrap_or_else(|e| panic!("{e}"));
    let frame = one_frame("SendOptOpt", frames).unwrap_or_else(|e| panic!("{e}"));
    let (none, _) = case.encode(&None).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(hex(&frame.bytes), hex(&none));
    assert_eq!(hex(&frame.bytes), "24");
    let back: t::OptOpt =
        rust_decode("SendOptOpt", &frame.bytes, &[]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(back, None);
}

#[test]
fn arrays_cross() {
    boxed!(Bools, BoolsBox).run(CASES, |_| {
        prop_oneof![
            prop::collection::vec(any::<bool>(), 0..40),
            prop::collection::vec(any::<bool>(), 250..300),
        ]
    });
    boxed!(U16s, U16sBox).run(CASES, |_| prop::collection::vec(any::<u16>(), 0..40));
    boxed!(U8sMax, U8sMaxBox).run(CASES, |_| prop::collection::vec(any::<u8>(), 0..=100));
    boxed!(I16sFew, I16sFewBox).run(CASES, |_| prop::collection::vec(any::<i16>(), 1..=4));
    boxed!(U8sExact, U8sExactBox).run(CASES, |_| prop::collection::vec(any::<u8>(), 3));
    boxed!(Words, WordsBox).run(CASES, |_| prop::collection::vec(text(0, 4), 0..10));
}

/// An array of a one-variant enum takes no bits per element: only the count
/// travels.
#[test]
fn arrays_of_nothing_cross() {
    boxed!(Units, UnitsBox).run(8, |_| {
        prop_oneof![0usize..300, 16_000usize..17_000].prop_map(|n| vec![t::One::Only; n])
    });
}

/// Both sides write a map's entries in their own iteration order, so two
/// encodings of a map of several entries may differ: the decoded maps are
/// compared, and the bytes where there is one order only.
#[test]
fn maps_cross() {
    let few = |m: &HashMap<String, u32>| m.len() <= 1;
    boxed!(StrMap, StrMapBox).with_ordered(few).run(CASES, |_| {
        prop::collection::hash_map(text(0, 12), any::<u32>(), 0..8)
    });
    boxed!(ShortKeyMap, ShortKeyMapBox)
        .with_ordered(|m| m.len() <= 1)
        .run(CASES, |_| {
            prop::collection::hash_map(text(0, 8), any::<u8>(), 0..=4)
        });
    boxed!(ColorMap, ColorMapBox)
        .with_ordered(|m| m.len() <= 1)
        .run(CASES, |_| {
            prop::collection::hash_map(color(), any::<bool>(), 0..=2)
        });
}

/// Keys the wire carries as themselves: integers, booleans and Roblox
/// enums are Luau numbers, booleans and EnumItems on the Luau side.
#[test]
fn maps_keyed_by_integers_booleans_and_roblox_enums_cross() {
    boxed!(U8Map, U8MapBox)
        .with_ordered(|m| m.len() <= 1)
        .run(CASES, |_| {
            prop::collection::hash_map(any::<u8>(), any::<u16>(), 0..=4)
        });
    boxed!(BoolMap, BoolMapBox)
        .with_ordered(|m| m.len() <= 1)
        .run(CASES, |_| {
            prop::collection::hash_map(any::<bool>(), any::<u8>(), 0..=2)
        });
    boxed!(SmallIntMap, SmallIntMapBox)
        .with_ordered(|m| m.len() <= 1)
        .run(CASES, |_| {
            prop::collection::hash_map(-5i16..=5, any::<bool>(), 0..=4)
        });
    boxed!(KeyMap, KeyMapBox)
        .with_ordered(|m| m.len() <= 1)
        .run(CASES, |_| {
            prop::collection::hash_map(
                prop::sample::select(KeyCode::ALL.to_vec()),
                any::<u8>(),
                0..=3,
            )
        });
}

/// A set is a Luau table of `true`s: both sides write its elements in their
/// own order.
#[test]
fn sets_cross() {
    boxed!(TagSet, TagSetBox)
        .with_ordered(|s| s.len() <= 1)
        .run(CASES, |_| prop::collection::hash_set(text(0, 8), 0..=4));
    boxed!(ColorSet, ColorSetBox)
        .with_ordered(|s| s.len() <= 1)
        .run(CASES, |_| {
            prop::collection::hash_set(
                prop_oneof![Just(t::Color::Red), Just(t::Color::Green)],
                0..=2,
            )
        });
}
