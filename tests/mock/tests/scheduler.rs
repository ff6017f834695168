//! The task scheduler, simulated time, RunService and error isolation.

use tether_roblox_mock::{MockError, OutputKind, Place, Side};

fn texts(place: &Place, side: Side) -> Result<Vec<String>, MockError> {
    Ok(place
        .output(side)?
        .into_iter()
        .filter(|l| l.kind == OutputKind::Print)
        .map(|l| l.text)
        .collect())
}

#[test]
fn waits_and_delays_follow_simulated_time() -> Result<(), MockError> {
    let mut place = Place::new()?;
    place.run(
        Side::Server,
        r#"
        task.spawn(function()
            local elapsed = task.wait(0.5)
            print("waited", elapsed, time())
        end)
        task.delay(1, function(a, b) print("delayed", a, b, time()) end, "x", "y")
        task.defer(function() print("deferred") end)
        print("now", time())
        local t = task.delay(0.2, function() print("never") end)
        task.cancel(t)
        "#,
    )?;
    assert_eq!(texts(&place, Side::Server)?, ["now 0", "deferred"]);
    place.step_n(2, 0.25)?;
    assert_eq!(texts(&place, Side::Server)?[2..], ["waited 0.5 0.5"]);
    place.step(0.25)?;
    assert_eq!(texts(&place, Side::Server)?.len(), 3);
    place.step(0.25)?;
    assert_eq!(texts(&place, Side::Server)?[3..], ["delayed x y 1"]);
    place.step_n(4, 0.25)?;
    assert_eq!(texts(&place, Side::Server)?.len(), 4);
    assert_eq!(place.time(), 2.0);
    Ok(())
}

#[test]
fn a_zero_wait_resumes_at_the_next_step() -> Result<(), MockError> {
    let mut place = Place::new()?;
    place.run(
        Side::Server,
        "_G.n = 0 task.spawn(function() while true do task.wait() _G.n += 1 end end)",
    )?;
    place.step_n(5, 1.0 / 60.0)?;
    assert_eq!(place.eval_as::<f64>(Side::Server, "_G.n")?, 5.0);
    Ok(())
}

#[test]
fn heartbeat_fires_every_step_on_every_vm() -> Result<(), MockError> {
    let mut place = Place::new()?;
    let client = place.add_client("Alice")?;
    let script = r#"
        _G.beats, _G.total = 0, 0
        game:GetService("RunService").Heartbeat:Connect(function(dt) _G.beats += 1 _G.total += dt end)
    "#;
    place.run(Side::Server, script)?;
    place.run(Side::Client(client), script)?;
    place.step_n(3, 0.5)?;
    for side in [Side::Server, Side::Client(client)] {
        assert_eq!(
            place.eval_as::<(f64, f64)>(side, "_G.beats, _G.total")?,
            (3.0, 1.5)
        );
    }
    assert!(place.eval_as::<bool>(Side::Server, "game:GetService('RunService'):IsServer()")?);
    assert!(place.eval_as::<bool>(
        Side::Client(client),
        "game:GetService('RunService'):IsClient() and not game:GetService('RunService'):IsStudio()"
    )?);
    Ok(())
}

#[test]
fn handler_errors_are_isolated_and_recorded() -> Result<(), MockError> {
    let mut place = Place::new()?;
    place.run(
        Side::Server,
        r#"
        local event = Instance.new("BindableEvent")
        event.Event:Connect(function() error("first handler failed") end)
        event.Event:Connect(function(v) task.wait(1) print("second", v) end)
        event.Event:Connect(function(v) print("third", v) end)
        event:Fire(1)
        task.spawn(error, "spawned failure")
        print("spawner carries on")
        "#,
    )?;
    place.step_n(2, 0.5)?;
    assert_eq!(
        texts(&place, Side::Server)?,
        ["third 1", "spawner carries on", "second 1"]
    );
    let errors = place.script_errors(Side::Server)?;
    assert_eq!(errors.len(), 2);
    assert_eq!(
        errors[0].message,
        "ServerScriptService.Script:3: first handler failed"
    );
    assert_eq!(errors[1].message, "spawned failure");
    Ok(())
}

#[test]
fn script_errors_before_the_first_yield_are_returned() -> Result<(), MockError> {
    let mut place = Place::new()?;
    let err = place.run(Side::Server, "local x = nil\nprint(x.y)");
    match err {
        Err(MockError::Script { message, .. }) => assert!(
            message.starts_with("ServerScriptService.Script:2: attempt to index nil"),
            "{message}"
        ),
        other => panic!("expected a script error, got {other:?}"),
    }
    assert!(matches!(
        place.run(Side::Server, "local = 1"),
        Err(MockError::Script { .. })
    ));
    place.run(Side::Server, "task.wait(1) error('later')")?;
    place.step(1.0)?;
    assert_eq!(place.script_errors(Side::Server)?.len(), 1);
    assert_eq!(
        place.script_errors(Side::Server)?[0].message,
        "ServerScriptService.Script:1: later"
    );
    Ok(())
}

#[test]
fn signals_connect_disconnect_once_and_wait() -> Result<(), MockError> {
    let mut place = Place::new()?;
    place.run(
        Side::Server,
        r#"
        local event = Instance.new("BindableEvent")
        local conn = event.Event:Connect(function(v) print("conn", v) end)
        event.Event:Once(function(v) print("once", v) end)
        task.spawn(function() print("waited", event.Event:Wait()) end)
        event:Fire(1)
        conn:Disconnect()
        print(conn.Connected, typeof(conn), typeof(event.Event))
        event:Fire(2)
        "#,
    )?;
    assert_eq!(
        texts(&place, Side::Server)?,
        [
            "conn 1",
            "once 1",
            "waited 1",
            "false RBXScriptConnection RBXScriptSignal"
        ]
    );
    Ok(())
}

#[test]
fn the_clock_functions_are_simulated() -> Result<(), MockError> {
    let mut place = Place::new()?;
    place.step(2.5)?;
    let (t, tick, os_time, now) = place.eval_as::<(f64, f64, f64, f64)>(
        Side::Server,
        "time(), tick(), os.time(), DateTime.now().UnixTimestampMillis",
    )?;
    assert_eq!(t, 2.5);
    assert_eq!(tick, 1_704_067_202.5);
    assert_eq!(os_time, 1_704_067_202.0);
    assert_eq!(now, 1_704_067_202_500.0);
    Ok(())
}
