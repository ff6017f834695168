//! Strings and buffers: length prefixes of no bits, of 7, 9 and 17 bits, and
//! varints.

use proptest::prelude::*;

use super::case::boxed;
use super::harness::Cross;
use super::lv::Lv;
use super::strategies::text;

const CASES: u32 = 24;

/// `binary`: any bytes, a Luau string on that side, bytes that are not
/// UTF-8 included (a Luau `string` would refuse them).
#[test]
fn binary_strings_cross_as_luau_strings_of_any_bytes() {
    super::case::Case::<tether_tests::types::Bin, tether_tests::types::BinBox> {
        event: "SendBin",
        wrap: |v| tether_tests::types::BinBox { v },
        lv: |v| Lv::Str(v.clone()),
        same: |a, b| a == b,
        ordered: |_| true,
    }
    .run(CASES, |_| {
        prop_oneof![
            prop::collection::vec(any::<u8>(), 0..=16),
            Just(vec![0xff, 0xfe, 0x00, 0x80]),
        ]
    });
}

#[test]
fn strings_cross() {
    boxed!(Str, StrBox).run(CASES, |_| prop_oneof![text(0, 40), text(100, 400)]);
    boxed!(StrMax, StrMaxBox).run(CASES, |_| text(0, 64));
    boxed!(StrExact, StrExactBox).run(CASES, |_| text(8, 8));
    boxed!(StrWide, StrWideBox).run(CASES, |_| prop_oneof![text(1, 300), text(290, 300)]);
}

/// `string(..70000)`: a 17-bit prefix, and strings past the varint's 2
/// bytes.
#[test]
fn huge_strings_cross() {
    boxed!(StrHuge, StrHugeBox).run(8, |_| {
        prop_oneof![
            text(0, 64),
            (69_990usize..=70_000).prop_map(|n| "h".repeat(n)),
            (16_380usize..16_390).prop_map(|n| "é".repeat(n / 2)),
        ]
    });
}

/// Buffers are Luau `buffer`s, whatever their bytes.
#[test]
fn buffers_cross() {
    let buf = |v: &Vec<u8>| Lv::Buf(v.clone());
    boxed!(Buf, BufBox)
        .with_lv(buf)
        .run(CASES, |_| prop::collection::vec(any::<u8>(), 0..=1024));
    boxed!(BufAny, BufAnyBox)
        .with_lv(buf)
        .run(CASES, |_| prop::collection::vec(any::<u8>(), 0..300));
}

/// Binary data belongs in a buffer: Luau refuses to send a string that is
/// not UTF-8, as Rust cannot hold one in a `String`.
#[test]
fn luau_refuses_to_send_a_string_that_is_not_utf8() {
    let mut cross = Cross::types();
    for bytes in [&b"\xFF"[..], b"ab\xC3", b"\xED\xA0\x80"] {
        let error = cross
            .luau_fires("SendStr", &Lv::Str(bytes.to_vec()))
            .expect_err("not UTF-8");
        assert!(error.contains("UTF-8"), "{error}");
    }
    assert!(cross.take_client_frames().is_empty());
}
