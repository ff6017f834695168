//! Network transports for Tether runtimes, on tokio, outside the runtime's
//! core: the core takes packets and time in and gives packets out, and a
//! transport carries them between machines.
//!
//! [`NetServer`] and [`NetClient`] carry packets over TCP as length-prefixed
//! frames ([`framing`]), after the handshake of `docs/wire-format.md`
//! section 9. Each side runs its runtime's tick on its own task: `poll`
//! (handlers run there), then sends what the tick produced.
//!
//! `@unreliable` events travel on the same stream: over TCP they are never
//! dropped and never reordered, and their 1000-byte limit (checked by the
//! compiler) still holds. A datagram transport would drop them as Roblox
//! does.

mod client;
pub mod framing;
mod server;

pub use client::{ClientConfig, ConnectError, NetClient};
pub use server::{NetEvent, NetServer, ServerConfig};
