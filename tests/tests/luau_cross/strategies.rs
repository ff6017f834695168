//! Random values of the types of `tests/schemas/types.tether`, within what
//! each type allows (and, for 64-bit integers, within 2^53, where Luau
//! numbers are exact).

use proptest::prelude::*;
use tether_runtime::types::{DateTime, InstanceId, Value};

use super::harness::Pool;

/// 2^53: integers up to it are exact in a Luau number.
pub const EXACT: u64 = 1 << 53;

pub use crate::values::*;

/// Milliseconds within ±2^53, where a Luau number holds them exactly.
pub fn date_time() -> impl Strategy<Value = DateTime> {
    let exact = EXACT as i64;
    prop_oneof![
        (-exact..=exact),
        Just(exact),
        Just(-exact),
        Just(0i64),
        Just(1_718_000_000_123i64),
    ]
    .prop_map(DateTime::from_unix_millis)
}

pub fn one_of(ids: &[InstanceId]) -> impl Strategy<Value = InstanceId> {
    prop::sample::select(ids.to_vec())
}

/// Which `any` values to make.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum AnyKind {
    /// Everything Rust can send, some of which Luau holds otherwise: nil in
    /// an array (a hole) or as a map's value (no entry), an instance the
    /// client cannot see (nil), an empty map (the empty table, an array).
    Rust,
    /// What Luau can send back as the same value: no nil inside a table, no
    /// empty map, no map whose keys are 1 to n (Luau sends it as an array).
    Luau,
}

fn any_leaf(pool: &Pool, kind: AnyKind, top: bool) -> BoxedStrategy<Value> {
    let mut instances = pool.visible();
    let items = pool.enum_items.clone();
    let mut leaves: Vec<BoxedStrategy<Value>> = vec![
        any::<bool>().prop_map(Value::Bool).boxed(),
        any_f64().prop_map(Value::Number).boxed(),
        text(0, 24).prop_map(Value::String).boxed(),
        prop::collection::vec(any::<u8>(), 0..24)
            .prop_map(Value::Buffer)
            .boxed(),
        vector3().prop_map(Value::Vector3).boxed(),
        vector2().prop_map(Value::Vector2).boxed(),
        cframe().prop_map(Value::CFrame).boxed(),
        color3().prop_map(Value::Color3).boxed(),
        brick_color().prop_map(Value::BrickColor).boxed(),
        udim().prop_map(Value::UDim).boxed(),
        udim2().prop_map(Value::UDim2).boxed(),
        rect().prop_map(Value::Rect).boxed(),
        number_range().prop_map(Value::NumberRange).boxed(),
        number_sequence().prop_map(Value::NumberSequence).boxed(),
        color_sequence().prop_map(Value::ColorSequence).boxed(),
        date_time().prop_map(Value::DateTime).boxed(),
        prop::sample::select(items)
            .prop_map(|(enum_name, _, value)| Value::EnumItem { enum_name, value })
            .boxed(),
    ];
    if kind == AnyKind::Rust {
        instances.push(pool.hidden);
        leaves.push(Just(Value::Instance(None)).boxed());
    }
    leaves.push(
        one_of(&instances)
            .prop_map(|id| Value::Instance(Some(id)))
            .boxed(),
    );
    if kind == AnyKind::Rust || top {
        leaves.push(Just(Value::Nil).boxed());
    }
    prop::strategy::Union::new(leaves).boxed()
}

/// Whether a map's keys are exactly the numbers 1 to n (in any order).
fn array_keys(entries: &[(Value, Value)]) -> bool {
    let mut numbers: Vec<f64> = entries
        .iter()
        .filter_map(|(k, _)| match k {
            Value::Number(n) => Some(*n),
            _ => None,
        })
        .collect();
    numbers.sort_by(f64::total_cmp);
    numbers.len() == entries.len()
        && numbers
            .iter()
            .enumerate()
            .all(|(i, n)| *n == (i + 1) as f64)
}

/// `any`: leaves, arrays and maps (string and integer keys, never repeated).
pub fn any_value(pool: &Pool, kind: AnyKind) -> BoxedStrategy<Value> {
    let inner_leaf = any_leaf(pool, kind, false);
    let tables = inner_leaf.prop_recursive(4, 48, 5, move |inner| {
        let min = usize::from(kind == AnyKind::Luau);
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(text(0, 8), inner.clone(), min..5).prop_map(|m| {
                Value::Map(m.into_iter().map(|(k, v)| (Value::String(k), v)).collect())
            }),
            prop::collection::btree_map(-3i32..6, inner, 1..4)
                .prop_map(|m| {
                    Value::Map(
                        m.into_iter()
                            .map(|(k, v)| (Value::Number(f64::from(k)), v))
                            .collect(),
                    )
                })
                .prop_filter("a map Luau does not take for an array", move |m| {
                    kind == AnyKind::Rust || !matches!(m, Value::Map(e) if array_keys(e))
                }),
        ]
    });
    prop_oneof![1 => any_leaf(pool, kind, true), 3 => tables].boxed()
}

/// Whether every map in `v` has at most one entry, so that Luau writes it
/// in Rust's order.
pub fn maps_in_order(v: &Value) -> bool {
    match v {
        Value::Array(items) => items.iter().all(maps_in_order),
        Value::Map(entries) => {
            entries.len() <= 1
                && entries
                    .iter()
                    .all(|(k, v)| maps_in_order(k) && maps_in_order(v))
        }
        _ => true,
    }
}
