//! Bindables of the generated Luau, in the mock engine: the server's
//! RoundStarted and Score and the client's SettingsChanged and Validate of
//! `schemas/game.tether`, and the `@timeout(1s)` Validate of
//! `tests/schemas/mirror.tether`.

use crate::game as luau_game;

use luau_game::Game;
use tether_roblox_mock::Side;

const GAME: &str = "../schemas/game.tether";
const MIRROR: &str = "schemas/mirror.tether";

#[test]
fn bindables_exist_only_on_their_side() {
    let mut game = Game::new(GAME);
    let alice = game.join("Alice");
    let server: (bool, bool, bool, bool) = game.eval(
        Side::Server,
        "Net.RoundStarted ~= nil, Net.Score ~= nil, Net.SettingsChanged == nil, Net.Validate == nil",
    );
    assert_eq!(server, (true, true, true, true));
    let client: (bool, bool, bool, bool) = game.eval(
        Side::Client(alice),
        "Net.RoundStarted == nil, Net.Score == nil, Net.SettingsChanged ~= nil, Net.Validate ~= nil",
    );
    assert_eq!(client, (true, true, true, true));
}

/// Fire runs every handler, each in its own thread, and returns without
/// waiting for one that yields; instances and functions pass as they are.
#[test]
fn fire_does_not_yield_and_passes_instances_and_functions() {
    let mut game = Game::new(GAME);
    game.server(
        r#"
        local arena = Instance.new("Model") arena.Name = "Arena" arena.Parent = game.ServerStorage
        local ended = 0
        Net.RoundStarted.Event:Connect(function(round, model, onEnd)
            print("slow start", round, model == arena)
            task.wait(1)
            onEnd()
            print("slow done")
        end)
        Net.RoundStarted.Event:Connect(function(round, model, onEnd)
            print("quick", round, model:GetFullName())
            onEnd()
        end)
        Net.RoundStarted:Fire(3, arena, function() ended += 1 end)
        print("fired", ended)
        _G.ended = function() return ended end
        "#,
    );
    let mut got = game.printed(Side::Server);
    let last = got.pop();
    got.sort();
    assert_eq!(got, ["quick 3 ServerStorage.Arena", "slow start 3 true"]);
    assert_eq!(
        last.as_deref(),
        Some("fired 1"),
        "Fire returned before the slow handler went on"
    );
    game.wait(1.1);
    assert_eq!(game.printed(Side::Server), ["slow done"]);
    assert_eq!(game.eval::<f64>(Side::Server, "_G.ended()"), 2.0);
    game.assert_quiet();
}

/// Each handler gets its own copy of the tables (and buffers) fired, with
/// shared sub-tables still shared within the copy; the firer's are untouched.
#[test]
fn each_handler_gets_its_own_copy() {
    let mut game = Game::new(GAME);
    let alice = game.join("Alice");
    game.client(
        alice,
        r#"
        local leaf = { Line = "leaf", Choices = {} }
        local dialogue = { Line = "root", Choices = { leaf, leaf } }
        local seen = {}
        for i = 1, 2 do
            Net.SettingsChanged.Event:Connect(function(volume, d)
                table.insert(seen, d)
                print(i, volume, d ~= dialogue, d.Choices[1] ~= leaf, d.Choices[1] == d.Choices[2])
                d.Line = "changed by " .. i
                d.Choices[1].Line = "changed"
            end)
        end
        Net.SettingsChanged:Fire(0.5, dialogue)
        print(dialogue.Line, leaf.Line, seen[1] ~= seen[2])
        "#,
    );
    assert_eq!(
        game.printed(Side::Client(alice)),
        [
            "1 0.5 true true true",
            "2 0.5 true true true",
            "root leaf true",
        ]
    );
    game.client(
        alice,
        r#"
        local b = buffer.fromstring("abc")
        Net.Validate.OnInvoke = function(text, check)
            buffer.writeu8(text, 0, 0)
            print(text ~= b, check("x"))
        end
        Net.Validate:Invoke(b, function(s) return s == "x" end)
        print(buffer.tostring(b))
        "#,
    );
    assert_eq!(game.printed(Side::Client(alice)), ["true true", "abc"]);
    game.assert_quiet();
}

/// A handler that errors does not stop the others; its error is reported
/// as Roblox reports a handler's error.
#[test]
fn one_handlers_error_does_not_stop_the_others() {
    let mut game = Game::new(GAME);
    game.server(
        r#"
        local arena = Instance.new("Model") arena.Parent = game.ServerStorage
        Net.RoundStarted.Event:Connect(function(round) print("before", round) end)
        Net.RoundStarted.Event:Connect(function() error("broken handler", 0) end)
        Net.RoundStarted.Event:Connect(function(round) print("after", round) end)
        Net.RoundStarted:Fire(1, arena, function() end)
        print("fired")
        "#,
    );
    let mut got = game.printed(Side::Server);
    got.sort();
    assert_eq!(got, ["after 1", "before 1", "fired"]);
    assert_eq!(game.take_errors(Side::Server), ["broken handler"]);
}

#[test]
fn an_event_fired_with_no_handler_is_gone() {
    let mut game = Game::new(GAME);
    game.server(
        r#"
        local arena = Instance.new("Model") arena.Parent = game.ServerStorage
        Net.RoundStarted:Fire(1, arena, function() end)
        local c = Net.RoundStarted.Event:Connect(function(round) print("got", round) end)
        Net.RoundStarted:Fire(2, arena, function() end)
        c:Disconnect()
        Net.RoundStarted:Fire(3, arena, function() end)
        "#,
    );
    assert_eq!(
        game.printed(Side::Server),
        ["got 2"],
        "bindables do not queue, unlike remote events"
    );
}

