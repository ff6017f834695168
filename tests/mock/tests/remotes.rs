//! Remote events and functions between VMs, Roblox's argument limitations, queueing,
//! kicks and the Rust taps.

use tether_roblox_mock::{MockError, OutputKind, Place, Side, UnreliableFaults, WireValue};

const DT: f64 = 1.0 / 60.0;

fn texts(place: &Place, side: Side) -> Result<Vec<String>, MockError> {
    Ok(place.output(side)?.into_iter().map(|l| l.text).collect())
}

fn place_with_remotes() -> Result<Place, MockError> {
    let mut place = Place::new()?;
    place.run(
        Side::Server,
        r#"
        local net = Instance.new("Folder")
        net.Name = "Net"
        Instance.new("RemoteEvent", net).Name = "Chat"
        Instance.new("UnreliableRemoteEvent", net).Name = "Move"
        Instance.new("RemoteFunction", net).Name = "Buy"
        net.Parent = game.ReplicatedStorage
        "#,
    )?;
    Ok(place)
}

#[test]
fn events_cross_both_ways_as_copies() -> Result<(), MockError> {
    let mut place = place_with_remotes()?;
    let client = place.add_client("Alice")?;
    let c = Side::Client(client);
    place.run(
        Side::Server,
        r#"
        local chat = game.ReplicatedStorage.Net.Chat
        chat.OnServerEvent:Connect(function(player, message, t)
            print(player.Name, message, t.n)
            chat:FireClient(player, "echo " .. message)
            chat:FireAllClients("all")
        end)
        "#,
    )?;
    place.run(
        c,
        r#"
        local chat = game.ReplicatedStorage.Net.Chat
        chat.OnClientEvent:Connect(function(...) print(...) end)
        local t = { n = 1 }
        chat:FireServer("hi", t)
        t.n = 2 -- fired values are copies
        "#,
    )?;
    assert!(texts(&place, Side::Server)?.is_empty());
    place.step(DT)?;
    assert_eq!(texts(&place, Side::Server)?, ["Alice hi 1"]);
    assert!(texts(&place, c)?.is_empty());
    place.step(DT)?;
    assert_eq!(texts(&place, c)?, ["echo hi", "all"]);
    Ok(())
}

#[test]
fn events_wait_in_a_queue_until_a_handler_connects() -> Result<(), MockError> {
    let mut place = place_with_remotes()?;
    let client = place.add_client("Alice")?;
    let c = Side::Client(client);
    place.run(
        Side::Server,
        "for i = 1, 300 do game.ReplicatedStorage.Net.Chat:FireAllClients(i) end",
    )?;
    place.step(DT)?;
    let warnings: Vec<_> = place
        .output(c)?
        .into_iter()
        .filter(|l| l.kind == OutputKind::Warn)
        .collect();
    assert_eq!(warnings.len(), 44);
    assert!(warnings[43]
        .text
        .starts_with("Remote event invocation queue exhausted for ReplicatedStorage.Net.Chat"));
    assert!(warnings[43].text.ends_with("(44 events dropped)"));
    place.take_output(c)?;
    place.run(
        c,
        r#"
        _G.got = {}
        game.ReplicatedStorage.Net.Chat.OnClientEvent:Connect(function(i) table.insert(_G.got, i) end)
        "#,
    )?;
    assert_eq!(
        place.eval_as::<(f64, f64, f64)>(c, "#_G.got, _G.got[1], _G.got[256]")?,
        (256.0, 1.0, 256.0)
    );
    // Once connected, events go straight to the handler.
    place.run(
        Side::Server,
        "game.ReplicatedStorage.Net.Chat:FireAllClients('direct')",
    )?;
    place.step(DT)?;
    assert_eq!(place.eval_as::<String>(c, "_G.got[257]")?, "direct");
    Ok(())
}

