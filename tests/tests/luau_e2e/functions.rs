//! Remote functions of `schemas/game.tether` in generated Luau, end to end
//! in the mock engine: returns both ways, handlers that yield, the last
//! handler set winning, and each kind of invoke error the caller can get.

use crate::game as luau_game;

use luau_game::Game;
use tether_roblox_mock::{ClientId, Side};

const GAME: &str = "../schemas/game.tether";

fn game_with(names: &[&str]) -> (Game, Vec<ClientId>) {
    let mut game = Game::new(GAME);
    let clients = names.iter().map(|name| game.join(name)).collect();
    (game, clients)
}

#[test]
fn functions_answer_both_ways_with_their_returns() {
    let (mut game, clients) = game_with(&["Alice"]);
    let alice = clients[0];
    game.server(
        r#"
        Net.Shop.Buy.OnServerInvoke = function(player, item, quantity)
            if item == 1 then return false, nil end
            return true, `{quantity} x {item} for {player.Name}`
        end
        Net.Shop.Prices.OnServerInvoke = function(player)
            return { Sword = 100, [""] = 0, Shield = 4294967295 }
        end
        task.spawn(function()
            print(try(function() return Net.ConfirmTeleport:InvokeClient(game.Players.Alice, "spawn") end))
            print(try(function() return Net.ConfirmTeleport:InvokeClient(game.Players.Alice, "") end))
        end)
        "#,
    );
    game.client(
        alice,
        r#"
        Net.ConfirmTeleport.OnClientInvoke = function(destination)
            return destination == "spawn"
        end
        task.spawn(function() print(try(function() return Net.Shop.Buy:InvokeServer(7, 3) end)) end)
        task.spawn(function() print(try(function() return Net.Shop.Buy:InvokeServer(1, 10) end)) end)
        task.spawn(function() print(try(function() return Net.Shop.Prices:InvokeServer() end)) end)
        "#,
    );
    game.steps(3);
    assert_eq!(
        game.printed(Side::Client(alice)),
        [
            r#"ok true, "3 x 7 for Alice""#,
            "ok false, nil",
            r#"ok {[""]=0, ["Shield"]=4294967295, ["Sword"]=100}"#,
        ]
    );
    // The server's second call waits for the first (its script is one thread).
    game.steps(6);
    assert_eq!(game.printed(Side::Server), ["ok true", "ok false"]);
    game.assert_quiet();
}

