//! [`ServerRuntime`]: the server's side of a protocol.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::instances::{InstanceRegistry, Visibility};
use crate::player::Player;
use crate::protocol::{Direction, Protocol};
use crate::session::Session;
use crate::stats::{RejectReason, Stats};
use crate::transport::{Channel, Packet};
use crate::types::InstanceId;

/// The server's runtime: players, handlers of what clients send, and what to
/// send them. A cheap `Clone` handle; handlers may call back into it.
///
/// The game loop (or a transport such as
/// [`MemoryNetwork`](crate::transport::memory::MemoryNetwork)) feeds received
/// packets to [`receive_packet`](Self::receive_packet), calls
/// [`poll`](Self::poll) once per tick, then sends what
/// [`take_packets`](Self::take_packets) returns.
///
/// Its handles are the generated `Server`'s; the calls by message id, for
/// tests and tools, are in [`raw`](crate::raw). Nothing a client sends makes
/// the runtime panic.
#[derive(Clone)]
pub struct ServerRuntime {
    session: Arc<Session>,
    instances: InstanceRegistry,
}

impl ServerRuntime {
    pub(crate) fn session(&self) -> &Arc<Session> {
        &self.session
    }

    /// A server for `protocol`, with an empty instance registry.
    pub fn new(protocol: &'static Protocol) -> Self {
        ServerRuntime::with_instances(protocol, InstanceRegistry::new())
    }

    /// A server whose view of instances is `instances`.
    pub fn with_instances(protocol: &'static Protocol, instances: InstanceRegistry) -> Self {
        ServerRuntime {
            session: Session::new(protocol, Direction::ToServer, Some(instances.clone())),
            instances,
        }
    }

    /// Polls `bindable` (a [`BindableEvent`](crate::BindableEvent) or a
    /// [`BindableFunction`](crate::BindableFunction)) at each of this
    /// runtime's polls while it lives, so that one poll runs everything
    /// this side owns. The generated bindables are attached already.
    pub fn attach(&self, bindable: &impl crate::bindable::Bindable) {
        self.session.attach(bindable.__pollable());
    }

    /// The generated bindables of this side, made (and attached) by `make`
    /// the first time: what the generated `bindables()` returns.
    #[doc(hidden)]
    pub fn __bindables<T: std::any::Any + Send + Sync>(&self, make: impl FnOnce() -> T) -> &T {
        self.session.generated(make)
    }

    /// Whether messages over their `@rate` (or over the limit of messages a
    /// second) count against a client's offences, which past
    /// [`MAX_OFFENCES`](crate::MAX_OFFENCES) within 10 s put it out, as
    /// frames that do not decode do. Off by default: a player mashing a
    /// button is slowed, not put out; on, a client that only ever floods is
    /// put out too.
    pub fn expel_for_rate_limits(&self, yes: bool) {
        self.session.set_expel_for_rate_limits(yes);
    }

