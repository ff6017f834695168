//! Roblox datatypes and Roblox enums.

use proptest::prelude::*;
use tether::roblox::enums::{KeyCode, Material};
use tether_runtime::types::{CFrame, Matrix3};

use super::case::boxed;
use super::strategies::{
    brick_color, cframe, color3, color_sequence, date_time, number_range, number_sequence, rect,
    udim, udim2, vector2, vector3,
};

const CASES: u32 = 24;

#[test]
fn vectors_colors_and_dims_cross() {
    boxed!(Vec3, Vec3Box).run(CASES, |_| vector3());
    boxed!(Vec2, Vec2Box).run(CASES, |_| vector2());
    boxed!(Rgb, RgbBox).run(CASES, |_| color3());
    boxed!(Brick, BrickBox).run(CASES, |_| brick_color());
    boxed!(Dim, DimBox).run(CASES, |_| udim());
    boxed!(Dim2, Dim2Box).run(CASES, |_| udim2());
    boxed!(Area, AreaBox).run(CASES, |_| rect());
    boxed!(Span, SpanBox).run(CASES, |_| number_range());
}

#[test]
fn sequences_and_dates_cross() {
    boxed!(NumSeq, NumSeqBox).run(CASES, |_| number_sequence());
    boxed!(ColorSeq, ColorSeqBox).run(CASES, |_| color_sequence());
    boxed!(When, WhenBox).run(CASES, |_| date_time());
}

fn rows(m: &Matrix3) -> [f32; 9] {
    [
        m.x.x, m.x.y, m.x.z, m.y.x, m.y.y, m.y.z, m.z.x, m.z.y, m.z.z,
    ]
}

/// The rotation is a quantized quaternion: both sides compute it in binary64
/// from the same binary32 matrix, so Luau writes Rust's bytes exactly, and a
/// decoded rotation is within the quantization error of the one sent (1e-3,
/// as the Rust encoding tests allow).
#[test]
fn cframes_cross() {
    boxed!(Frame, FrameBox)
        .with_same(|a: &CFrame, b: &CFrame| {
            a.position == b.position
                && rows(&a.orientation)
                    .iter()
                    .zip(rows(&b.orientation))
                    .all(|(x, y)| (x - y).abs() <= 1e-3)
        })
        .run(48, |_| cframe());
}

/// Roblox enums travel as the item's position in the reflection database's
/// list, which the Luau modules embed by name and resolve against the
/// engine's `Enum`.
#[test]
fn roblox_enums_cross() {
    boxed!(Mat, MatBox).run(CASES, |_| prop::sample::select(Material::ALL.to_vec()));
    boxed!(Key, KeyBox).run(48, |_| prop::sample::select(KeyCode::ALL.to_vec()));
}

/// Rotations that are no rotation (a zero or scaled matrix, a reflection,
/// infinite or NaN entries) are no error: both sides run them through the
/// same arithmetic, to the same bytes, and positions may be infinite.
#[test]
fn degenerate_rotations_are_written_alike() {
    let mut cross = super::harness::Cross::types();
    let case = boxed!(Frame, FrameBox).with_same(|a: &CFrame, b: &CFrame| a.position == b.position);
    let v = |x: f32, y: f32, z: f32| tether_runtime::types::Vector3::new(x, y, z);
    let inf = f32::INFINITY;
    for (position, rows) in [
        (v(0.0, 0.0, 0.0), [v(0.0, 0.0, 0.0); 3]),
        (
            v(1.0, 2.0, 3.0),
            [v(2.0, 0.0, 0.0), v(0.0, 2.0, 0.0), v(0.0, 0.0, 2.0)],
        ),
        (
            v(inf, -inf, 0.0),
            [v(0.0, 1.0, 0.0), v(1.0, 0.0, 0.0), v(0.0, 0.0, 1.0)],
        ),
        (
            v(0.0, 0.0, 0.0),
            [v(inf, 0.0, 0.0), v(0.0, 1.0, 0.0), v(0.0, 0.0, 1.0)],
        ),
        (
            v(0.0, 0.0, 0.0),
            [v(f32::NAN, 0.0, 0.0), v(0.0, 1.0, 0.0), v(0.0, 0.0, 1.0)],
        ),
        (
            v(0.0, 0.0, 0.0),
            [v(-1.0, 0.0, 0.0), v(0.0, -1.0, 0.0), v(0.0, 0.0, -1.0)],
        ),
    ] {
        let frame = CFrame::new(position, Matrix3::new(rows[0], rows[1], rows[2]));
        case.check(&mut cross, &frame)
            .unwrap_or_else(|e| panic!("{frame:?}: {e}"));
    }
}
