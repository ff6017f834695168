//! The facts that Tether's compiler, its Rust runtime and its Luau runtime
//! must agree on, each stated once.
//!
//! Two encoders that disagree on one bit width or one limit do not
//! interoperate, and a size model that disagrees with the encoder lets an
//! unreliable event through the checker that Roblox then drops. So every
//! fact lives here, and everything else reads it:
//!
//! - [`wire`]: widths and limits of the format of `docs/wire-format.md`;
//! - [`policy`]: the limits both runtimes enforce on what a peer sends;
//! - [`roblox`]: Roblox's classes and enums, from the reflection database
//!   the tables were generated from (enum items are numbered by position on
//!   the wire, so the tables are part of the format).
//!
//! The crate has no dependencies, so that depending on it costs a game's
//! build nothing.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod policy;
pub mod roblox;
pub mod wire;
