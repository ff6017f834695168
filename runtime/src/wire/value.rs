//! `any` (section 4.10): a 1-byte tag, then the value.
//!
//! Map keys follow Luau table-key identity: a key repeats an earlier one if
//! Luau would store both under one key. Booleans, numbers (`0 == -0`),
//! strings, `Vector3`s (a Luau value type), `EnumItem`s and visible instances
//! compare by value; tables, buffers and the other datatypes (userdata made
//! fresh by each decode) never repeat.
//!
//! An `EnumItem` must name an enum and a `Value` of the tables of
//! [`tether_facts::roblox`], as the Luau runtime checks with
//! `Enum[name]:FromValue(value)`: both sides refuse to send one and reject
//! receiving one.

use std::collections::HashSet;

use super::collections::prealloc;
use super::{Decode, DecodeError, Encode, EncodeError, LenRange, Reader, Writer};
use crate::types::{
    BrickColor, CFrame, Color3, ColorSequence, DateTime, InstanceId, NumberRange, NumberSequence,
    Rect, UDim, UDim2, Value, Vector2, Vector3,
};

/// The deepest nesting of tables in an `any` (the outermost table is depth 1).
pub const MAX_ANY_DEPTH: u32 = tether_facts::wire::MAX_ANY_DEPTH;

/// The number of `any` tags; tags from this one up are reserved.
pub const ANY_TAGS: u32 = 22;

mod tag {
    pub const NIL: u8 = 0;
    pub const FALSE: u8 = 1;
    pub const TRUE: u8 = 2;
    pub const NUMBER: u8 = 3;
    pub const STRING: u8 = 4;
    pub const BUFFER: u8 = 5;
    pub const ARRAY: u8 = 6;
    pub const MAP: u8 = 7;
    pub const INSTANCE: u8 = 8;
    pub const VECTOR3: u8 = 9;
    pub const VECTOR2: u8 = 10;
    pub const CFRAME: u8 = 11;
    pub const COLOR3: u8 = 12;
    pub const BRICK_COLOR: u8 = 13;
    pub const UDIM: u8 = 14;
    pub const UDIM2: u8 = 15;
    pub const RECT: u8 = 16;
    pub const NUMBER_RANGE: u8 = 17;
    pub const NUMBER_SEQUENCE: u8 = 18;
    pub const COLOR_SEQUENCE: u8 = 19;
    pub const DATE_TIME: u8 = 20;
    pub const ENUM_ITEM: u8 = 21;
}

impl Encode for Value {
    fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        encode_value(self, w, 0)
    }
}

impl Decode for Value {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        decode_value(r, 0)
    }
}

