//! The decoder: the mirror of [`Writer`](super::Writer). Every method checks
//! the input before it uses it and returns a [`DecodeError`] instead of
//! panicking.

use super::instance;
use super::{DecodeError, LenRange, Prefix, MAX_NESTING};
use crate::instances::InstanceRegistry;
use crate::types::InstanceId;

/// Decodes messages from one frame's bytes and instance list.
#[derive(Debug, Clone)]
pub struct Reader<'a> {
    input: &'a [u8],
    pos: usize,
    /// The open bit byte's value.
    bit_byte: u8,
    /// Bits of the open bit byte not yet read (0: no open bit byte).
    bits_left: u32,
    instances: &'a [Option<InstanceId>],
    /// Where the classes of the listed instances are known (the server's
    /// registry), so that references are checked against their declared
    /// class; `None` takes them as they come.
    classes: Option<&'a InstanceRegistry>,
    /// Values of recursive types open around the one being read.
    nesting: u32,
    /// Reading past a message already refused: values that break their
    /// type are read on (see [`Reader::refuse`]) so that its end is found.
    skipping: bool,
}

/// A reader's place in its input, bit state included: where to resume
/// decoding a message body that shares a bit byte with its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ReadMark {
    pos: usize,
    bit_byte: u8,
    bits_left: u32,
}

impl ReadMark {
    /// Where the mark stands in its input.
    pub(crate) fn position(self) -> usize {
        self.pos
    }
}

impl<'a> Reader<'a> {
    /// A reader with an empty instance list: every reference but nil fails.
    #[inline]
    pub fn new(bytes: &'a [u8]) -> Self {
        Reader::with_instances(bytes, &[])
    }

    /// A reader over a frame whose instance list is `instances`, as the
    /// receiver sees it: `None` for an instance it cannot see.
    #[inline]
    pub fn with_instances(bytes: &'a [u8], instances: &'a [Option<InstanceId>]) -> Self {
        Reader {
            input: bytes,
            pos: 0,
            bit_byte: 0,
            bits_left: 0,
            instances,
            classes: None,
            nesting: 0,
            skipping: false,
        }
    }

    /// Decodes one level of a recursive type: `decode` runs one level
    /// deeper, and the value is refused with [`DecodeError::TooNested`]
    /// beyond [`MAX_NESTING`], before the recursion can exhaust the stack.
    #[inline]
    pub fn nested<T>(
        &mut self,
        decode: impl FnOnce(&mut Self) -> Result<T, DecodeError>,
    ) -> Result<T, DecodeError> {
        if self.nesting >= MAX_NESTING {
            return Err(DecodeError::TooNested { max: MAX_NESTING });
        }
        self.nesting += 1;
        let out = decode(self);
        self.nesting -= 1;
        out
    }

    /// Checks every instance reference read with
    /// [`instance_of`](Reader::instance_of) or
    /// [`required_instance_of`](Reader::required_instance_of) against the
    /// class `classes` holds for it (`IsA`).
    #[inline]
    pub fn with_classes(mut self, classes: &'a InstanceRegistry) -> Self {
        self.classes = Some(classes);
        self
    }

    /// The current place, bit state included.
    #[inline]
    pub(crate) fn mark(&self) -> ReadMark {
        ReadMark {
            pos: self.pos,
            bit_byte: self.bit_byte,
            bits_left: self.bits_left,
        }
    }

    /// Returns to `mark`, to read the message from there again.
    #[inline]
    pub(crate) fn reset(&mut self, mark: ReadMark) {
        self.pos = mark.pos;
        self.bit_byte = mark.bit_byte;
        self.bits_left = mark.bits_left;
        self.nesting = 0;
    }

    /// Whether values that break their type are read on rather than
    /// refused: set while a message already refused is read to its end.
    #[inline]
    pub(crate) fn set_skipping(&mut self, skipping: bool) {
        self.skipping = skipping;
    }

