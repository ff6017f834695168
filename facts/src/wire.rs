//! Widths and limits of the wire format (`docs/wire-format.md`).
//!
//! The encoders, the decoders and the compiler's size model all compute
//! with these; a difference between any two of them is a message one side
//! writes and the other cannot read.

/// The version of the wire format. Peers exchange it in the handshake
/// (section 9) and the Luau runtime publishes it beside its remotes, so that
/// two builds of different formats refuse each other instead of misreading
/// every message.
pub const WIRE_VERSION: u16 = 1;

/// The bits of the tag of an enum of `count` variants, and of the index of
/// a Roblox enum item (sections 4.5 and 4.8): `ceil(log2(count))`, so that
/// every variant has a number and no bit is wasted; 0 for one variant or
/// none, which need no tag.
pub const fn tag_bits(count: u64) -> u32 {
    if count <= 1 {
        0
    } else {
        64 - (count - 1).leading_zeros()
    }
}

/// The bits of a field holding any value from 0 to `span` (section 2): the
/// length of `span` in binary, so that a bounded length or a packed integer
/// costs no more than its range needs; 0 for a span of 0.
pub const fn span_bits(span: u64) -> u32 {
    64 - span.leading_zeros()
}

/// The bits of a message id in a direction of `count` messages (section
/// 6.1): an enum tag, but at least 1, so that every message takes at least
/// one byte and a frame of messages can be told from an empty one.
pub const fn message_id_bits(count: u64) -> u32 {
    let bits = tag_bits(count);
    if bits == 0 {
        1
    } else {
        bits
    }
}

/// A bounded length range `min..=max` that the format fixes rather than a
/// schema declares. Its prefix is a field of `span_bits(max - min)` bits
/// holding `len - min` (section 3).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LenBounds {
    /// The shortest length; the prefix holds the length minus this.
    pub min: u32,
    /// The longest length; decoders reject a prefix above it.
    pub max: u32,
}

impl LenBounds {
    /// The bits of the length prefix.
    pub const fn prefix_bits(self) -> u32 {
        span_bits((self.max - self.min) as u64)
    }
}

/// The largest unreliable event Roblox delivers, in bytes (section 7):
/// Roblox drops a larger `UnreliableRemoteEvent` payload silently, so the
/// checker refuses an `@unreliable` event that can exceed it.
pub const UNRELIABLE_LIMIT: u64 = 1000;

/// The length of the error message of a failed remote function call
/// (section 6.3): short enough for an 8-bit prefix, and a server should not
/// send more than a sentence to a client anyway.
pub const ERROR_MESSAGE_LEN: LenBounds = LenBounds { min: 0, max: 255 };

/// The keypoint count of a `NumberSequence` or `ColorSequence` (section
/// 4.7): Roblox refuses fewer than 2 and more than 20.
pub const SEQUENCE_KEYPOINTS: LenBounds = LenBounds { min: 2, max: 20 };

/// The most nested values of recursive types one value may hold (section
/// 4.6). A decoder rejects the message at the next level, so that a few
/// bytes of input cannot make it recurse without bound.
pub const MAX_NESTING: u32 = 128;

/// The deepest nesting of tables in an `any` (section 4.10; the outermost
/// table is depth 1). Encoders refuse deeper values, which also catches
/// cyclic tables; decoders reject them for the same reason as
/// [`MAX_NESTING`].
pub const MAX_ANY_DEPTH: u32 = 32;

/// The most elements an array may hold when its elements take no space
/// (section 4.4): above it, a few bytes of input would cost its decoder a
/// long loop for nothing.
pub const ZERO_SIZE_CAP: u64 = 1 << 20;

/// The most values a message body may have and still travel as the
/// runtime's tuple codec (the runtime implements `Encode`/`Decode` for
/// tuples up to this length); the generator writes a codec of its own for
/// a longer one.
pub const MAX_TUPLE: usize = 12;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_bits_number_every_variant() {
        for (count, bits) in [
            (0, 0),
            (1, 0),
            (2, 1),
            (3, 2),
            (4, 2),
            (5, 3),
            (16, 4),
            (17, 5),
        ] {
            assert_eq!(tag_bits(count), bits, "{count} variants");
        }
        assert_eq!(tag_bits(u64::MAX), 64);
    }

    #[test]
    fn span_bits_hold_the_span() {
        for (span, bits) in [(0, 0), (1, 1), (4, 3), (100, 7), (255, 8), (256, 9)] {
            assert_eq!(span_bits(span), bits, "span {span}");
        }
        assert_eq!(span_bits(u64::MAX), 64);
    }

    #[test]
    fn message_ids_take_at_least_one_bit() {
        for (count, bits) in [
            (0, 1),
            (1, 1),
            (2, 1),
            (3, 2),
            (256, 8),
            (257, 9),
            (65536, 16),
        ] {
            assert_eq!(message_id_bits(count), bits, "{count} messages");
        }
    }

    #[test]
    fn fixed_prefixes() {
        assert_eq!(ERROR_MESSAGE_LEN.prefix_bits(), 8);
        assert_eq!(SEQUENCE_KEYPOINTS.prefix_bits(), 5);
    }
}
