//! The wire codec against `docs/wire-format.md`: golden bytes, round trips,
//! hostile input and encoding refusals.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::collections::HashMap;

use proptest::collection::vec;
use proptest::prelude::*;

use tether_runtime::types::{
    BrickColor, CFrame, Color3, ColorSequence, ColorSequenceKeypoint, DateTime, InstanceId,
    Matrix3, NumberRange, NumberSequence, NumberSequenceKeypoint, Rect, UDim, UDim2, Value,
    Vector2, Vector3,
};
use tether_runtime::wire::{
    check_float, check_int, decode_message, encode_message, read_array, read_bit_column,
    read_byte_column, read_map, read_option, span_bits, tag_bits, visible_to, write_array,
    write_bit_column, write_byte_column, write_map, write_option, Decode, DecodeError, Encode,
    EncodeError, LenRange, Prefix, RangeError, Reader, Writer, MAX_ANY_DEPTH, ZERO_SIZE_CAP,
};
use tether_runtime::{Direction, MessageKind, MessageSpec, Payload, Protocol};

// ---------------------------------------------------------------------------
// A global allocator that records the largest allocation made by the current
// thread, to show hostile lengths are refused before allocating.

struct Tracking;

thread_local! {
    static LARGEST: Cell<usize> = const { Cell::new(0) };
}

fn note(size: usize) {
    let _ = LARGEST.try_with(|largest| largest.set(largest.get().max(size)));
}

unsafe impl GlobalAlloc for Tracking {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size());
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Tracking = Tracking;

/// The largest single allocation `f` makes on this thread.
fn largest_allocation<R>(f: impl FnOnce() -> R) -> (R, usize) {
    LARGEST.with(|largest| largest.set(0));
    let result = f();
    (result, LARGEST.with(Cell::get))
}

// ---------------------------------------------------------------------------
// Helpers.

/// The bytes `f` writes as one message.
fn written(f: impl FnOnce(&mut Writer)) -> Vec<u8> {
    let mut w = Writer::new();
    w.start_message();
    f(&mut w);
    w.as_bytes().to_vec()
}

fn encoded<T: Encode + ?Sized>(value: &T) -> Vec<u8> {
    match encode_message(value) {
        Ok((bytes, _)) => bytes,
        Err(err) => panic!("encoding failed: {err}"),
    }
}

fn decoded<T: Decode>(bytes: &[u8]) -> Result<T, DecodeError> {
    decode_message(bytes, &[])
}

