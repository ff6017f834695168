//! Luau values described from Rust values, and written as Luau source: as a
//! sender builds them, or as a receiver expects them (for `X.same` of
//! `cross.luau`).

use std::collections::{HashMap, HashSet};
use std::fmt::Write;

use tether_runtime::types::{
    BrickColor, CFrame, Color3, ColorSequence, DateTime, InstanceId, NumberRange, NumberSequence,
    Rect, Ref, UDim, UDim2, Value, Vector2, Vector3,
};

/// A Luau value.
#[derive(Clone, Debug)]
pub enum Lv {
    Nil,
    Bool(bool),
    Num(f64),
    /// A number that travels as a binary32: its value, or for a NaN its bits.
    F32(f32),
    Str(Vec<u8>),
    Buf(Vec<u8>),
    /// A table whose keys are 1 to n (some values may be nil: holes).
    Array(Vec<Lv>),
    Map(Vec<(Lv, Lv)>),
    Inst(InstanceId),
    /// A datatype: its constructor and the constructor's arguments.
    New(&'static str, Vec<Lv>),
    /// A CFrame from its twelve components: when expected, the rotation is
    /// compared within a tolerance (the one lossy encoding).
    CFrame([f32; 12]),
    /// Luau source, the same on both sides (an `Enum` item).
    Raw(String),
}

impl Lv {
    pub fn str(s: &str) -> Lv {
        Lv::Str(s.as_bytes().to_vec())
    }

    /// A record: its fields by name.
    pub fn record<const N: usize>(fields: [(&str, Lv); N]) -> Lv {
        Lv::Map(fields.into_iter().map(|(k, v)| (Lv::str(k), v)).collect())
    }

    /// The Luau source of this value, for `scope`.
    pub fn render(&self, scope: &Scope<'_>) -> String {
        let mut out = String::new();
        self.write(scope, &mut out);
        out
    }

    fn write(&self, scope: &Scope<'_>, out: &mut String) {
        match self {
            Lv::Nil => out.push_str("nil"),
            Lv::Bool(b) => write!(out, "{b}").unwrap(),
            Lv::Num(n) => write_number(*n, out),
            Lv::F32(f) if f.is_nan() => {
                // Luau reads a binary32 NaN as the hardware widens it: quieted.
                let bits = f.to_bits();
                if scope.expect {
                    write!(out, "X.f32({:#010x})", bits | QUIET_F32).unwrap();
                } else {
                    write!(out, "X.nf32({bits:#010x})").unwrap();
                }
            }
            Lv::F32(f) => write_number(f64::from(*f), out),
            Lv::Str(s) => write_string(s, out),
            Lv::Buf(b) => {
                out.push_str("buffer.fromstring(");
                write_string(b, out);
                out.push(')');
            }
            Lv::Array(items) => {
                out.push('{');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    item.write(scope, out);
                }
                out.push('}');
            }
            Lv::Map(entries) => {
                out.push('{');
                for (i, (k, v)) in entries.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push('[');
                    k.write(scope, out);
                    out.push_str("] = ");
                    v.write(scope, out);
                }
                out.push('}');
            }
            Lv::Inst(id) => out.push_str(&(scope.instance)(*id)),
            Lv::New(ctor, args) => {
                out.push_str(ctor);
                out.push('(');
                for (i, arg) in args.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    arg.write(scope, out);
                }
                out.push(')');
            }
            Lv::CFrame(c) => {
                if scope.expect {
                    write!(out, "X.cf({:e}", scope.tolerance).unwrap();
                } else {
                    out.push_str("CFrame.new(");
                }
                for (i, x) in c.iter().enumerate() {
                    if i > 0 || scope.expect {
                        out.push_str(", ");
                    }
                    write_number(f64::from(*x), out);
                }
                out.push(')');
            }
            Lv::Raw(source) => out.push_str(source),
        }
    }
}

/// The quiet bit of a binary32 NaN.
pub const QUIET_F32: u32 = 0x0040_0000;

