//! Luau values to [`WireValue`] and back, with Roblox's remote argument limitations.

use std::collections::BTreeMap;
use std::ffi::c_void;

use mlua::{Function, Lua, MultiValue, Table, Value};

use crate::wire::{ColorKeypoint, NetId, NumberKeypoint, UDim, WireValue};

/// The Luau side of the conversion: the mock's datatype codec and instance registry.
pub(crate) struct Codec {
    /// `rt.classify(userdata) -> (typeName, components...)`.
    pub classify: Function,
    /// `rt.make(typeName, components...) -> value | nil`.
    pub make: Function,
    /// NetId -> instance.
    pub by_net_id: Table,
    /// The global `tostring`, for non-string dictionary keys.
    pub tostring: Function,
}

/// Converts one Luau value as the network would carry it. Errors only on a cyclic table,
/// as Roblox refuses those at the firing call.
pub(crate) fn to_wire(codec: &Codec, value: &Value) -> mlua::Result<WireValue> {
    encode(codec, value, &mut Vec::new())
}

fn encode(codec: &Codec, value: &Value, path: &mut Vec<*const c_void>) -> mlua::Result<WireValue> {
    Ok(match value {
        Value::Boolean(b) => WireValue::Boolean(*b),
        Value::Integer(i) => WireValue::Number(*i as f64),
        Value::Number(n) => WireValue::Number(*n),
        Value::Vector(v) => WireValue::Vector3([v.x(), v.y(), v.z()]),
        Value::String(s) => WireValue::String(s.as_bytes().to_vec()),
        Value::Buffer(b) => WireValue::Buffer(b.to_vec()),
        Value::Table(t) => encode_table(codec, t, path)?,
        Value::UserData(_) => encode_userdata(codec, value)?,
        _ => WireValue::Nil,
    })
}

/// Whether an array element ends the array. Nil holes and functions do; an instance the
/// receiver cannot see does not (it is a reference that resolves to nil on arrival).
fn ends_array(value: &Value) -> bool {
    matches!(value, Value::Nil | Value::Function(_) | Value::Thread(_))
}

fn encode_table(
    codec: &Codec,
    t: &Table,
    path: &mut Vec<*const c_void>,
) -> mlua::Result<WireValue> {
    let ptr = t.to_pointer();
    if path.contains(&ptr) {
        return Err(mlua::Error::runtime("tables cannot be cyclic"));
    }
    path.push(ptr);
    let first: Value = t.raw_get(1)?;
    let result = if !first.is_nil() {
        let mut items = Vec::new();
        let mut i = 1;
        loop {
            let v: Value = t.raw_get(i)?;
            if ends_array(&v) {
                break;
            }
            items.push(encode(codec, &v, path)?);
            i += 1;
        }
        WireValue::Array(items)
    } else {
        let mut map = BTreeMap::new();
        for pair in t.pairs::<Value, Value>() {
            let (k, v) = pair?;
            let w = encode(codec, &v, path)?;
            if w == WireValue::Nil {
                continue;
            }
            let key = match k {
                Value::String(s) => s.as_bytes().to_vec(),
                other => codec
                    .tostring
                    .call::<mlua::LuaString>(other)?
                    .as_bytes()
                    .to_vec(),
            };
            map.insert(key, w);
        }
        WireValue::Dictionary(map)
    };
    path.pop();
    Ok(result)
}

fn number(v: Option<&Value>) -> f64 {
    match v {
        Some(Value::Number(n)) => *n,
        Some(Value::Integer(i)) => *i as f64,
        _ => 0.0,
    }
}

fn f32s<const N: usize>(parts: &[Value]) -> [f32; N] {
    std::array::from_fn(|i| number(parts.get(i)) as f32)
}

fn encode_userdata(codec: &Codec, value: &Value) -> mlua::Result<WireValue> {
    let parts: Vec<Value> = codec
        .classify
        .call::<MultiValue>(value.clone())?
        .into_iter()
        .collect();
    let Some(Value::String(kind)) = parts.first() else {
        return Ok(WireValue::Nil);
    };
    let rest = &parts[1..];
    let udim = |i: usize| UDim {
        scale: number(rest.get(i)) as f32,
        offset: number(rest.get(i + 1)) as i32,
    };
    Ok(match &*kind.as_bytes() {
        b"Instance" => match rest.first() {
            Some(Value::Integer(id)) => WireValue::Instance(NetId(*id as u64)),
            Some(Value::Number(id)) => WireValue::Instance(NetId(*id as u64)),
            _ => WireValue::Nil,
        },
        b"CFrame" => WireValue::CFrame {
            position: f32s(rest),
            rotation: f32s(rest.get(3..).unwrap_or_default()),
        },
        b"Vector2" => WireValue::Vector2(f32s(rest)),
        b"Color3" => WireValue::Color3(f32s(rest)),
        b"BrickColor" => WireValue::BrickColor(number(rest.first()) as u16),
        b"UDim" => WireValue::UDim(udim(0)),
        b"UDim2" => WireValue::UDim2(udim(0), udim(2)),
        b"Rect" => {
            let [x0, y0, x1, y1] = f32s(rest);
            WireValue::Rect {
                min: [x0, y0],
                max: [x1, y1],
            }
        }
        b"NumberRange" => {
            let [min, max] = f32s(rest);
            WireValue::NumberRange { min, max }
        }
        b"NumberSequence" => WireValue::NumberSequence(
            rest.chunks(3)
                .map(|c| {
                    let [time, value, envelope] = f32s(c);
                    NumberKeypoint {
                        time,
                        value,
                        envelope,
                    }
                })
                .collect(),
        ),
        b"ColorSequence" => WireValue::ColorSequence(
            rest.chunks(4)
                .map(|c| {
                    let [time, r, g, b] = f32s(c);
                    ColorKeypoint {
                        time,
                        color: [r, g, b],
                    }
                })
                .collect(),
        ),
        b"DateTime" => WireValue::DateTime(number(rest.first()) as i64),
        b"EnumItem" => match rest.first() {
            Some(Value::String(name)) => WireValue::EnumItem {
                enum_type: name.to_str()?.to_owned(),
                value: number(rest.get(1)) as u32,
            },
            _ => WireValue::Nil,
        },
        _ => WireValue::Nil,
    })
}