fn f32s(values: &[f32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

fn v3(x: f32, y: f32, z: f32) -> Vector3 {
    Vector3::new(x, y, z)
}

fn matrix(rows: [[f32; 3]; 3]) -> Matrix3 {
    let [a, b, c] = rows.map(|[x, y, z]| v3(x, y, z));
    Matrix3::new(a, b, c)
}

fn rows(m: &Matrix3) -> [f32; 9] {
    [
        m.x.x, m.x.y, m.x.z, m.y.x, m.y.y, m.y.z, m.z.x, m.z.y, m.z.z,
    ]
}

fn max_rotation_error(a: &Matrix3, b: &Matrix3) -> f32 {
    rows(a)
        .iter()
        .zip(rows(b))
        .map(|(x, y)| (x - y).abs())
        .fold(0.0, f32::max)
}

/// The rotation matrix of the quaternion `(x, y, z, w)` (normalized here).
fn rotation(q: [f64; 4]) -> Matrix3 {
    let len = q.iter().map(|c| c * c).sum::<f64>().sqrt();
    let [x, y, z, w] = q.map(|c| c / len);
    let f = |v: f64| v as f32;
    matrix([
        [
            f(1.0 - 2.0 * (y * y + z * z)),
            f(2.0 * (x * y - z * w)),
            f(2.0 * (x * z + y * w)),
        ],
        [
            f(2.0 * (x * y + z * w)),
            f(1.0 - 2.0 * (x * x + z * z)),
            f(2.0 * (y * z - x * w)),
        ],
        [
            f(2.0 * (x * z - y * w)),
            f(2.0 * (y * z + x * w)),
            f(1.0 - 2.0 * (x * x + y * y)),
        ],
    ])
}

/// Structural equality that tells floats apart by their shortest decimal form
/// (so NaN equals NaN), as `Debug` prints them.
fn same<T: std::fmt::Debug>(a: &T, b: &T) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

// ---------------------------------------------------------------------------
// Golden bytes: primitives.

#[test]
fn golden_integers_are_little_endian() {
    assert_eq!(encoded(&0xABu8), [0xAB]);
    assert_eq!(encoded(&0x0201u16), [0x01, 0x02]);
    assert_eq!(encoded(&0x0403_0201u32), [1, 2, 3, 4]);
    assert_eq!(encoded(&0x0807_0605_0403_0201u64), [1, 2, 3, 4, 5, 6, 7, 8]);
    assert_eq!(encoded(&-1i8), [0xFF]);
    assert_eq!(encoded(&-2i16), [0xFE, 0xFF]);
    assert_eq!(encoded(&-3i32), [0xFD, 0xFF, 0xFF, 0xFF]);
    assert_eq!(encoded(&i64::MIN), [0, 0, 0, 0, 0, 0, 0, 0x80]);
}

#[test]
fn golden_floats_are_ieee_little_endian() {
    assert_eq!(encoded(&1.0f32), [0x00, 0x00, 0x80, 0x3F]);
    assert_eq!(encoded(&-2.5f32), [0x00, 0x00, 0x20, 0xC0]);
    assert_eq!(encoded(&1.0f64), [0, 0, 0, 0, 0, 0, 0xF0, 0x3F]);
    assert_eq!(encoded(&-0.0f64), [0, 0, 0, 0, 0, 0, 0, 0x80]);
    // Raw writes take non-finite values as they are.
    assert_eq!(written(|w| w.f32(f32::INFINITY)), [0x00, 0x00, 0x80, 0x7F]);
    assert_eq!(
        written(|w| w.f64(f64::NEG_INFINITY)),
        [0, 0, 0, 0, 0, 0, 0xF0, 0xFF]
    );
}

#[test]
fn golden_booleans_are_one_bit() {
    assert_eq!(encoded(&true), [0x01]);
    assert_eq!(encoded(&false), [0x00]);
}

// ---------------------------------------------------------------------------
// Golden bytes: bit packing (section 2).

#[test]
fn bit_byte_sits_inline_where_its_first_bit_was_written() {
    // The record example of section 2: { a: boolean, n: u8, c: boolean }.
    let bytes = written(|w| {
        w.bool(true);
        w.u8(0x2A);
        w.bool(true);
    });
    assert_eq!(bytes, [0x03, 0x2A]);

    let bytes = written(|w| {
        w.bool(false);
        w.u8(0x2A);
        w.bool(true);
    });
    assert_eq!(bytes, [0x02, 0x2A]);

    // Bytes first: the bit byte opens after them.
    let bytes = written(|w| {
        w.u16(0x0102);
        w.bool(true);
        w.u8(7);
    });
    assert_eq!(bytes, [0x02, 0x01, 0x01, 0x07]);
}

#[test]
fn nine_booleans_open_a_second_bit_byte() {
    let bytes = written(|w| {
        for _ in 0..9 {
            w.bool(true);
        }
    });
    assert_eq!(bytes, [0xFF, 0x01]);

    // The second bit byte opens where the ninth bit is written.
    let bytes = written(|w| {
        w.bool(true);
        w.u8(0x2A);
        for _ in 0..7 {
            w.bool(true);
        }
        w.u8(0x2B);
        w.bool(true);
    });
    assert_eq!(bytes, [0xFF, 0x2A, 0x2B, 0x01]);

    let mut r = Reader::new(&bytes);
    assert_eq!(r.bool(), Ok(true));
    assert_eq!(r.u8(), Ok(0x2A));
    for _ in 0..7 {
        assert_eq!(r.bool(), Ok(true));
    }
    assert_eq!(r.u8(), Ok(0x2B));
    assert_eq!(r.bool(), Ok(true));
    assert!(r.is_empty());
}

#[test]
fn bit_fields_are_lsb_first_and_cross_bit_bytes() {
    let bytes = written(|w| {
        for _ in 0..6 {
            w.bool(true);
        }
        w.bits(0b1011, 4);
    });
    // Bits 6 and 7 of the first byte take the low two bits (1, 1); the high
    // two (1, 0 from the top: 0b10) go to bits 0 and 1 of the next.
    assert_eq!(bytes, [0xFF, 0x02]);
    let mut r = Reader::new(&bytes);
    assert_eq!(r.bits(6), Ok(0b11_1111));
    assert_eq!(r.bits(4), Ok(0b1011));

    assert_eq!(
        written(|w| w.bits(0xDEAD_BEEF, 32)),
        [0xEF, 0xBE, 0xAD, 0xDE]
    );
    assert_eq!(written(|w| w.bits(0x1FF, 9)), [0xFF, 0x01]);
    assert_eq!(written(|w| w.bits(0xFFFF_FFFF, 0)), [] as [u8; 0]);
    // Only the low `count` bits are written.
    assert_eq!(written(|w| w.bits(0xFF, 3)), [0x07]);
}

/// Section 2 by the letter: a k-bit field as k single bits.
fn bit_by_bit(w: &mut Writer, value: u64, count: u32) {
    for i in 0..count {
        w.bool((value >> i) & 1 == 1);
    }
}

/// The low `count` bits of `value`.
fn low_bits(value: u64, count: u32) -> u64 {
    value & u64::MAX.checked_shr(64 - count).unwrap_or(0)
}

#[test]
fn bits64_golden_fields() {
    // 64 bits: the little-endian bytes.
    assert_eq!(
        written(|w| w.bits64(0x0123_4567_89AB_CDEF, 64)),
        [0xEF, 0xCD, 0xAB, 0x89, 0x67, 0x45, 0x23, 0x01]
    );
    // After one bit, 64 ones take the rest of that byte, seven more, and one
    // bit of a ninth.
    let bytes = written(|w| {
        w.bool(false);
        w.bits64(u64::MAX, 64);
    });
    assert_eq!(
        bytes,
        [0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]
    );
    let mut r = Reader::new(&bytes);
    assert_eq!(r.bool(), Ok(false));
    assert_eq!(r.bits64(64), Ok(u64::MAX));
    assert_eq!(r.finish(), Ok(()));
    // 33 bits, past what `bits` holds.
    assert_eq!(
        written(|w| w.bits64(1 << 32 | 0xDEAD_BEEF, 33)),
        [0xEF, 0xBE, 0xAD, 0xDE, 0x01]
    );
    // Only the low `count` bits are written; 0 bits write nothing.
    assert_eq!(written(|w| w.bits64(u64::MAX, 3)), [0x07]);
    assert_eq!(written(|w| w.bits64(u64::MAX, 0)), [] as [u8; 0]);
    // `bits` is `bits64` on 32 bits and less.
    assert_eq!(
        written(|w| w.bits(0xDEAD_BEEF, 32)),
        written(|w| w.bits64(0xDEAD_BEEF, 32))
    );

    // Interleaved with byte values: the fields fill the bit byte where it
    // was opened, and a field that does not fit opens the next one at the
    // end of the output.
    let bytes = written(|w| {
        w.bits64(0b101, 3); // byte 0, bits 0-2
        w.u8(0xAA); // byte 1
        w.bits64(0x3FF, 10); // byte 0, bits 3-7; then byte 2, bits 0-4
        w.u16(0x1234); // bytes 3 and 4
        w.bits64(1, 1); // byte 2, bit 5
    });
    assert_eq!(bytes, [0xFD, 0xAA, 0x3F, 0x34, 0x12]);
    let mut r = Reader::new(&bytes);
    assert_eq!(r.bits64(3), Ok(0b101));
    assert_eq!(r.u8(), Ok(0xAA));
    assert_eq!(r.bits64(10), Ok(0x3FF));
    assert_eq!(r.u16(), Ok(0x1234));
    assert_eq!(r.bits64(1), Ok(1));
    assert_eq!(r.finish(), Ok(()));
}

#[test]
fn bits64_reads_what_it_needs_and_no_more() {
    // 0 bits read no byte.
    let mut r = Reader::new(&[]);
    assert_eq!(r.bits64(0), Ok(0));
    assert_eq!(r.finish(), Ok(()));
    // A field running past the end is a decode error.
    assert_eq!(
        Reader::new(&[0xFF; 7]).bits64(57),
        Err(DecodeError::UnexpectedEnd {
            needed: 8,
            remaining: 7
        })
    );
    let mut r = Reader::new(&[0xFF; 8]);
    assert_eq!(r.bits64(57), Ok(low_bits(u64::MAX, 57)));
    // The last bit byte is open: 7 bits left in it, then the input ends.
    assert_eq!(r.bits64(7), Ok(0x7F));
    assert!(r.is_empty());
    assert!(r.bits64(1).is_err());
}

#[test]
fn bits64_fields_of_every_width_cross_bit_bytes() {
    let value = 0xA5C3_96F0_1E2D_4B78u64;
    for count in 1..=64u32 {
        for before in 0..8u32 {
            // `before` bits, a byte, the field, a byte, a closing bit.
            let write = |w: &mut Writer, field: &dyn Fn(&mut Writer)| {
                for i in 0..before {
                    w.bool(i % 2 == 0);
                }
                w.u8(0x11);
                field(w);
                w.u8(0x22);
                w.bool(true);
            };
            let bytes = written(|w| write(w, &|w| w.bits64(value, count)));
            let expected = written(|w| write(w, &|w| bit_by_bit(w, value, count)));
            assert_eq!(bytes, expected, "{count} bits after {before}");
            let bits = (before + count + 1) as usize;
            assert_eq!(
                bytes.len(),
                2 + bits.div_ceil(8),
                "{count} bits after {before}"
            );

            let mut r = Reader::new(&bytes);
            for i in 0..before {
                assert_eq!(r.bool(), Ok(i % 2 == 0));
            }
            assert_eq!(r.u8(), Ok(0x11));
            assert_eq!(
                r.bits64(count),
                Ok(low_bits(value, count)),
                "{count} bits after {before}"
            );
            assert_eq!(r.u8(), Ok(0x22));
            assert_eq!(r.bool(), Ok(true));
            assert_eq!(r.finish(), Ok(()));
        }
    }
}

#[test]
fn golden_packed_integers() {
    // Section 4.1: an integer whose declared range spans fewer bits than its
    // kind's width is `value - min` in a field of the span's bit length,
    // as generated code writes it.
    // `u16(1..999)` holding 500: 499 = 0b1_1111_0011 in 10 bits.
    assert_eq!(written(|w| w.bits64(500 - 1, 10)), [0xF3, 0x01]);
    // `i32(-5..5)`: 4 bits; -5 is 0, 5 is 10.
    assert_eq!(written(|w| w.bits64((-5i64 + 5) as u64, 4)), [0x00]);
    assert_eq!(written(|w| w.bits64((5i64 + 5) as u64, 4)), [0x0A]);
    // `{ hp: u8(0..100), alive: boolean }` with hp 100, alive: one byte,
    // 100 | 1 << 7.
    let bytes = written(|w| {
        w.bits64(100, 7);
        w.bool(true);
    });
    assert_eq!(bytes, [0xE4]);
    let mut r = Reader::new(&bytes);
    assert_eq!(r.bits64(7), Ok(100));
    assert_eq!(r.bool(), Ok(true));
    assert_eq!(r.finish(), Ok(()));
    assert_eq!(check_int(100, Some(0), Some(100)), Ok(()));
    // A 7-bit field holds up to 127: the decoder's range check is what
    // rejects 101 to 127.
    assert!(check_int(i128::from(0x7Fu8), Some(0), Some(100)).is_err());
}

#[test]
fn each_message_starts_a_fresh_bit_state() {
    let mut w = Writer::new();
    w.start_message();
    w.bool(true);
    w.start_message();
    w.bool(true);
    assert_eq!(w.as_bytes(), [0x01, 0x01]);

    let mut w = Writer::new();
    w.bool(true);
    w.bool(true);
    assert_eq!(w.as_bytes(), [0x03]);

    let bytes = [0x01, 0x01];
    let mut r = Reader::new(&bytes);
    r.start_message();
    assert_eq!(r.bool(), Ok(true));
    r.start_message();
    assert_eq!(r.bool(), Ok(true));
    assert!(r.is_empty());
}

#[test]
fn unused_bits_are_ignored_by_the_decoder() {
    let bytes = [0xFE];
    let mut r = Reader::new(&bytes);
    assert_eq!(r.bool(), Ok(false));
    assert_eq!(r.finish(), Ok(()));
}

#[test]
fn enum_tags_take_ceil_log2_bits() {
    let expected = [
        (0, 0),
        (1, 0),
        (2, 1),
        (3, 2),
        (4, 2),
        (5, 3),
        (8, 3),
        (9, 4),
        (16, 4),
        (17, 5),
        (256, 8),
        (257, 9),
        (u32::MAX, 32),
    ];
    for (count, bits) in expected {
        assert_eq!(tag_bits(count), bits, "{count} variants");
    }
    assert_eq!(written(|w| w.tag(2, 3)), [0x02]);
    assert_eq!(written(|w| w.tag(0, 1)), [] as [u8; 0]);
    assert_eq!(written(|w| w.tag(5, 9)), [0x05]);
}

// ---------------------------------------------------------------------------
// Golden bytes: length prefixes (section 3).

fn prefix_of(len: usize, range: LenRange) -> Vec<u8> {
    written(|w| {
        if let Err(err) = w.len(len, range) {
            panic!("{err}");
        }
    })
}

#[test]
fn prefix_width_follows_the_range() {
    assert_eq!(LenRange::exact(8).prefix(), Prefix::Bits(0));
    assert_eq!(LenRange::up_to(1).prefix(), Prefix::Bits(1));
    assert_eq!(LenRange::up_to(4).prefix(), Prefix::Bits(3));
    assert_eq!(LenRange::up_to(255).prefix(), Prefix::Bits(8));
    assert_eq!(LenRange::new(1, Some(256)).prefix(), Prefix::Bits(8));
    assert_eq!(LenRange::up_to(256).prefix(), Prefix::Bits(9));
    assert_eq!(LenRange::up_to(0xFFFF).prefix(), Prefix::Bits(16));
    assert_eq!(LenRange::up_to(0x1_0000).prefix(), Prefix::Bits(17));
    assert_eq!(LenRange::up_to(u32::MAX).prefix(), Prefix::Bits(32));
    assert_eq!(LenRange::new(2, Some(20)).prefix(), Prefix::Bits(5));
    assert_eq!(LenRange::up_to(64).prefix(), Prefix::Bits(7));
    assert_eq!(
        LenRange::new(u32::MAX, Some(u32::MAX)).prefix(),
        Prefix::Bits(0)
    );
    assert_eq!(LenRange::UNBOUNDED.prefix(), Prefix::Varint);
    assert_eq!(LenRange::new(7, None).prefix(), Prefix::Varint);
    // The width is the bit length of the span.
    for (span, bits) in [
        (0, 0),
        (1, 1),
        (2, 2),
        (3, 2),
        (4, 3),
        (8, 4),
        (18, 5),
        (64, 7),
        (255, 8),
        (256, 9),
        (u64::from(u32::MAX), 32),
        (u64::MAX, 64),
    ] {
        assert_eq!(span_bits(span), bits, "span {span}");
    }
}

#[test]
fn golden_length_prefixes() {
    // No field: max == min.
    assert_eq!(prefix_of(8, LenRange::exact(8)), [] as [u8; 0]);
    // A bounded range: `len - min` as a field of the span's bit length, in
    // bit bytes, least significant bit first.
    // `..64`: 7 bits holding 2.
    assert_eq!(prefix_of(2, LenRange::up_to(64)), [0x02]);
    // `2..10`: span 8, 4 bits holding 1.
    assert_eq!(prefix_of(3, LenRange::new(2, Some(10))), [0x01]);
    // `..1`: 1 bit.
    assert_eq!(prefix_of(1, LenRange::up_to(1)), [0x01]);
    // `..255`: 8 bits, one whole bit byte.
    assert_eq!(prefix_of(255, LenRange::up_to(255)), [0xFF]);
    // `..256`: 9 bits, so a second bit byte holds bit 8.
    assert_eq!(prefix_of(255, LenRange::up_to(256)), [0xFF, 0x00]);
    assert_eq!(prefix_of(256, LenRange::up_to(256)), [0x00, 0x01]);
    // `10..1000`: span 990, 10 bits holding 290 = 0b1_0010_0010.
    assert_eq!(prefix_of(300, LenRange::new(10, Some(1000))), [0x22, 0x01]);
    // `..65535`: 16 bits.
    assert_eq!(prefix_of(0xFFFF, LenRange::up_to(0xFFFF)), [0xFF, 0xFF]);
    // `..65536`: 17 bits, three bit bytes.
    assert_eq!(
        prefix_of(0x1_0000, LenRange::up_to(0x1_0000)),
        [0x00, 0x00, 0x01]
    );
    // `..2^32 - 1`: 32 bits.
    assert_eq!(
        prefix_of(u32::MAX as usize, LenRange::up_to(u32::MAX)),
        [0xFF, 0xFF, 0xFF, 0xFF]
    );

    // The prefix is bits of the message's bit stream: it fills the open
    // bit byte, wherever that sits. A flag, then a 7-bit length 2: one byte,
    // 1 | 2 << 1.
    let bytes = written(|w| {
        w.bool(true);
        assert_eq!(w.len(2, LenRange::up_to(64)), Ok(()));
    });
    assert_eq!(bytes, [0x05]);
    // A flag, a byte, then a 3-bit length 3 (range `..4`): the length goes
    // into the bit byte before the byte, 1 | 3 << 1.
    let bytes = written(|w| {
        w.bool(true);
        w.u8(0xAA);
        assert_eq!(w.len(3, LenRange::up_to(4)), Ok(()));
    });
    assert_eq!(bytes, [0x07, 0xAA]);
    // Six flags, a byte, then a 7-bit length 64 = 0b100_0000: its low two
    // bits (0, 0) end the first bit byte, the high five (0b10000) open a
    // new one after the byte.
    let bytes = written(|w| {
        for _ in 0..6 {
            w.bool(true);
        }
        w.u8(0x2A);
        assert_eq!(w.len(64, LenRange::up_to(64)), Ok(()));
    });
    assert_eq!(bytes, [0x3F, 0x2A, 0x10]);
    let mut r = Reader::new(&bytes);
    assert_eq!(r.bits(6), Ok(0x3F));
    assert_eq!(r.u8(), Ok(0x2A));
    assert_eq!(r.len(LenRange::up_to(64), 0), Ok(64));
    assert_eq!(r.finish(), Ok(()));

    // Varint.
    let varint = |len| prefix_of(len, LenRange::UNBOUNDED);
    assert_eq!(varint(0), [0x00]);
    assert_eq!(varint(1), [0x01]);
    assert_eq!(varint(127), [0x7F]);
    assert_eq!(varint(128), [0x80, 0x01]);
    assert_eq!(varint(300), [0xAC, 0x02]);
    assert_eq!(varint(16383), [0xFF, 0x7F]);
    assert_eq!(varint(16384), [0x80, 0x80, 0x01]);
    assert_eq!(varint(u32::MAX as usize), [0xFF, 0xFF, 0xFF, 0xFF, 0x0F]);
    // An unbounded range with a min writes len - min.
    assert_eq!(prefix_of(130, LenRange::new(2, None)), [0x80, 0x01]);
}

#[test]
fn golden_varints_read_back() {
    for (bytes, value) in [
        (&[0x00][..], 0u32),
        (&[0x7F], 127),
        (&[0x80, 0x01], 128),
        (&[0xFF, 0x7F], 16383),
        (&[0x80, 0x80, 0x01], 16384),
        (&[0xFF, 0xFF, 0xFF, 0xFF, 0x0F], u32::MAX),
    ] {
        let mut r = Reader::new(bytes);
        assert_eq!(r.varint(), Ok(value));
        assert!(r.is_empty());
    }
}

#[test]
fn golden_strings_and_buffers() {
    // The examples of section 3. `string(..64)`: a 7-bit length (a bit byte
    // holding 2), then the bytes.
    let bytes = written(|w| w.string("hi", LenRange::up_to(64)).expect("in range"));
    assert_eq!(bytes, [0x02, 0x68, 0x69]);
    // Two `string(..8)`: their 4-bit lengths share one bit byte, 2 | 1 << 4,
    // which sits before the first string's bytes.
    let bytes = written(|w| {
        w.string("ab", LenRange::up_to(8)).expect("in range");
        w.string("c", LenRange::up_to(8)).expect("in range");
    });
    assert_eq!(bytes, [0x12, b'a', b'b', b'c']);
    let mut r = Reader::new(&bytes);
    assert_eq!(r.string(LenRange::up_to(8)).as_deref(), Ok("ab"));
    assert_eq!(r.string(LenRange::up_to(8)).as_deref(), Ok("c"));
    assert_eq!(r.finish(), Ok(()));
    let bytes = written(|w| w.string("abcdefgh", LenRange::exact(8)).expect("in range"));
    assert_eq!(bytes, b"abcdefgh");
    let long = "x".repeat(300);
    let bytes = written(|w| w.string(&long, LenRange::UNBOUNDED).expect("in range"));
    assert_eq!(bytes[..2], [0xAC, 0x02]);
    assert_eq!(bytes.len(), 302);
    let bytes = written(|w| w.buffer(&[0, 255], LenRange::UNBOUNDED).expect("in range"));
    assert_eq!(bytes, [0x02, 0x00, 0xFF]);
    // Strings are UTF-8 bytes, counted in bytes (a 2-bit length here).
    let bytes = written(|w| w.string("é", LenRange::up_to(2)).expect("in range"));
    assert_eq!(bytes, [0x02, 0xC3, 0xA9]);
    // `buffer(4)`: no length at all.
    let bytes = written(|w| {
        w.buffer(&[1, 2, 3, 4], LenRange::exact(4))
            .expect("in range")
    });
    assert_eq!(bytes, [1, 2, 3, 4]);
}

#[test]
fn golden_arrays_maps_and_optionals() {
    // `{u8}(2..10)` holding {7, 8, 9}: the example of section 3, a 4-bit
    // count (span 8) holding 1.
    let bytes = written(|w| {
        let result = write_array(w, &[7u8, 8, 9], LenRange::new(2, Some(10)), |v, w| {
            w.u8(*v);
            Ok(())
        });
        assert_eq!(result, Ok(()));
    });
    assert_eq!(bytes, [0x01, 0x07, 0x08, 0x09]);

    // `{boolean}(10)`: no prefix, 10 bits.
    let bools = [true; 10];
    let bytes = written(|w| {
        let result = write_array(w, &bools, LenRange::exact(10), |v, w| v.encode(w));
        assert_eq!(result, Ok(()));
    });
    assert_eq!(bytes, [0xFF, 0x03]);

    // `{boolean}(..4)` holding {true, false, true}: a 3-bit count 3 (1, 1,
    // 0), then the three bits (1, 0, 1): all in one byte, 0b101_011.
    let bytes = written(|w| {
        let result = write_array(w, &[true, false, true], LenRange::up_to(4), |v, w| {
            v.encode(w)
        });
        assert_eq!(result, Ok(()));
    });
    assert_eq!(bytes, [0x2B]);
    let mut r = Reader::new(&bytes);
    assert_eq!(
        read_array(&mut r, LenRange::up_to(4), 1, bool::decode),
        Ok(vec![true, false, true])
    );
    assert_eq!(r.finish(), Ok(()));

    // `{[u8]: boolean}` with one entry.
    let map = HashMap::from([(5u8, true)]);
    let bytes = written(|w| {
        let result = write_map(
            w,
            &map,
            LenRange::UNBOUNDED,
            |k, w| k.encode(w),
            |v, w| v.encode(w),
        );
        assert_eq!(result, Ok(()));
    });
    assert_eq!(bytes, [0x01, 0x05, 0x01]);

    // `u8?`.
    assert_eq!(encoded(&Some(5u8)), [0x01, 0x05]);
    assert_eq!(encoded(&None::<u8>), [0x00]);
    // `boolean??`: outer flag, inner flag, value.
    assert_eq!(encoded(&Some(Some(true))), [0x07]);
    assert_eq!(encoded(&Some(None::<bool>)), [0x01]);
    assert_eq!(encoded(&None::<Option<bool>>), [0x00]);
    // `string(..8)?`: the flag and the 4-bit length 3 share a bit byte,
    // 1 | 3 << 1.
    let bytes = written(|w| {
        let result = write_option(w, Some("hey"), |s, w| w.string(s, LenRange::up_to(8)));
        assert_eq!(result, Ok(()));
    });
    assert_eq!(bytes, [0x07, b'h', b'e', b'y']);
}

#[test]
fn golden_record_like_sequence() {
    // { id: u16, name: string(..16), alive: boolean, hp: f32?, tags: {u8} }
    let bytes = written(|w| {
        w.u16(0x0102);
        assert_eq!(w.string("ab", LenRange::up_to(16)), Ok(()));
        w.bool(true);
        assert_eq!(write_option(w, Some(&1.0f32), |v, w| v.encode(w)), Ok(()));
        assert_eq!(
            write_array(w, &[9u8], LenRange::UNBOUNDED, |v, w| v.encode(w)),
            Ok(())
        );
    });
    // The id; a bit byte opened by the 5-bit length 2 (span 16), which then
    // takes `alive` (bit 5) and the flag of `hp` (bit 6): 0b0110_0010; the
    // name; the f32; the varint count and the element.
    assert_eq!(
        bytes,
        [0x02, 0x01, 0x62, b'a', b'b', 0x00, 0x00, 0x80, 0x3F, 0x01, 0x09]
    );

    let mut r = Reader::new(&bytes);
    assert_eq!(r.u16(), Ok(0x0102));
    assert_eq!(r.string(LenRange::up_to(16)).as_deref(), Ok("ab"));
    assert_eq!(r.bool(), Ok(true));
    assert_eq!(read_option(&mut r, f32::decode), Ok(Some(1.0)));
    assert_eq!(
        read_array(&mut r, LenRange::UNBOUNDED, 8, u8::decode),
        Ok(vec![9])
    );
    assert_eq!(r.finish(), Ok(()));
}

fn decode_nothing(_: &mut Reader<'_>) -> Result<Payload, DecodeError> {
    Ok(Box::new(()))
}

/// The protocol of section 8: `Hit` is the only server → client message.
static HIT_ONLY: Protocol = Protocol {
    name: "Section 8",
    fingerprint: 8,
    to_server: &[],
    to_client: &[MessageSpec {
        name: "Hit",
        kind: MessageKind::Event {
            unreliable: false,
            ordered: false,
            rate: None,
        },
        decode: decode_nothing,
    }],
};

/// Section 8: `Hit(513, true, Point, "hi")`.
#[test]
fn worked_example_of_section_8() {
    // One message: an id of max(1, ceil(log2 1)) = 1 bit.
    let id_bits = HIT_ONLY.id_bits(Direction::ToClient);
    assert_eq!(id_bits, 1);
    let mut w = Writer::new();
    w.start_message();
    w.bits(0, id_bits); // message id 0: opens bit byte 0, bit 0
    w.u16(513); // target: bytes 1 and 2
    w.bool(true); // critical: bit 1
    w.tag(2, 3); // shape = Point (Circle, Box, Point): bits 2-3 (0, 1)
                 // tag: present, bit 4; then the length 2 in 4 bits (span 8), 0, 1, 0, 0:
                 // bits 5-7 of byte 0 take 0, 1, 0 and the last 0 opens a second bit byte
                 // after the u16; then "hi".
    let tag = write_option(&mut w, Some("hi"), |s, w| w.string(s, LenRange::up_to(8)));
    assert_eq!(tag, Ok(()));
    // Byte 0: 0b0101_1010.
    assert_eq!(w.as_bytes(), [0x5A, 0x01, 0x02, 0x00, 0x68, 0x69]);
    // 4 bytes and 1 + 1 + 2 + 1 + 4 = 9 bits: 4 + ceil(9 / 8) = 6 bytes.
    assert_eq!(w.as_bytes().len(), 4 + 9usize.div_ceil(8));
    assert!(w.instances().is_empty());

    let bytes = w.as_bytes().to_vec();
    let mut r = Reader::new(&bytes);
    r.start_message();
    assert_eq!(r.bits(id_bits), Ok(0));
    assert_eq!(r.u16(), Ok(513));
    assert_eq!(r.bool(), Ok(true));
    assert_eq!(r.tag(3, "Shape"), Ok(2));
    let tag = read_option(&mut r, |r| r.string(LenRange::up_to(8)));
    assert_eq!(tag, Ok(Some("hi".to_owned())));
    assert_eq!(r.finish(), Ok(()));
}

// ---------------------------------------------------------------------------
// Golden bytes: datatypes (section 4.7).

#[test]
fn golden_vector_and_color_datatypes() {
    assert_eq!(encoded(&v3(1.0, 2.0, 3.0)), f32s(&[1.0, 2.0, 3.0]));
    assert_eq!(encoded(&Vector2::new(-1.0, 0.5)), f32s(&[-1.0, 0.5]));
    assert_eq!(encoded(&Color3::new(1.0, 0.5, 0.0)), f32s(&[1.0, 0.5, 0.0]));
    assert_eq!(
        encoded(&Rect::new(Vector2::new(1.0, 2.0), Vector2::new(3.0, 4.0))),
        f32s(&[1.0, 2.0, 3.0, 4.0])
    );
    assert_eq!(encoded(&NumberRange::new(0.5, 2.0)), f32s(&[0.5, 2.0]));
    // Components are taken as they are, infinities included, but NaN is
    // refused both ways.
    assert_eq!(
        encoded(&v3(f32::NEG_INFINITY, f32::INFINITY, -0.0)),
        f32s(&[f32::NEG_INFINITY, f32::INFINITY, -0.0])
    );
    assert!(matches!(
        encode_message(&v3(0.0, f32::NAN, 0.0)),
        Err(EncodeError::Invalid(_))
    ));
    assert!(matches!(
        decoded::<Vector3>(&f32s(&[0.0, f32::NAN, 0.0])),
        Err(DecodeError::Invalid(_))
    ));
    assert!(matches!(
        decoded::<Color3>(&f32s(&[f32::NAN, 0.0, 0.0])),
        Err(DecodeError::Invalid(_))
    ));
}

#[test]
fn golden_udim_brickcolor_datetime() {
    assert_eq!(
        encoded(&UDim::new(0.5, -10)),
        [0x00, 0x00, 0x00, 0x3F, 0xF6, 0xFF, 0xFF, 0xFF]
    );
    assert_eq!(
        encoded(&UDim2::new(UDim::new(1.0, 2), UDim::new(0.0, -1))),
        [
            0x00, 0x00, 0x80, 0x3F, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xFF, 0xFF,
            0xFF, 0xFF
        ]
    );
    assert_eq!(encoded(&BrickColor::BrightRed), [21, 0]);
    assert_eq!(encoded(&BrickColor::MediumStoneGrey), [194, 0]);
    assert_eq!(
        decoded::<BrickColor>(&[194, 0]),
        Ok(BrickColor::MediumStoneGrey)
    );
    assert_eq!(
        encoded(&DateTime::from_unix_millis(1_700_000_000_000)),
        1_700_000_000_000i64.to_le_bytes()
    );
}

#[test]
fn golden_sequences() {
    // The keypoint count is a 5-bit field (range 2..20, span 18) holding
    // count - 2, in a bit byte before the keypoints.
    let seq = NumberSequence {
        keypoints: vec![
            NumberSequenceKeypoint::new(0.0, 1.0, 0.0),
            NumberSequenceKeypoint::new(1.0, 2.0, 0.5),
        ],
    };
    let mut expected = vec![0x00];
    expected.extend(f32s(&[0.0, 1.0, 0.0, 1.0, 2.0, 0.5]));
    assert_eq!(encoded(&seq), expected);
    assert_eq!(expected.len(), 1 + 12 * 2);

    let seq = ColorSequence {
        keypoints: vec![
            ColorSequenceKeypoint::new(0.0, Color3::new(1.0, 0.0, 0.0)),
            ColorSequenceKeypoint::new(0.5, Color3::new(0.0, 1.0, 0.0)),
            ColorSequenceKeypoint::new(1.0, Color3::new(0.0, 0.0, 1.0)),
        ],
    };
    let mut expected = vec![0x01];
    expected.extend(f32s(&[
        0.0, 1.0, 0.0, 0.0, 0.5, 0.0, 1.0, 0.0, 1.0, 0.0, 0.0, 1.0,
    ]));
    assert_eq!(encoded(&seq), expected);
    assert_eq!(expected.len(), 1 + 16 * 3);

    // The count shares its bit byte: three flags, then 20 keypoints (18 =
    // 0b10010) fill exactly one byte, 0b10010_111.
    let seq = NumberSequence {
        keypoints: (0..20)
            .map(|i| NumberSequenceKeypoint::new(i as f32 / 19.0, 0.0, 0.0))
            .collect(),
    };
    let bytes = written(|w| {
        for _ in 0..3 {
            w.bool(true);
        }
        assert_eq!(seq.encode(w), Ok(()));
    });
    assert_eq!(bytes[0], 0x97);
    assert_eq!(bytes.len(), 1 + 20 * 12);
    let mut r = Reader::new(&bytes);
    assert_eq!(r.bits(3), Ok(0b111));
    assert_eq!(NumberSequence::decode(&mut r), Ok(seq));
    assert_eq!(r.finish(), Ok(()));
}

#[test]
fn golden_cframe_identity() {
    let bytes = encoded(&CFrame::identity());
    // X, Y, Z; the bit byte holding the index 3 (qw); qx, qy, qz = 0.
    let mut expected = f32s(&[0.0, 0.0, 0.0]);
    expected.extend([0x03, 0, 0, 0, 0, 0, 0]);
    assert_eq!(bytes, expected);
    assert_eq!(bytes.len(), 19);
    assert_eq!(decoded::<CFrame>(&bytes), Ok(CFrame::identity()));
}

#[test]
fn golden_cframe_rotated_90_degrees_about_y() {
    // CFrame.new(1, 2, 3) * CFrame.Angles(0, math.pi / 2, 0), exact.
    let cf = CFrame::new(
        v3(1.0, 2.0, 3.0),
        matrix([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [-1.0, 0.0, 0.0]]),
    );
    let bytes = encoded(&cf);
    // q = (0, √½, 0, √½): qw wins the near tie by one ulp (s / 4 is exact),
    // so the index is 3 and qy = √½ is written as 32767.
    let mut expected = f32s(&[1.0, 2.0, 3.0]);
    expected.extend([0x03, 0x00, 0x00, 0xFF, 0x7F, 0x00, 0x00]);
    assert_eq!(bytes, expected);

    let back = decoded::<CFrame>(&bytes);
    let Ok(back) = back else { panic!("{back:?}") };
    assert_eq!(back.position, cf.position);
    assert!(max_rotation_error(&back.orientation, &cf.orientation) < 1e-6);
}

/// Matrices made from the quaternions (0.1, -0.2, 0.3, -0.9) and
/// (-0.8, 0.1, 0.5, 0.2), and the bytes a straight transcription of section 4.7
/// (in Python, binary64) gives for them.
#[test]
fn golden_cframe_general_rotations() {
    let bits_matrix = |rows: [[u32; 3]; 3]| matrix(rows.map(|row| row.map(f32::from_bits)));
    let cf = CFrame::new(
        v3(-5.5, 0.25, 1e6),
        bits_matrix([
            [0x3f39efd5, 0x3f06bca2, 0x3ee25b9f],
            [0xbf1c4b74, 0x3f4a1af3, 0x3d8158ed],
            [0xbea1af28, 0xbea1af28, 0x3f650d79],
        ]),
    );
    let mut expected = f32s(&[-5.5, 0.25, 1e6]);
    expected.extend([0x03, 0x6E, 0xED, 0x25, 0x25, 0x49, 0xC8]);
    assert_eq!(encoded(&cf), expected);

    let cf = CFrame::new(
        v3(0.0, 0.0, 0.0),
        bits_matrix([
            [0x3ee4c416, 0xbec415ca, 0xbf4efa8e],
            [0x3d2e4c41, 0xbf64c416, 0x3ee4c416],
            [0xbf64c416, 0xbe6fa8da, 0xbec415ca],
        ]),
    );
    let mut expected = f32s(&[0.0, 0.0, 0.0]);
    expected.extend([0x00, 0x54, 0xED, 0xA6, 0xA2, 0xA9, 0xDA]);
    assert_eq!(encoded(&cf), expected);
}

#[test]
fn cframe_bits_join_the_message_bit_stream() {
    let bytes = written(|w| {
        w.bool(true);
        assert_eq!(CFrame::identity().encode(w), Ok(()));
        w.bool(true);
    });
    // One bit byte: bit 0 the first boolean, bits 1-2 the index 3, bit 3 the
    // second boolean; then 12 + 6 bytes.
    assert_eq!(bytes.len(), 1 + 18);
    assert_eq!(bytes[0], 0b1111);

    // Degenerate matrices follow step 1 literally: the zero matrix takes the
    // last branch, q = (0, 0, 0.5, 0), index 2; a NaN matrix has a NaN
    // length and becomes the identity rotation.
    let zero = CFrame::new(v3(0.0, 0.0, 0.0), matrix([[0.0; 3]; 3]));
    let mut expected = f32s(&[0.0, 0.0, 0.0]);
    expected.extend([0x02, 0, 0, 0, 0, 0, 0]);
    assert_eq!(encoded(&zero), expected);
    let nan = CFrame::new(v3(0.0, 0.0, 0.0), matrix([[f32::NAN; 3]; 3]));
    assert_eq!(encoded(&nan), encoded(&CFrame::identity()));
}

// ---------------------------------------------------------------------------
// Golden bytes: instances (section 4.9) and `any` (section 4.10).

#[test]
fn instances_are_listed_once_at_first_reference() {
    let (a, b) = (InstanceId(100), InstanceId(7));
    let mut w = Writer::new();
    w.start_message();
    w.instance(Some(a));
    w.instance(None);
    w.instance(Some(b));
    w.start_message(); // the list is per frame, not per message
    w.instance(Some(a));
    assert_eq!(
        w.as_bytes(),
        [1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0]
    );
    assert_eq!(w.instances(), [a, b]);

    // The receiver cannot see `b`: its references decode as nil.
    let (bytes, ids) = w.take();
    let list = visible_to(&ids, |id| id != b);
    assert_eq!(list, [Some(a), None]);
    let mut r = Reader::with_instances(&bytes, &list);
    assert_eq!(r.instance(), Ok(Some(a)));
    assert_eq!(r.instance(), Ok(None));
    assert_eq!(r.required_instance(), Ok(None)); // absent, not nil
    assert_eq!(r.instance(), Ok(Some(a)));
    assert!(r.is_empty());

    assert!(w.as_bytes().is_empty());
    assert!(w.instances().is_empty());
}

#[test]
fn golden_any_values() {
    assert_eq!(encoded(&Value::Nil), [0]);
    assert_eq!(encoded(&Value::Bool(false)), [1]);
    assert_eq!(encoded(&Value::Bool(true)), [2]);
    assert_eq!(
        encoded(&Value::Number(1.0)),
        [3, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F]
    );
    assert_eq!(encoded(&Value::String("hi".into())), [4, 2, b'h', b'i']);
    assert_eq!(encoded(&Value::Buffer(vec![9])), [5, 1, 9]);
    assert_eq!(
        encoded(&Value::Array(vec![Value::Nil, Value::Bool(true)])),
        [6, 2, 0, 2]
    );
    assert_eq!(
        encoded(&Value::Map(vec![(
            Value::String("k".into()),
            Value::Bool(false)
        )])),
        [7, 1, 4, 1, b'k', 1]
    );
    assert_eq!(encoded(&Value::Instance(None)), [8, 0, 0, 0, 0]);
    let (bytes, ids) = encode_message(&Value::Instance(Some(InstanceId(5)))).expect("encodes");
    assert_eq!((bytes, ids), (vec![8, 1, 0, 0, 0], vec![InstanceId(5)]));
    let mut expected = vec![9];
    expected.extend(f32s(&[1.0, 2.0, 3.0]));
    assert_eq!(encoded(&Value::Vector3(v3(1.0, 2.0, 3.0))), expected);
    assert_eq!(encoded(&Value::BrickColor(BrickColor::White)), [13, 1, 0]);
    let mut expected = vec![20];
    expected.extend(5i64.to_le_bytes());
    assert_eq!(
        encoded(&Value::DateTime(DateTime::from_unix_millis(5))),
        expected
    );
    assert_eq!(
        encoded(&Value::EnumItem {
            enum_name: "Material".into(),
            value: 256
        }),
        [21, 8, b'M', b'a', b't', b'e', b'r', b'i', b'a', b'l', 0, 1, 0, 0]
    );
    // A CFrame in an `any` puts its index in the message's bit stream: the
    // bit byte opens after the tag and position.
    let bytes = encoded(&Value::CFrame(CFrame::identity()));
    let mut expected = vec![11];
    expected.extend(f32s(&[0.0, 0.0, 0.0]));
    expected.extend([0x03, 0, 0, 0, 0, 0, 0]);
    assert_eq!(bytes, expected);
}

// ---------------------------------------------------------------------------
// Encoding refusals.

#[test]
fn strings_and_buffers_outside_their_range_are_refused() {
    let mut w = Writer::new();
    assert_eq!(
        w.string("123456789", LenRange::up_to(8)),
        Err(EncodeError::LengthOutOfRange {
            len: 9,
            min: 0,
            max: Some(8)
        })
    );
    assert_eq!(
        w.buffer(b"ab", LenRange::new(3, None)),
        Err(EncodeError::LengthOutOfRange {
            len: 2,
            min: 3,
            max: None
        })
    );
    assert_eq!(
        w.string("abc", LenRange::exact(4)),
        Err(EncodeError::LengthOutOfRange {
            len: 3,
            min: 4,
            max: Some(4)
        })
    );
    assert_eq!(
        write_array(&mut w, &[1u8; 11], LenRange::new(2, Some(10)), |v, w| v
            .encode(w)),
        Err(EncodeError::LengthOutOfRange {
            len: 11,
            min: 2,
            max: Some(10)
        })
    );
    // Nothing was written by the refused calls.
    assert!(w.as_bytes().is_empty());
}

#[test]
fn non_finite_floats_are_refused_by_encode() {
    assert_eq!(encode_message(&f32::NAN), Err(EncodeError::NonFinite));
    assert_eq!(encode_message(&f32::INFINITY), Err(EncodeError::NonFinite));
    assert_eq!(
        encode_message(&f64::NEG_INFINITY),
        Err(EncodeError::NonFinite)
    );
    assert_eq!(encode_message(&Some(f64::NAN)), Err(EncodeError::NonFinite));
}

#[test]
fn invalid_datatypes_are_refused() {
    assert!(matches!(
        encode_message(&NumberRange::new(2.0, 1.0)),
        Err(EncodeError::Invalid(_))
    ));
    let one = NumberSequence {
        keypoints: vec![NumberSequenceKeypoint::new(0.0, 0.0, 0.0)],
    };
    assert_eq!(
        encode_message(&one),
        Err(EncodeError::LengthOutOfRange {
            len: 1,
            min: 2,
            max: Some(20)
        })
    );
    let many = ColorSequence {
        keypoints: (0..21)
            .map(|i| ColorSequenceKeypoint::new(i as f32 / 20.0, Color3::new(0.0, 0.0, 0.0)))
            .collect(),
    };
    assert_eq!(
        encode_message(&many),
        Err(EncodeError::LengthOutOfRange {
            len: 21,
            min: 2,
            max: Some(20)
        })
    );
    let unordered = NumberSequence {
        keypoints: vec![
            NumberSequenceKeypoint::new(0.0, 0.0, 0.0),
            NumberSequenceKeypoint::new(0.7, 0.0, 0.0),
            NumberSequenceKeypoint::new(0.3, 0.0, 0.0),
            NumberSequenceKeypoint::new(1.0, 0.0, 0.0),
        ],
    };
    assert!(matches!(
        encode_message(&unordered),
        Err(EncodeError::Invalid(_))
    ));
    let late_start = NumberSequence {
        keypoints: vec![
            NumberSequenceKeypoint::new(0.1, 0.0, 0.0),
            NumberSequenceKeypoint::new(1.0, 0.0, 0.0),
        ],
    };
    assert!(matches!(
        encode_message(&late_start),
        Err(EncodeError::Invalid(_))
    ));
}

fn nested(depth: usize) -> Value {
    let mut value = Value::Nil;
    for i in 0..depth {
        value = if i % 2 == 0 {
            Value::Array(vec![value])
        } else {
            Value::Map(vec![(Value::Bool(true), value)])
        };
    }
    value
}

#[test]
fn any_values_it_cannot_carry_are_refused() {
    assert!(encode_message(&nested(32)).is_ok());
    assert_eq!(
        encode_message(&nested(33)),
        Err(EncodeError::TooDeep { max: MAX_ANY_DEPTH })
    );
    assert_eq!(
        encode_message(&Value::Map(vec![(Value::Nil, Value::Nil)])),
        Err(EncodeError::InvalidMapKey)
    );
    assert_eq!(
        encode_message(&Value::Map(vec![(Value::Number(f64::NAN), Value::Nil)])),
        Err(EncodeError::InvalidMapKey)
    );
    assert_eq!(
        encode_message(&Value::Map(vec![
            (Value::Number(0.0), Value::Nil),
            (Value::Number(-0.0), Value::Nil),
        ])),
        Err(EncodeError::DuplicateMapKey)
    );
    // Tables are keys by identity: two equal ones are two keys.
    let table = Value::Array(vec![]);
    assert!(encode_message(&Value::Map(vec![
        (table.clone(), Value::Nil),
        (table, Value::Nil)
    ]))
    .is_ok());
}

#[test]
fn rollback_forgets_a_failed_message() {
    let mut w = Writer::new();
    w.start_message();
    w.bool(true);
    w.instance(Some(InstanceId(1)));
    let checkpoint = w.checkpoint();
    w.bool(true);
    w.u8(9);
    w.instance(Some(InstanceId(2)));
    w.instance(Some(InstanceId(1)));
    assert!(w.string("too long", LenRange::up_to(2)).is_err());
    w.rollback(checkpoint);
    assert_eq!(w.as_bytes(), [0x01, 1, 0, 0, 0]);
    assert_eq!(w.instances(), [InstanceId(1)]);
    // The writer carries on as if the failed part never happened.
    w.bool(true);
    w.instance(Some(InstanceId(3)));
    assert_eq!(w.as_bytes(), [0x03, 1, 0, 0, 0, 2, 0, 0, 0]);
    assert_eq!(w.instances(), [InstanceId(1), InstanceId(3)]);
}

// ---------------------------------------------------------------------------
// Range checks (section 4.1).

#[test]
fn range_checks() {
    assert_eq!(check_int(5, Some(1), Some(100)), Ok(()));
    assert_eq!(check_int(1, Some(1), Some(100)), Ok(()));
    assert_eq!(
        check_int(0, Some(1), Some(100)),
        Err(RangeError::Int {
            value: 0,
            min: Some(1),
            max: Some(100)
        })
    );
    assert_eq!(
        check_int(101, None, Some(100)),
        Err(RangeError::Int {
            value: 101,
            min: None,
            max: Some(100)
        })
    );
    assert_eq!(check_int(i128::MIN, None, None), Ok(()));

    assert_eq!(check_float(0.5, Some(0.0), Some(1.0), false), Ok(()));
    assert_eq!(
        check_float(-0.5, Some(0.0), None, false),
        Err(RangeError::Float {
            value: -0.5,
            min: Some(0.0),
            max: None
        })
    );
    assert_eq!(
        check_float(f64::NAN, None, None, false),
        Err(RangeError::NonFinite)
    );
    assert_eq!(
        check_float(f64::INFINITY, Some(0.0), None, false),
        Err(RangeError::NonFinite)
    );
    // `nonfinite`: NaN passes, infinities meet the range.
    assert_eq!(check_float(f64::NAN, Some(0.0), Some(1.0), true), Ok(()));
    assert_eq!(check_float(f64::INFINITY, Some(0.0), None, true), Ok(()));
    assert_eq!(
        check_float(f64::NEG_INFINITY, Some(0.0), None, true),
        Err(RangeError::Float {
            value: f64::NEG_INFINITY,
            min: Some(0.0),
            max: None
        })
    );
    // The `f32` range check applies to the rounded value.
    let rounded = 0.1f64 as f32;
    assert_eq!(
        check_float(f64::from(rounded), None, Some(0.1), false),
        Err(RangeError::Float {
            value: f64::from(rounded),
            min: None,
            max: Some(0.1)
        })
    );

    // The mapping into the codec errors.
    assert_eq!(
        DecodeError::from(RangeError::NonFinite),
        DecodeError::NonFinite
    );
    assert_eq!(
        EncodeError::from(RangeError::NonFinite),
        EncodeError::NonFinite
    );
    let err = RangeError::Int {
        value: 3,
        min: Some(4),
        max: None,
    };
    assert_eq!(
        DecodeError::from(err.clone()),
        DecodeError::OutOfRange(Box::new(err.clone()))
    );
    assert_eq!(
        EncodeError::from(err.clone()),
        EncodeError::OutOfRange(Box::new(err))
    );
}

/// How generated code decodes `u8(1..100)`: the raw byte, then the check.
#[test]
fn out_of_range_integers_are_rejected_via_check_int() {
    let decode = |bytes: &[u8]| -> Result<u8, DecodeError> {
        let mut r = Reader::new(bytes);
        let v = r.u8()?;
        check_int(i128::from(v), Some(1), Some(100))?;
        Ok(v)
    };
    assert_eq!(decode(&[50]), Ok(50));
    assert_eq!(
        decode(&[0]),
        Err(DecodeError::OutOfRange(Box::new(RangeError::Int {
            value: 0,
            min: Some(1),
            max: Some(100)
        })))
    );
    assert_eq!(
        decode(&[200]),
        Err(DecodeError::OutOfRange(Box::new(RangeError::Int {
            value: 200,
            min: Some(1),
            max: Some(100)
        })))
    );
}

// ---------------------------------------------------------------------------
// Hostile decoding: each rejection is its own error.

#[test]
fn input_ending_early_is_an_error() {
    assert_eq!(
        Reader::new(&[1, 2]).u32(),
        Err(DecodeError::UnexpectedEnd {
            needed: 4,
            remaining: 2
        })
    );
    assert_eq!(
        Reader::new(&[]).bool(),
        Err(DecodeError::UnexpectedEnd {
            needed: 1,
            remaining: 0
        })
    );
    assert_eq!(
        Reader::new(&[3, b'a']).string(LenRange::up_to(8)),
        Err(DecodeError::LengthExceedsInput {
            len: 3,
            remaining: 1
        })
    );
    assert_eq!(
        Reader::new(&[1]).bytes(usize::MAX),
        Err(DecodeError::UnexpectedEnd {
            needed: usize::MAX,
            remaining: 1
        })
    );
    assert_eq!(
        decoded::<CFrame>(&[0; 18]),
        Err(DecodeError::UnexpectedEnd {
            needed: 2,
            remaining: 1
        })
    );
}

#[test]
fn trailing_bytes_are_an_error_for_a_whole_message() {
    assert_eq!(
        decoded::<u8>(&[1, 2]),
        Err(DecodeError::TrailingBytes { remaining: 1 })
    );
    assert_eq!(decoded::<u8>(&[1]), Ok(1));
}

#[test]
fn four_billion_elements_fail_without_allocating() {
    let bytes = [0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x00];
    let (result, largest) = largest_allocation(|| {
        let mut r = Reader::new(&bytes);
        read_array(&mut r, LenRange::UNBOUNDED, 8, u8::decode)
    });
    assert_eq!(
        result,
        Err(DecodeError::LengthExceedsInput {
            len: u64::from(u32::MAX),
            remaining: 1
        })
    );
    assert!(largest < 4096, "allocated {largest} bytes");

    // One bit per element: 8 elements per byte left, still far too few.
    let (result, largest) = largest_allocation(|| {
        let mut r = Reader::new(&bytes);
        read_array(&mut r, LenRange::UNBOUNDED, 1, bool::decode)
    });
    assert!(matches!(
        result,
        Err(DecodeError::LengthExceedsInput { .. })
    ));
    assert!(largest < 4096, "allocated {largest} bytes");

    // Elements of no size: the count is capped.
    let (result, largest) = largest_allocation(|| {
        let mut r = Reader::new(&bytes);
        read_array(&mut r, LenRange::UNBOUNDED, 0, |_| Ok(()))
    });
    assert_eq!(
        result,
        Err(DecodeError::TooManyElements {
            len: u64::from(u32::MAX),
            cap: ZERO_SIZE_CAP
        })
    );
    assert!(largest < 4096, "allocated {largest} bytes");

    // A map, a u32 prefix, a string, a buffer and an `any` array.
    let (result, largest) = largest_allocation(|| {
        let mut r = Reader::new(&bytes);
        read_map(&mut r, LenRange::UNBOUNDED, 2, u8::decode, u8::decode)
    });
    assert!(matches!(
        result,
        Err(DecodeError::LengthExceedsInput { .. })
    ));
    assert!(largest < 4096, "allocated {largest} bytes");

    // A 32-bit length field (range `..2^32 - 1`) holding 2^32 - 1.
    let u32_prefix = [0xFF, 0xFF, 0xFF, 0xFF, 0x00];
    let (result, largest) = largest_allocation(|| {
        let mut r = Reader::new(&u32_prefix);
        read_array(&mut r, LenRange::up_to(u32::MAX), 8, u8::decode)
    });
    assert!(matches!(
        result,
        Err(DecodeError::LengthExceedsInput { .. })
    ));
    assert!(largest < 4096, "allocated {largest} bytes");

    let (result, largest) = largest_allocation(|| Reader::new(&bytes).string(LenRange::UNBOUNDED));
    assert!(matches!(
        result,
        Err(DecodeError::LengthExceedsInput { .. })
    ));
    assert!(largest < 4096, "allocated {largest} bytes");

    let (result, largest) = largest_allocation(|| Reader::new(&bytes).buffer(LenRange::UNBOUNDED));
    assert!(matches!(
        result,
        Err(DecodeError::LengthExceedsInput { .. })
    ));
    assert!(largest < 4096, "allocated {largest} bytes");

    let any = [6, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F];
    let (result, largest) = largest_allocation(|| decoded::<Value>(&any));
    assert_eq!(
        result,
        Err(DecodeError::LengthExceedsInput {
            len: u64::from(u32::MAX),
            remaining: 0
        })
    );
    assert!(largest < 4096, "allocated {largest} bytes");
}

#[test]
fn lengths_outside_their_range_are_rejected() {
    assert_eq!(
        Reader::new(&[9]).string(LenRange::up_to(8)),
        Err(DecodeError::LengthOutOfRange {
            len: 9,
            min: 0,
            max: Some(8)
        })
    );
    // A varint above 2^32 - 1 - min.
    assert_eq!(
        Reader::new(&[0xFF, 0xFF, 0xFF, 0xFF, 0x0F]).len(LenRange::new(1, None), 0),
        Err(DecodeError::LengthOutOfRange {
            len: u64::from(u32::MAX) + 1,
            min: 1,
            max: None
        })
    );
    // A bit field can hold more than its range: a 7-bit length up to 127
    // for `..64`, 3 bits up to 7 for `..4`, 2 bits up to 3 (a length of 5)
    // for `2..4`.
    assert_eq!(
        Reader::new(&[0x7F]).string(LenRange::up_to(64)),
        Err(DecodeError::LengthOutOfRange {
            len: 127,
            min: 0,
            max: Some(64)
        })
    );
    assert_eq!(
        Reader::new(&[0x41]).string(LenRange::up_to(64)),
        Err(DecodeError::LengthOutOfRange {
            len: 65,
            min: 0,
            max: Some(64)
        })
    );
    assert_eq!(
        read_array(
            &mut Reader::new(&[0x05]),
            LenRange::up_to(4),
            1,
            bool::decode
        ),
        Err(DecodeError::LengthOutOfRange {
            len: 5,
            min: 0,
            max: Some(4)
        })
    );
    assert_eq!(
        Reader::new(&[0x03, 1, 2, 3, 4, 5]).buffer(LenRange::new(2, Some(4))),
        Err(DecodeError::LengthOutOfRange {
            len: 5,
            min: 2,
            max: Some(4)
        })
    );
    // A keypoint count above 20: a 5-bit field above 18. It is the low 5
    // bits of its bit byte; the high three are not the count's.
    for byte in [19, 0xF3] {
        assert_eq!(
            decoded::<NumberSequence>(&[byte]),
            Err(DecodeError::LengthOutOfRange {
                len: 21,
                min: 2,
                max: Some(20)
            })
        );
    }
    assert_eq!(
        decoded::<ColorSequence>(&[255]),
        Err(DecodeError::LengthOutOfRange {
            len: 31 + 2,
            min: 2,
            max: Some(20)
        })
    );
}

#[test]
fn bad_varints_are_rejected() {
    let read = |bytes: &[u8]| Reader::new(bytes).varint();
    assert_eq!(read(&[0x80, 0x00]), Err(DecodeError::OverlongVarint));
    assert_eq!(read(&[0xFF, 0x80, 0x00]), Err(DecodeError::OverlongVarint));
    assert_eq!(
        read(&[0x80, 0x80, 0x80, 0x80, 0x00]),
        Err(DecodeError::OverlongVarint)
    );
    assert_eq!(
        read(&[0xFF, 0xFF, 0xFF, 0xFF, 0x1F]),
        Err(DecodeError::VarintOverflow)
    );
    assert_eq!(
        read(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x01]),
        Err(DecodeError::VarintOverflow)
    );
    assert_eq!(
        read(&[0x80]),
        Err(DecodeError::UnexpectedEnd {
            needed: 1,
            remaining: 0
        })
    );
    // The same through a length prefix and an `any` string.
    assert_eq!(
        Reader::new(&[0x81, 0x00]).len(LenRange::UNBOUNDED, 0),
        Err(DecodeError::OverlongVarint)
    );
    assert_eq!(
        decoded::<Value>(&[4, 0x80, 0x00]),
        Err(DecodeError::OverlongVarint)
    );
}

#[test]
fn invalid_utf8_is_rejected() {
    assert_eq!(
        Reader::new(&[2, 0xC3, 0x28]).string(LenRange::up_to(8)),
        Err(DecodeError::InvalidUtf8)
    );
    assert_eq!(
        decoded::<Value>(&[4, 1, 0xFF]),
        Err(DecodeError::InvalidUtf8)
    );
    // A buffer takes the same bytes as they are.
    assert_eq!(
        Reader::new(&[2, 0xC3, 0x28]).buffer(LenRange::up_to(8)),
        Ok(vec![0xC3, 0x28])
    );
}

#[test]
fn non_finite_floats_are_rejected_by_decode() {
    assert_eq!(
        decoded::<f32>(&f32::NAN.to_le_bytes()),
        Err(DecodeError::NonFinite)
    );
    assert_eq!(
        decoded::<f64>(&f64::INFINITY.to_le_bytes()),
        Err(DecodeError::NonFinite)
    );
    // Raw reads and `any` numbers take them as they are.
    let nan = f32::NAN.to_le_bytes();
    assert!(Reader::new(&nan).f32().is_ok_and(f32::is_nan));
    let mut any = vec![3];
    any.extend(f64::NEG_INFINITY.to_le_bytes());
    assert_eq!(decoded::<Value>(&any), Ok(Value::Number(f64::NEG_INFINITY)));
}

#[test]
fn bad_enum_tags_are_rejected() {
    // 3 variants: 2 bits; 3 is not a variant.
    assert_eq!(
        Reader::new(&[0b11]).tag(3, "Shape"),
        Err(DecodeError::UnknownTag {
            what: "Shape",
            tag: 3,
            count: 3
        })
    );
    assert_eq!(Reader::new(&[0b10]).tag(3, "Shape"), Ok(2));
    // The same read by hand with `bits`, as generated code does.
    let decode_shape = |bytes: &[u8]| -> Result<u32, DecodeError> {
        let mut r = Reader::new(bytes);
        match r.bits(2)? {
            tag @ 0..=2 => Ok(tag),
            tag => Err(DecodeError::invalid_tag("Shape", u64::from(tag), 3)),
        }
    };
    assert_eq!(decode_shape(&[0b01]), Ok(1));
    assert_eq!(
        decode_shape(&[0b11]),
        Err(DecodeError::UnknownTag {
            what: "Shape",
            tag: 3,
            count: 3
        })
    );
    // A Roblox enum of 5 items: 3 bits, 5 to 7 are not items.
    let mut r = Reader::new(&[0b0000_0101]);
    assert_eq!(
        r.tag(5, "Enum.Axis"),
        Err(DecodeError::UnknownTag {
            what: "Enum.Axis",
            tag: 5,
            count: 5
        })
    );
    // `any` tags 22 to 255 are reserved.
    assert_eq!(
        decoded::<Value>(&[22]),
        Err(DecodeError::UnknownTag {
            what: "any",
            tag: 22,
            count: 22
        })
    );
    assert_eq!(
        decoded::<Value>(&[255]),
        Err(DecodeError::UnknownTag {
            what: "any",
            tag: 255,
            count: 22
        })
    );
}

#[test]
fn bad_instance_references_are_rejected() {
    let list = [Some(InstanceId(1)), None];
    let bytes = [3, 0, 0, 0];
    assert_eq!(
        Reader::with_instances(&bytes, &list).instance(),
        Err(DecodeError::BadInstanceReference { index: 3, count: 2 })
    );
    let huge = u32::MAX.to_le_bytes();
    assert_eq!(
        Reader::with_instances(&huge, &list).instance(),
        Err(DecodeError::BadInstanceReference {
            index: u32::MAX,
            count: 2
        })
    );
    // Without a list every reference but nil is bad.
    assert_eq!(
        Reader::new(&[1, 0, 0, 0]).instance(),
        Err(DecodeError::BadInstanceReference { index: 1, count: 0 })
    );
    assert_eq!(Reader::new(&[0, 0, 0, 0]).instance(), Ok(None));
    // Nil where the type is not optional.
    assert_eq!(
        Reader::with_instances(&[0, 0, 0, 0], &list).required_instance(),
        Err(DecodeError::NilInstance)
    );
    assert_eq!(
        Reader::with_instances(&[1, 0, 0, 0], &list).required_instance(),
        Ok(Some(InstanceId(1)))
    );
    assert_eq!(
        Reader::with_instances(&[2, 0, 0, 0], &list).instance(),
        Ok(None)
    );
    assert_eq!(
        decode_message::<Value>(&[8, 9, 0, 0, 0], &list),
        Err(DecodeError::BadInstanceReference { index: 9, count: 2 })
    );
}

/// `depth` tables nested in one another, as bytes.
fn nested_bytes(depth: usize) -> Vec<u8> {
    let mut bytes = Vec::new();
    for _ in 0..depth {
        bytes.extend([6, 1]); // an array of one element
    }
    bytes.push(0);
    bytes
}

#[test]
fn any_nested_too_deep_is_rejected() {
    assert!(decoded::<Value>(&nested_bytes(32)).is_ok());
    assert_eq!(
        decoded::<Value>(&nested_bytes(33)),
        Err(DecodeError::TooDeep { max: MAX_ANY_DEPTH })
    );
    assert_eq!(
        decoded::<Value>(&nested_bytes(100_000)),
        Err(DecodeError::TooDeep { max: MAX_ANY_DEPTH })
    );
    assert_eq!(decoded::<Value>(&encoded(&nested(32))), Ok(nested(32)));
}

/// An `EnumItem` as section 4.10 writes it: the enum's name, then the
/// item's `Value`.
fn enum_item_bytes(name: &str, value: u32) -> Vec<u8> {
    let mut bytes = vec![21, name.len() as u8];
    bytes.extend(name.as_bytes());
    bytes.extend(value.to_le_bytes());
    bytes
}

#[test]
fn enum_items_the_tables_lack_are_refused_both_ways() {
    // Material.Plastic is 256; no Material has the Value 3.
    assert!(decoded::<Value>(&enum_item_bytes("Material", 256)).is_ok());
    assert_eq!(
        decoded::<Value>(&enum_item_bytes("Material", 3)),
        Err(DecodeError::UnknownEnumItem {
            enum_name: "Material",
            value: 3
        })
    );
    assert_eq!(
        decoded::<Value>(&enum_item_bytes("Nopes", 0)),
        Err(DecodeError::UnknownEnum {
            name: "Nopes".to_string()
        })
    );
    // Names are exact, as `Enum[name]` is.
    assert!(decoded::<Value>(&enum_item_bytes("material", 256)).is_err());
    for (enum_name, value) in [("Material", 3), ("Nopes", 0)] {
        let item = Value::EnumItem {
            enum_name: enum_name.to_string(),
            value,
        };
        assert!(matches!(
            encode_message(&item),
            Err(EncodeError::Invalid(_))
        ));
        // Inside a table too.
        assert!(encode_message(&Value::Array(vec![item])).is_err());
    }
}

#[test]
fn duplicate_map_keys_are_rejected() {
    // `{[u8]: u8}` with the key 1 twice.
    let bytes = [2, 1, 0, 1, 0];
    let mut r = Reader::new(&bytes);
    assert_eq!(
        read_map(&mut r, LenRange::UNBOUNDED, 16, u8::decode, u8::decode),
        Err(DecodeError::DuplicateMapKey)
    );
    let bytes = [2, 1, 0, 2, 0];
    let mut r = Reader::new(&bytes);
    assert_eq!(
        read_map(&mut r, LenRange::UNBOUNDED, 16, u8::decode, u8::decode),
        Ok(HashMap::from([(1, 0), (2, 0)]))
    );

    // `any`: the same string twice, and 0 and -0.
    let bytes = [7, 2, 4, 1, b'a', 0, 4, 1, b'a', 2];
    assert_eq!(decoded::<Value>(&bytes), Err(DecodeError::DuplicateMapKey));
    let mut bytes = vec![7, 2, 3];
    bytes.extend(0.0f64.to_le_bytes());
    bytes.extend([0, 3]);
    bytes.extend((-0.0f64).to_le_bytes());
    bytes.push(0);
    assert_eq!(decoded::<Value>(&bytes), Err(DecodeError::DuplicateMapKey));
    // Two empty tables are two keys.
    let bytes = [7, 2, 6, 0, 0, 6, 0, 0];
    assert!(decoded::<Value>(&bytes).is_ok());
    // A nil key and a NaN key.
    assert_eq!(
        decoded::<Value>(&[7, 1, 0, 0]),
        Err(DecodeError::InvalidMapKey)
    );
    let mut bytes = vec![7, 1, 3];
    bytes.extend(f64::NAN.to_le_bytes());
    bytes.push(0);
    assert_eq!(decoded::<Value>(&bytes), Err(DecodeError::InvalidMapKey));
}

#[test]
fn datatypes_roblox_refuses_are_rejected() {
    assert_eq!(
        decoded::<BrickColor>(&[0, 0]),
        Err(DecodeError::UnknownBrickColor { number: 0 })
    );
    assert_eq!(
        decoded::<NumberRange>(&f32s(&[2.0, 1.0])),
        Err(DecodeError::InvalidDatatype {
            datatype: "NumberRange",
            reason: "min is above max"
        })
    );
    let mut bytes = vec![0];
    bytes.extend(f32s(&[0.5, 0.0, 0.0, 1.0, 0.0, 0.0]));
    assert!(matches!(
        decoded::<NumberSequence>(&bytes),
        Err(DecodeError::InvalidDatatype {
            datatype: "NumberSequence",
            ..
        })
    ));
    let mut bytes = vec![0];
    bytes.extend(f32s(&[0.0, 0.0, 0.0, 0.0, 0.9, 0.0, 0.0, 0.0]));
    assert!(matches!(
        decoded::<ColorSequence>(&bytes),
        Err(DecodeError::InvalidDatatype {
            datatype: "ColorSequence",
            ..
        })
    ));
}

// ---------------------------------------------------------------------------
// Strategies.

fn any_f32() -> impl Strategy<Value = f32> {
    any::<u32>().prop_map(f32::from_bits)
}

/// A datatype component: any `f32` but NaN (section 4.7).
fn component() -> impl Strategy<Value = f32> {
    any_f32().prop_filter("not NaN", |v| !v.is_nan())
}

fn vector3() -> impl Strategy<Value = Vector3> {
    (component(), component(), component()).prop_map(|(x, y, z)| v3(x, y, z))
}

fn vector2() -> impl Strategy<Value = Vector2> {
    (component(), component()).prop_map(|(x, y)| Vector2::new(x, y))
}

fn color3() -> impl Strategy<Value = Color3> {
    (component(), component(), component()).prop_map(|(r, g, b)| Color3::new(r, g, b))
}

fn udim() -> impl Strategy<Value = UDim> {
    (component(), any::<i32>()).prop_map(|(s, o)| UDim::new(s, o))
}

fn brick_color() -> impl Strategy<Value = BrickColor> {
    let all: Vec<_> = (0..=u16::MAX).filter_map(BrickColor::from_number).collect();
    proptest::sample::select(all)
}

fn number_range() -> impl Strategy<Value = NumberRange> {
    (component(), component()).prop_map(|(a, b)| {
        if a > b {
            NumberRange::new(b, a)
        } else {
            NumberRange::new(a, b)
        }
    })
}

/// 2 to 20 keypoint times from 0 to 1, never decreasing.
fn times() -> impl Strategy<Value = Vec<f32>> {
    vec(0.0f32..=1.0, 0..19).prop_map(|mut inner| {
        inner.sort_by(f32::total_cmp);
        let mut times = vec![0.0];
        times.extend(inner);
        times.push(1.0);
        times
    })
}

fn number_sequence() -> impl Strategy<Value = NumberSequence> {
    times()
        .prop_flat_map(|times| {
            let n = times.len();
            (Just(times), vec((component(), component()), n))
        })
        .prop_map(|(times, rest)| NumberSequence {
            keypoints: times
                .into_iter()
                .zip(rest)
                .map(|(t, (v, e))| NumberSequenceKeypoint::new(t, v, e))
                .collect(),
        })
}

fn color_sequence() -> impl Strategy<Value = ColorSequence> {
    times()
        .prop_flat_map(|times| {
            let n = times.len();
            (Just(times), vec(color3(), n))
        })
        .prop_map(|(times, colors)| ColorSequence {
            keypoints: times
                .into_iter()
                .zip(colors)
                .map(|(t, c)| ColorSequenceKeypoint::new(t, c))
                .collect(),
        })
}

fn unit_quaternion() -> impl Strategy<Value = [f64; 4]> {
    [-1.0f64..1.0, -1.0f64..1.0, -1.0f64..1.0, -1.0f64..1.0]
        .prop_filter("a quaternion of some length", |q| {
            q.iter().map(|c| c * c).sum::<f64>() > 1e-3
        })
}

/// How far apart the two largest components (in absolute value) of the
/// normalized `q` are.
fn tie_margin(q: [f64; 4]) -> f64 {
    let len = q.iter().map(|c| c * c).sum::<f64>().sqrt();
    let mut abs = q.map(|c| (c / len).abs());
    abs.sort_by(|a, b| b.total_cmp(a));
    abs[0] - abs[1]
}

/// Within about 3e-5 of a tie between the two largest quaternion components
/// (the quantization error of a component plus that of the rebuilt one), the
/// rotation decoded may have the other one largest, so encoding it again
/// drops the other component: the same rotation within the quantization
/// error, but other bytes. Byte-for-byte stability is checked beyond this.
const TIE_MARGIN: f64 = 1e-4;

/// A CFrame and the tie margin of its rotation.
fn cframe_with_margin() -> impl Strategy<Value = (CFrame, f64)> {
    (-1e6f32..1e6, -1e6f32..1e6, -1e6f32..1e6, unit_quaternion())
        .prop_map(|(x, y, z, q)| (CFrame::new(v3(x, y, z), rotation(q)), tie_margin(q)))
}

/// A CFrame that has been through the wire once, so it survives it exactly.
fn quantized_cframe() -> impl Strategy<Value = CFrame> {
    cframe_with_margin()
        .prop_filter("away from a tie", |(_, margin)| *margin >= TIE_MARGIN)
        .prop_map(|(cf, _)| {
            let bytes = encoded(&cf);
            decoded::<CFrame>(&bytes).unwrap_or(cf)
        })
}

fn leaf_value() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Nil),
        any::<bool>().prop_map(Value::Bool),
        any::<u64>().prop_map(|bits| Value::Number(f64::from_bits(bits))),
        any::<f64>().prop_map(Value::Number),
        ".{0,12}".prop_map(Value::String),
        vec(any::<u8>(), 0..12).prop_map(Value::Buffer),
        proptest::option::of(0u64..6).prop_map(|id| Value::Instance(id.map(InstanceId))),
        vector3().prop_map(Value::Vector3),
        vector2().prop_map(Value::Vector2),
        quantized_cframe().prop_map(Value::CFrame),
        color3().prop_map(Value::Color3),
        brick_color().prop_map(Value::BrickColor),
        udim().prop_map(Value::UDim),
        (udim(), udim()).prop_map(|(x, y)| Value::UDim2(UDim2::new(x, y))),
        (vector2(), vector2()).prop_map(|(a, b)| Value::Rect(Rect::new(a, b))),
        number_range().prop_map(Value::NumberRange),
        number_sequence().prop_map(Value::NumberSequence),
        color_sequence().prop_map(Value::ColorSequence),
        any::<i64>().prop_map(|ms| Value::DateTime(DateTime::from_unix_millis(ms))),
        enum_item(),
    ]
}

