//! What the VMs learn from Roblox's reflection database and rbx_types: classes, their
//! hierarchy and properties, enums, property defaults and the BrickColor palette.

use std::sync::OnceLock;

use rbx_reflection::{ClassTag, DataType, ReflectionDatabase, Scriptability};
use rbx_types::{BrickColor, Variant};

use crate::error::MockError;
use crate::wire::{ColorKeypoint, NumberKeypoint, UDim, WireValue};

/// The bundled database (not a locally installed one, so that runs are reproducible).
pub(crate) fn database() -> Result<&'static ReflectionDatabase<'static>, MockError> {
    std::panic::catch_unwind(rbx_reflection_database::get_bundled)
        .map_err(|_| MockError::Reflection("the bundled database could not be decoded".into()))
}

/// A class as the Luau side needs it.
pub(crate) struct ClassInfo {
    /// The class itself first, `Instance` last.
    pub superclasses: Vec<&'static str>,
    /// Whether `Instance.new` may make it.
    pub creatable: bool,
    /// Whether it is a service (made by `GetService`).
    pub service: bool,
    /// Properties scripts can read, with whether they can also write them.
    pub properties: Vec<(&'static str, bool)>,
}

pub(crate) fn class_info(
    db: &'static ReflectionDatabase<'static>,
    name: &str,
) -> Option<ClassInfo> {
    let class = db.classes.get(name)?;
    let mut superclasses = Vec::new();
    let mut properties = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for c in db.superclasses_iter(class) {
        superclasses.push(c.name);
        for (prop_name, prop) in &c.properties {
            let writable = match prop.scriptability {
                Scriptability::ReadWrite | Scriptability::Custom | Scriptability::Write => true,
                Scriptability::Read => false,
                _ => continue,
            };
            if seen.insert(*prop_name) {
                properties.push((*prop_name, writable));
            }
        }
    }
    Some(ClassInfo {
        superclasses,
        creatable: !class.tags.contains(&ClassTag::NotCreatable)
            && !class.tags.contains(&ClassTag::Service),
        service: class.tags.contains(&ClassTag::Service),
        properties,
    })
}

/// The default of a property as a wire value, for the types a script can observe.
pub(crate) fn property_default(
    db: &'static ReflectionDatabase<'static>,
    class: &str,
    prop: &str,
) -> Option<WireValue> {
    let class = db.classes.get(class)?;
    let variant = db.find_default_property(class, prop)?;
    let enum_name = db
        .superclasses_iter(class)
        .find_map(|c| c.properties.get(prop))
        .and_then(|p| match p.data_type {
            DataType::Enum(name) => Some(name),
            _ => None,
        });
    variant_to_wire(variant, enum_name)
}

fn variant_to_wire(v: &Variant, enum_name: Option<&str>) -> Option<WireValue> {
    Some(match v {
        Variant::Bool(b) => WireValue::Boolean(*b),
        Variant::Int32(n) => WireValue::Number((*n).into()),
        Variant::Int64(n) => WireValue::Number(*n as f64),
        Variant::Float32(n) => WireValue::Number((*n).into()),
        Variant::Float64(n) => WireValue::Number(*n),
        Variant::String(s) => WireValue::String(s.as_bytes().to_vec()),
        Variant::Vector3(v) => WireValue::Vector3([v.x, v.y, v.z]),
        Variant::Vector2(v) => WireValue::Vector2([v.x, v.y]),
        Variant::CFrame(cf) => {
            let m = &cf.orientation;
            WireValue::CFrame {
                position: [cf.position.x, cf.position.y, cf.position.z],
                rotation: [
                    m.x.x, m.x.y, m.x.z, m.y.x, m.y.y, m.y.z, m.z.x, m.z.y, m.z.z,
                ],
            }
        }
        Variant::Color3(c) => WireValue::Color3([c.r, c.g, c.b]),
        Variant::Color3uint8(c) => WireValue::Color3([c.r, c.g, c.b].map(|x| f32::from(x) / 255.0)),
        Variant::BrickColor(b) => WireValue::BrickColor(*b as u16),
        Variant::UDim(u) => WireValue::UDim(UDim {
            scale: u.scale,
            offset: u.offset,
        }),
        Variant::UDim2(u) => WireValue::UDim2(
            UDim {
                scale: u.x.scale,
                offset: u.x.offset,
            },
            UDim {
                scale: u.y.scale,
                offset: u.y.offset,
            },
        ),
        Variant::Rect(r) => WireValue::Rect {
            min: [r.min.x, r.min.y],
            max: [r.max.x, r.max.y],
        },
        Variant::NumberRange(r) => WireValue::NumberRange {
            min: r.min,
            max: r.max,
        },
        Variant::NumberSequence(s) => WireValue::NumberSequence(
            s.keypoints
                .iter()
                .map(|k| NumberKeypoint {
                    time: k.time,
                    value: k.value,
                    envelope: k.envelope,
                })
                .collect(),
        ),
        Variant::ColorSequence(s) => WireValue::ColorSequence(
            s.keypoints
                .iter()
                .map(|k| ColorKeypoint {
                    time: k.time,
                    color: [k.color.r, k.color.g, k.color.b],
                })
                .collect(),
        ),
        Variant::Enum(e) => WireValue::EnumItem {
            enum_type: enum_name?.to_owned(),
            value: e.to_u32(),
        },
        _ => return None,
    })
}

/// An enum's items as (name, value), in value order (then name), or None.
pub(crate) fn enum_items(
    db: &'static ReflectionDatabase<'static>,
    name: &str,
) -> Option<Vec<(&'static str, u32)>> {
    let e = db.enums.get(name)?;
    let mut items: Vec<(&'static str, u32)> = e.items.iter().map(|(n, v)| (*n, *v)).collect();
    items.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(b.0)));
    Some(items)
}

