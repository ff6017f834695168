//! [`MemoryNetwork`]: one server and any number of clients in one process,
//! with a manual clock. Deterministic: no threads, no real time, and the
//! faults a link may have ([`LinkFaults`]) follow seeded generators.

use std::collections::BTreeMap;
use std::time::Duration;

use super::faults::{Arrival, Clock, Lane, LinkFaults};
use super::{Channel, Packet};
use crate::client::ClientRuntime;
use crate::player::Player;
use crate::protocol::Protocol;
use crate::server::ServerRuntime;

/// An in-process network. Each [`step`](Self::step) moves every packet the
/// runtimes have to send to its receiver, then polls the server and every
/// client with the current time. On a link without latency, what a handler
/// sends during a step arrives at the next one: a remote call takes two
/// steps to resolve.
///
/// A link (one client and the server) is perfect unless given faults: see
/// [`set_faults`](Self::set_faults), [`partition`](Self::partition) and
/// [`pause`](Self::pause).
#[derive(Debug)]
pub struct MemoryNetwork {
    server: ServerRuntime,
    links: BTreeMap<u32, Link>,
    now: Duration,
    /// The faults of links connected from now on.
    default_faults: LinkFaults,
    server_paused: bool,
    /// Steps taken, for how long a reordered datagram waits.
    steps: u64,
    /// Packets put in flight, network-wide (ties between packets due at the
    /// same time go in this order).
    sent: u64,
    stats: NetworkStats,
}

/// One client, its link to the server, and the packets in flight on it.
#[derive(Debug)]
struct Link {
    player: Player,
    client: ClientRuntime,
    faults: LinkFaults,
    to_server: Lane,
    to_client: Lane,
    partitioned: bool,
    paused: bool,
}

impl Link {
    fn reseed(&mut self) {
        let (seed, id) = (self.faults.seed, self.player.id);
        self.to_server.reseed(seed, id, true);
        self.to_client.reseed(seed, id, false);
    }
}

/// What the network itself did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct NetworkStats {
    /// Reliable frames handed to their receiver.
    pub frames_delivered: u64,
    /// Unreliable datagrams handed to their receiver.
    pub datagrams_delivered: u64,
    /// Unreliable datagrams lost: by [`LinkFaults::loss`], or come due
    /// while their link was partitioned.
    pub datagrams_lost: u64,
    /// Unreliable datagrams sent twice by [`LinkFaults::duplication`].
    pub datagrams_duplicated: u64,
    /// Copies of datagrams dropped on arrival because the receiving end had
    /// already taken that datagram: the network delivers each datagram at
    /// most once, as Roblox's does.
    pub datagram_repeats_dropped: u64,
    /// Unreliable datagrams overtaken by a later one through
    /// [`LinkFaults::reordering`] (jitter may reorder more, uncounted).
    pub datagrams_reordered: u64,
    /// Packets that came due while a partition or a paused receiver kept
    /// them from delivery, each counted once.
    pub packets_held: u64,
}

impl MemoryNetwork {
    /// A network with a new server for `protocol` and no clients.
    pub fn new(protocol: &'static Protocol) -> Self {
        MemoryNetwork::with_server(ServerRuntime::new(protocol))
    }

    /// A network around an existing server (say, one with its own instance
    /// registry): a runtime, or the generated `&Server` over one.
    pub fn with_server(server: impl Into<ServerRuntime>) -> Self {
        MemoryNetwork {
            server: server.into(),
            links: BTreeMap::new(),
            now: Duration::ZERO,
            default_faults: LinkFaults::default(),
            server_paused: false,
            steps: 0,
            sent: 0,
            stats: NetworkStats::default(),
        }
    }

    /// The server's runtime.
    pub fn server(&self) -> &ServerRuntime {
        &self.server
    }

    /// Connects a new client: the server gets a new player. Its link has
    /// the [default faults](Self::set_default_faults).
    pub fn connect_client(&mut self) -> (Player, ClientRuntime) {
        let player = self.server.connect_player();
        let client = ClientRuntime::new(self.server.protocol());
        let faults = self.default_faults;
        self.links.insert(
            player.id,
            Link {
                player: player.clone(),
                client: client.clone(),
                faults,
                to_server: Lane::new(faults.seed, player.id, true),
                to_client: Lane::new(faults.seed, player.id, false),
                partitioned: false,
                paused: false,
            },
        );
        (player, client)
    }

