//! The encoding of every type form, from `tests/schemas/types.tether`.
//!
//! - **Golden bytes**: hand-picked values encoded by the generated codecs,
//!   checked against bytes written out by hand from `docs/wire-format.md`.
//! - **Round trips**: for every type, random values (respecting its
//!   refinements) decode back to what was sent, decoding reads exactly the
//!   bytes written, the length lies within the compiler's size model for the
//!   declaration, and the generated event (its per-message encoder and
//!   decoder) writes and reads the same body after the message id, in the
//!   same bit stream, within the size model of the event's message.
//! - **Refinements**: values outside a type are refused by the encoders (the
//!   record's and the event's), and forged bytes holding them are rejected by
//!   the decoders (the record's, and the event's behind a message id).
//!
//! An alias of anything but a record or an enum is a Rust `type` alias with
//! no `Encode` impl of its own, so the schema gives each a one-field record
//! `XBox = { v: X }`, which encodes exactly as `X` does.

mod values;

use std::collections::{HashMap, HashSet};
use std::fmt::{Debug, Display};
use std::path::Path;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use tether::roblox::enums::{KeyCode, Material};
use tether_compiler::ir::size::{Extent, Size, SizeModel};
use tether_compiler::ir::{DeclId, Flow};
use tether_runtime::roblox::classes;
use tether_runtime::types::{
    BrickColor, CFrame, Color3, ColorSequence, ColorSequenceKeypoint, DateTime, InstanceId,
    Matrix3, NumberRange, NumberSequence, NumberSequenceKeypoint, Rect, Ref, UDim, UDim2, Value,
    Vector2, Vector3,
};
use tether_runtime::wire::{
    decode_message, encode_message, Decode, DecodeError, Encode, EncodeError, LenRange, RangeError,
    Reader, Writer, ZERO_SIZE_CAP,
};
use tether_runtime::{Direction, Payload, Player, SendError, Visibility};
use tether_tests::types as t;
use values::*;

// ---------------------------------------------------------------------------
// The size model
// ---------------------------------------------------------------------------

/// The size model's sizes for `types.tether`, by name: of every
/// declaration, and of the whole message (id included) of every event.
struct Sizes {
    decls: HashMap<String, Size>,
    events: HashMap<String, Size>,
}

fn model() -> &'static Sizes {
    static SIZES: OnceLock<Sizes> = OnceLock::new();
    SIZES.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/types.tether");
        let compilation = tether_compiler::compile(&tether_compiler::FsLoader, &[path])
            .expect("types.tether loads");
        assert!(
            compilation.diagnostics.is_empty(),
            "types.tether checks clean: {:?}",
            compilation.diagnostics
        );
        let schema = &compilation.schema;
        let mut model = SizeModel::new(schema);
        let decls = (0..schema.decls.len())
            .map(|i| {
                let id = DeclId(u32::try_from(i).expect("few declarations"));
                (schema.decls[i].name.to_string(), model.decl(id))
            })
            .collect();
        let events = schema
            .endpoints
            .iter()
            .map(|e| (e.name.to_string(), model.event(e, Flow::ServerToClient)))
            .collect();
        Sizes { decls, events }
    })
}

/// The size model's size of every declaration of `types.tether`, by name.
fn sizes() -> &'static HashMap<String, Size> {
    &model().decls
}

fn size_of(decl: &str) -> Size {
    *sizes()
        .get(decl)
        .unwrap_or_else(|| panic!("types.tether declares no `{decl}`"))
}

/// Whether `len` bytes lie within `size`, the size model's range for `what`.
fn within_size(what: &str, size: Size, len: usize) -> Result<(), String> {
    let len = len as u64;
    let (min, max) = (size.min_bytes(), size.max_bytes());
    if len < min || max.is_some_and(|max| len > max) {
        return Err(format!(
            "{what}: {len} bytes, outside the size model's {min}..{}",
            max.map_or_else(String::new, |m| m.to_string())
        ));
    }
    Ok(())
}

/// Whether `len` bytes lie within the size model's range for `decl`.
fn within(decl: &str, len: usize) -> Result<(), String> {
    within_size(decl, size_of(decl), len)
}

/// Whether a message of `len` bytes lies within the size model's range for a
/// message of `event`.
fn within_event(event: &str, len: usize) -> Result<(), String> {
    let size = *model()
        .events
        .get(event)
        .unwrap_or_else(|| panic!("types.tether declares no event `{event}`"));
    within_size(event, size, len)
}

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn fail(error: impl Display) -> TestCaseError {
    TestCaseError::fail(error.to_string())
}

/// The receiver's view of an instance list when it sees every instance.
fn visible(ids: &[InstanceId]) -> Vec<Option<InstanceId>> {
    ids.iter().copied().map(Some).collect()
}

/// Bytes written by hand with a raw writer (no refinement checks): forged
/// input for the decoders, a whole message of its own.
fn forge(write: impl FnOnce(&mut Writer)) -> Vec<u8> {
    let mut w = Writer::new();
    w.start_message();
    write(&mut w);
    w.take().0
}

/// A forgery of plain bytes, for [`Case::reject`].
fn raw(bytes: &[u8]) -> impl Fn(&mut Writer) + '_ {
    move |w| w.bytes(bytes)
}

/// The id of a server → client event.
fn message_id(event: &str) -> u16 {
    let id = t::PROTOCOL
        .to_client
        .iter()
        .position(|m| m.name == event)
        .unwrap_or_else(|| panic!("no event `{event}`"));
    u16::try_from(id).expect("at most 65,536 messages")
}

/// The bits of a server → client message id (docs/wire-format.md, section
/// 6.1): `types.tether` sends 102 messages that way, so 7 bits.
fn id_bits() -> u32 {
    t::PROTOCOL.id_bits(Direction::ToClient)
}

/// The message of `event` whose body `body` writes: the id's bits, then the
/// body in the same bit stream, so the body's first bits fill the bit byte
/// the id opened.
fn event_message(
    event: &str,
    body: impl FnOnce(&mut Writer) -> Result<(), EncodeError>,
) -> Result<(Vec<u8>, Vec<InstanceId>), EncodeError> {
    let mut w = Writer::new();
    w.start_message();
    w.bits(u32::from(message_id(event)), id_bits());
    body(&mut w)?;
    Ok(w.take())
}

/// Decodes `message` as the receiver does: the id's bits, which must be the
/// id of `event`, then the event's generated decoder, which must read the
/// message to its end.
fn decode_event(
    event: &str,
    message: &[u8],
    instances: &[Option<InstanceId>],
) -> Result<Payload, DecodeError> {
    let id = message_id(event);
    let mut r = Reader::with_instances(message, instances);
    r.start_message();
    assert_eq!(r.bits(id_bits())?, u32::from(id), "{event}: message id");
    let spec = &t::PROTOCOL.to_client[usize::from(id)];
    let payload = (spec.decode)(&mut r)?;
    r.finish()?;
    Ok(payload)
}

/// Encodes `value` as a whole message and checks it is `expected`, that it
/// decodes back to `value`, and that its length is within the size model of
/// `decl`.
#[track_caller]
fn golden<T: Encode + Decode + PartialEq + Debug>(decl: &str, value: &T, expected: &[u8]) {
    golden_with(decl, value, expected, &[]);
}

/// [`golden`] for a value that references instances: the writer's instance
/// list must be `instances`.
#[track_caller]
fn golden_with<T: Encode + Decode + PartialEq + Debug>(
    decl: &str,
    value: &T,
    expected: &[u8],
    instances: &[u64],
) {
    let (bytes, ids) =
        encode_message(value).unwrap_or_else(|e| panic!("{decl}: {value:?} is refused: {e}"));
    assert_eq!(hex(&bytes), hex(expected), "{decl}: bytes of {value:?}");
    let expected_ids: Vec<_> = instances.iter().copied().map(InstanceId).collect();
    assert_eq!(ids, expected_ids, "{decl}: instance list of {value:?}");
    let back: T = decode_message(&bytes, &visible(&ids))
        .unwrap_or_else(|e| panic!("{decl}: {} does not decode: {e}", hex(&bytes)));
    assert_eq!(&back, value, "{decl}: decoded");
    if let Err(e) = within(decl, bytes.len()) {
        panic!("{e}");
    }
}

// ---------------------------------------------------------------------------
// One type under test
// ---------------------------------------------------------------------------

/// A declaration of `types.tether` with what the tests need to encode it on
/// its own (`W`, the declaration itself or its one-field record) and through
/// its event `Send<decl>`.
struct Case<T, W> {
    decl: &'static str,
    wrap: fn(T) -> W,
    unwrap: fn(W) -> T,
    fire: fn(&t::Server, &Player, T) -> Result<(), SendError>,
    fire_all: fn(&t::Server, T) -> Result<(), SendError>,
    /// Whether a decoded value is the value sent.
    matches: fn(&T, &T) -> bool,
    /// Whether encoding the decoded value again gives the same bytes (not for
    /// hash maps, whose order varies, nor for the lossy CFrame).
    stable: bool,
}

/// The case of an alias `X`, through its record `XBox`.
macro_rules! boxed {
    ($alias:ident, $boxed:ident, $send:ident) => {
        Case::<t::$alias, t::$boxed>::new(
            stringify!($alias),
            |v| t::$boxed { v },
            |b| b.v,
            |s, p, v| s.$send().fire_client(p, v),
            |s, v| s.$send().fire_all_clients(v),
        )
    };
}

/// The case of a record or enum, encoded as it is.
macro_rules! nominal {
    ($decl:ident, $send:ident) => {
        Case::<t::$decl, t::$decl>::new(
            stringify!($decl),
            |v| v,
            |v| v,
            |s, p, v| s.$send().fire_client(p, v),
            |s, v| s.$send().fire_all_clients(v),
        )
    };
}

impl<T, W> Case<T, W>
where
    T: Clone + Debug + PartialEq + Send + 'static,
    W: Encode + Decode + Debug,
{
    fn new(
        decl: &'static str,
        wrap: fn(T) -> W,
        unwrap: fn(W) -> T,
        fire: fn(&t::Server, &Player, T) -> Result<(), SendError>,
        fire_all: fn(&t::Server, T) -> Result<(), SendError>,
    ) -> Self {
        Case {
            decl,
            wrap,
            unwrap,
            fire,
            fire_all,
            matches: |a, b| a == b,
            stable: true,
        }
    }

    fn matching(self, matches: fn(&T, &T) -> bool) -> Self {
        Case { matches, ..self }
    }

    fn unstable(self) -> Self {
        Case {
            stable: false,
            ..self
        }
    }

    fn event(&self) -> String {
        format!("Send{}", self.decl)
    }

    /// The round trip of one valid value.
    fn check(&self, value: T) -> Result<(), TestCaseError> {
        let decl = self.decl;
        let (bytes, ids) = encode_message(&(self.wrap)(value.clone()))
            .map_err(|e| fail(format!("{decl}: {value:?} is refused: {e}")))?;
        within(decl, bytes.len()).map_err(fail)?;

        // Decoding gives the value back and reads exactly the bytes written.
        let view = visible(&ids);
        let decoded = decode_message::<W>(&bytes, &view)
            .map_err(|e| fail(format!("{decl}: {} does not decode: {e}", hex(&bytes))))?;
        let decoded = (self.unwrap)(decoded);
        prop_assert!(
            (self.matches)(&value, &decoded),
            "{}: sent {:?}, decoded {:?}",
            decl,
            value,
            decoded
        );
        if let Some((_, short)) = bytes.split_last() {
            prop_assert!(
                decode_message::<W>(short, &view).is_err(),
                "{}: decodes without its last byte",
                decl
            );
        }
        let mut long = bytes.clone();
        long.push(0);
        prop_assert_eq!(
            decode_message::<W>(&long, &view).err(),
            Some(DecodeError::TrailingBytes { remaining: 1 })
        );
        if self.stable {
            let (again, _) = encode_message(&(self.wrap)(decoded.clone())).map_err(fail)?;
            prop_assert_eq!(hex(&again), hex(&bytes), "{}: encoded again", decl);
        }

        // The generated event writes the message: the id's bits, then the
        // same body as the record's encoder in the same bit stream (its first
        // bits fill the id's bit byte). The message is within the size model
        // of the event's message, and the event's decoder reads it back.
        let server = t::Server::new();
        let player = server.runtime().connect_player();
        (self.fire)(&server, &player, value.clone()).map_err(fail)?;
        let frames = server.runtime().take_outgoing();
        prop_assert_eq!(frames.len(), 1, "{}: one frame", decl);
        let frame = &frames[0].1;
        let event = self.event();
        let (expected, _) =
            event_message(&event, |w| (self.wrap)(value.clone()).encode(w)).map_err(fail)?;
        prop_assert_eq!(hex(frame), hex(&expected), "{}: the event's message", decl);
        within_event(&event, frame.len()).map_err(fail)?;
        let payload = decode_event(&event, frame, &view).map_err(fail)?;
        let (got,) = *payload
            .downcast::<(T,)>()
            .map_err(|_| fail(format!("{event}: the payload is not `({decl},)`")))?;
        prop_assert!(
            (self.matches)(&decoded, &got),
            "{}: the event decoded {:?}, the record {:?}",
            event,
            got,
            decoded
        );

        // Sent to every player, the event writes that same message to each
        // (the runtime encodes a message once for all players when it can).
        let _second = server.runtime().connect_player();
        (self.fire_all)(&server, value.clone()).map_err(fail)?;
        let frames = server.runtime().take_outgoing();
        prop_assert_eq!(frames.len(), 2, "{}: one frame per player", decl);
        for (_, frame) in &frames {
            prop_assert_eq!(
                hex(frame),
                hex(&expected),
                "{}: the broadcast message",
                decl
            );
        }
        Ok(())
    }

    /// An invalid value: both the record's and the event's encoders refuse
    /// it, and nothing is sent.
    fn refuse(&self, value: T, expected: fn(&EncodeError) -> bool) -> Result<(), TestCaseError> {
        let decl = self.decl;
        match encode_message(&(self.wrap)(value.clone())) {
            Ok((bytes, _)) => {
                return Err(fail(format!(
                    "{decl}: {value:?} is encoded as {}",
                    hex(&bytes)
                )))
            }
            Err(e) => prop_assert!(expected(&e), "{}: refused with {:?}", decl, e),
        }
        let server = t::Server::new();
        let player = server.runtime().connect_player();
        let sent = (self.fire)(&server, &player, value.clone());
        prop_assert!(
            matches!(&sent, Err(SendError::Encode(e)) if expected(e)),
            "{}: the event answered {:?}",
            decl,
            sent
        );
        let sent = (self.fire_all)(&server, value);
        prop_assert!(
            matches!(&sent, Err(SendError::Encode(e)) if expected(e)),
            "{}: the event sent to all answered {:?}",
            decl,
            sent
        );
        prop_assert!(
            server.runtime().take_outgoing().is_empty(),
            "{}: sent anyway",
            decl
        );
        Ok(())
    }

    /// A forged value, written by `forged` with a raw writer: both the
    /// record's decoder (the value as a message of its own) and the event's
    /// (the value after the event's id bits) reject it.
    fn reject(
        &self,
        forged: impl Fn(&mut Writer),
        instances: &[Option<InstanceId>],
        expected: impl Fn(&DecodeError) -> bool,
    ) -> Result<(), TestCaseError> {
        let decl = self.decl;
        let bytes = forge(&forged);
        match decode_message::<W>(&bytes, instances) {
            Ok(v) => return Err(fail(format!("{decl}: {} decodes as {v:?}", hex(&bytes)))),
            Err(e) => prop_assert!(expected(&e), "{}: rejected with {:?}", decl, e),
        }
        let event = self.event();
        let (message, _) = event_message(&event, |w| {
            forged(w);
            Ok(())
        })
        .map_err(fail)?;
        match decode_event(&event, &message, instances) {
            Ok(_) => Err(fail(format!("{event}: {} decodes", hex(&message)))),
            Err(e) => {
                prop_assert!(expected(&e), "{}: rejected with {:?}", event, e);
                Ok(())
            }
        }
    }
}

fn same_f32(a: &f32, b: &f32) -> bool {
    a.to_bits() == b.to_bits()
}

fn same_f64(a: &f64, b: &f64) -> bool {
    a.to_bits() == b.to_bits()
}

fn bits(v: &[f32]) -> Vec<u32> {
    v.iter().map(|f| f.to_bits()).collect()
}

/// `==`, except that numbers compare by their bits (NaN is NaN).
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.to_bits() == y.to_bits(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_value(a, b))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter()
                    .zip(y)
                    .all(|((ka, va), (kb, vb))| same_value(ka, kb) && same_value(va, vb))
        }
        _ => a == b,
    }
}

fn matrix(m: &Matrix3) -> [f32; 9] {
    [
        m.x.x, m.x.y, m.x.z, m.y.x, m.y.y, m.y.z, m.z.x, m.z.y, m.z.z,
    ]
}

fn rotations_close(a: &Matrix3, b: &Matrix3, tolerance: f32) -> bool {
    matrix(a)
        .iter()
        .zip(matrix(b))
        .all(|(x, y)| (x - y).abs() <= tolerance)
}

/// The same position, and the rotation within the quantization error.
fn cframe_close(a: &CFrame, b: &CFrame) -> bool {
    a.position == b.position && rotations_close(&a.orientation, &b.orientation, 1e-3)
}

// ---------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

fn date_time() -> impl Strategy<Value = DateTime> {
    any::<i64>().prop_map(DateTime::from_unix_millis)
}

fn instance() -> impl Strategy<Value = InstanceId> {
    prop_oneof![3 => (1u64..=4).prop_map(InstanceId), 1 => any::<u64>().prop_map(InstanceId)]
}

/// An `EnumItem` that exists: the receiver rejects any other
/// (section 4.10).
fn enum_item() -> impl Strategy<Value = Value> {
    use tether_runtime::roblox::enums;
    let materials = enums::Material::ALL.map(|m| ("Material", m.value()));
    let keys = enums::KeyCode::ALL.map(|k| ("KeyCode", k.value()));
    let items: Vec<_> = materials.into_iter().chain(keys).collect();
    prop::sample::select(items).prop_map(|(enum_name, value)| Value::EnumItem {
        enum_name: enum_name.to_string(),
        value,
    })
}

fn value_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Nil),
        any::<bool>().prop_map(Value::Bool),
        any_f64().prop_map(Value::Number),
        text(0, 24).prop_map(Value::String),
        prop::collection::vec(any::<u8>(), 0..24).prop_map(Value::Buffer),
        prop::option::of(instance()).prop_map(Value::Instance),
        vector3().prop_map(Value::Vector3),
        vector2().prop_map(Value::Vector2),
        // The identity is the one rotation that survives quantization exactly.
        vector3().prop_map(|p| Value::CFrame(CFrame::new(p, Matrix3::identity()))),
        color3().prop_map(Value::Color3),
        brick_color().prop_map(Value::BrickColor),
        udim().prop_map(Value::UDim),
        udim2().prop_map(Value::UDim2),
        rect().prop_map(Value::Rect),
        number_range().prop_map(Value::NumberRange),
        number_sequence().prop_map(Value::NumberSequence),
        color_sequence().prop_map(Value::ColorSequence),
        date_time().prop_map(Value::DateTime),
        enum_item(),
    ]
}

/// `any`: leaves, arrays and maps (string and number keys, never repeated).
fn value() -> impl Strategy<Value = Value> {
    value_leaf().prop_recursive(4, 48, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(text(0, 8), inner.clone(), 0..5).prop_map(|m| {
                Value::Map(m.into_iter().map(|(k, v)| (Value::String(k), v)).collect())
            }),
            prop::collection::btree_map(any::<i32>(), inner, 1..4).prop_map(|m| {
                Value::Map(
                    m.into_iter()
                        .map(|(k, v)| (Value::Number(f64::from(k)), v))
                        .collect(),
                )
            }),
        ]
    })
}