/// Invoke waits for a callback when none is set (Score has no @timeout, so
/// as long as it takes) and runs it when one is set; later invocations run
/// only the last callback set; the invoker gets copies of what it returns,
/// and its errors.
#[test]
fn invoke_waits_for_a_callback_then_runs_the_last_one_set() {
    let mut game = Game::new(GAME);
    let alice = game.join("Alice");
    game.server(
        r#"
        local weights = { kills = 2 }
        task.spawn(function()
            print("early", Net.Score:Invoke(game.Players.Alice, weights), math.round(time()))
        end)
        _G.weights = weights
        "#,
    );
    game.wait(100.0);
    assert!(game.printed(Side::Server).is_empty(), "still waiting");
    game.server(
        r#"
        Net.Score.OnInvoke = function() return -1 end
        Net.Score.OnInvoke = function(player, w)
            w.kills = 100 -- a copy: the invoker's table is untouched
            return 10 * #player.Name
        end
        "#,
    );
    // The waiting Invoke resumes after the script that set the callbacks,
    // so it runs the last one the script assigned.
    assert_eq!(game.printed(Side::Server), ["early 50 100"]);
    game.server(
        r#"
        print("weights", _G.weights.kills)
        Net.Score.OnInvoke = function() return -1 end
        Net.Score.OnInvoke = function(player) return 10 * #player.Name end
        print("set", Net.Score:Invoke(game.Players.Alice, _G.weights))
        local kept = { n = 1 }
        Net.Score.OnInvoke = function() return kept end
        print("copy", Net.Score:Invoke(game.Players.Alice, {}) ~= kept)
        Net.Score.OnInvoke = function() error("no score", 0) end
        print(try(function() return Net.Score:Invoke(game.Players.Alice, {}) end))
        print("member", try(function() Net.Score.Callback = print end))
        "#,
    );
    assert_eq!(
        game.printed(Side::Server),
        [
            "weights 2",
            "set 50",
            "copy true",
            "err no score",
            "member err ServerScriptService.Script:11: Callback is not a member of Score",
        ]
    );
    let _ = alice;
    game.assert_quiet();
}

/// Mirror's client Validate has `@timeout(1s)`: the wait for a callback and
/// the callback's run share that second.
#[test]
fn a_bindable_invoke_is_bounded_by_its_timeout() {
    let mut game = Game::new(MIRROR);
    let alice = game.join("Alice");
    let c = Side::Client(alice);
    game.client(
        alice,
        r#"
        local function call(label)
            task.spawn(function()
                local started = time()
                local r = try(function() return Net.Validate:Invoke("text", function(s) return #s > 0 end) end)
                print(label, r, string.format("%.1f", time() - started))
            end)
        end
        _G.call = call
        call("unset")
        "#,
    );
    game.wait(1.05);
    assert_eq!(
        game.printed(c),
        ["unset err Timeout|Validate|no callback was set within 1 s 1.0"]
    );

    game.client(
        alice,
        r#"
        Net.Validate.OnInvoke = function(text, check) task.wait(2) return check(text) end
        _G.call("slow")
        "#,
    );
    game.wait(1.05);
    assert_eq!(
        game.printed(c),
        ["slow err Timeout|Validate|the callback did not return within 1 s 1.0"]
    );

    // Set after 0.6 s, the callback has 0.4 s left.
    game.client(alice, r#"Net.Validate.OnInvoke = nil _G.call("late")"#);
    game.wait(0.6);
    game.client(
        alice,
        r#"Net.Validate.OnInvoke = function(text, check) task.wait(0.6) return check(text) end"#,
    );
    game.wait(0.5);
    assert_eq!(
        game.printed(c),
        ["late err Timeout|Validate|the callback did not return within 1 s 1.0"]
    );

    game.client(
        alice,
        r#"
        Net.Validate.OnInvoke = function(text, check) task.wait(0.5) return check(text) end
        _G.call("in time")
        "#,
    );
    game.wait(0.6);
    assert_eq!(game.printed(c), ["in time ok true 0.5"]);
    game.assert_quiet();
}

/// A thread that waited for a callback once, got one, and waits again
/// later (the callback was unset meanwhile) gets the whole timeout again.
#[test]
fn an_earlier_wait_does_not_cut_a_later_one_short() {
    let mut game = Game::new(MIRROR);
    let alice = game.join("Alice");
    game.client(
        alice,
        r#"
        task.spawn(function()
            print("first", try(function() return Net.Validate:Invoke("a", function() return true end) end))
            Net.Validate.OnInvoke = nil
            local started = time()
            local r = try(function() return Net.Validate:Invoke("b", function() return true end) end)
            print("second", r, string.format("%.1f", time() - started))
        end)
        "#,
    );
    game.wait(0.5);
    game.client(
        alice,
        r#"Net.Validate.OnInvoke = function(text, check) return check(text) end"#,
    );
    assert_eq!(game.printed(Side::Client(alice)), ["first ok true"]);
    game.wait(1.1);
    assert_eq!(
        game.printed(Side::Client(alice)),
        ["second err Timeout|Validate|no callback was set within 1 s 1.0"]
    );
    game.assert_quiet();
}