    /// The client of `player`, while connected.
    pub fn client(&self, player: &Player) -> Option<&ClientRuntime> {
        self.links.get(&player.id).map(|link| &link.client)
    }

    /// Disconnects `player`: both sides fail their pending calls with
    /// `Disconnected` at once, and packets in flight are lost.
    pub fn disconnect(&mut self, player: &Player) {
        self.server.disconnect_player(player);
        if let Some(link) = self.links.remove(&player.id) {
            link.client.disconnect();
        }
    }

    /// The network's clock: the time every runtime is polled with.
    pub fn now(&self) -> Duration {
        self.now
    }

    /// Moves the clock forward.
    pub fn advance(&mut self, by: Duration) {
        self.now = self.now.saturating_add(by);
    }

    /// Loses each unreliable datagram with probability
    /// `per_million / 1,000,000`, reproducibly for a given `seed`: sets
    /// [`LinkFaults::loss`] and [`LinkFaults::seed`] of every link, present
    /// and future, and keeps their other faults.
    pub fn set_unreliable_loss(&mut self, per_million: u32, seed: u64) {
        self.default_faults = self.default_faults.with_loss(per_million).with_seed(seed);
        for link in self.links.values_mut() {
            link.faults = link.faults.with_loss(per_million).with_seed(seed);
            link.reseed();
        }
    }

    /// Gives `player`'s link `faults`, from the next packet sent on it; the
    /// link's generators start over from `faults.seed`. Packets already in
    /// flight keep their delivery times. No effect for a player not
    /// connected.
    pub fn set_faults(&mut self, player: &Player, faults: LinkFaults) {
        if let Some(link) = self.links.get_mut(&player.id) {
            link.faults = faults;
            link.reseed();
        }
    }

    /// The faults of `player`'s link, while connected.
    pub fn faults(&self, player: &Player) -> Option<LinkFaults> {
        self.links.get(&player.id).map(|link| link.faults)
    }

    /// The faults that the links of clients connected from now on have;
    /// links already connected keep theirs.
    pub fn set_default_faults(&mut self, faults: LinkFaults) {
        self.default_faults = faults;
    }

    /// The faults a newly connected client's link gets.
    pub fn default_faults(&self) -> LinkFaults {
        self.default_faults
    }

    /// Cuts `player`'s link: nothing is delivered either way until
    /// [`heal`](Self::heal). Datagrams that come due meanwhile are lost;
    /// reliable frames wait and arrive after the heal, in order, as a
    /// reliable transport that retransmits would deliver them (a link that
    /// never heals delivers none, and calls across it time out). Both
    /// runtimes keep running.
    pub fn partition(&mut self, player: &Player) {
        if let Some(link) = self.links.get_mut(&player.id) {
            link.partitioned = true;
        }
    }

    /// Ends a [`partition`](Self::partition) of `player`'s link: what waited
    /// is delivered at the next step.
    pub fn heal(&mut self, player: &Player) {
        if let Some(link) = self.links.get_mut(&player.id) {
            link.partitioned = false;
        }
    }

    /// Whether `player`'s link is partitioned.
    pub fn is_partitioned(&self, player: &Player) -> bool {
        self.links
            .get(&player.id)
            .is_some_and(|link| link.partitioned)
    }

    /// Freezes `player`'s client, as a stalled process: it is not polled
    /// (its handlers do not run and its calls do not time out), what it has
    /// to send stays with it, and packets to it wait, none lost, until
    /// [`resume`](Self::resume).
    pub fn pause(&mut self, player: &Player) {
        if let Some(link) = self.links.get_mut(&player.id) {
            link.paused = true;
        }
    }

    /// Ends a [`pause`](Self::pause): at the next step the client sends,
    /// receives what waited, and is polled.
    pub fn resume(&mut self, player: &Player) {
        if let Some(link) = self.links.get_mut(&player.id) {
            link.paused = false;
        }
    }

    /// Whether `player`'s client is paused.
    pub fn is_paused(&self, player: &Player) -> bool {
        self.links.get(&player.id).is_some_and(|link| link.paused)
    }

