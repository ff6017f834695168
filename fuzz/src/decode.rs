//! The `decode` target: the decoder of every generated message type, alone
//! and inside the runtimes.
//!
//! An input is `[selector, message, bytes...]`:
//!
//! - `selector` bits 0-1 pick the protocol ([`PROTOCOLS`]), bit 2 the
//!   direction whose message `bytes` is decoded as a body, bits 3-5 how many
//!   entries of the instance list travel with the bytes (0 to 7);
//! - `message` picks the message of that direction (modulo their number).
//!
//! Then `bytes` is decoded as that message's body on its own, and is
//! received as a whole frame, on both channels, by a server (from a
//! connected player) and by a client of the same protocol, each with a
//! handler on every message and calls of its own awaiting responses; both
//! are polled and their output taken. Nothing may panic, and nothing may
//! allocate much more than the input.
//!
//! `tests/tests/fuzz_regressions.rs` includes this file (`#[path]`), so the
//! regression tests run exactly this code.

use std::time::Duration;
use tether_runtime::raw::{RawClient, RawServer};
use tether_runtime::roblox::classes;

use tether_runtime::types::InstanceId;
use tether_runtime::wire::{Reader, Writer};
use tether_runtime::{
    Channel, ClientRuntime, Direction, InstanceRegistry, InvokeError, MessageKind, Packet, Player,
    Protocol, ServerRuntime, Visibility,
};

/// The generated protocols of `tether-tests`, by selector.
pub const PROTOCOLS: [(&str, &Protocol); 4] = [
    ("game", &tether_tests::game::PROTOCOL),
    ("edge", &tether_tests::edge::PROTOCOL),
    ("types", &tether_tests::types::PROTOCOL),
    ("mirror", &tether_tests::mirror::PROTOCOL),
];

/// The instance list of a body decoded on its own: visible and hidden
/// (`None`) entries.
const BODY_INSTANCES: [Option<InstanceId>; 7] = [
    Some(InstanceId(1)),
    None,
    Some(InstanceId(2)),
    Some(InstanceId(3)),
    None,
    Some(InstanceId(u64::MAX)),
    Some(InstanceId(0)),
];

/// What an input asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Selection {
    pub protocol: usize,
    pub direction: Direction,
    pub message: usize,
    pub instances: usize,
}

impl Selection {
    /// The header an input starts with to make this selection.
    pub fn header(&self) -> [u8; 2] {
        let direction = match self.direction {
            Direction::ToServer => 0,
            Direction::ToClient => 1,
        };
        let selector = (self.protocol as u8 & 3) | direction << 2 | (self.instances as u8 & 7) << 3;
        [selector, self.message as u8]
    }
}

/// Splits an input into its selection and its bytes.
pub fn split(data: &[u8]) -> Option<(Selection, &[u8])> {
    let (&selector, rest) = data.split_first()?;
    let (&message, bytes) = rest.split_first()?;
    let protocol = usize::from(selector & 3);
    let direction = if selector & 4 == 0 {
        Direction::ToServer
    } else {
        Direction::ToClient
    };
    let selection = Selection {
        protocol,
        direction,
        message: usize::from(message),
        instances: usize::from((selector >> 3) & 7),
    };
    Some((selection, bytes))
}

/// Runs one input; panics on any failure.
pub fn run(data: &[u8]) {
    let Some((selection, bytes)) = split(data) else {
        return;
    };
    let protocol = PROTOCOLS[selection.protocol].1;
    decode_body(protocol, &selection, bytes);
    let _ = server_receives(protocol, selection.instances, bytes);
    let _ = client_receives(protocol, selection.instances, bytes);
}

/// Decodes `bytes` as the selected message's body, as generated code would.
pub fn decode_body(protocol: &Protocol, selection: &Selection, bytes: &[u8]) {
    let messages = protocol.messages(selection.direction);
    if messages.is_empty() {
        return;
    }
    let spec = &messages[selection.message % messages.len()];
    let instances = &BODY_INSTANCES[..selection.instances.min(BODY_INSTANCES.len())];
    let _ = (spec.decode)(&mut Reader::with_instances(bytes, instances));
}