#[test]
fn arguments_follow_robloxs_limitations() -> Result<(), MockError> {
    let mut place = place_with_remotes()?;
    let client = place.add_client("Alice")?;
    place.intercept_server_remote("ReplicatedStorage.Net.Chat");
    place.run(
        Side::Client(client),
        r#"
        local mt = setmetatable({ x = 1 }, { __index = function() return "meta" end })
        game.ReplicatedStorage.Net.Chat:FireServer(
            { 1, 2, nil, 4 },                 -- a nil hole cuts the array
            { 1, 2, key = "lost" },           -- a mixed table keeps its array part
            { [true] = "t", [2.5] = "f" },    -- non-string keys become strings
            { f = print, n = 1 },             -- functions become nil
            mt,                               -- the metatable is dropped
            print,
            buffer.fromstring("\0\1"),
            Vector3.new(0.1, 2, 3),
            nil,
            {}
        )
        "#,
    )?;
    place.step(DT)?;
    let firings = place.take_intercepted();
    assert_eq!(firings.len(), 1);
    let f = &firings[0];
    assert_eq!(f.from, client);
    assert_eq!(f.remote, "ReplicatedStorage.Net.Chat");
    let n = |x: f64| WireValue::Number(x);
    assert_eq!(
        f.args,
        vec![
            WireValue::Array(vec![n(1.0), n(2.0)]),
            WireValue::Array(vec![n(1.0), n(2.0)]),
            WireValue::dictionary([
                ("true", WireValue::from("t")),
                ("2.5", WireValue::from("f"))
            ]),
            WireValue::dictionary([("n", n(1.0))]),
            WireValue::dictionary([("x", n(1.0))]),
            WireValue::Nil,
            WireValue::Buffer(vec![0, 1]),
            WireValue::Vector3([0.1, 2.0, 3.0]),
            WireValue::Nil,
            WireValue::dictionary::<&str>([]),
        ]
    );
    // Cyclic tables are refused at the call, as on Roblox.
    let err = place.run(
        Side::Client(client),
        "local t = {} t.self = t game.ReplicatedStorage.Net.Chat:FireServer(t)",
    );
    assert!(
        matches!(err, Err(MockError::Script { message, .. }) if message.contains("tables cannot be cyclic"))
    );
    Ok(())
}

#[test]
fn instances_the_receiver_cannot_see_arrive_as_nil() -> Result<(), MockError> {
    let mut place = place_with_remotes()?;
    let client = place.add_client("Alice")?;
    let c = Side::Client(client);
    place.run(
        Side::Server,
        r#"
        local chat = game.ReplicatedStorage.Net.Chat
        local hidden = Instance.new("Part", game.ServerStorage)
        local shown = Instance.new("Part", workspace)
        shown.Name = "Shown"
        chat.OnServerEvent:Connect(function(player, a, b, list)
            print(typeof(a), b == workspace.Shown, list[1], list[2] == workspace.Shown)
        end)
        chat:FireAllClients(hidden, shown, { hidden, shown })
        "#,
    )?;
    place.run(
        c,
        r#"
        local chat = game.ReplicatedStorage.Net.Chat
        chat.OnClientEvent:Connect(function(hidden, shown, list)
            print(hidden, shown == workspace.Shown, list[1], list[2] == workspace.Shown)
            chat:FireServer(Instance.new("Part"), shown, { Instance.new("Part", workspace), shown })
        end)
        "#,
    )?;
    place.step(DT)?;
    assert_eq!(texts(&place, c)?, ["nil true nil true"]);
    place.step(DT)?;
    assert_eq!(texts(&place, Side::Server)?, ["nil true nil true"]);
    Ok(())
}

#[test]
fn kicked_players_leave_at_the_next_step() -> Result<(), MockError> {
    let mut place = place_with_remotes()?;
    let alice = place.add_client("Alice")?;
    let bob = place.add_client("Bob")?;
    place.run(
        Side::Server,
        r#"
        game.Players.PlayerRemoving:Connect(function(p) print("bye", p.Name) end)
        game.ReplicatedStorage.Net.Chat.OnServerEvent:Connect(function(p) p:Kick("no spam") end)
        "#,
    )?;
    place.run(
        Side::Client(bob),
        "game.ReplicatedStorage.Net.Chat:FireServer()",
    )?;
    place.step(DT)?;
    assert_eq!(place.clients(), [alice, bob]);
    place.step(DT)?;
    assert_eq!(place.clients(), [alice]);
    assert_eq!(place.kicks().len(), 1);
    assert_eq!(place.kicks()[0].client, bob);
    assert_eq!(place.kicks()[0].message, "no spam");
    assert_eq!(texts(&place, Side::Server)?, ["bye Bob"]);
    Ok(())
}

