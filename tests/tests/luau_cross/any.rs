//! `any` (docs/wire-format.md, section 4.10): tags, tables, datatypes,
//! EnumItems, instances.

use tether_runtime::types::{
    BrickColor, CFrame, Color3, ColorSequence, ColorSequenceKeypoint, DateTime, Matrix3,
    NumberRange, NumberSequence, NumberSequenceKeypoint, Rect, UDim, UDim2, Value, Vector2,
    Vector3,
};

use super::case::{boxed, hex, one_frame, rust_decode};
use super::harness::Cross;
use super::lv::{Lv, ToLv};
use super::strategies::{any_value, maps_in_order, AnyKind};

fn close(a: &CFrame, b: &CFrame) -> bool {
    let rows = |c: &CFrame| {
        let m = c.orientation;
        [
            m.x.x, m.x.y, m.x.z, m.y.x, m.y.y, m.y.z, m.z.x, m.z.y, m.z.z,
        ]
    };
    a.position == b.position
        && rows(a)
            .iter()
            .zip(rows(b))
            .all(|(x, y)| (x - y).abs() <= 1e-3)
}

/// Whether `b` is `a`: numbers by their bits, CFrame rotations within the
/// quantization error, maps as sets of entries (each side writes its own
/// order), and, where `seen` is set, a nil reference where `a` holds an
/// instance (one the receiver cannot see).
fn same(a: &Value, b: &Value, seen: bool) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.to_bits() == y.to_bits(),
        (Value::CFrame(x), Value::CFrame(y)) => close(x, y),
        (Value::Instance(Some(_)), Value::Instance(None)) => seen,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same(a, b, seen))
        }
        (Value::Map(x), Value::Map(y)) => {
            x.len() == y.len()
                && x.iter().all(|(ka, va)| {
                    y.iter()
                        .any(|(kb, vb)| same(ka, kb, seen) && same(va, vb, seen))
                })
        }
        _ => a == b,
    }
}

/// Everything Rust sends arrives in Luau as the Luau value Rust's own
/// decoding describes, including what Luau holds otherwise: a nil in an
/// array is a hole, a nil map value no entry, an instance the client cannot
/// see nil, an empty map the empty table.
#[test]
fn any_value_rust_sends_arrives_in_luau() {
    boxed!(Dyn, DynBox)
        .with_same(|a, b| same(a, b, true))
        .run_with(
            64,
            |c| any_value(&c.pool, AnyKind::Rust),
            |case, cross, v| case.rust_to_luau(cross, v),
        );
}

/// What Luau can hold crosses both ways; where every map has one entry or
/// none, Luau writes Rust's bytes exactly.
#[test]
fn any_value_luau_holds_crosses_both_ways() {
    boxed!(Dyn, DynBox)
        .with_same(|a, b| same(a, b, false))
        .with_ordered(maps_in_order)
        .run(64, |c| any_value(&c.pool, AnyKind::Luau));
}

/// The tables Luau cannot tell from others: an array with a hole goes back
/// as a map of its values by index, an empty map as the empty array, a map
/// keyed 1 to n as an array.
#[test]
fn tables_luau_cannot_tell_apart_come_back_as_what_luau_sees() {
    let mut cross = Cross::types();
    let case = boxed!(Dyn, DynBox);
    let n = Value::Number;
    for (sent, back) in [
        (
            Value::Array(vec![n(1.0), Value::Nil, n(3.0)]),
            Value::Map(vec![(n(1.0), n(1.0)), (n(3.0), n(3.0))]),
        ),
        (Value::Map(vec![]), Value::Array(vec![])),
        (
            Value::Map(vec![
                (n(2.0), Value::Bool(true)),
                (n(1.0), Value::Bool(false)),
            ]),
            Value::Array(vec![Value::Bool(false), Value::Bool(true)]),
        ),
        (
            Value::Array(vec![n(1.0), Value::Nil]),
            Value::Array(vec![n(1.0)]),
        ),
        (Value::Instance(None), Value::Nil),
    ] {
        case.rust_to_luau(&mut cross, &sent)
            .unwrap_or_else(|e| panic!("{e}"));
        // The server's Luau builds the same table the client decoded, and
        // sends it.
        let frames = cross
            .luau_fires("SendDyn", &sent.lv())
            .unwrap_or_else(|e| panic!("{e}"));
        let frame = one_frame("SendDyn", frames).unwrap_or_else(|e| panic!("{e}"));
        let got: Value = rust_decode("SendDyn", &frame.bytes, &frame.instances)
            .unwrap_or_else(|e| panic!("{e}"));
        assert!(
            same(&back, &got, false),
            "{sent:?}: expected {back:?}, got {got:?}"
        );
        cross.take_events(cross.client_side());
    }
}