/// Where a value is written: by its sender, or as its receiver expects it.
pub struct Scope<'a> {
    pub expect: bool,
    /// The Luau expression of an instance on this side (`nil` for one the
    /// side cannot see).
    pub instance: &'a dyn Fn(InstanceId) -> String,
    /// How far an expected CFrame's rotation components may be off.
    pub tolerance: f64,
}

fn write_number(n: f64, out: &mut String) {
    const EXACT: f64 = 9_007_199_254_740_992.0; // 2^53
    if n.fract() == 0.0 && n.abs() < EXACT && !(n == 0.0 && n.is_sign_negative()) {
        write!(out, "{}", n as i64).unwrap();
    } else {
        // The bits, so that -0, NaN payloads, infinities and every rounding
        // come through as they are.
        let bits = n.to_bits();
        write!(out, "X.n({:#x}, {:#x})", bits >> 32, bits & 0xFFFF_FFFF).unwrap();
    }
}

fn write_string(bytes: &[u8], out: &mut String) {
    out.push('"');
    for &b in bytes {
        match b {
            b'"' | b'\\' => {
                out.push('\\');
                out.push(char::from(b));
            }
            0x20..=0x7E => out.push(char::from(b)),
            _ => write!(out, "\\x{b:02x}").unwrap(),
        }
    }
    out.push('"');
}

/// A Rust value of a schema type as the Luau value the generated code uses
/// for it (docs/luau.md): records are tables by field name, unit enum
/// variants their names, tagged variants tables with a `type` field.
pub trait ToLv {
    fn lv(&self) -> Lv;
}

impl ToLv for bool {
    fn lv(&self) -> Lv {
        Lv::Bool(*self)
    }
}

macro_rules! numbers {
    ($($t:ty),*) => {$(
        impl ToLv for $t {
            // 64-bit integers are kept within 2^53 by the tests that send them.
            fn lv(&self) -> Lv {
                Lv::Num(*self as f64)
            }
        }
    )*};
}
numbers!(u8, u16, u32, u64, i8, i16, i32, i64, f64);

impl ToLv for f32 {
    fn lv(&self) -> Lv {
        Lv::F32(*self)
    }
}

impl ToLv for String {
    fn lv(&self) -> Lv {
        Lv::str(self)
    }
}

impl<T: ToLv> ToLv for Option<T> {
    fn lv(&self) -> Lv {
        self.as_ref().map_or(Lv::Nil, ToLv::lv)
    }
}

impl<T: ToLv> ToLv for Box<T> {
    fn lv(&self) -> Lv {
        (**self).lv()
    }
}

impl<T: ToLv> ToLv for Vec<T> {
    fn lv(&self) -> Lv {
        Lv::Array(self.iter().map(ToLv::lv).collect())
    }
}

impl<K: ToLv, V: ToLv, S> ToLv for HashMap<K, V, S> {
    fn lv(&self) -> Lv {
        Lv::Map(self.iter().map(|(k, v)| (k.lv(), v.lv())).collect())
    }
}

/// A set is a Luau table whose values are `true`.
impl<T: ToLv, S> ToLv for HashSet<T, S> {
    fn lv(&self) -> Lv {
        Lv::Map(self.iter().map(|k| (k.lv(), Lv::Bool(true))).collect())
    }
}

impl<C: tether_runtime::types::Class> ToLv for Ref<C> {
    fn lv(&self) -> Lv {
        Lv::Inst(self.id())
    }
}

fn f32s<const N: usize>(values: [f32; N]) -> Vec<Lv> {
    values.into_iter().map(Lv::F32).collect()
}

impl ToLv for Vector3 {
    fn lv(&self) -> Lv {
        Lv::New("Vector3.new", f32s([self.x, self.y, self.z]))
    }
}

impl ToLv for Vector2 {
    fn lv(&self) -> Lv {
        Lv::New("Vector2.new", f32s([self.x, self.y]))
    }
}

