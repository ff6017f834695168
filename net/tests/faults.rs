//! The transport under faults: a client talks to the server through a
//! proxy (`proxy/mod.rs`) that loses, duplicates, reorders or delays what
//! passes, over real loopback sockets. The same faults as
//! `MemoryNetwork`'s `LinkFaults`, one test each, checking what the runtime
//! makes of them. Each test stops by itself within a second or so.

use std::collections::HashSet;
use std::sync::atomic::Ordering::Relaxed;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use tether::roblox::enums::Material;
use tether_net::{ClientConfig, NetClient, NetEvent, NetServer};
use tether_runtime::types::{Color3, Vector3};
use tether_runtime::Player;
use tether_tests::game::{self, Shape, Team};

mod common;
mod proxy;

use common::{next, server, until};
use proxy::{Faults, Proxy};

/// A `game` server, the proxy in front of it, and one client connected
/// through the proxy whose datagram address the server has bound.
struct Setup {
    net: NetServer,
    server: game::Server,
    proxy: Proxy,
    _connection: NetClient,
    client: game::Client,
    player: Player,
}

async fn setup(faults: Faults) -> Setup {
    let (mut net, server) = server().await;
    let proxy = Proxy::start(net.local_addr(), faults).await;
    let client = game::Client::new();
    let connection = NetClient::connect(
        proxy.addr(),
        client.runtime().clone(),
        ClientConfig::default(),
    )
    .await
    .expect("connects through the proxy");
    let NetEvent::Connected(player) = next(&mut net).await else {
        panic!("a connection first")
    };
    until(|| proxy.bound()).await;
    Setup {
        net,
        server,
        proxy,
        _connection: connection,
        client,
        player,
    }
}

type Heard = Arc<Mutex<Vec<u32>>>;

fn heard(log: &Heard) -> Vec<u32> {
    log.lock().expect("lock").clone()
}

fn look(n: u32) -> Vector3 {
    Vector3::new(n as f32, 0.0, 0.0)
}

/// The `n` of the `Combat.Effects.Burst`s (unreliable, unordered) the
/// client hears.
fn hear_bursts(client: &game::Client) -> Heard {
    let log = Heard::default();
    let seen = log.clone();
    let _ = client
        .combat()
        .effects()
        .burst()
        .connect(move |at, _, _, _| seen.lock().expect("lock").push(at.x as u32));
    log
}

/// The `n` of the `Combat.Aim`s (unreliable, `@ordered`) the client hears.
fn hear_aims(client: &game::Client) -> Heard {
    let log = Heard::default();
    let seen = log.clone();
    let _ = client
        .combat()
        .aim()
        .connect(move |at, _| seen.lock().expect("lock").push(at.x as u32));
    log
}

fn burst(setup: &Setup, n: u32) {
    setup
        .server
        .combat()
        .effects()
        .burst()
        .fire_client(
            &setup.player,
            look(n),
            Shape::Point,
            Color3::new(1.0, 1.0, 1.0),
            Material::Plastic,
        )
        .expect("in range");
}

