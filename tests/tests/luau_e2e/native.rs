//! Native remotes (`tests/schemas/native.tether`) in generated Luau, end to
//! end in the mock engine, whose remotes copy values with Roblox's own
//! rules: Roblox's remotes one per declaration, plain values both ways, the
//! server's guards on what clients send, and functions with their timeout.

use crate::game as luau_game;

use luau_game::Game;
use tether_roblox_mock::{ClientId, Side};

const NATIVE: &str = "schemas/native.tether";

fn game() -> (Game, ClientId) {
    let mut game = Game::new(NATIVE);
    let alice = game.join("Alice");
    (game, alice)
}

/// The path of a native remote's Roblox instance.
const FOLDER: &str = "game.ReplicatedStorage.Tether.native.Native";

#[test]
fn each_native_remote_is_a_roblox_remote_of_its_own() {
    let (mut game, alice) = game();
    let classes: String = game.eval(
        Side::Client(alice),
        &format!(
            "(function() local names = {{}} for _, r in {FOLDER}:GetChildren() do \
             table.insert(names, r.Name .. '=' .. r.ClassName) end \
             table.sort(names) return table.concat(names, ' ') end)()"
        ),
    );
    // `Packed` is `@packed`: it travels in the protocol's own frames.
    assert_eq!(
        classes,
        "Act=RemoteEvent Announce=RemoteEvent Buy=RemoteFunction Confirm=RemoteFunction \
         Ping=RemoteEvent Vote=RemoteEvent"
    );
}