/// The ids of the messages of `direction` that are events, and those that
/// are requests.
fn ids(protocol: &Protocol, direction: Direction) -> (Vec<u16>, Vec<u16>) {
    let mut events = Vec::new();
    let mut requests = Vec::new();
    for (id, spec) in protocol.messages(direction).iter().enumerate() {
        let Ok(id) = u16::try_from(id) else { break };
        match spec.kind {
            MessageKind::Event { .. } => events.push(id),
            MessageKind::Request { .. } => requests.push(id),
            MessageKind::Response { .. } => {}
        }
    }
    (events, requests)
}

/// A handler's answer: a success that writes nothing for even request ids,
/// an error for odd ones.
fn answer(id: u16) -> Result<(), InvokeError> {
    if id.is_multiple_of(2) {
        Ok(())
    } else {
        Err(InvokeError::Handler("no".to_string()))
    }
}

/// What a runtime did with an input.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Outcome {
    /// The bytes were accepted as a reliable frame.
    pub reliable: bool,
    /// The bytes were accepted as a datagram.
    pub unreliable: bool,
    /// Packets sent back.
    pub packets: usize,
}

/// A server of `protocol` with one player and a few instances receives
/// `bytes` from that player as a reliable frame and as a datagram, with
/// the first `instances` entries of its list.
pub fn server_receives(protocol: &'static Protocol, instances: usize, bytes: &[u8]) -> Outcome {
    let registry = InstanceRegistry::new();
    let server = ServerRuntime::with_instances(protocol, registry.clone());
    let player = server.connect_player();
    let other = server.connect_player();
    let list = [
        player.instance,
        Some(
            registry
                .register::<classes::Part>(Visibility::Everyone)
                .id(),
        ),
        Some(
            registry
                .register::<classes::Model>(Visibility::ServerOnly)
                .id(),
        ),
        Some(
            registry
                .register::<classes::Tool>(Visibility::player(&player))
                .id(),
        ),
        Some(
            registry
                .register::<classes::Folder>(Visibility::player(&other))
                .id(),
        ),
        Some(InstanceId(1 << 40)),
        None,
    ];
    let list = list[..instances.min(list.len())].to_vec();

    let (events, requests) = ids(protocol, Direction::ToServer);
    let _connections: Vec<_> = events
        .iter()
        .flat_map(|&id| {
            let first = server.connect(id, |_: &Player, _| {});
            let second = server.connect(id, |_: &Player, _| {});
            [first, second]
        })
        .collect();
    for &id in &requests {
        server.on_invoke(id, move |_: &Player, payload, _: &mut Writer| {
            drop(payload);
            answer(id)
        });
    }
    // Calls of the server's own, for responses to match (call ids 0, 1, ...).
    let (_, client_requests) = ids(protocol, Direction::ToClient);
    let _calls: Vec<_> = client_requests
        .iter()
        .map(|&id| server.invoke_client(&player, id, |_| Ok(())))
        .collect();
    let _ = server.take_packets();

    let mut accepted = [false; 2];
    for (channel, accepted) in [Channel::Reliable, Channel::Unreliable]
        .into_iter()
        .zip(&mut accepted)
    {
        let packet = Packet {
            channel,
            bytes: bytes.to_vec(),
            instances: list.clone(),
        };
        let before = server.stats().frames_received;
        server.receive_packet(&player, &packet);
        *accepted = server.stats().frames_received > before;
    }
    server.receive(&player, bytes);
    server.poll(Duration::from_millis(16));
    let mut packets = server.take_packets().len();
    // Past every timeout.
    server.poll(Duration::from_secs(3600));
    packets += server.take_packets().len();
    server.disconnect_player(&player);
    server.receive(&player, bytes);
    server.poll(Duration::from_secs(3601));
    packets += server.take_packets().len();
    Outcome {
        reliable: accepted[0],
        unreliable: accepted[1],
        packets,
    }
}