    /// Refuses a value that decoded but breaks its type (out of range, not
    /// UTF-8, of the wrong class, ...). While skipping, the value is read
    /// on instead, since its bytes are where the format says and the
    /// message's end can still be found: what lets one bad message of a
    /// frame be rejected alone.
    #[inline]
    pub fn refuse(&self, error: DecodeError) -> Result<(), DecodeError> {
        match self.skipping {
            true => Ok(()),
            false => Err(error),
        }
    }

    /// Starts a message: the next bit is read from a new bit byte.
    #[inline]
    pub fn start_message(&mut self) {
        self.bit_byte = 0;
        self.bits_left = 0;
    }

    /// Reads one bit (section 2, `read_bit`).
    #[inline]
    pub fn bool(&mut self) -> Result<bool, DecodeError> {
        if self.bits_left == 0 {
            let [byte] = self.array::<1>()?;
            self.bit_byte = byte;
            self.bits_left = 8;
        }
        let bit = self.bit_byte & 1 == 1;
        self.bit_byte >>= 1;
        self.bits_left -= 1;
        Ok(bit)
    }

    /// Reads `n` bits, as [`Reader::bool`] would one by one, but whole bytes
    /// at a time once the current bit byte is used up. The caller has
    /// checked `n` against the input left (see [`Reader::len_bits`]).
    pub fn bools(&mut self, n: usize) -> Result<Vec<bool>, DecodeError> {
        let mut out = Vec::with_capacity(n.min(self.available_bits_usize()));
        while out.len() < n && self.bits_left > 0 {
            out.push(self.bool()?);
        }
        let whole = self.bytes((n - out.len()) / 8)?;
        let start = out.len();
        out.resize(start + whole.len() * 8, false);
        if let Some(unpacked) = out.get_mut(start..) {
            for (bits, &byte) in unpacked.chunks_exact_mut(8).zip(whole) {
                bits.copy_from_slice(&UNPACKED[usize::from(byte)]);
            }
        }
        if !whole.is_empty() {
            // The last whole byte was the open bit byte, and it is used up.
            self.bits_left = 0;
        }
        while out.len() < n {
            out.push(self.bool()?);
        }
        Ok(out)
    }

    fn available_bits_usize(&self) -> usize {
        self.remaining()
            .saturating_mul(8)
            .saturating_add(self.bits_left as usize)
    }

    /// Reads a `count`-bit field (`count` at most 32), least significant bit
    /// first.
    #[inline]
    pub fn bits(&mut self, count: u32) -> Result<u32, DecodeError> {
        debug_assert!(count <= 32, "a bit field of `bits` is at most 32 bits");
        // At most 32 bits are read, so the value fits.
        self.bits64(count.min(32)).map(|v| v as u32)
    }

    /// Reads a `count`-bit field (`count` at most 64), least significant bit
    /// first: the rest of the open bit byte, then whole bit bytes, then part
    /// of a last one.
    #[inline(always)]
    pub fn bits64(&mut self, count: u32) -> Result<u64, DecodeError> {
        debug_assert!(count <= 64, "a bit field is at most 64 bits");
        let count = count.min(64);
        if count <= self.bits_left {
            let value = u64::from(self.bit_byte) & low_mask(count);
            self.bit_byte = self.bit_byte.checked_shr(count).unwrap_or(0);
            self.bits_left -= count;
            return Ok(value);
        }
        let mut value = u64::from(self.bit_byte) & low_mask(self.bits_left);
        let mut done = self.bits_left;
        let rest = count - done;
        let whole = (rest / 8) as usize;
        let partial = rest % 8;
        let needed = whole + usize::from(partial > 0);
        // With eight bytes left, one load; `rest` is at most 64 - done, so
        // the bits shifted out of the word are not needed.
        let window = self
            .pos
            .checked_add(8)
            .and_then(|end| self.input.get(self.pos..end));
        if let Some(window) = window.and_then(|w| <[u8; 8]>::try_from(w).ok()) {
            let word = u64::from_le_bytes(window);
            value |= word.checked_shl(done).unwrap_or(0);
            value &= low_mask(count);
            self.pos += needed;
            let last = window[needed - 1];
            if partial > 0 {
                self.bit_byte = last >> partial;
                self.bits_left = 8 - partial;
            } else {
                self.bit_byte = 0;
                self.bits_left = 0;
            }
            return Ok(value);
        }
        let bytes = self.bytes(needed)?;
        for &byte in bytes {
            value |= u64::from(byte).checked_shl(done).unwrap_or(0);
            done += 8;
        }
        // The last byte read is the open bit byte.
        match bytes.last() {
            Some(&last) if partial > 0 => {
                value &= low_mask(count);
                self.bit_byte = last >> partial;
                self.bits_left = 8 - partial;
            }
            _ => {
                self.bit_byte = 0;
                self.bits_left = 0;
            }
        }
        Ok(value)
    }