/// Only the last handler set answers; setting none again makes calls fail
/// with NoHandler. The caller's error is a distinct object.
#[test]
fn the_last_handler_set_answers_and_none_is_no_handler() {
    let (mut game, clients) = game_with(&["Alice"]);
    let alice = clients[0];
    game.server(
        r#"
        Net.Shop.Prices.OnServerInvoke = function() return { First = 1 } end
        Net.Shop.Prices.OnServerInvoke = function() return { Second = 2 } end
        "#,
    );
    game.client(
        alice,
        r#"task.spawn(function() print(try(function() return Net.Shop.Prices:InvokeServer() end)) end)"#,
    );
    game.steps(3);
    assert_eq!(game.printed(Side::Client(alice)), [r#"ok {["Second"]=2}"#]);

    game.server("Net.Shop.Prices.OnServerInvoke = nil");
    game.client(
        alice,
        r#"
        task.spawn(function()
            local ok, e = pcall(function() return Net.Shop.Prices:InvokeServer() end)
            print(ok, T.isInvokeError(e), e.Kind, e.Remote, e.Message, tostring(e))
            print(T.isInvokeError("Tether: Shop.Prices: no handler"), T.isInvokeError({ Kind = "NoHandler" }))
        end)
        "#,
    );
    game.steps(3);
    assert_eq!(
        game.printed(Side::Client(alice)),
        [
            "false true NoHandler Shop.Prices no handler is set for this function Tether: Shop.Prices: no handler is set for this function",
            "false false",
        ]
    );
    game.assert_quiet();
}

/// A handler may yield (task.wait) before it answers; the server goes on
/// handling other messages meanwhile, and each caller gets its own answer.
#[test]
fn handlers_may_yield_before_answering() {
    let (mut game, clients) = game_with(&["Alice", "Bob"]);
    game.server(
        r#"
        Net.Shop.Buy.OnServerInvoke = function(player, item)
            task.wait(item)
            return true, `{player.Name} waited {item}`
        end
        Net.Chat.OnServerEvent:Connect(function(player, message) print(player.Name, message) end)
        "#,
    );
    for (&client, delay) in clients.iter().zip([2, 1]) {
        game.client(
            client,
            &format!(
                r#"
                task.spawn(function()
                    local started = time()
                    local ok, text = Net.Shop.Buy:InvokeServer({delay}, 1)
                    print(text, math.floor(time() - started))
                end)
                Net.Chat:FireServer("meanwhile", "Red")
                "#
            ),
        );
    }
    game.steps(3);
    assert_eq!(
        game.printed(Side::Server),
        ["Alice meanwhile", "Bob meanwhile"],
        "events are handled while the handlers wait"
    );
    game.wait(2.5);
    assert_eq!(game.printed(Side::Client(clients[0])), ["Alice waited 2 2"]);
    assert_eq!(game.printed(Side::Client(clients[1])), ["Bob waited 1 1"]);
    game.assert_quiet();
}

#[test]
fn a_handler_error_reaches_the_caller_with_its_message() {
    let (mut game, clients) = game_with(&["Alice"]);
    let alice = clients[0];
    game.server(
        r#"
        Net.Shop.Buy.OnServerInvoke = function(player, item)
            if item == 1 then error("out of stock") end
            if item == 2 then error({ code = 7 }) end
            error(string.rep("é", 200), 0) -- 400 bytes: cut at a character boundary
        end
        "#,
    );
    game.client(
        alice,
        r#"
        for item = 1, 2 do
            task.spawn(function() print(try(function() return Net.Shop.Buy:InvokeServer(item, 1) end)) end)
        end
        "#,
    );
    game.steps(3);
    let got = game.printed(Side::Client(alice));
    // Without the server script's name and line, which the client has no
    // business knowing.
    assert_eq!(got[0], "err HandlerError|Shop.Buy|out of stock");
    assert!(
        got[1].starts_with("err HandlerError|Shop.Buy|table"),
        "{}",
        got[1]
    );
    // Buy allows 2 calls a second.
    game.wait(1.0);
    game.client(
        alice,
        r#"
        task.spawn(function()
            local ok, e = pcall(function() return Net.Shop.Buy:InvokeServer(3, 1) end)
            print(e.Kind, #e.Message, utf8.len(e.Message), e.Message == string.rep("é", #e.Message / 2))
        end)
        "#,
    );
    game.steps(3);
    // 255 bytes of the wire's error text, less the 8 of its "handler:" tag,
    // backed off to a whole character.
    assert_eq!(
        game.printed(Side::Client(alice)),
        ["HandlerError 246 123 true"]
    );
    assert!(
        game.take_errors(Side::Server).is_empty(),
        "a handler's error goes to its caller, not to the server's output"
    );
    game.assert_quiet();
}

/// Returns outside the schema are not sent: the caller gets InvalidResponse
/// and the server a warning naming the function and the value.
#[test]
fn a_handler_returning_values_outside_the_schema_is_an_invalid_response() {
    let (mut game, clients) = game_with(&["Alice"]);
    let alice = clients[0];
    game.server(
        r#"
        Net.Shop.Buy.OnServerInvoke = function(player, item)
            if item == 1 then return "yes" end
            return true, string.rep("x", 65)
        end
        "#,
    );
    game.client(
        alice,
        r#"
        for item = 1, 2 do
            task.spawn(function() print(try(function() return Net.Shop.Buy:InvokeServer(item, 1) end)) end)
        end
        "#,
    );
    game.steps(3);
    let got = game.printed(Side::Client(alice));
    assert_eq!(got.len(), 2);
    assert!(
        got[0].starts_with("err InvalidResponse|Shop.Buy|the peer could not encode its answer: expected a boolean, got \"yes\""),
        "{}",
        got[0]
    );
    assert!(
        got[1].starts_with("err InvalidResponse|Shop.Buy|")
            && got[1].contains("expected a string of 0 to 64 bytes, got 65"),
        "{}",
        got[1]
    );
    let warnings = game.warned(Side::Server);
    assert_eq!(
        warnings,
        [
            r#"Tether: Shop.Buy.OnServerInvoke returned an invalid value 1: expected a boolean, got "yes""#,
            "Tether: Shop.Buy.OnServerInvoke returned an invalid value 2: expected a string of 0 to 64 bytes, got 65",
        ]
    );
    game.assert_quiet();
}

/// `@timeout(5s)` on Shop.Buy: a caller waits that long, no more; the
/// answer that comes later is dropped and counted.
#[test]
fn a_call_times_out_after_its_timeout_and_a_late_answer_is_dropped() {
    let (mut game, clients) = game_with(&["Alice"]);
    let alice = clients[0];
    game.server(
        r#"
        Net.Shop.Buy.OnServerInvoke = function()
            task.wait(8)
            return true, "late"
        end
        "#,
    );
    game.client(
        alice,
        r#"
        task.spawn(function()
            local started = time()
            print(try(function() return Net.Shop.Buy:InvokeServer(7, 1) end))
            print(string.format("%.1f", time() - started))
        end)
        "#,
    );
    game.wait(4.9);
    assert!(game.printed(Side::Client(alice)).is_empty());
    game.wait(0.2);
    assert_eq!(
        game.printed(Side::Client(alice)),
        ["err Timeout|Shop.Buy|no answer within 5 s", "5.0"]
    );
    assert_eq!(game.stat(Side::Client(alice), "unmatchedResponses"), 0.0);
    game.wait(3.5);
    assert_eq!(game.stat(Side::Client(alice), "unmatchedResponses"), 1.0);
    assert!(game.printed(Side::Client(alice)).is_empty());
    game.assert_quiet();
}

/// Server -> client functions: ConfirmTeleport's `@timeout(2s)`, a client
/// without a handler, and a client handler's error.
#[test]
fn the_server_invoking_a_client_gets_timeouts_and_errors() {
    let (mut game, clients) = game_with(&["Alice", "Bob", "Carol"]);
    let (alice, bob) = (clients[0], clients[1]);
    game.client(
        alice,
        r#"Net.ConfirmTeleport.OnClientInvoke = function() task.wait(3) return true end"#,
    );
    game.client(
        bob,
        r#"Net.ConfirmTeleport.OnClientInvoke = function(d) error("no teleports to " .. d, 0) end"#,
    );
    game.server(
        r#"
        for _, name in { "Alice", "Bob", "Carol" } do
            task.spawn(function()
                local started = time()
                local result = try(function() return Net.ConfirmTeleport:InvokeClient(game.Players[name], "moon") end)
                print(name, result, if time() - started < 0.1 then "at once" else string.format("%.1f", time() - started))
            end)
        end
        "#,
    );
    game.steps(6);
    let mut got = game.printed(Side::Server);
    got.sort();
    assert_eq!(
        got,
        [
            "Bob err HandlerError|ConfirmTeleport|no teleports to moon at once",
            "Carol err NoHandler|ConfirmTeleport|no handler is set for this function at once",
        ]
    );
    game.wait(2.0);
    assert_eq!(
        game.printed(Side::Server),
        ["Alice err Timeout|ConfirmTeleport|no answer within 2 s 2.0"]
    );
    game.wait(1.5);
    assert_eq!(game.stat(Side::Server, "unmatchedResponses"), 1.0);
    game.assert_quiet();
}

/// A player who leaves while the server awaits its answer: the call fails
/// with Disconnected at once, as does a call to a player who already left;
/// a call to no player at all is the caller's mistake.
#[test]
fn calls_to_a_player_who_leaves_fail_with_disconnected() {
    let (mut game, clients) = game_with(&["Alice", "Bob"]);
    let alice = clients[0];
    game.client(
        alice,
        r#"Net.ConfirmTeleport.OnClientInvoke = function() task.wait(1.5) return true end"#,
    );
    game.server(
        r#"
        _G.alice = game.Players.Alice
        task.spawn(function()
            print("pending", try(function() return Net.ConfirmTeleport:InvokeClient(_G.alice, "moon") end), time())
        end)
        "#,
    );
    game.steps(3);
    let left_at = game.place.time();
    game.place.remove_client(alice).unwrap();
    let got = game.printed(Side::Server);
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(
        got[0],
        format!("pending err Disconnected|ConfirmTeleport|the player left {left_at}")
    );
    game.server(
        r#"
        print("after", try(function() return Net.ConfirmTeleport:InvokeClient(_G.alice, "moon") end))
        print("nobody", try(function() return Net.ConfirmTeleport:InvokeClient(nil, "moon") end))
        "#,
    );
    assert_eq!(
        game.printed(Side::Server),
        [
            "after err Disconnected|ConfirmTeleport|the player is not in the game",
            "nobody err Tether: ConfirmTeleport:InvokeClient: argument 'player': expected a Player, got nil",
        ]
    );
    game.steps(3);
    game.assert_quiet();
}

/// Shop.Buy has `@rate(2/s)`: within one second a client's third call on
/// is refused with RateLimited, and its handler never runs for them.
#[test]
fn calls_over_the_rate_are_refused_with_rate_limited() {
    let (mut game, clients) = game_with(&["Alice", "Bob"]);
    game.server(
        r#"
        _G.handled = 0
        Net.Shop.Buy.OnServerInvoke = function() _G.handled += 1 return true, nil end
        "#,
    );
    for &client in &clients {
        game.client(
            client,
            r#"
            for i = 1, 5 do
                task.spawn(function() print(try(function() return Net.Shop.Buy:InvokeServer(i, 1) end)) end)
            end
            "#,
        );
    }
    game.steps(3);
    for &client in &clients {
        assert_eq!(
            game.printed(Side::Client(client)),
            [
                "ok true, nil",
                "ok true, nil",
                "err RateLimited|Shop.Buy|the call broke its rate limit",
                "err RateLimited|Shop.Buy|the call broke its rate limit",
                "err RateLimited|Shop.Buy|the call broke its rate limit",
            ],
            "each player has a rate of their own"
        );
    }
    assert_eq!(game.eval::<f64>(Side::Server, "_G.handled"), 4.0);
    assert_eq!(game.stat(Side::Server, "rateLimited"), 6.0);
    game.assert_quiet();
}

/// The server awaits at most 64 answers from one client: the 65th call
/// fails at once with TooManyPending, without reaching the client; once
/// the others end (here by timing out), calls go through again.
#[test]
fn at_most_64_calls_to_one_client_are_outstanding() {
    let (mut game, clients) = game_with(&["Alice", "Bob"]);
    let (alice, bob) = (clients[0], clients[1]);
    for client in [alice, bob] {
        game.client(
            client,
            r#"
            _G.asked = 0
            Net.ConfirmTeleport.OnClientInvoke = function(d)
                _G.asked += 1
                if d == "stall" then task.wait(60) end
                return true
            end
            "#,
        );
    }
    game.server(
        r#"
        local alice = game.Players.Alice
        for i = 1, 64 do
            task.spawn(function() Net.ConfirmTeleport:InvokeClient(alice, "stall") end)
        end
        print(try(function() return Net.ConfirmTeleport:InvokeClient(alice, "one more") end))
        task.spawn(function()
            print("bob", try(function() return Net.ConfirmTeleport:InvokeClient(game.Players.Bob, "fine") end))
        end)
        "#,
    );
    assert_eq!(
        game.printed(Side::Server),
        ["err TooManyPending|ConfirmTeleport|64 calls to this player await an answer"]
    );
    game.steps(4);
    assert_eq!(
        game.printed(Side::Server),
        ["bob ok true"],
        "other players are not held up"
    );
    assert_eq!(game.eval::<f64>(Side::Client(alice), "_G.asked"), 64.0);
    game.wait(2.0);
    // The 64 stalled calls time out, each raising in its own thread.
    let errors = game.take_errors(Side::Server);
    assert_eq!(errors.len(), 64);
    assert!(errors
        .iter()
        .all(|e| e == "Tether: ConfirmTeleport: no answer within 2 s"));
    game.server(
        r#"
        task.spawn(function()
            print("again", try(function() return Net.ConfirmTeleport:InvokeClient(game.Players.Alice, "now") end))
        end)
        "#,
    );
    game.steps(4);
    assert_eq!(game.printed(Side::Server), ["again ok true"]);
    game.assert_quiet();
}

/// A function with no `@timeout` (Shop.Prices) waits 30 s by default.
#[test]
fn a_function_without_a_timeout_waits_thirty_seconds() {
    let (mut game, clients) = game_with(&["Alice"]);
    let alice = clients[0];
    game.server(r#"Net.Shop.Prices.OnServerInvoke = function() task.wait(100) return {} end"#);
    game.client(
        alice,
        r#"task.spawn(function() print(try(function() return Net.Shop.Prices:InvokeServer() end), math.round(time())) end)"#,
    );
    game.wait(29.5);
    assert!(game.printed(Side::Client(alice)).is_empty());
    game.wait(1.0);
    assert_eq!(
        game.printed(Side::Client(alice)),
        ["err Timeout|Shop.Prices|no answer within 30 s 30"]
    );
    game.assert_quiet();
}

/// A game's own PlayerRemoving handler runs after Tether's: a call to the
/// leaving player from there fails with Disconnected at once (it does not
/// wait out the timeout on a player who is gone), and a handler still
/// answering a player who left answers no one, quietly.
#[test]
fn calls_from_player_removing_and_answers_to_a_player_who_left() {
    let (mut game, clients) = game_with(&["Alice", "Bob"]);
    let (alice, bob) = (clients[0], clients[1]);
    game.client(
        alice,
        r#"Net.ConfirmTeleport.OnClientInvoke = function() return true end"#,
    );
    game.server(
        r#"
        game.Players.PlayerRemoving:Connect(function(player)
            task.spawn(function()
                print("goodbye", player.Name, try(function() return Net.ConfirmTeleport:InvokeClient(player, "exit") end))
            end)
        end)
        Net.Shop.Buy.OnServerInvoke = function(player)
            task.wait(1)
            print("answering", player.Name)
            return true, nil
        end
        "#,
    );
    game.client(
        bob,
        "task.spawn(function() Net.Shop.Buy:InvokeServer(7, 1) end)",
    );
    game.steps(3);
    game.place.remove_client(alice).unwrap();
    game.place.remove_client(bob).unwrap();
    assert_eq!(
        game.printed(Side::Server),
        [
            "goodbye Alice err Disconnected|ConfirmTeleport|the player is not in the game",
            "goodbye Bob err Disconnected|ConfirmTeleport|the player is not in the game",
        ]
    );
    game.wait(1.5);
    assert_eq!(game.printed(Side::Server), ["answering Bob"]);
    game.assert_quiet();
}
