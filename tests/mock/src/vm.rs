//! One Luau VM of a place (the server or one client) with the mock engine loaded.

use std::rc::Rc;
use std::sync::OnceLock;

use mlua::chunk::ChunkMode;
use mlua::{FromLuaMulti, Function, Lua, MultiValue, Table, Value};

use crate::convert::{args_to_lua, to_wire, Codec};
use crate::error::MockError;
use crate::host::{self, VmCtx};
use crate::network::Outgoing;
use crate::output::{OutputLine, ScriptError};
use crate::reflection;
use crate::replication::{read_ops, write_ops, RepOp};
use crate::scripts::{self, ScriptCache};
use crate::wire::{NetId, WireValue};

/// The mock engine, in load order. Each chunk is called with (M, host).
const MOCK_CHUNKS: [(&str, &str); 9] = [
    ("core", include_str!("../luau/core.luau")),
    ("datatypes", include_str!("../luau/datatypes.luau")),
    ("enums", include_str!("../luau/enums.luau")),
    ("scheduler", include_str!("../luau/scheduler.luau")),
    ("signal", include_str!("../luau/signal.luau")),
    ("instance", include_str!("../luau/instance.luau")),
    ("replication", include_str!("../luau/replication.luau")),
    ("services", include_str!("../luau/services.luau")),
    ("runtime", include_str!("../luau/runtime.luau")),
];

/// The mock's bytecode, compiled once per process: every VM of every place loads it.
fn mock_bytecode() -> Result<&'static [Vec<u8>], MockError> {
    static BYTECODE: OnceLock<Result<Vec<Vec<u8>>, String>> = OnceLock::new();
    BYTECODE
        .get_or_init(|| {
            MOCK_CHUNKS
                .iter()
                .map(|(name, source)| {
                    scripts::compiler()
                        .compile(source)
                        .map_err(|e| format!("mock/{name}: {e}"))
                })
                .collect()
        })
        .as_deref()
        .map_err(|e| MockError::Lua(mlua::Error::runtime(e)))
}

/// The entry points `runtime.luau` returns.
struct Rt {
    step: Function,
    deliver: Function,
    deliver_invoke: Function,
    complete_call: Function,
    take_replication: Function,
    snapshot: Function,
    apply_replication: Function,
    add_player: Function,
    remove_player: Function,
    set_local_player: Function,
    find: Function,
    describe: Function,
    net_id_of: Function,
    install: Function,
    run: Function,
}

impl Rt {
    fn from_table(t: &Table) -> mlua::Result<Rt> {
        Ok(Rt {
            step: t.get("step")?,
            deliver: t.get("deliver")?,
            deliver_invoke: t.get("deliverInvoke")?,
            complete_call: t.get("completeCall")?,
            take_replication: t.get("takeReplication")?,
            snapshot: t.get("snapshot")?,
            apply_replication: t.get("applyReplication")?,
            add_player: t.get("addPlayer")?,
            remove_player: t.get("removePlayer")?,
            set_local_player: t.get("setLocalPlayer")?,
            find: t.get("find")?,
            describe: t.get("describe")?,
            net_id_of: t.get("netIdOf")?,
            install: t.get("install")?,
            run: t.get("run")?,
        })
    }
}

pub(crate) struct Vm {
    lua: Lua,
    ctx: Rc<VmCtx>,
    rt: Rt,
}

fn id_value(id: Option<NetId>) -> Value {
    id.map_or(Value::Nil, |i| Value::Number(i.0 as f64))
}