    /// Reads the tag of `what`, an enum of `count` variants, and rejects a
    /// tag `>= count` ([`DecodeError::UnknownTag`]).
    #[inline]
    pub fn tag(&mut self, count: u32, what: &'static str) -> Result<u32, DecodeError> {
        let tag = self.bits(super::tag_bits(count))?;
        if tag >= count {
            return Err(DecodeError::invalid_tag(
                what,
                u64::from(tag),
                u64::from(count),
            ));
        }
        Ok(tag)
    }

    #[inline]
    /// Takes the next `N` bytes as an array: one bounds check for a record
    /// of fixed-width fields.
    pub fn array<const N: usize>(&mut self) -> Result<[u8; N], DecodeError> {
        let bytes = self.bytes(N)?;
        let mut out = [0u8; N];
        out.copy_from_slice(bytes);
        Ok(out)
    }

    /// Reads a `u8` (one byte).
    #[inline]
    pub fn u8(&mut self) -> Result<u8, DecodeError> {
        Ok(u8::from_le_bytes(self.array()?))
    }

    /// Reads a `u16`, little-endian (section 4.1).
    #[inline]
    pub fn u16(&mut self) -> Result<u16, DecodeError> {
        Ok(u16::from_le_bytes(self.array()?))
    }

    /// Reads a `u32`, little-endian (section 4.1).
    #[inline]
    pub fn u32(&mut self) -> Result<u32, DecodeError> {
        Ok(u32::from_le_bytes(self.array()?))
    }

    /// Reads a `u64`, little-endian (section 4.1).
    #[inline]
    pub fn u64(&mut self) -> Result<u64, DecodeError> {
        Ok(u64::from_le_bytes(self.array()?))
    }

    /// Reads a `i8` (one byte).
    #[inline]
    pub fn i8(&mut self) -> Result<i8, DecodeError> {
        Ok(i8::from_le_bytes(self.array()?))
    }

    /// Reads a `i16`, little-endian (section 4.1).
    #[inline]
    pub fn i16(&mut self) -> Result<i16, DecodeError> {
        Ok(i16::from_le_bytes(self.array()?))
    }

    /// Reads a `i32`, little-endian (section 4.1).
    #[inline]
    pub fn i32(&mut self) -> Result<i32, DecodeError> {
        Ok(i32::from_le_bytes(self.array()?))
    }

    /// Reads a `i64`, little-endian (section 4.1).
    #[inline]
    pub fn i64(&mut self) -> Result<i64, DecodeError> {
        Ok(i64::from_le_bytes(self.array()?))
    }

    /// Reads a binary32 as it is (no finiteness check).
    #[inline]
    pub fn f32(&mut self) -> Result<f32, DecodeError> {
        Ok(f32::from_le_bytes(self.array()?))
    }

    /// Reads a binary64 as it is (no finiteness check).
    #[inline]
    pub fn f64(&mut self) -> Result<f64, DecodeError> {
        Ok(f64::from_le_bytes(self.array()?))
    }

