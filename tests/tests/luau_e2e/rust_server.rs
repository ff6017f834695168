//! One schema, two implementations: the Rust runtime's server
//! (`tether_tests::game`, generated Rust of `schemas/game.tether`) and the
//! generated Luau clients, talking through the mock Roblox engine. A bridge
//! (`bridge.rs`) plays the transport: what the Luau clients
//! fire at the protocol's remotes is intercepted and fed to the Rust
//! server; what the Rust server sends is fired at the clients. The reverse
//! pairing is in `rust_client.rs`.

use crate::bridge as luau_bridge;
use crate::common;
use crate::game as luau_game;

use std::collections::HashMap;

use common::Log;
use luau_bridge::{protocol_folder, Bridge, GAME};
use luau_game::Game;
use tether::roblox::enums::{KeyCode, Material};
use tether_roblox_mock::{ClientId, Side, UnreliableFaults};
use tether_runtime::types::{
    BrickColor, CFrame, Color3, ColorSequence, ColorSequenceKeypoint, DateTime, InstanceId,
    Matrix3, NumberRange, NumberSequence, NumberSequenceKeypoint, Rect, Ref, UDim, UDim2, Value,
    Vector2, Vector3,
};
use tether_runtime::{InvokeError, Player};
use tether_tests::game::{self, combat::Hit};
use tether_tests::game::{Item, Loadout, Rarity, Session, Shape, Team};

fn close(a: f32, b: f32) -> bool {
    (a - b).abs() < 1e-3
}

