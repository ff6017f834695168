//! Timings of the mock itself: whether module code keeps Luau's fast calls, and what a
//! step and a remote firing cost. Run with `cargo bench -p tether-roblox-mock`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use tether_roblox_mock::mlua::{Function, Lua};
use tether_roblox_mock::{MockError, Place, Side};

const WRITER: &str = r#"
return function(b, n)
    for i = 0, n - 1 do
        buffer.writeu8(b, i, bit32.band(i, 255))
    end
end
"#;

const BYTES: usize = 1 << 20;

/// Best of a few runs, in nanoseconds per unit of work.
fn best_ns(units: usize, mut run: impl FnMut() -> Result<(), MockError>) -> Result<f64, MockError> {
    let mut best = Duration::MAX;
    for _ in 0..15 {
        let start = Instant::now();
        run()?;
        best = best.min(start.elapsed());
    }
    Ok(best.as_nanos() as f64 / units as f64)
}

fn writes(lua: &Lua, writer: &Function) -> Result<f64, MockError> {
    let buffer = lua.create_buffer_with_capacity(BYTES)?;
    best_ns(BYTES, || Ok(writer.call::<()>((buffer.clone(), BYTES))?))
}

fn main() -> Result<(), MockError> {
    let mut place = Place::new()?;
    place.install_modules("ReplicatedStorage", &[("writer", WRITER)])?;
    let deoptimized = format!("local _ = getfenv() {WRITER}");
    place.install_modules("ReplicatedStorage", &[("deoptimized", &deoptimized)])?;

    let plain: Function = place.lua(Side::Server)?.load(WRITER).eval()?;
    let module: Function = place.eval_as(Side::Server, "require(game.ReplicatedStorage.writer)")?;
    let getfenv: Function =
        place.eval_as(Side::Server, "require(game.ReplicatedStorage.deoptimized)")?;
    let lua = place.lua(Side::Server)?;
    // What a naive per-script environment does: a fresh table, never marked safe.
    let env = lua.create_table()?;
    env.set_metatable(Some(lua.create_table_from([("__index", lua.globals())])?))?;
    let unsafe_env: Function = lua.load(WRITER).set_environment(env).eval()?;

    println!(
        "buffer.writeu8 + bit32.band, ns per byte written (best of 15 runs of {BYTES} bytes):"
    );
    println!(
        "  plain chunk (Lua::load)               {:6.2}",
        writes(lua, &plain)?
    );
    println!(
        "  module through the mock's require     {:6.2}",
        writes(lua, &module)?
    );
    println!(
        "  module that calls getfenv()           {:6.2}",
        writes(lua, &getfenv)?
    );
    println!(
        "  chunk with an unmarked env table      {:6.2}",
        writes(lua, &unsafe_env)?
    );

    // Step and delivery overhead: one server, one client, a handler that does nothing.
    let start = Instant::now();
    let mut place = Place::new()?;
    let new_place = start.elapsed();
    place.run(Side::Server, "local r = Instance.new('RemoteEvent', game.ReplicatedStorage) r.OnServerEvent:Connect(function() end)")?;
    let start = Instant::now();
    let client = place.add_client("Bench")?;
    let new_client = start.elapsed();
    let idle = best_ns(1000, || place.step_n(1000, 1.0 / 60.0))?;
    let fire: Function = place.eval_as(
        Side::Client(client),
        r#"function(n)
            local r, payload = game.ReplicatedStorage.RemoteEvent, buffer.create(64)
            for _ = 1, n do r:FireServer(payload, 12345, "tag") end
        end"#,
    )?;
    const FIRINGS: usize = 1000;
    let fire_only = best_ns(FIRINGS, || Ok(fire.call::<()>(FIRINGS)?))?;
    place.step(1.0 / 60.0)?;
    let round_trip = best_ns(FIRINGS, || {
        fire.call::<()>(FIRINGS)?;
        place.step(1.0 / 60.0)
    })?;
    println!("Place::new {:?}, add_client {:?}", new_place, new_client);
    println!("place with one client, microseconds:");
    println!(
        "  an idle step                          {:6.2}",
        idle / 1000.0
    );
    println!(
        "  FireServer(buffer(64), number, string) {:5.2}  (conversion to wire values, queueing)",
        fire_only / 1000.0
    );
    println!(
        "  ... and its delivery to the handler   {:6.2}  (fire + deliver, per firing)",
        black_box(round_trip) / 1000.0
    );
    Ok(())
}