    /// The protocol the server speaks.
    pub fn protocol(&self) -> &'static Protocol {
        self.session.protocol()
    }

    /// The instances the server knows and who sees them.
    pub fn instances(&self) -> &InstanceRegistry {
        &self.instances
    }

    /// The connected players, by id.
    pub fn players(&self) -> Vec<Player> {
        self.session.peers()
    }

    /// A new player, named `Player{id}` (the transport calls this).
    pub fn connect_player(&self) -> Player {
        self.session
            .add_peer(None, None, Some(self.register_player()))
    }

    /// A new player with a name.
    pub fn connect_player_named(&self, name: impl Into<String>) -> Player {
        self.session
            .add_peer(None, Some(name.into()), Some(self.register_player()))
    }

    /// Removes a player: every call awaiting its answer fails with
    /// `Disconnected` at once; what was still to be sent to it is dropped.
    pub fn disconnect_player(&self, player: &Player) {
        self.session.remove_peer(player.id);
        if let Some(instance) = player.instance {
            self.instances.remove(instance);
        }
    }

    /// Runs `hook` for rejected frames with the player who sent them: for
    /// logging or alerting. It sees at most [`REPORTS_PER_SECOND`] of one
    /// player's rejections a second, so a flood of bad frames is not a
    /// flood of logs; [`stats`](Self::stats) counts them all. A panic in the
    /// hook is caught.
    ///
    /// [`REPORTS_PER_SECOND`]: crate::REPORTS_PER_SECOND
    pub fn on_rejected(&self, hook: impl Fn(&Player, &RejectReason) + Send + Sync + 'static) {
        self.session.on_rejected(Arc::new(hook));
    }

    /// Players disconnected for sending more than
    /// [`MAX_OFFENCES`](crate::MAX_OFFENCES) rejected frames within ten
    /// seconds since the last call, with the reason: a transport closes
    /// their connections.
    pub fn take_expelled(&self) -> Vec<(Player, String)> {
        self.session.take_expelled()
    }

    /// A new `Player` instance, seen by everyone (Roblox replicates the
    /// `Players` service to every client).
    fn register_player(&self) -> InstanceId {
        self.instances
            .register::<crate::types::PlayerClass>(Visibility::Everyone)
            .id()
    }

    /// Receives a reliable frame without instances (see
    /// [`receive_packet`](Self::receive_packet)).
    pub fn receive(&self, from: &Player, frame: &[u8]) {
        self.session
            .receive(from.id, Channel::Reliable, frame, Vec::new(), None);
    }

    /// Receives a frame or datagram from `from`. Instances it references that
    /// the player cannot see decode as `None`. A frame that does not decode
    /// is dropped whole and counted in [`stats`](Self::stats).
    /// Rate limits count it at the time of the latest poll; a transport
    /// that knows when it arrived says so with
    /// [`receive_packet_at`](Self::receive_packet_at).
    pub fn receive_packet(&self, from: &Player, packet: &Packet) {
        self.receive_from(from, packet, None);
    }

    /// [`receive_packet`](Self::receive_packet) of a packet that arrived at
    /// `at`, on the clock `poll` is given: `@rate` limits count it then.
    pub fn receive_packet_at(&self, from: &Player, packet: &Packet, at: Duration) {
        self.receive_from(from, packet, Some(at));
    }

    fn receive_from(&self, from: &Player, packet: &Packet, at: Option<Duration>) {
        let instances = self
            .instances
            .view_for(from, packet.instances.iter().copied());
        self.session
            .receive(from.id, packet.channel, &packet.bytes, instances, at);
    }

    /// One tick: delivers invocation results, fails calls past their timeout
    /// (measured with `now`), and runs the handlers of what was received.
    pub fn poll(&self, now: Duration) {
        self.session.poll(now);
    }

    /// The bytes of this tick's packets: at most one reliable frame per
    /// player, then its datagrams. The instance lists are left out: use
    /// [`take_packets`](Self::take_packets) when messages carry instances.
    pub fn take_outgoing(&self) -> Vec<(Player, Vec<u8>)> {
        self.take_packets()
            .into_iter()
            .map(|(player, packet)| (player, packet.bytes))
            .collect()
    }

    /// This tick's packets, each with its instance list as its player sees
    /// it: at most one reliable frame per player, then its datagrams in send
    /// order. (The one exception: a response whose handler referenced new
    /// instances while another message to the same player did too starts a
    /// second frame, since indices into one list would clash.)
    pub fn take_packets(&self) -> Vec<(Player, Packet)> {
        self.session
            .take()
            .into_iter()
            .map(|(player, raw)| {
                let instances = self
                    .instances
                    .view_for(&player, raw.instances.into_iter().map(Some));
                let packet = Packet {
                    channel: raw.channel,
                    bytes: raw.bytes,
                    instances,
                };
                (player, packet)
            })
            .collect()
    }

    /// A snapshot of the server's counters.
    pub fn stats(&self) -> Stats {
        self.session.stats()
    }
}

impl fmt::Debug for ServerRuntime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ServerRuntime")
            .field("protocol", &self.protocol().name)
            .field("players", &self.players())
            .finish()
    }
}