/// Every enum name, sorted.
pub(crate) fn enum_names(db: &'static ReflectionDatabase<'static>) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = db.enums.keys().copied().collect();
    names.sort_unstable();
    names
}

/// One BrickColor: number, name and 8-bit RGB.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Brick {
    pub number: u16,
    pub name: &'static str,
    pub rgb: [u8; 3],
}

/// The palette, from rbx_types, in number order. BrickColor numbers stop below 1100.
pub(crate) fn bricks() -> &'static [Brick] {
    static BRICKS: OnceLock<Vec<Brick>> = OnceLock::new();
    BRICKS.get_or_init(|| {
        (0..1100u16)
            .filter_map(|n| {
                let b = BrickColor::from_number(n)?;
                let c = b.to_color3uint8();
                // Leaked once per color for the life of the process (the palette is static).
                let name: &'static str = Box::leak(b.to_string().into_boxed_str());
                Some(Brick {
                    number: n,
                    name,
                    rgb: [c.r, c.g, c.b],
                })
            })
            .collect()
    })
}

pub(crate) fn brick_by_number(n: f64) -> Option<Brick> {
    if n.fract() != 0.0 || !(0.0..1100.0).contains(&n) {
        return None;
    }
    bricks().iter().find(|b| f64::from(b.number) == n).copied()
}

/// By name: the first color of that name, as Roblox resolves the few duplicates.
pub(crate) fn brick_by_name(name: &str) -> Option<Brick> {
    let b = BrickColor::from_name(name)?;
    brick_by_number(f64::from(b as u16))
}

/// The palette color nearest to (r, g, b) in `[0, 1]`, by squared RGB distance.
pub(crate) fn brick_closest(r: f64, g: f64, b: f64) -> Option<Brick> {
    let target = [r, g, b].map(|c| c * 255.0);
    bricks().iter().copied().min_by(|x, y| {
        let dist = |k: &Brick| -> f64 {
            k.rgb
                .iter()
                .zip(target)
                .map(|(&c, t)| (f64::from(c) - t).powi(2))
                .sum()
        };
        dist(x).total_cmp(&dist(y))
    })
}
