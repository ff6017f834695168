//! Encoding refusals, decoding rejections, and the range checks both sides
//! apply (section 4.1).

use std::borrow::Cow;

/// A number outside its kind's bounds or declared range, or a non-finite
/// float where the type does not say `nonfinite`.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RangeError {
    /// An integer outside `min..max`.
    #[error("integer {value} is outside {}", show_range(min, max))]
    Int {
        /// The integer.
        value: i128,
        /// The least allowed, if bounded below.
        min: Option<i128>,
        /// The greatest allowed, if bounded above.
        max: Option<i128>,
    },
    /// A number outside `min..max`.
    #[error("number {value} is outside {}", show_range(min, max))]
    Float {
        /// The number.
        value: f64,
        /// The least allowed, if bounded below.
        min: Option<f64>,
        /// The greatest allowed, if bounded above.
        max: Option<f64>,
    },
    /// NaN or an infinity where the type does not say `nonfinite`.
    #[error("NaN or infinity where the type is finite")]
    NonFinite,
}

fn show_range<T: std::fmt::Display>(min: &Option<T>, max: &Option<T>) -> String {
    let min = min.as_ref().map(ToString::to_string).unwrap_or_default();
    let max = max.as_ref().map(ToString::to_string).unwrap_or_default();
    format!("its range {min}..{max}")
}

fn show_len_range(min: &u32, max: &Option<u32>) -> String {
    match max {
        Some(max) => format!("{min}..{max}"),
        None => format!("{min}.."),
    }
}

/// Checks an integer against its range. Generated code passes the declared
/// range intersected with the kind's bounds, or just the declared range when
/// the Rust type already holds the kind's bounds.
#[inline]
pub fn check_int(value: i128, min: Option<i128>, max: Option<i128>) -> Result<(), RangeError> {
    let below = min.is_some_and(|min| value < min);
    let above = max.is_some_and(|max| value > max);
    if below || above {
        Err(RangeError::Int { value, min, max })
    } else {
        Ok(())
    }
}

/// The error of a packed integer field (section 4.1) that decodes to
/// `min + field`, above `max`. Kept out of line: generated decoders compare
/// the field with the span and call this only when it is too large.
#[cold]
#[inline(never)]
pub fn packed_out_of_range(field: u64, min: i128, max: i128) -> DecodeError {
    DecodeError::from(RangeError::Int {
        value: min + i128::from(field),
        min: Some(min),
        max: Some(max),
    })
}

/// Checks a float (an `f32` widened, or an `f64`) against its range and
/// finiteness. NaN and infinities fail unless `nonfinite`; when allowed, NaN
/// passes any range (it is neither below nor above a bound) and an infinity
/// is checked against the range like any other number.
#[inline]
pub fn check_float(
    value: f64,
    min: Option<f64>,
    max: Option<f64>,
    nonfinite: bool,
) -> Result<(), RangeError> {
    if !nonfinite && !value.is_finite() {
        return Err(RangeError::NonFinite);
    }
    let below = min.is_some_and(|min| value < min);
    let above = max.is_some_and(|max| value > max);
    if below || above {
        Err(RangeError::Float { value, min, max })
    } else {
        Ok(())
    }
}

/// Why a value cannot be encoded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    #[error("{0}")]
    /// Boxed to keep `Result`s of the decoder's hot path small.
    OutOfRange(Box<RangeError>),
    /// NaN or an infinity where the type does not say `nonfinite`.
    #[error("NaN or infinity where the type is finite")]
    NonFinite,
    /// A string, buffer, array or map whose length is outside its range.
    #[error("length {len} is outside its range {}", show_len_range(min, max))]
    LengthOutOfRange {
        /// The length.
        len: u64,
        /// The least allowed.
        min: u32,
        /// The greatest allowed, if bounded.
        max: Option<u32>,
    },
    /// A value its type cannot carry: an unknown Roblox enum item, a
    /// `NumberSequence` Roblox would refuse, ...
    #[error("invalid value: {0}")]
    Invalid(Cow<'static, str>),
    /// An `any` with tables nested deeper than `max`.
    #[error("`any` value nested deeper than {max} tables")]
    TooDeep {
        /// The deepest nesting allowed.
        max: u32,
    },
    /// A value of a recursive type nested deeper than `max` levels
    /// (section 4.6).
    #[error("recursive value nested deeper than {max} levels")]
    TooNested {
        /// The deepest nesting allowed.
        max: u32,
    },
    /// An `any` map key that is nil or NaN.
    #[error("`any` map key is nil or NaN")]
    InvalidMapKey,
    /// An `any` map with two entries for one Luau table key.
    #[error("map has a repeated key")]
    DuplicateMapKey,
}

impl From<RangeError> for EncodeError {
    fn from(err: RangeError) -> Self {
        match err {
            RangeError::NonFinite => EncodeError::NonFinite,
            other => EncodeError::OutOfRange(Box::new(other)),
        }
    }
}