// ---------------------------------------------------------------------------
// Golden bytes
// ---------------------------------------------------------------------------

const F32_1: [u8; 4] = [0x00, 0x00, 0x80, 0x3F];
const F32_2: [u8; 4] = [0x00, 0x00, 0x00, 0x40];
const F32_3: [u8; 4] = [0x00, 0x00, 0x40, 0x40];
const F32_HALF: [u8; 4] = [0x00, 0x00, 0x00, 0x3F];
const F32_0: [u8; 4] = [0x00; 4];

#[test]
fn golden_booleans_pack_into_bit_bytes() {
    golden("Bool", &t::BoolBox { v: true }, &[0x01]);
    golden("Bool", &t::BoolBox { v: false }, &[0x00]);
    // {boolean} of 10: the varint count, then a bit byte for the first 8 and
    // a second one for the last 2.
    let v = vec![
        true, false, true, true, false, false, false, false, true, true,
    ];
    golden(
        "Bools",
        &t::BoolsBox { v },
        &[
            0x0A, // count 10 (varint)
            0x0D, // bits 0..8: 1 0 1 1 0 0 0 0 = 0b0000_1101
            0x03, // bits 8..10: 1 1
        ],
    );
    golden("Bools", &t::BoolsBox { v: vec![] }, &[0x00]);
    // Two booleans with a byte between them share one bit byte, which sits
    // where the first bit was written (docs/wire-format.md, section 2).
    golden(
        "Pair",
        &t::Pair {
            a: true,
            n: 0x2A,
            c: true,
        },
        &[
            0x03, // bit byte: A = 1 (bit 0), C = 1 (bit 1)
            0x2A, // N
        ],
    );
    golden(
        "Pair",
        &t::Pair {
            a: false,
            n: 0xFF,
            c: true,
        },
        &[
            0x02, // bit byte: A = 0, C = 1
            0xFF, // N
        ],
    );
}

#[test]
fn golden_numbers_are_little_endian_bytes_unless_a_range_packs_them() {
    golden("U8", &t::U8Box { v: 0xAB }, &[0xAB]);
    golden("U16", &t::U16Box { v: 513 }, &[0x01, 0x02]);
    golden(
        "U32",
        &t::U32Box { v: 0x1234_5678 },
        &[0x78, 0x56, 0x34, 0x12],
    );
    golden(
        "U64",
        &t::U64Box {
            v: 0x0102_0304_0506_0708,
        },
        &[0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01],
    );
    golden("I8", &t::I8Box { v: -1 }, &[0xFF]);
    golden("I16", &t::I16Box { v: -2 }, &[0xFE, 0xFF]);
    golden("I32", &t::I32Box { v: -100_000 }, &[0x60, 0x79, 0xFE, 0xFF]);
    golden(
        "I64",
        &t::I64Box { v: i64::MIN },
        &[0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x80],
    );
    golden("F32", &t::F32Box { v: 1.0 }, &F32_1);
    golden(
        "F64",
        &t::F64Box { v: 1.0 },
        &[0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F],
    );
    golden(
        "Num",
        &t::NumBox { v: -2.5 },
        &[0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0xC0],
    );
    // A range whose span needs every bit of the width keeps the bytes
    // (docs/wire-format.md, section 4.1): u64(5..) spans 2^64 - 6, i32(-100000..)
    // spans 2^31 + 99999, u8(1..) spans 254; all need the whole width.
    golden(
        "U64Min",
        &t::U64MinBox { v: 5 },
        &[0x05, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00],
    );
    golden(
        "I32Min",
        &t::I32MinBox { v: -100_000 },
        &[0x60, 0x79, 0xFE, 0xFF],
    );
    golden("U8Min", &t::U8MinBox { v: 1 }, &[0x01]);
    golden("U8Min", &t::U8MinBox { v: 0xFF }, &[0xFF]);
    // Float ranges never change the width.
    golden(
        "F32Range",
        &t::F32RangeBox { v: -1.5 },
        &[0x00, 0x00, 0xC0, 0xBF],
    );
    golden(
        "F64Range",
        &t::F64RangeBox { v: 0.25 },
        &[0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xD0, 0x3F],
    );
    golden(
        "NumRange",
        &t::NumRangeBox { v: -1000.0 },
        &[0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x8F, 0xC0],
    );
}

/// Integers whose effective range spans fewer bits than their kind's width
/// travel as the bit field `v - min` (docs/wire-format.md, section 4.1), in
/// the message's bit stream like any other bits.
#[test]
fn golden_ranged_integers_pack_into_bit_fields() {
    // u8(0..100): 7 bits holding v. Bit 7 of the bit byte is unused.
    golden("U8Pct", &t::U8PctBox { v: 0 }, &[0x00]);
    golden("U8Pct", &t::U8PctBox { v: 100 }, &[0x64]); // 0b110_0100
                                                       // u8(1..100): 7 bits holding v - 1.
    golden("U8Range", &t::U8RangeBox { v: 42 }, &[0x29]); // 41
    golden("U8Range", &t::U8RangeBox { v: 100 }, &[0x63]); // 99
                                                           // u8(7): a span of 0, so 0 bits: the value takes no space at all.
    golden("U8Exact", &t::U8ExactBox { v: 7 }, &[]);
    // u8(200..) is 200..255: 6 bits holding v - 200.
    golden("U8High", &t::U8HighBox { v: 200 }, &[0x00]);
    golden("U8High", &t::U8HighBox { v: 255 }, &[0x37]); // 55 = 0b11_0111
                                                         // i8(-10..10): 5 bits holding v + 10.
    golden("I8Range", &t::I8RangeBox { v: -10 }, &[0x00]);
    golden("I8Range", &t::I8RangeBox { v: 10 }, &[0x14]); // 20
                                                          // i32(-5..5): 4 bits holding v + 5, where the kind is 4 bytes wide.
    golden("I32Small", &t::I32SmallBox { v: -5 }, &[0x00]);
    golden("I32Small", &t::I32SmallBox { v: -1 }, &[0x04]);
    golden("I32Small", &t::I32SmallBox { v: 5 }, &[0x0A]);
    // u16(10..1000): 10 bits holding v - 10; the last 2 go to a second bit
    // byte.
    golden(
        "U16Range",
        &t::U16RangeBox { v: 1000 },
        &[
            0xDE, // 990 = 0b11_1101_1110: bits 0-7
            0x03, // bits 8-9
        ],
    );
    golden("U16Range", &t::U16RangeBox { v: 10 }, &[0x00, 0x00]);
    // i16(-300..300): 10 bits holding v + 300.
    golden("I16Range", &t::I16RangeBox { v: -300 }, &[0x00, 0x00]);
    golden(
        "I16Range",
        &t::I16RangeBox { v: 300 },
        &[0x58, 0x02], // 600 = 0b10_0101_1000
    );
    // u32(..1000000) is 0..1000000: 20 bits, 2 bit bytes and a half.
    golden(
        "U32Max",
        &t::U32MaxBox { v: 1_000_000 },
        &[0x40, 0x42, 0x0F], // 0xF_4240
    );
    // i64(-5000000000..5000000000): a span of 10^10, 34 bits holding
    // v + 5000000000.
    golden(
        "I64Range",
        &t::I64RangeBox { v: -5_000_000_000 },
        &[0x00; 5],
    );
    golden(
        "I64Range",
        &t::I64RangeBox { v: 5_000_000_000 },
        &[0x00, 0xE4, 0x0B, 0x54, 0x02], // 10^10 = 0x2_540B_E400
    );
    // A packed field shares its bit byte with the other bits of the
    // message. Event.Move's Speed is u8(1..20)?: a flag, then 5 bits
    // holding v - 1, the last two of which open a second bit byte after To.
    golden(
        "Event",
        &t::Event::Move {
            to: Vector2::new(1.5, -1.0),
            run: true,
            speed: Some(3),
        },
        &[
            // tag 2 = 0 1 0 (bits 0-2), Run 1 (bit 3), Speed present (bit
            // 4), Speed 3 - 1 = 2 = 0 1 0 0 0: its first three bits (bits
            // 5-7): 0b0101_1010
            0x5A, //
            0x00, 0x00, 0xC0, 0x3F, // To.X 1.5
            0x00, 0x00, 0x80, 0xBF, // To.Y -1
            0x00, // Speed's last two bits, in a second bit byte: 0 0
        ],
    );
}

/// A k-bit field holds values up to `2^k - 1`, which may be past the range:
/// the decoders reject them, naming the decoded value and the effective
/// bounds.
#[test]
fn golden_packed_fields_above_their_range_are_rejected() {
    let rejects = |case: Result<(), TestCaseError>| case.unwrap_or_else(|e| panic!("{e}"));
    let range = |value: i128, min: i128, max: i128| {
        move |e: &DecodeError| {
            *e == DecodeError::OutOfRange(Box::new(RangeError::Int {
                value,
                min: Some(min),
                max: Some(max),
            }))
        }
    };
    // u8(0..100) receiving 127, the largest 7-bit field, and 101.
    let case = boxed!(U8Pct, U8PctBox, send_u8_pct);
    assert_eq!(forge(|w| w.bits(127, 7)), [0x7F]);
    rejects(case.reject(|w| w.bits(127, 7), &[], range(127, 0, 100)));
    rejects(case.reject(|w| w.bits(101, 7), &[], range(101, 0, 100)));
    // u8(200..) is 200..255: the 6-bit field 63 says 263.
    let case = boxed!(U8High, U8HighBox, send_u8_high);
    rejects(case.reject(|w| w.bits(63, 6), &[], range(263, 200, 255)));
    // i32(-5..5): the 4-bit field 15 says 10.
    let case = boxed!(I32Small, I32SmallBox, send_i32_small);
    rejects(case.reject(|w| w.bits(15, 4), &[], range(10, -5, 5)));
    // u16(10..1000): the 10-bit field 1023 says 1033.
    let case = boxed!(U16Range, U16RangeBox, send_u16_range);
    rejects(case.reject(|w| w.bits(1023, 10), &[], range(1033, 10, 1000)));
    // The largest field that is in range still decodes.
    assert_eq!(
        decode_message::<t::U8PctBox>(&[0x64], &[]),
        Ok(t::U8PctBox { v: 100 })
    );
    assert_eq!(
        decode_message::<t::U8HighBox>(&[0x37], &[]),
        Ok(t::U8HighBox { v: 255 })
    );
}

#[test]
fn golden_nonfinite_floats_keep_their_bits() {
    // NaN != NaN, so these compare encodings rather than values.
    let bytes = |v: &dyn Encode| encode_message(v).expect("nonfinite allowed").0;
    let f32_nan = t::F32NonfiniteBox { v: f32::NAN };
    assert_eq!(hex(&bytes(&f32_nan)), "00 00 C0 7F"); // 0x7FC00000
    let back: t::F32NonfiniteBox = decode_message(&bytes(&f32_nan), &[]).expect("decodes");
    assert_eq!(back.v.to_bits(), f32::NAN.to_bits());
    let payload = f32::from_bits(0xFF80_0001); // a negative signalling NaN
    let back: t::F32NonfiniteBox =
        decode_message(&bytes(&t::F32NonfiniteBox { v: payload }), &[]).expect("decodes");
    assert_eq!(back.v.to_bits(), 0xFF80_0001);
    golden(
        "F64Nonfinite",
        &t::F64NonfiniteBox { v: f64::INFINITY },
        &[0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x7F],
    );
    golden(
        "NumNonfinite",
        &t::NumNonfiniteBox {
            v: f64::NEG_INFINITY,
        },
        &[0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0xFF],
    );
    assert_eq!(
        hex(&bytes(&t::NumNonfiniteBox { v: f64::NAN })),
        "00 00 00 00 00 00 F8 7F"
    );
    golden(
        "F32Nonfinite",
        &t::F32NonfiniteBox { v: -0.0 },
        &[0, 0, 0, 0x80],
    );
}

#[test]
fn golden_unions_are_the_arms_index_then_its_value() {
    // Two arms: a 1-bit index. `u16` is the second arm: bit 1, then two
    // bytes.
    golden(
        "Either",
        &t::EitherBox {
            v: t::Either::Number(0x0102),
        },
        &[0x01, 0x02, 0x01],
    );
    // A string of `..8`: the index bit and the 4-bit length share a byte.
    golden(
        "Either",
        &t::EitherBox {
            v: t::Either::String("hi".into()),
        },
        &[0x04, b'h', b'i'],
    );
}

#[test]
fn golden_sets_are_a_count_then_each_element() {
    // `{[Color]: true}`, unbounded: a varint count, then each element's tag
    // (Color has two variants: a bit each).
    golden(
        "ColorSet",
        &t::ColorSetBox {
            v: HashSet::from([t::Color::Green]),
        },
        &[0x01, 0x01],
    );
    golden("ColorSet", &t::ColorSetBox { v: HashSet::new() }, &[0x00]);
}

#[test]
fn golden_strings_and_buffers_prefix_a_bit_field_or_a_varint() {
    // `binary(..16)`: a 5-bit length, then the bytes, UTF-8 or not.
    golden(
        "Bin",
        &t::BinBox {
            v: vec![0xFF, 0x00, 0xC3],
        },
        &[0x03, 0xFF, 0x00, 0xC3],
    );
    // Unbounded: a LEB128 varint.
    golden("Str", &t::StrBox { v: String::new() }, &[0x00]);
    golden(
        "Str",
        &t::StrBox { v: "héllo".into() },
        &[
            0x06, // 6 bytes: é is two
            0x68, 0xC3, 0xA9, 0x6C, 0x6C, 0x6F,
        ],
    );
    let a127 = "a".repeat(127);
    golden(
        "Str",
        &t::StrBox { v: a127.clone() },
        &cat(&[&[0x7F], a127.as_bytes()]),
    );
    let a128 = "a".repeat(128);
    golden(
        "Str",
        &t::StrBox { v: a128.clone() },
        &cat(&[&[0x80, 0x01], a128.as_bytes()]), // 128 = 0x00 | 0x80, then 1
    );
    let a300 = "a".repeat(300);
    golden(
        "Str",
        &t::StrBox { v: a300.clone() },
        &cat(&[&[0xAC, 0x02], a300.as_bytes()]), // 300 = 0x2C | 0x80, then 2
    );
    let a16384 = "a".repeat(16384);
    golden(
        "Str",
        &t::StrBox { v: a16384.clone() },
        &cat(&[&[0x80, 0x80, 0x01], a16384.as_bytes()]), // 2^14
    );
    // ..64: a span of 64, so a 7-bit field in a bit byte (bit 7 unused),
    // then the bytes.
    golden(
        "StrMax",
        &t::StrMaxBox { v: "hi".into() },
        &[
            0x02, // bit byte: length 2 (bits 0-6)
            0x68, 0x69,
        ],
    );
    let z64 = "z".repeat(64);
    golden(
        "StrMax",
        &t::StrMaxBox { v: z64.clone() },
        &cat(&[&[0x40], z64.as_bytes()]), // 64 = 0b100_0000
    );
    // Exactly 8: a span of 0, no prefix.
    golden(
        "StrExact",
        &t::StrExactBox {
            v: "abcdefgh".into(),
        },
        b"abcdefgh",
    );
    // 1..300: a span of 299, 9 bits holding len - 1. The ninth bit opens a
    // second bit byte, appended before the string's bytes.
    golden(
        "StrWide",
        &t::StrWideBox { v: "a".into() },
        &[
            0x00, // len - 1 = 0: bits 0-7
            0x00, // bit 8
            0x61,
        ],
    );
    let b300 = "b".repeat(300);
    golden(
        "StrWide",
        &t::StrWideBox { v: b300.clone() },
        &cat(&[&[0x2B, 0x01], b300.as_bytes()]), // 299 = 0b1_0010_1011
    );
    // ..70000: 17 bits, two full bit bytes and one bit of a third.
    golden(
        "StrHuge",
        &t::StrHugeBox { v: "hey".into() },
        &[0x03, 0x00, 0x00, 0x68, 0x65, 0x79],
    );
    // buffer(..1024): 11 bits; buffer: a varint.
    golden(
        "Buf",
        &t::BufBox { v: vec![1, 2, 3] },
        &[
            0x03, // length 3: bits 0-7
            0x00, // bits 8-10
            0x01, 0x02, 0x03,
        ],
    );
    golden("BufAny", &t::BufAnyBox { v: vec![0xFF] }, &[0x01, 0xFF]);
    golden("BufAny", &t::BufAnyBox { v: vec![] }, &[0x00]);
}

#[test]
fn golden_optionals_are_a_flag_bit_each() {
    golden("OptU8", &t::OptU8Box { v: None }, &[0x00]);
    golden(
        "OptU8",
        &t::OptU8Box { v: Some(5) },
        &[
            0x01, // present
            0x05,
        ],
    );
    // The flag and the 4-bit length of string(..8) share one bit byte.
    golden(
        "OptStr",
        &t::OptStrBox {
            v: Some("ok".into()),
        },
        &[
            0x05, // present (bit 0), length 2 = 0 1 0 0 (bits 1-4)
            0x6F, 0x6B,
        ],
    );
    // `T??` through an alias: the outer flag, then the inner one.
    golden("OptOpt", &t::OptOptBox { v: None }, &[0x00]);
    golden("OptOpt", &t::OptOptBox { v: Some(None) }, &[0x01]);
    golden(
        "OptOpt",
        &t::OptOptBox { v: Some(Some(9)) },
        &[
            0x03, // outer = 1 (bit 0), inner = 1 (bit 1)
            0x09,
        ],
    );
}

#[test]
fn golden_arrays() {
    golden(
        "U16s",
        &t::U16sBox { v: vec![1, 256] },
        &[0x02, 0x01, 0x00, 0x00, 0x01],
    );
    // ..100: a 7-bit count in a bit byte.
    golden("U8sMax", &t::U8sMaxBox { v: vec![] }, &[0x00]);
    golden(
        "U8sMax",
        &t::U8sMaxBox { v: vec![9, 8] },
        &[0x02, 0x09, 0x08],
    );
    // 1..4: 2 bits holding len - 1.
    golden(
        "I16sFew",
        &t::I16sFewBox { v: vec![-1] },
        &[0x00, 0xFF, 0xFF],
    );
    golden(
        "I16sFew",
        &t::I16sFewBox {
            v: vec![1, 2, 3, 4],
        },
        &[
            0x03, // bit byte: 4 - 1 = 1 1 (bits 0-1)
            0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x04, 0x00,
        ],
    );
    // Exactly 3: no prefix.
    golden(
        "U8sExact",
        &t::U8sExactBox { v: vec![1, 2, 3] },
        &[0x01, 0x02, 0x03],
    );
    // {[number]: T} is an array. The 3-bit lengths of its string(..4)
    // elements share the bit byte the first one opened.
    golden(
        "Words",
        &t::WordsBox {
            v: vec!["a".into(), "bc".into()],
        },
        &[
            0x02, // 2 elements (varint)
            0x11, // bit byte: "a" 1 = 1 0 0 (bits 0-2), "bc" 2 = 0 1 0 (bits 3-5)
            0x61, // "a"
            0x62, 0x63, // "bc"
        ],
    );
    // Elements of no size: only the count travels.
    golden(
        "Units",
        &t::UnitsBox {
            v: vec![t::One::Only; 300],
        },
        &[0xAC, 0x02],
    );
}

