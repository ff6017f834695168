//! A misbehaving `MemoryNetwork` (`LinkFaults`, partitions, paused peers)
//! under the generated code of `tests/schemas/edge.tether` (reliable
//! `Outer.Inner.Ping` both ways, `Nothing` and `Ask`, none rate limited) and
//! `schemas/game.tether` (the unreliable `Combat.Aim`, `@ordered`, and
//! `Combat.Effects.Burst`): what each fault does, then properties that hold
//! under any mix of them.

mod common;

use std::collections::HashMap;
use std::time::Duration;

use common::{strictly_increasing, Log};
use proptest::prelude::*;
use tether::roblox::enums::Material;
use tether_runtime::types::{Color3, Vector3};
use tether_runtime::{
    InvokeError, LinkFaults, MemoryNetwork, NetworkStats, Player, Typed, DEFAULT_TIMEOUT,
};
use tether_tests::game::combat::Hit;
use tether_tests::game::Shape;
use tether_tests::{edge, game};

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// An `edge` server and `n` clients.
fn edge_network(n: usize) -> (MemoryNetwork, edge::Server, Vec<(Player, edge::Client)>) {
    let server = edge::Server::new();
    let mut net = MemoryNetwork::with_server(&server);
    let clients = (0..n)
        .map(|_| {
            let (player, runtime) = net.connect_client();
            let client = edge::Client::try_from(runtime).expect("the same protocol");
            (player, client)
        })
        .collect();
    (net, server, clients)
}

/// A `game` server and `n` clients.
fn game_network(n: usize) -> (MemoryNetwork, game::Server, Vec<(Player, game::Client)>) {
    let server = game::Server::new();
    let mut net = MemoryNetwork::with_server(&server);
    let clients = (0..n)
        .map(|_| {
            let (player, runtime) = net.connect_client();
            let client = game::Client::try_from(runtime).expect("the same protocol");
            (player, client)
        })
        .collect();
    (net, server, clients)
}

/// The `n` of the `Outer.Inner.Ping`s the server hears, with their sender.
fn server_pings(server: &edge::Server) -> Log<(u32, u16)> {
    let log = Log::default();
    let seen = log.clone();
    server
        .outer()
        .inner()
        .ping()
        .connect(move |player, n, _| seen.push((player.id, n)));
    log
}

fn client_pings(client: &edge::Client) -> Log<u16> {
    let log = Log::default();
    let seen = log.clone();
    client
        .outer()
        .inner()
        .ping()
        .connect(move |n, _| seen.push(n));
    log
}

fn look(n: u32) -> Vector3 {
    Vector3::new(n as f32, 0.0, 0.0)
}

fn burst(server: &game::Server, player: &Player, n: u32) {
    server
        .combat()
        .effects()
        .burst()
        .fire_client(
            player,
            look(n),
            Shape::Point,
            Color3::new(1.0, 1.0, 1.0),
            Material::Plastic,
        )
        .expect("in range");
}

fn client_bursts(client: &game::Client) -> Log<u32> {
    let log = Log::default();
    let seen = log.clone();
    client
        .combat()
        .effects()
        .burst()
        .connect(move |at, _, _, _| seen.push(at.x as u32));
    log
}

fn client_aims(client: &game::Client) -> Log<u32> {
    let log = Log::default();
    let seen = log.clone();
    client
        .combat()
        .aim()
        .connect(move |at, _| seen.push(at.x as u32));
    log
}

fn server_aims(server: &game::Server) -> Log<(u32, u32)> {
    let log = Log::default();
    let seen = log.clone();
    server
        .combat()
        .aim()
        .connect(move |player, at, _| seen.push((player.id, at.x as u32)));
    log
}

// ---------------------------------------------------------------------------
// Each fault on its own