    /// Freezes the server as [`pause`](Self::pause) freezes a client: not
    /// polled, sending nothing, and every packet to it waiting.
    pub fn pause_server(&mut self) {
        self.server_paused = true;
    }

    /// Ends a [`pause_server`](Self::pause_server).
    pub fn resume_server(&mut self) {
        self.server_paused = false;
    }

    /// Whether the server is paused.
    pub fn is_server_paused(&self) -> bool {
        self.server_paused
    }

    /// Packets sent and not yet delivered or lost: waiting for their
    /// delivery time, a heal or a resume.
    pub fn in_flight(&self) -> usize {
        self.links
            .values()
            .map(|link| link.to_server.in_flight() + link.to_client.in_flight())
            .sum()
    }

    /// A snapshot of what the network delivered and lost.
    pub fn stats(&self) -> NetworkStats {
        self.stats
    }

    /// Sends and delivers: the clients' packets first (in player order),
    /// then the server's; then polls the server and the clients at
    /// [`now`](Self::now). A packet is delivered at the first step at which
    /// it is due (at once on a link without latency), its link is not
    /// partitioned and its receiver is not paused; a paused peer is neither
    /// polled nor sends.
    pub fn step(&mut self) {
        self.steps += 1;
        self.send_to_server();
        self.deliver_to_server();
        self.send_to_clients();
        self.deliver_to_clients();
        if !self.server_paused {
            self.server.poll(self.now);
        }
        for link in self.links.values().filter(|link| !link.paused) {
            link.client.poll(self.now);
        }
    }

    /// Advances the clock by `by`, then steps.
    pub fn step_by(&mut self, by: Duration) {
        self.advance(by);
        self.step();
    }

    fn send_to_server(&mut self) {
        let mut clock = Clock {
            now: self.now,
            step: self.steps,
            order: &mut self.sent,
            stats: &mut self.stats,
        };
        for link in self.links.values_mut() {
            if !link.paused {
                for packet in link.client.take_packets() {
                    link.to_server.send(packet, &link.faults, &mut clock);
                }
            }
            link.to_server.release_held(self.steps);
        }
    }

    /// Hands the server what is due from every link, earliest first.
    fn deliver_to_server(&mut self) {
        let mut due: Vec<(Arrival, Player)> = Vec::new();
        for link in self.links.values_mut() {
            if self.server_paused || link.partitioned {
                link.to_server
                    .block(self.now, link.partitioned, &mut self.stats);
                continue;
            }
            let player = &link.player;
            due.extend(
                link.to_server
                    .take_due(self.now, &mut self.stats)
                    .into_iter()
                    .map(|arrival| (arrival, player.clone())),
            );
        }
        due.sort_by_key(|(arrival, _)| (arrival.due, arrival.order));
        for (arrival, player) in due {
            self.stats.count(&arrival.packet);
            // Rate limits count a packet when it arrives, on this clock.
            self.server
                .receive_packet_at(&player, &arrival.packet, self.now);
        }
    }

    fn send_to_clients(&mut self) {
        let packets = if self.server_paused {
            Vec::new()
        } else {
            self.server.take_packets()
        };
        let mut clock = Clock {
            now: self.now,
            step: self.steps,
            order: &mut self.sent,
            stats: &mut self.stats,
        };
        for (player, packet) in packets {
            // A player the network did not connect has no link to carry it.
            if let Some(link) = self.links.get_mut(&player.id) {
                link.to_client.send(packet, &link.faults, &mut clock);
            }
        }
        for link in self.links.values_mut() {
            link.to_client.release_held(self.steps);
        }
    }

    fn deliver_to_clients(&mut self) {
        for link in self.links.values_mut() {
            if link.paused || link.partitioned {
                link.to_client
                    .block(self.now, link.partitioned, &mut self.stats);
                continue;
            }
            for arrival in link.to_client.take_due(self.now, &mut self.stats) {
                self.stats.count(&arrival.packet);
                link.client.receive_packet(&arrival.packet);
            }
        }
    }
}

impl NetworkStats {
    fn count(&mut self, delivered: &Packet) {
        match delivered.channel {
            Channel::Reliable => self.frames_delivered += 1,
            Channel::Unreliable => self.datagrams_delivered += 1,
        }
    }
}
