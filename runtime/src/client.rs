//! [`ClientRuntime`]: a client's side of a protocol.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use crate::player::Player;
use crate::protocol::{Direction, Protocol};
use crate::session::Session;
use crate::stats::Stats;
use crate::transport::{Channel, Packet};

/// The server's id as the client's one peer.
pub(crate) const SERVER: u32 = 0;

/// A client's runtime: handlers of what the server sends, and what to send
/// it. A cheap `Clone` handle; handlers may call back into it. Connected
/// from creation until [`disconnect`](Self::disconnect).
///
/// Its handles are the generated `Client`'s; the calls by message id, for
/// tests and tools, are in [`raw`](crate::raw). Nothing the server sends
/// makes the runtime panic.
#[derive(Clone)]
pub struct ClientRuntime {
    session: Arc<Session>,
}

impl ClientRuntime {
    pub(crate) fn session(&self) -> &Arc<Session> {
        &self.session
    }

    /// A client for `protocol`, connected to the server from the start (a
    /// transport calls [`disconnect`](Self::disconnect) when the link goes).
    pub fn new(protocol: &'static Protocol) -> Self {
        let session = Session::new(protocol, Direction::ToClient, None);
        session.add_peer(Some(Player::server()), None, None);
        ClientRuntime { session }
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

    /// The protocol the client speaks.
    pub fn protocol(&self) -> &'static Protocol {
        self.session.protocol()
    }

    /// Ends the connection: every call awaiting the server fails with
    /// `Disconnected` at once; sending fails with `NotConnected` from now on.
    pub fn disconnect(&self) {
        self.session.remove_peer(SERVER);
    }

    /// Whether the client is connected (it was not disconnected).
    pub fn is_connected(&self) -> bool {
        self.session.has_peer(SERVER)
    }

    /// Receives a reliable frame without instances.
    pub fn receive(&self, frame: &[u8]) {
        self.session
            .receive(SERVER, Channel::Reliable, frame, Vec::new(), None);
    }

    /// Receives a frame or datagram; its instance list is taken as the
    /// client's view (`None` for what it cannot see).
    pub fn receive_packet(&self, packet: &Packet) {
        self.session.receive(
            SERVER,
            packet.channel,
            &packet.bytes,
            packet.instances.clone(),
            None,
        );
    }

    /// One tick: delivers invocation results, fails calls past their timeout
    /// (measured with `now`), and runs the handlers of what was received.
    pub fn poll(&self, now: Duration) {
        self.session.poll(now);
    }

    /// The bytes of this tick's packets: at most one reliable frame, then
    /// the datagrams. Use [`take_packets`](Self::take_packets) when messages
    /// carry instances.
    pub fn take_outgoing(&self) -> Vec<Vec<u8>> {
        self.take_packets().into_iter().map(|p| p.bytes).collect()
    }

    /// This tick's packets, each with the instances it references.
    pub fn take_packets(&self) -> Vec<Packet> {
        self.session
            .take()
            .into_iter()
            .map(|(_, raw)| Packet {
                channel: raw.channel,
                bytes: raw.bytes,
                instances: raw.instances.into_iter().map(Some).collect(),
            })
            .collect()
    }

    /// A snapshot of the client's counters.
    pub fn stats(&self) -> Stats {
        self.session.stats()
    }
}

impl fmt::Debug for ClientRuntime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientRuntime")
            .field("protocol", &self.protocol().name)
            .field("connected", &self.is_connected())
            .finish()
    }
}