#[test]
fn latency_holds_packets_until_the_clock_reaches_them() {
    let (mut net, server, clients) = edge_network(1);
    let (alice, client) = &clients[0];
    let heard = server_pings(&server);
    net.set_faults(alice, LinkFaults::default().with_latency(ms(100)));
    client.outer().inner().ping().fire_server(1, None).unwrap();
    net.step();
    net.step_by(ms(99));
    assert!(heard.is_empty());
    assert_eq!(net.in_flight(), 1);
    net.step_by(ms(1));
    assert_eq!(heard.take(), [(alice.id, 1)]);
    assert_eq!(net.in_flight(), 0);
}

#[test]
fn jitter_delays_frames_but_keeps_them_in_order() {
    let (mut net, server, clients) = edge_network(1);
    let (alice, client) = &clients[0];
    let heard = server_pings(&server);
    let faults = LinkFaults::default()
        .with_latency(ms(10))
        .with_jitter(ms(200))
        .with_seed(5);
    net.set_faults(alice, faults);
    for n in 0..50 {
        client.outer().inner().ping().fire_server(n, None).unwrap();
        net.step_by(ms(5));
    }
    net.step_by(ms(500));
    let heard: Vec<u16> = heard.take().into_iter().map(|(_, n)| n).collect();
    assert_eq!(heard, (0..50).collect::<Vec<_>>());
}

#[test]
fn a_partition_holds_frames_loses_datagrams_and_delivers_the_frames_on_heal() {
    let (mut net, server, clients) = game_network(2);
    let (alice, alice_client) = &clients[0];
    let (bob, bob_client) = &clients[1];
    let alice_bursts = client_bursts(alice_client);
    let bob_bursts = client_bursts(bob_client);
    let hits = Log::default();
    let seen = hits.clone();
    alice_client
        .combat()
        .hit_confirmed()
        .connect(move |hit| seen.push(hit.damage));

    net.partition(alice);
    assert!(net.is_partitioned(alice) && !net.is_partitioned(bob));
    burst(&server, alice, 1);
    burst(&server, bob, 1);
    let hit = Hit {
        target: None,
        damage: 12,
        critical: false,
        knockback: Vector3::new(0.0, 0.0, 0.0),
    };
    server
        .combat()
        .hit_confirmed()
        .fire_client(alice, hit)
        .unwrap();
    for _ in 0..3 {
        net.step_by(ms(100));
    }
    assert!(alice_bursts.is_empty() && hits.is_empty());
    assert_eq!(bob_bursts.take(), [1], "the other link is untouched");
    let stats = net.stats();
    assert_eq!((stats.datagrams_lost, stats.packets_held), (1, 1));

    net.heal(alice);
    net.step();
    assert_eq!(hits.take(), [12], "the held frame");
    assert!(alice_bursts.is_empty(), "the datagram stays lost");
    net.steps_to_settle();
    assert!(hits.is_empty(), "once");
}

#[test]
fn a_paused_client_runs_nothing_and_gets_what_waited_on_resume() {
    let (mut net, server, clients) = game_network(1);
    let (alice, client) = &clients[0];
    let bursts = client_bursts(client);
    let confirmed = Log::default();
    let seen = confirmed.clone();
    client.confirm_teleport().on_invoke(move |destination| {
        seen.push(destination);
        Ok(true)
    });
    // Its own call does not time out while it is paused: it is not polled.
    let mut prices = client.shop().prices().invoke_server();

    net.pause(alice);
    assert!(net.is_paused(alice));
    burst(&server, alice, 7);
    let mut confirm = server
        .confirm_teleport()
        .invoke_client(alice, "Lobby".into());
    net.step_by(DEFAULT_TIMEOUT + ms(1));
    assert!(bursts.is_empty() && confirmed.is_empty());
    assert_eq!(prices.try_result(), None);
    assert_eq!(net.stats().packets_held, 2);
    // The server's call to it did time out.
    assert_eq!(confirm.try_result(), Some(Err(InvokeError::Timeout)));

    net.resume(alice);
    net.step();
    assert_eq!(bursts.take(), [7], "a datagram to a paused peer waits");
    assert_eq!(confirmed.take(), ["Lobby"]);
    assert_eq!(prices.try_result(), Some(Err(InvokeError::Timeout)));
}