/// An `EnumItem` of the tables: an enum, then one of its items.
fn enum_item() -> impl Strategy<Value = Value> {
    let enums: Vec<_> = tether_facts::roblox::ENUMS
        .iter()
        .filter(|e| !e.items.is_empty())
        .collect();
    prop::sample::select(enums).prop_flat_map(|e| {
        prop::sample::select(e.items).prop_map(move |item| Value::EnumItem {
            enum_name: e.name.to_string(),
            value: item.value,
        })
    })
}

/// Map keys distinct by construction: the entry's index as a number or a
/// string, or a table (a key by identity).
fn map_key(i: usize, kind: u8, table: Value) -> Value {
    match kind {
        0 => Value::Number(i as f64),
        1 => Value::String(format!("k{i}")),
        _ => match table {
            table @ (Value::Array(_) | Value::Map(_)) => table,
            _ => Value::Number(-(i as f64) - 1.0),
        },
    }
}

fn value() -> impl Strategy<Value = Value> {
    leaf_value().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            vec((0u8..3, inner.clone(), inner), 0..6).prop_map(|entries| {
                Value::Map(
                    entries
                        .into_iter()
                        .enumerate()
                        .map(|(i, (kind, key, value))| (map_key(i, kind, key), value))
                        .collect(),
                )
            }),
        ]
    })
}

