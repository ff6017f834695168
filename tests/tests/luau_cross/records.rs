//! Records, declared enums, recursive types, and arrays of flat records
//! (written column by column).

use proptest::prelude::*;
use tether_tests::types as t;

use super::case::{boxed, nominal};
use super::harness::Cross;
use super::strategies::{
    component, event, finite_f32, finite_f64, nested, nine, node, node_of, shape, text, three,
    tree, with_opt,
};

const CASES: u32 = 24;

#[test]
fn records_cross() {
    nominal!(Pair).run(CASES, |_| {
        (any::<bool>(), any::<u8>(), any::<bool>()).prop_map(|(a, n, c)| t::Pair { a, n, c })
    });
    nominal!(Empty).run(2, |_| Just(t::Empty {}));
    nominal!(WithOpt).run(CASES, |_| with_opt());
    nominal!(Nested).run(CASES, |_| nested());
    nominal!(Stats).run(CASES, |_| {
        (0u8..=100, 0f32..=50.0, any::<i32>(), finite_f64()).prop_map(
            |(health, speed, score, ratio)| t::Stats {
                health,
                speed,
                score,
                ratio,
            },
        )
    });
    nominal!(Gauges).run(CASES, |_| {
        (1u8.., 0f32..=50.0, any::<i32>(), finite_f64()).prop_map(|(level, speed, score, ratio)| {
            t::Gauges {
                level,
                speed,
                score,
                ratio,
            }
        })
    });
}

#[test]
fn declared_enums_cross() {
    nominal!(One).run(2, |_| Just(t::One::Only));
    nominal!(Color).run(8, |_| {
        prop_oneof![Just(t::Color::Red), Just(t::Color::Green)]
    });
    nominal!(Three).run(8, |_| three());
    nominal!(Nine).run(CASES, |_| nine());
    nominal!(Shape).run(CASES, |_| shape());
    nominal!(Event).run(CASES, |_| event());
    // Its Luau tables hold the variant in `kind`.
    nominal!(Kinded).run(CASES, |_| {
        prop_oneof![
            any::<u8>().prop_map(|damage| t::Kinded::Hit { damage }),
            Just(t::Kinded::Miss),
        ]
    });
}

#[test]
fn recursive_types_cross() {
    nominal!(Node).run(CASES, |_| node());
    nominal!(Tree).run(CASES, |_| tree());
}

/// 128 nested values of recursive types is the most a message may hold
/// (docs/wire-format.md, section 4.6): both sides send and take it.
#[test]
fn the_deepest_recursion_allowed_crosses() {
    let mut cross = Cross::types();
    let deepest = node_of((0..128).map(|i| i as u8).collect());
    nominal!(Node)
        .check(&mut cross, &deepest)
        .unwrap_or_else(|e| panic!("{e}"));
}

/// Arrays of flat records travel column by column: the first leaf of every
/// element, then the second, ... Both sides must agree on which records are
/// flat and on the order of the columns.
#[test]
fn flat_record_columns_cross() {
    boxed!(Squad, SquadBox).run(CASES, |_| {
        prop::collection::vec(
            (any::<bool>(), 0u8..=100, any::<u16>()).prop_map(|(alive, hp, id)| t::Unit {
                alive,
                hp,
                id,
            }),
            0..=4,
        )
    });
    let marker = || {
        (-8i8..=7, -8i8..=7, any::<bool>(), finite_f32()).prop_map(|(x, y, seen, weight)| {
            t::Marker {
                pos: t::MarkerPos { x, y },
                seen,
                weight,
            }
        })
    };
    boxed!(Markers, MarkersBox).run(CASES, |_| {
        prop_oneof![
            prop::collection::vec(marker(), 0..=8),
            prop::collection::vec(marker(), 250..=255),
        ]
    });
    boxed!(Pins, PinsBox).run(CASES, |_| {
        prop::collection::vec(
            any::<bool>().prop_map(|on| t::Pinned { on, level: 7 }),
            0..=3,
        )
    });
    // Not flat: no bit field, and a string. Row by row.
    boxed!(Readings, ReadingsBox).run(CASES, |_| {
        prop::collection::vec(
            (any::<u8>(), any::<u16>()).prop_map(|(a, b)| t::Reading { a, b }),
            0..=4,
        )
    });
    boxed!(Labels, LabelsBox).run(CASES, |_| {
        prop::collection::vec(
            (any::<bool>(), text(0, 8)).prop_map(|(on, name)| t::Label { on, name }),
            0..=4,
        )
    });
}

/// A union's arm is what the Luau value is: Luau sends the index of the
/// arm it tests true, and reads back the arm's value itself.
#[test]
fn unions_cross() {
    boxed!(Either, EitherBox).run(CASES, |_| {
        prop_oneof![
            text(0, 8).prop_map(t::Either::String),
            any::<u16>().prop_map(t::Either::Number),
        ]
    });
    boxed!(Mixed, MixedBox).run(CASES, |_| {
        prop_oneof![
            any::<bool>().prop_map(t::Mixed::Boolean),
            (component(), component(), component()).prop_map(|(x, y, z)| {
                t::Mixed::Vector3(tether_runtime::types::Vector3::new(x, y, z))
            }),
            (any::<bool>(), any::<u8>(), any::<bool>())
                .prop_map(|(a, n, c)| t::Mixed::Table(t::Pair { a, n, c })),
        ]
    });
}
