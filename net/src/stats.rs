//! What a [`NetServer`](crate::NetServer) counts about its connections.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};

/// A snapshot of a server's transport counters ([`NetServer::stats`]).
/// Counters only grow; `players` and `buffered_bytes` are gauges.
///
/// [`NetServer::stats`]: crate::NetServer::stats
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NetStats {
    /// Players connected now.
    pub players: usize,
    /// Connections that passed the handshake.
    pub connected: u64,
    /// Connections refused at the handshake.
    pub refused: u64,
    /// Players that left or were put out.
    pub disconnected: u64,
    /// Bytes read from players: frames with their framing, and the messages
    /// of datagrams.
    pub bytes_received: u64,
    /// Bytes written to players, framing included.
    pub bytes_sent: u64,
    /// Packets read from players.
    pub frames_received: u64,
    /// Packets written to players.
    pub frames_sent: u64,
    /// Bytes of received packets held for the next tick, over all
    /// connections, and of packets waiting to be written.
    pub buffered_bytes: u64,
    /// The most bytes one connection held at once, either way.
    pub peak_connection_bytes: u64,
    /// Times a connection used up its budget and was not read until the
    /// next tick.
    pub budget_waits: u64,
    /// Datagrams (UDP) handed to the runtime.
    pub datagrams_received: u64,
    /// Datagrams (UDP) sent.
    pub datagrams_sent: u64,
    /// Datagrams dropped either way: malformed, over the 1000-byte limit,
    /// of an unknown token or address, over the connection's budget, or not
    /// sendable at once.
    pub datagrams_dropped: u64,
    /// Copies of datagrams already handed to the runtime, dropped: the
    /// network duplicated them (datagrams are numbered, see
    /// [`datagram`](crate::datagram)).
    pub datagram_repeats_dropped: u64,
}

#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub players: AtomicUsize,
    pub connected: AtomicU64,
    pub refused: AtomicU64,
    pub disconnected: AtomicU64,
    pub bytes_received: AtomicU64,
    pub bytes_sent: AtomicU64,
    pub frames_received: AtomicU64,
    pub frames_sent: AtomicU64,
    pub buffered_bytes: AtomicU64,
    pub peak_connection_bytes: AtomicU64,
    pub budget_waits: AtomicU64,
    pub datagrams_received: AtomicU64,
    pub datagrams_sent: AtomicU64,
    pub datagrams_dropped: AtomicU64,
    pub datagram_repeats_dropped: AtomicU64,
}

impl Counters {
    pub fn snapshot(&self) -> NetStats {
        NetStats {
            players: self.players.load(Relaxed),
            connected: self.connected.load(Relaxed),
            refused: self.refused.load(Relaxed),
            disconnected: self.disconnected.load(Relaxed),
            bytes_received: self.bytes_received.load(Relaxed),
            bytes_sent: self.bytes_sent.load(Relaxed),
            frames_received: self.frames_received.load(Relaxed),
            frames_sent: self.frames_sent.load(Relaxed),
            buffered_bytes: self.buffered_bytes.load(Relaxed),
            peak_connection_bytes: self.peak_connection_bytes.load(Relaxed),
            budget_waits: self.budget_waits.load(Relaxed),
            datagrams_received: self.datagrams_received.load(Relaxed),
            datagrams_sent: self.datagrams_sent.load(Relaxed),
            datagrams_dropped: self.datagrams_dropped.load(Relaxed),
            datagram_repeats_dropped: self.datagram_repeats_dropped.load(Relaxed),
        }
    }

    pub fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Relaxed);
    }

    pub fn held(&self, connection_bytes: u64) {
        self.peak_connection_bytes
            .fetch_max(connection_bytes, Relaxed);
    }
}
