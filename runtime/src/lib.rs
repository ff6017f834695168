//! The runtime that Tether's generated code stands on. The core does no I/O:
//! it takes bytes and time in and gives bytes and events out.

/// Version of the wire format described in `docs/wire-format.md`.
pub const WIRE_VERSION: u16 = 0;

pub mod types;
pub mod wire;
