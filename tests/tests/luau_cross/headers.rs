//! What travels besides the values: datagrams of `@unreliable` events, the
//! sequence numbers of `@ordered` ones, message ids wider than a byte, and
//! one message sent to several players.

use std::time::Duration;

use tether_runtime::types::{Color3, Ref, Vector3};
use tether_runtime::wire::{Reader, Writer};
use tether_runtime::{Channel, Packet};
use tether_tests::game;
use tether_tests::types as t;

use super::case::{hex, nominal};
use super::harness::{Cross, DT};
use super::lv::{Lv, ToLv};

fn game() -> Cross {
    Cross::new("../schemas/game.tether", "game")
}

fn rust_datagrams(packets: Vec<(tether_runtime::Player, Packet)>) -> Vec<Vec<u8>> {
    packets
        .into_iter()
        .map(|(_, p)| {
            assert_eq!(p.channel, Channel::Unreliable);
            p.bytes
        })
        .collect()
}

/// `@unreliable @ordered`: each datagram carries the sender's count of that
/// event to that receiver, from 0, after the id. Luau counts as Rust does,
/// and both receivers drop a datagram older than the last one taken.
#[test]
fn ordered_unreliable_events_count_as_rust_does() {
    let mut cross = game();
    let looks = [
        (1.0, 2.0, 3.0, 0.5),
        (4.0, 5.0, 6.0, 45.0),
        (7.0, 8.0, 9.0, 0.0),
    ];

    let server = game::Server::new();
    let player = server.runtime().connect_player();
    for (x, y, z, spread) in looks {
        server
            .combat()
            .aim()
            .fire_client(&player, Vector3::new(x, y, z), spread)
            .expect("sends");
    }
    let rust = rust_datagrams(server.runtime().take_packets());
    assert_eq!(rust.len(), 3);

    // Rust's datagrams to both clients, the last before the middle one: the
    // middle one arrives stale and is dropped.
    let client = cross.client_side();
    let rust_client = game::Client::new();
    for i in [0, 2, 1] {
        cross.fire_to_client(true, &rust[i], &[]);
        rust_client.runtime().receive_packet(&Packet {
            channel: Channel::Unreliable,
            bytes: rust[i].clone(),
            instances: Vec::new(),
        });
    }
    rust_client.runtime().poll(Duration::ZERO);
    let stats = rust_client.runtime().stats();
    assert_eq!((stats.messages_received, stats.stale_dropped), (3, 1));
    assert_eq!(
        cross.take_events(client),
        ["Combat.Aim", "Combat.Aim"].map(String::from)
    );
    let stale: u32 = cross
        .eval(client, "return X.T.Stats.staleDropped")
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(stale, 1);

    cross.take_client_frames();
    for (x, y, z, spread) in looks {
        cross
            .server_sends(&format!(
                "X.Net.Combat.Aim:FireClient(game.Players.Alice, Vector3.new({x}, {y}, {z}), {spread})"
            ))
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let luau: Vec<Vec<u8>> = cross
        .take_client_frames()
        .into_iter()
        .map(|f| {
            assert!(f.unreliable, "a datagram");
            f.bytes
        })
        .collect();
    assert_eq!(
        luau.iter().map(|b| hex(b)).collect::<Vec<_>>(),
        rust.iter().map(|b| hex(b)).collect::<Vec<_>>()
    );
    // The sequence numbers: the u16 after the id's bit byte. (The Luau client,
    // past Rust's 2 already, drops these as stale.)
    let seqs: Vec<u16> = luau
        .iter()
        .map(|b| u16::from_le_bytes([b[1], b[2]]))
        .collect();
    assert_eq!(seqs, [0, 1, 2]);
}

/// A plain `@unreliable` event: one datagram per firing, no sequence number.
#[test]
fn unreliable_events_are_datagrams_of_rusts_bytes() {
    let mut cross = game();
    let at = Vector3::new(1.5, -2.0, 1e9);
    let tint = Color3::new(0.25, 0.5, 1.0);
    let material = tether::roblox::enums::Material::Neon;
    let shape = game::Shape::Box {
        size: Vector3::new(2.0, 3.0, 4.0),
    };
    let server = game::Server::new();
    let player = server.runtime().connect_player();
    server
        .combat()
        .effects()
        .burst()
        .fire_client(&player, at, shape, tint, material)
        .expect("sends");
    let rust = rust_datagrams(server.runtime().take_packets());

    let args = [
        at.lv(),
        Lv::record([
            ("type", Lv::str("Box")),
            ("size", Vector3::new(2.0, 3.0, 4.0).lv()),
        ]),
        tint.lv(),
        Lv::Raw("Enum.Material.Neon".into()),
    ];
    let source: Vec<String> = args.iter().map(|a| cross.render(a, false, false)).collect();
    cross
        .server_sends(&format!(
            "X.Net.Combat.Effects.Burst:FireClient(game.Players.Alice, {})",
            source.join(", ")
        ))
        .unwrap_or_else(|e| panic!("{e}"));
    let luau: Vec<Vec<u8>> = cross
        .take_client_frames()
        .into_iter()
        .map(|f| {
            assert!(f.unreliable);
            f.bytes
        })
        .collect();
    assert_eq!(luau.len(), 1);
    assert_eq!(hex(&luau[0]), hex(&rust[0]));
    cross
        .expect_args(cross.client_side(), "Combat.Effects.Burst", &args)
        .unwrap_or_else(|e| panic!("{e}"));

    cross.fire_to_client(true, &rust[0], &[]);
    cross
        .expect_args(cross.client_side(), "Combat.Effects.Burst", &args)
        .unwrap_or_else(|e| panic!("{e}"));
}

/// A schema of 300 server → client messages: ids of 9 bits, which take a
/// second bit byte after the first. The sequence number of an `@ordered`
/// event follows that second byte.
#[test]
fn ordered_events_behind_nine_bit_ids_keep_their_sequence_number_whole() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("luau_cross");
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let path = dir.join("wide.tether");
    let mut schema = String::new();
    for i in 0..299 {
        schema.push_str(&format!("remote event E{i}: server -> client (v: u8)\n"));
    }
    schema.push_str("@unreliable @ordered\nremote event Aim: server -> client (v: u8)\n");
    std::fs::write(&path, schema).expect("the schema is written");
    let path: &'static str = Box::leak(path.to_string_lossy().into_owned().into_boxed_str());
    let mut cross = Cross::new(path, "wide");

    let expected: Vec<String> = (0..3u16)
        .map(|seq| {
            let mut w = Writer::new();
            w.start_message();
            w.bits(299, 9);
            w.u16(seq);
            w.u8(5);
            hex(&w.take().0)
        })
        .collect();
    assert_eq!(expected[1], "2B 01 01 00 05");
    for _ in 0..3 {
        cross
            .server_sends("X.Net.Aim:FireClient(game.Players.Alice, 5)")
            .unwrap_or_else(|e| panic!("{e}"));
    }
    let luau: Vec<String> = cross
        .take_client_frames()
        .into_iter()
        .map(|f| hex(&f.bytes))
        .collect();
    assert_eq!(luau, expected);
    let client = cross.client_side();
    assert_eq!(cross.rejected(client), 0);
    assert_eq!(
        cross.take_events(client),
        ["Aim", "Aim", "Aim"].map(String::from)
    );

    let mut r = Reader::new(&[0x2B, 0x01, 0x02, 0x00, 0x05]);
    r.start_message();
    assert_eq!((r.bits(9), r.u16(), r.u8()), (Ok(299), Ok(2), Ok(5)));
}

