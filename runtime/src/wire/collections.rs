//! Arrays, maps and optionals (sections 4.3 and 4.4), generic over how an
//! element is written, since an element's encoding may depend on refinements
//! at its use site.

use std::collections::{HashMap, HashSet};
use std::hash::Hash;

use super::{DecodeError, EncodeError, LenRange, Reader, Writer};

/// The most elements of no size (`min_element_bits == 0`) a decoder accepts in
/// one array or map, whatever the range allows: such elements take no input,
/// so nothing else bounds their count.
pub const ZERO_SIZE_CAP: u64 = tether_facts::wire::ZERO_SIZE_CAP;

/// The most bytes reserved up front for the elements of one array or map.
/// The length is already checked against the input; this keeps a large
/// element type (or arrays nested in arrays, each claiming the same bytes
/// left) from turning a short input into a large reservation. Growth past it
/// follows the elements actually decoded.
const PREALLOC_BYTES: usize = 16 * 1024;

/// How many elements of `T` to reserve for a checked length `len`.
pub(crate) fn prealloc<T>(len: usize) -> usize {
    len.min(PREALLOC_BYTES / std::mem::size_of::<T>().max(1))
}

/// Writes `{T}(range)`: the length prefix, then each element.
pub fn write_array<T>(
    w: &mut Writer,
    items: &[T],
    range: LenRange,
    mut each: impl FnMut(&T, &mut Writer) -> Result<(), EncodeError>,
) -> Result<(), EncodeError> {
    tri!(w.len(items.len(), range));
    let start = w.position();
    for item in items {
        tri!(each(item, w));
    }
    // Elements of no size cost the decoder a loop but no input; it caps
    // their count, so the encoder refuses what the decoder would reject.
    if items.len() as u64 > ZERO_SIZE_CAP && w.position() == start {
        return Err(EncodeError::Invalid(std::borrow::Cow::Borrowed(
            "more than 2^20 array elements whose encoding is empty",
        )));
    }
    Ok(())
}

/// Writes `{boolean}(range)`: the prefix, then the bits, whole bytes at a time.
pub fn write_bools(w: &mut Writer, items: &[bool], range: LenRange) -> Result<(), EncodeError> {
    tri!(w.len(items.len(), range));
    w.bools(items);
    Ok(())
}

/// Reads `{boolean}(range)`, checking the count against the input left
/// before anything is allocated.
pub fn read_bools(r: &mut Reader<'_>, range: LenRange) -> Result<Vec<bool>, DecodeError> {
    let len = tri!(read_count(r, range, 1));
    r.bools(len)
}

/// Reads `{T}(range)`. `min_element_bits` is the smallest encoding of an
/// element in bits (bytes × 8 + bits); the count is checked against the input
/// left before anything is allocated. With 0 (elements of no size) the count
/// is capped at [`ZERO_SIZE_CAP`].
pub fn read_array<'a, T>(
    r: &mut Reader<'a>,
    range: LenRange,
    min_element_bits: u32,
    mut each: impl FnMut(&mut Reader<'a>) -> Result<T, DecodeError>,
) -> Result<Vec<T>, DecodeError> {
    let len = tri!(read_count(r, range, min_element_bits));
    let mut items = Vec::with_capacity(prealloc::<T>(len));
    for _ in 0..len {
        items.push(tri!(each(r)));
    }
    Ok(items)
}

/// Writes `{[K]: V}(range)`: the number of entries, then each key and value,
/// in the iteration order of `entries` (a `&HashMap`, `&BTreeMap`, ...).
pub fn write_map<'m, K: 'm, V: 'm, I>(
    w: &mut Writer,
    entries: I,
    range: LenRange,
    mut key: impl FnMut(&K, &mut Writer) -> Result<(), EncodeError>,
    mut value: impl FnMut(&V, &mut Writer) -> Result<(), EncodeError>,
) -> Result<(), EncodeError>
where
    I: IntoIterator<Item = (&'m K, &'m V)>,
    I::IntoIter: ExactSizeIterator,
{
    let entries = entries.into_iter();
    tri!(w.len(entries.len(), range));
    for (k, v) in entries {
        tri!(key(k, w));
        tri!(value(v, w));
    }
    Ok(())
}

/// Reads `{[K]: V}(range)`, rejecting a key seen before in the same map
/// ([`DecodeError::DuplicateMapKey`]). `min_entry_bits` is the smallest
/// encoding of a key and its value together, in bits.
pub fn read_map<'a, K: Eq + Hash, V>(
    r: &mut Reader<'a>,
    range: LenRange,
    min_entry_bits: u32,
    mut key: impl FnMut(&mut Reader<'a>) -> Result<K, DecodeError>,
    value: impl FnMut(&mut Reader<'a>) -> Result<V, DecodeError>,
) -> Result<HashMap<K, V>, DecodeError> {
    // A `match`, not `.map(Some)`: each adapter is one more function per
    // key type in an unoptimized build.
    let key = |r: &mut Reader<'a>| match key(r) {
        Ok(k) => Ok(Some(k)),
        Err(e) => Err(e),
    };
    read_map_of_instances(r, range, min_entry_bits, key, value)
}

