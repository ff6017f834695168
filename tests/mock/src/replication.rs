//! Replication ops carried from the server VM to client VMs (see `luau/replication.luau`,
//! which logs them as arrays `{ kind, netId, ... }`).

use mlua::{Lua, Table, Value};

use crate::convert::{from_wire, to_wire, Codec};
use crate::wire::{NetId, WireValue};

#[derive(Clone, Debug)]
pub(crate) enum RepOp {
    Create {
        id: NetId,
        class: String,
        name: Vec<u8>,
        parent: Option<NetId>,
        attributes: Vec<(Vec<u8>, WireValue)>,
        properties: Vec<(Vec<u8>, WireValue)>,
        source: Option<Vec<u8>>,
    },
    Move {
        id: NetId,
        parent: Option<NetId>,
    },
    Name {
        id: NetId,
        name: Vec<u8>,
    },
    Attribute {
        id: NetId,
        name: Vec<u8>,
        value: WireValue,
    },
    Property {
        id: NetId,
        name: Vec<u8>,
        value: WireValue,
    },
    Remove {
        id: NetId,
    },
}

fn net_id(v: Value) -> Option<NetId> {
    match v {
        Value::Integer(i) => Some(NetId(i as u64)),
        Value::Number(n) => Some(NetId(n as u64)),
        _ => None,
    }
}

fn bytes(v: Value) -> Vec<u8> {
    match v {
        Value::String(s) => s.as_bytes().to_vec(),
        _ => Vec::new(),
    }
}

fn entries(codec: &Codec, v: Value) -> mlua::Result<Vec<(Vec<u8>, WireValue)>> {
    let Value::Table(t) = v else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for pair in t.pairs::<Value, Value>() {
        let (k, v) = pair?;
        out.push((bytes(k), to_wire(codec, &v)?));
    }
    Ok(out)
}

pub(crate) fn read_ops(codec: &Codec, ops: &Table) -> mlua::Result<Vec<RepOp>> {
    let mut out = Vec::with_capacity(ops.raw_len());
    for op in ops.sequence_values::<Table>() {
        let op = op?;
        let field = |i: usize| op.raw_get::<Value>(i);
        let kind = bytes(field(1)?);
        let Some(id) = net_id(field(2)?) else {
            continue;
        };
        out.push(match &kind[..] {
            b"create" => RepOp::Create {
                id,
                class: String::from_utf8_lossy(&bytes(field(3)?)).into_owned(),
                name: bytes(field(4)?),
                parent: net_id(field(5)?),
                attributes: entries(codec, field(6)?)?,
                properties: entries(codec, field(7)?)?,
                source: match field(8)? {
                    Value::String(s) => Some(s.as_bytes().to_vec()),
                    _ => None,
                },
            },
            b"move" => RepOp::Move {
                id,
                parent: net_id(field(3)?),
            },
            b"name" => RepOp::Name {
                id,
                name: bytes(field(3)?),
            },
            b"attr" => RepOp::Attribute {
                id,
                name: bytes(field(3)?),
                value: to_wire(codec, &field(4)?)?,
            },
            b"prop" => RepOp::Property {
                id,
                name: bytes(field(3)?),
                value: to_wire(codec, &field(4)?)?,
            },
            b"remove" => RepOp::Remove { id },
            _ => continue,
        });
    }
    Ok(out)
}

fn dictionary(lua: &Lua, codec: &Codec, list: &[(Vec<u8>, WireValue)]) -> mlua::Result<Value> {
    if list.is_empty() {
        return Ok(Value::Nil);
    }
    let t = lua.create_table_with_capacity(0, list.len())?;
    for (k, v) in list {
        t.raw_set(lua.create_string(k)?, from_wire(lua, codec, v)?)?;
    }
    Ok(Value::Table(t))
}

pub(crate) fn write_ops(lua: &Lua, codec: &Codec, ops: &[RepOp]) -> mlua::Result<Table> {
    let out = lua.create_table_with_capacity(ops.len(), 0)?;
    let id_value = |id: Option<NetId>| id.map_or(Value::Nil, |i| Value::Number(i.0 as f64));
    let string = |s: &[u8]| lua.create_string(s).map(Value::String);
    for (i, op) in ops.iter().enumerate() {
        let fields: Vec<Value> = match op {
            RepOp::Create {
                id,
                class,
                name,
                parent,
                attributes,
                properties,
                source,
            } => vec![
                string(b"create")?,
                id_value(Some(*id)),
                string(class.as_bytes())?,
                string(name)?,
                id_value(*parent),
                dictionary(lua, codec, attributes)?,
                dictionary(lua, codec, properties)?,
                match source {
                    Some(s) => string(s)?,
                    None => Value::Nil,
                },
            ],
            RepOp::Move { id, parent } => {
                vec![string(b"move")?, id_value(Some(*id)), id_value(*parent)]
            }
            RepOp::Name { id, name } => vec![string(b"name")?, id_value(Some(*id)), string(name)?],
            RepOp::Attribute { id, name, value } => vec![
                string(b"attr")?,
                id_value(Some(*id)),
                string(name)?,
                from_wire(lua, codec, value)?,
            ],
            RepOp::Property { id, name, value } => vec![
                string(b"prop")?,
                id_value(Some(*id)),
                string(name)?,
                from_wire(lua, codec, value)?,
            ],
            RepOp::Remove { id } => vec![string(b"remove")?, id_value(Some(*id))],
        };
        let t = lua.create_table_with_capacity(fields.len(), 0)?;
        for (j, f) in fields.into_iter().enumerate() {
            t.raw_set(j + 1, f)?;
        }
        out.raw_set(i + 1, t)?;
    }
    Ok(out)
}
