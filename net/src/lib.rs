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
//! `@unreliable` events travel on the same stream: they are never dropped
//! and never reordered, and their 1000-byte limit (checked by the compiler)
//! still holds, but a lost segment delays them with everything behind it
//! (head-of-line blocking), where Roblox would drop them and move on.

mod client;
pub mod framing;
mod link;
mod server;
mod stats;
mod tcp;
mod websocket;

pub use client::{ClientConfig, ConnectError, NetClient};
pub use server::{NetEvent, NetServer, ServerConfig};
pub use stats::NetStats;
