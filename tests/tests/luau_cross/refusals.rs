//! Malformed frames: the Rust client runtime and the Luau client both drop
//! the whole frame (docs/wire-format.md, section 7), count it as rejected,
//! and deliver none of its messages.

use tether_runtime::types::InstanceId;
use tether_runtime::wire::Writer;
use tether_runtime::{Channel, Packet};
use tether_tests::types as t;

use super::case::{hex, id_bits, message_id, rust_decode};
use super::harness::Cross;

/// Writes a message's body with a raw writer.
type Body<'a> = &'a dyn Fn(&mut Writer);

/// A frame whose messages are written with a raw writer: each an event's id
/// then whatever the closure writes, no checks.
fn frame(messages: &[(&str, Body<'_>)]) -> Vec<u8> {
    let mut w = Writer::new();
    for (event, body) in messages {
        w.start_message();
        let id = if *event == "unknown" {
            127
        } else {
            message_id(event)
        };
        w.bits(id, id_bits());
        body(&mut w);
    }
    w.take().0
}

fn f32s(w: &mut Writer, values: &[f32]) {
    for v in values {
        w.f32(*v);
    }
}

/// An `any` of `depth` arrays, each holding the next, around a nil.
fn nested(depth: usize) -> impl Fn(&mut Writer) {
    move |w: &mut Writer| {
        for _ in 0..depth {
            w.u8(6); // an array of one
            w.varint(1);
        }
        w.u8(0);
    }
}

/// What the Rust client runtime does with a frame: (rejected, delivered).
fn rust_receives(channel: Channel, bytes: &[u8], instances: &[InstanceId]) -> (u64, u64) {
    let client = t::Client::new();
    client.runtime().receive_packet(&Packet {
        channel,
        bytes: bytes.to_vec(),
        instances: instances.iter().copied().map(Some).collect(),
    });
    client.runtime().poll(std::time::Duration::ZERO);
    let stats = client.runtime().stats();
    // What reached the handlers: the messages of accepted frames but those
    // refused alone.
    (
        stats.rejected.total(),
        stats.messages_received - stats.messages_refused,
    )
}

/// What the Luau client does with it: (rejected, delivered).
fn luau_receives(
    cross: &mut Cross,
    channel: Channel,
    bytes: &[u8],
    instances: &[InstanceId],
) -> (u64, u64) {
    let client = cross.client_side();
    let before = cross.rejected(client);
    cross.fire_to_client(channel == Channel::Unreliable, bytes, instances);
    let rejected = u64::from(cross.rejected(client) - before);
    let delivered = cross.take_events(client).len() as u64;
    cross.take_client_frames();
    (rejected, delivered)
}

#[test]
fn malformed_frames_are_dropped_by_both_decoders() {
    let mut cross = Cross::types();
    let node = |depth: usize| {
        move |w: &mut Writer| {
            for i in 0..depth {
                w.u8(1);
                w.bool(i + 1 < depth);
            }
        }
    };
    let cases: Vec<(&str, Vec<u8>, Vec<InstanceId>)> = vec![
        // Packed integers past their range: the field can hold more.
        (
            "u8(0..100) field 127",
            frame(&[("SendU8Pct", &|w| w.bits(127, 7))]),
            vec![],
        ),
        (
            "u8(1..100) field 100",
            frame(&[("SendU8Range", &|w| w.bits(100, 7))]),
            vec![],
        ),
        (
            "u8(200..) field 63",
            frame(&[("SendU8High", &|w| w.bits(63, 6))]),
            vec![],
        ),
        (
            "i32(-5..5) field 15",
            frame(&[("SendI32Small", &|w| w.bits(15, 4))]),
            vec![],
        ),
        (
            "u16(10..1000) field 1023",
            frame(&[("SendU16Range", &|w| w.bits(1023, 10))]),
            vec![],
        ),
        (
            "i64 range field past 10^10",
            frame(&[("SendI64Range", &|w| w.bits64((1 << 34) - 1, 34))]),
            vec![],
        ),
        // Whole-byte integers below their declared minimum.
        (
            "u8(1..) holding 0",
            frame(&[("SendU8Min", &|w| w.u8(0))]),
            vec![],
        ),
        (
            "i32(-100000..) holding -100001",
            frame(&[("SendI32Min", &|w| w.i32(-100_001))]),
            vec![],
        ),
        (
            "u64(5..) holding 4",
            frame(&[("SendU64Min", &|w| w.u64(4))]),
            vec![],
        ),
        // Enum tags past the variants.
        (
            "Three tag 3",
            frame(&[("SendThree", &|w| w.bits(3, 2))]),
            vec![],
        ),
        (
            "Nine tag 9",
            frame(&[("SendNine", &|w| w.bits(9, 4))]),
            vec![],
        ),
        (
            "Shape tag 3",
            frame(&[("SendShape", &|w| w.bits(3, 2))]),
            vec![],
        ),
        (
            "Event tag 7",
            frame(&[("SendEvent", &|w| w.bits(7, 3))]),
            vec![],
        ),
        (
            "Mixed arm 3 of 3",
            frame(&[("SendMixed", &|w| w.bits(3, 2))]),
            vec![],
        ),
        (
            "Enum.KeyCode item 300",
            frame(&[("SendKey", &|w| w.bits(300, 9))]),
            vec![],
        ),
        (
            "Enum.Material item 63",
            frame(&[("SendMat", &|w| w.bits(63, 6))]),
            vec![],
        ),
        // Floats: NaN and infinities where the type is finite, out of range.
        (
            "NaN in an f32",
            frame(&[("SendF32", &|w| w.f32(f32::NAN))]),
            vec![],
        ),
        (
            "infinity in an f64",
            frame(&[("SendF64", &|w| w.f64(f64::INFINITY))]),
            vec![],
        ),
        (
            "-infinity in a number",
            frame(&[("SendNum", &|w| w.f64(f64::NEG_INFINITY))]),
            vec![],
        ),
        (
            "f64(0..1) holding 1.5",
            frame(&[("SendF64Range", &|w| w.f64(1.5))]),
            vec![],
        ),
        (
            "f32(-1.5..1.5) holding 2",
            frame(&[("SendF32Range", &|w| w.f32(2.0))]),
            vec![],
        ),
        (
            "NaN in a Vector3",
            frame(&[("SendVec3", &|w| f32s(w, &[1.0, f32::NAN, 0.0]))]),
            vec![],
        ),
        (
            "NaN in a Color3",
            frame(&[("SendRgb", &|w| f32s(w, &[f32::NAN, 0.0, 0.0]))]),
            vec![],
        ),
        // Strings that are not UTF-8, lengths out of range, varints.
        (
            "a string that is not UTF-8",
            frame(&[("SendStr", &|w| {
                w.varint(2);
                w.bytes(b"a\xFF");
            })]),
            vec![],
        ),
        (
            "a UTF-16 surrogate in UTF-8 form",
            frame(&[("SendStr", &|w| {
                w.varint(3);
                w.bytes(b"\xED\xA0\x80");
            })]),
            vec![],
        ),
        (
            "an overlong varint",
            frame(&[("SendStr", &|w| w.bytes(&[0x80, 0x00]))]),
            vec![],
        ),
        (
            "a varint of 6 bytes",
            frame(&[("SendBufAny", &|w| {
                w.bytes(&[0x80, 0x80, 0x80, 0x80, 0x80, 0x00])
            })]),
            vec![],
        ),
        (
            "string(..64) of 65 bytes",
            frame(&[("SendStrMax", &|w| {
                w.bits(65, 7);
                w.bytes(&[b'a'; 65]);
            })]),
            vec![],
        ),
        (
            "{u8}(..100) of 101",
            frame(&[("SendU8sMax", &|w| {
                w.bits(101, 7);
                w.bytes(&[0; 101]);
            })]),
            vec![],
        ),
        (
            "buffer(..1024) of 1025",
            frame(&[("SendBuf", &|w| {
                w.bits(1025, 11);
                w.bytes(&[0; 1025]);
            })]),
            vec![],
        ),
        // Input that ends early.
        (
            "a u32 of 2 bytes",
            frame(&[("SendU32", &|w| w.u16(7))]),
            vec![],
        ),
        (
            "a string shorter than its length",
            frame(&[("SendStr", &|w| {
                w.varint(5);
                w.bytes(b"ab");
            })]),
            vec![],
        ),
        (
            "an array count past the input",
            frame(&[("SendU16s", &|w| {
                w.varint(100);
                w.u16(1);
                w.u16(2);
            })]),
            vec![],
        ),
        (
            "1,000 booleans in 2 bytes",
            frame(&[("SendBools", &|w| {
                w.varint(1000);
                w.u16(0);
            })]),
            vec![],
        ),
        (
            "2^20 + 1 elements of no size",
            frame(&[("SendUnits", &|w| w.varint((1 << 20) + 1))]),
            vec![],
        ),
        // Messages the direction does not have.
        (
            "an unknown message id",
            frame(&[("unknown", &|_| {})]),
            vec![],
        ),
        // Maps with a key twice.
        (
            "a string key twice",
            frame(&[("SendStrMap", &|w| {
                w.varint(2);
                for v in [1, 2] {
                    w.varint(1);
                    w.bytes(b"k");
                    w.u32(v);
                }
            })]),
            vec![],
        ),
        (
            "an enum key twice",
            frame(&[("SendColorMap", &|w| {
                w.bits(2, 2);
                for v in [true, false] {
                    w.bits(1, 1); // Green
                    w.bool(v);
                }
            })]),
            vec![],
        ),
        // Instances.
        (
            "nil for a Player",
            frame(&[("SendWho", &|w| w.u32(0))]),
            vec![],
        ),
        // `any`.
        (
            "a reserved any tag",
            frame(&[("SendDyn", &|w| w.u8(22))]),
            vec![],
        ),
        (
            "tables in an any 33 deep",
            frame(&[("SendDyn", &nested(33))]),
            vec![],
        ),
        (
            "a nil map key in an any",
            frame(&[("SendDyn", &|w| w.bytes(&[7, 1, 0, 2]))]),
            vec![],
        ),
        (
            "a map key twice in an any",
            frame(&[("SendDyn", &|w| w.bytes(&[7, 2, 2, 1, 2, 2]))]),
            vec![],
        ),
        (
            "0 and -0, one Luau table key, in an any",
            frame(&[("SendDyn", &|w| {
                w.bytes(&[7, 2, 3]);
                w.f64(0.0);
                w.u8(2);
                w.u8(3);
                w.f64(-0.0);
                w.u8(2);
            })]),
            vec![],
        ),
        (
            "a NaN map key in an any",
            frame(&[("SendDyn", &|w| {
                w.bytes(&[7, 1, 3]);
                w.f64(f64::NAN);
                w.u8(2);
            })]),
            vec![],
        ),
        // Datatypes Roblox refuses to build.
        (
            "NumberRange min above max",
            frame(&[("SendSpan", &|w| f32s(w, &[2.0, 1.0]))]),
            vec![],
        ),
        (
            "BrickColor 0",
            frame(&[("SendBrick", &|w| w.u16(0))]),
            vec![],
        ),
        (
            "a NumberSequence of 21 keypoints",
            frame(&[("SendNumSeq", &|w| {
                w.bits(19, 5);
                for i in 0..21 {
                    f32s(w, &[i as f32 / 20.0, 0.0, 0.0]);
                }
            })]),
            vec![],
        ),
        (
            "keypoint times not starting at 0",
            frame(&[("SendNumSeq", &|w| {
                w.bits(0, 5);
                f32s(w, &[0.5, 0.0, 0.0, 1.0, 0.0, 0.0]);
            })]),
            vec![],
        ),
        (
            "keypoint times decreasing",
            frame(&[("SendColorSeq", &|w| {
                w.bits(1, 5);
                f32s(
                    w,
                    &[0.0, 0.0, 0.0, 0.0, 0.7, 0.0, 0.0, 0.0, 0.3, 0.0, 0.0, 0.0],
                );
                f32s(w, &[1.0, 0.0, 0.0, 0.0]);
            })]),
            vec![],
        ),
        // Recursion past 128 levels.
        (
            "a list of 129 nodes",
            frame(&[("SendNode", &node(129))]),
            vec![],
        ),
        // A message that cannot be read to its end drops its frame: where
        // the next would start is unknown.
        (
            "a good message, then an unknown enum tag",
            frame(&[
                ("SendBool", &|w| w.bool(true)),
                ("SendU8", &|w| w.u8(9)),
                ("SendThree", &|w| w.bits(3, 2)),
            ]),
            vec![],
        ),
        (
            "a good message, then a cut one",
            frame(&[("SendU8", &|w| w.u8(9)), ("SendU32", &|w| w.u8(1))]),
            vec![],
        ),
    ];

    let mut failures = Vec::new();
    for (what, bytes, instances) in &cases {
        let rust = rust_receives(Channel::Reliable, bytes, instances);
        let luau = luau_receives(&mut cross, Channel::Reliable, bytes, instances);
        if rust != (1, 0) || luau != (1, 0) {
            failures.push(format!(
                "{what} ({}): Rust (rejected, delivered) {rust:?}, Luau {luau:?}",
                hex(bytes)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    cross.script_errors().unwrap_or_else(|e| panic!("{e}"));
}

/// A message whose values break their type but whose bytes are all there
/// is refused alone by both decoders: the frame's other messages are
/// handled, as each `FireServer` stands alone in Roblox.
#[test]
fn a_bad_value_costs_only_its_message_in_both_decoders() {
    let mut cross = Cross::types();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "u8(1..100) field 100 between two good messages",
            frame(&[
                ("SendBool", &|w| w.bool(true)),
                ("SendU8Range", &|w| w.bits(100, 7)),
                ("SendU8", &|w| w.u8(9)),
            ]),
        ),
        (
            "a string that is not UTF-8 between two good messages",
            frame(&[
                ("SendU8", &|w| w.u8(1)),
                ("SendStr", &|w| {
                    w.varint(2);
                    w.bytes(&[0xFF, 0xFE]);
                }),
                ("SendBool", &|w| w.bool(false)),
            ]),
        ),
    ];
    let mut failures = Vec::new();
    for (what, bytes) in &cases {
        let rust = rust_receives(Channel::Reliable, bytes, &[]);
        let luau = luau_receives(&mut cross, Channel::Reliable, bytes, &[]);
        if rust != (1, 2) || luau != (1, 2) {
            failures.push(format!(
                "{what} ({}): Rust (rejected, delivered) {rust:?}, Luau {luau:?}",
                hex(bytes)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    cross.script_errors().unwrap_or_else(|e| panic!("{e}"));
}

/// The largest values in range, next to the refusals above, are taken by
/// both, as are the bits a message leaves unused whatever they hold.
#[test]
fn the_edges_of_the_refusals_are_taken_by_both() {
    let mut cross = Cross::types();
    let node = |w: &mut Writer| {
        for i in 0..128 {
            w.u8(1);
            w.bool(i + 1 < 128);
        }
    };
    let mut unused = frame(&[("SendU8Pct", &|w| w.bits(100, 7))]);
    // Id (7 bits) and value (7 bits): the last two bits of the second byte
    // are unused; set them.
    unused[1] |= 0xC0;
    let cases: Vec<(&str, Vec<u8>)> = vec![
        (
            "u8(0..100) field 100",
            frame(&[("SendU8Pct", &|w| w.bits(100, 7))]),
        ),
        ("unused bits set", unused),
        ("Nine tag 8", frame(&[("SendNine", &|w| w.bits(8, 4))])),
        (
            "Enum.KeyCode item 282",
            frame(&[("SendKey", &|w| w.bits(282, 9))]),
        ),
        (
            "infinity in an f64(nonfinite)",
            frame(&[("SendF64Nonfinite", &|w| w.f64(f64::INFINITY))]),
        ),
        (
            "infinity in a Vector3",
            frame(&[("SendVec3", &|w| f32s(w, &[f32::INFINITY, 0.0, 0.0]))]),
        ),
        (
            "2^20 elements of no size",
            frame(&[("SendUnits", &|w| w.varint(1 << 20))]),
        ),
        ("a list of 128 nodes", frame(&[("SendNode", &node)])),
        (
            "tables in an any 32 deep",
            frame(&[("SendDyn", &nested(32))]),
        ),
        (
            "a string key and a number key that print alike",
            frame(&[("SendDyn", &|w| {
                w.bytes(&[7, 2, 4, 1, b'1', 2, 3]);
                w.f64(1.0);
                w.u8(2);
            })]),
        ),
        ("an empty frame", Vec::new()),
    ];
    let mut failures = Vec::new();
    for (what, bytes) in &cases {
        let messages = u64::from(!bytes.is_empty());
        let rust = rust_receives(Channel::Reliable, bytes, &[]);
        let luau = luau_receives(&mut cross, Channel::Reliable, bytes, &[]);
        if rust != (0, messages) || luau != (0, messages) {
            failures.push(format!(
                "{what} ({}): Rust (rejected, delivered) {rust:?}, Luau {luau:?}",
                hex(bytes)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let pct: u8 = rust_decode("SendU8Pct", &cases[1].1, &[]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pct, 100);
}

/// Section 4.9: a Rust list keeps its length, so a reference past it is an
/// error; a Luau list may have holes, so Luau cannot tell and reads nil.
#[test]
fn a_reference_past_the_list_is_refused_by_rust_and_nil_in_luau() {
    let mut cross = Cross::types();
    let folder = cross.pool.folder;
    let bytes = frame(&[("SendOptPart", &|w| {
        w.bool(true);
        w.u32(2);
    })]);
    assert_eq!(rust_receives(Channel::Reliable, &bytes, &[folder]), (1, 0));
    cross.fire_to_client(false, &bytes, &[folder]);
    cross
        .expect_on_client("SendOptPart", &super::lv::Lv::Nil)
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(cross.rejected(cross.client_side()), 0);
}

/// Section 4.10: "Decoders MUST reject ... an EnumItem that
/// `Enum[name]:FromValue(value)` does not find". The Luau client asks its
/// engine's enums; the Rust runtime asks the tables of tether-facts, which
/// the mock engine's enums come from too.
#[test]
fn unknown_enum_items_in_any_are_refused_by_luau_and_by_rust() {
    let mut cross = Cross::types();
    let item = |name: &'static str, value: u32| {
        frame(&[("SendDyn", &move |w: &mut Writer| {
            w.u8(21);
            w.varint(name.len() as u32);
            w.bytes(name.as_bytes());
            w.u32(value);
        })])
    };
    for (what, bytes) in [
        ("Enum.Material has no item of Value 3", item("Material", 3)),
        ("there is no Enum.Nopes", item("Nopes", 0)),
    ] {
        let luau = luau_receives(&mut cross, Channel::Reliable, &bytes, &[]);
        assert_eq!(luau, (1, 0), "{what}: Luau");
        let rust = rust_receives(Channel::Reliable, &bytes, &[]);
        assert_eq!(rust, (1, 0), "{what}: Rust");
    }
}
