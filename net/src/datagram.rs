//! `@unreliable` events over UDP, beside a TCP connection, as Roblox's
//! `UnreliableRemoteEvent` behaves: a datagram may be lost or arrive out of
//! order, and one whose message is over 1000 bytes is dropped.
//!
//! After the handshake, a TCP server sends a control frame offering
//! datagrams: a random token and its UDP port (the TCP listener's address).
//! The client sends datagrams carrying the token from its own UDP socket;
//! the first one binds the player's UDP address, and the server confirms
//! with a second control frame. Until then, and for WebSocket clients, the
//! unreliable events travel on the stream.
//!
//! ```text
//! datagram:       token: u64 LE, number: u32 LE,
//!                 instance count: u16 LE, instances: u64 LE each, bytes
//! control frame:  2 (in the channel byte), kind: u8
//!                   kind 0, offer: token: u64 LE, port: u16 LE
//!                   kind 1, bound: (nothing)
//! ```
//!
//! A client's first datagram is the token alone (a bind request); it repeats
//! until the server confirms. The token travels only on the TCP connection
//! and in datagrams, so only a peer that sees the traffic could forge one.
//!
//! Each end numbers the datagrams it sends on a connection from 0, and the
//! receiving end drops a number it has already taken (a
//! [`ReplayWindow`](tether_runtime::ReplayWindow)): the network may
//! duplicate a UDP datagram, and Roblox never hands an unreliable firing
//! over twice.

use std::hash::{BuildHasher, Hasher};

use tether_runtime::{Channel, Packet};

use crate::framing;

/// The largest unreliable message (its bytes, without the instance list)
/// a datagram carries: Roblox drops larger unreliable payloads.
pub const MAX_UNRELIABLE_BYTES: usize = 1000;

/// The largest datagram either side reads: the message, a generous instance
/// list and the header; anything longer is cut by the receive buffer and
/// dropped.
pub const MAX_DATAGRAM: usize = HEADER + 8 * 64 + MAX_UNRELIABLE_BYTES;

/// The token, the datagram's number and the instance count.
const HEADER: usize = 8 + 4 + 2;

/// The channel byte of a control frame on the stream.
pub const CONTROL: u8 = 2;

/// A control frame: what the transport says beside the runtime's packets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// The server offers datagrams: bind with `token` from a UDP socket to
    /// `port` on the server's address.
    Offer {
        /// The secret the client's bind datagram carries.
        token: u64,
        /// The server's UDP port.
        port: u16,
    },
    /// The server confirms the client's bind: datagrams flow from now on.
    Bound,
}

impl Control {
    /// The control frame as a blob (a stream adds its length prefix).
    pub fn encode(self) -> Vec<u8> {
        match self {
            Control::Offer { token, port } => {
                let mut out = vec![CONTROL, 0];
                out.extend_from_slice(&token.to_le_bytes());
                out.extend_from_slice(&port.to_le_bytes());
                out
            }
            Control::Bound => vec![CONTROL, 1],
        }
    }

    /// A blob that is a control frame, if it is one and well formed.
    pub fn decode(blob: &[u8]) -> Option<Control> {
        match blob {
            [CONTROL, 0, rest @ ..] if rest.len() == 10 => {
                let (token, port) = rest.split_at(8);
                Some(Control::Offer {
                    token: u64::from_le_bytes(token.try_into().ok()?),
                    port: u16::from_le_bytes(port.try_into().ok()?),
                })
            }
            [CONTROL, 1] => Some(Control::Bound),
            _ => None,
        }
    }
}

/// A token no one can guess: 64 bits from the standard library's randomly
/// keyed hasher (seeded by the operating system).
pub(crate) fn random_token() -> u64 {
    let mut hasher = std::hash::RandomState::new().build_hasher();
    hasher.write_u64(0x7e7e_7e7e);
    match hasher.finish() {
        // 0 is never a token, so that a zeroed datagram binds nothing.
        0 => 1,
        token => token,
    }
}

/// An unreliable packet as datagram `number` of its sender, or `None` if
/// its message is over the limit (dropped, as Roblox drops it) or the whole
/// over [`MAX_DATAGRAM`].
pub fn encode(token: u64, number: u32, packet: &Packet) -> Option<Vec<u8>> {
    if packet.bytes.len() > MAX_UNRELIABLE_BYTES {
        return None;
    }
    let count = u16::try_from(packet.instances.len()).ok()?;
    let mut out = Vec::with_capacity(HEADER + 8 * usize::from(count) + packet.bytes.len());
    out.extend_from_slice(&token.to_le_bytes());
    out.extend_from_slice(&number.to_le_bytes());
    framing::write_instances(&mut out, &packet.instances);
    out.extend_from_slice(&packet.bytes);
    // More than 64 instances make a datagram no receiver reads.
    (out.len() <= MAX_DATAGRAM).then_some(out)
}

/// What a received datagram holds.
#[derive(Debug, PartialEq)]
pub enum Datagram {
    /// A client's bind request: the token alone.
    Bind {
        /// The token the server offered.
        token: u64,
    },
    /// A packet of the runtime's, from the client bound with `token`.
    Packet {
        /// The token of the client that sent it.
        token: u64,
        /// Its number among the datagrams its sender sent.
        number: u32,
        /// The packet.
        packet: Packet,
    },
}