/// Builds the Luau value a receiver gets for `value`.
pub(crate) fn from_wire(lua: &Lua, codec: &Codec, value: &WireValue) -> mlua::Result<Value> {
    Ok(match value {
        WireValue::Nil => Value::Nil,
        WireValue::Boolean(b) => Value::Boolean(*b),
        WireValue::Number(n) => Value::Number(*n),
        WireValue::String(s) => Value::String(lua.create_string(s)?),
        WireValue::Buffer(b) => Value::Buffer(lua.create_buffer(b)?),
        WireValue::Array(items) => {
            let t = lua.create_table_with_capacity(items.len(), 0)?;
            for (i, item) in items.iter().enumerate() {
                t.raw_set(i + 1, from_wire(lua, codec, item)?)?;
            }
            Value::Table(t)
        }
        WireValue::Dictionary(map) => {
            let t = lua.create_table_with_capacity(0, map.len())?;
            for (k, v) in map {
                t.raw_set(lua.create_string(k)?, from_wire(lua, codec, v)?)?;
            }
            Value::Table(t)
        }
        WireValue::Instance(id) => codec.by_net_id.raw_get::<Value>(id.0)?,
        WireValue::Vector3([x, y, z]) => Value::Vector(mlua::Vector::new(*x, *y, *z)),
        WireValue::Vector2([x, y]) => make(lua, codec, "Vector2", &[*x as f64, *y as f64])?,
        WireValue::CFrame { position, rotation } => {
            let nums: Vec<f64> = position.iter().chain(rotation).map(|&c| c as f64).collect();
            make(lua, codec, "CFrame", &nums)?
        }
        WireValue::Color3(c) => make(lua, codec, "Color3", &c.map(f64::from))?,
        WireValue::BrickColor(n) => make(lua, codec, "BrickColor", &[f64::from(*n)])?,
        WireValue::UDim(u) => make(lua, codec, "UDim", &[u.scale.into(), u.offset.into()])?,
        WireValue::UDim2(x, y) => make(
            lua,
            codec,
            "UDim2",
            &[
                x.scale.into(),
                x.offset.into(),
                y.scale.into(),
                y.offset.into(),
            ],
        )?,
        WireValue::Rect { min, max } => make(
            lua,
            codec,
            "Rect",
            &[min[0].into(), min[1].into(), max[0].into(), max[1].into()],
        )?,
        WireValue::NumberRange { min, max } => {
            make(lua, codec, "NumberRange", &[(*min).into(), (*max).into()])?
        }
        WireValue::NumberSequence(kps) => {
            let nums: Vec<f64> = kps
                .iter()
                .flat_map(|k| [k.time, k.value, k.envelope])
                .map(f64::from)
                .collect();
            make(lua, codec, "NumberSequence", &nums)?
        }
        WireValue::ColorSequence(kps) => {
            let nums: Vec<f64> = kps
                .iter()
                .flat_map(|k| [k.time, k.color[0], k.color[1], k.color[2]])
                .map(f64::from)
                .collect();
            make(lua, codec, "ColorSequence", &nums)?
        }
        WireValue::DateTime(ms) => make(lua, codec, "DateTime", &[*ms as f64])?,
        WireValue::EnumItem { enum_type, value } => codec.make.call::<Value>((
            "EnumItem",
            lua.create_string(enum_type)?,
            f64::from(*value),
        ))?,
    })
}

fn make(lua: &Lua, codec: &Codec, kind: &str, nums: &[f64]) -> mlua::Result<Value> {
    let mut args = MultiValue::with_capacity(nums.len() + 1);
    args.push_back(Value::String(lua.create_string(kind)?));
    args.extend(nums.iter().map(|&n| Value::Number(n)));
    codec.make.call(args)
}

/// Converts a list of Luau values into Luau values of another VM, through the wire.
pub(crate) fn args_to_lua(
    lua: &Lua,
    codec: &Codec,
    args: &[WireValue],
) -> mlua::Result<MultiValue> {
    let mut out = MultiValue::with_capacity(args.len());
    for a in args {
        out.push_back(from_wire(lua, codec, a)?);
    }
    Ok(out)
}
