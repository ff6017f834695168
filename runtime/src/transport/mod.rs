//! What a transport carries between the runtimes (`docs/wire-format.md`,
//! section 7), and an in-process transport for tests and simulations, whose
//! links can lose, duplicate, reorder, delay and cut packets.
//!
//! A transport moves [`Packet`]s: each runtime's `take_packets` after the
//! tick's handlers ran, into the receiver's `receive_packet`. On Roblox the
//! reliable channel is a `RemoteEvent` and the unreliable one an
//! `UnreliableRemoteEvent`, each firing carrying the bytes (a `buffer`) and
//! the instance list.

pub mod faults;
pub mod memory;
pub mod replay;

use crate::types::InstanceId;

/// Which remote a packet travels through.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Channel {
    /// A frame: all reliable messages of one tick for one receiver.
    Reliable,
    /// A datagram: one `@unreliable` event.
    Unreliable,
}

/// The bytes of a frame or datagram and the instance list that travels
/// beside them.
///
/// `instances` is the list as the receiver sees it: `None` marks an instance
/// the receiver cannot see, which decodes as nil (section 4.9). The server
/// makes that view for each player when it hands packets out (the part
/// Roblox's replication plays) and again for what it receives, from its
/// [`InstanceRegistry`](crate::InstanceRegistry); a client's packets list
/// every instance it referenced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    /// Whether the packet is a reliable frame or an unreliable datagram.
    pub channel: Channel,
    /// The frame or datagram, as `docs/wire-format.md` lays it out.
    pub bytes: Vec<u8>,
    /// The instances its messages reference, by index (section 4.9).
    pub instances: Vec<Option<InstanceId>>,
}

impl Packet {
    /// A reliable frame without instances.
    pub fn reliable(bytes: Vec<u8>) -> Self {
        Packet {
            channel: Channel::Reliable,
            bytes,
            instances: Vec::new(),
        }
    }

    /// An unreliable datagram without instances.
    pub fn unreliable(bytes: Vec<u8>) -> Self {
        Packet {
            channel: Channel::Unreliable,
            bytes,
            instances: Vec::new(),
        }
    }
}
