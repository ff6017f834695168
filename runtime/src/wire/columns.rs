//! Columns: one leaf of every element of an array of flat records (section
//! 4.4). Bit fields are packed and unpacked a 64-bit word at a time; byte
//! values are bounds-checked once per column.
//!
//! Bit fields written one after the other, with no byte value between them,
//! are the bits of one field (section 2), so a column of `n` fields of `k`
//! bits is written as a few fields of up to 64 bits: the same bytes as `n`
//! calls of [`Writer::bits64`], for a fraction of the work.

use super::{DecodeError, EncodeError, Reader, Writer};

/// Writes `field(item)` (a value that fits `bits` bits, `bits` from 1 to
/// 64) for every item, in order.
#[inline]
pub fn write_bit_column<T>(
    w: &mut Writer,
    items: &[T],
    bits: u32,
    mut field: impl FnMut(&T) -> Result<u64, EncodeError>,
) -> Result<(), EncodeError> {
    let bits = bits.clamp(1, 64);
    let per_word = (64 / bits) as usize;
    for chunk in items.chunks(per_word) {
        let mut word = 0u64;
        let mut shift = 0u32;
        for item in chunk {
            // `shift < per_word * bits <= 64`.
            word |= field(item)? << shift;
            shift += bits;
        }
        w.bits64(word, shift);
    }
    Ok(())
}

/// Reads a column written by [`write_bit_column`] into `items`:
/// `set(item, field)` for each, in order.
#[inline]
pub fn read_bit_column<T>(
    r: &mut Reader<'_>,
    items: &mut [T],
    bits: u32,
    mut set: impl FnMut(&mut T, u64) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    let bits = bits.clamp(1, 64);
    let per_word = (64 / bits) as usize;
    let mask = u64::MAX >> (64 - bits);
    for chunk in items.chunks_mut(per_word) {
        // `chunk.len() <= per_word`, so the product is at most 64.
        let mut word = r.bits64(chunk.len() as u32 * bits)?;
        for item in chunk {
            set(item, word & mask)?;
            // `bits` is a constant where this is inlined: the test folds.
            word = if bits < 64 { word >> bits } else { 0 };
        }
    }
    Ok(())
}

/// Writes `field(item)`, the `N` little-endian bytes of a number, for every
/// item, in order.
#[inline]
pub fn write_byte_column<T, const N: usize>(
    w: &mut Writer,
    items: &[T],
    mut field: impl FnMut(&T) -> Result<[u8; N], EncodeError>,
) -> Result<(), EncodeError> {
    w.reserve(N.saturating_mul(items.len()));
    for item in items {
        w.bytes(&field(item)?);
    }
    Ok(())
}

/// Reads a column written by [`write_byte_column`] into `items`:
/// `set(item, bytes)` for each, in order.
#[inline]
pub fn read_byte_column<T, const N: usize>(
    r: &mut Reader<'_>,
    items: &mut [T],
    mut set: impl FnMut(&mut T, [u8; N]) -> Result<(), DecodeError>,
) -> Result<(), DecodeError> {
    let bytes = r.bytes(N.saturating_mul(items.len()))?;
    for (item, chunk) in items.iter_mut().zip(bytes.chunks_exact(N)) {
        let mut field = [0u8; N];
        field.copy_from_slice(chunk);
        set(item, field)?;
    }
    Ok(())
}
