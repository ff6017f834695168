//! Remote events end to end: one server and several clients on a
//! `MemoryNetwork`, through the code generated from `schemas/game.tether`.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use common::{strictly_increasing, Game, Log};
use tether::roblox::enums::KeyCode;
use tether_runtime::roblox::classes;
use tether_runtime::types::{CFrame, Color3, DateTime, InstanceId, Matrix3, Ref, Vector3};
use tether_runtime::{InstanceRegistry, Player, Visibility, MAX_WAITING_BYTES, MAX_WAITING_EVENTS};
use tether_tests::game::combat::Hit;
use tether_tests::game::{Item, Loadout, Rarity, Session, Team};

fn sword() -> Item {
    Item {
        id: 7,
        name: "Sword".into(),
        rarity: Rarity::Rare,
        stack: 1,
        tint: Some(Color3::new(1.0, 0.5, 0.25)),
    }
}

fn loadout() -> Loadout {
    Loadout {
        primary: sword(),
        secondary: None,
        perks: vec!["Swift".into(), "Stout".into()],
    }
}

fn session() -> Session {
    Session {
        token: "abcdefgh".into(),
        started: -1_700_000_000_000,
        seed: u64::MAX,
        offset: -5,
        ratio: 0.75,
        heat: 1e300,
        flags: 0b1010_0101,
        recent_names: vec!["Alice".into(), "Bob".into()],
        blob: vec![0, 1, 2, 255],
        ids: vec![i32::MIN, 0, i32::MAX],
    }
}

fn hit(target: Option<InstanceId>, damage: u16) -> Hit {
    Hit {
        target: target.map(Ref::new),
        damage,
        critical: damage > 50,
        knockback: Vector3::new(0.0, 1.0, -2.5),
    }
}

fn aim_at(position: Vector3) -> CFrame {
    CFrame::new(position, Matrix3::identity())
}

#[test]
fn client_events_reach_the_server_with_the_sending_player() {
    let mut game = Game::new();
    let (alice, alice_client) = game.join();
    let (bob, bob_client) = game.join();
    let chats = Log::default();
    let seen = chats.clone();
    game.server
        .chat()
        .connect(move |player, message, team| seen.push((player.clone(), message, team)));
    let attacks = Log::default();
    let seen = attacks.clone();
    game.server
        .combat()
        .attack()
        .connect(move |player, aim, weapon| seen.push((player.id, aim.position, weapon)));
    let equips = Log::default();
    let seen = equips.clone();
    game.server
        .equip()
        .connect(move |player, loadout, key| seen.push((player.id, loadout, key)));

    alice_client
        .chat()
        .fire_server("gg".into(), Team::Red)
        .unwrap();
    bob_client
        .chat()
        .fire_server("wp".into(), Team::Blue)
        .unwrap();
    bob_client
        .combat()
        .attack()
        .fire_server(aim_at(Vector3::new(1.0, 2.0, 3.0)), 42)
        .unwrap();
    alice_client
        .equip()
        .fire_server(loadout(), KeyCode::E)
        .unwrap();
    assert!(chats.is_empty(), "nothing runs before the server polls");
    game.step();

    assert_eq!(
        chats.take(),
        [
            (alice.clone(), "gg".to_owned(), Team::Red),
            (bob.clone(), "wp".to_owned(), Team::Blue),
        ]
    );
    assert_eq!(attacks.take(), [(bob.id, Vector3::new(1.0, 2.0, 3.0), 42)]);
    assert_eq!(equips.take(), [(alice.id, loadout(), KeyCode::E)]);
    assert_eq!(game.server.runtime().stats().messages_received, 4);
}

