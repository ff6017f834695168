//! The reverse of `rust_server.rs`: the generated Luau server of
//! `schemas/game.tether` and a client of the Rust runtime (`game::Client`),
//! talking through the mock Roblox engine.

use crate::common;
use crate::game as luau_game;

use std::time::Duration;

use common::Log;
use luau_game::{Game, DT};
use tether_roblox_mock::{NetId, Side, WireValue};
use tether_runtime::raw::RawClient;
use tether_runtime::types::{InstanceId, Ref, Vector3};
use tether_runtime::{Channel, InvokeError, Packet};
use tether_tests::game::{self, combat::Hit, Team};

const GAME: &str = "../schemas/game.tether";

/// The reverse pairing: the generated Luau server and a Rust client
/// (`game::Client`), which a bare mock client's slot carries: its packets are
/// fired raw at the server's remotes, and a LocalScript collects what the
/// server fires at it. Instance ids are the mock's NetIds.
#[test]
fn a_luau_server_and_a_rust_client() {
    let mut game = Game::new(GAME);
    game.server(
        r#"
        local target = Instance.new("Part") target.Name = "Target" target.Parent = workspace
        Net.Chat.OnServerEvent:Connect(function(player, message, team)
            print("chat", player.Name, message, team)
            Net.Combat.HitConfirmed:FireClient(player, { Target = nil, Damage = #message, Critical = true, Knockback = Vector3.new(1, 2, 3) })
        end)
        Net.Spectate.OnServerEvent:Connect(function(player, who, focus) print("spectate", show(who), show(focus)) end)
        Net.Shop.Buy.OnServerInvoke = function(player, item, quantity) return item == 7, `{quantity} x {item}` end
        "#,
    );
    let slot = game.place.add_client("Rusty").unwrap();
    game.place
        .run(
            Side::Client(slot),
            r#"
            _G.inbox = {}
            local folder = game.ReplicatedStorage.Tether.game
            for _, name in { "Reliable", "Unreliable" } do
                folder[name].OnClientEvent:Connect(function(b, list)
                    table.insert(_G.inbox, { name, b, list })
                end)
            end
            "#,
        )
        .unwrap();
    let rusty = game::Client::new();
    let hits = Log::default();
    let seen = hits.clone();
    let _h = rusty
        .combat()
        .hit_confirmed()
        .connect(move |hit| seen.push(hit));
    rusty
        .confirm_teleport()
        .on_invoke(|destination| Ok(destination == "spawn"));
    let mut now = Duration::ZERO;
    let mut exchange = |game: &mut Game| {
        for packet in rusty.runtime().take_packets() {
            let list = packet
                .instances
                .iter()
                .map(|id| id.map_or(WireValue::Nil, |id| WireValue::Instance(NetId(id.0))))
                .collect();
            let remote = match packet.channel {
                Channel::Reliable => "ReplicatedStorage.Tether.game.Reliable",
                Channel::Unreliable => "ReplicatedStorage.Tether.game.Unreliable",
            };
            game.place
                .fire_server_raw(
                    slot,
                    remote,
                    vec![WireValue::Buffer(packet.bytes), WireValue::Array(list)],
                )
                .unwrap();
        }
        game.step();
        let inbox = game.place.eval(Side::Client(slot), "_G.inbox").unwrap();
        game.place
            .eval(Side::Client(slot), "table.clear(_G.inbox)")
            .unwrap();
        if let Some(WireValue::Array(firings)) = inbox.first() {
            for firing in firings {
                let WireValue::Array(parts) = firing else {
                    panic!("{firing:?}")
                };
                let channel = if parts[0] == WireValue::from("Reliable") {
                    Channel::Reliable
                } else {
                    Channel::Unreliable
                };
                let WireValue::Buffer(bytes) = &parts[1] else {
                    panic!("{parts:?}")
                };
                let instances = match parts.get(2) {
                    Some(WireValue::Array(items)) => items
                        .iter()
                        .map(|v| match v {
                            WireValue::Instance(net) => Some(InstanceId(net.0)),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                rusty.runtime().receive_packet(&Packet {
                    channel,
                    bytes: bytes.clone(),
                    instances,
                });
            }
        }
        now += Duration::from_secs_f64(DT);
        rusty.runtime().poll(now);
    };

    let target = game
        .place
        .net_id(Side::Server, "Workspace.Target")
        .unwrap()
        .unwrap();
    rusty
        .chat()
        .fire_server("from rust".into(), Team::Red)
        .unwrap();
    rusty
        .spectate()
        .fire_server(None, Some(Ref::new(InstanceId(target.0))))
        .unwrap();
    let mut purchase = rusty.shop().buy().invoke_server(7, 2);
    for _ in 0..4 {
        exchange(&mut game);
    }
    assert_eq!(
        game.printed(Side::Server),
        ["chat Rusty from rust Red", "spectate nil Workspace.Target"]
    );
    assert_eq!(
        hits.take(),
        [Hit {
            target: None,
            damage: 9,
            critical: true,
            knockback: Vector3::new(1.0, 2.0, 3.0)
        }]
    );
    assert_eq!(
        purchase.try_result(),
        Some(Ok((true, Some("2 x 7".to_string()))))
    );

    game.server(
        r#"
        task.spawn(function()
            print("teleport", try(function() return Net.ConfirmTeleport:InvokeClient(game.Players.Rusty, "spawn") end))
        end)
        "#,
    );
    for _ in 0..4 {
        exchange(&mut game);
    }
    assert_eq!(game.printed(Side::Server), ["teleport ok true"]);
    assert!(game.eval::<bool>(Side::Server, "next(T.Stats.rejected) == nil"));

    // A purchase of 11, past quantity's u8(1..10), written by hand beside a
    // good chat: the Luau server refuses the call alone and says why, and
    // the chat is handled.
    let buy = rusty
        .runtime()
        .protocol()
        .to_server
        .iter()
        .position(|m| m.name == "Shop.Buy (request)")
        .expect("a request") as u16;
    let mut refused = rusty.runtime().invoke_server(buy, |w| {
        w.u32(1);
        w.bits(10, 4); // quantity − 1 in 4 bits: 11
        Ok(())
    });
    rusty
        .chat()
        .fire_server("still heard".into(), Team::Blue)
        .unwrap();
    for _ in 0..4 {
        exchange(&mut game);
    }
    assert_eq!(game.printed(Side::Server), ["chat Rusty still heard Blue"]);
    match refused.try_result() {
        Some(Err(InvokeError::Rejected(reason))) => {
            assert_eq!(reason, "number out of range")
        }
        other => panic!("expected the arguments refused, got {other:?}"),
    }

    // A Luau handler that waits holds its call: past 64 of Rusty's at once,
    // the Luau server answers `busy`, which the Rust client reads as Busy.
    game.server(r#"Net.Shop.Prices.OnServerInvoke = function() task.wait(60) return {} end"#);
    let mut calls: Vec<_> = (0..66)
        .map(|_| rusty.shop().prices().invoke_server())
        .collect();
    for _ in 0..4 {
        exchange(&mut game);
    }
    let results: Vec<_> = calls.iter_mut().map(|call| call.try_result()).collect();
    assert!(results[..64].iter().all(Option::is_none), "{results:?}");
    assert_eq!(
        results[64..],
        [Some(Err(InvokeError::Busy)), Some(Err(InvokeError::Busy))]
    );
    assert_eq!(game.stat(Side::Server, "callsBusy"), 2.0);
    game.assert_quiet();
}
