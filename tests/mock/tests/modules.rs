//! require: caching, relative paths, Roblox's errors, and fast calls in module code.

use tether_roblox_mock::{MockError, Place, Side};

#[test]
fn modules_load_once_per_vm_and_require_each_other_relatively() -> Result<(), MockError> {
    let mut place = Place::new()?;
    place.install_modules(
        "ReplicatedStorage.Net",
        &[
            (
                "tether",
                "_G.loads = (_G.loads or 0) + 1 return { name = script:GetFullName() }",
            ),
            (
                "chat",
                "local tether = require(script.Parent.tether) return { base = tether }",
            ),
        ],
    )?;
    let client = place.add_client("Alice")?;
    for side in [Side::Server, Side::Client(client)] {
        let (same, loads, name) = place.eval_as::<(bool, f64, String)>(
            side,
            r#"(function()
                local net = game.ReplicatedStorage.Net
                local chat = require(net.chat)
                return chat.base == require(net.tether), _G.loads, chat.base.name
            end)()"#,
        )?;
        assert!(same);
        assert_eq!(loads, 1.0, "once per VM");
        assert_eq!(name, "ReplicatedStorage.Net.tether");
    }
    Ok(())
}

#[test]
fn module_failures_are_reported_as_roblox_does() -> Result<(), MockError> {
    let mut place = Place::new()?;
    place.install_modules(
        "ServerStorage.Mods",
        &[
            ("bad", "error('boom')"),
            ("empty", "local x = 1"),
            ("a", "return require(script.Parent.b)"),
            ("b", "return require(script.Parent.a)"),
            ("syntax", "return {"),
        ],
    )?;
    let errors = place.eval_as::<Vec<String>>(
        Side::Server,
        r#"
        local mods = game.ServerStorage.Mods
        local function err(m) local ok, e = pcall(require, m) return if ok then "ok" else tostring(e) end
        return { err(mods.bad), err(mods.bad), err(mods.empty), err(mods.a), err(mods.syntax), err(workspace), err(5) }
        "#,
    )?;
    assert_eq!(errors[0], "ServerStorage.Mods.bad:1: boom");
    assert_eq!(
        errors[1],
        "Requested module experienced an error while loading"
    );
    assert_eq!(errors[2], "Module code did not return exactly one value");
    assert!(
        errors[3].ends_with("Requested module was required recursively"),
        "{}",
        errors[3]
    );
    assert!(
        errors[4].starts_with("ServerStorage.Mods.syntax:1:"),
        "{}",
        errors[4]
    );
    assert_eq!(
        errors[5],
        "Attempted to call require with invalid argument(s)."
    );
    assert_eq!(
        errors[6],
        "Attempted to call require with invalid argument(s)."
    );
    Ok(())
}

#[test]
fn a_module_that_yields_makes_other_requirers_wait() -> Result<(), MockError> {
    let mut place = Place::new()?;
    place.install_modules(
        "ReplicatedStorage",
        &[("slow", "task.wait(1) return 'ready'")],
    )?;
    place.run(
        Side::Server,
        r#"
        for i = 1, 2 do
            task.spawn(function() print(i, require(game.ReplicatedStorage.slow), time()) end)
        end
        "#,
    )?;
    place.step_n(4, 0.5)?;
    let out: Vec<String> = place
        .output(Side::Server)?
        .into_iter()
        .map(|l| l.text)
        .collect();
    assert_eq!(out, ["1 ready 1", "2 ready 1"]);
    Ok(())
}

/// Luau only takes the fast path of a builtin call (FASTCALL) when the running closure's
/// environment is marked safe; the fast path calls the builtin even when the global has
/// been replaced. So with `math` swapped for a fake, `math.floor(1.5)` gives 1 in code
/// that keeps fast calls and the fake's 42 in code that lost them.
#[test]
fn module_code_keeps_luaus_fast_calls() -> Result<(), MockError> {
    let mut place = Place::new()?;
    place.install_modules(
        "ReplicatedStorage",
        &[
            ("fast", "return function(x) return math.floor(x) end"),
            (
                "deoptimized",
                "local _ = getfenv() return function(x) return math.floor(x) end",
            ),
        ],
    )?;
    let lua = place.lua(Side::Server)?;
    let fake = lua.create_table()?;
    fake.set("floor", lua.create_function(|_, _: f64| Ok(42.0))?)?;
    lua.globals().raw_set("math", fake)?;
    let (fast, slow, script) = place.eval_as::<(f64, f64, f64)>(
        Side::Server,
        r#"require(game.ReplicatedStorage.fast)(1.5), require(game.ReplicatedStorage.deoptimized)(1.5), math.floor(1.5)"#,
    )?;
    assert_eq!(fast, 1.0, "a module keeps fast calls");
    assert_eq!(slow, 42.0, "getfenv deoptimizes, so the probe can tell");
    assert_eq!(script, 1.0, "eval chunks keep fast calls too");
    Ok(())
}