/// One message to several players is encoded once and joins each player's
/// frame; each frame has its own instance list.
#[test]
fn a_message_to_several_players_reaches_each_with_its_instances() {
    let mut cross = Cross::types();
    let alice = cross.client_side();
    let bob = cross.add_client("Bob");
    let carol = cross.add_client("Carol");
    cross.place.step(DT).expect("a step");
    let (part, model) = (cross.pool.parts[0], cross.pool.models[0]);
    let refs = t::Refs {
        a: Some(Ref::new(part)),
        b: Some(Ref::new(model)),
        c: Some(Ref::new(part)),
    };
    let (expected, ids) = nominal!(Refs)
        .encode(&refs)
        .unwrap_or_else(|e| panic!("{e}"));
    let frame = (
        hex(&expected),
        ids.iter().copied().map(Some).collect::<Vec<_>>(),
    );
    let source = cross.render(&refs.lv(), false, false);
    for (call, receivers) in [
        (
            format!("X.Net.SendRefs:FireAllClients({source})"),
            vec![alice, bob, carol],
        ),
        (
            format!(
                "X.Net.SendRefs:FireClients({{ game.Players.Alice, game.Players.Bob }}, {source})"
            ),
            vec![alice, bob],
        ),
        (
            format!("X.Net.SendRefs:FireAllClientsExcept(game.Players.Carol, {source})"),
            vec![alice, bob],
        ),
    ] {
        let result = cross.server_sends(&call);
        let got: Vec<Vec<(String, Vec<_>)>> = [alice, bob, carol]
            .into_iter()
            .map(|side| {
                cross
                    .take_frames(side)
                    .iter()
                    .map(|f| (hex(&f.bytes), f.instances.clone()))
                    .collect()
            })
            .collect();
        result.unwrap_or_else(|e| panic!("{call}: {e}"));
        for (side, frames) in [alice, bob, carol].into_iter().zip(got) {
            if receivers.contains(&side) {
                assert_eq!(frames, std::slice::from_ref(&frame), "{call}: {side:?}");
            } else {
                assert!(frames.is_empty(), "{call}: {side:?}");
            }
        }
    }
}
