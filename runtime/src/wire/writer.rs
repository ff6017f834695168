//! The encoder: byte values appended, bits packed into inline bit bytes
//! (section 2), length prefixes (section 3).

use super::instance::InstanceList;
use super::{EncodeError, LenRange, Prefix};
use crate::types::InstanceId;

/// A point in a [`Writer`] to go back to ([`Writer::rollback`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    len: usize,
    open: usize,
    room: u32,
    open_byte: u8,
    instances: usize,
}

/// Encodes messages into one byte buffer and one instance list (a frame).
///
/// Call [`Writer::start_message`] before each message: bits of a message never
/// share a bit byte with another message's.
#[derive(Debug, Clone, Default)]
pub struct Writer {
    buf: Vec<u8>,
    /// Position of the open bit byte in `buf`; meaningful while `room > 0`.
    open: usize,
    /// Bits left in the open bit byte (0 to 7); 0 when there is none, so
    /// that the next bit opens one.
    room: u32,
    instances: InstanceList,
    /// Values of recursive types open around the one being written.
    nesting: u32,
}

/// The deepest nesting of values of recursive declared types either side
/// accepts (section 4.6): a bound on the decoder's stack, whatever a peer
/// sends.
pub const MAX_NESTING: u32 = tether_facts::wire::MAX_NESTING;

impl Writer {
    /// Encodes one level of a recursive type: `encode` runs one level
    /// deeper, and fails with [`EncodeError::TooNested`] beyond
    /// [`MAX_NESTING`], so that the receiver never sees a value it would refuse.
    #[inline]
    pub fn nested(
        &mut self,
        encode: impl FnOnce(&mut Self) -> Result<(), EncodeError>,
    ) -> Result<(), EncodeError> {
        if self.nesting >= MAX_NESTING {
            return Err(EncodeError::TooNested { max: MAX_NESTING });
        }
        self.nesting += 1;
        let out = encode(self);
        self.nesting -= 1;
        out
    }

    /// An empty writer.
    #[inline]
    pub fn new() -> Self {
        Writer::default()
    }

    /// An empty writer whose buffer holds `n` bytes before it grows.
    #[inline]
    pub fn with_capacity(n: usize) -> Self {
        Writer {
            buf: Vec::with_capacity(n),
            ..Writer::default()
        }
    }

    /// Starts a message: the next bit opens a new bit byte. The instance list
    /// is kept (one list per frame).
    #[inline]
    pub fn start_message(&mut self) {
        self.open = 0;
        self.room = 0;
    }

    /// Writes one bit (section 2, `write_bit`).
    #[inline]
    pub fn bool(&mut self, v: bool) {
        if self.room == 0 {
            self.buf.push(u8::from(v));
            self.open = self.buf.len() - 1;
            self.room = 7;
            return;
        }
        if let Some(byte) = self.buf.get_mut(self.open) {
            *byte |= u8::from(v) << (8 - self.room);
        }
        self.room -= 1;
    }

    /// Writes many bits, as [`Writer::bool`] would one by one, but whole
    /// bytes at a time once the open bit byte is full.
    pub fn bools(&mut self, values: &[bool]) {
        let mut values = values;
        while self.room > 0 {
            let Some((&first, rest)) = values.split_first() else {
                return;
            };
            self.bool(first);
            values = rest;
        }
        let mut chunks = values.chunks_exact(8);
        self.buf.reserve(values.len() / 8 + 1);
        for chunk in &mut chunks {
            // Eight 0/1 bytes, gathered into one by a multiply: bit 8i of the
            // word lands on bit 56 + i.
            let word = u64::from_le_bytes(std::array::from_fn(|i| u8::from(chunk[i])));
            self.buf
                .push((word.wrapping_mul(0x0102_0408_1020_4080) >> 56) as u8);
        }
        if values.len() >= 8 {
            // The last whole byte was the open bit byte, and it is full.
            self.room = 0;
        }
        for &bit in chunks.remainder() {
            self.bool(bit);
        }
    }

