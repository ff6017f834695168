//! The Rust callbacks of one VM (the `host` table the mock's Luau chunks receive) and the
//! per-VM state they write to.

use std::cell::{Cell, OnceCell, RefCell};
use std::os::raw::c_int;
use std::rc::Rc;

use mlua::{Lua, MultiValue, Table, Value};
use rbx_reflection::ReflectionDatabase;

use crate::convert::{from_wire, to_wire, Codec};
use crate::network::{Outgoing, Target};
use crate::output::{OutputKind, OutputLine, ScriptError};
use crate::reflection::{self, Brick};
use crate::scripts::{self, ScriptCache};
use crate::wire::{payload_size, NetId, WireValue};

/// Roblox drops an UnreliableRemoteEvent firing whose payload exceeds this.
pub(crate) const UNRELIABLE_LIMIT: usize = tether_facts::wire::UNRELIABLE_LIMIT as usize;

/// State shared between a VM's host callbacks and the Rust side of the place.
pub(crate) struct VmCtx {
    pub server: bool,
    pub outbox: RefCell<Vec<Outgoing>>,
    pub output: RefCell<Vec<OutputLine>>,
    pub errors: RefCell<Vec<ScriptError>>,
    pub codec: OnceCell<Codec>,
    /// `{ __index = globals }`, the metatable of every script environment.
    pub env_mt: OnceCell<Table>,
    next_call: Cell<u64>,
    pub scripts: Rc<ScriptCache>,
}

impl VmCtx {
    pub(crate) fn new(server: bool, scripts: Rc<ScriptCache>) -> VmCtx {
        VmCtx {
            server,
            outbox: RefCell::default(),
            output: RefCell::default(),
            errors: RefCell::default(),
            codec: OnceCell::new(),
            env_mt: OnceCell::new(),
            next_call: Cell::new(0),
            scripts,
        }
    }

    pub(crate) fn codec(&self) -> mlua::Result<&Codec> {
        self.codec
            .get()
            .ok_or_else(|| mlua::Error::runtime("the mock runtime is still loading"))
    }

    pub(crate) fn env_mt(&self) -> mlua::Result<&Table> {
        self.env_mt
            .get()
            .ok_or_else(|| mlua::Error::runtime("the mock runtime is still loading"))
    }

    fn push_output(&self, kind: OutputKind, text: String) {
        self.output.borrow_mut().push(OutputLine { kind, text });
    }
}

/// Makes a userdata with the given metatable: how every Roblox object of the mock is
/// born, so that `type` says "userdata" and the builtin `typeof` reads `__type`.
unsafe extern "C-unwind" fn new_object(state: *mut mlua::ffi::lua_State) -> c_int {
    // SAFETY: called by Luau with the metatable as argument 1 (the mock's own code
    // passes a table); the userdata has no payload and no destructor.
    unsafe {
        mlua::ffi::lua_newuserdata(state, 0);
        mlua::ffi::lua_pushvalue(state, 1);
        mlua::ffi::lua_setmetatable(state, -2);
    }
    1
}

fn net_id(v: &Value) -> Option<NetId> {
    match v {
        Value::Integer(i) => Some(NetId(*i as u64)),
        Value::Number(n) => Some(NetId(*n as u64)),
        _ => None,
    }
}

fn encode_args(ctx: &VmCtx, args: &MultiValue) -> mlua::Result<Vec<WireValue>> {
    let codec = ctx.codec()?;
    args.iter().map(|v| to_wire(codec, v)).collect()
}

/// Queues a firing, or returns its size when an unreliable payload is over the limit.
fn queue_event(
    ctx: &VmCtx,
    remote: NetId,
    target: Target,
    unreliable: bool,
    args: &MultiValue,
) -> mlua::Result<Option<usize>> {
    let args = encode_args(ctx, args)?;
    if unreliable {
        let size = payload_size(&args);
        if size > UNRELIABLE_LIMIT {
            return Ok(Some(size));
        }
    }
    ctx.outbox.borrow_mut().push(Outgoing::Event {
        remote,
        target,
        unreliable,
        args,
    });
    Ok(None)
}

fn brick_values(lua: &Lua, b: Option<Brick>) -> mlua::Result<MultiValue> {
    let Some(b) = b else {
        return Ok(MultiValue::new());
    };
    let [r, g, bl] = b.rgb;
    Ok(MultiValue::from_iter([
        Value::Number(b.number.into()),
        Value::String(lua.create_string(b.name)?),
        Value::Number(r.into()),
        Value::Number(g.into()),
        Value::Number(bl.into()),
    ]))
}

