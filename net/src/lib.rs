//! Network transports for Tether runtimes, on tokio, outside the runtime's
//! core: the core takes packets and time in and gives packets out, and a
//! transport carries them between machines.
//!
//! [`NetServer`] and [`NetClient`] carry packets over TCP as length-prefixed
//! frames ([`framing`]), or over WebSocket as binary messages (for browser
//! clients), after the handshake of `docs/wire-format.md` section 9. One
//! server may listen on both. Each side runs its runtime's tick on its own
//! task: `poll` (handlers run there), then sends what the tick produced.
//!
//! `@unreliable` events travel as UDP datagrams beside a TCP connection
//! ([`datagram`]): they may be lost or reordered, and one over 1000 bytes is
//! dropped, as Roblox's `UnreliableRemoteEvent`s are. Over WebSocket, and
//! until a TCP client has bound its UDP address, they travel on the stream,
//! never dropped and never reordered.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod client;
pub mod datagram;
pub mod framing;
mod link;
mod server;
mod stats;
mod tcp;
mod websocket;

pub use client::{ClientConfig, ConnectError, NetClient};
pub use server::{NetEvent, NetServer, ServerConfig};
pub use stats::NetStats;