/// `depth`: the number of tables around `value`.
fn encode_value(value: &Value, w: &mut Writer, depth: u32) -> Result<(), EncodeError> {
    match value {
        Value::Nil => w.u8(tag::NIL),
        Value::Bool(false) => w.u8(tag::FALSE),
        Value::Bool(true) => w.u8(tag::TRUE),
        Value::Number(n) => {
            w.u8(tag::NUMBER);
            w.f64(*n);
        }
        Value::String(s) => {
            w.u8(tag::STRING);
            w.string(s, LenRange::UNBOUNDED)?;
        }
        Value::Buffer(b) => {
            w.u8(tag::BUFFER);
            w.buffer(b, LenRange::UNBOUNDED)?;
        }
        Value::Array(items) => {
            let depth = enter_table(depth).ok_or(EncodeError::TooDeep { max: MAX_ANY_DEPTH })?;
            w.u8(tag::ARRAY);
            w.len(items.len(), LenRange::UNBOUNDED)?;
            for item in items {
                encode_value(item, w, depth)?;
            }
        }
        Value::Map(entries) => {
            let depth = enter_table(depth).ok_or(EncodeError::TooDeep { max: MAX_ANY_DEPTH })?;
            check_keys(entries).map_err(|err| match err {
                KeyError::Invalid => EncodeError::InvalidMapKey,
                KeyError::Duplicate => EncodeError::DuplicateMapKey,
            })?;
            w.u8(tag::MAP);
            w.len(entries.len(), LenRange::UNBOUNDED)?;
            for (k, v) in entries {
                encode_value(k, w, depth)?;
                encode_value(v, w, depth)?;
            }
        }
        Value::Instance(id) => {
            w.u8(tag::INSTANCE);
            w.instance(*id);
        }
        Value::Vector3(v) => tagged(w, tag::VECTOR3, v)?,
        Value::Vector2(v) => tagged(w, tag::VECTOR2, v)?,
        Value::CFrame(v) => tagged(w, tag::CFRAME, v)?,
        Value::Color3(v) => tagged(w, tag::COLOR3, v)?,
        Value::BrickColor(v) => tagged(w, tag::BRICK_COLOR, v)?,
        Value::UDim(v) => tagged(w, tag::UDIM, v)?,
        Value::UDim2(v) => tagged(w, tag::UDIM2, v)?,
        Value::Rect(v) => tagged(w, tag::RECT, v)?,
        Value::NumberRange(v) => tagged(w, tag::NUMBER_RANGE, v)?,
        Value::NumberSequence(v) => tagged(w, tag::NUMBER_SEQUENCE, v)?,
        Value::ColorSequence(v) => tagged(w, tag::COLOR_SEQUENCE, v)?,
        Value::DateTime(v) => tagged(w, tag::DATE_TIME, v)?,
        Value::EnumItem { enum_name, value } => {
            if let Err(unknown) = enum_item(enum_name, *value) {
                return Err(EncodeError::Invalid(unknown.to_string().into()));
            }
            w.u8(tag::ENUM_ITEM);
            w.string(enum_name, LenRange::UNBOUNDED)?;
            w.u32(*value);
        }
    }
    Ok(())
}

fn tagged(w: &mut Writer, tag: u8, v: &impl Encode) -> Result<(), EncodeError> {
    w.u8(tag);
    v.encode(w)
}

/// The depth inside a table entered at `depth`, if allowed.
fn enter_table(depth: u32) -> Option<u32> {
    let depth = depth + 1;
    (depth <= MAX_ANY_DEPTH).then_some(depth)
}

fn decode_value(r: &mut Reader<'_>, depth: u32) -> Result<Value, DecodeError> {
    let tag = r.u8()?;
    Ok(match tag {
        tag::NIL => Value::Nil,
        tag::FALSE => Value::Bool(false),
        tag::TRUE => Value::Bool(true),
        tag::NUMBER => Value::Number(r.f64()?),
        tag::STRING => Value::String(r.string(LenRange::UNBOUNDED)?),
        tag::BUFFER => Value::Buffer(r.buffer(LenRange::UNBOUNDED)?),
        tag::ARRAY => {
            let depth = enter_table(depth).ok_or(DecodeError::TooDeep { max: MAX_ANY_DEPTH })?;
            // Each element is at least its tag byte.
            let len = r.len(LenRange::UNBOUNDED, 1)?;
            let mut items = Vec::with_capacity(prealloc::<Value>(len));
            for _ in 0..len {
                items.push(decode_value(r, depth)?);
            }
            Value::Array(items)
        }
        tag::MAP => {
            let depth = enter_table(depth).ok_or(DecodeError::TooDeep { max: MAX_ANY_DEPTH })?;
            // Each entry is at least two tag bytes.
            let len = r.len(LenRange::UNBOUNDED, 2)?;
            let mut entries = Vec::with_capacity(prealloc::<(Value, Value)>(len));
            for _ in 0..len {
                let key = decode_value(r, depth)?;
                if !valid_key(&key) {
                    return Err(DecodeError::InvalidMapKey);
                }
                let value = decode_value(r, depth)?;
                entries.push((key, value));
            }
            check_keys(&entries).map_err(|err| match err {
                KeyError::Invalid => DecodeError::InvalidMapKey,
                KeyError::Duplicate => DecodeError::DuplicateMapKey,
            })?;
            Value::Map(entries)
        }
        tag::INSTANCE => Value::Instance(r.instance()?),
        tag::VECTOR3 => Value::Vector3(Vector3::decode(r)?),
        tag::VECTOR2 => Value::Vector2(Vector2::decode(r)?),
        tag::CFRAME => Value::CFrame(CFrame::decode(r)?),
        tag::COLOR3 => Value::Color3(Color3::decode(r)?),
        tag::BRICK_COLOR => Value::BrickColor(BrickColor::decode(r)?),
        tag::UDIM => Value::UDim(UDim::decode(r)?),
        tag::UDIM2 => Value::UDim2(UDim2::decode(r)?),
        tag::RECT => Value::Rect(Rect::decode(r)?),
        tag::NUMBER_RANGE => Value::NumberRange(NumberRange::decode(r)?),
        tag::NUMBER_SEQUENCE => Value::NumberSequence(NumberSequence::decode(r)?),
        tag::COLOR_SEQUENCE => Value::ColorSequence(ColorSequence::decode(r)?),
        tag::DATE_TIME => Value::DateTime(DateTime::decode(r)?),
        tag::ENUM_ITEM => {
            let enum_name = r.string(LenRange::UNBOUNDED)?;
            let value = r.u32()?;
            enum_item(&enum_name, value)?;
            Value::EnumItem { enum_name, value }
        }
        other => {
            return Err(DecodeError::invalid_tag(
                "any",
                u64::from(other),
                u64::from(ANY_TAGS),
            ))
        }
    })
}