fn aim(setup: &Setup, n: u32) {
    setup
        .server
        .combat()
        .aim()
        .fire_client(&setup.player, look(n), 1.0)
        .expect("in range");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lost_datagrams_never_arrive_and_the_others_do_once() {
    let setup = setup(Faults {
        loss: 500_000,
        seed: 3,
        ..Faults::default()
    })
    .await;
    let bursts = hear_bursts(&setup.client);
    for n in 0..40 {
        burst(&setup, n);
    }
    let counts = setup.proxy.to_client.clone();
    until(|| {
        let (forwarded, lost, _, _) = counts.get();
        forwarded + lost == 40
    })
    .await;
    let (forwarded, lost, _, _) = counts.get();
    until(|| heard(&bursts).len() as u64 == forwarded).await;
    assert!(lost > 0, "the proxy lost none");
    let bursts = heard(&bursts);
    let distinct: HashSet<u32> = bursts.iter().copied().collect();
    assert_eq!(distinct.len(), bursts.len(), "{bursts:?}");
    assert!(bursts.iter().all(|&n| n < 40));
    assert_eq!(setup.net.stats().datagrams_sent, 40);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn duplicated_datagrams_are_heard_once_both_ways() {
    let setup = setup(Faults {
        duplication: 1_000_000,
        ..Faults::default()
    })
    .await;
    let aims = hear_aims(&setup.client);
    let bursts = hear_bursts(&setup.client);
    let server_aims = Heard::default();
    let seen = server_aims.clone();
    let _aim = setup
        .server
        .combat()
        .aim()
        .connect(move |_, at, _| seen.lock().expect("lock").push(at.x as u32));

    // Up: the server's transport drops each copy before the runtime sees it.
    // The client sends on the stream until it learns its address is bound,
    // so aims go until 20 have travelled as (duplicated) datagrams: one
    // every 20 ms, within `Aim`'s `@rate(60/s)`.
    let (mut sent, mut checks) = (0, 0);
    until(|| {
        if setup.proxy.to_server.get().2 >= 20 {
            return true;
        }
        checks += 1;
        if checks % 4 != 1 {
            return false;
        }
        setup
            .client
            .combat()
            .aim()
            .fire_server(look(sent), 1.0)
            .expect("in range");
        sent += 1;
        false
    })
    .await;
    let duplicated = setup.proxy.to_server.get().2;
    until(|| setup.net.stats().datagram_repeats_dropped == duplicated).await;
    until(|| heard(&server_aims).len() == sent as usize).await;
    assert_eq!(heard(&server_aims), (0..sent).collect::<Vec<_>>());
    assert_eq!(setup.server.runtime().stats().stale_dropped, 0);

    // Down: an `@ordered` event and an unordered one, each copy sent right
    // behind its original.
    for n in 0..20 {
        aim(&setup, n);
        burst(&setup, n);
    }
    until(|| heard(&aims).len() == 20 && heard(&bursts).len() == 20).await;
    until(|| setup.proxy.to_client.get().2 == 40).await;
    // Time for the copies behind the last originals to be read too.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(heard(&aims), (0..20).collect::<Vec<_>>());
    let mut bursts = heard(&bursts);
    bursts.sort_unstable();
    assert_eq!(bursts, (0..20).collect::<Vec<_>>());
    assert_eq!(setup.client.runtime().stats().stale_dropped, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reordered_datagrams_are_dropped_when_ordered_and_all_heard_when_not() {
    let setup = setup(Faults {
        reordering: 1_000_000,
        ..Faults::default()
    })
    .await;
    let aims = hear_aims(&setup.client);
    let bursts = hear_bursts(&setup.client);
    let runtime = setup.client.runtime().clone();

    for n in 0..20 {
        aim(&setup, n);
    }
    until(|| heard(&aims).len() as u64 + runtime.stats().stale_dropped == 20).await;
    let aims = heard(&aims);
    assert!(aims.windows(2).all(|pair| pair[0] < pair[1]), "{aims:?}");
    assert!(runtime.stats().stale_dropped > 0, "{aims:?}");

    for n in 0..20 {
        burst(&setup, n);
    }
    until(|| heard(&bursts).len() == 20).await;
    let bursts = heard(&bursts);
    let mut sorted = bursts.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (0..20).collect::<Vec<_>>());
    assert_ne!(bursts, sorted, "some arrived out of order");
    assert!(setup.proxy.to_client.get().3 > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn latency_delays_calls_and_keeps_the_stream_in_order() {
    let latency = Duration::from_millis(40);
    let setup = setup(Faults {
        latency,
        ..Faults::default()
    })
    .await;
    let chats = Arc::new(Mutex::new(Vec::new()));
    let log = chats.clone();
    let _chat = setup
        .server
        .chat()
        .connect(move |_, message, _| log.lock().expect("lock").push(message));
    setup
        .server
        .shop()
        .buy()
        .on_invoke(|_, item, quantity| Ok((true, Some(format!("{quantity} x {item}")))));
    let bursts = hear_bursts(&setup.client);

    let sent = ["one", "two", "three"];
    for message in sent {
        setup
            .client
            .chat()
            .fire_server(message.to_string(), Team::Red)
            .expect("in range");
    }
    let asked = Instant::now();
    let bought = setup.client.shop().buy().invoke_server(7, 2).await;
    // The request and the answer each waited in the proxy.
    assert!(asked.elapsed() >= 2 * latency);
    assert_eq!(bought, Ok((true, Some("2 x 7".to_string()))));
    until(|| chats.lock().expect("lock").len() == 3).await;
    assert_eq!(*chats.lock().expect("lock"), sent);

    // A datagram: the proxy loses none, but loopback may.
    let mut fired = 0;
    until(|| {
        if fired % 20 == 0 {
            burst(&setup, 9);
        }
        fired += 1;
        !heard(&bursts).is_empty()
    })
    .await;
    assert!(heard(&bursts).iter().all(|&n| n == 9));
}

/// The server's log of chat messages, in the order heard.
fn hear_chats(server: &game::Server) -> Arc<Mutex<Vec<String>>> {
    let chats = Arc::new(Mutex::new(Vec::new()));
    let log = chats.clone();
    let _ = server
        .chat()
        .connect(move |_, message, _| log.lock().expect("lock").push(message));
    chats
}

fn chat(setup: &Setup, message: &str) {
    setup
        .client
        .chat()
        .fire_server(message.to_string(), Team::Red)
        .expect("in range");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn jitter_reorders_datagrams_and_never_the_stream() {
    let setup = setup(Faults {
        jitter: Duration::from_millis(40),
        seed: 5,
        ..Faults::default()
    })
    .await;
    let bursts = hear_bursts(&setup.client);
    let chats = hear_chats(&setup.server);
    let sent = ["one", "two", "three", "four", "five"];
    for message in sent {
        chat(&setup, message);
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    for n in 0..30 {
        burst(&setup, n);
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    until(|| chats.lock().expect("lock").len() == sent.len()).await;
    assert_eq!(*chats.lock().expect("lock"), sent);
    until(|| heard(&bursts).len() == 30).await;
    let bursts = heard(&bursts);
    let mut sorted = bursts.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (0..30).collect::<Vec<_>>());
    assert_ne!(bursts, sorted, "jitter let none overtake another");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_partition_loses_datagrams_and_holds_the_stream_until_it_heals() {
    let setup = setup(Faults::default()).await;
    let bursts = hear_bursts(&setup.client);
    let chats = hear_chats(&setup.server);
    setup.proxy.partition();
    for n in 0..10 {
        burst(&setup, n);
    }
    chat(&setup, "one");
    chat(&setup, "two");
    until(|| setup.proxy.to_client.cut.load(Relaxed) == 10).await;
    // Long enough for the chats to have arrived over a whole link.
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(chats.lock().expect("lock").is_empty());

    setup.proxy.heal();
    until(|| chats.lock().expect("lock").len() == 2).await;
    assert_eq!(*chats.lock().expect("lock"), ["one", "two"]);
    // Datagrams flow again; those sent into the partition are gone.
    let mut fired = 0;
    until(|| {
        if fired % 20 == 0 {
            burst(&setup, 99);
        }
        fired += 1;
        !heard(&bursts).is_empty()
    })
    .await;
    assert!(
        heard(&bursts).iter().all(|&n| n == 99),
        "{:?}",
        heard(&bursts)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stalled_link_holds_everything_until_it_resumes() {
    let setup = setup(Faults::default()).await;
    let aims = hear_aims(&setup.client);
    let chats = hear_chats(&setup.server);
    setup.proxy.pause();
    for n in 0..5 {
        aim(&setup, n);
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    chat(&setup, "held");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert!(heard(&aims).is_empty());
    assert!(chats.lock().expect("lock").is_empty());

    setup.proxy.resume();
    until(|| chats.lock().expect("lock").len() == 1).await;
    // Held datagrams go when the link resumes, each on its own timer, so
    // an `@ordered` one may come after a newer one and be dropped as stale.
    let runtime = setup.client.runtime().clone();
    until(|| heard(&aims).len() as u64 + runtime.stats().stale_dropped == 5).await;
    let aims = heard(&aims);
    assert!(!aims.is_empty());
    assert!(aims.windows(2).all(|pair| pair[0] < pair[1]), "{aims:?}");
    assert_eq!(setup.proxy.to_client.cut.load(Relaxed), 0);
}