#[test]
fn a_paused_server_sends_and_hears_nothing_until_resumed() {
    let (mut net, server, clients) = edge_network(1);
    let (alice, client) = &clients[0];
    let heard = server_pings(&server);
    let pinged = client_pings(client);
    net.pause_server();
    client.outer().inner().ping().fire_server(1, None).unwrap();
    server
        .outer()
        .inner()
        .ping()
        .fire_client(alice, 2, None)
        .unwrap();
    net.step_by(ms(100));
    net.step_by(ms(100));
    assert!(heard.is_empty() && pinged.is_empty());
    net.resume_server();
    net.step();
    assert_eq!(heard.take(), [(alice.id, 1)]);
    assert_eq!(pinged.take(), [2]);
}

#[test]
fn duplicated_datagrams_of_an_ordered_event_reach_the_handler_once() {
    let (mut net, server, clients) = game_network(1);
    let (alice, client) = &clients[0];
    let aims = server_aims(&server);
    net.set_faults(alice, LinkFaults::default().with_duplication(1_000_000));
    for n in 0..5 {
        client.combat().aim().fire_server(look(n), 1.0).unwrap();
        net.step_by(ms(50));
    }
    let heard: Vec<u32> = aims.take().into_iter().map(|(_, n)| n).collect();
    assert_eq!(heard, [0, 1, 2, 3, 4]);
    assert_eq!(net.stats().datagrams_duplicated, 5);
    // The transport drops the copies before the sequence numbers see them.
    assert_eq!(net.stats().datagram_repeats_dropped, 5);
    assert_eq!(server.runtime().stats().stale_dropped, 0);
}

#[test]
fn duplicated_datagrams_of_an_unordered_event_reach_the_handler_once() {
    // Without `@ordered` an unreliable event carries no sequence number
    // (docs/wire-format.md, section 6.2); the transport's datagram numbers
    // tell a copy made by the network from a second send of equal values.
    let (mut net, server, clients) = game_network(1);
    let (alice, client) = &clients[0];
    let bursts = client_bursts(client);
    net.set_faults(alice, LinkFaults::default().with_duplication(1_000_000));
    burst(&server, alice, 3);
    burst(&server, alice, 3);
    net.step();
    assert_eq!(bursts.take(), [3, 3], "two sends of equal values both pass");
    let stats = net.stats();
    assert_eq!(stats.datagrams_duplicated, 2);
    assert_eq!(stats.datagram_repeats_dropped, 2);
    assert_eq!(stats.datagrams_delivered, 2);
}

#[test]
fn aims_bunched_up_by_a_pause_are_held_to_their_rate() {
    let (mut net, server, clients) = game_network(1);
    let (alice, client) = &clients[0];
    let aims = server_aims(&server);
    net.pause(alice);
    for n in 0..200 {
        client.combat().aim().fire_server(look(n), 1.0).unwrap();
    }
    net.step_by(ms(500));
    net.resume(alice);
    net.step();
    // `@rate(60/s)`: a full bucket of 60 passes at once, the rest is refused.
    assert_eq!(aims.len(), 60);
    assert_eq!(server.runtime().stats().rejected.rate_limited, 140);
    // A second later the bucket holds 60 again.
    for n in 200..300 {
        client.combat().aim().fire_server(look(n), 1.0).unwrap();
    }
    net.step_by(ms(1000));
    assert_eq!(aims.len(), 120);
}

#[test]
fn reordered_datagrams_of_an_ordered_event_are_dropped_when_stale() {
    let (mut net, server, clients) = game_network(1);
    let (alice, client) = &clients[0];
    let aims = client_aims(client);
    let bursts = client_bursts(client);
    net.set_faults(
        alice,
        LinkFaults::default().with_reordering(500_000).with_seed(11),
    );
    // One kind at a time: a held `Aim` is overtaken by the next `Aim`.
    for n in 0..40 {
        server
            .combat()
            .aim()
            .fire_client(alice, look(n), 1.0)
            .unwrap();
        net.step_by(ms(20));
    }
    for n in 0..40 {
        burst(&server, alice, n);
        net.step_by(ms(20));
    }
    net.steps_to_settle();
    let aims = aims.take();
    let bursts = bursts.take();
    assert!(net.stats().datagrams_reordered > 0);
    assert!(strictly_increasing(&aims), "{aims:?}");
    assert!(aims.len() < 40, "the overtaken ones are stale");
    assert_eq!(
        client.runtime().stats().stale_dropped as usize,
        40 - aims.len()
    );
    // Unordered, every one arrives, some out of order.
    let mut sorted = bursts.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (0..40).collect::<Vec<_>>());
    assert_ne!(bursts, sorted);
}