#[test]
fn several_handlers_run_and_each_can_be_disconnected() {
    let mut game = Game::new();
    let (_alice, client) = game.join();
    let first = Log::default();
    let seen = first.clone();
    let first_connection = game.server.chat().connect(move |_, m, _| seen.push(m));
    let second = Log::default();
    let seen = second.clone();
    let second_connection = game.server.chat().connect(move |_, m, _| seen.push(m));

    client.chat().fire_server("one".into(), Team::Red).unwrap();
    game.step();
    assert_eq!(first.take(), ["one"]);
    assert_eq!(second.take(), ["one"]);

    first_connection.disconnect();
    client.chat().fire_server("two".into(), Team::Red).unwrap();
    game.step();
    assert!(first.is_empty(), "a disconnected handler runs no more");
    assert_eq!(second.take(), ["two"]);
    assert!(second_connection.is_connected());

    // With no handler left, the next event waits for one.
    second_connection.disconnect();
    client
        .chat()
        .fire_server("three".into(), Team::Red)
        .unwrap();
    game.step();
    assert!(first.is_empty() && second.is_empty());
    assert_eq!(game.server.runtime().stats().events_waiting, 1);
}

#[test]
fn each_handler_gets_its_own_copy_of_one_decoded_message() {
    let mut game = Game::new();
    let (_alice, client) = game.join();
    let seen = Log::default();
    for _ in 0..3 {
        let seen = seen.clone();
        // Each takes its values by value and may consume them.
        game.server.chat().connect(move |_, mut message, _| {
            message.push('!');
            seen.push(message)
        });
    }
    client.chat().fire_server("hi".into(), Team::Blue).unwrap();
    game.step();
    assert_eq!(seen.take(), ["hi!", "hi!", "hi!"]);
    let stats = game.server.runtime().stats();
    assert_eq!((stats.messages_received, stats.undelivered), (1, 0));
}

#[test]
fn typed_handles_refuse_a_runtime_of_another_schema() {
    use tether_runtime::{ClientRuntime, ServerRuntime};
    let other = ClientRuntime::new(&tether_tests::edge::PROTOCOL);
    let refused = tether_tests::game::Client::try_from(other).expect_err("another schema");
    assert_eq!(refused.expected, "game");
    assert_eq!(refused.found, "edge");
    assert!(refused.to_string().contains("not `game`"), "{refused}");
    let own = ServerRuntime::new(&tether_tests::game::PROTOCOL);
    assert!(tether_tests::game::Server::try_from(own).is_ok());
}

#[test]
fn handlers_may_send_through_the_runtime_and_a_panic_stops_only_its_handler() {
    common::quiet_panics();
    let mut game = Game::new();
    let (alice, alice_client) = game.join();
    let (_bob, bob_client) = game.join();
    // The server relays each chat to everyone as an announcement.
    let server = game.server.clone();
    let host = game.server.clone();
    game.server.chat().connect(move |player, message, _| {
        let line = format!("{}: {message}", player.name);
        let board = HashMap::from([(player.name.clone(), 1)]);
        server
            .announce()
            .fire_all_clients(line, Some(Ref::new(InstanceId(1))), HashMap::new(), board)
            .unwrap();
    });
    game.server
        .chat()
        .connect(|_, _, _| panic!("on purpose: a chat handler panics"));
    let relayed = Log::default();
    let seen = relayed.clone();
    game.server
        .chat()
        .connect(move |_, message, _| seen.push(message));
    let heard = [Log::default(), Log::default()];
    for (client, log) in [&alice_client, &bob_client].into_iter().zip(&heard) {
        let seen = log.clone();
        client
            .announce()
            .connect(move |line, _, _, board| seen.push((line, board)));
    }

    alice_client
        .chat()
        .fire_server("hello".into(), Team::Red)
        .unwrap();
    game.step();
    assert_eq!(
        relayed.take(),
        ["hello"],
        "the handler after the panicking one ran"
    );
    assert_eq!(host.runtime().stats().handler_panics, 1);
    assert!(
        heard[0].is_empty(),
        "sent during this step, delivered at the next"
    );
    game.step();
    let expected = (
        format!("{}: hello", alice.name),
        HashMap::from([(alice.name.clone(), 1)]),
    );
    for log in &heard {
        assert_eq!(log.take(), std::slice::from_ref(&expected));
    }
}