    /// Writes the low `count` bits of `value` (`count` at most 32), least
    /// significant first: a k-bit field such as an enum tag.
    #[inline]
    pub fn bits(&mut self, value: u32, count: u32) {
        self.bits64(u64::from(value), count);
    }

    /// Writes the low `count` bits of `value` (`count` at most 64), least
    /// significant first, as [`Writer::bool`] would one by one: the room
    /// left in the open bit byte first, then whole new bit bytes, then a
    /// last, partly used one.
    #[inline(always)]
    pub fn bits64(&mut self, value: u64, count: u32) {
        debug_assert!(count <= 64, "a bit field is at most 64 bits");
        let count = count.min(64);
        if count == 0 {
            return;
        }
        let value = value & (u64::MAX >> (64 - count));
        if count <= self.room {
            if let Some(byte) = self.buf.get_mut(self.open) {
                *byte |= (value << (8 - self.room)) as u8;
            }
            self.room -= count;
            return;
        }
        self.bits64_spilling(value, count);
    }

    /// [`Writer::bits64`] for a field that does not fit the open bit byte.
    #[inline]
    fn bits64_spilling(&mut self, value: u64, count: u32) {
        let mut value = value;
        let mut left = count;
        if self.room > 0 {
            if let Some(byte) = self.buf.get_mut(self.open) {
                *byte |= (value << (8 - self.room)) as u8;
            }
            value >>= self.room;
            left -= self.room;
        }
        // Each further bit byte opens at the end of the output, and nothing
        // else is written meanwhile: they are consecutive. All eight bytes
        // of the value are appended and the excess cut, one fixed-size store
        // instead of a copy of a variable length.
        let new = left.div_ceil(8) as usize;
        let end = self.buf.len() + new;
        self.buf.extend_from_slice(&value.to_le_bytes());
        self.buf.truncate(end);
        self.open = end - 1;
        self.room = (8 - left % 8) % 8;
    }

    /// Writes the tag of variant `index` of an enum of `count` variants
    /// ([`tag_bits`](super::tag_bits)`(count)` bits).
    #[inline]
    pub fn tag(&mut self, index: u32, count: u32) {
        debug_assert!(index < count.max(1), "enum tag out of range");
        self.bits(index, super::tag_bits(count));
    }

    /// Writes a `u8` (one byte).
    #[inline]
    pub fn u8(&mut self, v: u8) {
        self.buf.push(v);
    }