/// One write and the read that mirrors it.
#[derive(Debug, Clone)]
enum Op {
    Start,
    Bool(bool),
    Bits(u32, u32),
    Bits64(u64, u32),
    U8(u8),
    U16(u16),
    U32(u32),
    U64(u64),
    I8(i8),
    I16(i16),
    I32(i32),
    I64(i64),
    F32(u32),
    F64(u64),
    Varint(u32),
    Str(String, LenRange),
    Buf(Vec<u8>, LenRange),
}

/// A range holding `len`.
fn range_around(len: usize) -> impl Strategy<Value = LenRange> {
    let len = len as u32;
    (0..=len, proptest::option::of(0u32..70_000)).prop_map(move |(min, extra)| {
        LenRange::new(min, extra.map(|extra| len.saturating_add(extra)))
    })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        Just(Op::Start),
        any::<bool>().prop_map(Op::Bool),
        any::<bool>().prop_map(Op::Bool),
        (any::<u32>(), 0u32..=32)
            .prop_map(|(v, n)| Op::Bits(if n == 32 { v } else { v & ((1 << n) - 1) }, n)),
        (any::<u64>(), 0u32..=64).prop_map(|(v, n)| Op::Bits64(low_bits(v, n), n)),
        any::<u8>().prop_map(Op::U8),
        any::<u16>().prop_map(Op::U16),
        any::<u32>().prop_map(Op::U32),
        any::<u64>().prop_map(Op::U64),
        any::<i8>().prop_map(Op::I8),
        any::<i16>().prop_map(Op::I16),
        any::<i32>().prop_map(Op::I32),
        any::<i64>().prop_map(Op::I64),
        any::<u32>().prop_map(Op::F32),
        any::<u64>().prop_map(Op::F64),
        any::<u32>().prop_map(Op::Varint),
        ".{0,10}".prop_flat_map(|s| {
            let len = s.len();
            (Just(s), range_around(len)).prop_map(|(s, r)| Op::Str(s, r))
        }),
        vec(any::<u8>(), 0..10).prop_flat_map(|b| {
            let len = b.len();
            (Just(b), range_around(len)).prop_map(|(b, r)| Op::Buf(b, r))
        }),
    ]
}

