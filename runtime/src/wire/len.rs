//! Length ranges and the length prefixes they decide (section 3).

/// The length range of a string, buffer, array or map: `min..max` bytes,
/// elements or entries. `max: None` is unbounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct LenRange {
    /// The fewest bytes, elements or entries.
    pub min: u32,
    /// The most, or `None` for no bound.
    pub max: Option<u32>,
}

/// How a length is written, as decided by its range (section 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Prefix {
    /// A bounded range: `len - min` as a bit field of this many bits, the
    /// fewest that hold `max - min` (0 when `max == min`).
    Bits(u32),
    /// No `max`: an unsigned LEB128 varint of 1 to 5 bytes.
    Varint,
}

impl LenRange {
    /// `0..` (`{T}`, `string`, `buffer`).
    pub const UNBOUNDED: LenRange = LenRange::new(0, None);

    /// `min..max`.
    #[inline]
    pub const fn new(min: u32, max: Option<u32>) -> Self {
        LenRange { min, max }
    }

    /// `n..n`: exactly `n` (`string(8)`).
    #[inline]
    pub const fn exact(n: u32) -> Self {
        LenRange::new(n, Some(n))
    }

    /// `0..max` (`string(..64)`).
    #[inline]
    pub const fn up_to(max: u32) -> Self {
        LenRange::new(0, Some(max))
    }

    /// `min..` (`string(1..)`).
    #[inline]
    pub const fn at_least(min: u32) -> Self {
        LenRange::new(min, None)
    }

    /// `min..max` with both bounds (`string(1..64)`).
    #[inline]
    pub const fn between(min: u32, max: u32) -> Self {
        LenRange::new(min, Some(max))
    }

    /// The prefix this range writes. A range with `max < min` holds no length;
    /// it is given no prefix and every length is out of it.
    #[inline]
    pub const fn prefix(&self) -> Prefix {
        match self.max {
            None => Prefix::Varint,
            Some(max) => Prefix::Bits(super::span_bits(max.saturating_sub(self.min) as u64)),
        }
    }

    /// Whether `len` lies in `min..max` (and in `0..2^32 - 1`).
    #[inline]
    pub const fn contains(&self, len: u64) -> bool {
        if len < self.min as u64 || len > u32::MAX as u64 {
            return false;
        }
        match self.max {
            None => true,
            Some(max) => len <= max as u64,
        }
    }
}

impl Default for LenRange {
    #[inline]
    fn default() -> Self {
        LenRange::UNBOUNDED
    }
}