/// Checks that `Enum.<enum_name>` has an item of `value`, as
/// `Enum[enum_name]:FromValue(value)` would find it.
fn enum_item(enum_name: &str, value: u32) -> Result<(), DecodeError> {
    let Some(e) = tether_facts::roblox::enum_named(enum_name) else {
        return Err(DecodeError::UnknownEnum {
            name: enum_name.to_string(),
        });
    };
    match e.item_by_value(value) {
        Some(_) => Ok(()),
        None => Err(DecodeError::UnknownEnumItem {
            enum_name: e.name,
            value,
        }),
    }
}

enum KeyError {
    Invalid,
    Duplicate,
}

/// A map key as Luau tables tell keys apart; `None` for keys compared by
/// identity (never the same as another decoded key).
#[derive(PartialEq, Eq, Hash)]
enum Key<'v> {
    Bool(bool),
    Number(u64),
    String(&'v str),
    Vector3([u32; 3]),
    EnumItem(&'v str, u32),
    Instance(InstanceId),
}

/// Not nil and not NaN.
fn valid_key(key: &Value) -> bool {
    match key {
        // A nil instance is nil in Luau, where `t[nil] = v` fails.
        Value::Nil | Value::Instance(None) => false,
        Value::Number(n) => !n.is_nan(),
        _ => true,
    }
}

/// `0.0` for `-0.0`, so the two compare equal as keys.
fn number_bits(n: f32) -> u32 {
    if n == 0.0 {
        0
    } else {
        n.to_bits()
    }
}

fn luau_key(key: &Value) -> Option<Key<'_>> {
    match key {
        Value::Bool(b) => Some(Key::Bool(*b)),
        Value::Number(n) => Some(Key::Number(if *n == 0.0 { 0 } else { n.to_bits() })),
        Value::String(s) => Some(Key::String(s)),
        Value::Vector3(v) => {
            let components = [v.x, v.y, v.z];
            // A vector with a NaN component equals nothing, itself included.
            (!components.iter().any(|c| c.is_nan()))
                .then(|| Key::Vector3(components.map(number_bits)))
        }
        Value::EnumItem { enum_name, value } => Some(Key::EnumItem(enum_name, *value)),
        Value::Instance(Some(id)) => Some(Key::Instance(*id)),
        _ => None,
    }
}

fn check_keys(entries: &[(Value, Value)]) -> Result<(), KeyError> {
    let mut seen = HashSet::with_capacity(entries.len());
    for (key, _) in entries {
        if !valid_key(key) {
            return Err(KeyError::Invalid);
        }
        if let Some(key) = luau_key(key) {
            if !seen.insert(key) {
                return Err(KeyError::Duplicate);
            }
        }
    }
    Ok(())
}
