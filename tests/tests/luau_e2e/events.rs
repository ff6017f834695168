//! The generated Luau of `schemas/game.tether`, end to end in the mock
//! Roblox engine: remote events both ways between one server VM and client
//! VMs, connections, unreliable events, and the schema fingerprint check.
//! Functions, limits, bindables and hostile clients have suites of their own
//! (the other modules of this suite).

use crate::game as luau_game;
use crate::luau;

use luau_game::Game;
use tether_roblox_mock::{Side, UnreliableFaults};

const GAME: &str = "../schemas/game.tether";

/// A game with a replicated target part and model, a hidden model and a
/// tool in ReplicatedStorage, made before anyone joins.
fn game() -> Game {
    let mut game = Game::new(GAME);
    game.server(
        r#"
        local target = Instance.new("Part") target.Name = "Target" target.Parent = workspace
        local model = Instance.new("Model") model.Name = "Enemy" model.Parent = workspace
        local hidden = Instance.new("Model") hidden.Name = "Vault" hidden.Parent = game.ServerStorage
        local tool = Instance.new("Tool") tool.Name = "Sword" tool.Parent = game.ReplicatedStorage
        "#,
    );
    game
}

#[test]
fn client_events_reach_the_server_with_the_sending_player() {
    let mut game = game();
    let alice = game.join("Alice");
    let bob = game.join("Bob");
    game.step(); // Alice's client learns of Bob's Player
    game.server(
        r#"
        for _, name in { "Chat", "Equip", "LegacyChat", "Spectate" } do
            Net[name].OnServerEvent:Connect(function(player, ...)
                print(name, player.Name, args(...))
            end)
        end
        Net.Combat.Attack.OnServerEvent:Connect(function(player, ...)
            print("Attack", player.Name, args(...))
        end)
        "#,
    );
    game.client(
        alice,
        r#"
        Net.Chat:FireServer("hi", "Blue")
        Net.Combat.Attack:FireServer(CFrame.new(1, 2, 3), 7)
        Net.Equip:FireServer({
            Primary = { Id = 7, Name = "Sword", Rarity = "Rare", Stack = 1, Tint = Color3.new(1, 0.5, 0.25) },
            Perks = { "Swift", "Stout" },
        }, Enum.KeyCode.E)
        Net.LegacyChat:FireServer("old")
        Net.Spectate:FireServer(game.Players.Bob, workspace.Target)
        Net.Spectate:FireServer(nil, nil)
        "#,
    );
    game.client(bob, r#"Net.Chat:FireServer("yo", "Red")"#);
    game.step();
    assert!(
        game.printed(Side::Server).is_empty(),
        "frames leave on the sender's Heartbeat, so nothing arrives in the first step"
    );
    game.step();
    assert_eq!(
        game.printed(Side::Server),
        [
            r#"Chat Alice "hi", "Blue""#,
            "Attack Alice CFrame(1, 2, 3, 1, 0, 0, 0, 1, 0, 0, 0, 1), 7",
            r#"Equip Alice {["Perks"]={"Swift", "Stout"}, ["Primary"]={["Id"]=7, ["Name"]="Sword", ["Rarity"]="Rare", ["Stack"]=1, ["Tint"]=Color3(1, 0.5, 0.25)}}, Enum.KeyCode.E"#,
            r#"LegacyChat Alice "old""#,
            "Spectate Alice Players.Bob, Workspace.Target",
            "Spectate Alice nil, nil",
            r#"Chat Bob "yo", "Red""#,
        ]
    );
    assert_eq!(game.stat(Side::Server, "messagesReceived"), 7.0);
    assert_eq!(
        game.stat(Side::Server, "framesReceived"),
        2.0,
        "one frame per client per tick"
    );
    game.assert_quiet();
}

#[test]
fn server_events_reach_the_players_each_method_names() {
    let mut game = game();
    let clients: Vec<_> = ["Alice", "Bob", "Carol"]
        .into_iter()
        .map(|name| game.join(name))
        .collect();
    for &client in &clients {
        game.client(
            client,
            r#"Net.Combat.HitConfirmed.OnClientEvent:Connect(function(hit) print(hit.Damage) end)"#,
        );
    }
    game.server(
        r#"
        local P = game.Players
        local function hit(damage)
            return { Damage = damage, Critical = false, Knockback = Vector3.zero }
        end
        Net.Combat.HitConfirmed:FireClient(P.Bob, hit(1))
        Net.Combat.HitConfirmed:FireAllClients(hit(2))
        Net.Combat.HitConfirmed:FireClients({ P.Alice, P.Carol }, hit(3))
        Net.Combat.HitConfirmed:FireAllClientsExcept(P.Alice, hit(4))
        "#,
    );
    game.steps(2);
    let got: Vec<Vec<String>> = clients
        .iter()
        .map(|&c| game.printed(Side::Client(c)))
        .collect();
    assert_eq!(got[0], ["2", "3"], "Alice");
    assert_eq!(got[1], ["1", "2", "4"], "Bob");
    assert_eq!(got[2], ["2", "3", "4"], "Carol");
    for &client in &clients {
        assert_eq!(
            game.stat(Side::Client(client), "framesReceived"),
            1.0,
            "the messages of one tick travel as one frame"
        );
    }
    game.assert_quiet();
}

/// Every server -> client remote of the game, with values of every kind it
/// carries, arrives as the server sent it (CFrame rotations quantized, f32
/// fields rounded to binary32: the values here are exact in both).
#[test]
fn every_value_the_server_sends_arrives_intact() {
    let mut game = game();
    let alice = game.join("Alice");
    let bob = game.join("Bob");
    game.client(
        alice,
        r#"
        local function log(name)
            return function(...) print(name, args(...)) end
        end
        for _, path in { "Combat.HitConfirmed", "Combat.Aim", "Combat.Effects.Burst", "Shop.Restocked",
            "Announce", "SpawnPreview", "Telemetry", "Welcome" } do
            local remote = Net
            for part in string.gmatch(path, "[^.]+") do remote = remote[part] end
            remote.OnClientEvent:Connect(log(path))
        end
        "#,
    );
    game.server(
        r#"
        local sent = {}
        local function send(path, ...)
            local remote = Net
            for part in string.gmatch(path, "[^.]+") do remote = remote[part] end
            remote:FireClient(game.Players.Alice, ...)
            table.insert(sent, path .. " " .. args(...))
        end
        send("Combat.HitConfirmed", { Target = workspace.Enemy, Damage = 65535, Critical = true, Knockback = Vector3.new(0, 1, -2.5) })
        send("Combat.HitConfirmed", { Damage = 0, Critical = false, Knockback = Vector3.zero })
        send("Combat.Aim", Vector3.new(0.5, -1, 2), 45)
        send("Combat.Effects.Burst", Vector3.new(1, 2, 3), { type = "Circle", radius = 2.5 }, Color3.new(0, 0.5, 1), Enum.Material.Neon)
        send("Combat.Effects.Burst", Vector3.one, { type = "Box", size = Vector3.new(4, 5, 6) }, Color3.new(1, 1, 1), Enum.Material.Plastic)
        send("Combat.Effects.Burst", Vector3.zero, { type = "Point" }, Color3.new(0, 0, 0), Enum.Material.Rubber)
        send("Shop.Restocked", {
            { Id = 1, Name = "Sword", Rarity = "Legendary", Stack = 999, Tint = Color3.new(1, 0, 0) },
            { Id = 4294967295, Name = "é", Rarity = "Common", Stack = 1 },
        }, DateTime.fromUnixTimestampMillis(1700000000123))
        send("Shop.Restocked", {}, DateTime.fromUnixTimestampMillis(-5))
        send("Announce", "", game.Players.Bob, { Red = 3, Spectator = 0 }, { Alice = 10, [""] = 4294967295 })
        send("SpawnPreview", game.ReplicatedStorage.Sword, UDim2.new(0.5, -10, 1, 20),
            ColorSequence.new({ ColorSequenceKeypoint.new(0, Color3.new(1, 0, 0)), ColorSequenceKeypoint.new(0.5, Color3.new(0, 1, 0)), ColorSequenceKeypoint.new(1, Color3.new(0, 0, 1)) }),
            NumberSequence.new({ NumberSequenceKeypoint.new(0, 1, 0.5), NumberSequenceKeypoint.new(1, 0, 0) }))
        send("SpawnPreview", nil, UDim2.new(), ColorSequence.new(Color3.new(1, 1, 1)), NumberSequence.new(2))
        send("Telemetry", {
            nested = { 1, "two", true, false, buffer.fromstring("\0\255") },
            [1.5] = Vector2.new(1, 2),
            vec = Vector3.new(1, 2, 3),
            part = workspace.Target,
            item = Enum.Material.Glass,
            date = DateTime.fromUnixTimestampMillis(42),
            color = Color3.new(0.25, 0.5, 1),
            brick = BrickColor.new(21),
            udim = UDim.new(0.5, 3),
            udim2 = UDim2.new(1, 2, 3, 4),
            rect = Rect.new(1, 2, 3, 4),
            range = NumberRange.new(1, 2),
            cf = CFrame.new(1, 2, 3),
            seq = NumberSequence.new(0.5),
            colors = ColorSequence.new(Color3.new(0, 0, 1)),
            empty = {},
        }, 0 / 0, NumberRange.new(-1, 1), Rect.new(0, 0, 10, 20), BrickColor.new(194), UDim.new(0.25, -7), Vector2.new(-3, 4))
        send("Telemetry", nil, math.huge, NumberRange.new(5), Rect.new(), BrickColor.new(1), UDim.new(), Vector2.zero)
        send("Telemetry", 12.5, -math.huge, NumberRange.new(0, 0), Rect.new(1, 1, 1, 1), BrickColor.new(1032), UDim.new(1, 2147483647), Vector2.one)
        send("Welcome", {
            Token = "abcdefgh", Started = -1700000000000, Seed = 9007199254740991, Offset = -5,
            Ratio = 0.75, Heat = 1e300, Flags = 165, RecentNames = { "Alice", "Bob" },
            Blob = buffer.fromstring("\0\1\2\255"), Ids = { -2147483648, 0, 2147483647 },
        }, "Spectator")
        send("Welcome", {
            Token = "12345678", Started = 9007199254740991, Seed = 0, Offset = 5,
            Ratio = -0.5, Heat = -0, Flags = 0, RecentNames = {}, Blob = buffer.create(0), Ids = {},
        }, nil)
        for _, line in sent do print(line) end
        "#,
    );
    let sent = game.printed(Side::Server);
    assert_eq!(sent.len(), 16);
    game.steps(2);
    let mut got = game.printed(Side::Client(alice));
    // Unreliable events go out at once, ahead of the tick's reliable frame.
    let unreliable =
        |line: &String| line.starts_with("Combat.Aim") || line.starts_with("Combat.Effects");
    let mut expected: Vec<String> = sent.iter().filter(|l| unreliable(l)).cloned().collect();
    expected.extend(sent.iter().filter(|l| !unreliable(l)).cloned());
    got.sort_by_key(|l| !unreliable(l));
    assert_eq!(got, expected);
    // The canonical text does show the values (it is not vacuously equal).
    assert!(got
        .iter()
        .any(|l| l.contains(r#"Workspace.Enemy"#) && l.contains("65535")));
    assert!(got
        .iter()
        .any(|l| l.contains("Players.Bob") && l.contains("4294967295")));
    assert!(got
        .iter()
        .any(|l| l.contains("Telemetry") && l.contains("nan")));
    assert!(
        game.printed(Side::Client(bob)).is_empty(),
        "FireClient reaches one player"
    );
    game.assert_quiet();
}

#[test]
fn instances_arrive_where_the_receiver_can_see_them() {
    let mut game = game();
    let clients = [game.join("Alice"), game.join("Bob"), game.join("Carol")];
    for client in clients {
        game.client(
            client,
            r#"Net.Combat.HitConfirmed.OnClientEvent:Connect(function(hit) print(show(hit.Target)) end)"#,
        );
    }
    // One message to several players: each frame lists the instance itself.
    game.server(
        r#"
        local base = { Damage = 1, Critical = false, Knockback = Vector3.zero }
        local function with(target) local t = table.clone(base) t.Target = target return t end
        Net.Combat.HitConfirmed:FireAllClients(with(workspace.Enemy))
        -- A model the clients cannot see (ServerStorage) arrives as nil.
        Net.Combat.HitConfirmed:FireAllClients(with(game.ServerStorage.Vault))
        Net.Combat.HitConfirmed:FireAllClients(with(nil))
        Net.Combat.HitConfirmed:FireClients({ game.Players.Carol, game.Players.Alice }, with(workspace.Enemy))
        Net.Combat.HitConfirmed:FireAllClientsExcept(game.Players.Alice, with(workspace.Enemy))
        "#,
    );
    game.steps(2);
    let expected = [
        vec!["Workspace.Enemy", "nil", "nil", "Workspace.Enemy"],
        vec!["Workspace.Enemy", "nil", "nil", "Workspace.Enemy"],
        vec![
            "Workspace.Enemy",
            "nil",
            "nil",
            "Workspace.Enemy",
            "Workspace.Enemy",
        ],
    ];
    for (client, expected) in clients.into_iter().zip(expected) {
        assert_eq!(game.printed(Side::Client(client)), expected, "{client:?}");
    }
    game.assert_quiet();
}

#[test]
fn connections_disconnect_and_once_and_wait_fire_once() {
    let mut game = game();
    let alice = game.join("Alice");
    game.server(
        r#"
        _G.first = Net.Chat.OnServerEvent:Connect(function(_, m) print("first", m) end)
        Net.Chat.OnServerEvent:Connect(function(_, m) print("second", m) end)
        Net.Chat.OnServerEvent:Once(function(_, m) print("once", m) end)
        task.spawn(function()
            local player, m, team = Net.Chat.OnServerEvent:Wait()
            print("waited", player.Name, m, team)
        end)
        "#,
    );
    game.client(alice, r#"Net.Chat:FireServer("a", "Red")"#);
    game.steps(2);
    let mut got = game.printed(Side::Server);
    got.sort();
    assert_eq!(got, ["first a", "once a", "second a", "waited Alice a Red"]);

    game.server(
        r#"
        assert(_G.first.Connected)
        _G.first:Disconnect()
        _G.first:Disconnect() -- twice is harmless
        assert(not _G.first.Connected)
        "#,
    );
    // A new tick: the rate window of Chat (5/s) still has room.
    game.client(alice, r#"Net.Chat:FireServer("b", "Blue")"#);
    game.steps(2);
    assert_eq!(game.printed(Side::Server), ["second b"]);
    game.assert_quiet();
}

/// A handler that disconnects itself stops at once; one connected from a
/// handler runs from the next event on.
#[test]
fn handlers_may_connect_and_disconnect_while_an_event_fires() {
    let mut game = game();
    let alice = game.join("Alice");
    game.client(
        alice,
        r#"
        local hc = Net.Combat.HitConfirmed.OnClientEvent
        local selfish
        selfish = hc:Connect(function(hit)
            print("selfish", hit.Damage)
            selfish:Disconnect()
            hc:Connect(function(h) print("late", h.Damage) end)
        end)
        "#,
    );
    game.server(
        r#"
        local function hit(d) return { Damage = d, Critical = false, Knockback = Vector3.zero } end
        Net.Combat.HitConfirmed:FireAllClients(hit(1))
        Net.Combat.HitConfirmed:FireAllClients(hit(2))
        "#,
    );
    game.steps(2);
    assert_eq!(game.printed(Side::Client(alice)), ["selfish 1", "late 2"]);
    game.assert_quiet();
}

/// A LocalScript that connects after the server already sent gets what
/// waited, whether it connects, connects once or waits.
#[test]
fn a_late_connect_once_or_wait_gets_the_events_that_waited() {
    let mut game = game();
    let alice = game.join("Alice");
    game.server(
        r#"
        for i = 1, 3 do
            Net.Welcome:FireAllClients({ Token = "abcdefgh", Started = i, Seed = 0, Offset = 0, Ratio = 0,
                Heat = 0, Flags = 0, RecentNames = {}, Blob = buffer.create(0), Ids = {} }, nil)
        end
        for i = 1, 3 do
            Net.Combat.HitConfirmed:FireAllClients({ Damage = i, Critical = false, Knockback = Vector3.zero })
        end
        for i = 1, 3 do
            Net.Shop.Restocked:FireAllClients({}, DateTime.fromUnixTimestampMillis(i))
        end
        "#,
    );
    game.steps(2);
    game.client(
        alice,
        r#"
        Net.Combat.HitConfirmed.OnClientEvent:Connect(function(hit) print("connect", hit.Damage) end)
        Net.Shop.Restocked.OnClientEvent:Once(function(_, at) print("once", at.UnixTimestampMillis) end)
        local session = Net.Welcome.OnClientEvent:Wait()
        print("wait", session.Started)
        -- What Once and Wait did not take still waits for the next handler.
        Net.Shop.Restocked.OnClientEvent:Connect(function(_, at) print("rest", at.UnixTimestampMillis) end)
        print("next wait", Net.Welcome.OnClientEvent:Wait().Started)
        "#,
    );
    game.steps(1);
    let got = game.printed(Side::Client(alice));
    assert_eq!(
        got,
        [
            "connect 1",
            "connect 2",
            "connect 3",
            "once 1",
            "wait 1",
            "rest 2",
            "rest 3",
            "next wait 2"
        ],
        "errors: {:?}",
        game.take_errors(Side::Client(alice))
    );
    game.assert_quiet();
}

/// Unreliable ordered events (Combat.Aim) both ways through a network that
/// reorders unreliable firings: what arrives late is dropped and counted,
/// so handlers see sequence numbers only increase.
#[test]
fn ordered_unreliable_events_drop_what_arrives_late() {
    let mut game = game();
    let alice = game.join("Alice");
    game.place.set_unreliable_faults(Some(UnreliableFaults {
        drop_probability: 0.0,
        reorder: true,
        seed: 7,
    }));
    game.server(
        r#"
        _G.got = {}
        Net.Combat.Aim.OnServerEvent:Connect(function(player, look, spread)
            assert(player.Name == "Alice")
            table.insert(_G.got, look.X)
        end)
        for i = 1, 40 do
            Net.Combat.Aim:FireClient(game.Players.Alice, Vector3.new(i, 0, 0), i % 45)
        end
        "#,
    );
    game.client(
        alice,
        r#"
        _G.got = {}
        Net.Combat.Aim.OnClientEvent:Connect(function(look) table.insert(_G.got, look.X) end)
        for i = 1, 40 do
            Net.Combat.Aim:FireServer(Vector3.new(i, 0, 0), 1)
        end
        "#,
    );
    game.steps(2);
    for side in [Side::Server, Side::Client(alice)] {
        let got: Vec<f64> = game.eval(side, "_G.got");
        let stale = game.stat(side, "staleDropped");
        assert!(
            got.windows(2).all(|w| w[0] < w[1]),
            "{side:?} handled out of order: {got:?}"
        );
        assert_eq!(
            got.len() as f64 + stale,
            40.0,
            "{side:?}: each one handled or counted"
        );
        assert!(stale > 0.0, "{side:?}: a shuffle of 40 leaves some late");
        assert_eq!(game.stat(side, "messagesReceived"), 40.0);
    }
    game.assert_quiet();
}

/// Unordered unreliable events (Combat.Effects.Burst) arrive in any order,
/// none dropped as stale; lost ones are simply lost.
#[test]
fn unordered_unreliable_events_arrive_in_any_order() {
    let mut game = game();
    let alice = game.join("Alice");
    game.place.set_unreliable_faults(Some(UnreliableFaults {
        drop_probability: 0.25,
        reorder: true,
        seed: 3,
    }));
    game.client(
        alice,
        r#"
        _G.got = {}
        Net.Combat.Effects.Burst.OnClientEvent:Connect(function(at) table.insert(_G.got, at.X) end)
        "#,
    );
    game.server(
        r#"
        for i = 1, 40 do
            Net.Combat.Effects.Burst:FireAllClients(Vector3.new(i, 0, 0), { type = "Point" }, Color3.new(), Enum.Material.Plastic)
        end
        "#,
    );
    game.steps(2);
    let got: Vec<f64> = game.eval(Side::Client(alice), "_G.got");
    assert!(got.len() < 40 && got.len() > 10, "some lost: {}", got.len());
    assert!(
        got.windows(2).any(|w| w[0] > w[1]),
        "some out of order, and still handled: {got:?}"
    );
    assert_eq!(game.stat(Side::Client(alice), "staleDropped"), 0.0);
    game.assert_quiet();
}

/// A client generated from another version of the schema refuses to start,
/// saying why; the server is not disturbed.
#[test]
fn a_client_of_another_schema_version_refuses_to_start() {
    let dir = std::env::temp_dir().join(format!("tether-luau-e2e-{}", std::process::id()));
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    std::fs::create_dir_all(dir.join("shared")).unwrap();
    let schema = std::fs::read_to_string(root.join("game.tether")).unwrap();
    // Next version: Chat takes longer messages. Same protocol name (the file stem).
    let changed = schema.replace("message: string(1..200)", "message: string(1..300)");
    assert_ne!(schema, changed);
    std::fs::write(dir.join("game.tether"), changed).unwrap();
    std::fs::copy(
        root.join("shared/types.tether"),
        dir.join("shared/types.tether"),
    )
    .unwrap();
    let old = tether_compiler::build::generate_luau(dir.join("game.tether")).unwrap();
    std::fs::remove_dir_all(&dir).ok();

    let mut game = game();
    let old_client: Vec<(&str, &str)> = old
        .files()
        .iter()
        .map(|(name, text)| (name.trim_end_matches(".luau"), *text))
        .collect();
    game.place
        .install_modules("ReplicatedStorage.NextNet", &old_client)
        .unwrap();
    let alice = game.place.add_client("Alice").unwrap();
    let message = match game.place.run(
        Side::Client(alice),
        "require(game.ReplicatedStorage.NextNet.client)",
    ) {
        Err(tether_roblox_mock::MockError::Script { message, .. }) => message,
        other => panic!("the client started: {other:?}"),
    };
    let fingerprint = |source: &str| {
        let at = source.find("T.client(\"game\", \"").unwrap() + 18;
        source[at..at + 16].to_string()
    };
    let server_fp = fingerprint(&luau::modules(GAME)[1].1);
    let client_fp = fingerprint(&old.client);
    assert_ne!(server_fp, client_fp);
    assert!(
        message.contains(&format!(
            "the server's game protocol (schema {server_fp}, wire 1) is not this client's (schema {client_fp}, wire 1); generate both from the same schema"
        )),
        "{message}"
    );
    // The current client still works beside it.
    let bob = game.join("Bob");
    game.server(r#"Net.Chat.OnServerEvent:Connect(function(p, m) print(p.Name, m) end)"#);
    game.client(bob, r#"Net.Chat:FireServer("fine", "Red")"#);
    game.steps(2);
    assert_eq!(game.printed(Side::Server), ["Bob fine"]);
    game.assert_quiet();
}