#[test]
fn golden_maps() {
    golden("StrMap", &t::StrMapBox { v: HashMap::new() }, &[0x00]);
    golden(
        "StrMap",
        &t::StrMapBox {
            v: HashMap::from([("k".into(), 7)]),
        },
        &[
            0x01, // 1 entry (varint)
            0x01, 0x6B, // "k"
            0x07, 0x00, 0x00, 0x00, // 7
        ],
    );
    // ..4 entries: a 3-bit count; string(..8) keys: a 4-bit length.
    golden(
        "ShortKeyMap",
        &t::ShortKeyMapBox {
            v: HashMap::from([("ab".into(), 1)]),
        },
        &[
            0x11, // count 1 = 1 0 0 (bits 0-2), key length 2 = 0 1 0 0 (bits 3-6)
            0x61, 0x62, // "ab"
            0x01, // 1
        ],
    );
    // A unit-enum key is its tag, so a whole map of one entry can be four
    // bits: ..3 entries is a 2-bit count.
    golden(
        "ColorMap",
        &t::ColorMapBox {
            v: HashMap::from([(t::Color::Green, true)]),
        },
        &[
            0x0D, // count 1 = 1 0 (bits 0-1), key Green 1 (bit 2), true 1 (bit 3)
        ],
    );
    golden(
        "ColorMap",
        &t::ColorMapBox {
            v: HashMap::from([(t::Color::Red, true)]),
        },
        &[0x09], // 1 0, Red 0, true 1
    );
    // Two entries, in the map's iteration order.
    let map = t::ColorMapBox {
        v: HashMap::from([(t::Color::Red, false), (t::Color::Green, true)]),
    };
    let (bytes, _) = encode_message(&map).expect("encodes");
    let red_first = [0x32]; // count 2 = 0 1, Red 0, false 0, Green 1, true 1
    let green_first = [0x0E]; // count 2 = 0 1, Green 1, true 1, Red 0, false 0
    assert!(
        bytes == red_first || bytes == green_first,
        "{}",
        hex(&bytes)
    );
    assert_eq!(
        decode_message::<t::ColorMapBox>(&bytes, &[]).expect("decodes"),
        map
    );
}

/// A length prefix is a k-bit field like any other: it fills the open bit
/// byte, and what does not fit continues in a new bit byte appended at the
/// end of the output, after the byte values written so far
/// (docs/wire-format.md, sections 2 and 3).
#[test]
fn golden_length_prefixes_are_bit_fields_that_may_cross_bit_bytes() {
    golden(
        "Words",
        &t::WordsBox {
            v: vec!["a".into(), "bc".into(), "dddd".into()],
        },
        &[
            0x03, // 3 elements (varint)
            // bit byte: "a" 1 = 1 0 0 (bits 0-2), "bc" 2 = 0 1 0 (bits 3-5),
            // "dddd" 4 = 0 0 1: its first two bits (bits 6-7)
            0x11, //
            0x61, // "a"
            0x62, 0x63, // "bc"
            0x01, // a new bit byte, after "bc": the third bit of 4 (bit 0)
            0x64, 0x64, 0x64, 0x64, // "dddd"
        ],
    );
    // Two entries of {[string(..8)]: u8}(..4), in the map's iteration order:
    // a 3-bit count, then 4-bit key lengths; the second length crosses into
    // a new bit byte.
    let map = t::ShortKeyMapBox {
        v: HashMap::from([("ab".into(), 1), ("c".into(), 2)]),
    };
    let (bytes, _) = encode_message(&map).expect("encodes");
    let ab_first = [
        // count 2 = 0 1 0 (bits 0-2), "ab" 2 = 0 1 0 0 (bits 3-6), "c" 1 =
        // 1 0 0 0: its first bit (bit 7)
        0x92, //
        0x61, 0x62, 0x01, // "ab", 1
        0x00, // a new bit byte: the other three bits of 1, 0 0 0
        0x63, 0x02, // "c", 2
    ];
    let c_first = [
        // count 2 = 0 1 0 (bits 0-2), "c" 1 = 1 0 0 0 (bits 3-6), "ab" 2 =
        // 0 1 0 0: its first bit (bit 7)
        0x0A, //
        0x63, 0x02, // "c", 2
        0x01, // a new bit byte: the other three bits of 2, 1 0 0
        0x61, 0x62, 0x01, // "ab", 1
    ];
    assert!(bytes == ab_first || bytes == c_first, "{}", hex(&bytes));
    assert_eq!(
        decode_message::<t::ShortKeyMapBox>(&bytes, &[]),
        Ok(map.clone())
    );
    if let Err(e) = within("ShortKeyMap", bytes.len()) {
        panic!("{e}");
    }
    // Both orders decode, whichever the encoder chose.
    for order in [&ab_first[..], &c_first[..]] {
        assert_eq!(
            decode_message::<t::ShortKeyMapBox>(order, &[]),
            Ok(map.clone())
        );
    }
}

#[test]
fn golden_records() {
    golden("Empty", &t::Empty {}, &[]);
    golden(
        "WithOpt",
        &t::WithOpt {
            req: 1,
            opt: Some(0x0203),
            note: None,
        },
        &[
            0x01, // Req
            0x01, // bit byte: Opt present (bit 0), Note absent (bit 1)
            0x03, 0x02, // Opt
        ],
    );
    golden(
        "WithOpt",
        &t::WithOpt {
            req: 1,
            opt: None,
            note: Some("x".into()),
        },
        &[
            0x01, // Req
            // bit byte: Opt absent (bit 0), Note present (bit 1), Note's
            // length 1 = 1 0 0 0 (string(..8): 4 bits, bits 2-5)
            0x06, //
            0x78, // "x"
        ],
    );
    golden(
        "Nested",
        &t::Nested {
            id: 0x0102,
            inner: t::NestedInner {
                flag: true,
                name: "n".into(),
            },
            tail: Some(t::NestedTail {
                x: 0.5,
                tags: vec![t::Color::Green, t::Color::Red],
            }),
            points: vec![t::NestedPoints { x: -1, y: 2 }],
        },
        &cat(&[
            &[0x02, 0x01], // Id
            // The first bit byte, opened by Inner.Flag and filled by what
            // follows: Flag 1 (bit 0); Inner.Name's length 1 (string(..16):
            // 5 bits, 1 0 0 0 0, bits 1-5); Tail present 1 (bit 6); the
            // first bit of Tail.Tags' length 2 (..2: 2 bits, 0 1; bit 7).
            &[0x43],
            &[0x6E],   // Inner.Name "n"
            &F32_HALF, // Tail.X
            // The second bit byte, opened after Tail.X by the second bit of
            // Tail.Tags' length: that bit 1 (bit 0); Tags Green 1 (bit 1),
            // Red 0 (bit 2); Points' length 1 (..3: 2 bits, 1 0; bits 3-4).
            &[0x0B],
            &[0xFF, 0x02], // X -1, Y 2
        ]),
    );
}

#[test]
fn golden_enums_are_tags_of_just_enough_bits() {
    golden("One", &t::One::Only, &[]); // 1 variant: 0 bits
    golden("Color", &t::Color::Red, &[0x00]); // 2: 1 bit
    golden("Color", &t::Color::Green, &[0x01]);
    golden("Three", &t::Three::C, &[0x02]); // 3: 2 bits
    golden("Nine", &t::Nine::F, &[0x05]); // 9: 4 bits
    golden("Nine", &t::Nine::I, &[0x08]);
    golden(
        "Shape",
        &t::Shape::Circle { radius: 2.0 },
        &cat(&[&[0x00], &F32_2]),
    );
    golden(
        "Shape",
        &t::Shape::Box {
            size: Vector3::new(1.0, 2.0, 3.0),
        },
        &cat(&[&[0x01], &F32_1, &F32_2, &F32_3]),
    );
    golden("Shape", &t::Shape::Point, &[0x02]);
    // Event: 5 variants, a 3-bit tag.
    golden(
        "Event",
        &t::Event::Text {
            body: "hi".into(),
            loud: true,
        },
        &[
            // tag 0 = 0 0 0 (bits 0-2), then Body's length 2 (string(..32):
            // 6 bits, 0 1 0 0 0 0): its first five bits (bits 3-7)
            0x10, //
            // a second bit byte, opened by the length's sixth bit 0 (bit 0)
            // before Body's bytes; Loud 1 (bit 1)
            0x02, //
            0x68, 0x69, // Body
        ],
    );
    golden("Event", &t::Event::Ping, &[0x01]);
    // (Move with a Speed: golden_ranged_integers_pack_into_bit_fields.)
    golden(
        "Event",
        &t::Event::Move {
            to: Vector2::new(1.5, -1.0),
            run: false,
            speed: None,
        },
        &[
            0x02, // tag 2, Run 0, Speed absent
            0x00, 0x00, 0xC0, 0x3F, 0x00, 0x00, 0x80, 0xBF,
        ],
    );
    // The array's length and its elements' tags pack across elements and
    // spill into a second bit byte.
    golden(
        "Event",
        &t::Event::Many {
            items: vec![t::Three::A, t::Three::B, t::Three::C],
        },
        &[
            // tag 3 = 1 1 0 (bits 0-2), Items' length 3 (..5: 3 bits, 1 1 0;
            // bits 3-5), A = 0 0 (bits 6-7): 0b0001_1011
            0x1B, //
            // B = 1 0 (bits 0-1), C = 0 1 (bits 2-3)
            0x09,
        ],
    );
    golden(
        "Event",
        &t::Event::Nest {
            inner: t::Shape::Point,
        },
        &[0x14], // tag 4 = 0 0 1, then Point = 0 1: 0b1_0100
    );
    golden(
        "Event",
        &t::Event::Nest {
            inner: t::Shape::Box {
                size: Vector3::new(1.0, 2.0, 3.0),
            },
        },
        &cat(&[&[0x0C], &F32_1, &F32_2, &F32_3]), // tag 4, then Box = 1 0
    );
}

#[test]
fn golden_recursive_types() {
    golden(
        "Node",
        &t::Node {
            value: 1,
            next: Some(Box::new(t::Node {
                value: 2,
                next: Some(Box::new(t::Node {
                    value: 3,
                    next: None,
                })),
            })),
        },
        &[
            0x01, // Value 1
            0x03, // the flags of all three levels: 1, 1, 0
            0x02, // Value 2
            0x03, // Value 3
        ],
    );
    golden(
        "Tree",
        &t::Tree {
            children: vec![
                t::Tree { children: vec![] },
                t::Tree {
                    children: vec![t::Tree { children: vec![] }],
                },
            ],
        },
        &[
            // ..4: 3-bit lengths. The root's 2 children = 0 1 0 (bits 0-2),
            // the first has none = 0 0 0 (bits 3-5), the second has 1 = 1 0
            // 0: its first two bits (bits 6-7)
            0x42, //
            // the second's last bit (bit 0), then its child has none = 0 0 0
            // (bits 1-3)
            0x00,
        ],
    );
}

#[test]
fn golden_roblox_datatypes() {
    golden(
        "Vec3",
        &t::Vec3Box {
            v: Vector3::new(1.0, 2.0, 3.0),
        },
        &cat(&[&F32_1, &F32_2, &F32_3]),
    );
    golden(
        "Vec2",
        &t::Vec2Box {
            v: Vector2::new(1.0, 0.5),
        },
        &cat(&[&F32_1, &F32_HALF]),
    );
    golden(
        "Rgb",
        &t::RgbBox {
            v: Color3::new(1.0, 0.5, 0.0),
        },
        &cat(&[&F32_1, &F32_HALF, &F32_0]),
    );
    golden(
        "Brick",
        &t::BrickBox {
            v: BrickColor::ReallyRed,
        },
        &[0xEC, 0x03], // BrickColor.Number 1004
    );
    golden(
        "Dim",
        &t::DimBox {
            v: UDim::new(0.5, -10),
        },
        &cat(&[&F32_HALF, &[0xF6, 0xFF, 0xFF, 0xFF]]),
    );
    golden(
        "Dim2",
        &t::Dim2Box {
            v: UDim2::new(UDim::new(1.0, 2), UDim::new(0.0, -1)),
        },
        &cat(&[
            &F32_1,
            &[0x02, 0x00, 0x00, 0x00],
            &F32_0,
            &[0xFF, 0xFF, 0xFF, 0xFF],
        ]),
    );
    golden(
        "Area",
        &t::AreaBox {
            v: Rect::new(Vector2::new(0.0, 0.0), Vector2::new(1.0, 2.0)),
        },
        &cat(&[&F32_0, &F32_0, &F32_1, &F32_2]),
    );
    golden(
        "Span",
        &t::SpanBox {
            v: NumberRange::new(0.0, 1.0),
        },
        &cat(&[&F32_0, &F32_1]),
    );
    golden(
        "NumSeq",
        &t::NumSeqBox {
            v: NumberSequence {
                keypoints: vec![
                    NumberSequenceKeypoint::new(0.0, 1.0, 0.0),
                    NumberSequenceKeypoint::new(1.0, 0.0, 0.5),
                ],
            },
        },
        &cat(&[
            &[0x00], // bit byte: 2 keypoints (2..20: 5 bits holding count - 2)
            &F32_0,
            &F32_1,
            &F32_0, // time, value, envelope
            &F32_1,
            &F32_0,
            &F32_HALF,
        ]),
    );
    golden(
        "ColorSeq",
        &t::ColorSeqBox {
            v: ColorSequence {
                keypoints: vec![
                    ColorSequenceKeypoint::new(0.0, Color3::new(1.0, 0.0, 0.0)),
                    ColorSequenceKeypoint::new(0.5, Color3::new(0.0, 1.0, 0.0)),
                    ColorSequenceKeypoint::new(1.0, Color3::new(0.0, 0.0, 1.0)),
                ],
            },
        },
        &cat(&[
            &[0x01], // bit byte: 3 keypoints (5 bits: 1 0 0 0 0)
            &F32_0,
            &F32_1,
            &F32_0,
            &F32_0, // time, R, G, B
            &F32_HALF,
            &F32_0,
            &F32_1,
            &F32_0,
            &F32_1,
            &F32_0,
            &F32_0,
            &F32_1,
        ]),
    );
    golden(
        "When",
        &t::WhenBox {
            v: DateTime::from_unix_millis(1_700_000_000_000),
        },
        &[0x00, 0x68, 0xE5, 0xCF, 0x8B, 0x01, 0x00, 0x00],
    );
}

#[test]
fn golden_cframes() {
    // The identity: q = (0, 0, 0, 1), so qw (index 3) is dropped and the
    // other three are 0.
    golden(
        "Frame",
        &t::FrameBox {
            v: CFrame::identity(),
        },
        &cat(&[
            &[0x00; 12], // position
            &[0x03],     // bit byte: dropped index 3 (2 bits)
            &[0x00; 6],  // qx, qy, qz
        ]),
    );
    // Half a turn about Y: q = (0, 1, 0, 0); qy (index 1) is dropped.
    let half_turn = Matrix3::new(
        Vector3::new(-1.0, 0.0, 0.0),
        Vector3::new(0.0, 1.0, 0.0),
        Vector3::new(0.0, 0.0, -1.0),
    );
    golden(
        "Frame",
        &t::FrameBox {
            v: CFrame::new(Vector3::new(1.0, 2.0, 3.0), half_turn),
        },
        &cat(&[&F32_1, &F32_2, &F32_3, &[0x01], &[0x00; 6]]),
    );
    // 60° about X: q = (sin 30°, 0, 0, cos 30°) = (0.5, 0, 0, 0.866); qw is
    // dropped, qx is round(0.5 * sqrt(2) * 32767) = 23170 = 0x5A82. It does
    // not decode back exactly, so only the bytes are compared.
    let (s, c) = (60f32.to_radians().sin(), 60f32.to_radians().cos());
    let sixty = CFrame::new(
        Vector3::new(0.0, 0.0, 0.0),
        Matrix3::new(
            Vector3::new(1.0, 0.0, 0.0),
            Vector3::new(0.0, c, -s),
            Vector3::new(0.0, s, c),
        ),
    );
    let (bytes, _) = encode_message(&t::FrameBox { v: sixty }).expect("encodes");
    assert_eq!(
        hex(&bytes),
        hex(&cat(&[
            &[0x00; 12],
            &[0x03],                   // index 3
            &[0x82, 0x5A],             // qx 23170
            &[0x00, 0x00, 0x00, 0x00], // qy, qz
        ]))
    );
    let back: t::FrameBox = decode_message(&bytes, &[]).expect("decodes");
    assert!(cframe_close(&back.v, &sixty), "{back:?}");
}

#[test]
fn golden_roblox_enums_are_item_indices() {
    // Enum.Material: 45 items, 6 bits; Enum.KeyCode: 283 items, 9 bits.
    assert_eq!(Material::ALL.len(), 45);
    assert_eq!(KeyCode::ALL.len(), 283);
    for (i, item) in Material::ALL.iter().enumerate() {
        assert_eq!(item.index(), i);
    }
    for (i, item) in KeyCode::ALL.iter().enumerate() {
        assert_eq!(item.index(), i);
    }
    golden(
        "Mat",
        &t::MatBox {
            v: Material::Plastic,
        },
        &[0x00],
    );
    golden("Mat", &t::MatBox { v: Material::Wood }, &[0x03]);
    golden(
        "Mat",
        &t::MatBox {
            v: Material::Rubber,
        },
        &[0x2C],
    ); // 44
    golden("Key", &t::KeyBox { v: KeyCode::Space }, &[0x07, 0x00]); // 7
    golden(
        "Key",
        &t::KeyBox {
            v: KeyCode::ButtonRight,
        },
        &[
            0x1A, // 282 = 0b1_0001_1010: the low 8 bits
            0x01, // the ninth bit, in a second bit byte
        ],
    );
}

#[test]
fn golden_instances_are_references_into_the_frames_list() {
    // The writer lists each instance once, at its first reference.
    golden_with(
        "Refs",
        &t::Refs {
            a: Some(Ref::new(InstanceId(10))),
            b: Some(Ref::new(InstanceId(20))),
            c: Some(Ref::new(InstanceId(10))),
        },
        &[
            0x07, // bit byte: A, B, C present
            0x01, 0x00, 0x00, 0x00, // A: index 1
            0x02, 0x00, 0x00, 0x00, // B: index 2
            0x01, 0x00, 0x00, 0x00, // C: index 1 again
        ],
        &[10, 20],
    );
    golden_with(
        "Refs",
        &t::Refs {
            a: None,
            b: Some(Ref::new(InstanceId(5))),
            c: None,
        },
        &[0x02, 0x01, 0x00, 0x00, 0x00],
        &[5],
    );
    golden_with(
        "Who",
        &t::WhoBox {
            v: Some(Ref::new(InstanceId(7))),
        },
        &[0x01, 0x00, 0x00, 0x00],
        &[7],
    );
    golden("OptPart", &t::OptPartBox { v: None }, &[0x00]);
    golden_with(
        "OptModel",
        &t::OptModelBox {
            v: Some(Ref::new(InstanceId(3))),
        },
        &[0x01, 0x01, 0x00, 0x00, 0x00],
        &[3],
    );
    golden_with(
        "OptWho",
        &t::OptWhoBox {
            v: Some(Ref::new(InstanceId(3))),
        },
        &[0x01, 0x01, 0x00, 0x00, 0x00],
        &[3],
    );

    // An instance the receiver cannot see arrives as nil, optional or not.
    let refs = [0x07, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0];
    let seen: t::Refs = decode_message(&refs, &[None, Some(InstanceId(20))]).expect("decodes");
    assert_eq!(
        seen,
        t::Refs {
            a: None,
            b: Some(Ref::new(InstanceId(20))),
            c: None
        }
    );
    let who: t::WhoBox = decode_message(&[1, 0, 0, 0], &[None]).expect("decodes");
    assert_eq!(who.v, None);
}

