//! Random values of the types of `tests/schemas/types.tether`, within what
//! each type allows: shared by the encoding suite and the cross-language
//! suite, which add what is theirs (64-bit integers, instances, `any`).

#![allow(dead_code)]

use std::sync::OnceLock;

use proptest::prelude::*;
use tether_runtime::types::{
    BrickColor, CFrame, Color3, ColorSequence, ColorSequenceKeypoint, Matrix3, NumberRange,
    NumberSequence, NumberSequenceKeypoint, Rect, UDim, UDim2, Vector2, Vector3,
};
use tether_tests::types as t;

/// Characters cut to at most `max` bytes of UTF-8, padded with ASCII to at
/// least `min`.
pub fn fit(chars: Vec<char>, min: usize, max: usize) -> String {
    let mut s = String::new();
    for c in chars {
        if s.len() + c.len_utf8() > max {
            break;
        }
        s.push(c);
    }
    while s.len() < min {
        s.push('x');
    }
    s
}

/// A string of `min..=max` bytes of UTF-8, of any characters.
pub fn text(min: usize, max: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..=max).prop_map(move |chars| fit(chars, min, max))
}

pub fn finite_f32() -> impl Strategy<Value = f32> {
    prop_oneof![
        -1e6f32..1e6f32,
        any::<u32>()
            .prop_map(f32::from_bits)
            .prop_filter("finite", |v| v.is_finite()),
        Just(0.0f32),
        Just(-0.0f32),
        Just(f32::MAX),
        Just(f32::MIN),
        Just(f32::MIN_POSITIVE),
        Just(f32::from_bits(1)), // the smallest subnormal
    ]
}

pub fn finite_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        -1e12f64..1e12f64,
        any::<u64>()
            .prop_map(f64::from_bits)
            .prop_filter("finite", |v| v.is_finite()),
        Just(0.0f64),
        Just(-0.0f64),
        Just(f64::MAX),
        Just(f64::MIN),
        Just(f64::from_bits(1)),
    ]
}

/// Any binary32: NaNs with any payload, infinities.
pub fn any_f32() -> impl Strategy<Value = f32> {
    prop_oneof![
        any::<u32>().prop_map(f32::from_bits),
        Just(f32::NAN),
        Just(f32::from_bits(0xFF80_0001)), // a negative signalling NaN
        Just(f32::INFINITY),
        Just(f32::NEG_INFINITY),
        finite_f32(),
    ]
}

pub fn any_f64() -> impl Strategy<Value = f64> {
    prop_oneof![
        any::<u64>().prop_map(f64::from_bits),
        Just(f64::NAN),
        Just(f64::from_bits(0xFFF0_0000_0000_0001)), // a negative signalling NaN
        Just(f64::INFINITY),
        Just(f64::NEG_INFINITY),
        finite_f64(),
    ]
}

/// A datatype component: any binary32 but NaN (wire format, section 4.7).
pub fn component() -> impl Strategy<Value = f32> {
    any_f32().prop_filter("not NaN", |v| !v.is_nan())
}

/// `f32(0..)`: finite and not below 0 (-0 included).
pub fn non_negative_f32() -> impl Strategy<Value = f32> {
    prop_oneof![
        finite_f32().prop_map(f32::abs),
        Just(0.0f32),
        Just(-0.0f32),
        Just(f32::MAX)
    ]
}

pub fn color() -> impl Strategy<Value = t::Color> {
    prop_oneof![Just(t::Color::Red), Just(t::Color::Green)]
}

pub fn three() -> impl Strategy<Value = t::Three> {
    prop_oneof![Just(t::Three::A), Just(t::Three::B), Just(t::Three::C)]
}

pub fn nine() -> impl Strategy<Value = t::Nine> {
    use t::Nine::*;
    prop::sample::select(vec![A, B, C, D, E, F, G, H, I])
}

pub fn shape() -> impl Strategy<Value = t::Shape> {
    prop_oneof![
        non_negative_f32().prop_map(|radius| t::Shape::Circle { radius }),
        vector3().prop_map(|size| t::Shape::Box { size }),
        Just(t::Shape::Point),
    ]
}