/// Reads a datagram; `None` for one that is malformed, or over the limit or
/// [`MAX_DATAGRAM`] (as [`encode`] refuses to write).
pub fn decode(datagram: &[u8]) -> Option<Datagram> {
    if datagram.len() > MAX_DATAGRAM {
        return None;
    }
    let (token, rest) = datagram.split_at_checked(8)?;
    let token = u64::from_le_bytes(token.try_into().ok()?);
    if rest.is_empty() {
        return Some(Datagram::Bind { token });
    }
    let (number, rest) = rest.split_at_checked(4)?;
    let number = u32::from_le_bytes(number.try_into().ok()?);
    let (instances, bytes) = framing::read_instances(rest).ok()?;
    if bytes.len() > MAX_UNRELIABLE_BYTES {
        return None;
    }
    Some(Datagram::Packet {
        token,
        number,
        packet: Packet {
            channel: Channel::Unreliable,
            bytes: bytes.to_vec(),
            instances,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tether_runtime::types::InstanceId;

    #[test]
    fn datagrams_round_trip() {
        let packet = Packet {
            channel: Channel::Unreliable,
            bytes: vec![1, 2, 3],
            instances: vec![Some(InstanceId(9)), None],
        };
        let bytes = encode(42, 7, &packet).expect("small enough");
        assert_eq!(bytes.len(), 8 + 4 + 2 + 16 + 3);
        assert_eq!(
            decode(&bytes),
            Some(Datagram::Packet {
                token: 42,
                number: 7,
                packet
            })
        );
        assert_eq!(
            decode(&42u64.to_le_bytes()),
            Some(Datagram::Bind { token: 42 })
        );
    }

    #[test]
    fn messages_over_the_limit_are_dropped_both_ways() {
        let packet = Packet {
            channel: Channel::Unreliable,
            bytes: vec![0; MAX_UNRELIABLE_BYTES + 1],
            instances: Vec::new(),
        };
        assert_eq!(encode(1, 0, &packet), None);
        let mut forged = 1u64.to_le_bytes().to_vec();
        forged.extend_from_slice(&0u32.to_le_bytes());
        forged.extend_from_slice(&0u16.to_le_bytes());
        forged.extend(vec![0; MAX_UNRELIABLE_BYTES + 1]);
        assert_eq!(decode(&forged), None);
    }

    #[test]
    fn datagrams_over_the_whole_limit_are_refused_both_ways() {
        let packet = Packet {
            channel: Channel::Unreliable,
            bytes: vec![0; MAX_UNRELIABLE_BYTES],
            instances: vec![None; 65],
        };
        assert_eq!(encode(1, 0, &packet), None);
        let mut forged = 1u64.to_le_bytes().to_vec();
        forged.extend_from_slice(&0u32.to_le_bytes());
        framing::write_instances(&mut forged, &packet.instances);
        forged.extend_from_slice(&packet.bytes);
        assert_eq!(decode(&forged), None);
        let fits = Packet {
            instances: vec![None; 64],
            ..packet
        };
        let bytes = encode(1, 0, &fits).expect("64 instances fit");
        assert_eq!(bytes.len(), MAX_DATAGRAM);
        assert!(decode(&bytes).is_some());
    }

    #[test]
    fn malformed_datagrams_are_refused() {
        assert_eq!(decode(&[1, 2, 3]), None);
        // A token and part of a number.
        assert_eq!(decode(&[1, 0, 0, 0, 0, 0, 0, 0, 9, 9]), None);
        let mut short_list = 1u64.to_le_bytes().to_vec();
        short_list.extend_from_slice(&0u32.to_le_bytes());
        short_list.extend_from_slice(&3u16.to_le_bytes());
        short_list.extend_from_slice(&[0; 16]);
        assert_eq!(decode(&short_list), None);
    }

    #[test]
    fn control_frames_round_trip_and_reject_junk() {
        for control in [
            Control::Offer {
                token: u64::MAX,
                port: 7777,
            },
            Control::Bound,
        ] {
            assert_eq!(Control::decode(&control.encode()), Some(control));
        }
        assert_eq!(Control::decode(&[CONTROL, 0, 1]), None);
        assert_eq!(Control::decode(&[CONTROL, 9]), None);
        assert_eq!(Control::decode(&[0, 1]), None);
    }

    #[test]
    fn tokens_differ() {
        assert_ne!(random_token(), random_token());
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;
    use tether_runtime::types::InstanceId;

    proptest! {
        /// Whatever a peer sends, decoding returns, and never holds more
        /// than the datagram's own bytes.
        #[test]
        fn any_datagram_decodes_or_is_refused(bytes in proptest::collection::vec(any::<u8>(), 0..1200)) {
            if let Some(Datagram::Packet { packet, .. }) = decode(&bytes) {
                prop_assert!(packet.bytes.len() + 8 * packet.instances.len() + HEADER <= bytes.len());
            }
            let _ = Control::decode(&bytes);
        }

        #[test]
        fn packets_within_the_limit_round_trip(
            token in any::<u64>(),
            number in any::<u32>(),
            bytes in proptest::collection::vec(any::<u8>(), 0..=MAX_UNRELIABLE_BYTES),
            ids in proptest::collection::vec(proptest::option::of(1u64..), 0..8),
        ) {
            let packet = Packet {
                channel: Channel::Unreliable,
                bytes,
                instances: ids.into_iter().map(|id| id.map(InstanceId)).collect(),
            };
            let encoded = encode(token, number, &packet).expect("within the limit");
            prop_assert!(encoded.len() <= MAX_DATAGRAM);
            prop_assert_eq!(decode(&encoded), Some(Datagram::Packet { token, number, packet }));
        }
    }
}
