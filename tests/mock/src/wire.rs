//! What Roblox's serializer carries across the network, in Rust form.

use std::collections::BTreeMap;

/// The network identity of an instance: equal on the server and on every client that
/// has a replica of it. The DataModel is 1 and the services that every VM starts with
/// have fixed ids, so they are equal everywhere too.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NetId(pub u64);

/// A UDim: a binary32 scale and an int32 offset.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UDim {
    /// Fraction of the parent's size.
    pub scale: f32,
    /// Pixels.
    pub offset: i32,
}

/// A NumberSequenceKeypoint.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct NumberKeypoint {
    /// In `[0, 1]`.
    pub time: f32,
    /// The value at `time`.
    pub value: f32,
    /// The random variance around `value`.
    pub envelope: f32,
}

/// A ColorSequenceKeypoint.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ColorKeypoint {
    /// In `[0, 1]`.
    pub time: f32,
    /// R, G, B in `[0, 1]`.
    pub color: [f32; 3],
}

/// A value as it crosses the network between a server and a client.
///
/// Converting a Luau value applies Roblox's remote argument limitations: tables are
/// copied; a table with a value at `[1]` is an array cut at its first nil (its other keys
/// are lost), any other table is a dictionary whose non-string keys become strings (via
/// `tostring`); functions and threads become nil (in an array this cuts it, like a hole);
/// metatables are dropped; an instance travels as its [`NetId`] and arrives as nil where
/// the receiver has no replica of it. Datatype components are binary32 as in the engine.
#[derive(Clone, Debug, PartialEq)]
pub enum WireValue {
    /// `nil`.
    Nil,
    /// A boolean.
    Boolean(bool),
    /// A number (a double).
    Number(f64),
    /// A string: bytes, not necessarily UTF-8.
    String(Vec<u8>),
    /// A `buffer`.
    Buffer(Vec<u8>),
    /// A table with a value at `[1]`: its elements from 1 up to the first nil.
    Array(Vec<WireValue>),
    /// Any other table, with keys as strings.
    Dictionary(BTreeMap<Vec<u8>, WireValue>),
    /// An instance, by network id.
    Instance(NetId),
    /// X, Y, Z.
    Vector3([f32; 3]),
    /// X, Y.
    Vector2([f32; 2]),
    /// Position and rotation matrix, row-major (R00 R01 R02 R10 .. R22).
    CFrame {
        /// X, Y, Z.
        position: [f32; 3],
        /// R00, R01, R02, R10, R11, R12, R20, R21, R22.
        rotation: [f32; 9],
    },
    /// R, G, B.
    Color3([f32; 3]),
    /// A BrickColor by number.
    BrickColor(u16),
    /// A UDim.
    UDim(UDim),
    /// A UDim2: X then Y.
    UDim2(UDim, UDim),
    /// A Rect: min corner, max corner.
    Rect {
        /// Min.X, Min.Y.
        min: [f32; 2],
        /// Max.X, Max.Y.
        max: [f32; 2],
    },
    /// A NumberRange.
    NumberRange {
        /// Min.
        min: f32,
        /// Max.
        max: f32,
    },
    /// A NumberSequence.
    NumberSequence(Vec<NumberKeypoint>),
    /// A ColorSequence.
    ColorSequence(Vec<ColorKeypoint>),
    /// A DateTime, in milliseconds since the Unix epoch.
    DateTime(i64),
    /// An EnumItem, by enum name and value; arrives as nil if the receiver has no such item.
    EnumItem {
        /// The enum, e.g. `"Material"`.
        enum_type: String,
        /// The item's value.
        value: u32,
    },
}

impl WireValue {
    /// A string value.
    pub fn string(s: impl AsRef<[u8]>) -> WireValue {
        WireValue::String(s.as_ref().to_vec())
    }

    /// A dictionary from `(key, value)` pairs.
    pub fn dictionary<K: AsRef<[u8]>>(
        entries: impl IntoIterator<Item = (K, WireValue)>,
    ) -> WireValue {
        WireValue::Dictionary(
            entries
                .into_iter()
                .map(|(k, v)| (k.as_ref().to_vec(), v))
                .collect(),
        )
    }

