//! The CFrame rotation: a "smallest three" quaternion (section 4.7), the one
//! lossy encoding. The arithmetic is done in binary64 on the binary32
//! components, as Luau does on the numbers `CFrame:GetComponents()` returns,
//! so both implementations write the same bytes.

use std::f64::consts::SQRT_2;

use crate::types::{Matrix3, Vector3};

const SCALE: f64 = 32767.0;

/// The wire form of a rotation: the index of the dropped (largest) component
/// (`qx = 0, qy = 1, qz = 2, qw = 3`) and the other three, quantized, in index
/// order.
pub(crate) fn encode_rotation(m: &Matrix3) -> (u32, [i16; 3]) {
    let q = normalize(quaternion_of(m)).unwrap_or([0.0, 0.0, 0.0, 1.0]);
    let mut largest = 0;
    for i in 1..4 {
        if q[i].abs() > q[largest].abs() {
            largest = i;
        }
    }
    let sign = if q[largest] < 0.0 { -1.0 } else { 1.0 };
    let mut out = [0i16; 3];
    let others = (0..4).filter(|&i| i != largest);
    for (slot, i) in out.iter_mut().zip(others) {
        *slot = quantize(sign * q[i]);
    }
    (largest as u32, out)
}

/// The rotation matrix of a wire rotation. Any index and values decode to a
/// rotation.
pub(crate) fn decode_rotation(largest: u32, values: [i16; 3]) -> Matrix3 {
    let [a, b, c] = values.map(|v| f64::from(v) / SCALE / SQRT_2);
    let dropped = (1.0 - a * a - b * b - c * c).max(0.0).sqrt();
    let q = match largest {
        0 => [dropped, a, b, c],
        1 => [a, dropped, b, c],
        2 => [a, b, dropped, c],
        _ => [a, b, c, dropped],
    };
    let [x, y, z, w] = normalize(q).unwrap_or([0.0, 0.0, 0.0, 1.0]);
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

/// `clamp(round(c * sqrt(2) * 32767), -32767, 32767)`, halves away from zero.
fn quantize(c: f64) -> i16 {
    (c * SQRT_2 * SCALE).round().clamp(-SCALE, SCALE) as i16
}

/// The (unnormalized) quaternion `(qx, qy, qz, qw)` of a rotation matrix,
/// step 1 of section 4.7.
fn quaternion_of(m: &Matrix3) -> [f64; 4] {
    let f = |v: f32| f64::from(v);
    let (r00, r01, r02) = (f(m.x.x), f(m.x.y), f(m.x.z));
    let (r10, r11, r12) = (f(m.y.x), f(m.y.y), f(m.y.z));
    let (r20, r21, r22) = (f(m.z.x), f(m.z.y), f(m.z.z));
    let t = r00 + r11 + r22;
    if t > 0.0 {
        let s = (t + 1.0).sqrt() * 2.0;
        [(r21 - r12) / s, (r02 - r20) / s, (r10 - r01) / s, s / 4.0]
    } else if r00 > r11 && r00 > r22 {
        let s = (1.0 + r00 - r11 - r22).sqrt() * 2.0;
        [s / 4.0, (r01 + r10) / s, (r02 + r20) / s, (r21 - r12) / s]
    } else if r11 > r22 {
        let s = (1.0 + r11 - r00 - r22).sqrt() * 2.0;
        [(r01 + r10) / s, s / 4.0, (r12 + r21) / s, (r02 - r20) / s]
    } else {
        let s = (1.0 + r22 - r00 - r11).sqrt() * 2.0;
        [(r02 + r20) / s, (r12 + r21) / s, s / 4.0, (r10 - r01) / s]
    }
}

/// `q` divided by its length; `None` if the length is 0 or not finite.
fn normalize(q: [f64; 4]) -> Option<[f64; 4]> {
    let [x, y, z, w] = q;
    let len = (x * x + y * y + z * z + w * w).sqrt();
    if len == 0.0 || !len.is_finite() {
        return None;
    }
    let out = q.map(|c| c / len);
    // A finite length can still leave a NaN component only if one was NaN,
    // which makes the length NaN; check anyway so no NaN reaches the wire.
    if out.iter().all(|c| c.is_finite()) {
        Some(out)
    } else {
        None
    }
}
