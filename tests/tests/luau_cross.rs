//! Cross-language equality: the Luau that `tether gen luau` writes and the
//! Rust that `tether gen rust` writes speak one wire format, byte for byte.
//!
//! For every type form of `tests/schemas/types.tether` (each alias `X` is
//! sent by the server → client event `SendX`), random values cross both ways
//! through the mock Roblox engine (`tether-roblox-mock`):
//!
//! - **Rust → Luau**: the Rust encoder's frame is fired at the Luau client,
//!   whose module must deliver exactly the value Rust decodes from the same
//!   bytes (numbers compared by their bits; CFrame rotations within the last
//!   bit of binary32).
//! - **Luau → Rust**: the Luau server fires the value, built in Luau; its
//!   frame must be Rust's bytes and instance list for the value (a map's
//!   entries in either side's order), and Rust and the Luau client must both
//!   decode it back to the value.
//!
//! Then frames of several messages, the benchmark payloads of
//! `bench/schemas/payloads.tether` (bytes and sizes), and malformed frames,
//! which both decoders must refuse.
//!
//! Where Luau cannot hold a Rust value, the tests say what happens instead:
//! integers above 2^53, `Some(None)` of an optional of an optional, a
//! binary32 signalling NaN, nils inside `any` tables.

mod luau;
mod values;

mod luau_cross {
    pub mod case;
    pub mod harness;
    pub mod lv;
    pub mod schema;
    pub mod strategies;

    mod any;
    mod collections;
    mod coverage;
    mod datatypes;
    mod frames;
    mod functions;
    mod headers;
    mod instances;
    mod numbers;
    mod payloads;
    mod records;
    mod refusals;
    mod strings;
}