#[test]
fn rust_taps_play_a_peer() -> Result<(), MockError> {
    let mut place = place_with_remotes()?;
    let client = place.add_client("Alice")?;
    let c = Side::Client(client);
    place.run(c, "game.ReplicatedStorage.Net.Chat.OnClientEvent:Connect(function(a, b, me) print(a, b, me == game.Players.LocalPlayer) end)")?;
    let me = place.player_net_id(client)?;
    place.fire_client(
        client,
        "ReplicatedStorage.Net.Chat",
        vec!["from rust".into(), 7.into(), me.into()],
    )?;
    place.step(DT)?;
    assert_eq!(texts(&place, c)?, ["from rust 7 true"]);

    // A hostile client sends whatever it likes; the server's handler sees it as decoded.
    place.run(
        Side::Server,
        r#"
        game.ReplicatedStorage.Net.Chat.OnServerEvent:Connect(function(player, a, b, c, d, e, f)
            print(player.Name, a ~= a, #b, typeof(c), c, d, e.deep.deeper[1], f)
        end)
        "#,
    )?;
    let deep = WireValue::dictionary([(
        "deep",
        WireValue::dictionary([("deeper", WireValue::Array(vec![true.into()]))]),
    )]);
    place.fire_server_raw(
        client,
        "ReplicatedStorage.Net.Chat",
        vec![
            WireValue::Number(f64::NAN),
            WireValue::String(vec![0xff; 100_000]),
            WireValue::EnumItem {
                enum_type: "Material".into(),
                value: 256,
            },
            WireValue::NumberRange { min: 5.0, max: 1.0 },
            deep,
            WireValue::Instance(tether_roblox_mock::NetId(999_999)),
        ],
    )?;
    place.step(DT)?;
    assert_eq!(
        texts(&place, Side::Server)?,
        ["Alice true 100000 EnumItem Enum.Material.Plastic nil true nil"]
    );
    assert!(place.script_errors(Side::Server)?.is_empty());

    assert!(matches!(
        place.fire_client(client, "ReplicatedStorage.Net.Buy", vec![]),
        Err(MockError::NotARemoteEvent { .. })
    ));
    assert!(matches!(
        place.fire_client(client, "ReplicatedStorage.Net.Nope", vec![]),
        Err(MockError::NotFound(_))
    ));
    Ok(())
}

#[test]
fn unreliable_events_have_a_size_limit_and_can_be_dropped_or_reordered() -> Result<(), MockError> {
    let mut place = place_with_remotes()?;
    let client = place.add_client("Alice")?;
    let c = Side::Client(client);
    place.run(Side::Server, "_G.got = {} game.ReplicatedStorage.Net.Move.OnServerEvent:Connect(function(_, i) table.insert(_G.got, i) end)")?;
    place.run(
        c,
        r#"
        local move = game.ReplicatedStorage.Net.Move
        move:FireServer(buffer.create(997)) -- 1 + 2 + 997 bytes: at the limit
        move:FireServer(buffer.create(998)) -- over it: dropped with a warning
        "#,
    )?;
    let warnings = place.output(c)?;
    assert_eq!(warnings.len(), 1);
    assert_eq!(
        warnings[0].text,
        "UnreliableRemoteEvent ReplicatedStorage.Net.Move: payload of 1001 bytes exceeds the 1000-byte limit and was dropped"
    );
    place.step(DT)?;
    assert_eq!(place.eval_as::<f64>(Side::Server, "#_G.got")?, 1.0);

    let run = |seed: u64| -> Result<Vec<f64>, MockError> {
        let mut place = place_with_remotes()?;
        let client = place.add_client("Alice")?;
        place.set_unreliable_faults(Some(UnreliableFaults {
            drop_probability: 0.3,
            reorder: true,
            seed,
        }));
        place.run(Side::Server, "_G.got = {} game.ReplicatedStorage.Net.Move.OnServerEvent:Connect(function(_, i) table.insert(_G.got, i) end)")?;
        place.run(
            Side::Client(client),
            "for i = 1, 50 do game.ReplicatedStorage.Net.Move:FireServer(i) end",
        )?;
        place.step(DT)?;
        place.eval_as::<Vec<f64>>(Side::Server, "_G.got")
    };
    let first = run(7)?;
    assert_eq!(first, run(7)?, "the same seed gives the same run");
    assert!(
        first.len() < 50 && first.len() > 20,
        "about 30% dropped: {}",
        first.len()
    );
    assert!(first.windows(2).any(|w| w[0] > w[1]), "reordered");
    Ok(())
}

#[test]
fn remote_functions_round_trip() -> Result<(), MockError> {
    let mut place = place_with_remotes()?;
    let client = place.add_client("Alice")?;
    let c = Side::Client(client);
    place.run(
        Side::Server,
        r#"
        game.ReplicatedStorage.Net.Buy.OnServerInvoke = function(player, item, n)
            if n > 10 then error("too many") end
            return true, player.Name .. " bought " .. n .. " " .. item
        end
        "#,
    )?;
    place.run(
        c,
        r#"
        local buy = game.ReplicatedStorage.Net.Buy
        print(buy:InvokeServer("apple", 3))
        print(pcall(buy.InvokeServer, buy, "apple", 11))
        "#,
    )?;
    place.step_n(4, DT)?;
    let out = texts(&place, c)?;
    assert_eq!(out[0], "true Alice bought 3 apple");
    assert!(
        out[1].starts_with("false ServerScriptService.Script:3: too many"),
        "{}",
        out[1]
    );
    Ok(())
}