pub fn event() -> impl Strategy<Value = t::Event> {
    prop_oneof![
        (text(0, 32), any::<bool>()).prop_map(|(body, loud)| t::Event::Text { body, loud }),
        Just(t::Event::Ping),
        (vector2(), any::<bool>(), prop::option::of(1u8..=20))
            .prop_map(|(to, run, speed)| t::Event::Move { to, run, speed }),
        prop::collection::vec(three(), 0..=5).prop_map(|items| t::Event::Many { items }),
        shape().prop_map(|inner| t::Event::Nest { inner }),
    ]
}

prop_compose! {
    pub fn with_opt()(req in any::<u8>(), opt in prop::option::of(any::<u16>()),
                      note in prop::option::of(text(0, 8))) -> t::WithOpt {
        t::WithOpt { req, opt, note }
    }
}

prop_compose! {
    pub fn nested()(
        id in any::<u16>(),
        flag in any::<bool>(),
        name in text(0, 16),
        tail in prop::option::of((non_negative_f32(), prop::collection::vec(color(), 0..=2))),
        points in prop::collection::vec((any::<i8>(), any::<i8>()), 0..=3),
    ) -> t::Nested {
        t::Nested {
            id,
            inner: t::NestedInner { flag, name },
            tail: tail.map(|(x, tags)| t::NestedTail { x, tags }),
            points: points.into_iter().map(|(x, y)| t::NestedPoints { x, y }).collect(),
        }
    }
}

/// A list of `values.len()` nodes.
pub fn node_of(values: Vec<u8>) -> t::Node {
    let mut next: Option<Box<t::Node>> = None;
    for value in values.into_iter().rev() {
        next = Some(Box::new(t::Node { value, next }));
    }
    *next.expect("at least one node")
}

pub fn node() -> impl Strategy<Value = t::Node> {
    prop::collection::vec(any::<u8>(), 1..=12).prop_map(node_of)
}

pub fn tree() -> impl Strategy<Value = t::Tree> {
    Just(t::Tree { children: vec![] }).prop_recursive(4, 48, 4, |inner| {
        prop::collection::vec(inner, 0..=4).prop_map(|children| t::Tree { children })
    })
}

pub fn vector3() -> impl Strategy<Value = Vector3> {
    (component(), component(), component()).prop_map(|(x, y, z)| Vector3::new(x, y, z))
}

pub fn vector2() -> impl Strategy<Value = Vector2> {
    (component(), component()).prop_map(|(x, y)| Vector2::new(x, y))
}

pub fn color3() -> impl Strategy<Value = Color3> {
    prop_oneof![
        (0f32..=1.0, 0f32..=1.0, 0f32..=1.0),
        (component(), component(), component()),
    ]
    .prop_map(|(r, g, b)| Color3::new(r, g, b))
}

pub fn all_brick_colors() -> Vec<BrickColor> {
    static ALL: OnceLock<Vec<BrickColor>> = OnceLock::new();
    ALL.get_or_init(|| (0..=u16::MAX).filter_map(BrickColor::from_number).collect())
        .clone()
}

pub fn brick_color() -> impl Strategy<Value = BrickColor> {
    prop::sample::select(all_brick_colors())
}

pub fn udim() -> impl Strategy<Value = UDim> {
    (component(), any::<i32>()).prop_map(|(scale, offset)| UDim::new(scale, offset))
}

pub fn udim2() -> impl Strategy<Value = UDim2> {
    (udim(), udim()).prop_map(|(x, y)| UDim2::new(x, y))
}

pub fn rect() -> impl Strategy<Value = Rect> {
    (vector2(), vector2()).prop_map(|(min, max)| Rect::new(min, max))
}

pub fn number_range() -> impl Strategy<Value = NumberRange> {
    (component(), component()).prop_map(|(a, b)| NumberRange::new(a.min(b), a.max(b)))
}