/// A client of `protocol` receives `bytes` from the server as a reliable
/// frame and as a datagram, with the first `instances` entries of a list.
pub fn client_receives(protocol: &'static Protocol, instances: usize, bytes: &[u8]) -> Outcome {
    let client = ClientRuntime::new(protocol);
    let list = BODY_INSTANCES[..instances.min(BODY_INSTANCES.len())].to_vec();

    let (events, requests) = ids(protocol, Direction::ToClient);
    let _connections: Vec<_> = events
        .iter()
        .flat_map(|&id| {
            let first = client.connect(id, |_| {});
            let second = client.connect(id, |_| {});
            [first, second]
        })
        .collect();
    for &id in &requests {
        client.on_invoke(id, move |payload, _: &mut Writer| {
            drop(payload);
            answer(id)
        });
    }
    let (_, server_requests) = ids(protocol, Direction::ToServer);
    let _calls: Vec<_> = server_requests
        .iter()
        .map(|&id| client.invoke_server(id, |_| Ok(())))
        .collect();
    let _ = client.take_packets();

    let mut accepted = [false; 2];
    for (channel, accepted) in [Channel::Reliable, Channel::Unreliable]
        .into_iter()
        .zip(&mut accepted)
    {
        let packet = Packet {
            channel,
            bytes: bytes.to_vec(),
            instances: list.clone(),
        };
        let before = client.stats().frames_received;
        client.receive_packet(&packet);
        *accepted = client.stats().frames_received > before;
    }
    client.receive(bytes);
    client.poll(Duration::from_millis(16));
    let mut packets = client.take_packets().len();
    client.poll(Duration::from_secs(3600));
    packets += client.take_packets().len();
    client.disconnect();
    client.receive(bytes);
    client.poll(Duration::from_secs(3601));
    packets += client.take_packets().len();
    Outcome {
        reliable: accepted[0],
        unreliable: accepted[1],
        packets,
    }
}

/// The bits of a message id in a direction of `count` messages (section 6.1).
fn id_bits(count: usize) -> u32 {
    (usize::BITS - count.saturating_sub(1).leading_zeros()).max(1)
}

/// Whether a fresh receiver of `direction` accepts `frame` as a reliable
/// frame with an instance list of `instances` entries.
fn accepted(
    protocol: &'static Protocol,
    direction: Direction,
    frame: &[u8],
    instances: usize,
) -> bool {
    match direction {
        Direction::ToServer => {
            let server = ServerRuntime::new(protocol);
            let player = server.connect_player();
            let list = [player.instance, None];
            let packet = Packet {
                channel: Channel::Reliable,
                bytes: frame.to_vec(),
                instances: list[..instances.min(list.len())].to_vec(),
            };
            server.receive_packet(&player, &packet);
            server.stats().frames_received == 1
        }
        Direction::ToClient => {
            let client = ClientRuntime::new(protocol);
            let packet = Packet {
                channel: Channel::Reliable,
                bytes: frame.to_vec(),
                instances: BODY_INSTANCES[..instances.min(BODY_INSTANCES.len())].to_vec(),
            };
            client.receive_packet(&packet);
            client.stats().frames_received == 1
        }
    }
}

/// Seed inputs: for every message of every protocol, the shortest frames
/// of that message alone that its receiver accepts, found by trying the
/// message's id with the rest of its bit byte zero or one (a response's
/// status bit says "ok"), then up to 64 bytes of zeros, or of ones with an
/// instance list of one entry (an instance reference of index 1). Named
/// `<protocol>-<direction>-<id>-<variant>`.
pub fn seeds() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    for (index, (name, protocol)) in PROTOCOLS.into_iter().enumerate() {
        for direction in [Direction::ToServer, Direction::ToClient] {
            let messages = protocol.messages(direction);
            let bits = id_bits(messages.len());
            if bits > 8 {
                continue;
            }
            let label = match direction {
                Direction::ToServer => "to_server",
                Direction::ToClient => "to_client",
            };
            for id in 0..messages.len() {
                let variants = [
                    ("a", 0u8, 0u8, 0usize),
                    ("b", 0xFF, 0, 0),
                    ("c", 0, 1, 1),
                    ("d", 0xFF, 1, 1),
                ];
                for (variant, fill, tail, instances) in variants {
                    let first = (id as u8) | fill.checked_shl(bits).unwrap_or(0);
                    let found = (0..=64).map(|n| {
                        let mut frame = vec![first];
                        frame.resize(1 + n, tail);
                        frame
                    });
                    let found = found
                        .into_iter()
                        .find(|frame| accepted(protocol, direction, frame, instances));
                    let Some(frame) = found else { continue };
                    let selection = Selection {
                        protocol: index,
                        direction,
                        message: id,
                        instances,
                    };
                    let mut input = selection.header().to_vec();
                    input.extend_from_slice(&frame);
                    if out.iter().all(|(_, seen)| *seen != input) {
                        out.push((format!("{name}-{label}-{id}-{variant}"), input));
                    }
                }
            }
        }
    }
    out
}
