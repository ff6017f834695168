//! `tests/schemas/edge.tether` end to end: remotes named like generated
//! items and runtime methods (`Fire`, `Server`, `Player`, `Poll`, `New`,
//! `Deref`) work through `edge::Server` and `edge::Client`.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::Log;
use tether_runtime::roblox::classes;
use tether_runtime::types::Ref;
use tether_runtime::{InstanceRegistry, InvokeError, MemoryNetwork, ServerRuntime, Visibility};
use tether_tests::edge::{self, Caps, Kw, Selfish, RGB};

fn network() -> (MemoryNetwork, edge::Server, InstanceRegistry) {
    let registry = InstanceRegistry::new();
    let runtime = ServerRuntime::with_instances(&edge::PROTOCOL, registry.clone());
    let server = edge::Server::try_from(runtime.clone()).expect("the same protocol");
    (MemoryNetwork::with_server(runtime), server, registry)
}

fn kw() -> Kw {
    Kw {
        self_: 1,
        crate_: 2,
        r#fn: 3,
        r#match: 4,
        r#loop: 5,
        r: 6,
        w: 7,
    }
}

#[test]
fn remotes_named_like_generated_items_work_both_ways() {
    let (mut net, server, registry) = network();
    let (alice, alice_runtime) = net.connect_client();
    let (bob, bob_runtime) = net.connect_client();
    let (alice_client, bob_client) = (
        edge::Client::try_from(alice_runtime).expect("the same protocol"),
        edge::Client::try_from(bob_runtime).expect("the same protocol"),
    );
    let model = registry
        .register::<classes::Model>(Visibility::player(&bob))
        .id();

    let at_server = Log::default();
    let seen = at_server.clone();
    server
        .fire()
        .connect(move |player| seen.push(format!("Fire from {}", player.id)));
    let seen = at_server.clone();
    server
        .player()
        .connect(move |player, name| seen.push(format!("Player {name} from {}", player.id)));
    let seen = at_server.clone();
    server
        .new_()
        .connect(move |player, t, s| seen.push(format!("New {t:?} {s:?} from {}", player.id)));
    let at_clients = [Log::default(), Log::default()];
    for (client, log) in [&alice_client, &bob_client].into_iter().zip(&at_clients) {
        let seen = log.clone();
        client
            .server()
            .connect(move |who, x| seen.push(format!("Server {who:?} {x}")));
        let seen = log.clone();
        client.poll().connect(move |a, b, c, d, e, f, g, h| {
            seen.push(format!("Poll {:?}", [a, b, c, d, e, f, g, h]));
        });
        let seen = log.clone();
        client
            .deref()
            .connect(move |caps, rgb| seen.push(format!("Deref {} {rgb:?}", caps.http)));
    }

    alice_client.fire().fire_server().unwrap();
    bob_client.player().fire_server("Bobby".into()).unwrap();
    bob_client.new_().fire_server(kw(), Selfish::Self_).unwrap();
    server
        .server()
        .fire_all_clients(Some(Ref::new(model)), 9)
        .unwrap();
    server
        .poll()
        .fire_client(&alice, 1, 2, 3, 4, 5, 6, 7, 8)
        .unwrap();
    server
        .deref()
        .fire_client(&bob, Caps { http: 200 }, RGB::GREEN)
        .unwrap();
    net.step();

    assert_eq!(
        at_server.take(),
        [
            format!("Fire from {}", alice.id),
            format!("Player Bobby from {}", bob.id),
            format!("New {:?} Self_ from {}", kw(), bob.id),
        ]
    );
    assert_eq!(
        at_clients[0].take(),
        ["Server None 9", "Poll [1, 2, 3, 4, 5, 6, 7, 8]"]
    );
    assert_eq!(
        at_clients[1].take(),
        [
            format!("Server Some(Model({})) 9", model.0),
            "Deref 200 GREEN".to_owned()
        ]
    );
}

mod wide {
    tether::include_schema!("../schemas/wide.tether");
}

