//! Compiling and loading scripts so that each has its own `script` global while Luau's
//! fast calls and import resolution stay on.
//!
//! Luau takes the fast path for a builtin call (`buffer.writeu8`, `math.floor`, ...) and
//! for a cached global import only when the *environment table of the running closure*
//! has its `safeenv` flag set. `setfenv`/`getfenv` clear that flag; a fresh table passed
//! as a chunk environment never has it. So every script and module gets its own small
//! environment table holding `script`, whose `__index` is the VM's (sandboxed, read-only
//! builtins) globals, and the mock sets `safeenv` on that table through the C API, as
//! `luaL_sandboxthread` does for a thread's proxy globals. Imports are resolved at load
//! time against the loading thread's globals (also safe after `Lua::sandbox`), which is
//! why per-script names must not shadow a global: only `script` is per-script.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use mlua::chunk::{ChunkMode, Compiler};
use mlua::{Function, Lua, Table, Value};

/// The compiler options of a Roblox game: optimization level 2 (inlining, and builtins
/// assumed unmodified) and `Vector3.new` compiled as the native vector constructor.
pub(crate) fn compiler() -> Compiler {
    Compiler::new()
        .set_optimization_level(2)
        .set_debug_level(1)
        .set_vector_ctor("Vector3.new")
        .set_vector_type("Vector3")
}

/// Bytecode, or the syntax error message (without chunk name).
type Compiled = Result<Rc<[u8]>, String>;

/// Bytecode by source text, shared by the VMs of a place: clients load the same modules.
#[derive(Default)]
pub(crate) struct ScriptCache {
    compiled: RefCell<HashMap<Vec<u8>, Compiled>>,
}

impl ScriptCache {
    /// The bytecode of `source`, or its syntax error message (without chunk name).
    pub(crate) fn bytecode(&self, source: &[u8]) -> Compiled {
        if let Some(hit) = self.compiled.borrow().get(source) {
            return hit.clone();
        }
        let compiled = compiler()
            .compile(source)
            .map(Rc::from)
            .map_err(|e| match e {
                mlua::Error::SyntaxError { message, .. } => message,
                other => other.to_string(),
            });
        self.compiled
            .borrow_mut()
            .insert(source.to_vec(), compiled.clone());
        compiled
    }
}

/// A new environment for one script: `script` plus read access to the globals.
pub(crate) fn new_env(lua: &Lua, globals_mt: &Table, script: Value) -> mlua::Result<Table> {
    let env = lua.create_table_with_capacity(0, 1)?;
    if !script.is_nil() {
        env.raw_set("script", script)?;
    }
    env.set_metatable(Some(globals_mt.clone()))?;
    mark_safe(lua, &env)?;
    Ok(env)
}

fn mark_safe(lua: &Lua, env: &Table) -> mlua::Result<()> {
    // SAFETY: the closure only flags the table that exec_raw pushed at the top of the
    // stack (its single argument) and pops it; it neither errors nor leaves the stack
    // unbalanced.
    unsafe {
        lua.exec_raw::<()>(env, |state| {
            mlua::ffi::lua_setsafeenv(state, -1, 1);
            mlua::ffi::lua_pop(state, 1);
        })
    }
}

/// Loads `source` as a function running in `env`. The outer error is the VM's; the
/// inner one a syntax error, as `chunk:line: message`.
pub(crate) fn load(
    lua: &Lua,
    cache: &ScriptCache,
    source: &[u8],
    chunk_name: &str,
    env: Table,
) -> mlua::Result<Result<Function, String>> {
    let bytecode = match cache.bytecode(source) {
        Ok(b) => b,
        Err(message) => {
            let shown = chunk_name.trim_start_matches(['=', '@']);
            return Ok(Err(format!("{shown}:{message}")));
        }
    };
    lua.load(&*bytecode)
        .set_name(chunk_name)
        .set_mode(ChunkMode::Binary)
        .set_environment(env)
        .into_function()
        .map(Ok)
}
