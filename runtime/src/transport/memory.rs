//! [`MemoryNetwork`]: one server and any number of clients in one process,
//! with a manual clock. Deterministic: no threads, no real time, and the
//! optional loss of unreliable datagrams follows a seeded generator.

use std::collections::BTreeMap;
use std::time::Duration;

use super::{Channel, Packet};
use crate::client::ClientRuntime;
use crate::player::Player;
use crate::protocol::Protocol;
use crate::server::ServerRuntime;

/// An in-process network. Each [`step`](Self::step) moves every packet the
/// runtimes have to send to its receiver, then polls the server and every
/// client with the current time. What a handler sends during a step arrives
/// at the next one: a remote call takes two steps to resolve.
#[derive(Debug)]
pub struct MemoryNetwork {
    server: ServerRuntime,
    clients: BTreeMap<u32, (Player, ClientRuntime)>,
    now: Duration,
    loss: Option<Loss>,
    stats: NetworkStats,
}

/// What the network itself did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct NetworkStats {
    /// Reliable frames handed to their receiver.
    pub frames_delivered: u64,
    /// Unreliable datagrams handed to their receiver.
    pub datagrams_delivered: u64,
    /// Unreliable datagrams dropped by the simulated loss.
    pub datagrams_lost: u64,
}

/// Drops each unreliable datagram with probability `per_million / 10^6`,
/// from a seeded xorshift generator.
#[derive(Debug, Clone)]
struct Loss {
    per_million: u32,
    state: u64,
}

impl Loss {
    fn drops(&mut self) -> bool {
        // xorshift64*
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        let value = self.state.wrapping_mul(0x2545_F491_4F6C_DD1D);
        (value >> 32) % 1_000_000 < u64::from(self.per_million)
    }
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
            clients: BTreeMap::new(),
            now: Duration::ZERO,
            loss: None,
            stats: NetworkStats::default(),
        }
    }

    /// The server's runtime.
    pub fn server(&self) -> &ServerRuntime {
        &self.server
    }

    /// Connects a new client: the server gets a new player.
    pub fn connect_client(&mut self) -> (Player, ClientRuntime) {
        let player = self.server.connect_player();
        let client = ClientRuntime::new(self.server.protocol());
        self.clients
            .insert(player.id, (player.clone(), client.clone()));
        (player, client)
    }

    /// The client of `player`, while connected.
    pub fn client(&self, player: &Player) -> Option<&ClientRuntime> {
        self.clients.get(&player.id).map(|(_, client)| client)
    }

    /// Disconnects `player`: both sides fail their pending calls with
    /// `Disconnected` at once, and packets in flight are lost.
    pub fn disconnect(&mut self, player: &Player) {
        self.server.disconnect_player(player);
        if let Some((_, client)) = self.clients.remove(&player.id) {
            client.disconnect();
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
    /// `per_million / 1,000,000`, reproducibly for a given `seed`.
    pub fn set_unreliable_loss(&mut self, per_million: u32, seed: u64) {
        self.loss = Some(Loss {
            per_million,
            // xorshift needs a non-zero state.
            state: seed | 1,
        });
    }

    /// A snapshot of what the network delivered and lost.
    pub fn stats(&self) -> NetworkStats {
        self.stats
    }

    /// Delivers every outgoing packet (clients' first, in player order, then
    /// the server's), then polls the server and the clients at [`now`](Self::now).
    pub fn step(&mut self) {
        let mut to_server = Vec::new();
        for (player, client) in self.clients.values() {
            for packet in client.take_packets() {
                to_server.push((player.clone(), packet));
            }
        }
        for (player, packet) in to_server {
            if self.deliverable(&packet) {
                self.server.receive_packet(&player, &packet);
            }
        }
        for (player, packet) in self.server.take_packets() {
            let Some((_, client)) = self.clients.get(&player.id) else {
                continue;
            };
            let client = client.clone();
            if self.deliverable(&packet) {
                client.receive_packet(&packet);
            }
        }
        self.server.poll(self.now);
        for (_, client) in self.clients.values() {
            client.poll(self.now);
        }
    }

    /// Advances the clock by `by`, then steps.
    pub fn step_by(&mut self, by: Duration) {
        self.advance(by);
        self.step();
    }

    fn deliverable(&mut self, packet: &Packet) -> bool {
        match packet.channel {
            Channel::Reliable => {
                self.stats.frames_delivered += 1;
                true
            }
            Channel::Unreliable => {
                if self.loss.as_mut().is_some_and(Loss::drops) {
                    self.stats.datagrams_lost += 1;
                    false
                } else {
                    self.stats.datagrams_delivered += 1;
                    true
                }
            }
        }
    }
}