#[test]
fn waiting_events_hold_at_most_a_mebibyte_of_messages() {
    let mut game = Game::new();
    let (alice, client) = game.join();
    // Twenty announcements of 100 kB to a client with no handler yet: ten
    // fit in `MAX_WAITING_BYTES`, the rest are dropped and counted.
    let long = "x".repeat(100_000);
    for _ in 0..20 {
        announce(&game, &alice, long.clone());
        game.net.step_by(Duration::from_millis(16));
    }
    let stats = client.runtime().stats();
    let kept = MAX_WAITING_BYTES / 100_000;
    assert_eq!(stats.events_waiting, kept as u64, "{stats:?}");
    assert_eq!(stats.events_dropped, (20 - kept) as u64);

    let heard = Log::default();
    let seen = heard.clone();
    client
        .announce()
        .connect(move |message, _, _, _| seen.push(message.len()));
    game.net.step_by(Duration::from_millis(16));
    assert_eq!(heard.take(), vec![100_000; kept]);
    assert_eq!(client.runtime().stats().events_waiting, 0);
}

/// Announces `message` to `to`, from `to`, with empty scores.
fn announce(game: &Game, to: &Player, message: String) {
    game.server
        .announce()
        .fire_client(to, message, to.instance(), HashMap::new(), HashMap::new())
        .unwrap();
}

#[test]
fn a_waiting_event_holds_its_own_message_not_its_frame() {
    let mut game = Game::new();
    let (alice, client) = game.join();
    // 200 announcements of 5 kB in one tick travel in one 1 MB frame; each
    // waiting event counts only its own message against the 1 MiB.
    for i in 0..200 {
        announce(&game, &alice, format!("{i:05}").repeat(1_000));
    }
    game.net.step_by(Duration::from_millis(16));
    let stats = client.runtime().stats();
    assert_eq!(stats.events_waiting, 200, "{stats:?}");
    assert_eq!(stats.events_dropped, 0);

    let heard = Log::default();
    let seen = heard.clone();
    client
        .announce()
        .connect(move |message, _, _, _| seen.push(message));
    game.net.step_by(Duration::from_millis(16));
    let expected: Vec<String> = (0..200).map(|i| format!("{i:05}").repeat(1_000)).collect();
    assert_eq!(heard.take(), expected);
}

#[test]
fn events_wait_for_a_handler_up_to_256_then_are_dropped_and_counted() {
    let mut game = Game::new();
    let (alice, client) = game.join();
    // 300 attacks, 10 per simulated second: well under `@rate(20/s)`.
    for weapon in 1..=300 {
        client
            .combat()
            .attack()
            .fire_server(aim_at(Vector3::new(0.0, 0.0, 0.0)), weapon)
            .unwrap();
        if weapon % 10 == 0 {
            game.net.step_by(Duration::from_secs(1));
        }
    }
    let stats = game.server.runtime().stats();
    assert_eq!(stats.rejected.rate_limited, 0);
    assert_eq!(stats.events_waiting, MAX_WAITING_EVENTS as u64);
    assert_eq!(stats.events_dropped, 300 - 256);

    // The waiting events go to the first handler to connect, at the next
    // poll, in the order they came.
    let first = Log::default();
    let seen = first.clone();
    game.server
        .combat()
        .attack()
        .connect(move |player, _, weapon| seen.push((player.id, weapon)));
    let second = Log::default();
    let seen = second.clone();
    game.server
        .combat()
        .attack()
        .connect(move |_, _, weapon| seen.push(weapon));
    assert!(
        first.is_empty(),
        "delivered at the next poll, not in connect"
    );
    game.step();
    let delivered = first.take();
    let expected: Vec<_> = (1..=256).map(|weapon| (alice.id, weapon)).collect();
    assert_eq!(delivered, expected);
    assert!(second.is_empty());
    assert_eq!(game.server.runtime().stats().events_waiting, 0);

    // From now on both handlers get every event.
    client
        .combat()
        .attack()
        .fire_server(aim_at(Vector3::new(0.0, 0.0, 0.0)), 301)
        .unwrap();
    game.step();
    assert_eq!(first.take(), [(alice.id, 301)]);
    assert_eq!(second.take(), [301]);
}

