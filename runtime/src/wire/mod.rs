//! The wire codec: the building blocks generated code encodes and decodes
//! values with, exactly as `docs/wire-format.md` lays them out.
//!
//! - [`Writer`] and [`Reader`]: byte values and inline bit bytes (section 2),
//!   length prefixes (section 3), strings and buffers (4.2), instance
//!   references (4.9).
//! - [`Encode`] and [`Decode`]: types whose encoding needs nothing from their
//!   use site: booleans, integers, finite floats, the Roblox datatypes (4.7),
//!   `any` ([`Value`](crate::types::Value), 4.10).
//! - [`write_array`], [`read_array`], [`write_map`], [`read_map`]
//!   ([`read_map_of_instances`], [`read_set_of_instances`] for instance keys),
//!   [`write_option`], [`read_option`]: arrays, maps and optionals (4.3, 4.4)
//!   with the element encoding given by the caller.
//! - [`check_int`] and [`check_float`]: the range and finiteness checks of
//!   section 4.1, for both sides.
//!
//! Decoding never panics and never allocates for a length before checking
//! that the input holds that many elements.

mod cframe;
mod checked;
mod collections;
mod columns;
mod datatypes;
mod error;
mod instance;
mod len;
mod primitives;
mod reader;
mod tuples;
mod value;
mod writer;

pub use collections::{
    read_array, read_bools, read_count, read_map, read_map_of_instances, read_option, read_set,
    read_set_of_instances, write_array, write_bools, write_map, write_option, write_set,
    ZERO_SIZE_CAP,
};
pub use columns::{read_bit_column, read_byte_column, write_bit_column, write_byte_column};
pub use datatypes::SEQUENCE_KEYPOINTS;
pub use error::{
    check_float, check_int, packed_out_of_range, DecodeError, EncodeError, RangeError,
};
pub use instance::visible_to;
pub use len::{LenRange, Prefix};
pub(crate) use reader::ReadMark;
pub use reader::Reader;
pub use value::{ANY_TAGS, MAX_ANY_DEPTH};
pub use writer::MAX_NESTING;
pub use writer::{Checkpoint, Writer};

/// What encoding a value gives: nothing, or why the value cannot be sent.
pub type EncodeResult = Result<(), EncodeError>;

/// What decoding a `T` gives: the value, or why the bytes are not one.
pub type DecodeResult<T> = Result<T, DecodeError>;

/// A type whose encoding needs no refinement from its use site.
pub trait Encode {
    /// Appends the value's encoding to `w`, or refuses a value its type
    /// cannot carry.
    fn encode(&self, w: &mut Writer) -> Result<(), EncodeError>;
}

/// The decoding of an [`Encode`] type.
pub trait Decode: Sized {
    /// Reads one value from `r`, or rejects bytes that are not one.
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError>;
}

pub use tether_facts::wire::span_bits;

/// The bits of the tag of an enum of `count` variants (section 4.5), for
/// the runtime's `u32` counts.
pub const fn tag_bits(count: u32) -> u32 {
    tether_facts::wire::tag_bits(count as u64)
}

/// Encodes one value as a whole message: a fresh bit state, then the value.
/// Returns the bytes and the instance list.
pub fn encode_message<T: Encode + ?Sized>(
    value: &T,
) -> Result<(Vec<u8>, Vec<crate::types::InstanceId>), EncodeError> {
    let mut w = Writer::new();
    w.start_message();
    value.encode(&mut w)?;
    Ok(w.take())
}

/// Decodes one value that must be the whole of `bytes`
/// ([`DecodeError::TrailingBytes`] otherwise).
pub fn decode_message<T: Decode>(
    bytes: &[u8],
    instances: &[Option<crate::types::InstanceId>],
) -> Result<T, DecodeError> {
    let mut r = Reader::with_instances(bytes, instances);
    r.start_message();
    let value = T::decode(&mut r)?;
    r.finish()?;
    Ok(value)
}