fn write_op(w: &mut Writer, op: &Op) -> Result<(), EncodeError> {
    match op {
        Op::Start => w.start_message(),
        Op::Bool(v) => w.bool(*v),
        Op::Bits(v, n) => w.bits(*v, *n),
        Op::Bits64(v, n) => w.bits64(*v, *n),
        Op::U8(v) => w.u8(*v),
        Op::U16(v) => w.u16(*v),
        Op::U32(v) => w.u32(*v),
        Op::U64(v) => w.u64(*v),
        Op::I8(v) => w.i8(*v),
        Op::I16(v) => w.i16(*v),
        Op::I32(v) => w.i32(*v),
        Op::I64(v) => w.i64(*v),
        Op::F32(bits) => w.f32(f32::from_bits(*bits)),
        Op::F64(bits) => w.f64(f64::from_bits(*bits)),
        Op::Varint(v) => w.varint(*v),
        Op::Str(s, range) => w.string(s, *range)?,
        Op::Buf(b, range) => w.buffer(b, *range)?,
    }
    Ok(())
}

/// Reads what `op` wrote and says whether it came back the same.
fn read_op(r: &mut Reader<'_>, op: &Op) -> Result<bool, DecodeError> {
    Ok(match op {
        Op::Start => {
            r.start_message();
            true
        }
        Op::Bool(v) => r.bool()? == *v,
        Op::Bits(v, n) => r.bits(*n)? == *v,
        Op::Bits64(v, n) => r.bits64(*n)? == *v,
        Op::U8(v) => r.u8()? == *v,
        Op::U16(v) => r.u16()? == *v,
        Op::U32(v) => r.u32()? == *v,
        Op::U64(v) => r.u64()? == *v,
        Op::I8(v) => r.i8()? == *v,
        Op::I16(v) => r.i16()? == *v,
        Op::I32(v) => r.i32()? == *v,
        Op::I64(v) => r.i64()? == *v,
        Op::F32(bits) => r.f32()?.to_bits() == *bits,
        Op::F64(bits) => r.f64()?.to_bits() == *bits,
        Op::Varint(v) => r.varint()? == *v,
        Op::Str(s, range) => r.string(*range)? == *s,
        Op::Buf(b, range) => r.buffer(*range)? == *b,
    })
}