/// Luau writes each `any` tag as Rust does: the tag byte, then the value,
/// datatype bits joining the message's bit stream.
#[test]
fn luau_writes_every_any_tag_as_rust_does() {
    let mut cross = Cross::types();
    let case = boxed!(Dyn, DynBox);
    let identity = || {
        Value::CFrame(CFrame::new(
            Vector3::new(0.0, 0.0, 0.0),
            Matrix3::identity(),
        ))
    };
    let fade = NumberSequence {
        keypoints: vec![
            NumberSequenceKeypoint::new(0.0, 1.0, 0.0),
            NumberSequenceKeypoint::new(1.0, 0.0, 0.0),
        ],
    };
    for (source, value) in [
        ("nil", Value::Nil),
        ("false", Value::Bool(false)),
        ("true", Value::Bool(true)),
        ("1", Value::Number(1.0)),
        ("\"hi\"", Value::String("hi".into())),
        ("buffer.fromstring(\"\\1\\2\")", Value::Buffer(vec![1, 2])),
        ("{}", Value::Array(vec![])),
        ("{ false }", Value::Array(vec![Value::Bool(false)])),
        (
            "{ k = 2 }",
            Value::Map(vec![(Value::String("k".into()), Value::Number(2.0))]),
        ),
        (
            "game.Workspace.P1",
            Value::Instance(Some(cross.pool.parts[0])),
        ),
        (
            "Vector3.new(1, 2, 3)",
            Value::Vector3(Vector3::new(1.0, 2.0, 3.0)),
        ),
        ("Vector2.new(1, 2)", Value::Vector2(Vector2::new(1.0, 2.0))),
        (
            "{ CFrame.new(), CFrame.new() }",
            Value::Array(vec![identity(), identity()]),
        ),
        (
            "Color3.new(1, 0, 0)",
            Value::Color3(Color3::new(1.0, 0.0, 0.0)),
        ),
        (
            "BrickColor.new(1004)",
            Value::BrickColor(BrickColor::ReallyRed),
        ),
        ("UDim.new(0.5, -3)", Value::UDim(UDim::new(0.5, -3))),
        (
            "UDim2.new(1, 2, 3, 4)",
            Value::UDim2(UDim2::new(UDim::new(1.0, 2), UDim::new(3.0, 4))),
        ),
        (
            "Rect.new(1, 2, 3, 4)",
            Value::Rect(Rect::new(Vector2::new(1.0, 2.0), Vector2::new(3.0, 4.0))),
        ),
        (
            "NumberRange.new(1, 2)",
            Value::NumberRange(NumberRange::new(1.0, 2.0)),
        ),
        (
            "{ CFrame.new(), NumberSequence.new(1, 0) }",
            Value::Array(vec![identity(), Value::NumberSequence(fade)]),
        ),
        (
            "ColorSequence.new(Color3.new(1, 0, 0))",
            Value::ColorSequence(ColorSequence {
                keypoints: vec![
                    ColorSequenceKeypoint::new(0.0, Color3::new(1.0, 0.0, 0.0)),
                    ColorSequenceKeypoint::new(1.0, Color3::new(1.0, 0.0, 0.0)),
                ],
            }),
        ),
        (
            "DateTime.fromUnixTimestampMillis(-1)",
            Value::DateTime(DateTime::from_unix_millis(-1)),
        ),
        (
            "Enum.Material.Plastic",
            Value::EnumItem {
                enum_name: "Material".into(),
                value: 256,
            },
        ),
    ] {
        let (rust, _) = case.encode(&value).unwrap_or_else(|e| panic!("{e}"));
        let frames = cross
            .luau_fires("SendDyn", &Lv::Raw(source.to_string()))
            .unwrap_or_else(|e| panic!("{source}: {e}"));
        let frame = one_frame("SendDyn", frames).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(hex(&frame.bytes), hex(&rust), "{source}");
        cross.take_events(cross.client_side());
    }
}

/// Luau refuses to send what `any` cannot carry.
#[test]
fn luau_refuses_what_any_cannot_carry() {
    let mut cross = Cross::types();
    for (source, error) in [
        ("function() end", "cannot send a function"),
        (
            "(function() local t = {} t.t = t return t end)()",
            "nest deeper than 32",
        ),
        ("\"\\xFF\"", "UTF-8"),
        ("Vector3.new(0/0, 0, 0)", "NaN"),
    ] {
        let got = cross
            .luau_fires("SendDyn", &Lv::Raw(source.to_string()))
            .expect_err(source);
        assert!(got.contains(error), "{source}: {got}");
    }
    assert!(cross.take_client_frames().is_empty());
}
