//! The runtime that Tether's generated code stands on. The core does no I/O:
//! it takes bytes and time in and gives bytes and events out.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

/// Version of the wire format described in `docs/wire-format.md`.
pub const WIRE_VERSION: u16 = tether_facts::wire::WIRE_VERSION;

// The namespaces: the wire codec, the Roblox value types, the Roblox enums
// and classes, the handles of remotes, id-based calls, and the handshake a
// transport runs.
/// `?` for the generic code every message instantiates: in an unoptimized
/// build `?` calls `Try::branch` and `FromResidual::from_residual`, one
/// instance of each per result type, which a plain `match` does not.
macro_rules! tri {
    ($e:expr) => {
        match $e {
            ::core::result::Result::Ok(value) => value,
            ::core::result::Result::Err(err) => return ::core::result::Result::Err(err),
        }
    };
}

pub mod handshake;
pub mod raw;
pub mod remote;
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
mod responder;
mod server;
mod session;
mod stats;
mod transport;

/// What generated code stands on; not an API for hand-written code.
#[doc(hidden)]
pub mod __private {
    pub use crate::message::*;
}

pub use bindable::{Bindable, BindableEvent, BindableFunction, BindableResponder};
pub use client::ClientRuntime;
pub use connection::Connection;
pub use instances::{InstanceRegistry, UnknownClass, Visibility};
pub use invoke::{
    BindableInvocation, Invocation, InvokeError, SendError, Typed, MAX_ANSWERING_CALLS,
    MAX_PENDING_CALLS,
};
pub use player::Player;
pub use protocol::{
    DecodeFn, Direction, MessageKind, MessageSpec, Payload, Protocol, ProtocolMismatch, Rate,
    DEFAULT_TIMEOUT,
};
pub use queue::EventQueue;
pub use responder::Responder;
pub use server::ServerRuntime;
pub use session::{
    CLIENT_MESSAGES_PER_SECOND, MAX_OFFENCES, MAX_WAITING_BYTES, MAX_WAITING_EVENTS,
    REFUSALS_PER_SECOND, REPORTS_PER_SECOND,
};
pub use stats::{RejectReason, Rejected, Stats};
pub use transport::faults::LinkFaults;
pub use transport::memory::{MemoryNetwork, NetworkStats};
pub use transport::replay::{ReplayWindow, REPLAY_WINDOW};
pub use transport::{Channel, Packet};