/// Bytes and bits an op writes.
fn op_size(op: &Op) -> (usize, usize) {
    // (bytes, bits) of a length prefix.
    let prefix = |len: usize, range: &LenRange| match range.prefix() {
        Prefix::Bits(bits) => (0, bits as usize),
        Prefix::Varint => {
            let value = len as u64 - u64::from(range.min);
            ((1..=5).find(|n| value < 1 << (7 * n)).unwrap_or(5), 0)
        }
    };
    let sized = |(bytes, bits): (usize, usize), content: usize| (bytes + content, bits);
    match op {
        Op::Start => (0, 0),
        Op::Bool(_) => (0, 1),
        Op::Bits(_, n) | Op::Bits64(_, n) => (0, *n as usize),
        Op::U8(_) | Op::I8(_) => (1, 0),
        Op::U16(_) | Op::I16(_) => (2, 0),
        Op::U32(_) | Op::I32(_) | Op::F32(_) => (4, 0),
        Op::U64(_) | Op::I64(_) | Op::F64(_) => (8, 0),
        Op::Varint(v) => (
            (1..=5).find(|n| u64::from(*v) < 1 << (7 * n)).unwrap_or(5),
            0,
        ),
        Op::Str(s, range) => sized(prefix(s.len(), range), s.len()),
        Op::Buf(b, range) => sized(prefix(b.len(), range), b.len()),
    }
}

/// A hostile read: whatever the bytes, it must return, not panic.
#[derive(Debug, Clone)]
enum ReadOp {
    Start,
    Bool,
    Bits(u32),
    Bits64(u32),
    Tag(u32),
    U8,
    U16,
    U32,
    U64,
    F32,
    F64,
    Bytes(usize),
    Varint,
    Len(LenRange, usize),
    LenBits(LenRange, u32),
    Str(LenRange),
    Buf(LenRange),
    Instance,
    RequiredInstance,
    Array(LenRange, u32),
    Map(LenRange, u32),
    Optional,
    Value,
    CFrame,
    BrickColor,
    NumberRange,
    NumberSequence,
    ColorSequence,
    Finish,
}

fn any_range() -> impl Strategy<Value = LenRange> {
    prop_oneof![
        Just(LenRange::UNBOUNDED),
        (any::<u32>(), proptest::option::of(any::<u32>()))
            .prop_map(|(min, max)| LenRange::new(min, max)),
        (0u32..4, proptest::option::of(0u32..300)).prop_map(|(min, max)| LenRange::new(min, max)),
    ]
}

fn read_op_strategy() -> impl Strategy<Value = ReadOp> {
    prop_oneof![
        Just(ReadOp::Start),
        Just(ReadOp::Bool),
        (0u32..=32).prop_map(ReadOp::Bits),
        (0u32..=64).prop_map(ReadOp::Bits64),
        any::<u32>().prop_map(ReadOp::Tag),
        Just(ReadOp::U8),
        Just(ReadOp::U16),
        Just(ReadOp::U32),
        Just(ReadOp::U64),
        Just(ReadOp::F32),
        Just(ReadOp::F64),
        any::<usize>().prop_map(ReadOp::Bytes),
        (0usize..8).prop_map(ReadOp::Bytes),
        Just(ReadOp::Varint),
        (any_range(), any::<usize>()).prop_map(|(r, n)| ReadOp::Len(r, n)),
        (any_range(), any::<u32>()).prop_map(|(r, n)| ReadOp::LenBits(r, n)),
        any_range().prop_map(ReadOp::Str),
        any_range().prop_map(ReadOp::Buf),
        Just(ReadOp::Instance),
        Just(ReadOp::RequiredInstance),
        (any_range(), 0u32..17).prop_map(|(r, n)| ReadOp::Array(r, n)),
        (any_range(), 0u32..17).prop_map(|(r, n)| ReadOp::Map(r, n)),
        Just(ReadOp::Optional),
        Just(ReadOp::Value),
        Just(ReadOp::Value),
        Just(ReadOp::CFrame),
        Just(ReadOp::BrickColor),
        Just(ReadOp::NumberRange),
        Just(ReadOp::NumberSequence),
        Just(ReadOp::ColorSequence),
        Just(ReadOp::Finish),
    ]
}

