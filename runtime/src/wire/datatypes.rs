//! Roblox datatypes (section 4.7). Components are `f32`, infinities included
//! (`math.huge` is a common component), but never NaN. A value Roblox
//! refuses to construct is refused by the encoder and rejected by the
//! decoder: a `NumberRange` whose min is above its max, and a
//! `NumberSequence` or `ColorSequence` whose keypoint times do not start at
//! 0, end at 1 and never decrease.

use super::cframe::{decode_rotation, encode_rotation};
use super::{Decode, DecodeError, Encode, EncodeError, LenRange, Reader, Writer};
use crate::types::{
    BrickColor, CFrame, Color3, ColorSequence, ColorSequenceKeypoint, DateTime, NumberRange,
    NumberSequence, NumberSequenceKeypoint, Rect, UDim, UDim2, Vector2, Vector3,
};

/// The keypoint count of `NumberSequence` and `ColorSequence`: `2..20`, a
/// 5-bit field holding count − 2.
pub const SEQUENCE_KEYPOINTS: LenRange = LenRange::new(
    tether_facts::wire::SEQUENCE_KEYPOINTS.min,
    Some(tether_facts::wire::SEQUENCE_KEYPOINTS.max),
);

const NAN: &str = "NaN in a Roblox datatype component";

/// Reads a component: any `f32` but NaN, which no game means to send (a NaN
/// position or size poisons whatever it touches).
#[inline]
fn component(r: &mut Reader<'_>) -> Result<f32, DecodeError> {
    match r.f32()? {
        v if v.is_nan() => Err(DecodeError::Invalid(NAN.into())),
        v => Ok(v),
    }
}

/// Writes a component, refusing NaN as [`component`] does.
#[inline]
fn put(w: &mut Writer, v: f32) -> Result<(), EncodeError> {
    if v.is_nan() {
        return Err(EncodeError::Invalid(NAN.into()));
    }
    w.f32(v);
    Ok(())
}

impl Encode for Vector3 {
    fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        put(w, self.x)?;
        put(w, self.y)?;
        put(w, self.z)?;
        Ok(())
    }
}

impl Decode for Vector3 {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Vector3::new(component(r)?, component(r)?, component(r)?))
    }
}

impl Encode for Vector2 {
    fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        put(w, self.x)?;
        put(w, self.y)?;
        Ok(())
    }
}

impl Decode for Vector2 {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Vector2::new(component(r)?, component(r)?))
    }
}

/// Position X, Y, Z, then the rotation as a "smallest three" quaternion: a
/// 2-bit index in the bit stream and three `i16`. Lossy: the rotation comes
/// back within about 1e-4 of what was sent. Sending the decoded value again
/// gives the same bytes, except within about 3e-5 of a tie between the two
/// largest quaternion components, where the other may be dropped (the same
/// rotation, within the quantization error).
impl Encode for CFrame {
    fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        self.position.encode(w)?;
        let (largest, values) = encode_rotation(&self.orientation);
        w.bits(largest, 2);
        for v in values {
            w.i16(v);
        }
        Ok(())
    }
}

impl Decode for CFrame {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let position = Vector3::decode(r)?;
        let largest = r.bits(2)?;
        let values = [r.i16()?, r.i16()?, r.i16()?];
        Ok(CFrame::new(position, decode_rotation(largest, values)))
    }
}

impl Encode for Color3 {
    fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        put(w, self.r)?;
        put(w, self.g)?;
        put(w, self.b)?;
        Ok(())
    }
}

impl Decode for Color3 {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Color3::new(component(r)?, component(r)?, component(r)?))
    }
}

/// `BrickColor.Number` as a `u16`. A number that names no BrickColor is
/// rejected ([`DecodeError::UnknownBrickColor`]).
impl Encode for BrickColor {
    fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        w.u16(*self as u16);
        Ok(())
    }
}

impl Decode for BrickColor {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let number = r.u16()?;
        BrickColor::from_number(number).ok_or(DecodeError::UnknownBrickColor { number })
    }
}

impl Encode for UDim {
    fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        put(w, self.scale)?;
        w.i32(self.offset);
        Ok(())
    }
}

impl Decode for UDim {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(UDim::new(component(r)?, r.i32()?))
    }
}

impl Encode for UDim2 {
    fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        self.x.encode(w)?;
        self.y.encode(w)
    }
}

impl Decode for UDim2 {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(UDim2::new(UDim::decode(r)?, UDim::decode(r)?))
    }
}