    /// The number, if this is one.
    pub fn as_number(&self) -> Option<f64> {
        match self {
            WireValue::Number(n) => Some(*n),
            _ => None,
        }
    }

    /// The string, if this is a UTF-8 one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            WireValue::String(s) => std::str::from_utf8(s).ok(),
            _ => None,
        }
    }

    /// The value stored under `key`, if this is a dictionary.
    pub fn get(&self, key: &str) -> Option<&WireValue> {
        match self {
            WireValue::Dictionary(map) => map.get(key.as_bytes()),
            _ => None,
        }
    }
}

impl From<bool> for WireValue {
    fn from(b: bool) -> Self {
        WireValue::Boolean(b)
    }
}

impl From<f64> for WireValue {
    fn from(n: f64) -> Self {
        WireValue::Number(n)
    }
}

impl From<i32> for WireValue {
    fn from(n: i32) -> Self {
        WireValue::Number(n.into())
    }
}

impl From<&str> for WireValue {
    fn from(s: &str) -> Self {
        WireValue::string(s)
    }
}

impl From<NetId> for WireValue {
    fn from(id: NetId) -> Self {
        WireValue::Instance(id)
    }
}

impl From<Vec<WireValue>> for WireValue {
    fn from(items: Vec<WireValue>) -> Self {
        WireValue::Array(items)
    }
}

fn varint_len(n: usize) -> usize {
    let mut len = 1;
    let mut n = n >> 7;
    while n > 0 {
        len += 1;
        n >>= 7;
    }
    len
}

/// The mock's estimate of a firing's payload size, for the 1000-byte limit of
/// UnreliableRemoteEvent. Roblox does not document its encoding; this estimate is one
/// type byte per value plus the value's bytes: numbers 8, strings and buffers their
/// length plus a varint length, tables a varint count plus their entries (dictionary keys
/// as strings), Vector3 12, Vector2 8, CFrame 24 (position plus a packed rotation),
/// Color3 12, BrickColor 2, UDim 8, UDim2 16, Rect 16, NumberRange 8, keypoints 12 or 16
/// each, DateTime 8, EnumItem 4, instances 4. So one buffer argument of n bytes counts
/// n + 1 + varint(n), and a 997-byte buffer is the largest that passes alone.
pub fn payload_size(args: &[WireValue]) -> usize {
    args.iter().map(value_size).sum()
}

fn value_size(v: &WireValue) -> usize {
    1 + match v {
        WireValue::Nil => 0,
        WireValue::Boolean(_) => 1,
        WireValue::Number(_) => 8,
        WireValue::String(s) | WireValue::Buffer(s) => varint_len(s.len()) + s.len(),
        WireValue::Array(items) => {
            varint_len(items.len()) + items.iter().map(value_size).sum::<usize>()
        }
        WireValue::Dictionary(map) => {
            varint_len(map.len())
                + map
                    .iter()
                    .map(|(k, v)| varint_len(k.len()) + k.len() + value_size(v))
                    .sum::<usize>()
        }
        WireValue::Instance(_) => 4,
        WireValue::Vector3(_) => 12,
        WireValue::Vector2(_) => 8,
        WireValue::CFrame { .. } => 24,
        WireValue::Color3(_) => 12,
        WireValue::BrickColor(_) => 2,
        WireValue::UDim(_) => 8,
        WireValue::UDim2(..) => 16,
        WireValue::Rect { .. } => 16,
        WireValue::NumberRange { .. } => 8,
        WireValue::NumberSequence(k) => varint_len(k.len()) + 12 * k.len(),
        WireValue::ColorSequence(k) => varint_len(k.len()) + 16 * k.len(),
        WireValue::DateTime(_) => 8,
        WireValue::EnumItem { .. } => 4,
    }
}

/// A client's firing of a remote event, as a Rust test sees it (see
/// [`Place::intercept_server_remote`](crate::Place::intercept_server_remote)).
#[derive(Clone, Debug, PartialEq)]
pub struct Firing {
    /// The client that fired.
    pub from: crate::ClientId,
    /// The remote's full name, e.g. `"ReplicatedStorage.Net.Chat"`.
    pub remote: String,
    /// The arguments, as they crossed the network.
    pub args: Vec<WireValue>,
}
