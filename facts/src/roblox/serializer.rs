//! What Roblox's own serializer costs per value of a native remote, as far
//! as it is known: the lengths of `FireServer` payloads measured for one
//! value each (nil 1 byte, `true` 2, `""` 2, `"a"` 3, `"abc"` 5, any number
//! 9, `{}` 2, an empty buffer 3). The format itself is not documented, so
//! these are only floors: a value never costs less, and the checker uses
//! them only to prove a payload too large, never to promise that one fits.

/// Every value starts with a byte that says its type.
pub const TYPE_BYTES: u64 = 1;

/// `nil`: its type byte.
pub const NIL_BYTES: u64 = TYPE_BYTES;

/// A boolean: its type byte and one byte.
pub const BOOLEAN_BYTES: u64 = TYPE_BYTES + 1;

/// A number: its type byte and a double.
pub const NUMBER_BYTES: u64 = TYPE_BYTES + 8;

/// A string: its type byte, its length as a variable-length quantity,
/// then its bytes.
pub const fn string_bytes(len: u64) -> u64 {
    TYPE_BYTES + vlq_bytes(len) + len
}

/// A buffer: at least its type byte, its length as a variable-length
/// quantity and its bytes (an empty one measured 3 bytes, one more than
/// this).
pub const fn buffer_bytes(len: u64) -> u64 {
    TYPE_BYTES + vlq_bytes(len) + len
}

/// A table, before its entries: its type byte and at least one byte of
/// count.
pub const TABLE_BYTES: u64 = TYPE_BYTES + 1;

/// Bytes of `value` as a variable-length quantity of 7 bits a byte.
pub const fn vlq_bytes(value: u64) -> u64 {
    let mut bytes = 1;
    let mut rest = value >> 7;
    while rest > 0 {
        bytes += 1;
        rest >>= 7;
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The floors are the measured payloads where one was measured.
    #[test]
    fn floors_match_the_measured_payloads() {
        assert_eq!(NIL_BYTES, 1);
        assert_eq!(BOOLEAN_BYTES, 2);
        assert_eq!(NUMBER_BYTES, 9);
        assert_eq!(TABLE_BYTES, 2);
        assert_eq!(
            [
                string_bytes(0),
                string_bytes(1),
                string_bytes(2),
                string_bytes(3)
            ],
            [2, 3, 4, 5]
        );
        assert!(buffer_bytes(0) <= 3);
    }

    #[test]
    fn lengths_take_a_byte_per_seven_bits() {
        assert_eq!(vlq_bytes(0), 1);
        assert_eq!(vlq_bytes(127), 1);
        assert_eq!(vlq_bytes(128), 2);
        assert_eq!(vlq_bytes(16_383), 2);
        assert_eq!(vlq_bytes(16_384), 3);
        assert_eq!(vlq_bytes(u64::MAX), 10);
    }
}