    /// Writes a `u16`, little-endian (section 4.1).
    #[inline]
    pub fn u16(&mut self, v: u16) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// Writes a `u32`, little-endian (section 4.1).
    #[inline]
    pub fn u32(&mut self, v: u32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// Writes a `u64`, little-endian (section 4.1).
    #[inline]
    pub fn u64(&mut self, v: u64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// Writes a `i8` (one byte).
    #[inline]
    pub fn i8(&mut self, v: i8) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// Writes a `i16`, little-endian (section 4.1).
    #[inline]
    pub fn i16(&mut self, v: i16) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// Writes a `i32`, little-endian (section 4.1).
    #[inline]
    pub fn i32(&mut self, v: i32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// Writes a `i64`, little-endian (section 4.1).
    #[inline]
    pub fn i64(&mut self, v: i64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// Writes the binary32 as it is (no finiteness check).
    #[inline]
    pub fn f32(&mut self, v: f32) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// Writes the binary64 as it is (no finiteness check).
    #[inline]
    pub fn f64(&mut self, v: f64) {
        self.buf.extend_from_slice(&v.to_le_bytes());
    }

    /// Appends raw bytes (no prefix).
    #[inline]
    pub fn bytes(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
    }

    /// Makes room for `additional` more bytes.
    #[inline]
    pub fn reserve(&mut self, additional: usize) {
        self.buf.reserve(additional);
    }

    /// Writes an unsigned LEB128 varint in its shortest form.
    #[inline]
    pub fn varint(&mut self, mut v: u32) {
        loop {
            let group = (v & 0x7F) as u8;
            v >>= 7;
            if v == 0 {
                self.buf.push(group);
                return;
            }
            self.buf.push(group | 0x80);
        }
    }

    /// Checks `len` against `range` and writes its prefix (section 3).
    #[inline]
    pub fn len(&mut self, len: usize, range: LenRange) -> Result<(), EncodeError> {
        let len64 = u64::try_from(len).unwrap_or(u64::MAX);
        if !range.contains(len64) {
            return Err(EncodeError::LengthOutOfRange {
                len: len64,
                min: range.min,
                max: range.max,
            });
        }
        // `contains` bounds `len` to `min..=u32::MAX`.
        let value = (len64 - u64::from(range.min)) as u32;
        match range.prefix() {
            Prefix::Bits(count) => self.bits(value, count),
            Prefix::Varint => self.varint(value),
        }
        Ok(())
    }

    /// Writes a string: its byte length prefix, then its bytes.
    #[inline]
    pub fn string(&mut self, s: &str, range: LenRange) -> Result<(), EncodeError> {
        self.buffer(s.as_bytes(), range)
    }

    /// Writes a buffer: its length prefix, then its bytes.
    #[inline]
    pub fn buffer(&mut self, b: &[u8], range: LenRange) -> Result<(), EncodeError> {
        self.len(b.len(), range)?;
        self.bytes(b);
        Ok(())
    }

    /// Writes an instance reference: 0 for `None`, else the 1-based index of
    /// `id` in this writer's instance list, appending it at its first use.
    #[inline]
    pub fn instance(&mut self, id: Option<InstanceId>) {
        let reference = match id {
            None => 0,
            Some(id) => self.instances.reference(id),
        };
        self.u32(reference);
    }

    /// The bytes written so far (all messages of the frame).
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        &self.buf
    }

    /// The instance list so far, in reference order (index 1 first).
    #[inline]
    pub fn instances(&self) -> &[InstanceId] {
        self.instances.ids()
    }

    /// The number of bytes written so far.
    #[inline]
    pub fn position(&self) -> usize {
        self.buf.len()
    }

    /// The current state, to [`rollback`](Writer::rollback) to if encoding a
    /// message fails halfway.
    #[inline]
    pub fn checkpoint(&self) -> Checkpoint {
        let open_byte = match self.room {
            0 => 0,
            _ => self.buf.get(self.open).copied().unwrap_or(0),
        };
        Checkpoint {
            len: self.buf.len(),
            open: self.open,
            room: self.room,
            open_byte,
            instances: self.instances.len(),
        }
    }

    /// Forgets what was written since `checkpoint` (bytes, bits set in a bit
    /// byte opened before it, instances first referenced after it). A
    /// checkpoint holds until the next [`clear`](Writer::clear) or
    /// [`take`](Writer::take).
    #[inline]
    pub fn rollback(&mut self, checkpoint: Checkpoint) {
        if checkpoint.len > self.buf.len() || checkpoint.instances > self.instances.len() {
            self.clear();
            return;
        }
        self.buf.truncate(checkpoint.len);
        self.instances.truncate(checkpoint.instances);
        self.open = checkpoint.open;
        self.room = checkpoint.room;
        if self.room > 0 {
            if let Some(byte) = self.buf.get_mut(self.open) {
                *byte = checkpoint.open_byte;
            }
        }
    }

    /// Forgets everything written (keeps the allocation).
    #[inline]
    pub fn clear(&mut self) {
        self.buf.clear();
        self.instances.clear();
        self.start_message();
    }

    /// Takes the bytes and instance list written, leaving the writer empty.
    #[inline]
    pub fn take(&mut self) -> (Vec<u8>, Vec<InstanceId>) {
        let bytes = std::mem::take(&mut self.buf);
        let instances = self.instances.take();
        self.start_message();
        (bytes, instances)
    }
}