#[test]
fn remotes_with_more_parameters_than_a_tuple_handle_work_both_ways() {
    let server = wide::Server::new();
    let mut net = MemoryNetwork::with_server(&server);
    let (alice, runtime) = net.connect_client();
    let client = wide::Client::try_from(runtime).expect("the same protocol");
    let at_server = Log::default();
    let seen = at_server.clone();
    server
        .wide()
        .connect(move |player, a, b, c, d, e, f, g, h, i, j, k, l, m| {
            seen.push(format!(
                "{} {:?} {m}",
                player.id,
                [a, b, c, d, e, f, g, h, i, j, k, l]
            ));
        });
    server
        .wide_call()
        .on_invoke(|_player, a, b, c, d, e, f, g, h, i, j, k, l, m| {
            let sum: u16 = [a, b, c, d, e, f, g, h, i, j, k, l]
                .iter()
                .map(|&x| u16::from(x))
                .sum();
            Ok(sum + m.len() as u16)
        });
    let at_client = Log::default();
    let seen = at_client.clone();
    let queued = client.wide().queue();
    client
        .wide()
        .connect(move |a, _, _, _, _, _, _, _, _, _, _, l, m| seen.push(format!("{a} {l} {m}")));

    client
        .wide()
        .fire_server(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, "up".into())
        .unwrap();
    let mut call =
        client
            .wide_call()
            .invoke_server(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, "four".into());
    server
        .wide()
        .fire_client(&alice, 7, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 9, "down".into())
        .unwrap();
    for _ in 0..3 {
        net.step();
    }

    assert_eq!(
        at_server.take(),
        [format!(
            "{} [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12] up",
            alice.id
        )]
    );
    assert_eq!(at_client.take(), ["7 9 down"]);
    assert_eq!(queued.drain().len(), 1);
    assert_eq!(call.try_result().map(|r| r.ok()), Some(Some(16)));
    // A string over the schema's length is refused before it is sent.
    assert!(client
        .wide()
        .fire_server(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, "too long!".into())
        .is_err());
}

#[test]
fn the_runtime_is_reached_through_deref_when_an_accessor_takes_its_name() {
    let (_net, server, _registry) = network();
    let player = server.runtime().connect_player();
    let client = edge::Client::new();
    let polls = Log::default();
    let seen = polls.clone();
    client
        .poll()
        .connect(move |a, _, _, _, _, _, _, h| seen.push((a, h)));
    let fires = Log::default();
    let seen = fires.clone();
    server.fire().connect(move |player| seen.push(player.id));

    // `server.poll()` is the remote; `server.runtime().poll(now)` the runtime's tick.
    server
        .poll()
        .fire_client(&player, 10, 0, 0, 0, 0, 0, 0, 80)
        .unwrap();
    for (to, packet) in server.runtime().take_packets() {
        assert_eq!(to, player);
        client.runtime().receive_packet(&packet);
    }
    client.runtime().poll(Duration::ZERO);
    assert_eq!(polls.take(), [(10, 80)]);

    client.fire().fire_server().unwrap();
    for packet in client.runtime().take_packets() {
        server.runtime().receive_packet(&player, &packet);
    }
    server.runtime().poll(Duration::ZERO);
    assert_eq!(fires.take(), [player.id]);

    // `server.deref()` is a remote: the handles do not deref to the runtime.
    let runtime: &ServerRuntime = server.runtime();
    assert_eq!(runtime.players(), [player]);
    assert_eq!(runtime.protocol().name, "edge");
}

#[test]
fn unit_returns_and_replies_outside_their_range() {
    let (mut net, server, _registry) = network();
    let (alice, alice_runtime) = net.connect_client();
    let client = edge::Client::try_from(alice_runtime).expect("the same protocol");
    server.nothing().on_invoke(|_| Ok(()));
    // `-> u8(0..3)`: the client answers with the number of options.
    client
        .ask()
        .on_invoke(|_, options| Ok(u8::try_from(options.len()).unwrap()));

    let mut nothing = client.nothing().invoke_server();
    let options = |n: usize| (0..n).map(|i| format!("option {i}")).collect();
    let mut three = server
        .ask()
        .invoke_client(&alice, "Which?".into(), options(3));
    let mut four = server
        .ask()
        .invoke_client(&alice, "Which?".into(), options(4));
    let mut none = server
        .ask()
        .invoke_client(&alice, "Which?".into(), options(0));
    assert!(matches!(
        none.try_result(),
        Some(Err(InvokeError::Encode(_)))
    ));
    net.step();
    net.step();
    assert_eq!(nothing.try_result(), Some(Ok(())));
    assert_eq!(three.try_result(), Some(Ok(3)));
    assert!(matches!(
        four.try_result(),
        Some(Err(InvokeError::Protocol(message))) if message.contains("could not encode")
    ));
}

