//! Which integers travel as bit fields (`docs/wire-format.md`, section 4.1):
//! one rule, read by the size model and the generators.

use super::{NumKind, NumRange};

/// An integer written as `value - min` in a field of `bits` bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IntPacking {
    pub min: i128,
    pub max: i128,
    pub bits: u32,
}

/// The effective inclusive bounds of an integer kind under `range`: the
/// kind's own bounds narrowed by the declared ones (a float bound rounds
/// inwards). `None` for float kinds.
pub fn int_bounds(kind: NumKind, range: Option<NumRange>) -> Option<(i128, i128)> {
    let (kind_min, kind_max) = kind.int_bounds()?;
    let (min, max) = match range {
        Some(NumRange::Int { min, max }) => (min, max),
        Some(NumRange::Float { min, max }) => (
            min.map(|m| m.ceil() as i128),
            max.map(|m| m.floor() as i128),
        ),
        None => (None, None),
    };
    Some((
        min.map_or(kind_min, |m| m.max(kind_min)),
        max.map_or(kind_max, |m| m.min(kind_max)),
    ))
}

/// How an integer of `kind` with `range` is packed, or `None` when it is
/// written as its whole width in bytes: a float kind, or a range whose span
/// needs every bit of the width anyway.
pub fn int_packing(kind: NumKind, range: Option<NumRange>) -> Option<IntPacking> {
    let (min, max) = int_bounds(kind, range)?;
    if max < min {
        return None;
    }
    let span = u128::try_from(max - min).ok()?;
    let bits = 128 - span.leading_zeros();
    (bits < kind.width() * 8).then_some(IntPacking { min, max, bits })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(min: Option<i128>, max: Option<i128>) -> Option<NumRange> {
        Some(NumRange::Int { min, max })
    }

    #[test]
    fn a_range_narrower_than_the_width_packs_into_the_bits_of_its_span() {
        let p = int_packing(NumKind::U8, int(Some(0), Some(100))).expect("packs");
        assert_eq!((p.min, p.max, p.bits), (0, 100, 7));
        let p = int_packing(NumKind::I32, int(Some(-5), Some(5))).expect("packs");
        assert_eq!((p.min, p.bits), (-5, 4));
        let p = int_packing(NumKind::U16, int(Some(1), Some(999))).expect("packs");
        assert_eq!(p.bits, 10);
        let p = int_packing(NumKind::U8, int(Some(7), Some(7))).expect("packs");
        assert_eq!(p.bits, 0);
    }

    #[test]
    fn unranged_full_width_and_float_numbers_stay_bytes() {
        assert_eq!(int_packing(NumKind::U8, None), None);
        assert_eq!(int_packing(NumKind::U8, int(Some(1), None)), None);
        assert_eq!(int_packing(NumKind::U32, int(Some(1), None)), None);
        assert_eq!(int_packing(NumKind::U8, int(Some(0), Some(255))), None);
        assert_eq!(int_packing(NumKind::F32, int(Some(0), Some(1))), None);
        assert_eq!(int_packing(NumKind::Number, int(Some(0), Some(1))), None);
    }

    #[test]
    fn one_sided_ranges_narrow_the_kind_and_float_bounds_round_inwards() {
        let p = int_packing(NumKind::U8, int(Some(200), None)).expect("packs");
        assert_eq!((p.min, p.max, p.bits), (200, 255, 6));
        let p = int_packing(
            NumKind::U8,
            Some(NumRange::Float {
                min: Some(0.5),
                max: Some(10.5),
            }),
        )
        .expect("packs");
        assert_eq!((p.min, p.max, p.bits), (1, 10, 4));
        let p = int_packing(NumKind::I64, int(None, Some(i64::MIN as i128 + 3))).expect("packs");
        assert_eq!(p.bits, 2);
    }
}