impl ToLv for CFrame {
    fn lv(&self) -> Lv {
        let (p, m) = (self.position, self.orientation);
        Lv::CFrame([
            p.x, p.y, p.z, m.x.x, m.x.y, m.x.z, m.y.x, m.y.y, m.y.z, m.z.x, m.z.y, m.z.z,
        ])
    }
}

impl ToLv for Color3 {
    fn lv(&self) -> Lv {
        Lv::New("Color3.new", f32s([self.r, self.g, self.b]))
    }
}

impl ToLv for BrickColor {
    fn lv(&self) -> Lv {
        Lv::New("BrickColor.new", vec![Lv::Num(f64::from(*self as u16))])
    }
}

impl ToLv for UDim {
    fn lv(&self) -> Lv {
        Lv::New("UDim.new", vec![Lv::F32(self.scale), self.offset.lv()])
    }
}

impl ToLv for UDim2 {
    fn lv(&self) -> Lv {
        let (x, y) = (self.x, self.y);
        Lv::New(
            "UDim2.new",
            vec![
                Lv::F32(x.scale),
                x.offset.lv(),
                Lv::F32(y.scale),
                y.offset.lv(),
            ],
        )
    }
}

impl ToLv for Rect {
    fn lv(&self) -> Lv {
        Lv::New(
            "Rect.new",
            f32s([self.min.x, self.min.y, self.max.x, self.max.y]),
        )
    }
}

impl ToLv for NumberRange {
    fn lv(&self) -> Lv {
        Lv::New("NumberRange.new", f32s([self.min, self.max]))
    }
}

impl ToLv for NumberSequence {
    fn lv(&self) -> Lv {
        let points = self
            .keypoints
            .iter()
            .map(|k| {
                Lv::New(
                    "NumberSequenceKeypoint.new",
                    f32s([k.time, k.value, k.envelope]),
                )
            })
            .collect();
        Lv::New("NumberSequence.new", vec![Lv::Array(points)])
    }
}

impl ToLv for ColorSequence {
    fn lv(&self) -> Lv {
        let points = self
            .keypoints
            .iter()
            .map(|k| {
                Lv::New(
                    "ColorSequenceKeypoint.new",
                    vec![Lv::F32(k.time), k.color.lv()],
                )
            })
            .collect();
        Lv::New("ColorSequence.new", vec![Lv::Array(points)])
    }
}

impl ToLv for DateTime {
    fn lv(&self) -> Lv {
        Lv::New(
            "DateTime.fromUnixTimestampMillis",
            vec![self.unix_millis.lv()],
        )
    }
}

/// `any`: tables for arrays and maps, an EnumItem looked up by its value.
impl ToLv for Value {
    fn lv(&self) -> Lv {
        match self {
            Value::Nil => Lv::Nil,
            Value::Bool(b) => Lv::Bool(*b),
            Value::Number(n) => Lv::Num(*n),
            Value::String(s) => Lv::str(s),
            Value::Buffer(b) => Lv::Buf(b.clone()),
            Value::Array(items) => Lv::Array(items.iter().map(ToLv::lv).collect()),
            Value::Map(entries) => Lv::Map(entries.iter().map(|(k, v)| (k.lv(), v.lv())).collect()),
            Value::Instance(id) => id.map_or(Lv::Nil, Lv::Inst),
            Value::Vector3(v) => v.lv(),
            Value::Vector2(v) => v.lv(),
            Value::CFrame(v) => v.lv(),
            Value::Color3(v) => v.lv(),
            Value::BrickColor(v) => v.lv(),
            Value::UDim(v) => v.lv(),
            Value::UDim2(v) => v.lv(),
            Value::Rect(v) => v.lv(),
            Value::NumberRange(v) => v.lv(),
            Value::NumberSequence(v) => v.lv(),
            Value::ColorSequence(v) => v.lv(),
            Value::DateTime(v) => v.lv(),
            Value::EnumItem { enum_name, value } => {
                Lv::Raw(format!("Enum.{enum_name}:FromValue({value})"))
            }
        }
    }
}
