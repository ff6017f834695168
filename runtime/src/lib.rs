//! The runtime that Tether's generated code stands on. The core does no I/O:
//! it takes bytes and time in and gives bytes and events out.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

/// Version of the wire format described in `docs/wire-format.md`.
pub const WIRE_VERSION: u16 = tether_facts::wire::WIRE_VERSION;

// The namespaces: the wire codec, the Roblox value types, the Roblox enums
// and classes, id-based calls, and the handshake a transport runs.
pub mod handshake;
pub mod raw;
pub mod roblox;
pub mod types;
pub mod wire;

// The rest is re-exported below, each item at the root only, so that it has
// one path.
mod bindable;
mod classes;
mod client;
mod connection;
mod frame;
mod instances;
mod invoke;
mod lock;
mod message;
mod player;
mod protocol;
mod queue;
mod server;
mod session;
mod stats;
mod transport;

/// What generated code stands on; not an API for hand-written code.
#[doc(hidden)]
pub mod __private {
    pub use crate::message::*;
}

pub use bindable::{BindableEvent, BindableFunction};
pub use client::ClientRuntime;
pub use connection::Connection;
pub use instances::{InstanceRegistry, Visibility};
pub use invoke::{
    BindableInvocation, Invocation, InvokeError, SendError, Typed, MAX_PENDING_CALLS,
};
pub use player::Player;
pub use protocol::{
    DecodeFn, Direction, MessageKind, MessageSpec, Payload, PayloadValue, Protocol,
    ProtocolMismatch, Rate, DEFAULT_TIMEOUT,
};
pub use queue::EventQueue;
pub use server::ServerRuntime;
pub use session::{
    CLIENT_MESSAGES_PER_SECOND, MAX_OFFENCES, MAX_WAITING_BYTES, MAX_WAITING_EVENTS,
    REFUSALS_PER_SECOND, REPORTS_PER_SECOND,
};
pub use stats::{RejectReason, Rejected, Stats};
pub use transport::memory::{MemoryNetwork, NetworkStats};
pub use transport::{Channel, Packet};

// The limits `session`, `invoke` and `protocol` enforce are tether-facts'
// `policy`, which the Luau runtime is written from too: the build fails if
// one of their definitions drifts from it.
const _: () = {
    use tether_facts::{policy, wire};
    assert!(MAX_WAITING_EVENTS == policy::MAX_WAITING_EVENTS);
    assert!(MAX_WAITING_BYTES == policy::MAX_WAITING_BYTES);
    assert!(CLIENT_MESSAGES_PER_SECOND == policy::CLIENT_MESSAGES_PER_SECOND);
    assert!(REFUSALS_PER_SECOND == policy::REFUSALS_PER_SECOND);
    assert!(REPORTS_PER_SECOND == policy::REPORTS_PER_SECOND);
    assert!(MAX_OFFENCES == policy::MAX_OFFENCES);
    assert!(MAX_PENDING_CALLS == policy::MAX_PENDING_CALLS);
    assert!(DEFAULT_TIMEOUT.as_nanos() == policy::DEFAULT_TIMEOUT.as_nanos());
    assert!(invoke::MAX_ERROR_LEN == wire::ERROR_MESSAGE_LEN.max);
};