/// Keypoint times Roblox accepts: 2 to 20, from 0 to 1, never decreasing.
pub fn keypoint_times() -> impl Strategy<Value = Vec<f32>> {
    prop::collection::vec(0f32..=1.0, 0..=18).prop_map(|mut inner| {
        inner.sort_by(f32::total_cmp);
        let mut times = vec![0.0];
        times.extend(inner);
        times.push(1.0);
        times
    })
}

pub fn number_sequence() -> impl Strategy<Value = NumberSequence> {
    keypoint_times()
        .prop_flat_map(|times| {
            let n = times.len();
            (
                Just(times),
                prop::collection::vec((component(), component()), n),
            )
        })
        .prop_map(|(times, values)| NumberSequence {
            keypoints: times
                .into_iter()
                .zip(values)
                .map(|(time, (value, envelope))| NumberSequenceKeypoint::new(time, value, envelope))
                .collect(),
        })
}

pub fn color_sequence() -> impl Strategy<Value = ColorSequence> {
    keypoint_times()
        .prop_flat_map(|times| {
            let n = times.len();
            (Just(times), prop::collection::vec(color3(), n))
        })
        .prop_map(|(times, colors)| ColorSequence {
            keypoints: times
                .into_iter()
                .zip(colors)
                .map(|(time, color)| ColorSequenceKeypoint::new(time, color))
                .collect(),
        })
}

/// The rotation matrix of the unit quaternion `q` (`x, y, z, w`).
pub fn rotation_of([x, y, z, w]: [f64; 4]) -> Matrix3 {
    let row = |a: f64, b: f64, c: f64| Vector3::new(a as f32, b as f32, c as f32);
    Matrix3::new(
        row(
            1.0 - 2.0 * (y * y + z * z),
            2.0 * (x * y - z * w),
            2.0 * (x * z + y * w),
        ),
        row(
            2.0 * (x * y + z * w),
            1.0 - 2.0 * (x * x + z * z),
            2.0 * (y * z - x * w),
        ),
        row(
            2.0 * (x * z - y * w),
            2.0 * (y * z + x * w),
            1.0 - 2.0 * (x * x + y * y),
        ),
    )
}

/// The 24 rotations that map axes onto axes, where quaternion components
/// tie and the choice of the dropped one is on the edge.
pub fn axis_rotations() -> Vec<Matrix3> {
    let unit = |i: usize, sign: f32| {
        let mut v = [0.0f32; 3];
        v[i] = sign;
        Vector3::new(v[0], v[1], v[2])
    };
    let perms = [
        ([0, 1, 2], 1.0),
        ([0, 2, 1], -1.0),
        ([1, 0, 2], -1.0),
        ([1, 2, 0], 1.0),
        ([2, 0, 1], 1.0),
        ([2, 1, 0], -1.0),
    ];
    let mut out = Vec::new();
    for (perm, parity) in perms {
        for signs in 0..8u32 {
            let s = |i: u32| if signs >> i & 1 == 1 { -1.0f32 } else { 1.0 };
            if parity * s(0) * s(1) * s(2) > 0.0 {
                out.push(Matrix3::new(
                    unit(perm[0], s(0)),
                    unit(perm[1], s(1)),
                    unit(perm[2], s(2)),
                ));
            }
        }
    }
    out
}

pub fn rotation() -> impl Strategy<Value = Matrix3> {
    prop_oneof![
        3 => (-1.0f64..=1.0, -1.0f64..=1.0, -1.0f64..=1.0, -1.0f64..=1.0)
            .prop_filter("a quaternion with a direction", |(x, y, z, w)| {
                x * x + y * y + z * z + w * w > 0.01
            })
            .prop_map(|(x, y, z, w)| {
                let len = (x * x + y * y + z * z + w * w).sqrt();
                rotation_of([x / len, y / len, z / len, w / len])
            }),
        1 => prop::sample::select(axis_rotations()),
    ]
}

pub fn cframe() -> impl Strategy<Value = CFrame> {
    (vector3(), rotation()).prop_map(|(position, orientation)| CFrame::new(position, orientation))
}
