//! The limits of the generated Luau of `schemas/game.tether`, in the mock
//! engine: events waiting for a handler (256 per remote), `@rate` per
//! player and remote, the 500 messages a second a client may send, and
//! arguments outside the schema refused at the caller.

use crate::game as luau_game;

use luau_game::Game;
use tether_roblox_mock::Side;

const GAME: &str = "../schemas/game.tether";

const HIT: &str =
    "local function hit(d) return { Damage = d, Critical = false, Knockback = Vector3.zero } end ";

#[test]
fn events_wait_for_a_handler_up_to_256_per_remote() {
    let mut game = Game::new(GAME);
    let alice = game.join("Alice");
    game.server(&format!(
        r#"{HIT}
        for i = 1, 300 do Net.Combat.HitConfirmed:FireAllClients(hit(i)) end
        for i = 1, 5 do Net.Shop.Restocked:FireAllClients({{}}, DateTime.fromUnixTimestampMillis(i)) end
        "#
    ));
    game.steps(2);
    let c = Side::Client(alice);
    assert_eq!(game.stat(c, "messagesReceived"), 305.0);
    assert_eq!(
        game.stat(c, "waitingDropped"),
        44.0,
        "300 - 256 of HitConfirmed"
    );
    game.client(
        alice,
        r#"
        _G.hits = {}
        Net.Combat.HitConfirmed.OnClientEvent:Connect(function(h) table.insert(_G.hits, h.Damage) end)
        _G.restocks = 0
        Net.Shop.Restocked.OnClientEvent:Connect(function() _G.restocks += 1 end)
        "#,
    );
    let hits: Vec<f64> = game.eval(c, "_G.hits");
    assert_eq!(
        hits,
        (1..=256).map(f64::from).collect::<Vec<_>>(),
        "the first 256, in order"
    );
    assert_eq!(
        game.eval::<f64>(c, "_G.restocks"),
        5.0,
        "each remote waits on its own"
    );

    // With a handler connected nothing waits or is dropped.
    game.server(&format!(
        "{HIT} for i = 1, 300 do Net.Combat.HitConfirmed:FireAllClients(hit(1000 + i)) end"
    ));
    game.steps(2);
    assert_eq!(game.eval::<f64>(c, "#_G.hits"), 556.0);
    assert_eq!(game.stat(c, "waitingDropped"), 44.0);
    game.assert_quiet();
}