fn hostile_read(r: &mut Reader<'_>, op: &ReadOp) -> Result<(), DecodeError> {
    match op {
        ReadOp::Start => r.start_message(),
        ReadOp::Bool => {
            let _ = r.bool()?;
        }
        ReadOp::Bits(n) => {
            let _ = r.bits(*n)?;
        }
        ReadOp::Bits64(n) => {
            let _ = r.bits64(*n)?;
        }
        ReadOp::Tag(n) => {
            let _ = r.tag(*n, "enum")?;
        }
        ReadOp::U8 => {
            let _ = r.u8()?;
        }
        ReadOp::U16 => {
            let _ = r.u16()?;
        }
        ReadOp::U32 => {
            let _ = r.u32()?;
        }
        ReadOp::U64 => {
            let _ = r.u64()?;
        }
        ReadOp::F32 => {
            let _ = f32::decode(r)?;
        }
        ReadOp::F64 => {
            let _ = f64::decode(r)?;
        }
        ReadOp::Bytes(n) => {
            let _ = r.bytes(*n)?;
        }
        ReadOp::Varint => {
            let _ = r.varint()?;
        }
        ReadOp::Len(range, n) => {
            let _ = r.len(*range, *n)?;
        }
        ReadOp::LenBits(range, n) => {
            let _ = r.len_bits(*range, *n)?;
        }
        ReadOp::Str(range) => {
            let _ = r.string(*range)?;
        }
        ReadOp::Buf(range) => {
            let _ = r.buffer(*range)?;
        }
        ReadOp::Instance => {
            let _ = r.instance()?;
        }
        ReadOp::RequiredInstance => {
            let _ = r.required_instance()?;
        }
        ReadOp::Array(range, bits) => {
            let each = |r: &mut Reader<'_>| r.bits((*bits).min(16));
            let _ = read_array(r, *range, *bits, each)?;
        }
        ReadOp::Map(range, bits) => {
            let _ = read_map(r, *range, *bits, |r| r.u8(), |r| r.bool())?;
        }
        ReadOp::Optional => {
            let _ = read_option(r, |r| r.string(LenRange::up_to(8)))?;
        }
        ReadOp::Value => {
            let _ = Value::decode(r)?;
        }
        ReadOp::CFrame => {
            let _ = CFrame::decode(r)?;
        }
        ReadOp::BrickColor => {
            let _ = BrickColor::decode(r)?;
        }
        ReadOp::NumberRange => {
            let _ = NumberRange::decode(r)?;
        }
        ReadOp::NumberSequence => {
            let _ = NumberSequence::decode(r)?;
        }
        ReadOp::ColorSequence => {
            let _ = ColorSequence::decode(r)?;
        }
        ReadOp::Finish => r.finish()?,
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Round trips.

macro_rules! round_trips {
    ($($name:ident: $ty:ty = $strategy:expr;)*) => {
        proptest! {
            $(
                #[test]
                fn $name(v in $strategy) {
                    let bytes = encoded(&v);
                    let back = decoded::<$ty>(&bytes);
                    prop_assert!(back.as_ref().is_ok_and(|back| same(back, &v)), "{:?} came back as {:?}", v, back);
                }
            )*
        }
    };
}

round_trips! {
    round_trip_bool: bool = any::<bool>();
    round_trip_u8: u8 = any::<u8>();
    round_trip_u16: u16 = any::<u16>();
    round_trip_u32: u32 = any::<u32>();
    round_trip_u64: u64 = any::<u64>();
    round_trip_i8: i8 = any::<i8>();
    round_trip_i16: i16 = any::<i16>();
    round_trip_i32: i32 = any::<i32>();
    round_trip_i64: i64 = any::<i64>();
    round_trip_f32: f32 = any_f32().prop_filter("finite", |v| v.is_finite());
    round_trip_f64: f64 = any::<u64>().prop_map(f64::from_bits).prop_filter("finite", |v| v.is_finite());
    round_trip_optional: Option<Option<u16>> = proptest::option::of(proptest::option::of(any::<u16>()));
    round_trip_vector3: Vector3 = vector3();
    round_trip_vector2: Vector2 = vector2();
    round_trip_color3: Color3 = color3();
    round_trip_brick_color: BrickColor = brick_color();
    round_trip_udim: UDim = udim();
    round_trip_udim2: UDim2 = (udim(), udim()).prop_map(|(x, y)| UDim2::new(x, y));
    round_trip_rect: Rect = (vector2(), vector2()).prop_map(|(a, b)| Rect::new(a, b));
    round_trip_number_range: NumberRange = number_range();
    round_trip_number_sequence: NumberSequence = number_sequence();
    round_trip_color_sequence: ColorSequence = color_sequence();
    round_trip_date_time: DateTime = any::<i64>().prop_map(DateTime::from_unix_millis);
    round_trip_quantized_cframe: CFrame = quantized_cframe();
}

proptest! {
    #[test]
    fn raw_floats_round_trip_bit_for_bit(a in any::<u32>(), b in any::<u64>()) {
        let bytes = written(|w| {
            w.f32(f32::from_bits(a));
            w.f64(f64::from_bits(b));
        });
        let mut r = Reader::new(&bytes);
        prop_assert_eq!(r.f32().map(f32::to_bits), Ok(a));
        prop_assert_eq!(r.f64().map(f64::to_bits), Ok(b));
    }

    /// Any interleaving of bits and byte values reads back, in
    /// `B + ceil(b / 8)` bytes per message.
    #[test]
    fn interleaved_writes_read_back(ops in vec(op(), 0..40)) {
        let mut w = Writer::new();
        w.start_message();
        for op in &ops {
            prop_assert_eq!(write_op(&mut w, op), Ok(()));
        }
        let (mut total, mut bytes, mut bits) = (0usize, 0usize, 0usize);
        for op in &ops {
            if let Op::Start = op {
                total += bytes + bits.div_ceil(8);
                (bytes, bits) = (0, 0);
            }
            let (b, n) = op_size(op);
            bytes += b;
            bits += n;
        }
        total += bytes + bits.div_ceil(8);
        prop_assert_eq!(w.as_bytes().len(), total);

        let written = w.as_bytes().to_vec();
        let mut r = Reader::new(&written);
        r.start_message();
        for op in &ops {
            prop_assert_eq!(read_op(&mut r, op), Ok(true), "{:?}", op);
        }
        prop_assert_eq!(r.finish(), Ok(()));
    }

    #[test]
    fn strings_and_buffers_round_trip_within_their_range(
        (s, range) in ".{0,40}".prop_flat_map(|s| { let n = s.len(); (Just(s), range_around(n)) }),
        (b, brange) in vec(any::<u8>(), 0..300).prop_flat_map(|b| { let n = b.len(); (Just(b), range_around(n)) }),
    ) {
        let bytes = written(|w| {
            assert_eq!(w.string(&s, range), Ok(()));
            assert_eq!(w.buffer(&b, brange), Ok(()));
        });
        let mut r = Reader::new(&bytes);
        prop_assert_eq!(r.string(range), Ok(s));
        prop_assert_eq!(r.buffer(brange), Ok(b));
        prop_assert!(r.is_empty());
    }

    #[test]
    fn arrays_maps_and_optionals_round_trip(
        items in vec(proptest::option::of(any::<i16>()), 0..50),
        flags in vec(any::<bool>(), 0..70),
        map in proptest::collection::hash_map(".{0,6}", any::<bool>(), 0..20),
        opt in proptest::option::of(".{0,6}"),
    ) {
        let range = LenRange::new(0, Some(60));
        let mut w = Writer::new();
        w.start_message();
        prop_assert_eq!(write_array(&mut w, &items, range, |v, w| v.encode(w)), Ok(()));
        prop_assert_eq!(write_array(&mut w, &flags, LenRange::UNBOUNDED, |v, w| v.encode(w)), Ok(()));
        prop_assert_eq!(
            write_map(&mut w, &map, LenRange::up_to(1000), |k, w| w.string(k, LenRange::UNBOUNDED), |v, w| v.encode(w)),
            Ok(())
        );
        prop_assert_eq!(
            write_option(&mut w, opt.as_deref(), |s, w| w.string(s, LenRange::up_to(24))),
            Ok(())
        );
        let bytes = w.as_bytes().to_vec();
        let mut r = Reader::new(&bytes);
        r.start_message();
        // `i16?` is 1 bit at the smallest; a boolean 1 bit; a map entry
        // 1 byte (empty string) + 1 bit.
        prop_assert_eq!(read_array(&mut r, range, 1, Option::<i16>::decode), Ok(items));
        prop_assert_eq!(read_array(&mut r, LenRange::UNBOUNDED, 1, bool::decode), Ok(flags));
        prop_assert_eq!(
            read_map(&mut r, LenRange::up_to(1000), 9, |r| r.string(LenRange::UNBOUNDED), bool::decode),
            Ok(map)
        );
        prop_assert_eq!(read_option(&mut r, |r| r.string(LenRange::up_to(24))), Ok(opt));
        prop_assert_eq!(r.finish(), Ok(()));
    }

    #[test]
    fn any_values_round_trip(v in value()) {
        let (bytes, ids) = match encode_message(&v) {
            Ok(out) => out,
            Err(err) => return Err(TestCaseError::fail(format!("{err}"))),
        };
        let list: Vec<_> = ids.iter().copied().map(Some).collect();
        let back = decode_message::<Value>(&bytes, &list);
        prop_assert!(back.as_ref().is_ok_and(|back| same(back, &v)), "{:?} came back as {:?}", v, back);
        // Bit for bit, NaN payloads included.
        if let Ok(back) = back {
            prop_assert_eq!(encode_message(&back).map(|(b, _)| b), Ok(bytes));
        }
    }

    /// The one lossy encoding: close, and stable after one trip.
    #[test]
    fn cframes_survive_one_quantization((cf, margin) in cframe_with_margin()) {
        let bytes = encoded(&cf);
        prop_assert_eq!(bytes.len(), 19);
        let back = decoded::<CFrame>(&bytes);
        let Ok(back) = back else {
            return Err(TestCaseError::fail(format!("{back:?}")));
        };
        prop_assert_eq!(back.position, cf.position);
        let error = max_rotation_error(&back.orientation, &cf.orientation);
        prop_assert!(error < 1e-3, "rotation error {}", error);
        let again = encoded(&back);
        if margin >= TIE_MARGIN {
            prop_assert_eq!(again, bytes);
        } else {
            // Near a tie: the second trip may write other bytes, but not
            // another rotation.
            let twice = decoded::<CFrame>(&again);
            let Ok(twice) = twice else {
                return Err(TestCaseError::fail(format!("{twice:?}")));
            };
            let error = max_rotation_error(&twice.orientation, &back.orientation);
            prop_assert!(error < 1e-3, "rotation error {}", error);
        }
    }

    /// Rotations right at a tie (every quarter turn about an axis is one)
    /// still come back close after two trips.
    #[test]
    fn cframes_at_ties_stay_close(
        signs in [any::<bool>(), any::<bool>()],
        axes in (0usize..4, 1usize..4),
        nudge in -2e-5f64..2e-5,
    ) {
        let (i, j) = (axes.0, (axes.0 + axes.1) % 4);
        let mut q = [0.0f64; 4];
        q[i] = if signs[0] { 1.0 } else { -1.0 };
        q[j] = (if signs[1] { 1.0 } else { -1.0 }) * (1.0 + nudge);
        let cf = CFrame::new(v3(0.0, 0.0, 0.0), rotation(q));
        let once = decoded::<CFrame>(&encoded(&cf));
        let Ok(once) = once else {
            return Err(TestCaseError::fail(format!("{once:?}")));
        };
        let twice = decoded::<CFrame>(&encoded(&once));
        let Ok(twice) = twice else {
            return Err(TestCaseError::fail(format!("{twice:?}")));
        };
        prop_assert!(max_rotation_error(&once.orientation, &cf.orientation) < 1e-3);
        prop_assert!(max_rotation_error(&twice.orientation, &cf.orientation) < 1e-3);
    }

    #[test]
    fn garbage_rotations_encode_without_panicking(
        position in vector3(),
        m in [any_f32(), any_f32(), any_f32(), any_f32(), any_f32(), any_f32(), any_f32(), any_f32(), any_f32()],
    ) {
        let cf = CFrame::new(position, matrix([[m[0], m[1], m[2]], [m[3], m[4], m[5]], [m[6], m[7], m[8]]]));
        let bytes = encoded(&cf);
        prop_assert_eq!(bytes.len(), 19);
        prop_assert!(decoded::<CFrame>(&bytes).is_ok());
    }

    /// Arbitrary bytes through arbitrary reads: errors, never panics.
    #[test]
    fn hostile_reads_never_panic(
        bytes in vec(any::<u8>(), 0..96),
        list in vec(proptest::option::of(any::<u64>().prop_map(InstanceId)), 0..4),
        ops in vec(read_op_strategy(), 1..24),
    ) {
        let mut r = Reader::with_instances(&bytes, &list);
        for op in &ops {
            if hostile_read(&mut r, op).is_err() {
                break;
            }
        }
        prop_assert!(r.position() <= bytes.len());
    }

    /// Arbitrary bytes as one `any`, behind a plausible tag.
    #[test]
    fn hostile_any_never_panics(tag in 0u8..24, bytes in vec(any::<u8>(), 0..128)) {
        let mut input = vec![tag];
        input.extend(bytes);
        let _ = decoded::<Value>(&input);
    }
}

/// A bit field or a byte value, for `bits64_fields_interleaved_with_bytes`.
#[derive(Debug, Clone)]
enum Piece {
    Field(u64, u32),
    Byte(u8),
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        (any::<u64>(), 0u32..=64).prop_map(|(v, n)| Piece::Field(low_bits(v, n), n)),
        (any::<u64>(), 0u32..=9).prop_map(|(v, n)| Piece::Field(low_bits(v, n), n)),
        any::<u8>().prop_map(Piece::Byte),
    ]
}

proptest! {
    /// Any interleaving of `bits64` fields and bytes writes what section 2
    /// writes one bit at a time, takes `B + ceil(b / 8)` bytes, and reads
    /// back field by field.
    #[test]
    fn bits64_fields_interleaved_with_bytes(pieces in vec(piece(), 0..40)) {
        let mut fast = Writer::new();
        let mut slow = Writer::new();
        for piece in &pieces {
            match *piece {
                Piece::Field(v, n) => {
                    fast.bits64(v, n);
                    bit_by_bit(&mut slow, v, n);
                }
                Piece::Byte(b) => {
                    fast.u8(b);
                    slow.u8(b);
                }
            }
        }
        prop_assert_eq!(fast.as_bytes(), slow.as_bytes());
        let (bytes, bits) = pieces.iter().fold((0, 0), |(bytes, bits), piece| match piece {
            Piece::Field(_, n) => (bytes, bits + *n as usize),
            Piece::Byte(_) => (bytes + 1, bits),
        });
        prop_assert_eq!(fast.as_bytes().len(), bytes + bits.div_ceil(8));

        let mut r = Reader::new(fast.as_bytes());
        for piece in &pieces {
            match *piece {
                Piece::Field(v, n) => prop_assert_eq!(r.bits64(n), Ok(v)),
                Piece::Byte(b) => prop_assert_eq!(r.u8(), Ok(b)),
            }
        }
        prop_assert_eq!(r.finish(), Ok(()));
        // Read back one bit at a time too.
        let mut r = Reader::new(fast.as_bytes());
        for piece in &pieces {
            match *piece {
                Piece::Field(v, n) => {
                    for i in 0..n {
                        prop_assert_eq!(r.bool(), Ok((v >> i) & 1 == 1));
                    }
                }
                Piece::Byte(b) => prop_assert_eq!(r.u8(), Ok(b)),
            }
        }
        prop_assert!(r.is_empty());
    }
}

proptest! {
    /// Bulk bit writing and reading give the same bytes as one bit at a
    /// time, whatever bits and bytes came before.
    #[test]
    fn bools_in_bulk_match_one_by_one(
        before in proptest::collection::vec(any::<bool>(), 0..12),
        byte in any::<Option<u8>>(),
        bits in proptest::collection::vec(any::<bool>(), 0..80),
    ) {
        let prefix = |w: &mut Writer| {
            for &b in &before {
                w.bool(b);
            }
            if let Some(byte) = byte {
                w.u8(byte);
            }
        };
        let mut one_by_one = Writer::new();
        prefix(&mut one_by_one);
        for &b in &bits {
            one_by_one.bool(b);
        }
        let mut bulk = Writer::new();
        prefix(&mut bulk);
        bulk.bools(&bits);
        prop_assert_eq!(bulk.as_bytes(), one_by_one.as_bytes());

        let mut r = Reader::new(bulk.as_bytes());
        for &b in &before {
            prop_assert_eq!(r.bool().unwrap(), b);
        }
        if let Some(byte) = byte {
            prop_assert_eq!(r.u8().unwrap(), byte);
        }
        prop_assert_eq!(r.bools(bits.len()).unwrap(), bits);
    }
}

// ---------------------------------------------------------------------------
// Columns (section 4.4): one leaf of every element of an array of flat
// records. A bit column of `n` fields of `k` bits is `n × k` consecutive
// bits, the same as `n` calls of `bits64`; a byte column is each field's
// bytes in turn.

/// Writes `values` as a column of `bits`-bit fields.
fn bit_column(w: &mut Writer, values: &[u64], bits: u32) {
    write_bit_column(w, values, bits, |&v| Ok(v)).expect("no field fails");
}

/// Reads a column of `n` fields of `bits` bits.
fn read_bits(r: &mut Reader<'_>, n: usize, bits: u32) -> Result<Vec<u64>, DecodeError> {
    let mut out = vec![0u64; n];
    read_bit_column(r, &mut out, bits, |slot, v| {
        *slot = v;
        Ok(())
    })?;
    Ok(out)
}

/// Writes `values` as a column of `u16`s.
fn u16_column(w: &mut Writer, values: &[u16]) {
    write_byte_column(w, values, |v| Ok(v.to_le_bytes())).expect("no field fails");
}

/// Reads a column of `n` `u16`s.
fn read_u16s(r: &mut Reader<'_>, n: usize) -> Result<Vec<u16>, DecodeError> {
    let mut out = vec![0u16; n];
    read_byte_column(r, &mut out, |slot, b| {
        *slot = u16::from_le_bytes(b);
        Ok(())
    })?;
    Ok(out)
}

#[test]
fn golden_bit_column_of_7_bit_fields_crosses_bit_bytes_after_a_byte_value() {
    let values = [0x7F, 0x00, 0x55, 0x2A, 0x01];
    let write = |w: &mut Writer, column: &dyn Fn(&mut Writer)| {
        w.bool(true); // opens byte 0 (bit 0)
        w.u8(0xAA); // byte 1
        column(w);
        w.u8(0xBB);
        w.bool(true);
    };
    let bytes = written(|w| write(w, &|w| bit_column(w, &values, 7)));
    assert_eq!(
        bytes,
        [
            // byte 0: the bool (bit 0); 0x7F = 1 1 1 1 1 1 1 (bits 1-7)
            0xFF, //
            0xAA, //
            // a new bit byte after 0xAA: 0x00 (bits 0-6); 0x55 =
            // 1 0 1 0 1 0 1: its first bit (bit 7)
            0x80, //
            // the rest of 0x55, 0 1 0 1 0 1 (bits 0-5); 0x2A = 0 1 0 1 0 1 0:
            // 0 1 (bits 6-7)
            0xAA, //
            // the rest of 0x2A, 0 1 0 1 0 (bits 0-4); 0x01 = 1 0 0 0 0 0 0:
            // 1 0 0 (bits 5-7)
            0x2A, //
            // the rest of 0x01, 0 0 0 0 (bits 0-3); the last bool (bit 4),
            // written after 0xBB
            0x10, //
            0xBB,
        ]
    );
    let one_by_one = written(|w| {
        write(w, &|w| {
            for &v in &values {
                w.bits64(v, 7);
            }
        })
    });
    assert_eq!(bytes, one_by_one);
    let mut r = Reader::new(&bytes);
    assert_eq!(r.bool(), Ok(true));
    assert_eq!(r.u8(), Ok(0xAA));
    assert_eq!(read_bits(&mut r, values.len(), 7), Ok(values.to_vec()));
    assert_eq!(r.u8(), Ok(0xBB));
    assert_eq!(r.bool(), Ok(true));
    assert_eq!(r.finish(), Ok(()));

    // Ten fields, 70 bits: more than the nine (63 bits) one 64-bit word
    // holds. 0x7F and 0x00 in turn: runs of seven ones and seven zeros after
    // the first bit.
    let values: Vec<u64> = (0..10).map(|i| if i % 2 == 0 { 0x7F } else { 0 }).collect();
    let bytes = written(|w| write(w, &|w| bit_column(w, &values, 7)));
    assert_eq!(
        bytes,
        [
            0xFF, // bool 1, then the first 0x7F (bits 1-7)
            0xAA, //
            0x80, // 0 0 0 0 0 0 0 | 1
            0x3F, // 1 1 1 1 1 1 | 0 0
            0xE0, // 0 0 0 0 0 | 1 1 1
            0x0F, // 1 1 1 1 | 0 0 0 0
            0xF8, // 0 0 0 | 1 1 1 1 1
            0x03, // 1 1 | 0 0 0 0 0 0
            0xFE, // 0 | 1 1 1 1 1 1 1
            0x80, // 0 0 0 0 0 0 0 (the tenth field) | the last bool
            0xBB,
        ]
    );
    let mut r = Reader::new(&bytes);
    assert_eq!(r.bool(), Ok(true));
    assert_eq!(r.u8(), Ok(0xAA));
    assert_eq!(read_bits(&mut r, values.len(), 7), Ok(values));
    assert_eq!(r.u8(), Ok(0xBB));
    assert_eq!(r.bool(), Ok(true));
    assert_eq!(r.finish(), Ok(()));
}

#[test]
fn golden_bit_column_of_64_bit_fields() {
    let values = [0x0123_4567_89AB_CDEF, u64::MAX];
    // Alone: each field's eight little-endian bytes.
    assert_eq!(
        written(|w| bit_column(w, &values, 64)),
        [
            0xEF, 0xCD, 0xAB, 0x89, 0x67, 0x45, 0x23, 0x01, //
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
        ]
    );
    // After one bit and a byte: the stream 0, then the 128 bits of the two
    // fields, is (v1 << 1) | (v2 << 65); its first byte opened before 0xAA.
    let bytes = written(|w| {
        w.bool(false);
        w.u8(0xAA);
        bit_column(w, &values, 64);
    });
    assert_eq!(
        bytes,
        [
            0xDE, // 0 (bit 0), the low 7 bits of 0xEF (bits 1-7)
            0xAA, //
            // v1 << 1 = 0x02468ACF13579BDE, its bytes 1 to 7
            0x9B, 0x57, 0x13, 0xCF, 0x8A, 0x46, 0x02, //
            0xFE, // the top bit of v1, 0 (bit 0); 7 ones of v2 (bits 1-7)
            0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, // 56 more
            0x01, // the last one (bit 0)
        ]
    );
    assert_eq!(
        bytes,
        written(|w| {
            w.bool(false);
            w.u8(0xAA);
            w.bits64(values[0], 64);
            w.bits64(values[1], 64);
        })
    );
    let mut r = Reader::new(&bytes);
    assert_eq!(r.bool(), Ok(false));
    assert_eq!(r.u8(), Ok(0xAA));
    assert_eq!(read_bits(&mut r, 2, 64), Ok(values.to_vec()));
    assert_eq!(r.finish(), Ok(()));
}

#[test]
fn golden_bit_column_of_1_bit_fields_longer_than_64() {
    // 70 booleans, 1 for every third: 1 0 0 1 0 0 1 0 | 0 1 0 0 1 0 0 1 |
    // 0 0 1 0 0 1 0 0, and again; the 70th is bit 5 of the ninth byte.
    let values: Vec<u64> = (0..70).map(|i| u64::from(i % 3 == 0)).collect();
    let bytes = written(|w| bit_column(w, &values, 1));
    assert_eq!(
        bytes,
        [0x49, 0x92, 0x24, 0x49, 0x92, 0x24, 0x49, 0x92, 0x24]
    );
    let bools: Vec<bool> = values.iter().map(|&v| v == 1).collect();
    assert_eq!(bytes, written(|w| w.bools(&bools)));
    let mut r = Reader::new(&bytes);
    assert_eq!(read_bits(&mut r, 70, 1), Ok(values.clone()));
    assert_eq!(r.finish(), Ok(()));
    // Two unused bits are left: a following bit fills the last byte.
    let bytes = written(|w| {
        bit_column(w, &values, 1);
        w.bool(true);
    });
    assert_eq!(
        bytes,
        [0x49, 0x92, 0x24, 0x49, 0x92, 0x24, 0x49, 0x92, 0x64]
    );
}

#[test]
fn empty_columns_write_and_read_nothing() {
    assert_eq!(written(|w| bit_column(w, &[], 7)), [] as [u8; 0]);
    assert_eq!(written(|w| bit_column(w, &[], 64)), [] as [u8; 0]);
    assert_eq!(written(|w| u16_column(w, &[])), [] as [u8; 0]);
    // Nothing is opened nor closed: the bits around an empty column share
    // one bit byte.
    let bytes = written(|w| {
        w.bool(true);
        bit_column(w, &[], 7);
        u16_column(w, &[]);
        w.bool(true);
    });
    assert_eq!(bytes, [0x03]);
    // No field is asked for.
    let mut w = Writer::new();
    let none: &[u64] = &[];
    write_bit_column(&mut w, none, 7, |_| -> Result<u64, EncodeError> {
        panic!("no field")
    })
    .expect("nothing to write");
    let mut r = Reader::new(&[]);
    assert_eq!(read_bits(&mut r, 0, 7), Ok(vec![]));
    assert_eq!(read_u16s(&mut r, 0), Ok(vec![]));
    assert_eq!(r.finish(), Ok(()));
    let mut r = Reader::new(&[0x03]);
    assert_eq!(r.bool(), Ok(true));
    assert_eq!(read_bits(&mut r, 0, 64), Ok(vec![]));
    assert_eq!(r.bool(), Ok(true));
}

#[test]
fn golden_byte_column_is_each_fields_bytes_in_turn() {
    let bytes = written(|w| {
        w.bool(true);
        u16_column(w, &[0x0102, 0x0304, 0xFFFE]);
        w.bool(true);
    });
    // The bit byte opened before the column takes the bit after it.
    assert_eq!(bytes, [0x03, 0x02, 0x01, 0x04, 0x03, 0xFE, 0xFF]);
    let mut r = Reader::new(&bytes);
    assert_eq!(r.bool(), Ok(true));
    assert_eq!(read_u16s(&mut r, 3), Ok(vec![0x0102, 0x0304, 0xFFFE]));
    assert_eq!(r.bool(), Ok(true));
    assert_eq!(r.finish(), Ok(()));
}

#[test]
fn columns_past_the_end_of_the_input_fail_without_panicking() {
    // Three u16s need 6 bytes; 5 are left. Nothing is read, nothing set.
    let input = [0x01, 0x02, 0x03, 0x04, 0x05];
    let mut r = Reader::new(&input);
    let mut out = [0u16; 3];
    let mut calls = 0;
    assert_eq!(
        read_byte_column(&mut r, &mut out, |slot, b| {
            calls += 1;
            *slot = u16::from_le_bytes(b);
            Ok(())
        }),
        Err(DecodeError::UnexpectedEnd {
            needed: 6,
            remaining: 5
        })
    );
    assert_eq!((calls, out), (0, [0; 3]));
    // After a bit byte and one of the fields' bytes: 4 bytes for 2 fields of
    // 8, with 3 left.
    let mut r = Reader::new(&[0x01, 0xAA, 0x01, 0x02, 0x03]);
    assert_eq!(r.bool(), Ok(true));
    assert_eq!(r.u8(), Ok(0xAA));
    let mut wide = [[0u8; 8]; 2];
    assert_eq!(
        read_byte_column(&mut r, &mut wide, |slot, b: [u8; 8]| {
            *slot = b;
            Ok(())
        }),
        Err(DecodeError::UnexpectedEnd {
            needed: 16,
            remaining: 3
        })
    );
    // Many fields over no input at all.
    let mut many = vec![0u64; 100_000];
    assert_eq!(
        read_byte_column(&mut Reader::new(&[]), &mut many, |slot, b: [u8; 8]| {
            *slot = u64::from_le_bytes(b);
            Ok(())
        }),
        Err(DecodeError::UnexpectedEnd {
            needed: 800_000,
            remaining: 0
        })
    );
    // Bit columns: three 7-bit fields need 21 bits, 3 bytes; 1 is there.
    assert_eq!(
        read_bits(&mut Reader::new(&[0xFF]), 3, 7),
        Err(DecodeError::UnexpectedEnd {
            needed: 3,
            remaining: 1
        })
    );
    assert!(read_bits(&mut Reader::new(&[0xFF; 16]), 200, 1).is_err());
    assert!(read_bits(&mut Reader::new(&[0xFF; 15]), 2, 64).is_err());
    assert_eq!(
        read_bits(&mut Reader::new(&[0xFF; 16]), 2, 64),
        Ok(vec![u64::MAX; 2])
    );
}

#[test]
fn column_errors_stop_the_column() {
    // An encoder's refusal of a field is the column's.
    let refused = EncodeError::Invalid("third".into());
    let mut w = Writer::new();
    let result = write_bit_column(&mut w, &[1u64, 2, 3, 4], 3, |&v| match v {
        3 => Err(refused.clone()),
        v => Ok(v),
    });
    assert_eq!(result, Err(refused.clone()));
    let result = write_byte_column(&mut w, &[1u16, 2, 3], |&v| match v {
        3 => Err(refused.clone()),
        v => Ok(v.to_le_bytes()),
    });
    assert_eq!(result, Err(refused));
    // A decoder's rejection of a field is the column's.
    let rejected = DecodeError::Invalid("2".into());
    let mut out = [0u64; 3];
    let result = read_bit_column(&mut Reader::new(&[0b10_01_00]), &mut out, 2, |slot, v| {
        if v == 2 {
            return Err(rejected.clone());
        }
        *slot = v;
        Ok(())
    });
    assert_eq!(result, Err(rejected.clone()));
    assert_eq!(out, [0, 1, 0]);
}

fn write_piece(w: &mut Writer, piece: &Piece) {
    match *piece {
        Piece::Field(v, n) => w.bits64(v, n),
        Piece::Byte(b) => w.u8(b),
    }
}

fn read_piece(r: &mut Reader<'_>, piece: &Piece) -> Result<(), TestCaseError> {
    match *piece {
        Piece::Field(v, n) => prop_assert_eq!(r.bits64(n), Ok(v)),
        Piece::Byte(b) => prop_assert_eq!(r.u8(), Ok(b)),
    }
    Ok(())
}

/// Bytes and bits of `pieces`.
fn piece_sizes(pieces: &[Piece]) -> (usize, usize) {
    pieces
        .iter()
        .fold((0, 0), |(bytes, bits), piece| match piece {
            Piece::Field(_, n) => (bytes, bits + *n as usize),
            Piece::Byte(_) => (bytes + 1, bits),
        })
}

proptest! {
    /// A column of k-bit fields, written after any bits and bytes, is the
    /// bytes of its fields written one by one with `bits64`, takes
    /// `B + ceil(b / 8)` bytes with the rest, and reads back.
    #[test]
    fn bit_columns_are_their_fields_one_by_one(
        before in vec(piece(), 0..12),
        bits in 1u32..=64,
        values in vec(any::<u64>(), 0..200),
        after in vec(piece(), 0..4),
    ) {
        let values: Vec<u64> = values.into_iter().map(|v| low_bits(v, bits)).collect();
        let write = |w: &mut Writer, column: &dyn Fn(&mut Writer)| {
            for piece in &before {
                write_piece(w, piece);
            }
            column(w);
            for piece in &after {
                write_piece(w, piece);
            }
        };
        let by_column = written(|w| write(w, &|w| bit_column(w, &values, bits)));
        let one_by_one = written(|w| write(w, &|w| {
            for &v in &values {
                w.bits64(v, bits);
            }
        }));
        prop_assert_eq!(&by_column, &one_by_one);
        let (bytes, other_bits) = piece_sizes(&before);
        let (more_bytes, more_bits) = piece_sizes(&after);
        let all_bits = other_bits + more_bits + values.len() * bits as usize;
        prop_assert_eq!(by_column.len(), bytes + more_bytes + all_bits.div_ceil(8));

        let mut r = Reader::new(&by_column);
        for piece in &before {
            read_piece(&mut r, piece)?;
        }
        prop_assert_eq!(read_bits(&mut r, values.len(), bits), Ok(values.clone()));
        for piece in &after {
            read_piece(&mut r, piece)?;
        }
        prop_assert_eq!(r.finish(), Ok(()));
    }

    /// A byte column is its fields' bytes in turn, wherever the bit bytes
    /// around it are, and reads back.
    #[test]
    fn byte_columns_are_their_fields_one_by_one(
        before in vec(piece(), 0..12),
        values in vec(any::<u16>(), 0..100),
        after in vec(piece(), 0..4),
    ) {
        let write = |w: &mut Writer, column: &dyn Fn(&mut Writer)| {
            for piece in &before {
                write_piece(w, piece);
            }
            column(w);
            for piece in &after {
                write_piece(w, piece);
            }
        };
        let by_column = written(|w| write(w, &|w| u16_column(w, &values)));
        let one_by_one = written(|w| write(w, &|w| {
            for &v in &values {
                w.u16(v);
            }
        }));
        prop_assert_eq!(&by_column, &one_by_one);
        let mut r = Reader::new(&by_column);
        for piece in &before {
            read_piece(&mut r, piece)?;
        }
        prop_assert_eq!(read_u16s(&mut r, values.len()), Ok(values.clone()));
        for piece in &after {
            read_piece(&mut r, piece)?;
        }
        prop_assert_eq!(r.finish(), Ok(()));
    }

    /// Cut anywhere, a column read fails (or reads what is there) without
    /// panicking.
    #[test]
    fn cut_columns_never_panic(
        bits in 1u32..=64,
        n in 0usize..100,
        input in vec(any::<u8>(), 0..64),
    ) {
        let needed = (n * bits as usize).div_ceil(8);
        let read = read_bits(&mut Reader::new(&input), n, bits);
        prop_assert_eq!(read.is_ok(), input.len() >= needed, "{} of {} bits", n, bits);
        let mut out = vec![0u32; n];
        let read = read_byte_column(&mut Reader::new(&input), &mut out, |slot, b| {
            *slot = u32::from_le_bytes(b);
            Ok(())
        });
        if input.len() >= 4 * n {
            prop_assert_eq!(read, Ok(()));
        } else {
            prop_assert_eq!(read, Err(DecodeError::UnexpectedEnd {
                needed: 4 * n,
                remaining: input.len(),
            }));
        }
    }
}

#[test]
fn a_set_is_a_count_then_its_elements_and_refuses_a_repeat() {
    use std::collections::HashSet;
    use tether_runtime::wire::{read_set, write_set};
    let mut w = Writer::new();
    let set: HashSet<u8> = HashSet::from([7]);
    assert_eq!(
        write_set(&mut w, &set, LenRange::up_to(4), u8::encode),
        Ok(())
    );
    // A 3-bit count, then the byte.
    assert_eq!(w.as_bytes(), [0x01, 0x07]);
    let bytes = w.as_bytes().to_vec();
    let mut r = Reader::new(&bytes);
    assert_eq!(read_set(&mut r, LenRange::up_to(4), 8, u8::decode), Ok(set));
    // Two elements, both 7.
    let mut r = Reader::new(&[0x02, 0x07, 0x07]);
    assert_eq!(
        read_set(&mut r, LenRange::up_to(4), 8, u8::decode),
        Err(DecodeError::DuplicateMapKey)
    );
}