/// Builds the `host` table of a VM.
pub(crate) fn install(
    lua: &Lua,
    ctx: &Rc<VmCtx>,
    db: &'static ReflectionDatabase<'static>,
) -> mlua::Result<Table> {
    let host = lua.create_table()?;
    host.set("is_server", ctx.server)?;
    // SAFETY: `new_object` follows the Lua C API contract (see its comment).
    host.set("newobject", unsafe { lua.create_c_function(new_object)? })?;

    host.set(
        "set_vector_metatable",
        lua.create_function(|lua, mt: Table| {
            lua.set_type_metatable::<mlua::Vector>(Some(mt));
            Ok(())
        })?,
    )?;

    let c = ctx.clone();
    host.set(
        "output",
        lua.create_function(move |_, (kind, text): (mlua::LuaString, mlua::LuaString)| {
            let kind = if &*kind.as_bytes() == b"warn" {
                OutputKind::Warn
            } else {
                OutputKind::Print
            };
            c.push_output(kind, text.to_string_lossy());
            Ok(())
        })?,
    )?;

    let c = ctx.clone();
    host.set(
        "script_error",
        lua.create_function(
            move |_, (message, traceback): (mlua::LuaString, mlua::LuaString)| {
                let message = message.to_string_lossy();
                c.push_output(OutputKind::Error, message.clone());
                c.errors.borrow_mut().push(ScriptError {
                    message,
                    traceback: traceback.to_string_lossy(),
                });
                Ok(())
            },
        )?,
    )?;

    let c = ctx.clone();
    host.set(
        "load",
        lua.create_function(
            move |lua, (source, name, script): (mlua::LuaString, String, Value)| {
                let env = scripts::new_env(lua, c.env_mt()?, script)?;
                match scripts::load(lua, &c.scripts, &source.as_bytes(), &name, env)? {
                    Ok(f) => Ok((Value::Function(f), Value::Nil)),
                    Err(message) => Ok((Value::Nil, Value::String(lua.create_string(message)?))),
                }
            },
        )?,
    )?;

    let c = ctx.clone();
    host.set(
        "fire_server",
        lua.create_function(
            move |_, (remote, unreliable, args): (f64, bool, MultiValue)| {
                queue_event(&c, NetId(remote as u64), Target::Server, unreliable, &args)
            },
        )?,
    )?;

    let c = ctx.clone();
    host.set(
        "fire_client",
        lua.create_function(
            move |_, (remote, player, unreliable, args): (f64, Value, bool, MultiValue)| {
                let target = net_id(&player).map_or(Target::AllPlayers, Target::Player);
                queue_event(&c, NetId(remote as u64), target, unreliable, &args)
            },
        )?,
    )?;

    let c = ctx.clone();
    host.set(
        "invoke",
        lua.create_function(move |_, (remote, player, args): (f64, Value, MultiValue)| {
            let args = encode_args(&c, &args)?;
            let call = c.next_call.get() + 1;
            c.next_call.set(call);
            let target = net_id(&player).map_or(Target::Server, Target::Player);
            c.outbox.borrow_mut().push(Outgoing::Invoke {
                remote: NetId(remote as u64),
                target,
                call,
                args,
            });
            Ok(call)
        })?,
    )?;

    let c = ctx.clone();
    host.set(
        "return_call",
        lua.create_function(move |_, (call, player, values): (u64, Value, MultiValue)| {
            let values = encode_args(&c, &values)?;
            let target = net_id(&player).map_or(Target::Server, Target::Player);
            c.outbox.borrow_mut().push(Outgoing::Return {
                call,
                target,
                values,
            });
            Ok(())
        })?,
    )?;

    let c = ctx.clone();
    host.set(
        "kick",
        lua.create_function(move |_, (player, message): (f64, String)| {
            c.outbox.borrow_mut().push(Outgoing::Kick {
                player: NetId(player as u64),
                message,
            });
            Ok(())
        })?,
    )?;

    host.set(
        "class_info",
        lua.create_function(move |lua, name: String| {
            let Some(info) = reflection::class_info(db, &name) else {
                return Ok(Value::Nil);
            };
            let t = lua.create_table()?;
            t.set("superclasses", info.superclasses)?;
            t.set("creatable", info.creatable)?;
            t.set("service", info.service)?;
            let props = lua.create_table_with_capacity(0, info.properties.len())?;
            for (name, writable) in info.properties {
                props.raw_set(name, writable)?;
            }
            t.set("props", props)?;
            Ok(Value::Table(t))
        })?,
    )?;

    let c = ctx.clone();
    host.set(
        "property_default",
        lua.create_function(move |lua, (class, prop): (String, String)| {
            match reflection::property_default(db, &class, &prop) {
                Some(v) => from_wire(lua, c.codec()?, &v),
                None => Ok(Value::Nil),
            }
        })?,
    )?;

    host.set(
        "enum_items",
        lua.create_function(move |lua, name: String| {
            let Some(items) = reflection::enum_items(db, &name) else {
                return Ok(Value::Nil);
            };
            let t = lua.create_table_with_capacity(items.len(), 0)?;
            for (i, (item, value)) in items.into_iter().enumerate() {
                t.raw_set(
                    i + 1,
                    lua.create_sequence_from([
                        Value::String(lua.create_string(item)?),
                        Value::Number(value.into()),
                    ])?,
                )?;
            }
            Ok(Value::Table(t))
        })?,
    )?;

    host.set(
        "enum_names",
        lua.create_function(move |_, ()| Ok(reflection::enum_names(db)))?,
    )?;

    host.set(
        "brickcolor",
        lua.create_function(|lua, key: Value| {
            let brick = match &key {
                Value::Integer(n) => reflection::brick_by_number(*n as f64),
                Value::Number(n) => reflection::brick_by_number(*n),
                Value::String(s) => reflection::brick_by_name(&s.to_string_lossy()),
                _ => None,
            };
            brick_values(lua, brick)
        })?,
    )?;

    host.set(
        "brickcolor_closest",
        lua.create_function(|_, (r, g, b): (f64, f64, f64)| {
            Ok(reflection::brick_closest(r, g, b).map(|k| k.number))
        })?,
    )?;

    Ok(host)
}