#[test]
fn default_faults_apply_to_links_connected_later() {
    let server = edge::Server::new();
    let mut net = MemoryNetwork::with_server(&server);
    let (early, _) = net.connect_client();
    let faults = LinkFaults::default().with_latency(ms(30)).with_seed(2);
    net.set_default_faults(faults);
    let (late, _) = net.connect_client();
    assert_eq!(net.default_faults(), faults);
    assert_eq!(net.faults(&early), Some(LinkFaults::default()));
    assert_eq!(net.faults(&late), Some(faults));
    net.set_unreliable_loss(10, 3);
    assert_eq!(net.faults(&late), Some(faults.with_loss(10).with_seed(3)));
    assert_eq!(
        net.faults(&early),
        Some(LinkFaults::default().with_loss(10).with_seed(3))
    );
    net.disconnect(&late);
    assert_eq!(net.faults(&late), None);
}

// ---------------------------------------------------------------------------
// Properties under generated faults

/// Something a test does to the network between two steps.
#[derive(Debug, Clone, Copy)]
enum Toggle {
    Partition(usize),
    Heal(usize),
    Pause(usize),
    Resume(usize),
    PauseServer,
    ResumeServer,
}

#[derive(Debug, Clone)]
struct Tick {
    /// How far the clock moves before this step.
    advance: Duration,
    /// Per client: how many messages it sends, and how many the server
    /// sends it, this step.
    sends: [(u8, u8); 3],
    toggle: Option<Toggle>,
}

#[derive(Debug, Clone)]
struct Plan {
    /// One link per client.
    links: Vec<LinkFaults>,
    ticks: Vec<Tick>,
    /// A client whose link is still cut when the test ends (for the
    /// properties that allow one).
    never_healed: Option<usize>,
}

fn chance() -> impl Strategy<Value = u32> {
    prop_oneof![Just(0), 1..=400_000u32, Just(1_000_000)]
}

fn link_faults() -> impl Strategy<Value = LinkFaults> {
    (
        chance(),
        chance(),
        chance(),
        0..=200u64,
        0..=200u64,
        any::<u64>(),
    )
        .prop_map(|(loss, duplication, reordering, latency, jitter, seed)| {
            LinkFaults::default()
                .with_loss(loss)
                .with_duplication(duplication)
                .with_reordering(reordering)
                .with_latency(ms(latency))
                .with_jitter(ms(jitter))
                .with_seed(seed)
        })
}

fn toggle() -> impl Strategy<Value = Toggle> {
    prop_oneof![
        (0..3usize).prop_map(Toggle::Partition),
        (0..3usize).prop_map(Toggle::Heal),
        (0..3usize).prop_map(Toggle::Pause),
        (0..3usize).prop_map(Toggle::Resume),
        Just(Toggle::PauseServer),
        Just(Toggle::ResumeServer),
    ]
}

fn tick() -> impl Strategy<Value = Tick> {
    (
        0..=60u64,
        [(0..=2u8, 0..=2u8), (0..=2u8, 0..=2u8), (0..=2u8, 0..=2u8)],
        prop::option::weighted(0.25, toggle()),
    )
        .prop_map(|(advance, sends, toggle)| Tick {
            advance: ms(advance),
            sends,
            toggle,
        })
}