/// Why bytes do not decode. Every rejection the format asks for is one of
/// these; a decoder never panics.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeError {
    /// The input ends before the value does.
    #[error("input ends early: {needed} more bytes needed, {remaining} left")]
    UnexpectedEnd {
        /// The bytes the next read needed.
        needed: usize,
        /// The bytes the input had left.
        remaining: usize,
    },
    /// A string, buffer, array or map whose length is outside its range.
    #[error("length {len} is outside its range {}", show_len_range(min, max))]
    LengthOutOfRange {
        /// The length.
        len: u64,
        /// The least allowed.
        min: u32,
        /// The greatest allowed, if bounded.
        max: Option<u32>,
    },
    /// A length whose elements, at their smallest, take more than the input
    /// has left. Checked before anything is allocated for them.
    #[error("length {len} cannot fit in the {remaining} bytes left")]
    LengthExceedsInput {
        /// The length.
        len: u64,
        /// The bytes the input had left.
        remaining: usize,
    },
    /// A length of elements that take no space, above the cap of
    /// [`crate::wire::ZERO_SIZE_CAP`].
    #[error("{len} elements of no size exceed the cap of {cap}")]
    TooManyElements {
        /// The length.
        len: u64,
        /// The cap.
        cap: u64,
    },
    #[error("{0}")]
    /// Boxed to keep `Result`s of the decoder's hot path small.
    OutOfRange(Box<RangeError>),
    /// NaN or an infinity where the type does not say `nonfinite`.
    #[error("NaN or infinity where the type is finite")]
    NonFinite,
    /// A string that is not UTF-8.
    #[error("string is not valid UTF-8")]
    InvalidUtf8,
    /// A varint of more than one byte whose last byte is 0 (not the shortest
    /// form).
    #[error("varint is not in its shortest form")]
    OverlongVarint,
    /// A varint longer than 5 bytes or above `2^32 - 1`.
    #[error("varint is longer than 5 bytes or above 2^32 - 1")]
    VarintOverflow,
    /// A tag `>= count` of an enum or of `any` (`what` names it).
    #[error("tag {tag} of {what} is not below {count}")]
    UnknownTag {
        /// What the tag selects from (an enum's name, or `any`).
        what: &'static str,
        /// The tag read.
        tag: u64,
        /// How many tags there are.
        count: u64,
    },
    /// An instance reference past the end of the instance list.
    #[error("instance reference {index} is past the instance list of {count}")]
    BadInstanceReference {
        /// The reference read (1-based; 0 is nil).
        index: u32,
        /// The length of the frame's instance list.
        count: usize,
    },
    /// The reference 0 where the type is not optional.
    #[error("nil instance where the type is not optional")]
    NilInstance,
    /// An instance that is not of the declared class (`IsA` fails).
    #[error("an instance that is not a {expected}")]
    WrongClass {
        /// The declared class.
        expected: &'static str,
    },
    /// An `any` with tables nested deeper than `max`.
    #[error("`any` value nested deeper than {max} tables")]
    TooDeep {
        /// The deepest nesting allowed.
        max: u32,
    },
    /// A value of a recursive type nested deeper than `max` levels
    /// (section 4.6); refused before the nesting can exhaust the stack.
    #[error("recursive value nested deeper than {max} levels")]
    TooNested {
        /// The deepest nesting allowed.
        max: u32,
    },
    /// Bytes left after the last message of a datagram or body.
    #[error("{remaining} bytes left over after the message")]
    TrailingBytes {
        /// How many bytes were left.
        remaining: usize,
    },
    /// A map (or `any` map) with two entries for one key.
    #[error("map has a repeated key")]
    DuplicateMapKey,
    /// An `any` map key that is nil or NaN.
    #[error("`any` map key is nil or NaN")]
    InvalidMapKey,
    /// A `BrickColor` number Roblox does not have.
    #[error("no BrickColor has the number {number}")]
    UnknownBrickColor {
        /// The number read.
        number: u16,
    },
    /// An `EnumItem` in an `any` of an enum the tables do not have.
    #[error("there is no Enum.{name}")]
    UnknownEnum {
        /// The enum's name as read.
        name: String,
    },
    /// An `EnumItem` in an `any` whose enum has no item of that `Value`.
    #[error("Enum.{enum_name} has no item of Value {value}")]
    UnknownEnumItem {
        /// The enum's name.
        enum_name: &'static str,
        /// The item's `Value` as read.
        value: u32,
    },
    /// A datatype value Roblox refuses to construct.
    #[error("invalid {datatype}: {reason}")]
    InvalidDatatype {
        /// The datatype (`NumberSequence`, ...).
        datatype: &'static str,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// Any other value its type cannot carry (for generated code).
    #[error("invalid value: {0}")]
    Invalid(Cow<'static, str>),
}

impl DecodeError {
    /// [`DecodeError::UnknownTag`]: tag `tag` of `what`, which has `count`.
    pub fn invalid_tag(what: &'static str, tag: u64, count: u64) -> Self {
        DecodeError::UnknownTag { what, tag, count }
    }
}

impl From<RangeError> for DecodeError {
    fn from(err: RangeError) -> Self {
        match err {
            RangeError::NonFinite => DecodeError::NonFinite,
            other => DecodeError::OutOfRange(Box::new(other)),
        }
    }
}