impl Vm {
    pub(crate) fn new(server: bool, scripts: Rc<ScriptCache>) -> Result<Vm, MockError> {
        let db = reflection::database()?;
        let lua = Lua::new();
        lua.set_compiler(scripts::compiler());
        // Read-only builtins and a safe global environment, before any chunk loads, so
        // that even the mock's own code keeps fast calls and cached imports.
        lua.sandbox(true)?;
        let ctx = Rc::new(VmCtx::new(server, scripts));
        let host = host::install(&lua, &ctx, db)?;
        let m = lua.create_table()?;
        let mut results = MultiValue::new();
        for ((name, _), bytecode) in MOCK_CHUNKS.iter().zip(mock_bytecode()?) {
            results = lua
                .load(&bytecode[..])
                .set_name(format!("=mock/{name}"))
                .set_mode(ChunkMode::Binary)
                .call((m.clone(), host.clone()))?;
        }
        let (rt, libraries) = <(Table, Table)>::from_lua_multi(results, &lua)?;
        let globals = lua.globals();
        for pair in libraries.pairs::<Value, Value>() {
            let (k, v) = pair?;
            globals.raw_set(k, v)?;
        }
        let env_mt = lua.create_table()?;
        env_mt.raw_set("__index", globals.clone())?;
        let codec = Codec {
            classify: rt.get("classify")?,
            make: rt.get("make")?,
            by_net_id: rt.get("byNetId")?,
            tostring: globals.get("tostring")?,
        };
        // Both cells are fresh, so these sets cannot fail.
        let _ = ctx.env_mt.set(env_mt);
        let _ = ctx.codec.set(codec);
        let rt = Rt::from_table(&rt)?;
        Ok(Vm { lua, ctx, rt })
    }

    pub(crate) fn lua(&self) -> &Lua {
        &self.lua
    }

    fn codec(&self) -> mlua::Result<&Codec> {
        self.ctx.codec()
    }

    pub(crate) fn take_outbox(&self) -> Vec<Outgoing> {
        std::mem::take(&mut *self.ctx.outbox.borrow_mut())
    }

    pub(crate) fn output(&self) -> Vec<OutputLine> {
        self.ctx.output.borrow().clone()
    }

    pub(crate) fn take_output(&self) -> Vec<OutputLine> {
        std::mem::take(&mut *self.ctx.output.borrow_mut())
    }

    pub(crate) fn script_errors(&self) -> Vec<ScriptError> {
        self.ctx.errors.borrow().clone()
    }

    pub(crate) fn take_script_errors(&self) -> Vec<ScriptError> {
        std::mem::take(&mut *self.ctx.errors.borrow_mut())
    }

    /// One frame: timers, RunService events, deferred threads.
    pub(crate) fn frame(&self, dt: f64) -> mlua::Result<()> {
        self.rt.step.call(dt)
    }

    pub(crate) fn deliver_event(
        &self,
        remote: NetId,
        player: Option<NetId>,
        args: &[WireValue],
    ) -> mlua::Result<()> {
        let mut values = args_to_lua(&self.lua, self.codec()?, args)?;
        values.push_front(id_value(player));
        values.push_front(id_value(Some(remote)));
        self.rt.deliver.call(values)
    }

    pub(crate) fn deliver_invoke(
        &self,
        remote: NetId,
        player: Option<NetId>,
        call: u64,
        args: &[WireValue],
    ) -> mlua::Result<()> {
        let mut values = args_to_lua(&self.lua, self.codec()?, args)?;
        values.push_front(Value::Number(call as f64));
        values.push_front(id_value(player));
        values.push_front(id_value(Some(remote)));
        self.rt.deliver_invoke.call(values)
    }

    pub(crate) fn complete_call(&self, call: u64, values: &[WireValue]) -> mlua::Result<()> {
        let mut values = args_to_lua(&self.lua, self.codec()?, values)?;
        values.push_front(Value::Number(call as f64));
        self.rt.complete_call.call(values)
    }

    /// The server's replication log since the last call.
    pub(crate) fn take_replication(&self) -> mlua::Result<Vec<RepOp>> {
        match self.rt.take_replication.call::<Option<Table>>(())? {
            Some(ops) => read_ops(self.codec()?, &ops),
            None => Ok(Vec::new()),
        }
    }

    pub(crate) fn snapshot(&self) -> mlua::Result<Vec<RepOp>> {
        let ops: Table = self.rt.snapshot.call(())?;
        read_ops(self.codec()?, &ops)
    }