fn plan() -> impl Strategy<Value = Plan> {
    (
        prop::collection::vec(link_faults(), 1..=3),
        prop::collection::vec(tick(), 1..40),
        prop::option::of(0..3usize),
    )
        .prop_map(|(links, ticks, never_healed)| Plan {
            never_healed: never_healed.map(|i| i % links.len()),
            links,
            ticks,
        })
}

impl Plan {
    fn apply(&self, net: &mut MemoryNetwork, players: &[Player], toggle: Toggle) {
        let player = |i: usize| &players[i % players.len()];
        match toggle {
            Toggle::Partition(i) => net.partition(player(i)),
            Toggle::Heal(i) => net.heal(player(i)),
            Toggle::Pause(i) => net.pause(player(i)),
            Toggle::Resume(i) => net.resume(player(i)),
            Toggle::PauseServer => net.pause_server(),
            Toggle::ResumeServer => net.resume_server(),
        }
    }

    /// Runs the ticks: `send(client, up, down)` queues the step's messages.
    fn run(&self, net: &mut MemoryNetwork, players: &[Player], send: impl FnMut(usize, u8, u8)) {
        self.run_observed(net, players, send, |_| {});
    }

    /// As [`run`](Self::run), calling `observe` after each step.
    fn run_observed(
        &self,
        net: &mut MemoryNetwork,
        players: &[Player],
        mut send: impl FnMut(usize, u8, u8),
        mut observe: impl FnMut(&MemoryNetwork),
    ) {
        for tick in &self.ticks {
            if let Some(toggle) = tick.toggle {
                self.apply(net, players, toggle);
            }
            for (i, &(up, down)) in tick.sends.iter().take(players.len()).enumerate() {
                send(i, up, down);
            }
            net.step_by(tick.advance);
            observe(net);
        }
    }

    /// Ends every pause and heals every partition (but the one that
    /// `never_healed` names, if `keep_cut`), then lets everything in flight
    /// arrive and be answered.
    fn settle(&self, net: &mut MemoryNetwork, players: &[Player], keep_cut: bool) {
        for (i, player) in players.iter().enumerate() {
            net.resume(player);
            if !(keep_cut && self.never_healed == Some(i)) {
                net.heal(player);
            }
        }
        net.resume_server();
        net.steps_to_settle();
    }

    fn cut(&self, keep_cut: bool) -> Option<usize> {
        self.never_healed.filter(|_| keep_cut)
    }
}

trait Settle {
    fn steps_to_settle(&mut self);
}

impl Settle for MemoryNetwork {
    /// Latency and jitter are each at most 200 ms: a packet is delivered
    /// within one of these steps, and its answer within the next two.
    fn steps_to_settle(&mut self) {
        for _ in 0..6 {
            self.step_by(ms(500));
        }
    }
}

/// What the runtimes sent, against what the network did with it: every
/// packet taken from a runtime is delivered, lost or still in flight.
fn assert_accounted(net: &MemoryNetwork, sent: (u64, u64)) {
    let stats: NetworkStats = net.stats();
    let (frames, datagrams) = sent;
    assert_eq!(
        stats.frames_delivered + stats.datagrams_delivered + net.in_flight() as u64,
        frames + datagrams + stats.datagrams_duplicated
            - stats.datagrams_lost
            - stats.datagram_repeats_dropped,
        "{stats:?}"
    );
}