/// Reads `{[K]: V}(range)` whose keys are instances: an entry whose key
/// decodes to `None` (an instance the receiver cannot see) is left out, as
/// Roblox leaves out an entry whose key arrives as nil.
pub fn read_map_of_instances<'a, K: Eq + Hash, V>(
    r: &mut Reader<'a>,
    range: LenRange,
    min_entry_bits: u32,
    mut key: impl FnMut(&mut Reader<'a>) -> Result<Option<K>, DecodeError>,
    mut value: impl FnMut(&mut Reader<'a>) -> Result<V, DecodeError>,
) -> Result<HashMap<K, V>, DecodeError> {
    let len = tri!(read_count(r, range, min_entry_bits));
    let mut map = HashMap::with_capacity(prealloc::<(K, V)>(len));
    for _ in 0..len {
        let k = tri!(key(r));
        let v = tri!(value(r));
        if let Some(k) = k {
            if map.insert(k, v).is_some() {
                tri!(r.refuse(DecodeError::DuplicateMapKey));
            }
        }
    }
    Ok(map)
}

/// Writes `{[T]: true}(range)`: the number of elements, then each element.
pub fn write_set<'s, T: 's, I>(
    w: &mut Writer,
    elements: I,
    range: LenRange,
    mut each: impl FnMut(&T, &mut Writer) -> Result<(), EncodeError>,
) -> Result<(), EncodeError>
where
    I: IntoIterator<Item = &'s T>,
    I::IntoIter: ExactSizeIterator,
{
    let elements = elements.into_iter();
    tri!(w.len(elements.len(), range));
    for element in elements {
        tri!(each(element, w));
    }
    Ok(())
}

/// Reads `{[T]: true}(range)`, rejecting an element seen before in the same
/// set ([`DecodeError::DuplicateMapKey`]: a set's elements are its keys).
/// `min_element_bits` is the smallest encoding of an element, in bits.
pub fn read_set<'a, T: Eq + Hash>(
    r: &mut Reader<'a>,
    range: LenRange,
    min_element_bits: u32,
    mut each: impl FnMut(&mut Reader<'a>) -> Result<T, DecodeError>,
) -> Result<HashSet<T>, DecodeError> {
    let each = |r: &mut Reader<'a>| match each(r) {
        Ok(element) => Ok(Some(element)),
        Err(e) => Err(e),
    };
    read_set_of_instances(r, range, min_element_bits, each)
}

/// Reads `{[T]: true}(range)` whose elements are instances, leaving out an
/// element that decodes to `None` (an instance the receiver cannot see).
pub fn read_set_of_instances<'a, T: Eq + Hash>(
    r: &mut Reader<'a>,
    range: LenRange,
    min_element_bits: u32,
    mut each: impl FnMut(&mut Reader<'a>) -> Result<Option<T>, DecodeError>,
) -> Result<HashSet<T>, DecodeError> {
    let len = tri!(read_count(r, range, min_element_bits));
    let mut set = HashSet::with_capacity(prealloc::<T>(len));
    for _ in 0..len {
        if let Some(element) = tri!(each(r)) {
            if !set.insert(element) {
                tri!(r.refuse(DecodeError::DuplicateMapKey));
            }
        }
    }
    Ok(set)
}

/// Writes `T?`: the presence bit, then the value if present.
pub fn write_option<T: ?Sized>(
    w: &mut Writer,
    v: Option<&T>,
    each: impl FnOnce(&T, &mut Writer) -> Result<(), EncodeError>,
) -> Result<(), EncodeError> {
    w.bool(v.is_some());
    match v {
        Some(v) => each(v, w),
        None => Ok(()),
    }
}

/// Reads `T?`.
pub fn read_option<'a, T>(
    r: &mut Reader<'a>,
    each: impl FnOnce(&mut Reader<'a>) -> Result<T, DecodeError>,
) -> Result<Option<T>, DecodeError> {
    if tri!(r.bool()) {
        match each(r) {
            Ok(v) => Ok(Some(v)),
            Err(e) => Err(e),
        }
    } else {
        Ok(None)
    }
}

/// Reads a count for `range` whose elements take at least `min_bits` each.
/// Reads the length prefix of `{T}(range)` and checks that as many elements
/// of at least `min_bits` bits each fit in the input left (with 0, elements
/// of no size, the count is capped at [`ZERO_SIZE_CAP`]): the caller may
/// then allocate for them.
pub fn read_count(
    r: &mut Reader<'_>,
    range: LenRange,
    min_bits: u32,
) -> Result<usize, DecodeError> {
    let len = tri!(r.len_bits(range, min_bits));
    if min_bits == 0 && len as u64 > ZERO_SIZE_CAP {
        return Err(DecodeError::TooManyElements {
            len: len as u64,
            cap: ZERO_SIZE_CAP,
        });
    }
    Ok(len)
}