impl Encode for Rect {
    fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        self.min.encode(w)?;
        self.max.encode(w)
    }
}

impl Decode for Rect {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(Rect::new(Vector2::decode(r)?, Vector2::decode(r)?))
    }
}

impl Encode for NumberRange {
    fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        if self.min > self.max {
            return Err(EncodeError::Invalid("NumberRange: min is above max".into()));
        }
        put(w, self.min)?;
        put(w, self.max)?;
        Ok(())
    }
}

impl Decode for NumberRange {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let (min, max) = (component(r)?, component(r)?);
        if min > max {
            return Err(DecodeError::InvalidDatatype {
                datatype: "NumberRange",
                reason: "min is above max",
            });
        }
        Ok(NumberRange::new(min, max))
    }
}

/// Why keypoint times Roblox would refuse are refused.
fn check_times(times: impl Iterator<Item = f32>) -> Result<(), &'static str> {
    let mut last: Option<f32> = None;
    for time in times {
        match last {
            None if time != 0.0 => return Err("the first keypoint's time is not 0"),
            Some(prev) if time < prev => return Err("keypoint times decrease"),
            // NaN: neither below the previous time nor 0 or 1.
            _ if time.is_nan() => return Err("a keypoint's time is NaN"),
            _ => {}
        }
        last = Some(time);
    }
    match last {
        Some(time) if time != 1.0 => Err("the last keypoint's time is not 1"),
        _ => Ok(()),
    }
}

/// Refuses a keypoint list Roblox would refuse, before anything is written.
fn check_keypoints(
    count: usize,
    times: impl Iterator<Item = f32>,
    datatype: &str,
) -> Result<(), EncodeError> {
    let count = u64::try_from(count).unwrap_or(u64::MAX);
    if !SEQUENCE_KEYPOINTS.contains(count) {
        return Err(EncodeError::LengthOutOfRange {
            len: count,
            min: SEQUENCE_KEYPOINTS.min,
            max: SEQUENCE_KEYPOINTS.max,
        });
    }
    check_times(times)
        .map_err(|reason| EncodeError::Invalid(format!("{datatype}: {reason}").into()))
}

impl Encode for NumberSequence {
    fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        let times = self.keypoints.iter().map(|k| k.time);
        check_keypoints(self.keypoints.len(), times, "NumberSequence")?;
        w.len(self.keypoints.len(), SEQUENCE_KEYPOINTS)?;
        for k in &self.keypoints {
            put(w, k.time)?;
            put(w, k.value)?;
            put(w, k.envelope)?;
        }
        Ok(())
    }
}

impl Decode for NumberSequence {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let count = r.len(SEQUENCE_KEYPOINTS, 12)?;
        let mut keypoints = Vec::with_capacity(count);
        for _ in 0..count {
            keypoints.push(NumberSequenceKeypoint::new(
                component(r)?,
                component(r)?,
                component(r)?,
            ));
        }
        check_times(keypoints.iter().map(|k| k.time)).map_err(|reason| {
            DecodeError::InvalidDatatype {
                datatype: "NumberSequence",
                reason,
            }
        })?;
        Ok(NumberSequence { keypoints })
    }
}

impl Encode for ColorSequence {
    fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        let times = self.keypoints.iter().map(|k| k.time);
        check_keypoints(self.keypoints.len(), times, "ColorSequence")?;
        w.len(self.keypoints.len(), SEQUENCE_KEYPOINTS)?;
        for k in &self.keypoints {
            put(w, k.time)?;
            k.color.encode(w)?;
        }
        Ok(())
    }
}

impl Decode for ColorSequence {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        let count = r.len(SEQUENCE_KEYPOINTS, 16)?;
        let mut keypoints = Vec::with_capacity(count);
        for _ in 0..count {
            keypoints.push(ColorSequenceKeypoint::new(
                component(r)?,
                Color3::decode(r)?,
            ));
        }
        check_times(keypoints.iter().map(|k| k.time)).map_err(|reason| {
            DecodeError::InvalidDatatype {
                datatype: "ColorSequence",
                reason,
            }
        })?;
        Ok(ColorSequence { keypoints })
    }
}

impl Encode for DateTime {
    fn encode(&self, w: &mut Writer) -> Result<(), EncodeError> {
        w.i64(self.unix_millis);
        Ok(())
    }
}

impl Decode for DateTime {
    fn decode(r: &mut Reader<'_>) -> Result<Self, DecodeError> {
        Ok(DateTime::from_unix_millis(r.i64()?))
    }
}