#[test]
fn fire_client_reaches_one_player_and_fire_all_clients_reaches_all() {
    let registry = InstanceRegistry::new();
    let mut game = Game::with_instances(registry.clone());
    let (alice, alice_client) = game.join();
    let (bob, bob_client) = game.join();
    // `from: Player` is an instance, and not optional.
    let host = Some(registry.register::<classes::Player>(Visibility::Everyone));
    let announced = [Log::default(), Log::default()];
    let welcomed = [Log::default(), Log::default()];
    let hits = [Log::default(), Log::default()];
    let restocks = [Log::default(), Log::default()];
    for (i, client) in [&alice_client, &bob_client].into_iter().enumerate() {
        let seen = announced[i].clone();
        client
            .announce()
            .connect(move |message, from, scores, board| seen.push((message, from, scores, board)));
        let seen = welcomed[i].clone();
        client
            .welcome()
            .connect(move |session, team| seen.push((session, team)));
        let seen = hits[i].clone();
        client
            .combat()
            .hit_confirmed()
            .connect(move |hit| seen.push(hit));
        let seen = restocks[i].clone();
        client
            .shop()
            .restocked()
            .connect(move |items, at| seen.push((items, at)));
    }

    let scores = HashMap::from([(Team::Red, 3), (Team::Blue, 5)]);
    let board = HashMap::from([("Alice".to_owned(), 10), ("Bob".to_owned(), 0)]);
    let server = &game.server;
    server
        .announce()
        .fire_client(
            &alice,
            "hi Alice".into(),
            host,
            scores.clone(),
            board.clone(),
        )
        .unwrap();
    server
        .welcome()
        .fire_client(&bob, session(), Some(Team::Blue))
        .unwrap();
    server
        .combat()
        .hit_confirmed()
        .fire_client(&alice, hit(None, 80))
        .unwrap();
    let at = DateTime::from_unix_millis(1_700_000_000_123);
    server
        .shop()
        .restocked()
        .fire_all_clients(vec![sword(), sword()], at)
        .unwrap();
    server
        .announce()
        .fire_all_clients("round over".into(), host, scores.clone(), HashMap::new())
        .unwrap();
    game.step();

    let to_alice = announced[0].take();
    assert_eq!(to_alice.len(), 2);
    assert_eq!(
        to_alice[0],
        ("hi Alice".to_owned(), host, scores.clone(), board)
    );
    assert_eq!(
        to_alice[1],
        ("round over".to_owned(), host, scores, HashMap::new())
    );
    let to_bob: Vec<String> = announced[1].take().into_iter().map(|(m, ..)| m).collect();
    assert_eq!(to_bob, ["round over"]);
    assert!(welcomed[0].is_empty());
    assert_eq!(welcomed[1].take(), [(session(), Some(Team::Blue))]);
    assert_eq!(hits[0].take(), [hit(None, 80)]);
    assert!(hits[1].is_empty());
    for log in &restocks {
        assert_eq!(log.take(), [(vec![sword(), sword()], at)]);
    }
}