#[test]
fn luau_clients_events_reach_the_rust_server() {
    let mut bridge = Bridge::new();
    let (alice, _) = bridge.join("Alice");
    let (bob, bob_player) = bridge.join("Bob");
    bridge.step();
    let chats = Log::default();
    let seen = chats.clone();
    let _c = bridge
        .server
        .chat()
        .connect(move |p, message, team| seen.push((p.name.clone(), message, team)));
    let attacks = Log::default();
    let seen = attacks.clone();
    let _a = bridge
        .server
        .combat()
        .attack()
        .connect(move |p, aim, weapon| seen.push((p.name.clone(), aim, weapon)));
    let equips = Log::default();
    let seen = equips.clone();
    let _e = bridge
        .server
        .equip()
        .connect(move |_, loadout, key| seen.push((loadout, key)));
    let spectates = Log::default();
    let seen = spectates.clone();
    let _s = bridge.server.spectate().connect(move |p, who, focus| {
        seen.push((p.name.clone(), who.map(|r| r.id()), focus.map(|r| r.id())))
    });
    let aims = Log::default();
    let seen = aims.clone();
    let _m = bridge
        .server
        .combat()
        .aim()
        .connect(move |_, look, spread| seen.push((look, spread)));
    let legacy = Log::default();
    let seen = legacy.clone();
    #[allow(deprecated)]
    let _l = bridge
        .server
        .legacy_chat()
        .connect(move |_, message| seen.push(message));

    bridge.game.client(
        alice,
        r#"
        Net.Chat:FireServer("héllo", "Blue")
        Net.Combat.Attack:FireServer(CFrame.new(1, 2, 3) * CFrame.Angles(0, math.pi / 2, 0), 4294967295)
        Net.Equip:FireServer({
            Primary = { Id = 7, Name = "Sword", Rarity = "Rare", Stack = 999, Tint = Color3.new(1, 0.5, 0.25) },
            Secondary = { Id = 8, Name = "Shield", Rarity = "Common", Stack = 1 },
            Perks = { "Swift", "Stout", "Sly" },
        }, Enum.KeyCode.E)
        Net.Spectate:FireServer(game.Players.Bob, workspace.Target)
        Net.Spectate:FireServer(nil, Instance.new("Part", workspace)) -- the server cannot see it
        Net.Combat.Aim:FireServer(Vector3.new(0.5, -1, 2), 45)
        Net.LegacyChat:FireServer("")
        "#,
    );
    bridge
        .game
        .client(bob, r#"Net.Chat:FireServer("yo", "Spectator")"#);
    bridge.steps(2);

    assert_eq!(
        chats.take(),
        [
            ("Alice".to_string(), "héllo".to_string(), Team::Blue),
            ("Bob".to_string(), "yo".to_string(), Team::Spectator),
        ]
    );
    let attacks = attacks.take();
    assert_eq!(attacks.len(), 1);
    let (who, aim, weapon) = &attacks[0];
    assert_eq!((who.as_str(), *weapon), ("Alice", 4_294_967_295));
    assert_eq!(aim.position, Vector3::new(1.0, 2.0, 3.0));
    let rows = [aim.orientation.x, aim.orientation.y, aim.orientation.z];
    let expected = [[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [-1.0, 0.0, 0.0]];
    for (row, want) in rows.iter().zip(expected) {
        assert!(
            close(row.x, want[0]) && close(row.y, want[1]) && close(row.z, want[2]),
            "a quarter turn about Y: {rows:?}"
        );
    }
    let item = |id, name: &str, rarity, stack, tint| Item {
        id,
        name: name.into(),
        rarity,
        stack,
        tint,
    };
    assert_eq!(
        equips.take(),
        [(
            Loadout {
                primary: item(
                    7,
                    "Sword",
                    Rarity::Rare,
                    999,
                    Some(Color3::new(1.0, 0.5, 0.25))
                ),
                secondary: Some(item(8, "Shield", Rarity::Common, 1, None)),
                perks: vec!["Swift".into(), "Stout".into(), "Sly".into()],
            },
            KeyCode::E
        )]
    );
    assert_eq!(
        spectates.take(),
        [
            (
                "Alice".to_string(),
                bob_player.instance,
                Some(bridge.id("Workspace.Target"))
            ),
            ("Alice".to_string(), None, None),
        ]
    );
    assert_eq!(aims.take(), [(Vector3::new(0.5, -1.0, 2.0), 45.0)]);
    assert_eq!(legacy.take(), [String::new()]);
    assert_eq!(bridge.server.runtime().stats().rejected.total(), 0);
    bridge.game.assert_quiet();
}

#[test]
fn the_rust_server_reaches_luau_clients_with_every_kind_of_value() {
    let mut bridge = Bridge::new();
    let (alice, alice_player) = bridge.join("Alice");
    let (bob, _) = bridge.join("Bob");
    for client in [alice, bob] {
        bridge.game.client(
            client,
            r#"
            for _, path in { "Combat.HitConfirmed", "Combat.Aim", "Combat.Effects.Burst", "Shop.Restocked",
                "Announce", "SpawnPreview", "Telemetry", "Welcome" } do
                local remote = Net
                for part in string.gmatch(path, "[^.]+") do remote = remote[part] end
                remote.OnClientEvent:Connect(function(...) print(path, args(...)) end)
            end
            "#,
        );
    }
    let s = &bridge.server;
    let (enemy, vault, target, sword) = (
        bridge.id("Workspace.Enemy"),
        bridge.id("ServerStorage.Vault"),
        bridge.id("Workspace.Target"),
        bridge.id("ReplicatedStorage.Sword"),
    );
    let hit = |target: Option<InstanceId>, damage| Hit {
        target: target.map(Ref::new),
        damage,
        critical: damage > 50,
        knockback: Vector3::new(0.0, 1.0, -2.5),
    };
    s.combat()
        .hit_confirmed()
        .fire_all_clients(hit(Some(enemy), 65535))
        .unwrap();
    s.combat()
        .hit_confirmed()
        .fire_client(&alice_player, hit(Some(vault), 1))
        .unwrap();
    let p = &alice_player;
    s.combat()
        .aim()
        .fire_client(p, Vector3::new(0.5, -1.0, 2.0), 45.0)
        .unwrap();
    let burst = s.combat().effects().burst();
    burst
        .fire_client(
            p,
            Vector3::new(1.0, 2.0, 3.0),
            Shape::Circle { radius: 2.5 },
            Color3::new(0.0, 0.5, 1.0),
            Material::Neon,
        )
        .unwrap();
    burst
        .fire_client(
            p,
            Vector3::new(1.0, 1.0, 1.0),
            Shape::Box {
                size: Vector3::new(4.0, 5.0, 6.0),
            },
            Color3::new(1.0, 1.0, 1.0),
            Material::Plastic,
        )
        .unwrap();
    burst
        .fire_client(
            p,
            Vector3::new(0.0, 0.0, 0.0),
            Shape::Point,
            Color3::new(0.0, 0.0, 0.0),
            Material::Rubber,
        )
        .unwrap();
    let items = vec![
        Item {
            id: 1,
            name: "Sword".into(),
            rarity: Rarity::Legendary,
            stack: 999,
            tint: Some(Color3::new(1.0, 0.0, 0.0)),
        },
        Item {
            id: u32::MAX,
            name: "Ax".into(),
            rarity: Rarity::Common,
            stack: 1,
            tint: None,
        },
    ];
    s.shop()
        .restocked()
        .fire_client(p, items, DateTime::from_unix_millis(1_700_000_000_123))
        .unwrap();
    s.shop()
        .restocked()
        .fire_client(p, vec![], DateTime::from_unix_millis(-5))
        .unwrap();
    let scores = HashMap::from([(Team::Red, 3), (Team::Spectator, 0)]);
    let board = HashMap::from([("Alice".to_string(), 10), (String::new(), u32::MAX)]);
    s.announce()
        .fire_client(p, "gg".into(), alice_player.instance(), scores, board)
        .unwrap();
    let colors = ColorSequence {
        keypoints: vec![
            ColorSequenceKeypoint::new(0.0, Color3::new(1.0, 0.0, 0.0)),
            ColorSequenceKeypoint::new(0.5, Color3::new(0.0, 1.0, 0.0)),
            ColorSequenceKeypoint::new(1.0, Color3::new(0.0, 0.0, 1.0)),
        ],
    };
    let fade = NumberSequence {
        keypoints: vec![
            NumberSequenceKeypoint::new(0.0, 1.0, 0.5),
            NumberSequenceKeypoint::new(1.0, 0.0, 0.0),
        ],
    };
    let ui = UDim2::new(UDim::new(0.5, -10), UDim::new(1.0, 20));
    s.spawn_preview()
        .fire_client(p, Some(Ref::new(sword)), ui, colors.clone(), fade.clone())
        .unwrap();
    let s_ = |t: &str| Value::String(t.into());
    let payload = Value::Map(vec![
        (
            s_("nested"),
            Value::Array(vec![
                Value::Number(1.0),
                s_("two"),
                Value::Bool(true),
                Value::Bool(false),
                Value::Buffer(vec![0, 255]),
            ]),
        ),
        (Value::Number(1.5), Value::Vector2(Vector2::new(1.0, 2.0))),
        (s_("vec"), Value::Vector3(Vector3::new(1.0, 2.0, 3.0))),
        (s_("part"), Value::Instance(Some(target))),
        (s_("hidden"), Value::Instance(Some(vault))),
        (
            s_("item"),
            Value::EnumItem {
                enum_name: "Material".into(),
                value: 1568,
            },
        ),
        (s_("date"), Value::DateTime(DateTime::from_unix_millis(42))),
        (s_("color"), Value::Color3(Color3::new(0.25, 0.5, 1.0))),
        (
            s_("brick"),
            Value::BrickColor(BrickColor::from_number(21).unwrap()),
        ),
        (s_("udim"), Value::UDim(UDim::new(0.5, 3))),
        (
            s_("udim2"),
            Value::UDim2(UDim2::new(UDim::new(1.0, 2), UDim::new(3.0, 4))),
        ),
        (
            s_("rect"),
            Value::Rect(Rect::new(Vector2::new(1.0, 2.0), Vector2::new(3.0, 4.0))),
        ),
        (s_("range"), Value::NumberRange(NumberRange::new(1.0, 2.0))),
        (
            s_("cf"),
            Value::CFrame(CFrame::new(
                Vector3::new(1.0, 2.0, 3.0),
                Matrix3::identity(),
            )),
        ),
        (s_("seq"), Value::NumberSequence(fade)),
        (s_("colors"), Value::ColorSequence(colors)),
        (s_("empty"), Value::Array(vec![])),
        (s_("nan"), Value::Number(f64::NAN)),
        (Value::Bool(true), Value::Nil),
    ]);
    let area = Rect::new(Vector2::new(0.0, 0.0), Vector2::new(10.0, 20.0));
    let brick = BrickColor::from_number(194).unwrap();
    s.telemetry()
        .fire_client(
            p,
            payload,
            f64::NEG_INFINITY,
            NumberRange::new(-1.0, 1.0),
            area,
            brick,
            UDim::new(0.25, -7),
            Vector2::new(-3.0, 4.0),
        )
        .unwrap();
    let session = |seed| Session {
        token: "abcdefgh".into(),
        started: -1_700_000_000_000,
        seed,
        offset: -5,
        ratio: 0.75,
        heat: 1e300,
        flags: 0b1010_0101,
        recent_names: vec!["Alice".into(), "Bob".into()],
        blob: vec![0, 1, 2, 255],
        ids: vec![i32::MIN, 0, i32::MAX],
    };
    s.welcome()
        .fire_client(p, session((1 << 53) - 1), Some(Team::Spectator))
        .unwrap();
    s.welcome().fire_client(p, session(u64::MAX), None).unwrap();
    bridge.steps(2);

    let mut got = bridge.game.printed(Side::Client(alice));
    // Datagrams go out at once, each apart from the tick's reliable frame.
    got.sort_by_key(|l| !(l.starts_with("Combat.Aim") || l.starts_with("Combat.Effects")));
    let expected = [
        "Combat.Aim Vector3(0.5, -1, 2), 45",
        r#"Combat.Effects.Burst Vector3(1, 2, 3), {["radius"]=2.5, ["type"]="Circle"}, Color3(0, 0.5, 1), Enum.Material.Neon"#,
        r#"Combat.Effects.Burst Vector3(1, 1, 1), {["size"]=Vector3(4, 5, 6), ["type"]="Box"}, Color3(1, 1, 1), Enum.Material.Plastic"#,
        r#"Combat.Effects.Burst Vector3(0, 0, 0), {["type"]="Point"}, Color3(0, 0, 0), Enum.Material.Rubber"#,
        r#"Combat.HitConfirmed {["Critical"]=true, ["Damage"]=65535, ["Knockback"]=Vector3(0, 1, -2.5), ["Target"]=Workspace.Enemy}"#,
        // The vault is the server's alone: its reference arrives as nil.
        r#"Combat.HitConfirmed {["Critical"]=false, ["Damage"]=1, ["Knockback"]=Vector3(0, 1, -2.5)}"#,
        r#"Shop.Restocked {{["Id"]=1, ["Name"]="Sword", ["Rarity"]="Legendary", ["Stack"]=999, ["Tint"]=Color3(1, 0, 0)}, {["Id"]=4294967295, ["Name"]="Ax", ["Rarity"]="Common", ["Stack"]=1}}, DateTime(1700000000123)"#,
        "Shop.Restocked {}, DateTime(-5)",
        r#"Announce "gg", Players.Alice, {["Red"]=3, ["Spectator"]=0}, {[""]=4294967295, ["Alice"]=10}"#,
        "SpawnPreview ReplicatedStorage.Sword, UDim2(0.5, -10, 1, 20), ColorSequence(0, 1, 0, 0; 0.5, 0, 1, 0; 1, 0, 0, 1), NumberSequence(0, 1, 0.5; 1, 0, 0)",
        r#"Telemetry {["brick"]=BrickColor(21), ["cf"]=CFrame(1, 2, 3, 1, 0, 0, 0, 1, 0, 0, 0, 1), ["color"]=Color3(0.25, 0.5, 1), ["colors"]=ColorSequence(0, 1, 0, 0; 0.5, 0, 1, 0; 1, 0, 0, 1), ["date"]=DateTime(42), ["empty"]={}, ["item"]=Enum.Material.Glass, ["nan"]=nan, ["nested"]={1, "two", true, false, buffer(00ff)}, ["part"]=Workspace.Target, ["range"]=NumberRange(1, 2), ["rect"]=Rect(1, 2, 3, 4), ["seq"]=NumberSequence(0, 1, 0.5; 1, 0, 0), ["udim"]=UDim(0.5, 3), ["udim2"]=UDim2(1, 2, 3, 4), ["vec"]=Vector3(1, 2, 3), [1.5]=Vector2(1, 2)}, -inf, NumberRange(-1, 1), Rect(0, 0, 10, 20), BrickColor(194), UDim(0.25, -7), Vector2(-3, 4)"#,
        r#"Welcome {["Blob"]=buffer(000102ff), ["Flags"]=165, ["Heat"]=1.0000000000000001e+300, ["Ids"]={-2147483648, 0, 2147483647}, ["Offset"]=-5, ["Ratio"]=0.75, ["RecentNames"]={"Alice", "Bob"}, ["Seed"]=9007199254740991, ["Started"]=-1700000000000, ["Token"]="abcdefgh"}, "Spectator""#,
        // Luau numbers hold 64-bit integers exactly up to 2^53: u64::MAX
        // arrives rounded (docs/luau.md).
        r#"Welcome {["Blob"]=buffer(000102ff), ["Flags"]=165, ["Heat"]=1.0000000000000001e+300, ["Ids"]={-2147483648, 0, 2147483647}, ["Offset"]=-5, ["Ratio"]=0.75, ["RecentNames"]={"Alice", "Bob"}, ["Seed"]=1.8446744073709552e+19, ["Started"]=-1700000000000, ["Token"]="abcdefgh"}, nil"#,
    ];
    assert_eq!(got, expected);
    assert_eq!(
        bridge.game.printed(Side::Client(bob)),
        [
            r#"Combat.HitConfirmed {["Critical"]=true, ["Damage"]=65535, ["Knockback"]=Vector3(0, 1, -2.5), ["Target"]=Workspace.Enemy}"#
        ],
        "fire_all_clients reaches Bob too"
    );
    bridge.game.assert_quiet();
}

#[test]
fn luau_calls_a_rust_handler_and_gets_its_answer_or_its_error() {
    common::quiet_panics();
    let mut bridge = Bridge::new();
    let (alice, _) = bridge.join("Alice");
    bridge
        .server
        .shop()
        .buy()
        .on_invoke(|player, item, quantity| match item {
            1 => Err("out of stock".into()),
            2 => panic!("on purpose: a handler that panics"),
            _ => Ok((
                true,
                Some(format!("{quantity} x {item} for {}", player.name)),
            )),
        });
    bridge.server.shop().prices().on_invoke(|_| {
        Ok(HashMap::from([
            ("Sword".to_string(), 100),
            (String::new(), u32::MAX),
        ]))
    });
    let call = |item: u32| {
        format!(
            "task.spawn(function() print({item}, try(function() return Net.Shop.Buy:InvokeServer({item}, 3) end)) end)"
        )
    };
    bridge
        .game
        .client(alice, &format!("{} {} {}", call(7), call(1), call(9)));
    bridge.game.client(
        alice,
        "task.spawn(function() print('prices', try(function() return Net.Shop.Prices:InvokeServer() end)) end)",
    );
    bridge.steps(3);
    let mut got = bridge.game.printed(Side::Client(alice));
    got.sort();
    assert_eq!(
        got,
        [
            "1 err HandlerError|Shop.Buy|out of stock",
            r#"7 ok true, "3 x 7 for Alice""#,
            "9 err RateLimited|Shop.Buy|the call broke its rate limit",
            r#"prices ok {[""]=4294967295, ["Sword"]=100}"#,
        ]
    );
    bridge.wait(1.0);
    bridge.game.client(alice, &call(2));
    bridge.steps(3);
    assert_eq!(
        bridge.game.printed(Side::Client(alice)),
        ["2 err HandlerError|Shop.Buy|the handler failed"],
        "a panic's message stays on the server"
    );
    assert_eq!(bridge.server.runtime().stats().handler_panics, 1);

    // A Rust handler that answers later holds its call: past 64 of Alice's
    // at once, the Rust server answers `busy`, which Luau reads as Busy.
    let held = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let keep = held.clone();
    bridge
        .server
        .shop()
        .prices()
        .on_invoke_later(move |_, reply| keep.lock().expect("not poisoned").push(reply));
    bridge.game.client(
        alice,
        "for i = 1, 66 do task.spawn(function() print(try(function() return Net.Shop.Prices:InvokeServer() end)) end) end",
    );
    bridge.steps(3);
    assert_eq!(held.lock().expect("not poisoned").len(), 64);
    assert_eq!(
        bridge.game.printed(Side::Client(alice)),
        ["err Busy|Shop.Prices|the peer is busy answering this side's earlier calls"; 2]
    );
    assert_eq!(bridge.server.runtime().stats().calls_busy, 2);
    bridge.game.assert_quiet();
}

#[test]
fn rust_calls_luau_handlers_and_gets_their_answers_or_errors() {
    let mut bridge = Bridge::new();
    let names = ["Alice", "Bob", "Carol", "Dave", "Erin"];
    let joined: Vec<(ClientId, Player)> = names.iter().map(|n| bridge.join(n)).collect();
    let handlers = [
        r#"Net.ConfirmTeleport.OnClientInvoke = function(d) return d == "spawn" end"#,
        r#"Net.ConfirmTeleport.OnClientInvoke = function(d) error("no teleports to " .. d, 0) end"#,
        "",
        r#"Net.ConfirmTeleport.OnClientInvoke = function() return "yes" end"#,
        r#"Net.ConfirmTeleport.OnClientInvoke = function() task.wait(3) return true end"#,
    ];
    for ((client, _), handler) in joined.iter().zip(handlers) {
        bridge.game.client(*client, handler);
    }
    let mut calls: Vec<_> = joined
        .iter()
        .map(|(_, p)| {
            bridge
                .server
                .confirm_teleport()
                .invoke_client(p, "spawn".into())
        })
        .collect();
    bridge.steps(4);
    let mut results: Vec<_> = calls.iter_mut().map(|c| c.try_result()).collect();
    assert_eq!(results[0], Some(Ok(true)));
    assert_eq!(
        results[1],
        Some(Err(InvokeError::Handler("no teleports to spawn".into())))
    );
    assert_eq!(results[2], Some(Err(InvokeError::NoHandler)));
    match results[3].take() {
        Some(Err(InvokeError::Protocol(text))) => {
            assert!(text.contains("expected a boolean, got \"yes\""), "{text}")
        }
        other => panic!("an invalid answer: {other:?}"),
    }
    assert_eq!(results[4], None, "Erin is still thinking");
    bridge.wait(2.0);
    assert_eq!(calls[4].try_result(), Some(Err(InvokeError::Timeout)));
    bridge.wait(1.5);
    assert_eq!(
        bridge.server.runtime().stats().unmatched_responses,
        1,
        "Erin's late answer"
    );

    // A player who leaves mid-call.
    let mut pending = bridge
        .server
        .confirm_teleport()
        .invoke_client(&joined[4].1, "again".into());
    bridge.steps(2);
    bridge.leave(joined[4].0);
    assert_eq!(pending.try_result(), Some(Err(InvokeError::Disconnected)));
    assert_eq!(
        bridge.game.warned(Side::Client(joined[3].0)),
        [
            r#"Tether: ConfirmTeleport.OnClientInvoke returned an invalid value: expected a boolean, got "yes""#
        ],
        "Dave's client says what was wrong with his handler's answer"
    );
    bridge.game.assert_quiet();
}

/// `@unreliable @ordered` Combat.Aim both ways through a network that
/// reorders datagrams: each side drops what arrives late, by the same
/// sequence numbers.
#[test]
fn ordered_unreliable_events_cross_both_ways() {
    let mut bridge = Bridge::new();
    let (alice, alice_player) = bridge.join("Alice");
    bridge
        .game
        .place
        .set_unreliable_faults(Some(UnreliableFaults {
            drop_probability: 0.0,
            reorder: true,
            seed: 11,
        }));
    let looks = Log::default();
    let seen = looks.clone();
    let _c = bridge
        .server
        .combat()
        .aim()
        .connect(move |_, look, _| seen.push(look.x));
    bridge.game.client(
        alice,
        r#"
        _G.got = {}
        Net.Combat.Aim.OnClientEvent:Connect(function(look) table.insert(_G.got, look.X) end)
        for i = 1, 30 do Net.Combat.Aim:FireServer(Vector3.new(i, 0, 0), 0) end
        "#,
    );
    for i in 1..=30 {
        bridge
            .server
            .combat()
            .aim()
            .fire_client(&alice_player, Vector3::new(i as f32, 0.0, 0.0), 0.0)
            .unwrap();
    }
    bridge.steps(3);
    let at_rust = looks.take();
    assert!(common::strictly_increasing(&at_rust), "{at_rust:?}");
    let stale = bridge.server.runtime().stats().stale_dropped;
    assert!(stale > 0);
    assert_eq!(at_rust.len() as u64 + stale, 30);
    let at_luau: Vec<f64> = bridge.game.eval(Side::Client(alice), "_G.got");
    assert!(common::strictly_increasing(&at_luau), "{at_luau:?}");
    let stale = bridge.game.stat(Side::Client(alice), "staleDropped");
    assert!(stale > 0.0);
    assert_eq!(at_luau.len() as f64 + stale, 30.0);
    bridge.game.assert_quiet();
}

/// A client generated from this schema accepts the Rust server's
/// fingerprint: both generators hash the schema alike.
#[test]
fn the_luau_client_accepts_the_rust_servers_fingerprint() {
    let mut game = Game::without_server(GAME);
    game.place
        .run(Side::Server, &protocol_folder(game::PROTOCOL.fingerprint))
        .unwrap();
    let alice = game.place.add_client("Alice").unwrap();
    game.place
        .run(
            Side::Client(alice),
            "require(game.ReplicatedStorage.Net.client)",
        )
        .expect("the same schema");

    let mut other = Game::without_server(GAME);
    other
        .place
        .run(
            Side::Server,
            &protocol_folder(game::PROTOCOL.fingerprint ^ 1),
        )
        .unwrap();
    let bob = other.place.add_client("Bob").unwrap();
    let error = other
        .place
        .run(
            Side::Client(bob),
            "require(game.ReplicatedStorage.Net.client)",
        )
        .unwrap_err()
        .to_string();
    assert!(error.contains("is not this client's"), "{error}");
}