#[test]
fn client_events_wait_for_the_servers_handler_with_their_player() {
    let mut game = Game::new(GAME);
    let alice = game.join("Alice");
    let bob = game.join("Bob");
    game.client(
        alice,
        r#"Net.Chat:FireServer("first", "Red") Net.Chat:FireServer("second", "Red")"#,
    );
    game.client(bob, r#"Net.Chat:FireServer("third", "Blue")"#);
    game.steps(2);
    assert!(game.printed(Side::Server).is_empty());
    game.server(r#"Net.Chat.OnServerEvent:Connect(function(p, m, t) print(p.Name, m, t) end)"#);
    assert_eq!(
        game.printed(Side::Server),
        ["Alice first Red", "Alice second Red", "Bob third Blue"]
    );
    game.assert_quiet();
}

/// Chat has `@rate(5/s)` and LegacyChat `@rate(1/s)`: each player has a
/// bucket per remote that holds that many (the default burst) and refills
/// at that rate; the rest are dropped and counted.
#[test]
fn each_remote_holds_each_player_to_its_rate() {
    let mut game = Game::new(GAME);
    let alice = game.join("Alice");
    let bob = game.join("Bob");
    game.server(
        r#"
        _G.got = {}
        local function count(name)
            return function(p)
                local key = p.Name .. " " .. name
                _G.got[key] = (_G.got[key] or 0) + 1
            end
        end
        Net.Chat.OnServerEvent:Connect(count("Chat"))
        Net.LegacyChat.OnServerEvent:Connect(count("LegacyChat"))
        "#,
    );
    let burst = r#"
        for i = 1, 8 do Net.Chat:FireServer("hi", "Red") end
        for i = 1, 3 do Net.LegacyChat:FireServer("old") end
    "#;
    game.client(alice, burst);
    game.client(
        bob,
        r#"for i = 1, 5 do Net.Chat:FireServer("hi", "Red") end"#,
    );
    game.steps(2);
    let counts = |game: &mut Game| -> Vec<f64> {
        game.eval(
            Side::Server,
            r#"{ _G.got["Alice Chat"] or 0, _G.got["Alice LegacyChat"] or 0, _G.got["Bob Chat"] or 0 }"#,
        )
    };
    assert_eq!(counts(&mut game), [5.0, 1.0, 5.0]);
    assert_eq!(game.stat(Side::Server, "rateLimited"), 5.0);

    // Half a second later Chat's bucket holds two and a half again: the
    // one chat passes. (A window of a second would still refuse it.)
    game.wait(0.5);
    game.client(alice, r#"Net.Chat:FireServer("hi", "Red")"#);
    game.steps(2);
    assert_eq!(counts(&mut game), [6.0, 1.0, 5.0]);
    assert_eq!(game.stat(Side::Server, "rateLimited"), 5.0);

    game.wait(0.5);
    game.client(alice, burst);
    game.steps(2);
    assert_eq!(
        counts(&mut game),
        [10.0, 2.0, 5.0],
        "the bucket refilled: four more chats (5 a second, one taken at 0.5 s) and one legacy chat"
    );
    assert_eq!(game.stat(Side::Server, "rateLimited"), 11.0);
    game.assert_quiet();
}

/// Over all remotes a client may send 500 messages a second. Shop.Prices
/// allows 600 a minute, so a burst of 600 calls meets the overall budget
/// first: 500 are answered, 10 refused with RateLimited, and the other 90
/// dropped unanswered (their callers time out).
#[test]
fn a_client_may_send_500_messages_a_second_over_all_remotes() {
    let mut game = Game::new(GAME);
    let alice = game.join("Alice");
    let bob = game.join("Bob");
    game.server(
        r#"
        _G.answered = 0
        Net.Shop.Prices.OnServerInvoke = function() _G.answered += 1 return {} end
        Net.Chat.OnServerEvent:Connect(function(p) print(p.Name, "chat") end)
        "#,
    );
    game.client(
        alice,
        r#"
        _G.results = {}
        for i = 1, 600 do
            task.spawn(function()
                local r = try(function() return Net.Shop.Prices:InvokeServer() end)
                _G.results[r] = (_G.results[r] or 0) + 1
            end)
        end
        Net.Chat:FireServer("over budget", "Red")
        "#,
    );
    game.client(bob, r#"Net.Chat:FireServer("own budget", "Red")"#);
    game.steps(3);
    let results = |game: &mut Game| -> (f64, f64, f64) {
        game.eval(
            Side::Client(alice),
            r#"_G.results["ok {}"] or 0, _G.results["err RateLimited|Shop.Prices|the call broke its rate limit"] or 0,
               _G.results["err Timeout|Shop.Prices|no answer within 30 s"] or 0"#,
        )
    };
    assert_eq!(game.eval::<f64>(Side::Server, "_G.answered"), 500.0);
    assert_eq!(results(&mut game), (500.0, 10.0, 0.0));
    assert_eq!(game.stat(Side::Server, "rateLimited"), 101.0);
    assert_eq!(
        game.printed(Side::Server),
        ["Bob chat"],
        "Alice's chat came after her 500; Bob has a budget of his own"
    );

    // The budget is per second; Prices' own bucket (600 a minute) still
    // counts the 500 it let through.
    game.wait(1.0);
    game.client(
        alice,
        r#"
        for i = 1, 150 do
            task.spawn(function()
                local r = try(function() return Net.Shop.Prices:InvokeServer() end)
                _G.results[r] = (_G.results[r] or 0) + 1
            end)
        end
        "#,
    );
    game.steps(3);
    // Prices' bucket (600, refilling 10 a second) had 100 left and refilled
    // 10 in the second: 110 more answered, 10 of the other 40 refused.
    assert_eq!(game.eval::<f64>(Side::Server, "_G.answered"), 610.0);
    assert_eq!(results(&mut game), (610.0, 20.0, 0.0));
    game.wait(30.0);
    assert_eq!(
        results(&mut game),
        (610.0, 20.0, 120.0),
        "the unanswered time out"
    );
    game.assert_quiet();
}

/// Values outside the schema raise an error at the call, naming the
/// remote, the method and the argument, at the caller's line; nothing is
/// sent.
#[test]
fn arguments_outside_the_schema_raise_at_the_caller_naming_remote_and_argument() {
    let mut game = Game::new(GAME);
    let alice = game.join("Alice");
    game.server(r#"local p = Instance.new("Part") p.Name = "Target" p.Parent = workspace"#);
    game.step();
    let item = r#"{ Id = 7, Name = "Sword", Rarity = "Rare", Stack = 1 }"#;
    let client_cases: &[(&str, &str)] = &[
        (r#"Net.Chat:FireServer("", "Blue")"#, "Chat:FireServer: argument 'message': expected a string of 1 to 200 bytes, got 0"),
        (r#"Net.Chat:FireServer("hi", "Green")"#, r#"Chat:FireServer: argument 'channel': expected one of Red, Blue, Spectator, got "Green""#),
        (r#"Net.Chat:FireServer("hi")"#, "Chat:FireServer: argument 'channel': expected one of Red, Blue, Spectator, got nil"),
        (r#"Net.Chat:FireServer(42, "Red")"#, "Chat:FireServer: argument 'message': expected a string, got 42"),
        ("Net.LegacyChat:FireServer(\"\\255\")", "LegacyChat:FireServer: argument 'message': expected a string of UTF-8 text; binary data belongs in a buffer"),
        ("Net.Combat.Attack:FireServer(CFrame.new(), 0)", "Combat.Attack:FireServer: argument 'weapon': expected an integer from 1 to 4294967295, got 0"),
        ("Net.Combat.Attack:FireServer(CFrame.new(), 1.5)", "Combat.Attack:FireServer: argument 'weapon': expected an integer from 1 to 4294967295, got 1.5"),
        ("Net.Combat.Attack:FireServer(Vector3.zero, 1)", "Combat.Attack:FireServer: argument 'aim': expected a CFrame, got Vector3"),
        ("Net.Combat.Attack:FireServer(CFrame.new(0 / 0, 0, 0), 1)", "Combat.Attack:FireServer: argument 'aim': expected a number, got NaN in a datatype component"),
        ("Net.Combat.Aim:FireServer(Vector3.zero, 0 / 0)", "Combat.Aim:FireServer: argument 'spread': expected a finite number, got nan"),
        ("Net.Combat.Aim:FireServer(Vector3.zero, 46)", "Combat.Aim:FireServer: argument 'spread': expected a number from 0 to 45, got 46"),
        (&format!("Net.Equip:FireServer({{ Primary = {item}, Perks = {{ \"a\", \"b\", \"c\", \"d\" }} }}, Enum.KeyCode.E)"), "Equip:FireServer: argument 'loadout': expected a length from 0 to 3, got 4"),
        (&format!("Net.Equip:FireServer({{ Primary = {item}, Perks = {{}} }}, Enum.Material.Plastic)"), "Equip:FireServer: argument 'keybind': expected an item of the enum, got EnumItem"),
        // A missing record still names the argument (what it says is the
        // subject of `a_missing_record_is_named_as_such`).
        ("Net.Equip:FireServer({ Perks = {} }, Enum.KeyCode.E)", "Equip:FireServer: argument 'loadout': "),
        ("Net.Spectate:FireServer(workspace.Target, nil)", "Spectate:FireServer: argument 'player': expected Player, got Part"),
        ("Net.Spectate:FireServer(nil, game.Players)", "Spectate:FireServer: argument 'focus': expected BasePart, got Players"),
        ("Net.Shop.Buy:InvokeServer(7, 11)", "Shop.Buy:InvokeServer: argument 'quantity': expected an integer from 1 to 10, got 11"),
        ("Net.Shop.Buy:InvokeServer(-1, 1)", "Shop.Buy:InvokeServer: argument 'item': expected an integer from 1 to 4294967295, got -1"),
    ];
    check_argument_errors(&mut game, Side::Client(alice), client_cases);
    game.steps(3);
    assert_eq!(
        game.stat(Side::Server, "messagesReceived"),
        0.0,
        "nothing was sent"
    );

    let hit = "{ Damage = 1, Critical = false, Knockback = Vector3.zero }";
    let server_cases: &[(&str, &str)] = &[
        ("Net.Combat.HitConfirmed:FireClient(game.Players.Alice, { Damage = 70000, Critical = false, Knockback = Vector3.zero })", "Combat.HitConfirmed:FireClient: argument 'hit': expected an integer from 0 to 65535, got 70000"),
        ("Net.Combat.HitConfirmed:FireAllClients({ Damage = 1, Critical = 1, Knockback = Vector3.zero })", "Combat.HitConfirmed:FireAllClients: argument 'hit': expected a boolean, got 1"),
        ("Net.Combat.HitConfirmed:FireAllClientsExcept(game.Players.Alice, { Target = workspace.Target, Damage = 1, Critical = false, Knockback = Vector3.zero })", "Combat.HitConfirmed:FireAllClientsExcept: argument 'hit': expected Model, got Part"),
        (&format!("Net.Combat.HitConfirmed:FireClients({{ game.Players.Alice }}, {hit}, 'extra')"), ""),
        ("Net.Combat.Effects.Burst:FireAllClients(Vector3.zero, { type = \"Cone\" }, Color3.new(), Enum.Material.Plastic)", r#"Combat.Effects.Burst:FireAllClients: argument 'shape': expected a type of Circle, Box, Point, got "Cone""#),
        ("Net.Combat.Effects.Burst:FireAllClients(Vector3.zero, { type = \"Circle\", radius = -1 }, Color3.new(), Enum.Material.Plastic)", "Combat.Effects.Burst:FireAllClients: argument 'shape': expected a number from 0 to inf, got -1"),
        ("Net.Announce:FireAllClients(\"x\", workspace.Target, {}, {})", "Announce:FireAllClients: argument 'from': expected Player, got Part"),
        ("Net.Announce:FireAllClients(\"x\", game.Players.Alice, { Green = 1 }, {})", r#"Announce:FireAllClients: argument 'scores': expected one of Red, Blue, Spectator, got "Green""#),
        ("Net.Telemetry:FireAllClients(print, 0, NumberRange.new(0), Rect.new(), BrickColor.new(1), UDim.new(), Vector2.zero)", "Telemetry:FireAllClients: argument 'payload': cannot send a function in an any"),
        ("local t = {} t[1] = t Net.Telemetry:FireAllClients(t, 0, NumberRange.new(0), Rect.new(), BrickColor.new(1), UDim.new(), Vector2.zero)", "Telemetry:FireAllClients: argument 'payload': tables in an any nest deeper than 32"),
        ("Net.Welcome:FireAllClients({ Token = \"short\" }, nil)", "Welcome:FireAllClients: argument 'session': expected a string of 8 to 8 bytes, got 5"),
        ("Net.ConfirmTeleport:InvokeClient(game.Players.Alice, string.rep(\"a\", 65))", "ConfirmTeleport:InvokeClient: argument 'destination': expected a string of 0 to 64 bytes, got 65"),
    ];
    check_argument_errors(&mut game, Side::Server, server_cases);
    game.steps(3);
    assert_eq!(
        game.stat(Side::Client(alice), "messagesReceived"),
        1.0,
        "only the valid FireClients went out"
    );
    game.assert_quiet();
}

/// Runs each call on its own line of one script, under pcall; an empty
/// expectation means the call succeeds (extra arguments are ignored).
fn check_argument_errors(game: &mut Game, side: Side, cases: &[(&str, &str)]) {
    let mut script = String::from("_G.errors = {}\n");
    for (call, _) in cases {
        script.push_str(&format!(
            "do local ok, e = pcall(function() {call} end) table.insert(_G.errors, if ok then \"\" else tostring(e)) end\n"
        ));
    }
    match side {
        Side::Server => game.server(&script),
        Side::Client(c) => game.client(c, &script),
    }
    let errors: Vec<String> = game.eval(side, "_G.errors");
    let chunk = match side {
        Side::Server => "ServerScriptService.Script",
        Side::Client(_) => "Players.Alice.PlayerScripts.Script",
    };
    for (line, ((call, expected), got)) in cases.iter().zip(&errors).enumerate() {
        if expected.is_empty() {
            assert_eq!(got, "", "{call}");
            continue;
        }
        // The prelude shares the script's first line, so the cases start on line 2.
        let at = format!("{chunk}:{}: Tether: ", line + 2);
        assert!(
            got.starts_with(&at),
            "{call}: the error should point at the caller's line ({at}), got {got}"
        );
        assert!(
            got[at.len()..].starts_with(expected),
            "{call}: expected `{expected}`, got `{got}`"
        );
    }
}

/// A record argument that is missing (or not a table) should be refused
/// like any other value outside the schema, saying what was expected.
#[test]
fn a_missing_record_is_named_as_such() {
    let mut game = Game::new(GAME);
    let alice = game.join("Alice");
    game.client(
        alice,
        r#"
        _G.a = try(function() Net.Equip:FireServer({ Perks = {} }, Enum.KeyCode.E) end)
        _G.b = try(function() Net.Equip:FireServer(nil, Enum.KeyCode.E) end)
        "#,
    );
    let (a, b): (String, String) = game.eval(Side::Client(alice), "_G.a, _G.b");
    assert!(
        a.ends_with("argument 'loadout': expected a table, got nil"),
        "{a}"
    );
    assert!(
        b.ends_with("argument 'loadout': expected a table, got nil"),
        "{b}"
    );
}

/// `tests/schemas/luau_limits.tether`: unreliable events whose messages
/// may go over 1000 bytes. Those that do are dropped by the sender with a
/// warning and counted; the others go out. Roblox's own limit also counts
/// its serialization of the firing, so a message just under 1000 bytes can
/// still be lost there (docs/wire-format.md, section 7): Tether does not
/// see that one.
#[test]
fn unreliable_messages_over_1000_bytes_are_dropped_by_the_sender() {
    let mut game = Game::new("schemas/luau_limits.tether");
    let alice = game.join("Alice");
    game.server(
        r#"Net.Up.OnServerEvent:Connect(function(player, data) print("up", buffer.len(data)) end)"#,
    );
    game.client(
        alice,
        r#"
        Net.Down.OnClientEvent:Connect(function(data) print("down", buffer.len(data)) end)
        Net.Up:FireServer(buffer.create(1500))
        Net.Up:FireServer(buffer.create(900))
        "#,
    );
    game.server(
        r#"
        Net.Down:FireAllClients(buffer.create(2000))
        Net.Down:FireAllClients(buffer.create(990))
        Net.Down:FireAllClients(buffer.create(996))
        "#,
    );
    game.steps(2);
    // One message each way: a 1-bit id and an 11-bit length, 2 bit bytes.
    assert_eq!(game.stat(Side::Client(alice), "unreliableTooLarge"), 1.0);
    assert_eq!(
        game.warned(Side::Client(alice)),
        ["Tether: Up: a message of 1502 bytes was dropped; unreliable events carry at most 1000"]
    );
    assert_eq!(game.printed(Side::Server), ["up 900"]);
    assert_eq!(game.stat(Side::Server, "unreliableTooLarge"), 1.0);
    assert_eq!(
        game.warned(Side::Server),
        [
            "Tether: Down: a message of 2002 bytes was dropped; unreliable events carry at most 1000",
            "UnreliableRemoteEvent ReplicatedStorage.Tether.luau_limits.Unreliable: payload of 1003 bytes exceeds the 1000-byte limit and was dropped",
        ],
        "998 bytes pass Tether's check, and not Roblox's"
    );
    assert_eq!(game.printed(Side::Client(alice)), ["down 990"]);
    game.assert_quiet();
}

/// A handler that waits holds its call: the server runs at most 64 calls
/// of one client at once, answers the next `Busy` without running the
/// handler, keeps a budget per client, and runs calls again once handlers
/// return.
#[test]
fn at_most_64_calls_of_one_client_run_in_handlers_that_wait() {
    let mut game = Game::new(GAME);
    let alice = game.join("Alice");
    let bob = game.join("Bob");
    game.server(
        r#"
        _G.running = 0
        Net.Shop.Prices.OnServerInvoke = function()
            _G.running += 1
            task.wait(10)
            _G.running -= 1
            return {}
        end
        "#,
    );
    let call = |n: usize| {
        format!(
            r#"
            _G.results = _G.results or {{}}
            for i = 1, {n} do
                task.spawn(function()
                    local r = try(function() return Net.Shop.Prices:InvokeServer() end)
                    _G.results[r] = (_G.results[r] or 0) + 1
                end)
            end
            "#
        )
    };
    game.client(alice, &call(70));
    game.client(bob, &call(1));
    game.steps(3);
    assert_eq!(game.eval::<f64>(Side::Server, "_G.running"), 65.0);
    let busy = r#"_G.results["err Busy|Shop.Prices|the peer is busy answering this side's earlier calls"] or 0"#;
    assert_eq!(game.eval::<f64>(Side::Client(alice), busy), 6.0);
    assert_eq!(game.eval::<f64>(Side::Client(bob), busy), 0.0);
    assert_eq!(game.stat(Side::Server, "callsBusy"), 6.0);

    game.wait(10.0);
    game.steps(2);
    assert_eq!(game.eval::<f64>(Side::Server, "_G.running"), 0.0);
    let ok = r#"_G.results["ok {}"] or 0"#;
    assert_eq!(game.eval::<f64>(Side::Client(alice), ok), 64.0);
    game.client(alice, &call(1));
    game.steps(3);
    assert_eq!(game.eval::<f64>(Side::Server, "_G.running"), 1.0);
    assert_eq!(game.stat(Side::Server, "callsBusy"), 6.0);
    game.assert_quiet();
}