#[test]
fn aim_travels_both_ways_unreliably_and_never_out_of_order() {
    let mut game = Game::new();
    let (alice, alice_client) = game.join();
    let (_bob, bob_client) = game.join();
    let at_server = Log::default();
    let seen = at_server.clone();
    game.server
        .combat()
        .aim()
        .connect(move |player, look, _| seen.push((player.id, look.x)));
    let at_clients = [Log::default(), Log::default()];
    for (client, log) in [&alice_client, &bob_client].into_iter().zip(&at_clients) {
        let seen = log.clone();
        client
            .combat()
            .aim()
            .connect(move |look, spread| seen.push((look.x, spread)));
    }
    game.net.set_unreliable_loss(300_000, 0x5EED);

    // Client → server: 100 aims at 50 per second (`@rate(60/s)`).
    for i in 0..100u16 {
        let look = Vector3::new(f32::from(i), 0.0, 0.0);
        alice_client
            .combat()
            .aim()
            .fire_server(look, f32::from(i % 45))
            .unwrap();
        game.net.step_by(Duration::from_millis(20));
    }
    let received = at_server.take();
    let lost = game.net.stats().datagrams_lost;
    assert!(lost > 0 && received.len() > 50, "30% loss: {lost} lost");
    assert_eq!(received.len() as u64 + lost, 100);
    assert!(received.iter().all(|(id, _)| *id == alice.id));
    let xs: Vec<f32> = received.iter().map(|(_, x)| *x).collect();
    assert!(strictly_increasing(&xs), "{xs:?}");

    // Server → clients.
    for i in 0..100u16 {
        let look = Vector3::new(f32::from(i), 0.0, 0.0);
        game.server
            .combat()
            .aim()
            .fire_all_clients(look, 45.0)
            .unwrap();
        game.net.step_by(Duration::from_millis(20));
    }
    let lost = game.net.stats().datagrams_lost - lost;
    let mut delivered = 0;
    for log in &at_clients {
        let got = log.take();
        assert!(!got.is_empty() && got.len() < 100);
        assert!(got.iter().all(|(_, spread)| *spread == 45.0));
        let xs: Vec<f32> = got.iter().map(|(x, _)| *x).collect();
        assert!(strictly_increasing(&xs), "{xs:?}");
        delivered += got.len() as u64;
    }
    assert_eq!(delivered + lost, 200);
    assert_eq!(game.server.runtime().stats().stale_dropped, 0);

    // Datagrams that arrive late are dropped: three aims delivered newest
    // first reach the handler once, as the newest.
    for x in [1000.0, 1001.0, 1002.0] {
        alice_client
            .combat()
            .aim()
            .fire_server(Vector3::new(x, 0.0, 0.0), 1.0)
            .unwrap();
    }
    let mut datagrams = alice_client.runtime().take_packets();
    assert_eq!(datagrams.len(), 3);
    datagrams.reverse();
    for datagram in &datagrams {
        game.server.runtime().receive_packet(&alice, datagram);
    }
    game.step();
    assert_eq!(at_server.take(), [(alice.id, 1002.0)]);
    assert_eq!(game.server.runtime().stats().stale_dropped, 2);
}

#[test]
fn rate_limits_drop_excess_events_per_player() {
    let mut game = Game::new();
    let (alice, alice_client) = game.join();
    let (bob, bob_client) = game.join();
    let chats = Log::default();
    let seen = chats.clone();
    game.server
        .chat()
        .connect(move |player, message, _| seen.push((player.id, message)));
    // `@rate(5/s)`: alice sends 7 in one tick, bob 5.
    for i in 0..7 {
        alice_client
            .chat()
            .fire_server(format!("a{i}"), Team::Red)
            .unwrap();
    }
    for i in 0..5 {
        bob_client
            .chat()
            .fire_server(format!("b{i}"), Team::Blue)
            .unwrap();
    }
    game.step();
    let got = chats.take();
    assert_eq!(got.iter().filter(|(id, _)| *id == alice.id).count(), 5);
    assert_eq!(got.iter().filter(|(id, _)| *id == bob.id).count(), 5);
    assert!(got.contains(&(alice.id, "a4".into())) && !got.contains(&(alice.id, "a5".into())));
    assert_eq!(game.server.runtime().stats().rejected.rate_limited, 2);

    // A second later the window is fresh.
    game.net.advance(Duration::from_secs(1));
    game.step();
    alice_client
        .chat()
        .fire_server("later".into(), Team::Red)
        .unwrap();
    game.step();
    assert_eq!(chats.take(), [(alice.id, "later".to_owned())]);
}

#[test]
#[allow(deprecated)]
fn deprecated_legacy_chat_still_works() {
    let mut game = Game::new();
    let (alice, client) = game.join();
    let log = Log::default();
    let seen = log.clone();
    game.server
        .legacy_chat()
        .connect(move |player, message| seen.push((player.id, message)));
    client.legacy_chat().fire_server(String::new()).unwrap();
    game.step();
    assert_eq!(log.take(), [(alice.id, String::new())]);
}