#[test]
fn golden_instance_keys_are_references_and_an_unseen_key_leaves_its_entry_out() {
    // `{[Part]: u8}(..4)`: the count in 3 bits, then each key's reference
    // and its value.
    golden_with(
        "PartScores",
        &t::PartScoresBox {
            v: HashMap::from([(Ref::new(InstanceId(9)), 5)]),
        },
        &[0x01, 0x01, 0x00, 0x00, 0x00, 0x05],
        &[9],
    );
    // `{[Model]: true}(..4)`: the count, then each element's reference.
    golden_with(
        "ModelSet",
        &t::ModelSetBox {
            v: HashSet::from([Ref::new(InstanceId(3))]),
        },
        &[0x01, 0x01, 0x00, 0x00, 0x00],
        &[3],
    );

    // Two entries whose first key the receiver cannot see: that entry is
    // left out (its value read past), the other arrives.
    let two = [0x02, 1, 0, 0, 0, 5, 2, 0, 0, 0, 6];
    let seen: t::PartScoresBox =
        decode_message(&two, &[None, Some(InstanceId(20))]).expect("decodes");
    assert_eq!(seen.v, HashMap::from([(Ref::new(InstanceId(20)), 6)]));
    // Two unseen keys are not a repeated key.
    let none: t::PartScoresBox = decode_message(&two, &[None, None]).expect("decodes");
    assert!(none.v.is_empty());
    // One seen key twice is.
    let twice = [0x02, 1, 0, 0, 0, 5, 1, 0, 0, 0, 6];
    assert_eq!(
        decode_message::<t::PartScoresBox>(&twice, &[Some(InstanceId(9))]).err(),
        Some(DecodeError::DuplicateMapKey)
    );
    let set: t::ModelSetBox = decode_message(
        &[0x02, 1, 0, 0, 0, 2, 0, 0, 0],
        &[Some(InstanceId(4)), None],
    )
    .expect("decodes");
    assert_eq!(set.v, HashSet::from([Ref::new(InstanceId(4))]));
}

#[test]
fn golden_any() {
    let f64_1 = [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F];
    let f64_2 = [0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x40];
    let dyn_ = |v: Value| t::DynBox { v };
    golden("Dyn", &dyn_(Value::Nil), &[0x00]);
    golden("Dyn", &dyn_(Value::Bool(false)), &[0x01]);
    golden("Dyn", &dyn_(Value::Bool(true)), &[0x02]);
    golden("Dyn", &dyn_(Value::Number(1.0)), &cat(&[&[0x03], &f64_1]));
    golden(
        "Dyn",
        &dyn_(Value::String("hi".into())),
        &[0x04, 0x02, 0x68, 0x69],
    );
    golden(
        "Dyn",
        &dyn_(Value::Buffer(vec![1, 2])),
        &[0x05, 0x02, 0x01, 0x02],
    );
    golden(
        "Dyn",
        &dyn_(Value::Array(vec![Value::Bool(false), Value::Nil])),
        &[
            0x06, 0x02, // array of 2
            0x01, // false
            0x00, // nil
        ],
    );
    golden(
        "Dyn",
        &dyn_(Value::Map(vec![(
            Value::String("k".into()),
            Value::Number(2.0),
        )])),
        &cat(&[
            &[0x07, 0x01],       // map of 1
            &[0x04, 0x01, 0x6B], // "k"
            &[0x03],
            &f64_2, // 2
        ]),
    );
    golden_with(
        "Dyn",
        &dyn_(Value::Instance(Some(InstanceId(9)))),
        &[0x08, 0x01, 0x00, 0x00, 0x00],
        &[9],
    );
    golden(
        "Dyn",
        &dyn_(Value::Instance(None)),
        &[0x08, 0x00, 0x00, 0x00, 0x00],
    );
    golden(
        "Dyn",
        &dyn_(Value::Vector3(Vector3::new(1.0, 2.0, 3.0))),
        &cat(&[&[0x09], &F32_1, &F32_2, &F32_3]),
    );
    golden(
        "Dyn",
        &dyn_(Value::BrickColor(BrickColor::ReallyRed)),
        &[0x0D, 0xEC, 0x03],
    );
    golden(
        "Dyn",
        &dyn_(Value::DateTime(DateTime::from_unix_millis(-1))),
        &[0x14, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF],
    );
    golden(
        "Dyn",
        &dyn_(Value::EnumItem {
            enum_name: "Material".into(),
            value: 256,
        }),
        &cat(&[
            &[0x15],
            &[0x08],
            b"Material",
            &[0x00, 0x01, 0x00, 0x00], // Value 256
        ]),
    );
    // The rotation bits of CFrames inside `any` join the message's bit
    // stream: the second CFrame's index fills the first's bit byte.
    let identity = Value::CFrame(CFrame::identity());
    golden(
        "Dyn",
        &dyn_(Value::Array(vec![identity.clone(), identity])),
        &cat(&[
            &[0x06, 0x02], // array of 2
            &[0x0B],       // CFrame
            &[0x00; 12],
            &[0x0F], // bit byte: index 3 (bits 0-1), then the second's 3 (bits 2-3)
            &[0x00; 6],
            &[0x0B],
            &[0x00; 12],
            &[0x00; 6],
        ]),
    );
    // So does the 5-bit keypoint count of a NumberSequence: here it fills
    // the bit byte the CFrame's index opened.
    let fade = Value::NumberSequence(NumberSequence {
        keypoints: vec![
            NumberSequenceKeypoint::new(0.0, 1.0, 0.0),
            NumberSequenceKeypoint::new(0.5, 0.5, 0.0),
            NumberSequenceKeypoint::new(1.0, 0.0, 0.0),
        ],
    });
    golden(
        "Dyn",
        &dyn_(Value::Array(vec![Value::CFrame(CFrame::identity()), fade])),
        &cat(&[
            &[0x06, 0x02], // array of 2
            &[0x0B],       // CFrame
            &[0x00; 12],
            // bit byte: index 3 = 1 1 (bits 0-1), then the NumberSequence's
            // count 3 - 2 = 1 = 1 0 0 0 0 (bits 2-6)
            &[0x07],
            &[0x00; 6],
            &[0x12], // NumberSequence
            &F32_0,
            &F32_1,
            &F32_0, // time, value, envelope
            &F32_HALF,
            &F32_HALF,
            &F32_0,
            &F32_1,
            &F32_0,
            &F32_0,
        ]),
    );
}

#[test]
fn golden_event_messages_are_the_id_then_the_body() {
    // Server → client ids follow declaration order (SendBool is 0), and the
    // direction has 102 messages: ids are 7-bit fields, ceil(log2(102)) = 7.
    assert_eq!(t::PROTOCOL.to_client.len(), 102);
    assert_eq!(id_bits(), 7);
    assert_eq!(message_id("SendBool"), 0);
    assert_eq!(message_id("SendU8Range"), 12);
    assert_eq!(message_id("SendOptOpt"), 36);
    assert_eq!(message_id("SendPair"), 47);

    let server = t::Server::new();
    let player = server.runtime().connect_player();
    let pair = t::Pair {
        a: true,
        n: 0x2A,
        c: true,
    };
    server
        .send_pair()
        .fire_client(&player, pair.clone())
        .expect("sends");
    server
        .send_u8_range()
        .fire_client(&player, 42)
        .expect("sends");
    server
        .send_opt_opt()
        .fire_client(&player, Some(Some(9)))
        .expect("sends");
    let frames = server.runtime().take_outgoing();
    assert_eq!(frames.len(), 1);
    // The tick's three messages in one frame, each with its own bit state:
    // each id opens a new bit byte, which the message's first bits fill.
    let frame = &frames[0].1;
    assert_eq!(
        hex(frame),
        hex(&[
            // SendPair: id 47 = 1 1 1 1 0 1 0 (bits 0-6), Pair.A 1 (bit 7)
            0xAF, //
            0x2A, // Pair.N
            0x01, // a second bit byte: Pair.C 1 (bit 0)
            // SendU8Range: id 12 = 0 0 1 1 0 0 0 (bits 0-6), then 42 - 1 = 41
            // = 1 0 0 1 0 1 0 (u8(1..100): 7 bits): its first bit (bit 7)
            0x8C, //
            0x14, // the other six bits of 41: 0 0 1 0 1 0
            // SendOptOpt: id 36 = 0 0 1 0 0 1 0 (bits 0-6), outer flag 1 (bit 7)
            0xA4, //
            0x01, // a second bit byte: inner flag 1 (bit 0)
            0x09, // 9
        ])
    );

    // A receiver reads the three back the same way: a fresh bit state, the
    // id's bits, the body.
    let mut r = Reader::new(frame);
    let mut next = |event: &str| {
        r.start_message();
        assert_eq!(r.bits(7), Ok(u32::from(message_id(event))), "{event}");
        (t::PROTOCOL.to_client[usize::from(message_id(event))].decode)(&mut r)
            .unwrap_or_else(|e| panic!("{event}: {e}"))
    };
    let got_pair = next("SendPair").downcast::<(t::Pair,)>();
    assert_eq!(got_pair.map(|p| *p).ok(), Some((pair,)));
    let got_range = next("SendU8Range").downcast::<(t::U8Range,)>();
    assert_eq!(got_range.map(|v| *v).ok(), Some((42,)));
    let got_opt = next("SendOptOpt").downcast::<(t::OptOpt,)>();
    assert_eq!(got_opt.map(|v| *v).ok(), Some((Some(Some(9)),)));
    assert!(r.is_empty());
}

/// A message id is a bit field that opens the message's first bit byte; the
/// body's bits fill what it leaves, whatever they are.
#[test]
fn golden_message_ids_share_their_bit_byte_with_the_body() {
    let send = |fire: &dyn Fn(&t::Server, &Player) -> Result<(), SendError>| {
        let server = t::Server::new();
        let player = server.runtime().connect_player();
        fire(&server, &player).expect("sends");
        let frames = server.runtime().take_outgoing();
        assert_eq!(frames.len(), 1);
        hex(&frames[0].1)
    };
    // A body of one bit fills bit 7 of the id's byte: SendBool is id 0.
    assert_eq!(send(&|s, p| s.send_bool().fire_client(p, true)), "80");
    assert_eq!(send(&|s, p| s.send_bool().fire_client(p, false)), "00");
    // A body of no bits at all: the message is the id alone, in one byte.
    assert_eq!(message_id("SendU8Exact"), 13);
    assert_eq!(send(&|s, p| s.send_u8_exact().fire_client(p, 7)), "0D");
    assert_eq!(message_id("SendEmpty"), 48);
    assert_eq!(
        send(&|s, p| s.send_empty().fire_client(p, t::Empty {})),
        "30"
    );
    // A packed field that starts in the id's byte and ends in a second bit
    // byte, placed before the byte values that follow.
    assert_eq!(message_id("SendStats"), 79);
    let stats = t::Stats {
        health: 100,
        speed: 1.5,
        score: -2,
        ratio: 0.25,
    };
    assert_eq!(
        send(&|s, p| s.send_stats().fire_client(p, stats.clone())),
        hex(&cat(&[
            // id 79 = 1 1 1 1 0 0 1 (bits 0-6); Health 100 = 0 0 1 0 0 1 1
            // (u8(0..100): 7 bits): its first bit 0 (bit 7)
            &[0x4F],
            // a second bit byte: Health's other six bits, 0 1 0 0 1 1
            &[0x32],
            &[0x00, 0x00, 0xC0, 0x3F],                         // Speed 1.5
            &[0xFE, 0xFF, 0xFF, 0xFF],                         // Score -2
            &[0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xD0, 0x3F], // Ratio 0.25
        ]))
    );
    // A body of bytes only: the id's byte keeps its unused bit.
    assert_eq!(message_id("SendU8"), 1);
    assert_eq!(send(&|s, p| s.send_u8().fire_client(p, 0xAB)), "01 AB");
}

#[test]
fn golden_messages_of_one_frame_share_its_instance_list() {
    let server = t::Server::new();
    let player = server.runtime().connect_player();
    let part = server
        .runtime()
        .instances()
        .register::<classes::Part>(Visibility::Everyone)
        .id();
    let model = server
        .runtime()
        .instances()
        .register::<classes::Model>(Visibility::Everyone)
        .id();
    let hidden = server
        .runtime()
        .instances()
        .register::<classes::Part>(Visibility::ServerOnly)
        .id();
    server
        .send_opt_part()
        .fire_client(&player, Some(Ref::new(part)))
        .expect("sends");
    let refs = t::Refs {
        a: Some(Ref::new(model)),
        b: Some(Ref::new(part)),
        c: Some(Ref::new(hidden)),
    };
    server
        .send_refs()
        .fire_client(&player, refs)
        .expect("sends");
    let packets = server.runtime().take_packets();
    assert_eq!(packets.len(), 1);
    let packet = &packets[0].1;
    assert_eq!(message_id("SendOptPart"), 73);
    assert_eq!(message_id("SendRefs"), 77);
    assert_eq!(
        hex(&packet.bytes),
        hex(&cat(&[
            // SendOptPart: id 73 = 1 0 0 1 0 0 1 (bits 0-6), present 1 (bit 7)
            &[0xC9],
            &[0x01, 0x00, 0x00, 0x00], // index 1: part, first referenced here
            // SendRefs: id 77 = 1 0 1 1 0 0 1 (bits 0-6), A present 1 (bit 7)
            &[0xCD],
            &[0x02, 0x00, 0x00, 0x00], // A: index 2, model
            &[0x03],                   // a second bit byte: B present (bit 0), C present (bit 1)
            &[0x01, 0x00, 0x00, 0x00], // B: index 1 again, part
            &[0x03, 0x00, 0x00, 0x00], // C: index 3, hidden
        ]))
    );
    // The player's view: what it cannot see is an absent entry.
    assert_eq!(packet.instances, vec![Some(part), Some(model), None]);
    let mut r = Reader::with_instances(&packet.bytes, &packet.instances);
    r.start_message();
    assert_eq!(r.bits(id_bits()), Ok(73));
    let spec = &t::PROTOCOL.to_client[73];
    let first = (spec.decode)(&mut r).expect("decodes");
    assert_eq!(
        *first
            .downcast::<(t::OptPart,)>()
            .expect("the event's tuple"),
        (Some(Ref::new(part)),)
    );
    r.start_message();
    assert_eq!(r.bits(id_bits()), Ok(77));
    assert_eq!(
        t::Refs::decode(&mut r),
        Ok(t::Refs {
            a: Some(Ref::new(model)),
            b: Some(Ref::new(part)),
            c: None,
        })
    );
    assert!(r.is_empty());
}