/// Plain values go both ways, through the generated API and through
/// Roblox's remote fired by a script that knows nothing of Tether.
#[test]
fn plain_values_arrive_from_the_generated_api_and_from_foreign_scripts() {
    let (mut game, alice) = game();
    game.server(
        r#"
        Net.Vote.OnServerEvent:Connect(function(player, team, weight) print("vote", player.Name, team, weight) end)
        Net.Act.OnServerEvent:Connect(function(player, action, loadout)
            print("act", action.type, action.text or action.to, loadout and loadout.weapon, loadout and #loadout.perks)
        end)
        Net.Ping.OnServerEvent:Connect(function(player, n) Net.Ping:FireClient(player, n + 1) end)
        "#,
    );
    game.client(
        alice,
        &format!(
            r#"
        Net.Announce.OnClientEvent:Connect(function(text, teams) print("announce", text, teams.Red, teams.Blue) end)
        Net.Ping.OnClientEvent:Connect(function(n) print("pong", n) end)
        Net.Vote:FireServer("Red", 2)
        {FOLDER}.Vote:FireServer("Blue", 3)
        Net.Act:FireServer({{ type = "Say", text = "hi" }}, {{ weapon = "bow", ammo = 20, perks = {{ "fast", "calm" }} }})
        Net.Act:FireServer({{ type = "Move", to = Vector3.new(1, 2, 3) }})
        Net.Ping:FireServer(1.5)
        "#
        ),
    );
    game.steps(2);
    assert_eq!(
        game.printed(Side::Server),
        [
            "vote Alice Red 2",
            "vote Alice Blue 3",
            "act Say hi bow 2",
            "act Move 1, 2, 3 nil nil",
        ]
    );
    game.server(r#"Net.Announce:FireAllClients("round", { Red = 3, Blue = 65535 })"#);
    game.steps(2);
    assert_eq!(
        game.printed(Side::Client(alice)),
        ["pong 2.5", "announce round 3 65535"]
    );
    game.assert_quiet();
}

/// What a client passes that is not of the declared type never reaches a
/// handler: each firing is rejected alone and counted.
#[test]
fn the_server_guards_what_clients_send() {
    let (mut game, alice) = game();
    game.server(
        r#"
        Net.Vote.OnServerEvent:Connect(function(player, team, weight) print("vote", team, weight) end)
        Net.Act.OnServerEvent:Connect(function(player, action) print("act", action.type) end)
        "#,
    );
    game.client(
        alice,
        &format!(
            r#"
        local Vote, Act = {FOLDER}.Vote, {FOLDER}.Act
        Vote:FireServer("Green", 1)          -- not a variant
        Vote:FireServer("Red", 4)            -- out of range
        Vote:FireServer("Red", 1.5)          -- not an integer
        Vote:FireServer("Red")               -- missing
        Act:FireServer({{ type = "Say", text = string.rep("a", 33) }})      -- too long
        Act:FireServer({{ type = "Say", text = "hi", extra = 1 }})          -- a key too many
        Act:FireServer({{ type = "Fly" }})                                  -- no such variant
        Act:FireServer({{ type = "Move", to = Vector3.zero }}, {{ weapon = "", ammo = 1, perks = {{}} }}) -- empty weapon
        Act:FireServer({{ type = "Move", to = Vector3.zero }}, {{ weapon = "a", ammo = 1, perks = {{ "1", "2", "3", "4" }} }}) -- 4 perks
        Vote:FireServer("Blue", 1)           -- the one valid firing
        "#
        ),
    );
    game.steps(2);
    assert_eq!(game.printed(Side::Server), ["vote Blue 1"]);
    let rejected: f64 = game.eval(
        Side::Server,
        "(function() local n = 0 for _, c in T.Stats.rejected do n += c end return n end)()",
    );
    assert_eq!(rejected, 9.0);
}

#[test]
fn native_functions_answer_and_their_arguments_are_guarded() {
    let (mut game, alice) = game();
    game.server(
        r#"
        Net.Buy.OnServerInvoke = function(player, item, count) return item == "sword" and count <= 2 end
        "#,
    );
    game.client(
        alice,
        &format!(
            r#"
        task.spawn(function() print(try(function() return Net.Buy:InvokeServer("sword", 2) end)) end)
        task.spawn(function() print(try(function() return Net.Buy:InvokeServer("sword", 5) end)) end)
        task.spawn(function() print(pcall(function() return {FOLDER}.Buy:InvokeServer("sword", 11) end)) end)
        "#
        ),
    );
    game.steps(3);
    let printed = game.printed(Side::Client(alice));
    assert_eq!(printed[..2], ["ok true", "ok false"]);
    assert!(printed[2].starts_with("false"), "{printed:?}");
}

/// A server's call to a client ends with the client's answer, a refusal of
/// an answer outside its type, or the `@timeout`.
#[test]
fn a_server_call_to_a_client_is_bounded_and_its_answer_guarded() {
    let (mut game, alice) = game();
    game.client(
        alice,
        r#"
        Net.Confirm.OnClientInvoke = function(question)
            if question == "slow" then task.wait(5) end
            if question == "odd" then return "yes" end
            return true
        end
        "#,
    );
    game.server(
        r#"
        local alice = game.Players.Alice
        for _, q in { "ok", "odd", "slow" } do
            task.spawn(function() print(q, try(function() return Net.Confirm:InvokeClient(alice, q) end)) end)
        end
        "#,
    );
    game.wait(2.0);
    let mut printed = game.printed(Side::Server);
    printed.sort();
    assert_eq!(printed.len(), 3, "{printed:?}");
    assert_eq!(printed[1], "ok ok true");
    assert!(printed[0].contains("Rejected"), "{printed:?}");
    assert!(printed[2].contains("Timeout"), "{printed:?}");
}

/// `@rate(10/s)` holds for a native remote as for a packed one.
#[test]
fn native_events_keep_their_rate_limit() {
    let (mut game, alice) = game();
    game.server(r#"local n = 0 Net.Act.OnServerEvent:Connect(function() n += 1 end) _G.n = function() return n end"#);
    game.client(
        alice,
        r#"for _ = 1, 15 do Net.Act:FireServer({ type = "Say", text = "x" }) end"#,
    );
    game.steps(2);
    let handled: f64 = game.eval(Side::Server, "_G.n()");
    assert_eq!(handled, 10.0);
    assert_eq!(game.stat(Side::Server, "rateLimited"), 5.0);
}