    /// Takes the next `n` bytes.
    #[inline]
    pub fn bytes(&mut self, n: usize) -> Result<&'a [u8], DecodeError> {
        match self
            .pos
            .checked_add(n)
            .and_then(|end| Some((end, self.input.get(self.pos..end)?)))
        {
            Some((end, taken)) => {
                self.pos = end;
                Ok(taken)
            }
            None => Err(self.unexpected_end(n)),
        }
    }

    #[cold]
    fn unexpected_end(&self, needed: usize) -> DecodeError {
        DecodeError::UnexpectedEnd {
            needed,
            remaining: self.remaining(),
        }
    }

    /// Reads an unsigned LEB128 varint of at most 5 bytes and at most
    /// `2^32 - 1`, in its shortest form.
    #[inline]
    pub fn varint(&mut self) -> Result<u32, DecodeError> {
        let mut value = 0u32;
        for i in 0..5u32 {
            let [byte] = self.array::<1>()?;
            let group = u32::from(byte & 0x7F);
            if i == 4 && byte > 0x0F {
                // A fifth byte holds bits 28 to 31 and ends the varint.
                return Err(DecodeError::VarintOverflow);
            }
            value |= group << (7 * i);
            if byte & 0x80 == 0 {
                if i > 0 && byte == 0 {
                    return Err(DecodeError::OverlongVarint);
                }
                return Ok(value);
            }
        }
        // Unreachable: the fifth byte either ends the varint or fails above.
        Err(DecodeError::VarintOverflow)
    }

    /// Reads a length prefix for `range` (section 3), checks the length is in
    /// the range, and checks that `len` elements of at least
    /// `min_element_bytes` bytes each fit in the bytes left, so the caller may
    /// allocate for them.
    #[inline]
    pub fn len(&mut self, range: LenRange, min_element_bytes: usize) -> Result<usize, DecodeError> {
        let len = self.len_prefix(range)?;
        let needed = u128::from(len) * min_element_bytes as u128;
        if needed > self.remaining() as u128 {
            return Err(DecodeError::LengthExceedsInput {
                len,
                remaining: self.remaining(),
            });
        }
        to_usize(len)
    }

    /// Like [`Reader::len`] with the smallest element size in bits: `len`
    /// elements of `min_element_bits` must fit in the bytes left plus the
    /// unread bits of the open bit byte.
    #[inline]
    pub fn len_bits(
        &mut self,
        range: LenRange,
        min_element_bits: u32,
    ) -> Result<usize, DecodeError> {
        let len = self.len_prefix(range)?;
        let needed = u128::from(len) * u128::from(min_element_bits);
        if needed > self.available_bits() {
            return Err(DecodeError::LengthExceedsInput {
                len,
                remaining: self.remaining(),
            });
        }
        to_usize(len)
    }

    /// Reads a length prefix and checks the length is in `range`.
    #[inline]
    fn len_prefix(&mut self, range: LenRange) -> Result<u64, DecodeError> {
        let value = match range.prefix() {
            Prefix::Bits(count) => u64::from(self.bits(count)?),
            Prefix::Varint => u64::from(self.varint()?),
        };
        let len = value + u64::from(range.min);
        if !range.contains(len) {
            // Read on, the length still checked against the input left.
            self.refuse(DecodeError::LengthOutOfRange {
                len,
                min: range.min,
                max: range.max,
            })?;
        }
        Ok(len)
    }

    #[inline]
    fn available_bits(&self) -> u128 {
        self.remaining() as u128 * 8 + u128::from(self.bits_left)
    }

    /// Reads a string: prefix, then UTF-8 bytes.
    #[inline]
    pub fn string(&mut self, range: LenRange) -> Result<String, DecodeError> {
        let len = self.len(range, 1)?;
        let bytes = self.bytes(len)?;
        match std::str::from_utf8(bytes) {
            Ok(s) => Ok(s.to_owned()),
            Err(_) => {
                self.refuse(DecodeError::InvalidUtf8)?;
                Ok(String::new())
            }
        }
    }

    /// Reads a buffer: prefix, then bytes.
    #[inline]
    pub fn buffer(&mut self, range: LenRange) -> Result<Vec<u8>, DecodeError> {
        let len = self.len(range, 1)?;
        Ok(self.bytes(len)?.to_vec())
    }

    /// Reads an instance reference: `None` for 0 and for an entry the
    /// receiver cannot see; a reference past the list fails.
    #[inline]
    pub fn instance(&mut self) -> Result<Option<InstanceId>, DecodeError> {
        let reference = self.u32()?;
        self.resolve(reference)
    }

    fn resolve(&self, reference: u32) -> Result<Option<InstanceId>, DecodeError> {
        match instance::resolve(self.instances, reference) {
            Ok(id) => Ok(id),
            Err(error) => self.refuse(error).map(|()| None),
        }
    }

    /// Reads an instance reference where the type is not optional: the
    /// reference 0 fails ([`DecodeError::NilInstance`]); an entry the receiver
    /// cannot see still decodes as `None` (section 4.9).
    #[inline]
    pub fn required_instance(&mut self) -> Result<Option<InstanceId>, DecodeError> {
        let reference = self.u32()?;
        if reference == 0 {
            self.refuse(DecodeError::NilInstance)?;
        }
        self.resolve(reference)
    }

    /// Reads an optional reference to an instance of `class` (or a
    /// subclass). With [`with_classes`](Reader::with_classes), an instance of
    /// another class fails ([`DecodeError::WrongClass`]), and one the
    /// registry no longer holds decodes as `None`.
    #[inline]
    pub fn instance_of(&mut self, class: &'static str) -> Result<Option<InstanceId>, DecodeError> {
        let id = self.instance()?;
        self.check_class(id, class)
    }

    /// [`required_instance`](Reader::required_instance) with the class check
    /// of [`instance_of`](Reader::instance_of).
    #[inline]
    pub fn required_instance_of(
        &mut self,
        class: &'static str,
    ) -> Result<Option<InstanceId>, DecodeError> {
        let id = self.required_instance()?;
        self.check_class(id, class)
    }

    fn check_class(
        &self,
        id: Option<InstanceId>,
        class: &'static str,
    ) -> Result<Option<InstanceId>, DecodeError> {
        let (Some(id), Some(classes)) = (id, self.classes) else {
            return Ok(id);
        };
        match classes.is_a(id, class) {
            Some(true) => Ok(Some(id)),
            Some(false) => self
                .refuse(DecodeError::WrongClass { expected: class })
                .map(|()| None),
            None => Ok(None),
        }
    }

    /// Bytes not yet read (an open bit byte counts as read).
    #[inline]
    pub fn remaining(&self) -> usize {
        self.input.len().saturating_sub(self.pos)
    }

    /// Whether every byte was read.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.remaining() == 0
    }

    /// The offset of the next byte to read, from the start of the input.
    #[inline]
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Fails with [`DecodeError::TrailingBytes`] unless all bytes were read.
    #[inline]
    pub fn finish(&self) -> Result<(), DecodeError> {
        match self.remaining() {
            0 => Ok(()),
            remaining => Err(DecodeError::TrailingBytes { remaining }),
        }
    }
}

#[inline]
fn to_usize(len: u64) -> Result<usize, DecodeError> {
    usize::try_from(len).map_err(|_| DecodeError::LengthExceedsInput { len, remaining: 0 })
}

/// Each byte's eight bits, least significant first, as booleans.
static UNPACKED: [[bool; 8]; 256] = {
    let mut table = [[false; 8]; 256];
    let mut byte = 0;
    while byte < 256 {
        let mut bit = 0;
        while bit < 8 {
            table[byte][bit] = byte >> bit & 1 == 1;
            bit += 1;
        }
        byte += 1;
    }
    table
};

/// The `count` low bits set (`count` at most 64).
#[inline]
fn low_mask(count: u32) -> u64 {
    u64::MAX.checked_shr(64 - count.min(64)).unwrap_or(0)
}