    pub(crate) fn apply_replication(&self, ops: &[RepOp]) -> mlua::Result<()> {
        if ops.is_empty() {
            return Ok(());
        }
        let table = write_ops(&self.lua, self.codec()?, ops)?;
        self.rt.apply_replication.call(table)
    }

    pub(crate) fn add_player(&self, name: &str, user_id: u64) -> mlua::Result<NetId> {
        let id: f64 = self.rt.add_player.call((name, user_id as f64))?;
        Ok(NetId(id as u64))
    }

    pub(crate) fn remove_player(&self, player: NetId) -> mlua::Result<()> {
        self.rt.remove_player.call(player.0 as f64)
    }

    pub(crate) fn set_local_player(&self, player: NetId) -> mlua::Result<()> {
        self.rt.set_local_player.call(player.0 as f64)
    }

    /// The instance at a dotted path from the DataModel, e.g. `"ReplicatedStorage.Net"`.
    pub(crate) fn find(&self, path: &str) -> mlua::Result<Value> {
        self.rt.find.call(path)
    }

    /// The NetId (if any) and class of the instance at `path`, or None.
    pub(crate) fn describe(&self, path: &str) -> mlua::Result<Option<(Option<NetId>, String)>> {
        let (id, class): (Option<f64>, Option<String>) = self.rt.describe.call(path)?;
        Ok(class.map(|c| (id.map(|i| NetId(i as u64)), c)))
    }

    pub(crate) fn net_id_of(&self, value: Value) -> mlua::Result<Option<NetId>> {
        let id: Option<f64> = self.rt.net_id_of.call(value)?;
        Ok(id.map(|i| NetId(i as u64)))
    }

    pub(crate) fn install(&self, folder: &str, modules: &[(&str, &str)]) -> mlua::Result<()> {
        let list = self.lua.create_table_with_capacity(modules.len(), 0)?;
        for (i, (name, source)) in modules.iter().enumerate() {
            list.raw_set(i + 1, self.lua.create_sequence_from([*name, *source])?)?;
        }
        self.rt.install.call((folder, list))
    }

    pub(crate) fn run(&self, source: &str) -> Result<(), MockError> {
        let (ok, message, traceback): (bool, Option<String>, Option<String>) =
            self.rt.run.call(source)?;
        if ok {
            return Ok(());
        }
        Err(MockError::Script {
            message: message.unwrap_or_default(),
            traceback: traceback.unwrap_or_default(),
        })
    }

    /// Runs `source` synchronously in a fresh environment (as an expression if it parses
    /// as one, else as a chunk) and returns its results.
    pub(crate) fn eval_values(&self, source: &str) -> Result<MultiValue, MockError> {
        let env_mt = self.ctx.env_mt()?;
        let env = scripts::new_env(&self.lua, env_mt, Value::Nil)?;
        let expression = format!("return {source}");
        let function = match scripts::load(
            &self.lua,
            &self.ctx.scripts,
            expression.as_bytes(),
            "=eval",
            env.clone(),
        )? {
            Ok(f) => f,
            Err(_) => scripts::load(
                &self.lua,
                &self.ctx.scripts,
                source.as_bytes(),
                "=eval",
                env,
            )?
            .map_err(|message| {
                MockError::Lua(mlua::Error::SyntaxError {
                    message,
                    incomplete_input: false,
                })
            })?,
        };
        Ok(function.call(())?)
    }

    pub(crate) fn eval<R: FromLuaMulti>(&self, source: &str) -> Result<R, MockError> {
        let values = self.eval_values(source)?;
        Ok(R::from_lua_multi(values, &self.lua)?)
    }

    pub(crate) fn eval_wire(&self, source: &str) -> Result<Vec<WireValue>, MockError> {
        let values = self.eval_values(source)?;
        let codec = self.codec()?;
        Ok(values
            .iter()
            .map(|v| to_wire(codec, v))
            .collect::<mlua::Result<_>>()?)
    }
}