/// The `what` of an unknown Roblox enum item names the enum without the
/// leading space of its doc comment.
#[test]
fn unknown_roblox_enum_items_name_their_enum() {
    let forged = forge(|w| w.bits(300, 9));
    match decode_message::<t::KeyBox>(&forged, &[]) {
        Err(DecodeError::UnknownTag { what, tag, count }) => {
            assert_eq!((what, tag, count), ("Enum.KeyCode", 300, 283));
        }
        other => panic!("{other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Round trips
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn bool_round_trips(v in any::<bool>()) {
        boxed!(Bool, BoolBox, send_bool).check(v)?;
    }

    #[test]
    fn u8_round_trips(v in any::<u8>()) {
        boxed!(U8, U8Box, send_u8).check(v)?;
    }

    #[test]
    fn u16_round_trips(v in any::<u16>()) {
        boxed!(U16, U16Box, send_u16).check(v)?;
    }

    #[test]
    fn u32_round_trips(v in any::<u32>()) {
        boxed!(U32, U32Box, send_u32).check(v)?;
    }

    #[test]
    fn u64_round_trips(v in any::<u64>()) {
        boxed!(U64, U64Box, send_u64).check(v)?;
    }

    #[test]
    fn i8_round_trips(v in any::<i8>()) {
        boxed!(I8, I8Box, send_i8).check(v)?;
    }

    #[test]
    fn i16_round_trips(v in any::<i16>()) {
        boxed!(I16, I16Box, send_i16).check(v)?;
    }

    #[test]
    fn i32_round_trips(v in any::<i32>()) {
        boxed!(I32, I32Box, send_i32).check(v)?;
    }

    #[test]
    fn i64_round_trips(v in any::<i64>()) {
        boxed!(I64, I64Box, send_i64).check(v)?;
    }

    #[test]
    fn f32_round_trips(v in finite_f32()) {
        boxed!(F32, F32Box, send_f32).check(v)?;
    }

    #[test]
    fn f64_round_trips(v in finite_f64()) {
        boxed!(F64, F64Box, send_f64).check(v)?;
    }

    #[test]
    fn number_round_trips(v in finite_f64()) {
        boxed!(Num, NumBox, send_num).check(v)?;
    }

    #[test]
    fn u8_range_round_trips(v in prop_oneof![Just(1u8), Just(100u8), 1u8..=100]) {
        boxed!(U8Range, U8RangeBox, send_u8_range).check(v)?;
    }

    #[test]
    fn u8_exact_round_trips(v in Just(7u8)) {
        boxed!(U8Exact, U8ExactBox, send_u8_exact).check(v)?;
    }

    #[test]
    fn u16_range_round_trips(v in prop_oneof![Just(10u16), Just(1000u16), 10u16..=1000]) {
        boxed!(U16Range, U16RangeBox, send_u16_range).check(v)?;
    }

    #[test]
    fn u32_max_round_trips(v in prop_oneof![Just(1_000_000u32), 0u32..=1_000_000]) {
        boxed!(U32Max, U32MaxBox, send_u32_max).check(v)?;
    }

    #[test]
    fn u64_min_round_trips(v in prop_oneof![Just(5u64), Just(u64::MAX), 5u64..]) {
        boxed!(U64Min, U64MinBox, send_u64_min).check(v)?;
    }

    #[test]
    fn i8_range_round_trips(v in -10i8..=10) {
        boxed!(I8Range, I8RangeBox, send_i8_range).check(v)?;
    }

    #[test]
    fn i16_range_round_trips(v in prop_oneof![Just(-300i16), Just(300i16), -300i16..=300]) {
        boxed!(I16Range, I16RangeBox, send_i16_range).check(v)?;
    }

    #[test]
    fn i32_min_round_trips(v in prop_oneof![Just(-100_000i32), Just(i32::MAX), -100_000i32..]) {
        boxed!(I32Min, I32MinBox, send_i32_min).check(v)?;
    }

    #[test]
    fn i64_range_round_trips(
        v in prop_oneof![Just(-5_000_000_000i64), Just(5_000_000_000i64),
                         -5_000_000_000i64..=5_000_000_000]
    ) {
        boxed!(I64Range, I64RangeBox, send_i64_range).check(v)?;
    }

    #[test]
    fn u8_percent_round_trips(v in prop_oneof![Just(0u8), Just(100u8), 0u8..=100]) {
        boxed!(U8Pct, U8PctBox, send_u8_pct).check(v)?;
    }

    #[test]
    fn u8_high_round_trips(v in prop_oneof![Just(200u8), Just(255u8), 200u8..]) {
        boxed!(U8High, U8HighBox, send_u8_high).check(v)?;
    }

    #[test]
    fn u8_min_round_trips(v in prop_oneof![Just(1u8), Just(255u8), 1u8..]) {
        boxed!(U8Min, U8MinBox, send_u8_min).check(v)?;
    }

    #[test]
    fn i32_small_round_trips(v in -5i32..=5) {
        boxed!(I32Small, I32SmallBox, send_i32_small).check(v)?;
    }

    #[test]
    fn f32_range_round_trips(
        v in prop_oneof![Just(-1.5f32), Just(1.5f32), Just(-0.0f32), -1.5f32..=1.5]
    ) {
        boxed!(F32Range, F32RangeBox, send_f32_range).check(v)?;
    }

    #[test]
    fn f64_range_round_trips(v in prop_oneof![Just(0.0f64), Just(1.0f64), 0.0f64..=1.0]) {
        boxed!(F64Range, F64RangeBox, send_f64_range).check(v)?;
    }

    #[test]
    fn number_range_round_trips(
        v in prop_oneof![Just(-1000.0f64), Just(1000.0f64), -1000.0f64..=1000.0]
    ) {
        boxed!(NumRange, NumRangeBox, send_num_range).check(v)?;
    }

    #[test]
    fn f32_nonfinite_round_trips(v in any_f32()) {
        boxed!(F32Nonfinite, F32NonfiniteBox, send_f32_nonfinite).matching(same_f32).check(v)?;
    }

    #[test]
    fn f64_nonfinite_round_trips(v in any_f64()) {
        boxed!(F64Nonfinite, F64NonfiniteBox, send_f64_nonfinite).matching(same_f64).check(v)?;
    }

    #[test]
    fn number_nonfinite_round_trips(v in any_f64()) {
        boxed!(NumNonfinite, NumNonfiniteBox, send_num_nonfinite).matching(same_f64).check(v)?;
    }

    #[test]
    fn string_round_trips(v in prop_oneof![text(0, 40), text(100, 400)]) {
        boxed!(Str, StrBox, send_str).check(v)?;
    }

    #[test]
    fn string_max_round_trips(v in text(0, 64)) {
        boxed!(StrMax, StrMaxBox, send_str_max).check(v)?;
    }

    #[test]
    fn string_exact_round_trips(v in text(8, 8)) {
        boxed!(StrExact, StrExactBox, send_str_exact).check(v)?;
    }

    #[test]
    fn string_wide_round_trips(v in prop_oneof![text(1, 300), text(290, 300)]) {
        boxed!(StrWide, StrWideBox, send_str_wide).check(v)?;
    }

    #[test]
    fn buffer_round_trips(v in prop::collection::vec(any::<u8>(), 0..=1024)) {
        boxed!(Buf, BufBox, send_buf).check(v)?;
    }

    #[test]
    fn unbounded_buffer_round_trips(v in prop::collection::vec(any::<u8>(), 0..300)) {
        boxed!(BufAny, BufAnyBox, send_buf_any).check(v)?;
    }

    #[test]
    fn optional_round_trips(v in prop::option::of(any::<u8>())) {
        boxed!(OptU8, OptU8Box, send_opt_u8).check(v)?;
    }

    #[test]
    fn optional_string_round_trips(v in prop::option::of(text(0, 8))) {
        boxed!(OptStr, OptStrBox, send_opt_str).check(v)?;
    }

    #[test]
    fn optional_of_optional_round_trips(v in prop::option::of(prop::option::of(any::<u8>()))) {
        boxed!(OptOpt, OptOptBox, send_opt_opt).check(v)?;
    }

    #[test]
    fn boolean_array_round_trips(v in prop::collection::vec(any::<bool>(), 0..40)) {
        boxed!(Bools, BoolsBox, send_bools).check(v)?;
    }

    #[test]
    fn array_round_trips(v in prop::collection::vec(any::<u16>(), 0..40)) {
        boxed!(U16s, U16sBox, send_u16s).check(v)?;
    }

    #[test]
    fn bounded_array_round_trips(v in prop::collection::vec(any::<u8>(), 0..=100)) {
        boxed!(U8sMax, U8sMaxBox, send_u8s_max).check(v)?;
    }

    #[test]
    fn short_array_round_trips(v in prop::collection::vec(any::<i16>(), 1..=4)) {
        boxed!(I16sFew, I16sFewBox, send_i16s_few).check(v)?;
    }

    #[test]
    fn exact_array_round_trips(v in prop::collection::vec(any::<u8>(), 3)) {
        boxed!(U8sExact, U8sExactBox, send_u8s_exact).check(v)?;
    }

    #[test]
    fn number_keyed_array_round_trips(v in prop::collection::vec(text(0, 4), 0..10)) {
        boxed!(Words, WordsBox, send_words).check(v)?;
    }

    #[test]
    fn array_of_nothing_round_trips(n in prop_oneof![0usize..300, 16_000usize..17_000]) {
        boxed!(Units, UnitsBox, send_units).check(vec![t::One::Only; n])?;
    }

    #[test]
    fn string_map_round_trips(v in prop::collection::hash_map(text(0, 12), any::<u32>(), 0..8)) {
        boxed!(StrMap, StrMapBox, send_str_map).unstable().check(v)?;
    }

    #[test]
    fn short_key_map_round_trips(v in prop::collection::hash_map(text(0, 8), any::<u8>(), 0..=4)) {
        boxed!(ShortKeyMap, ShortKeyMapBox, send_short_key_map).unstable().check(v)?;
    }

    #[test]
    fn enum_map_round_trips(
        red in prop::option::of(any::<bool>()),
        green in prop::option::of(any::<bool>()),
    ) {
        let mut v = HashMap::new();
        v.extend(red.map(|b| (t::Color::Red, b)));
        v.extend(green.map(|b| (t::Color::Green, b)));
        boxed!(ColorMap, ColorMapBox, send_color_map).unstable().check(v)?;
    }

    #[test]
    fn integer_boolean_and_roblox_enum_keyed_maps_round_trip(
        small in prop::collection::hash_map(any::<u8>(), any::<u16>(), 0..=4),
        flags in prop::collection::hash_map(any::<bool>(), any::<u8>(), 0..=2),
        ints in prop::collection::hash_map(-5i16..=5, any::<bool>(), 0..=4),
        keys in prop::collection::hash_map(prop::sample::select(KeyCode::ALL.to_vec()), any::<u8>(), 0..=3),
    ) {
        boxed!(U8Map, U8MapBox, send_u8_map).unstable().check(small)?;
        boxed!(BoolMap, BoolMapBox, send_bool_map).unstable().check(flags)?;
        boxed!(SmallIntMap, SmallIntMapBox, send_small_int_map).unstable().check(ints)?;
        boxed!(KeyMap, KeyMapBox, send_key_map).unstable().check(keys)?;
    }

    #[test]
    fn unions_round_trip(text in text(0, 8), n in any::<u16>(), b in any::<bool>(), a in any::<bool>()) {
        boxed!(Either, EitherBox, send_either).check(t::Either::String(text))?;
        boxed!(Either, EitherBox, send_either).check(t::Either::Number(n))?;
        boxed!(Mixed, MixedBox, send_mixed).check(t::Mixed::Boolean(b))?;
        boxed!(Mixed, MixedBox, send_mixed).check(t::Mixed::Table(t::Pair { a, n: 1, c: b }))?;
    }

    #[test]
    fn sets_round_trip(
        tags in prop::collection::hash_set(text(0, 8), 0..=4),
        red in any::<bool>(),
        green in any::<bool>(),
    ) {
        boxed!(TagSet, TagSetBox, send_tag_set).unstable().check(tags)?;
        let mut colors = HashSet::new();
        colors.extend(red.then_some(t::Color::Red));
        colors.extend(green.then_some(t::Color::Green));
        boxed!(ColorSet, ColorSetBox, send_color_set).unstable().check(colors)?;
    }

    #[test]
    fn instance_keyed_maps_and_sets_round_trip(
        scores in prop::collection::hash_map(instance().prop_map(Ref::new), any::<u8>(), 0..=4),
        models in prop::collection::hash_set(instance().prop_map(Ref::new), 0..=4),
    ) {
        boxed!(PartScores, PartScoresBox, send_part_scores).unstable().check(scores)?;
        boxed!(ModelSet, ModelSetBox, send_model_set).unstable().check(models)?;
    }

    #[test]
    fn binary_strings_of_any_bytes_round_trip(v in prop::collection::vec(any::<u8>(), 0..=16)) {
        boxed!(Bin, BinBox, send_bin).check(v)?;
    }

    #[test]
    fn record_round_trips(a in any::<bool>(), n in any::<u8>(), c in any::<bool>()) {
        nominal!(Pair, send_pair).check(t::Pair { a, n, c })?;
    }

    #[test]
    fn empty_record_round_trips(v in Just(t::Empty {})) {
        nominal!(Empty, send_empty).check(v)?;
    }

    #[test]
    fn record_with_optionals_round_trips(v in with_opt()) {
        nominal!(WithOpt, send_with_opt).check(v)?;
    }

    #[test]
    fn nested_record_round_trips(v in nested()) {
        nominal!(Nested, send_nested).check(v)?;
    }

    #[test]
    fn one_variant_enum_round_trips(v in Just(t::One::Only)) {
        nominal!(One, send_one).check(v)?;
    }

    #[test]
    fn two_variant_enum_round_trips(v in color()) {
        nominal!(Color, send_color).check(v)?;
    }

    #[test]
    fn three_variant_enum_round_trips(v in three()) {
        nominal!(Three, send_three).check(v)?;
    }

    #[test]
    fn nine_variant_enum_round_trips(v in nine()) {
        nominal!(Nine, send_nine).check(v)?;
    }

    #[test]
    fn tagged_enum_round_trips(v in shape()) {
        nominal!(Shape, send_shape).check(v)?;
    }

    #[test]
    fn tagged_enum_with_records_round_trips(v in event()) {
        nominal!(Event, send_event).check(v)?;
    }

    #[test]
    fn linked_list_round_trips(v in node()) {
        nominal!(Node, send_node).check(v)?;
    }

    #[test]
    fn tree_round_trips(v in tree()) {
        nominal!(Tree, send_tree).check(v)?;
    }

    #[test]
    fn vector3_round_trips(v in vector3()) {
        boxed!(Vec3, Vec3Box, send_vec3).check(v)?;
    }

    #[test]
    fn vector2_round_trips(v in vector2()) {
        boxed!(Vec2, Vec2Box, send_vec2).check(v)?;
    }

    #[test]
    fn cframe_round_trips_within_the_quantization(v in cframe()) {
        boxed!(Frame, FrameBox, send_frame).matching(cframe_close).unstable().check(v)?;
    }

    #[test]
    fn color3_round_trips(v in color3()) {
        boxed!(Rgb, RgbBox, send_rgb).check(v)?;
    }

    #[test]
    fn brick_color_round_trips(v in brick_color()) {
        boxed!(Brick, BrickBox, send_brick).check(v)?;
    }

    #[test]
    fn udim_round_trips(v in udim()) {
        boxed!(Dim, DimBox, send_dim).check(v)?;
    }

    #[test]
    fn udim2_round_trips(v in udim2()) {
        boxed!(Dim2, Dim2Box, send_dim2).check(v)?;
    }

    #[test]
    fn rect_round_trips(v in rect()) {
        boxed!(Area, AreaBox, send_area).check(v)?;
    }

    #[test]
    fn number_range_datatype_round_trips(v in number_range()) {
        boxed!(Span, SpanBox, send_span).check(v)?;
    }

    #[test]
    fn number_sequence_round_trips(v in number_sequence()) {
        boxed!(NumSeq, NumSeqBox, send_num_seq).check(v)?;
    }

    #[test]
    fn color_sequence_round_trips(v in color_sequence()) {
        boxed!(ColorSeq, ColorSeqBox, send_color_seq).check(v)?;
    }

    #[test]
    fn date_time_round_trips(v in date_time()) {
        boxed!(When, WhenBox, send_when).check(v)?;
    }

    #[test]
    fn material_round_trips(v in prop::sample::select(Material::ALL.to_vec())) {
        boxed!(Mat, MatBox, send_mat).check(v)?;
    }

    #[test]
    fn key_code_round_trips(v in prop::sample::select(KeyCode::ALL.to_vec())) {
        boxed!(Key, KeyBox, send_key).check(v)?;
    }

    #[test]
    fn optional_instance_round_trips(v in prop::option::of(instance())) {
        boxed!(OptPart, OptPartBox, send_opt_part).check(v.map(Ref::new))?;
    }

    #[test]
    fn optional_located_instance_round_trips(v in prop::option::of(instance())) {
        boxed!(OptModel, OptModelBox, send_opt_model).check(v.map(Ref::new))?;
    }

    #[test]
    fn player_round_trips(v in instance()) {
        boxed!(Who, WhoBox, send_who).check(Some(Ref::new(v)))?;
    }

    #[test]
    fn optional_player_round_trips(v in prop::option::of(instance())) {
        boxed!(OptWho, OptWhoBox, send_opt_who).check(v.map(Ref::new))?;
    }

    #[test]
    fn instance_references_round_trip(
        a in prop::option::of(instance()),
        b in prop::option::of(instance()),
        c in prop::option::of(instance()),
    ) {
        nominal!(Refs, send_refs).check(t::Refs { a: a.map(Ref::new), b: b.map(Ref::new), c: c.map(Ref::new) })?;
    }
}

proptest! {
    // The larger values: fewer cases.
    #![proptest_config(config(48))]

    #[test]
    fn huge_string_round_trips(
        v in prop_oneof![text(0, 64), (69_990usize..=70_000).prop_map(|n| "h".repeat(n))]
    ) {
        boxed!(StrHuge, StrHugeBox, send_str_huge).check(v)?;
    }

    #[test]
    fn any_round_trips(v in value()) {
        boxed!(Dyn, DynBox, send_dyn).matching(same_value).check(v)?;
    }

    /// Datatype components are taken as they are, infinities too (NaN is
    /// refused: `nan_datatype_components_are_refused`).
    #[test]
    fn datatype_components_keep_their_bits(
        (x, y, z) in (component(), component(), component()),
        offset in any::<i32>(),
    ) {
        boxed!(Vec3, Vec3Box, send_vec3)
            .matching(|a, b| bits(&[a.x, a.y, a.z]) == bits(&[b.x, b.y, b.z]))
            .check(Vector3::new(x, y, z))?;
        boxed!(Vec2, Vec2Box, send_vec2)
            .matching(|a, b| bits(&[a.x, a.y]) == bits(&[b.x, b.y]))
            .check(Vector2::new(x, y))?;
        boxed!(Rgb, RgbBox, send_rgb)
            .matching(|a, b| bits(&[a.r, a.g, a.b]) == bits(&[b.r, b.g, b.b]))
            .check(Color3::new(x, y, z))?;
        boxed!(Dim, DimBox, send_dim)
            .matching(|a, b| same_f32(&a.scale, &b.scale) && a.offset == b.offset)
            .check(UDim::new(x, offset))?;
    }

    /// NaN in any datatype component is refused by the encoder of the
    /// record holding it, whichever component holds it.
    #[test]
    fn nan_datatype_components_are_refused(
        (x, y) in (component(), component()),
        at in 0usize..3,
    ) {
        let mut c = [x, y, 1.0];
        c[at] = f32::NAN;
        let vector = t::Vec3Box { v: Vector3::new(c[0], c[1], c[2]) };
        let color = t::RgbBox { v: Color3::new(c[0], c[1], c[2]) };
        prop_assert!(encode_message(&vector).is_err());
        prop_assert!(encode_message(&color).is_err());
    }

    /// Sending a decoded CFrame again gives the same bytes, except where
    /// the two largest quaternion components (nearly) tie: the other may be
    /// dropped then, for the same rotation.
    #[test]
    fn cframes_are_stable_after_one_quantization(v in cframe()) {
        let encode = |v: CFrame| encode_message(&t::FrameBox { v }).map(|(b, _)| b);
        let decode = |b: &[u8]| decode_message::<t::FrameBox>(b, &[]).map(|f| f.v);
        let first = encode(v).map_err(fail)?;
        let once = decode(&first).map_err(fail)?;
        let second = encode(once).map_err(fail)?;
        if first != second {
            let twice = decode(&second).map_err(fail)?;
            prop_assert_eq!(&first[..12], &second[..12], "the position");
            prop_assert_ne!(first[12] & 3, second[12] & 3, "only a tie may change the bytes");
            prop_assert!(
                rotations_close(&once.orientation, &twice.orientation, 1e-4),
                "{:?} / {:?}", once, twice
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Refinements: refused by the encoders, rejected by the decoders
// ---------------------------------------------------------------------------

fn out_of_range(e: &EncodeError) -> bool {
    matches!(e, EncodeError::OutOfRange(_))
}

fn rejected_out_of_range(e: &DecodeError) -> bool {
    matches!(e, DecodeError::OutOfRange(_))
}

fn non_finite(e: &EncodeError) -> bool {
    matches!(e, EncodeError::NonFinite)
}

fn rejected_non_finite(e: &DecodeError) -> bool {
    matches!(e, DecodeError::NonFinite)
}

fn bad_length(e: &EncodeError) -> bool {
    matches!(e, EncodeError::LengthOutOfRange { .. })
}

fn rejected_length(e: &DecodeError) -> bool {
    matches!(e, DecodeError::LengthOutOfRange { .. })
}

fn invalid(e: &EncodeError) -> bool {
    matches!(e, EncodeError::Invalid(_))
}

fn unknown_tag(e: &DecodeError) -> bool {
    matches!(e, DecodeError::UnknownTag { .. })
}

fn duplicate_key(e: &DecodeError) -> bool {
    matches!(e, DecodeError::DuplicateMapKey)
}

/// A float outside `min..=max`, or not finite.
fn f64_outside(min: f64, max: f64) -> impl Strategy<Value = f64> {
    prop_oneof![
        any_f64().prop_filter("outside", move |v| !(min..=max).contains(v)),
        Just(f64::NAN),
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
    ]
}

fn f32_outside(min: f32, max: f32) -> impl Strategy<Value = f32> {
    prop_oneof![
        any_f32().prop_filter("outside", move |v| !(min..=max).contains(v)),
        Just(f32::NAN),
        Just(f32::INFINITY),
        Just(min - 0.001),
        Just(max + 0.001),
    ]
}

/// What a float outside its range is refused as: not finite, or out of range.
fn float_refused(v: f64) -> fn(&EncodeError) -> bool {
    if v.is_finite() {
        out_of_range
    } else {
        non_finite
    }
}

fn float_rejected(v: f64) -> fn(&DecodeError) -> bool {
    if v.is_finite() {
        rejected_out_of_range
    } else {
        rejected_non_finite
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// Values outside the range are refused by the encoders. On the wire, a
    /// packed field can hold more than its span (`field` strategies: the
    /// values from `max - min + 1` to `2^k - 1`), and the decoders reject
    /// those; a field of 0 bits, or one whose span fills all its `2^k`
    /// values, has nothing to reject. Integers that stay bytes are forged as
    /// bytes.
    #[test]
    fn integers_outside_their_range_are_refused(
        u8_range in prop_oneof![Just(0u8), 101u8..],
        u8_range_field in 100u64..128, // 7 bits holding v - 1: 101 to 128
        u8_exact in any::<u8>().prop_filter("not 7", |v| *v != 7),
        u8_pct in 101u8..,
        u8_pct_field in 101u64..128,
        u8_high in 0u8..200,
        u8_high_field in 56u64..64, // 6 bits holding v - 200: 256 to 263
        u8_min in Just(0u8),
        i32_small in prop_oneof![i32::MIN..-5, 6i32..],
        i32_small_field in 11u64..16, // 4 bits holding v + 5: 6 to 10
        u16_range in prop_oneof![0u16..10, 1001u16..],
        u16_range_field in 991u64..1024,
        u32_max in 1_000_001u32..,
        u32_max_field in 1_000_001u64..(1 << 20),
        u64_min in 0u64..5,
        i8_range in prop_oneof![i8::MIN..-10, 11i8..],
        i8_range_field in 21u64..32,
        i16_range in prop_oneof![i16::MIN..-300, 301i16..],
        i16_range_field in 601u64..1024,
        i32_min in i32::MIN..-100_000,
        i64_range in prop_oneof![i64::MIN..-5_000_000_000, 5_000_000_001i64..],
        i64_range_field in 10_000_000_001u64..(1 << 34),
    ) {
        let (refused, rejected) = (out_of_range, rejected_out_of_range);
        let field = |value: u64, bits: u32| move |w: &mut Writer| w.bits64(value, bits);
        let case = boxed!(U8Range, U8RangeBox, send_u8_range);
        case.refuse(u8_range, refused)?;
        case.reject(field(u8_range_field, 7), &[], rejected)?;
        // 0 bits: any message says 7, so only the encoders have work.
        boxed!(U8Exact, U8ExactBox, send_u8_exact).refuse(u8_exact, refused)?;
        let case = boxed!(U8Pct, U8PctBox, send_u8_pct);
        case.refuse(u8_pct, refused)?;
        case.reject(field(u8_pct_field, 7), &[], rejected)?;
        // u8(200..): fields above 55 are past the kind's own bounds.
        let case = boxed!(U8High, U8HighBox, send_u8_high);
        case.refuse(u8_high, refused)?;
        case.reject(field(u8_high_field, 6), &[], rejected)?;
        let case = boxed!(U8Min, U8MinBox, send_u8_min);
        case.refuse(u8_min, refused)?;
        case.reject(raw(&[u8_min]), &[], rejected)?;
        let case = boxed!(I32Small, I32SmallBox, send_i32_small);
        case.refuse(i32_small, refused)?;
        case.reject(field(i32_small_field, 4), &[], rejected)?;
        let case = boxed!(U16Range, U16RangeBox, send_u16_range);
        case.refuse(u16_range, refused)?;
        case.reject(field(u16_range_field, 10), &[], rejected)?;
        let case = boxed!(U32Max, U32MaxBox, send_u32_max);
        case.refuse(u32_max, refused)?;
        case.reject(field(u32_max_field, 20), &[], rejected)?;
        let case = boxed!(U64Min, U64MinBox, send_u64_min);
        case.refuse(u64_min, refused)?;
        case.reject(raw(&u64_min.to_le_bytes()), &[], rejected)?;
        let case = boxed!(I8Range, I8RangeBox, send_i8_range);
        case.refuse(i8_range, refused)?;
        case.reject(field(i8_range_field, 5), &[], rejected)?;
        let case = boxed!(I16Range, I16RangeBox, send_i16_range);
        case.refuse(i16_range, refused)?;
        case.reject(field(i16_range_field, 10), &[], rejected)?;
        let case = boxed!(I32Min, I32MinBox, send_i32_min);
        case.refuse(i32_min, refused)?;
        case.reject(raw(&i32_min.to_le_bytes()), &[], rejected)?;
        let case = boxed!(I64Range, I64RangeBox, send_i64_range);
        case.refuse(i64_range, refused)?;
        case.reject(field(i64_range_field, 34), &[], rejected)?;
    }

    #[test]
    fn floats_outside_their_range_are_refused(
        f32_range in f32_outside(-1.5, 1.5),
        f64_range in f64_outside(0.0, 1.0),
        num_range in f64_outside(-1000.0, 1000.0),
        nonfinite in prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(f64::NEG_INFINITY),
                                 any_f64().prop_filter("nonfinite", |v| !v.is_finite())],
        radius in finite_f32().prop_map(|v| -v.abs().max(f32::MIN_POSITIVE)),
    ) {
        let case = boxed!(F32Range, F32RangeBox, send_f32_range);
        case.refuse(f32_range, float_refused(f32_range.into()))?;
        case.reject(raw(&f32_range.to_le_bytes()), &[], float_rejected(f32_range.into()))?;
        let case = boxed!(F64Range, F64RangeBox, send_f64_range).matching(same_f64);
        case.refuse(f64_range, float_refused(f64_range))?;
        case.reject(raw(&f64_range.to_le_bytes()), &[], float_rejected(f64_range))?;
        let case = boxed!(NumRange, NumRangeBox, send_num_range).matching(same_f64);
        case.refuse(num_range, float_refused(num_range))?;
        case.reject(raw(&num_range.to_le_bytes()), &[], float_rejected(num_range))?;
        // Plain floats are finite.
        let case = boxed!(F32, F32Box, send_f32).matching(same_f32);
        case.refuse(nonfinite as f32, non_finite)?;
        case.reject(raw(&(nonfinite as f32).to_le_bytes()), &[], rejected_non_finite)?;
        let case = boxed!(F64, F64Box, send_f64).matching(same_f64);
        case.refuse(nonfinite, non_finite)?;
        case.reject(raw(&nonfinite.to_le_bytes()), &[], rejected_non_finite)?;
        let case = boxed!(Num, NumBox, send_num).matching(same_f64);
        case.refuse(nonfinite, non_finite)?;
        case.reject(raw(&nonfinite.to_le_bytes()), &[], rejected_non_finite)?;
        let case = nominal!(Shape, send_shape);
        case.refuse(t::Shape::Circle { radius }, out_of_range)?;
        case.reject(|w| { w.bits(0, 2); w.f32(radius); }, &[], rejected_out_of_range)?;
        case.refuse(t::Shape::Circle { radius: f32::NAN }, non_finite)?;
    }

    #[test]
    fn strings_outside_their_length_are_refused(
        max in 65usize..200,
        max_field in 65usize..128, // ..64: a 7-bit length, up to 127
        exact in prop_oneof![0usize..8, 9usize..40],
        wide in prop_oneof![Just(0usize), 301usize..400],
        junk in prop::collection::vec(any::<u8>(), 0..16),
    ) {
        let case = boxed!(StrMax, StrMaxBox, send_str_max);
        case.refuse("m".repeat(max), bad_length)?;
        case.reject(|w| {
            w.bits(max_field as u32, 7);
            w.bytes(&vec![b'm'; max_field]);
        }, &[], rejected_length)?;
        boxed!(StrExact, StrExactBox, send_str_exact).refuse("e".repeat(exact), bad_length)?;
        let case = boxed!(StrWide, StrWideBox, send_str_wide);
        case.refuse("w".repeat(wide), bad_length)?;
        // 1..300: 9 bits holding len - 1 (up to 512), so 0 cannot be said.
        if wide > 0 {
            case.reject(|w| {
                w.bits(wide as u32 - 1, 9);
                w.bytes(&vec![b'w'; wide]);
            }, &[], rejected_length)?;
        }
        let case = boxed!(Buf, BufBox, send_buf);
        case.refuse(vec![0; 1025 + junk.len()], bad_length)?;
        // ..1024: 11 bits.
        case.reject(|w| {
            w.bits(1025, 11);
            w.bytes(&[0; 1025]);
        }, &[], rejected_length)?;
        // Not UTF-8 (a lone continuation byte first), under every prefix.
        let bad = cat(&[&[0x80], &junk]);
        let n = bad.len();
        boxed!(Str, StrBox, send_str).reject(raw(&cat(&[&[n as u8], &bad])), &[],
            |e| matches!(e, DecodeError::InvalidUtf8))?;
        let padded = cat(&[&bad, &[b'x'; 8]]);
        boxed!(StrExact, StrExactBox, send_str_exact).reject(raw(&padded[..8]), &[],
            |e| matches!(e, DecodeError::InvalidUtf8))?;
        boxed!(StrMax, StrMaxBox, send_str_max).reject(|w| {
            w.bits(n as u32, 7);
            w.bytes(&bad);
        }, &[], |e| matches!(e, DecodeError::InvalidUtf8))?;
    }

    #[test]
    fn arrays_and_maps_outside_their_length_are_refused(
        many in 101usize..200,
        many_field in 101usize..128, // ..100: a 7-bit count, up to 127
        few in prop_oneof![Just(0usize), 5usize..10],
        not_three in prop_oneof![0usize..3, 4usize..10],
        long_key in text(9, 20),
        entries in 5usize..10,
        entries_field in 5u32..8, // ..4: a 3-bit count, up to 7
    ) {
        let case = boxed!(U8sMax, U8sMaxBox, send_u8s_max);
        case.refuse(vec![1; many], bad_length)?;
        case.reject(|w| {
            w.bits(many_field as u32, 7);
            w.bytes(&vec![1; many_field]);
        }, &[], rejected_length)?;
        // 1..4: 2 bits holding len - 1, every one of them a valid length, so
        // only the encoders have work.
        boxed!(I16sFew, I16sFewBox, send_i16s_few).refuse(vec![1; few], bad_length)?;
        boxed!(U8sExact, U8sExactBox, send_u8s_exact).refuse(vec![1; not_three], bad_length)?;
        let case = boxed!(ShortKeyMap, ShortKeyMapBox, send_short_key_map).unstable();
        case.refuse(HashMap::from([(long_key.clone(), 1)]), bad_length)?;
        let keys = (0..entries).map(|i| (i.to_string(), 1u8)).collect();
        case.refuse(keys, bad_length)?;
        case.reject(|w| {
            w.bits(entries_field, 3);
            w.bytes(&[0; 10]);
        }, &[], rejected_length)?;
        // A 4-bit key length of 9 to 15 in string(..8).
        let key_len = long_key.len().min(15);
        case.reject(|w| {
            w.bits(1, 3);
            w.bits(key_len as u32, 4);
            w.bytes(&long_key.as_bytes()[..key_len]);
            w.u8(1);
        }, &[], rejected_length)?;
        // ColorMap's ..3 is a 2-bit count, every one of them a valid length.
    }

    #[test]
    fn repeated_map_keys_are_rejected(key in text(0, 8), a in any::<u32>(), b in any::<u32>()) {
        let entry = |w: &mut Writer, v: u32| {
            w.varint(key.len() as u32);
            w.bytes(key.as_bytes());
            w.u32(v);
        };
        let forged = |w: &mut Writer| {
            w.varint(2);
            entry(w, a);
            entry(w, b);
        };
        boxed!(StrMap, StrMapBox, send_str_map).unstable().reject(forged, &[], duplicate_key)?;
        let forged = |w: &mut Writer| {
            w.bits(2, 2); // ..3: a 2-bit count
            w.bool(true); // Green
            w.bool(a % 2 == 0);
            w.bool(true); // Green again
            w.bool(b % 2 == 0);
        };
        boxed!(ColorMap, ColorMapBox, send_color_map)
            .unstable()
            .reject(forged, &[], duplicate_key)?;
    }

    #[test]
    fn tags_past_the_last_variant_are_rejected(
        three in 3u32..4,
        nine in 9u32..16,
        shape in 3u32..4,
        event in 5u32..8,
        material in 45u32..64,
        key in 283u32..512,
    ) {
        nominal!(Three, send_three).reject(|w| w.bits(three, 2), &[], unknown_tag)?;
        nominal!(Nine, send_nine).reject(|w| w.bits(nine, 4), &[], unknown_tag)?;
        nominal!(Shape, send_shape).reject(|w| w.bits(shape, 2), &[], unknown_tag)?;
        nominal!(Event, send_event).reject(|w| w.bits(event, 3), &[], unknown_tag)?;
        boxed!(Mat, MatBox, send_mat).reject(|w| w.bits(material, 6), &[], unknown_tag)?;
        boxed!(Key, KeyBox, send_key).reject(|w| w.bits(key, 9), &[], unknown_tag)?;
    }

    #[test]
    fn fields_of_records_and_variants_keep_their_refinements(
        x in prop_oneof![
            finite_f32().prop_map(|v| -v.abs().max(f32::MIN_POSITIVE)),
            Just(f32::NAN),
            Just(f32::INFINITY),
            Just(f32::NEG_INFINITY),
        ],
        speed in prop_oneof![Just(0u8), 21u8..],
        speed_field in 20u32..32, // u8(1..20): 5 bits holding v - 1, so 21 to 32
        body in text(33, 60),
        name in text(17, 30),
    ) {
        let case = nominal!(Nested, send_nested);
        let nested = |name: &str, tail: Option<t::NestedTail>, points: usize| t::Nested {
            id: 1,
            inner: t::NestedInner { flag: true, name: name.into() },
            tail,
            points: vec![t::NestedPoints { x: 0, y: 0 }; points],
        };
        let tail = |x: f32, tags: usize| Some(t::NestedTail { x, tags: vec![t::Color::Red; tags] });
        case.refuse(nested("", tail(x, 0), 0), float_refused(x.into()))?;
        case.refuse(nested("", tail(1.0, 3), 0), bad_length)?;
        case.refuse(nested(&name, None, 0), bad_length)?;
        case.refuse(nested("", None, 4), bad_length)?;
        let forged = |w: &mut Writer| {
            w.u16(1);
            w.bool(true);
            w.bits(0, 5); // Name "" (..16: 5 bits)
            w.bool(true); // Tail present
            w.f32(x);
            w.bits(0, 2); // no Tags (..2: 2 bits)
            w.bits(0, 2); // no Points (..3: 2 bits)
        };
        case.reject(forged, &[], float_rejected(x.into()))?;

        let case = nominal!(Event, send_event);
        let moving = t::Event::Move { to: Vector2::new(0.0, 0.0), run: false, speed: Some(speed) };
        case.refuse(moving, out_of_range)?;
        let forged = |w: &mut Writer| {
            w.bits(2, 3);
            w.f32(0.0);
            w.f32(0.0);
            w.bool(false);
            w.bool(true);
            w.bits(speed_field, 5);
        };
        case.reject(forged, &[], rejected_out_of_range)?;
        case.refuse(t::Event::Text { body, loud: false }, bad_length)?;
        case.refuse(t::Event::Many { items: vec![t::Three::A; 6] }, bad_length)?;
    }

    #[test]
    fn required_instances_and_references_are_checked(
        id in instance(),
        past in 2u32..,
    ) {
        let case = boxed!(Who, WhoBox, send_who);
        case.refuse(None, invalid)?;
        // Nil where the type is not optional.
        case.reject(raw(&[0, 0, 0, 0]), &[Some(id)], |e| matches!(e, DecodeError::NilInstance))?;
        // A reference past the instance list.
        let bad_reference = |e: &DecodeError| matches!(e, DecodeError::BadInstanceReference { .. });
        case.reject(raw(&past.to_le_bytes()), &[Some(id)], bad_reference)?;
        // An optional instance that says present carries a reference, not nil.
        let case = boxed!(OptPart, OptPartBox, send_opt_part);
        case.reject(|w| { w.bool(true); w.u32(0); }, &[Some(id)], |e| matches!(e, DecodeError::NilInstance))?;
        case.reject(|w| { w.bool(true); w.u32(past); }, &[Some(id)], bad_reference)?;
        boxed!(OptWho, OptWhoBox, send_opt_who)
            .reject(|w| { w.bool(true); w.u32(0); }, &[Some(id)], |e| matches!(e, DecodeError::NilInstance))?;
        nominal!(Refs, send_refs)
            .reject(|w| { w.bool(true); w.u32(past); }, &[Some(id)], bad_reference)?;
    }

    #[test]
    fn datatypes_roblox_refuses_are_refused(
        (low, high) in (finite_f32(), finite_f32()).prop_filter("distinct", |(a, b)| a != b),
        count in prop_oneof![Just(1usize), 21usize..30],
        start in finite_f32().prop_filter("not 0", |v| *v != 0.0),
        number in any::<u16>()
            .prop_filter("no BrickColor", |n| BrickColor::from_number(*n).is_none()),
    ) {
        let (min, max) = (low.min(high), low.max(high));
        let case = boxed!(Span, SpanBox, send_span);
        case.refuse(NumberRange::new(max, min), invalid)?;
        let forged = cat(&[&max.to_le_bytes(), &min.to_le_bytes()]);
        case.reject(raw(&forged), &[], |e| matches!(e, DecodeError::InvalidDatatype { .. }))?;

        let keypoint = |time: f32| NumberSequenceKeypoint::new(time, 0.0, 0.0);
        let case = boxed!(NumSeq, NumSeqBox, send_num_seq);
        let mut times: Vec<f32> =
            (0..count).map(|i| i as f32 / (count.max(2) - 1) as f32).collect();
        times[0] = 0.0;
        *times.last_mut().expect("a keypoint") = 1.0;
        let seq = NumberSequence { keypoints: times.iter().map(|&t| keypoint(t)).collect() };
        case.refuse(seq, bad_length)?;
        let seq = NumberSequence { keypoints: vec![keypoint(start), keypoint(1.0)] };
        case.refuse(seq, invalid)?;
        let keypoints = vec![keypoint(0.0), keypoint(0.5), keypoint(0.25), keypoint(1.0)];
        let seq = NumberSequence { keypoints };
        case.refuse(seq, invalid)?;
        // The count is 5 bits holding count - 2: 19 to 31 say 21 to 33
        // keypoints.
        let over = count.max(21) - 2;
        case.reject(|w| {
            w.bits(over as u32, 5);
            w.bytes(&vec![0; (over + 2) * 12]);
        }, &[], rejected_length)?;
        let forged = |w: &mut Writer| {
            w.bits(0, 5);
            for time in [start, 1.0] {
                w.f32(time);
                w.f32(0.0);
                w.f32(0.0);
            }
        };
        case.reject(forged, &[], |e| matches!(e, DecodeError::InvalidDatatype { .. }))?;

        let case = boxed!(ColorSeq, ColorSeqBox, send_color_seq);
        let black = Color3::new(0.0, 0.0, 0.0);
        let seq = ColorSequence { keypoints: vec![ColorSequenceKeypoint::new(0.0, black); count] };
        case.refuse(seq, bad_length)?;
        let seq = ColorSequence {
            keypoints: vec![
                ColorSequenceKeypoint::new(0.0, black),
                ColorSequenceKeypoint::new(start, black),
            ],
        };
        if start != 1.0 {
            case.refuse(seq, invalid)?;
        }

        boxed!(Brick, BrickBox, send_brick).reject(raw(&number.to_le_bytes()), &[],
            |e| matches!(e, DecodeError::UnknownBrickColor { .. }))?;
    }

    #[test]
    fn any_refuses_what_luau_cannot_hold(
        tag in 22u8..,
        key in value_leaf(),
        depth in 33usize..40,
    ) {
        let case = boxed!(Dyn, DynBox, send_dyn).matching(same_value);
        case.reject(raw(&[tag]), &[], unknown_tag)?;
        // Tables nested more than 32 deep.
        let mut deep = Value::Nil;
        for _ in 0..depth {
            deep = Value::Array(vec![deep]);
        }
        case.refuse(deep, |e| matches!(e, EncodeError::TooDeep { .. }))?;
        let mut forged = Vec::new();
        for _ in 0..depth {
            forged.extend([6, 1]);
        }
        forged.push(0);
        case.reject(raw(&forged), &[], |e| matches!(e, DecodeError::TooDeep { .. }))?;
        // Nil and NaN keys; a key twice.
        let map = |k: Value| Value::Map(vec![(k, Value::Bool(true))]);
        let invalid_key = |e: &EncodeError| matches!(e, EncodeError::InvalidMapKey);
        case.refuse(map(Value::Nil), invalid_key)?;
        case.refuse(map(Value::Number(f64::NAN)), invalid_key)?;
        let twice =
            |k: &Value| Value::Map(vec![(k.clone(), Value::Nil), (k.clone(), Value::Bool(true))]);
        let repeatable = !matches!(key, Value::Nil | Value::Array(_) | Value::Map(_))
            && !matches!(&key, Value::Number(n) if n.is_nan());
        if repeatable {
            let (_, ids) = encode_message(&t::DynBox { v: key.clone() }).map_err(fail)?;
            // A map of 2 entries whose keys are the same, each with the
            // value nil.
            let forged = |w: &mut Writer| {
                w.u8(7);
                w.varint(2);
                for _ in 0..2 {
                    key.encode(w).expect("a key that encodes");
                    w.u8(0);
                }
            };
            let view = visible(&ids);
            // Userdata other than Vector3 and EnumItem are keys by identity
            // in Luau: two equal ones are two keys. (A nil instance as a key:
            // see `any_map_keys_that_are_nil_instances_are_refused`.)
            if !matches!(key, Value::Instance(None) | Value::CFrame(_) | Value::Vector2(_)
                | Value::Color3(_) | Value::BrickColor(_) | Value::UDim(_) | Value::UDim2(_)
                | Value::Rect(_) | Value::NumberRange(_) | Value::NumberSequence(_)
                | Value::ColorSequence(_) | Value::DateTime(_) | Value::Buffer(_))
            {
                case.refuse(twice(&key), |e| matches!(e, EncodeError::DuplicateMapKey))?;
                case.reject(forged, &view, duplicate_key)?;
            }
        }
    }
}

#[test]
fn varints_must_be_short_and_in_range() {
    let case = boxed!(Str, StrBox, send_str);
    let check = |bytes: &[u8], expected: fn(&DecodeError) -> bool| {
        case.reject(raw(bytes), &[], expected)
            .unwrap_or_else(|e| panic!("{}: {e}", hex(bytes)));
    };
    // 0 written in two bytes.
    check(&[0x80, 0x00], |e| matches!(e, DecodeError::OverlongVarint));
    // A sixth byte, and a fifth byte above 2^32 - 1.
    check(&[0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], |e| {
        matches!(e, DecodeError::VarintOverflow)
    });
    check(&[0xFF, 0xFF, 0xFF, 0xFF, 0x1F], |e| {
        matches!(e, DecodeError::VarintOverflow)
    });
    // A length longer than the input left.
    check(&[0x05, b'a'], |e| {
        matches!(
            e,
            DecodeError::LengthExceedsInput { .. } | DecodeError::UnexpectedEnd { .. }
        )
    });
    // The 17-bit prefix of string(..70000) holds up to 131071: 70001 is out
    // of range.
    boxed!(StrHuge, StrHugeBox, send_str_huge)
        .reject(
            |w| {
                w.bits(70_001, 17);
                w.bytes(&[b'h'; 70_001]);
            },
            &[],
            rejected_length,
        )
        .unwrap_or_else(|e| panic!("{e}"));
    boxed!(StrHuge, StrHugeBox, send_str_huge)
        .refuse("h".repeat(70_001), bad_length)
        .unwrap_or_else(|e| panic!("{e}"));
}

// ---------------------------------------------------------------------------
// The size model against the encoding
// ---------------------------------------------------------------------------

/// The length of `value` encoded as a whole message.
fn len_of(value: &impl Encode) -> u64 {
    encode_message(value).expect("encodes").0.len() as u64
}

#[test]
fn each_one_field_record_is_as_large_as_its_alias() {
    let sizes = sizes();
    let mut pairs = 0;
    for (name, size) in sizes {
        if let Some(alias) = name.strip_suffix("Box") {
            if let Some(alias_size) = sizes.get(alias) {
                assert_eq!(size, alias_size, "{name} and {alias}");
                pairs += 1;
            }
        }
    }
    assert_eq!(pairs, 86, "every `XBox` of types.tether");
}

#[test]
fn the_size_models_bounds_are_reached() {
    let bounds = |decl: &str| {
        let size = size_of(decl);
        (size.min_bytes(), size.max_bytes())
    };
    let exactly = |decl: &str, smallest: u64, largest: u64| {
        assert_eq!(
            bounds(decl),
            (smallest, Some(largest)),
            "{decl}: smallest and largest encodings"
        );
    };
    let box_str = |v: &str| t::StrWideBox { v: v.into() };
    exactly(
        "StrWide",
        len_of(&box_str("a")),
        len_of(&box_str(&"a".repeat(300))),
    );
    exactly(
        "U8sMax",
        len_of(&t::U8sMaxBox { v: vec![] }),
        len_of(&t::U8sMaxBox { v: vec![0; 100] }),
    );
    exactly(
        "OptOpt",
        len_of(&t::OptOptBox { v: None }),
        len_of(&t::OptOptBox { v: Some(Some(0)) }),
    );
    let box_ = t::Shape::Box {
        size: Vector3::new(0.0, 0.0, 0.0),
    };
    exactly("Shape", len_of(&t::Shape::Point), len_of(&box_));
    let loud = t::Event::Text {
        body: "b".repeat(32),
        loud: true,
    };
    exactly("Event", len_of(&t::Event::Ping), len_of(&loud));
    let smallest = t::Nested {
        id: 0,
        inner: t::NestedInner {
            flag: false,
            name: String::new(),
        },
        tail: None,
        points: vec![],
    };
    let largest = t::Nested {
        id: 0,
        inner: t::NestedInner {
            flag: false,
            name: "n".repeat(16),
        },
        tail: Some(t::NestedTail {
            x: 0.0,
            tags: vec![t::Color::Red; 2],
        }),
        points: vec![t::NestedPoints { x: 0, y: 0 }; 3],
    };
    exactly("Nested", len_of(&smallest), len_of(&largest));
    let frame = len_of(&t::FrameBox {
        v: CFrame::identity(),
    });
    exactly("Frame", frame, frame);
    assert_eq!(frame, 19);
    let refs = |id: Option<u64>| t::Refs {
        a: id.map(|i| Ref::new(InstanceId(i))),
        b: id.map(|i| Ref::new(InstanceId(i))),
        c: id.map(|i| Ref::new(InstanceId(i))),
    };
    exactly("Refs", len_of(&refs(None)), len_of(&refs(Some(1))));
    let seq = |n: usize| t::NumSeqBox {
        v: NumberSequence {
            keypoints: (0..n)
                .map(|i| NumberSequenceKeypoint::new(i as f32 / (n - 1) as f32, 0.0, 0.0))
                .collect(),
        },
    };
    exactly("NumSeq", len_of(&seq(2)), len_of(&seq(20)));
    exactly("Empty", 0, 0);
    // Packed integers are their bits, rounded up to whole bytes on their
    // own: u8(7) is 0 bits, u8(0..100) 7, u32(..1000000) 20, the i64 range
    // 34.
    exactly("U8Exact", 0, 0);
    assert_eq!(len_of(&t::U8ExactBox { v: 7 }), 0);
    let pct = len_of(&t::U8PctBox { v: 100 });
    exactly("U8Pct", pct, pct);
    assert_eq!(pct, 1);
    exactly("U32Max", 3, 3);
    exactly("I64Range", 5, 5);
    exactly("I32Small", 1, 1);
    exactly("U8Min", 1, 1);
    // Bit-field length prefixes: string(..64) is 7 bits and 0 to 64 bytes,
    // string(..70000) 17 bits and 0 to 70000 bytes.
    let str_max = |n: usize| len_of(&t::StrMaxBox { v: "m".repeat(n) });
    exactly("StrMax", str_max(0), str_max(64));
    assert_eq!((str_max(0), str_max(64)), (1, 65));
    let str_huge = |n: usize| len_of(&t::StrHugeBox { v: "h".repeat(n) });
    exactly("StrHuge", str_huge(0), str_huge(70_000));
    assert_eq!((str_huge(0), str_huge(70_000)), (3, 70_003));
    // 7 bits and 16 bytes, or 17 bytes.
    exactly("Stats", 17, 17);
    exactly("Gauges", 17, 17);
    exactly("One", 0, 0);
    // Arrays of flat records take what they would row by row: {Unit}(..4)
    // is a 3-bit length and up to 4 × (2 bytes and 8 bits), so 1 to 8 bytes
    // and 35 bits = 13 bytes; {Marker}(..255) an 8-bit length and up to
    // 255 × (4 bytes and 9 bits), so 1 to 1020 bytes and 2303 bits = 1308.
    let squad = |n: usize| {
        len_of(&t::SquadBox {
            v: vec![unit(true, 100, 0); n],
        })
    };
    exactly("Squad", squad(0), squad(4));
    assert_eq!((squad(0), squad(4)), (1, 13));
    let markers = |n: usize| {
        len_of(&t::MarkersBox {
            v: vec![marker(7, -8, true, 1.0); n],
        })
    };
    exactly("Markers", markers(0), markers(255));
    assert_eq!((markers(0), markers(255)), (1, 1308));
    // Row by row: {Reading}(..4) is 3 bits and up to 4 × 3 bytes;
    // {Label}(..4) 3 bits and up to 4 × (5 bits and 8 bytes).
    let readings = |n: usize| {
        len_of(&t::ReadingsBox {
            v: vec![t::Reading { a: 0, b: 0 }; n],
        })
    };
    exactly("Readings", readings(0), readings(4));
    assert_eq!((readings(0), readings(4)), (1, 13));
    let label = t::Label {
        on: true,
        name: "n".repeat(8),
    };
    let labels = |n: usize| {
        len_of(&t::LabelsBox {
            v: vec![label.clone(); n],
        })
    };
    exactly("Labels", labels(0), labels(4));
    assert_eq!((labels(0), labels(4)), (1, 35));
    // Unbounded: the smallest is reached, and there is no largest.
    assert_eq!(
        bounds("Node").0,
        len_of(&t::Node {
            value: 0,
            next: None
        })
    );
    assert_eq!(bounds("Node").1, None);
    assert_eq!(
        bounds("Tree"),
        (len_of(&t::Tree { children: vec![] }), None)
    );
    assert_eq!(bounds("Dyn"), (len_of(&t::DynBox { v: Value::Nil }), None));
    assert_eq!(bounds("Str"), (1, None));
    // Elements of no size: only the varint count, at most 5 bytes.
    assert_eq!(bounds("Units"), (1, Some(5)));
}

/// `any` map keys must not be nil (docs/wire-format.md, section 4.10); a nil
/// instance (reference 0) is nil in Luau, where `t[nil] = v` fails.
#[test]
fn any_map_keys_that_are_nil_instances_are_refused() {
    let nil = Value::Instance(None);
    let map = t::DynBox {
        v: Value::Map(vec![(nil.clone(), Value::Nil), (nil, Value::Bool(true))]),
    };
    assert_eq!(
        encode_message(&map).map(|(bytes, _)| hex(&bytes)),
        Err(EncodeError::InvalidMapKey)
    );
    // A map of one entry, whose key is the reference 0.
    let forged = [0x07, 0x01, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00];
    assert_eq!(
        decode_message::<t::DynBox>(&forged, &[]),
        Err(DecodeError::InvalidMapKey)
    );
}

/// An array of elements of no size costs its decoder a loop for no input:
/// past 2^20 elements the decoder rejects it and the encoder refuses it
/// (docs/wire-format.md, section 4.4), so the two agree.
#[test]
fn arrays_of_nothing_are_capped_on_both_sides() {
    let cap = usize::try_from(ZERO_SIZE_CAP).expect("fits");
    let at_cap = t::UnitsBox {
        v: vec![t::One::Only; cap],
    };
    let (bytes, _) = encode_message(&at_cap).expect("the cap itself is fine");
    let back = decode_message::<t::UnitsBox>(&bytes, &[]);
    assert_eq!(back.map(|b| b.v.len()), Ok(cap));

    let over = t::UnitsBox {
        v: vec![t::One::Only; cap + 1],
    };
    assert!(encode_message(&over).is_err(), "the encoder refuses");
    let forged = [0x81, 0x80, 0x40]; // 2^20 + 1, and no elements
    assert!(
        decode_message::<t::UnitsBox>(&forged, &[]).is_err(),
        "the decoder rejects"
    );
}

// ---------------------------------------------------------------------------
// A record of numbers that are all whole bytes (no packed integer) is read
// and written as one fixed run of bytes; the bytes and the checks are those
// of its fields one by one.

#[test]
fn a_record_of_numbers_is_its_fields_bytes_in_order() {
    let gauges = t::Gauges {
        level: 100,
        speed: 1.5,
        score: -2,
        ratio: 0.25,
    };
    let (bytes, _) = encode_message(&gauges).expect("in range");
    assert_eq!(
        hex(&bytes),
        // u8 100 | f32 1.5 | i32 -2 | f64 0.25 (u8(1..) spans 254: 8 bits,
        // the whole width, so a byte)
        "64 00 00 C0 3F FE FF FF FF 00 00 00 00 00 00 D0 3F"
    );
    assert_eq!(decode_message::<t::Gauges>(&bytes, &[]), Ok(gauges.clone()));
    if let Err(e) = within("Gauges", bytes.len()) {
        panic!("{e}");
    }

    let flat = t::Gauges {
        level: 0,
        ..gauges.clone()
    };
    assert!(matches!(
        encode_message(&flat),
        Err(EncodeError::OutOfRange(_))
    ));
    let mut forged = bytes.clone();
    forged[0] = 0;
    assert!(matches!(
        decode_message::<t::Gauges>(&forged, &[]),
        Err(DecodeError::OutOfRange(_))
    ));
    let mut too_fast = bytes.clone();
    too_fast[1..5].copy_from_slice(&50.5f32.to_le_bytes());
    assert!(matches!(
        decode_message::<t::Gauges>(&too_fast, &[]),
        Err(DecodeError::OutOfRange(_))
    ));
    let mut not_a_number = bytes.clone();
    not_a_number[9..17].copy_from_slice(&f64::NAN.to_le_bytes());
    assert_eq!(
        decode_message::<t::Gauges>(&not_a_number, &[]),
        Err(DecodeError::NonFinite)
    );
    assert!(
        decode_message::<t::Gauges>(&bytes[..16], &[]).is_err(),
        "one byte short"
    );
}

/// A packed integer takes a record of numbers out of the run of bytes: its
/// bits open a bit byte where it is written, the other fields follow as
/// bytes.
#[test]
fn a_record_of_numbers_with_a_packed_integer_is_a_bit_byte_then_bytes() {
    let stats = t::Stats {
        health: 100,
        speed: 1.5,
        score: -2,
        ratio: 0.25,
    };
    let (bytes, _) = encode_message(&stats).expect("in range");
    assert_eq!(
        hex(&bytes),
        // bit byte: Health 100 (u8(0..100): 7 bits; bit 7 unused) | f32 1.5 |
        // i32 -2 | f64 0.25
        "64 00 00 C0 3F FE FF FF FF 00 00 00 00 00 00 D0 3F"
    );
    assert_eq!(decode_message::<t::Stats>(&bytes, &[]), Ok(stats.clone()));

    let too_healthy = t::Stats {
        health: 101,
        ..stats.clone()
    };
    assert!(matches!(
        encode_message(&too_healthy),
        Err(EncodeError::OutOfRange(_))
    ));
    // The 7-bit field holds up to 127: 101 to 127 are rejected.
    for field in [101, 127] {
        let mut forged = bytes.clone();
        forged[0] = field;
        assert_eq!(
            decode_message::<t::Stats>(&forged, &[]),
            Err(DecodeError::OutOfRange(Box::new(RangeError::Int {
                value: i128::from(field),
                min: Some(0),
                max: Some(100),
            })))
        );
    }
    // Bit 7 is not Health's: a decoder ignores it (docs/wire-format.md,
    // section 2: unused bits).
    let mut stray = bytes.clone();
    stray[0] |= 0x80;
    assert_eq!(decode_message::<t::Stats>(&stray, &[]), Ok(stats.clone()));
    assert!(
        decode_message::<t::Stats>(&bytes[..16], &[]).is_err(),
        "one byte short"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn records_of_numbers_round_trip(
        health in 0u8..=100,
        level in 1u8..,
        speed in 0f32..=50.0,
        score in any::<i32>(),
        ratio in -1e300f64..1e300,
    ) {
        let gauges = t::Gauges { level, speed, score, ratio };
        let (bytes, _) = encode_message(&gauges).expect("in range");
        prop_assert_eq!(bytes.len(), 17);
        prop_assert_eq!(decode_message::<t::Gauges>(&bytes, &[]), Ok(gauges.clone()));
        nominal!(Gauges, send_gauges).check(gauges)?;
        // 7 bits and 16 bytes: 17 bytes too.
        let stats = t::Stats { health, speed, score, ratio };
        let (bytes, _) = encode_message(&stats).expect("in range");
        prop_assert_eq!(bytes.len(), 17);
        prop_assert_eq!(bytes[0], health);
        prop_assert_eq!(decode_message::<t::Stats>(&bytes, &[]), Ok(stats.clone()));
        nominal!(Stats, send_stats).check(stats)?;
    }
}

// ---------------------------------------------------------------------------
// Arrays of flat records are written column by column (docs/wire-format.md,
// section 4.4): the length prefix, then the first leaf of every element,
// then the second, and so on. `Unit` is { Alive: boolean, Hp: u8(0..100),
// Id: u16 }: a 1-bit, a 7-bit and a 2-byte column. `Marker` is { Pos: { X:
// i8(-8..7), Y: i8(-8..7) }, Seen: boolean, Weight: f32 }: 4-bit columns
// holding v + 8 (the nested record's leaves in place), a 1-bit column and a
// 4-byte column. `Reading` (no bit field) and `Label` (a string field) are
// not flat: their arrays stay row by row.

fn unit(alive: bool, hp: u8, id: u16) -> t::Unit {
    t::Unit { alive, hp, id }
}

fn marker(x: i8, y: i8, seen: bool, weight: f32) -> t::Marker {
    t::Marker {
        pos: t::MarkerPos { x, y },
        seen,
        weight,
    }
}

fn any_unit() -> impl Strategy<Value = t::Unit> {
    (
        any::<bool>(),
        prop_oneof![Just(0u8), Just(100u8), 0u8..=100],
        any::<u16>(),
    )
        .prop_map(|(alive, hp, id)| unit(alive, hp, id))
}

fn any_marker() -> impl Strategy<Value = t::Marker> {
    (-8i8..=7, -8i8..=7, any::<bool>(), finite_f32())
        .prop_map(|(x, y, seen, weight)| marker(x, y, seen, weight))
}

fn any_reading() -> impl Strategy<Value = t::Reading> {
    (any::<u8>(), any::<u16>()).prop_map(|(a, b)| t::Reading { a, b })
}

fn any_label() -> impl Strategy<Value = t::Label> {
    (any::<bool>(), text(0, 8)).prop_map(|(on, name)| t::Label { on, name })
}

const SQUAD: LenRange = LenRange::new(0, Some(4));
const MARKERS: LenRange = LenRange::new(0, Some(255));

/// `{Unit}(..4)` written from section 4.4 by the letter with a raw writer:
/// the 3-bit length, the `Alive` column, the `Hp` column, the `Id` column.
fn squad_by_columns(units: &[t::Unit]) -> Vec<u8> {
    forge(|w| {
        w.bits(units.len() as u32, 3);
        for u in units {
            w.bool(u.alive);
        }
        for u in units {
            w.bits(u32::from(u.hp), 7);
        }
        for u in units {
            w.u16(u.id);
        }
    })
}

/// `{Marker}(..255)` by the letter: the 8-bit length, the `Pos.X` column
/// (4 bits holding v + 8), `Pos.Y`, `Seen`, then the `Weight` column.
fn markers_by_columns(markers: &[t::Marker]) -> Vec<u8> {
    forge(|w| {
        w.bits(markers.len() as u32, 8);
        for m in markers {
            w.bits((i32::from(m.pos.x) + 8) as u32, 4);
        }
        for m in markers {
            w.bits((i32::from(m.pos.y) + 8) as u32, 4);
        }
        for m in markers {
            w.bool(m.seen);
        }
        for m in markers {
            w.f32(m.weight);
        }
    })
}

/// An array as it would be row by row: its length prefix, then each element
/// encoded whole by the element's own (record) encoder.
fn by_rows<E: Encode>(elements: &[E], range: LenRange) -> Vec<u8> {
    let mut w = Writer::new();
    w.start_message();
    w.len(elements.len(), range).expect("a length in range");
    for e in elements {
        e.encode(&mut w).expect("a valid element");
    }
    w.take().0
}

/// The size model's exact size of one element of `decl`, a record of
/// fixed-width leaves: whole bytes plus bits.
fn element_extent(decl: &str) -> Extent {
    let size = size_of(decl);
    assert_eq!(size.max, Some(size.min), "{decl} is of one size");
    size.min
}

/// `n` elements of `elem` in an array `array` written row by row, from the
/// size model: the prefix's bits (the array's smallest size, no element),
/// plus `n` times the element's bytes and bits; `B + ceil(b / 8)` bytes.
fn row_size(array: &str, elem: &str, n: usize) -> u64 {
    let prefix = size_of(array).min;
    (prefix + element_extent(elem).times(n as u64)).total_bytes()
}

#[test]
fn golden_arrays_of_flat_records_are_written_column_by_column() {
    // The example of section 4.4: `{Unit}(..4)` holding
    // { {true, 100, 0x0102}, {false, 5, 0x0304} }.
    let example = vec![unit(true, 100, 0x0102), unit(false, 5, 0x0304)];
    golden(
        "Squad",
        &t::SquadBox { v: example.clone() },
        &[
            // bit byte: length 2 = 0 1 0 (bits 0-2); Alive 1, 0 (bits 3-4);
            // Hp 100 = 0 0 1 0 0 1 1: its first three bits 0 0 1 (bits 5-7)
            0x8A, //
            // bit byte: the rest of 100, 0 0 1 1 (bits 0-3); Hp 5 =
            // 1 0 1 0 0 0 0: its first four bits 1 0 1 0 (bits 4-7)
            0x5C, //
            0x00, // bit byte: the rest of 5, 0 0 0 (bits 0-2)
            0x02, 0x01, 0x04, 0x03, // the Id column: 0x0102, 0x0304
        ],
    );
    // Row by row, the same 4 bytes and 19 bits in another order: length,
    // Alive 1 and the first four bits of Hp 100 (4A), the rest of 100, Alive
    // 0 and four bits of Hp 5 (56), Id 0x0102, the rest of 5 in a third bit
    // byte (00), Id 0x0304.
    assert_eq!(hex(&by_rows(&example, SQUAD)), "4A 56 02 01 00 04 03");
    // Empty: the 3-bit length 0 and nothing else.
    golden("Squad", &t::SquadBox { v: vec![] }, &[0x00]);
    // One element: its columns are its fields in order, as row by row.
    golden(
        "Squad",
        &t::SquadBox {
            v: vec![unit(true, 42, 0xBEEF)],
        },
        &[
            // length 1 = 1 0 0 (bits 0-2); Alive 1 (bit 3); Hp 42 =
            // 0 1 0 1 0 1 0: its first four bits 0 1 0 1 (bits 4-7)
            0xA9, //
            0x02, // the rest of 42: 0 1 0 (bits 0-2)
            0xEF, 0xBE, // Id
        ],
    );
    assert_eq!(
        hex(&by_rows(&[unit(true, 42, 0xBEEF)], SQUAD)),
        "A9 02 EF BE"
    );
    // Four, the largest: the Hp column of 28 bits crosses four bit bytes.
    golden(
        "Squad",
        &t::SquadBox {
            v: vec![
                unit(true, 100, 1),
                unit(true, 0, 2),
                unit(false, 1, 3),
                unit(true, 64, 4),
            ],
        },
        &[
            // length 4 = 0 0 1 (bits 0-2); Alive 1 1 0 1 (bits 3-6); Hp 100
            // = 0 0 1 0 0 1 1: its first bit 0 (bit 7)
            0x5C, //
            // the rest of 100, 0 1 0 0 1 1 (bits 0-5); Hp 0: 0 0 (bits 6-7)
            0x32, //
            // the rest of 0, 0 0 0 0 0 (bits 0-4); Hp 1 = 1 0 0 0 0 0 0:
            // 1 0 0 (bits 5-7)
            0x20, //
            // the rest of 1, 0 0 0 0 (bits 0-3); Hp 64 = 0 0 0 0 0 0 1:
            // 0 0 0 0 (bits 4-7)
            0x00, //
            0x04, // the rest of 64: 0 0 1 (bits 0-2)
            0x01, 0x00, 0x02, 0x00, 0x03, 0x00, 0x04, 0x00, // the Id column
        ],
    );

    // Nested leaves in place, depth first: Pos.X, Pos.Y, Seen, Weight.
    let three = vec![
        marker(-8, 7, true, 1.0),
        marker(0, -1, false, 2.0),
        marker(3, -5, true, 0.5),
    ];
    golden(
        "Markers",
        &t::MarkersBox { v: three.clone() },
        &cat(&[
            &[0x03], // bit byte: length 3 (..255: 8 bits), all of it
            // bit byte: Pos.X -8 + 8 = 0 = 0 0 0 0 (bits 0-3); 0 + 8 = 8 =
            // 0 0 0 1 (bits 4-7)
            &[0x80],
            // bit byte: Pos.X 3 + 8 = 11 = 1 1 0 1 (bits 0-3), ending the X
            // column; Pos.Y 7 + 8 = 15 = 1 1 1 1 (bits 4-7)
            &[0xFB],
            // bit byte: Pos.Y -1 + 8 = 7 (bits 0-3), -5 + 8 = 3 (bits 4-7)
            &[0x37],
            &[0x05],   // bit byte: the Seen column 1 0 1 (bits 0-2)
            &F32_1,    // the Weight column: 1.0,
            &F32_2,    // 2.0,
            &F32_HALF, // 0.5
        ]),
    );
    // 4 bytes and 9 bits an element, 8 bits of length: 17 bytes either way.
    assert_eq!(by_rows(&three, MARKERS).len(), 17);
    golden("Markers", &t::MarkersBox { v: vec![] }, &[0x00]);
}

/// Behind a message id the columns' bit fields cross bit bytes: the id's 7
/// bits leave one bit of its byte to the length, and every 4-bit field after
/// it straddles two bit bytes.
#[test]
fn golden_columns_continue_the_message_bit_stream() {
    let send = |fire: &dyn Fn(&t::Server, &Player) -> Result<(), SendError>| {
        let server = t::Server::new();
        let player = server.runtime().connect_player();
        fire(&server, &player).expect("sends");
        let frames = server.runtime().take_outgoing();
        assert_eq!(frames.len(), 1);
        frames[0].1.clone()
    };
    assert_eq!(message_id("SendSquad"), 85);
    assert_eq!(message_id("SendMarkers"), 86);
    assert_eq!(message_id("SendReadings"), 87);
    assert_eq!(message_id("SendLabels"), 88);
    let example = vec![unit(true, 100, 0x0102), unit(false, 5, 0x0304)];
    let frame = send(&|s, p| s.send_squad().fire_client(p, example.clone()));
    assert_eq!(
        hex(&frame),
        hex(&[
            // id 85 = 1 0 1 0 1 0 1 (bits 0-6); length 2 = 0 1 0: its first
            // bit 0 (bit 7)
            0x55, //
            // the rest of the length 1 0 (bits 0-1); Alive 1 0 (bits 2-3);
            // Hp 100 = 0 0 1 0 0 1 1: 0 0 1 0 (bits 4-7)
            0x45, //
            // the rest of 100, 0 1 1 (bits 0-2); Hp 5 = 1 0 1 0 0 0 0:
            // 1 0 1 0 0 (bits 3-7)
            0x2E, //
            0x00, // the rest of 5: 0 0 (bits 0-1)
            0x02, 0x01, 0x04, 0x03, // the Id column
        ])
    );
    let two = vec![marker(-8, 7, true, 1.0), marker(0, -1, false, 2.0)];
    let frame = send(&|s, p| s.send_markers().fire_client(p, two.clone()));
    assert_eq!(
        hex(&frame),
        hex(&cat(&[
            // id 86 = 0 1 1 0 1 0 1 (bits 0-6); length 2 = 0 1 0 0 0 0 0 0:
            // its first bit 0 (bit 7)
            &[0x56],
            // the rest of the length, 1 0 0 0 0 0 0 (bits 0-6); Pos.X
            // -8 + 8 = 0 = 0 0 0 0: its first bit (bit 7)
            &[0x01],
            // the rest of 0, 0 0 0 (bits 0-2); Pos.X 0 + 8 = 8 = 0 0 0 1
            // (bits 3-6); Pos.Y 7 + 8 = 15 = 1 1 1 1: its first bit (bit 7)
            &[0xC0],
            // the rest of 15, 1 1 1 (bits 0-2); Pos.Y -1 + 8 = 7 = 1 1 1 0
            // (bits 3-6); Seen 1 (bit 7)
            &[0xBF],
            &[0x00], // Seen 0 (bit 0)
            &F32_1,  // the Weight column: 1.0,
            &F32_2,  // 2.0
        ]))
    );
    let decoded = decode_event("SendMarkers", &frame, &[]).expect("decodes");
    assert_eq!(
        decoded.downcast::<(t::Markers,)>().map(|v| *v).ok(),
        Some((two,))
    );
}

/// Records that are not flat keep the row-by-row order: each element whole,
/// then the next.
#[test]
fn golden_arrays_of_records_that_are_not_flat_stay_row_by_row() {
    // No bit field: { A: u8, B: u16 } elements one after the other. By
    // columns this would be 02 01 04 03 02 06 05.
    golden(
        "Readings",
        &t::ReadingsBox {
            v: vec![
                t::Reading { a: 1, b: 0x0203 },
                t::Reading { a: 4, b: 0x0506 },
            ],
        },
        &[
            0x02, // bit byte: length 2 = 0 1 0 (bits 0-2)
            0x01, 0x03, 0x02, // A 1, B 0x0203
            0x04, 0x06, 0x05, // A 4, B 0x0506
        ],
    );
    // A string field: { On: boolean, Name: string(..8) }. Each On bit comes
    // with its element, the second after "a".
    golden(
        "Labels",
        &t::LabelsBox {
            v: vec![
                t::Label {
                    on: true,
                    name: "a".into(),
                },
                t::Label {
                    on: false,
                    name: "bc".into(),
                },
            ],
        },
        &[
            // bit byte: length 2 = 0 1 0 (bits 0-2); On 1 (bit 3); Name's
            // length 1 = 1 0 0 0 (string(..8): 4 bits, bits 4-7)
            0x1A, //
            0x61, // "a"
            // a new bit byte, after "a": On 0 (bit 0); Name's length 2 =
            // 0 1 0 0 (bits 1-4)
            0x04, //
            0x62, 0x63, // "bc"
        ],
    );
}

#[test]
fn columns_of_flat_records_are_checked_on_receipt() {
    let rejects = |case: Result<(), TestCaseError>| case.unwrap_or_else(|e| panic!("{e}"));
    let hp_127 = DecodeError::OutOfRange(Box::new(RangeError::Int {
        value: 127,
        min: Some(0),
        max: Some(100),
    }));
    let case = boxed!(Squad, SquadBox, send_squad);
    // The section's example with the first Hp 127, the largest 7-bit field:
    // bits 5-7 of the first byte and 0-3 of the second all set.
    let forged = [0xEA, 0x5F, 0x00, 0x02, 0x01, 0x04, 0x03];
    assert_eq!(
        decode_message::<t::SquadBox>(&forged, &[]),
        Err(hp_127.clone())
    );
    let first = |w: &mut Writer| {
        w.bits(2, 3);
        w.bool(true);
        w.bool(false);
        w.bits(127, 7);
        w.bits(5, 7);
        w.u16(0x0102);
        w.u16(0x0304);
    };
    assert_eq!(forge(first), forged);
    rejects(case.reject(first, &[], |e| *e == hp_127));
    // The second Hp 127, after a valid 5, through the record and the event.
    let second = |w: &mut Writer| {
        w.bits(2, 3);
        w.bool(true);
        w.bool(false);
        w.bits(5, 7);
        w.bits(127, 7);
        w.u16(1);
        w.u16(2);
    };
    assert_eq!(
        hex(&forge(second)),
        // length 0 1 0, Alive 1 0, Hp 5 = 1 0 1 | 0 0 0 0, Hp 127 = 1 1 1 1
        // | 1 1 1, then the Id column
        "AA F0 07 01 00 02 00"
    );
    rejects(case.reject(second, &[], |e| *e == hp_127));
    // And 101, the smallest value past the range.
    rejects(case.reject(
        |w| {
            w.bits(1, 3);
            w.bool(true);
            w.bits(101, 7);
            w.u16(0);
        },
        &[],
        |e| {
            *e == DecodeError::OutOfRange(Box::new(RangeError::Int {
                value: 101,
                min: Some(0),
                max: Some(100),
            }))
        },
    ));

    // A length above the maximum: 5 in the 3-bit prefix of ..4, with five
    // whole elements after it, is rejected before any column is read; the
    // encoders refuse five.
    let five = |w: &mut Writer| {
        w.bits(5, 3);
        for _ in 0..5 {
            w.bool(true);
        }
        for _ in 0..5 {
            w.bits(1, 7);
        }
        for _ in 0..5 {
            w.u16(1);
        }
    };
    let length_5 = DecodeError::LengthOutOfRange {
        len: 5,
        min: 0,
        max: Some(4),
    };
    assert_eq!(
        decode_message::<t::SquadBox>(&forge(five), &[]),
        Err(length_5.clone())
    );
    rejects(case.reject(five, &[], |e| *e == length_5));
    rejects(case.refuse(vec![unit(true, 1, 1); 5], |e| {
        *e == EncodeError::LengthOutOfRange {
            len: 5,
            min: 0,
            max: Some(4),
        }
    }));
    rejects(case.refuse(vec![unit(true, 1, 1), unit(true, 101, 1)], out_of_range));
    // 255 markers fill the 8-bit prefix of ..255, so there is no length to
    // reject; 256 are refused. Every 4-bit field is a valid Pos.X or Pos.Y.
    let case = boxed!(Markers, MarkersBox, send_markers);
    rejects(case.refuse(vec![marker(0, 0, false, 0.0); 256], bad_length));
    rejects(case.refuse(vec![marker(8, 0, false, 0.0)], out_of_range));
    rejects(case.refuse(vec![marker(0, -9, false, 0.0)], out_of_range));
    rejects(case.refuse(vec![marker(0, 0, false, f32::NAN)], non_finite));
    // The float column is checked too.
    let nan = |w: &mut Writer| {
        w.bits(2, 8);
        w.bits(0, 16);
        w.bits(0, 2);
        w.f32(1.0);
        w.f32(f32::INFINITY);
    };
    rejects(case.reject(nan, &[], rejected_non_finite));
}

/// Input that ends inside the columns. The length prefix is checked against
/// the input left before any column is read (`read_count`: the count times
/// the element's size in bits must fit in the bytes and unread bits left),
/// and a flat record is of one size, so every cut after the prefix is
/// caught there, as `LengthExceedsInput`; a cut inside the prefix is
/// `UnexpectedEnd`.
#[test]
fn frames_cut_inside_a_column_are_rejected() {
    let example = [0x8A, 0x5C, 0x00, 0x02, 0x01, 0x04, 0x03];
    assert_eq!(
        decode_message::<t::SquadBox>(&[], &[]),
        Err(DecodeError::UnexpectedEnd {
            needed: 1,
            remaining: 0
        })
    );
    for cut in 1..example.len() {
        // The prefix opened the first byte: `cut - 1` bytes are left, with
        // 5 bits of the first, for 2 × 24 bits.
        assert_eq!(
            decode_message::<t::SquadBox>(&example[..cut], &[]),
            Err(DecodeError::LengthExceedsInput {
                len: 2,
                remaining: cut - 1
            }),
            "cut to {cut} bytes"
        );
    }
    assert!(decode_message::<t::SquadBox>(&example, &[]).is_ok());
    // The same through the event, behind its id.
    let server = t::Server::new();
    let player = server.runtime().connect_player();
    server
        .send_squad()
        .fire_client(
            &player,
            vec![unit(true, 100, 0x0102), unit(false, 5, 0x0304)],
        )
        .expect("sends");
    let frame = server.runtime().take_outgoing().remove(0).1;
    assert_eq!(frame.len(), 8);
    // One byte: the id and the first bit of the length, whose other two bits
    // are missing.
    assert_eq!(
        decode_event("SendSquad", &frame[..1], &[]).err(),
        Some(DecodeError::UnexpectedEnd {
            needed: 1,
            remaining: 0
        })
    );
    for cut in 2..frame.len() {
        assert_eq!(
            decode_event("SendSquad", &frame[..cut], &[]).err(),
            Some(DecodeError::LengthExceedsInput {
                len: 2,
                remaining: cut - 2
            }),
            "cut to {cut} bytes"
        );
    }
    // Markers: the float column's last byte missing.
    let three = [
        marker(-8, 7, true, 1.0),
        marker(0, -1, false, 2.0),
        marker(3, -5, true, 0.5),
    ];
    let bytes = markers_by_columns(&three);
    assert_eq!(bytes.len(), 17);
    assert_eq!(
        decode_message::<t::MarkersBox>(&bytes[..16], &[]),
        Err(DecodeError::LengthExceedsInput {
            len: 3,
            remaining: 15
        })
    );
}

proptest! {
    #![proptest_config(config(128))]

    #[test]
    fn squad_round_trips(v in prop::collection::vec(any_unit(), 0..=4)) {
        boxed!(Squad, SquadBox, send_squad).check(v)?;
    }

    #[test]
    fn readings_round_trip(v in prop::collection::vec(any_reading(), 0..=4)) {
        boxed!(Readings, ReadingsBox, send_readings).check(v)?;
    }

    #[test]
    fn labels_round_trip(v in prop::collection::vec(any_label(), 0..=4)) {
        boxed!(Labels, LabelsBox, send_labels).check(v)?;
    }

    /// The columns hold the bits and bytes of the rows in another order: the
    /// bytes are section 4.4's by the letter, as many as row by row, and as
    /// many as the size model's `B + ceil(b / 8)` for that many elements.
    #[test]
    fn squad_columns_are_the_rows_reordered(v in prop::collection::vec(any_unit(), 0..=4)) {
        let (bytes, _) = encode_message(&t::SquadBox { v: v.clone() }).map_err(fail)?;
        prop_assert_eq!(hex(&bytes), hex(&squad_by_columns(&v)));
        prop_assert_eq!(bytes.len(), by_rows(&v, SQUAD).len());
        prop_assert_eq!(bytes.len() as u64, row_size("Squad", "Unit", v.len()));
        within("Squad", bytes.len()).map_err(fail)?;
    }

    /// Not flat: exactly the row-by-row bytes.
    #[test]
    fn arrays_of_records_that_are_not_flat_are_their_rows(
        readings in prop::collection::vec(any_reading(), 0..=4),
        labels in prop::collection::vec(any_label(), 0..=4),
    ) {
        let (bytes, _) = encode_message(&t::ReadingsBox { v: readings.clone() }).map_err(fail)?;
        prop_assert_eq!(hex(&bytes), hex(&by_rows(&readings, SQUAD)));
        prop_assert_eq!(bytes.len() as u64, row_size("Readings", "Reading", readings.len()));
        let (bytes, _) = encode_message(&t::LabelsBox { v: labels.clone() }).map_err(fail)?;
        prop_assert_eq!(hex(&bytes), hex(&by_rows(&labels, SQUAD)));
    }
}

proptest! {
    #![proptest_config(config(48))]

    #[test]
    fn markers_round_trip(
        v in prop_oneof![
            prop::collection::vec(any_marker(), 0..=12),
            prop::collection::vec(any_marker(), 240..=255),
        ],
    ) {
        boxed!(Markers, MarkersBox, send_markers).check(v)?;
    }

    #[test]
    fn marker_columns_are_the_rows_reordered(
        v in prop::collection::vec(any_marker(), 0..=255),
    ) {
        let (bytes, _) = encode_message(&t::MarkersBox { v: v.clone() }).map_err(fail)?;
        prop_assert_eq!(hex(&bytes), hex(&markers_by_columns(&v)));
        prop_assert_eq!(bytes.len(), by_rows(&v, MARKERS).len());
        prop_assert_eq!(bytes.len() as u64, row_size("Markers", "Marker", v.len()));
        within("Markers", bytes.len()).map_err(fail)?;
        let back = decode_message::<t::MarkersBox>(&bytes, &[]).map_err(fail)?;
        prop_assert_eq!(back.v, v);
    }
}

/// A leaf whose range holds one value takes no bits in its column either:
/// `{Pinned}` of two elements is the 2-bit length and the `On` column.
#[test]
fn golden_columns_skip_leaves_of_one_value() {
    let pins = |on: &[bool]| t::PinsBox {
        v: on.iter().map(|&on| t::Pinned { on, level: 7 }).collect(),
    };
    // Length 2 (`0`, `1`), On `1`, `0`: 0b0110.
    golden("Pins", &pins(&[true, false]), &[0x06]);
    golden("Pins", &pins(&[]), &[0x00]);
    // Length 3 (`1`, `1`), On `0`, `1`, `1`: 0b11_0011.
    golden("Pins", &pins(&[false, true, true]), &[0x1B]);
    let size = size_of("Pins");
    assert_eq!((size.min_bytes(), size.max_bytes()), (1, Some(1)));
    // The encoder still refuses a value outside the range.
    let wrong = t::PinsBox {
        v: vec![t::Pinned { on: true, level: 8 }],
    };
    assert!(encode_message(&wrong).is_err());
}