fn edge_sent(server: &edge::Server, clients: &[(Player, edge::Client)]) -> (u64, u64) {
    let mut all = vec![server.runtime().stats()];
    all.extend(clients.iter().map(|(_, c)| c.runtime().stats()));
    (
        all.iter().map(|s| s.frames_sent).sum(),
        all.iter().map(|s| s.datagrams_sent).sum(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    /// Reliable events arrive exactly once and in order whatever the link
    /// does, once partitions heal; across a partition that never heals, what
    /// arrived is a prefix of what was sent.
    #[test]
    fn reliable_events_arrive_once_and_in_order(plan in plan(), keep_cut in any::<bool>()) {
        let (mut net, server, clients) = edge_network(plan.links.len());
        let players: Vec<Player> = clients.iter().map(|(p, _)| p.clone()).collect();
        for (player, faults) in players.iter().zip(&plan.links) {
            net.set_faults(player, *faults);
        }
        let heard_by_server = server_pings(&server);
        let heard: Vec<Log<u16>> = clients.iter().map(|(_, c)| client_pings(c)).collect();
        let mut sent = vec![(0u16, 0u16); clients.len()];
        plan.run(&mut net, &players, |i, up, down| {
            let (player, client) = &clients[i];
            for _ in 0..up {
                client.outer().inner().ping().fire_server(sent[i].0, None).unwrap();
                sent[i].0 += 1;
            }
            for _ in 0..down {
                server.outer().inner().ping().fire_client(player, sent[i].1, None).unwrap();
                sent[i].1 += 1;
            }
        });
        plan.settle(&mut net, &players, keep_cut);

        let mut by_player: HashMap<u32, Vec<u16>> = HashMap::new();
        for (id, n) in heard_by_server.take() {
            by_player.entry(id).or_default().push(n);
        }
        for (i, player) in players.iter().enumerate() {
            let up = by_player.remove(&player.id).unwrap_or_default();
            let down = heard[i].take();
            if plan.cut(keep_cut) == Some(i) {
                prop_assert!(up.len() <= usize::from(sent[i].0));
                prop_assert!(down.len() <= usize::from(sent[i].1));
                prop_assert_eq!(&up, &(0..up.len() as u16).collect::<Vec<_>>());
                prop_assert_eq!(&down, &(0..down.len() as u16).collect::<Vec<_>>());
            } else {
                prop_assert_eq!(up, (0..sent[i].0).collect::<Vec<_>>());
                prop_assert_eq!(down, (0..sent[i].1).collect::<Vec<_>>());
            }
        }
        if plan.cut(keep_cut).is_none() {
            prop_assert_eq!(net.in_flight(), 0);
        }
        assert_accounted(&net, edge_sent(&server, &clients));
        prop_assert_eq!(server.runtime().stats().rejected.total(), 0);
    }

    /// An unreliable event reaches a handler at most once, whatever the
    /// link duplicates (the transport drops repeated datagrams), an
    /// `@ordered` one in order too (stale datagrams are dropped), and never
    /// one that was not sent.
    #[test]
    fn unreliable_events_never_arrive_twice_or_unsent(plan in plan()) {
        let (mut net, server, clients) = game_network(plan.links.len());
        let players: Vec<Player> = clients.iter().map(|(p, _)| p.clone()).collect();
        for (player, faults) in players.iter().zip(&plan.links) {
            net.set_faults(player, *faults);
        }
        let server_heard = server_aims(&server);
        let aims: Vec<Log<u32>> = clients.iter().map(|(_, c)| client_aims(c)).collect();
        let bursts: Vec<Log<u32>> = clients.iter().map(|(_, c)| client_bursts(c)).collect();
        let mut sent = vec![(0u32, 0u32); clients.len()];
        plan.run(&mut net, &players, |i, up, down| {
            let (player, client) = &clients[i];
            for _ in 0..up {
                client.combat().aim().fire_server(look(sent[i].0), 1.0).unwrap();
                sent[i].0 += 1;
            }
            for _ in 0..down {
                server.combat().aim().fire_client(player, look(sent[i].1), 1.0).unwrap();
                burst(&server, player, sent[i].1);
                sent[i].1 += 1;
            }
        });
        plan.settle(&mut net, &players, false);

        let mut by_player: HashMap<u32, Vec<u32>> = HashMap::new();
        for (id, n) in server_heard.take() {
            by_player.entry(id).or_default().push(n);
        }
        for (i, player) in players.iter().enumerate() {
            let up = by_player.remove(&player.id).unwrap_or_default();
            prop_assert!(strictly_increasing(&up), "{:?}", up);
            prop_assert!(up.iter().all(|&n| n < sent[i].0));
            let down = aims[i].take();
            prop_assert!(strictly_increasing(&down), "{:?}", down);
            prop_assert!(down.iter().all(|&n| n < sent[i].1));

            let mut counts: HashMap<u32, usize> = HashMap::new();
            for n in bursts[i].take() {
                prop_assert!(n < sent[i].1, "burst {} was never sent", n);
                *counts.entry(n).or_default() += 1;
            }
            prop_assert!(counts.values().all(|&count| count == 1), "{:?}", counts);
        }
        prop_assert_eq!(net.in_flight(), 0);
        let mut all = vec![server.runtime().stats()];
        all.extend(clients.iter().map(|(_, c)| c.runtime().stats()));
        let sent_total = (
            all.iter().map(|s| s.frames_sent).sum(),
            all.iter().map(|s| s.datagrams_sent).sum(),
        );
        assert_accounted(&net, sent_total);
        // `Aim`'s `@rate` may refuse some of what a partition or a pause
        // bunched up; nothing else is refused.
        let rejected = server.runtime().stats().rejected;
        prop_assert_eq!(rejected.total(), rejected.rate_limited, "{:?}", rejected);
    }

    /// An unreliable event never reaches its handlers more often than its
    /// `@rate` allows, timed by arrival, however a pause, a partition or
    /// latency bunches the sends up. Links here lose and reorder at most one
    /// datagram in four and add no jitter (which reorders, and `Aim` is
    /// `@ordered`, so most would be dropped as stale), so that enough
    /// arrives to test the limit.
    #[test]
    fn unreliable_events_never_pass_their_rate(plan in plan()) {
        let (mut net, server, clients) = game_network(plan.links.len());
        let players: Vec<Player> = clients.iter().map(|(p, _)| p.clone()).collect();
        for (player, faults) in players.iter().zip(&plan.links) {
            let faults = faults
                .with_loss(faults.loss.min(250_000))
                .with_reordering(faults.reordering.min(250_000))
                .with_jitter(Duration::ZERO);
            net.set_faults(player, faults);
        }
        let server_heard = server_aims(&server);
        let count = |log: &Log<(u32, u32)>| {
            let heard = log.snapshot();
            players
                .iter()
                .map(|p| heard.iter().filter(|(id, _)| *id == p.id).count())
                .collect::<Vec<_>>()
        };
        // After each step: the span in which what it delivered arrived,
        // and how many aims the server heard from each player so far.
        let mut heard_by = vec![(Duration::ZERO, Duration::ZERO, vec![0; players.len()])];
        let mut sent = vec![0u32; clients.len()];
        plan.run_observed(&mut net, &players, |i, up, _| {
            // Up to 20 aims a step: more than 60 a second.
            for _ in 0..10 * up {
                clients[i].1.combat().aim().fire_server(look(sent[i]), 1.0).unwrap();
                sent[i] += 1;
            }
        }, |net| heard_by.push((net.now(), net.now(), count(&server_heard))));
        // Settling steps several times: what it delivers arrived from just
        // after the last step on.
        let settling = net.now();
        plan.settle(&mut net, &players, false);
        heard_by.push((settling, net.now(), count(&server_heard)));

        // `Aim` is `@rate(60/s)` with the default burst of 60, per player:
        // in any span `t` at most `60 + 60·t` pass. What the server heard
        // between observations `a` and `b` arrived at the steps after `a`
        // up to `b`.
        let interval = Duration::from_secs(1) / 60;
        for (a, (_, _, before)) in heard_by.iter().enumerate() {
            let Some((first_arrival, _, _)) = heard_by.get(a + 1) else { break };
            for (_, last_arrival, after) in &heard_by[a + 1..] {
                let span = last_arrival.saturating_sub(*first_arrival);
                let allowed = 60 + (span.as_nanos() / interval.as_nanos()) as usize;
                for (after, before) in after.iter().zip(before) {
                    prop_assert!(
                        after - before <= allowed,
                        "{} aims in {:?}", after - before, span
                    );
                }
            }
        }
        let rejected = server.runtime().stats().rejected;
        prop_assert_eq!(rejected.total(), rejected.rate_limited, "{:?}", rejected);
    }

    /// Every invocation ends, with its answer or a timeout, whatever the
    /// link does: calls by a peer that is not paused end once the clock
    /// passes their timeout, even across a partition that never heals or to
    /// a peer that stays paused; a paused caller's calls end once it
    /// resumes. And every request, sent reliably, runs exactly once on the
    /// other side once the links heal, answered in time or not.
    #[test]
    fn every_invocation_ends(plan in plan()) {
        let (mut net, server, clients) = edge_network(plan.links.len());
        let players: Vec<Player> = clients.iter().map(|(p, _)| p.clone()).collect();
        for (player, faults) in players.iter().zip(&plan.links) {
            net.set_faults(player, *faults);
        }
        let server_ran = Log::default();
        let seen = server_ran.clone();
        server.nothing().on_invoke(move |player| {
            seen.push(player.id);
            Ok(())
        });
        let client_ran: Vec<Log<()>> = clients
            .iter()
            .map(|(_, client)| {
                let log = Log::default();
                let seen = log.clone();
                client.ask().on_invoke(move |_, _| {
                    seen.push(());
                    Ok(0)
                });
                log
            })
            .collect();
        let mut by_clients: Vec<Vec<Typed<()>>> = clients.iter().map(|_| Vec::new()).collect();
        let mut by_server: Vec<Vec<Typed<u8>>> = clients.iter().map(|_| Vec::new()).collect();
        plan.run(&mut net, &players, |i, up, down| {
            let (player, client) = &clients[i];
            for _ in 0..up {
                by_clients[i].push(client.nothing().invoke_server());
            }
            for _ in 0..down {
                by_server[i].push(server.ask().invoke_client(
                    player,
                    "Which?".into(),
                    vec!["one".into()],
                ));
            }
        });

        // Past every timeout, partitions and pauses as the plan left them.
        net.step_by(DEFAULT_TIMEOUT + ms(1));
        let mut results: Vec<(Vec<_>, Vec<_>)> = clients.iter().map(|_| (Vec::new(), Vec::new())).collect();
        for (i, player) in players.iter().enumerate() {
            for call in &mut by_clients[i] {
                if let Some(result) = call.try_result() {
                    results[i].0.push(result);
                } else {
                    prop_assert!(net.is_paused(player), "a call of a running client did not end");
                }
            }
            for call in &mut by_server[i] {
                if let Some(result) = call.try_result() {
                    results[i].1.push(result);
                } else {
                    prop_assert!(net.is_server_paused(), "a call of the running server did not end");
                }
            }
        }
        plan.settle(&mut net, &players, false);
        for i in 0..players.len() {
            for call in &mut by_clients[i] {
                if let Some(result) = call.try_result() {
                    results[i].0.push(result);
                }
            }
            for call in &mut by_server[i] {
                if let Some(result) = call.try_result() {
                    results[i].1.push(result);
                }
            }
            prop_assert_eq!(results[i].0.len(), by_clients[i].len(), "every client call ended");
            prop_assert_eq!(results[i].1.len(), by_server[i].len(), "every server call ended");
            for result in &results[i].0 {
                prop_assert!(matches!(result, Ok(()) | Err(InvokeError::Timeout)), "{:?}", result);
            }
            // More than `MAX_PENDING_CALLS` awaiting one player are refused
            // at once, unsent.
            let mut refused = 0;
            for result in &results[i].1 {
                refused += usize::from(matches!(result, Err(InvokeError::TooManyPending)));
                prop_assert!(
                    matches!(
                        result,
                        Ok(0) | Err(InvokeError::Timeout | InvokeError::TooManyPending)
                    ),
                    "{:?}",
                    result
                );
            }
            prop_assert_eq!(client_ran[i].len(), by_server[i].len() - refused);
        }
        let ran = server_ran.take();
        for (i, player) in players.iter().enumerate() {
            prop_assert_eq!(
                ran.iter().filter(|&&id| id == player.id).count(),
                by_clients[i].len()
            );
        }
        prop_assert_eq!(net.in_flight(), 0);
    }
}