#[test]
fn server_bindables_with_function_values() {
    let bindables = edge::ServerBindables::new();
    bindables
        .outer_fold
        .set_callback(|values, f| values.into_iter().fold(0.0, |acc, x| f(acc, x)));
    let add: Arc<dyn Fn(f64, f64) -> f64 + Send + Sync> = Arc::new(|acc, x| acc + x);
    let mut sum = bindables.outer_fold.invoke(vec![1.0, 2.0, 3.5], add);
    assert_eq!(sum.try_result(), Some(Ok(6.5)));

    let ticks = Log::default();
    let seen = ticks.clone();
    bindables.quiet_tick.connect(move || seen.push(()));
    bindables.quiet_tick.fire();
    bindables.quiet_tick.fire();
    assert!(ticks.is_empty());
    bindables.quiet_tick.poll();
    assert_eq!(ticks.len(), 2);
}

mod keywords {
    tether::include_schema!("../schemas/keywords.tether");
}

/// Fields and parameters named with the schema language's keywords travel
/// as any other: raw identifiers in Rust, the same names in Luau.
#[test]
fn keyword_names_work_both_ways() {
    let server = keywords::Server::new();
    let mut net = MemoryNetwork::with_server(&server);
    let (_alice, runtime) = net.connect_client();
    let client = keywords::Client::try_from(runtime).expect("the same protocol");
    let spawned = Log::default();
    let seen = spawned.clone();
    server
        .spawn()
        .connect(move |_player, r#type, function| seen.push(format!("{type} {function}")));
    server.describe().on_invoke(|_player, item, shape| {
        let shape = match shape {
            keywords::Shape::Box { r#type, client } => format!("box {type} {client}"),
            keywords::Shape::Ball => "ball".to_string(),
        };
        let text = format!(
            "{} {} {} {:?} {shape}",
            item.r#type, item.function, item.end, item.r#in
        );
        Ok((text, item.function))
    });

    client.spawn().fire_server("crate".into(), 3).unwrap();
    let item = keywords::Item {
        r#type: "sword".into(),
        function: 7,
        end: true,
        r#in: Some(2),
    };
    let mut call = client.describe().invoke_server(
        item,
        keywords::Shape::Box {
            r#type: 1,
            client: 2,
        },
    );
    for _ in 0..3 {
        net.step();
    }
    assert_eq!(spawned.take(), ["crate 3"]);
    assert_eq!(
        call.try_result().map(|r| r.ok()),
        Some(Some(("sword 7 true Some(2) box 1 2".to_string(), 7)))
    );
}

mod inline {
    tether::include_schema!("../schemas/inline.tether");
}

/// Enums written in place are types named after where they are written,
/// and travel as declared enums do.
#[test]
fn enums_written_in_place_work_both_ways() {
    let server = inline::Server::new();
    let mut net = MemoryNetwork::with_server(&server);
    let (_alice, runtime) = net.connect_client();
    let client = inline::Client::try_from(runtime).expect("the same protocol");
    let spawned = Log::default();
    let seen = spawned.clone();
    server
        .spawn()
        .connect(move |_player, item, mode, at| seen.push(format!("{item:?} {mode:?} {at:?}")));
    server
        .pick()
        .on_invoke(|_player| Ok(inline::PickReturn::Right));

    let item = inline::Item {
        name: "flask".into(),
        kind: inline::ItemKind::Potion { heal: 5 },
    };
    client
        .spawn()
        .fire_server(item, inline::SpawnMode::Rare, Some(inline::SpawnAt::B))
        .unwrap();
    let mut call = client.pick().invoke_server();
    let _offer = inline::shop::Offer {
        tier: inline::shop::OfferTier::High,
    };
    for _ in 0..3 {
        net.step();
    }
    assert_eq!(
        spawned.take(),
        [r#"Item { name: "flask", kind: Potion { heal: 5 } } Rare Some(B)"#]
    );
    assert_eq!(
        call.try_result().map(|r| r.ok()),
        Some(Some(inline::PickReturn::Right))
    );
}
