//! The `value` target: `any` (`tether_runtime::types::Value`) on its own.
//!
//! An input is `[instances, bytes...]`: the low 3 bits of `instances` say
//! how many entries of a fixed instance list (some hidden) travel with the
//! bytes. The bytes are decoded as one whole `any` message; a value that
//! decodes must encode again, and what it encodes to must decode to the same
//! value (see [`same`]).
//!
//! `tests/tests/fuzz_regressions.rs` includes this file (`#[path]`).

use tether_runtime::types::{InstanceId, Value};
use tether_runtime::wire::{decode_message, encode_message};

const INSTANCES: [Option<InstanceId>; 7] = [
    Some(InstanceId(1)),
    None,
    Some(InstanceId(2)),
    Some(InstanceId(3)),
    None,
    Some(InstanceId(u64::MAX)),
    Some(InstanceId(0)),
];

/// Runs one input; panics on any failure. Returns the decoded value, if
/// the bytes were one.
pub fn run(data: &[u8]) -> Option<Value> {
    let (&selector, bytes) = data.split_first()?;
    let instances = &INSTANCES[..usize::from(selector & 7).min(INSTANCES.len())];
    let value = decode_message::<Value>(bytes, instances).ok()?;
    let (encoded, ids) = match encode_message(&value) {
        Ok(encoded) => encoded,
        Err(error) => panic!("a decoded `any` does not encode again: {error}\n{value:?}"),
    };
    let list: Vec<Option<InstanceId>> = ids.into_iter().map(Some).collect();
    let again = match decode_message::<Value>(&encoded, &list) {
        Ok(again) => again,
        Err(error) => panic!(
            "a re-encoded `any` does not decode: {error}\n{value:?}\nencoded: {encoded:02x?}"
        ),
    };
    assert!(
        same(&value, &again),
        "a re-encoded `any` decodes to another value:\n{value:?}\n{again:?}"
    );
    Some(value)
}

/// Whether `a` and `b` are the same value: the same floats bit for bit (any
/// NaN matching any NaN), the same visible instances, and CFrame rotations
/// within the quantization of their lossy encoding (`docs/wire-format.md`,
/// section 4.7). Only the rotation is compared loosely: re-encoding a
/// decoded rotation need not give the same bytes (where the two largest
/// quaternion components nearly tie, the other one may be dropped next).
pub fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Array(xs), Value::Array(ys)) => {
            xs.len() == ys.len() && xs.iter().zip(ys).all(|(x, y)| same(x, y))
        }
        (Value::Map(xs), Value::Map(ys)) => {
            xs.len() == ys.len()
                && xs
                    .iter()
                    .zip(ys)
                    .all(|((kx, vx), (ky, vy))| same(kx, ky) && same(vx, vy))
        }
        (Value::CFrame(x), Value::CFrame(y)) => {
            let close = |p: f32, q: f32| (p - q).abs() <= 1e-3;
            let rows = |m: &tether_runtime::types::Matrix3| [m.x, m.y, m.z];
            format!("{:?}", x.position) == format!("{:?}", y.position)
                && rows(&x.orientation)
                    .iter()
                    .zip(rows(&y.orientation))
                    .all(|(r, s)| close(r.x, s.x) && close(r.y, s.y) && close(r.z, s.z))
        }
        // `Debug` prints floats exactly (the shortest text that reads back
        // as the same float), and every NaN as `NaN`.
        _ => format!("{a:?}") == format!("{b:?}"),
    }
}

/// Seed inputs: a few values of every kind, nested, with visible and hidden
/// instances, encoded as the target reads them.
pub fn seeds() -> Vec<(String, Vec<u8>)> {
    use tether_runtime::types::{
        BrickColor, CFrame, Color3, ColorSequence, ColorSequenceKeypoint, DateTime, Matrix3,
        NumberRange, NumberSequence, NumberSequenceKeypoint, Rect, UDim, UDim2, Vector2, Vector3,
    };
    let v3 = Vector3::new(1.0, -2.5, 1e9);
    let scalars = vec![
        Value::Nil,
        Value::Bool(true),
        Value::Number(f64::NAN),
        Value::Number(-0.0),
        Value::String("héllo".to_string()),
        Value::Buffer(vec![0, 1, 255]),
        Value::Instance(Some(InstanceId(1))),
        Value::Instance(None),
        Value::Vector3(v3),
        Value::Vector2(Vector2::new(0.5, f32::INFINITY)),
        Value::CFrame(CFrame::new(v3, Matrix3::identity())),
        Value::Color3(Color3::new(1.0, 0.5, 0.0)),
        Value::BrickColor(BrickColor::from_number(21).unwrap_or(BrickColor::MediumStoneGrey)),
        Value::UDim(UDim::new(0.5, -3)),
        Value::UDim2(UDim2::new(UDim::new(1.0, 2), UDim::new(-1.0, 0))),
        Value::Rect(Rect::new(Vector2::new(0.0, 0.0), Vector2::new(4.0, 3.0))),
        Value::NumberRange(NumberRange::new(1.0, 2.0)),
        Value::NumberSequence(NumberSequence {
            keypoints: vec![
                NumberSequenceKeypoint::new(0.0, 1.0, 0.0),
                NumberSequenceKeypoint::new(1.0, 0.0, 0.5),
            ],
        }),
        Value::ColorSequence(ColorSequence {
            keypoints: vec![
                ColorSequenceKeypoint::new(0.0, Color3::new(1.0, 0.0, 0.0)),
                ColorSequenceKeypoint::new(1.0, Color3::new(0.0, 0.0, 1.0)),
            ],
        }),
        Value::DateTime(DateTime::from_unix_millis(-1_700_000_000_000)),
        Value::EnumItem {
            enum_name: "Material".to_string(),
            value: 256,
        },
    ];
    let mut values: Vec<(String, Value)> = scalars
        .iter()
        .enumerate()
        .map(|(i, v)| (format!("scalar-{i}"), v.clone()))
        .collect();
    values.push(("array".to_string(), Value::Array(scalars.clone())));
    values.push((
        "map".to_string(),
        Value::Map(vec![
            (Value::String("a".to_string()), Value::Number(1.0)),
            (Value::Number(2.0), Value::Array(scalars.clone())),
            (Value::Vector3(v3), Value::Bool(false)),
            (Value::Bool(true), Value::Instance(Some(InstanceId(2)))),
        ]),
    ));
    let mut deep = Value::Array(vec![Value::Nil]);
    for _ in 1..tether_runtime::wire::MAX_ANY_DEPTH {
        deep = Value::Array(vec![deep]);
    }
    values.push(("deepest".to_string(), deep));
    values
        .into_iter()
        .filter_map(|(name, value)| {
            let (bytes, ids) = encode_message(&value).ok()?;
            let mut input = vec![ids.len().min(INSTANCES.len()) as u8];
            input.extend_from_slice(&bytes);
            Some((name, input))
        })
        .collect()
}
