// `#[derive(tether::Replicable)]` on every shape the macros support, and
// the codecs it generates, round-tripped.
use std::collections::HashMap;

use tether::types::{CFrame, Color3, DateTime, Vector2, Vector3};
use tether::wire::{decode_message, encode_message};

/// Every number kind: `f64` is Luau's `number`.
#[derive(Debug, Clone, PartialEq, tether::Replicable)]
pub struct Numbers {
    pub a: u8,
    pub b: u16,
    pub c: u32,
    pub d: u64,
    pub e: i8,
    pub f: i16,
    pub g: i32,
    pub h: i64,
    pub i: f32,
    pub j: f64,
    pub flag: bool,
    #[tether(range = "1..100")]
    pub level: u8,
    #[tether(range = "-5..5")]
    pub offset: i16,
    #[tether(range = "0..")]
    pub speed: f32,
    #[tether(nonfinite)]
    pub ratio: f64,
    #[tether(range = "0..10")]
    pub bonus: Option<u8>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, tether::Replicable)]
pub enum Team {
    Red,
    Blue,
}

/// A tagged enum: variants with named fields.
#[derive(Debug, Clone, PartialEq, tether::Replicable)]
pub enum Shape {
    Circle {
        #[tether(range = "0..")]
        radius: f32,
    },
    Box {
        size: Vector3,
    },
    Point,
}

#[derive(Debug, Clone, PartialEq, tether::Replicable)]
#[tether(rename_all = "PascalCase")]
pub struct Item {
    pub id: u32,
    #[tether(len = "1..32")]
    pub display_name: String,
}

/// Strings, arrays, maps, options and records, with their bounds; another
/// derived type (`Item`, `Team`, `Shape`) is an extern type here.
#[derive(Debug, Clone, PartialEq, tether::Replicable)]
#[tether(rename_all = "camelCase")]
pub struct Loadout {
    #[tether(max_len = 24)]
    pub name: String,
    #[tether(name = "HP")]
    pub hp: u16,
    pub primary: Item,
    pub secondary: Option<Item>,
    #[tether(len = "..3")]
    pub perks: Vec<String>,
    #[tether(max_len = 8)]
    pub scores: HashMap<String, u32>,
    #[tether(len = "..8")]
    pub badges: std::collections::HashSet<u16>,
    pub team: Team,
    pub shape: Shape,
    #[tether(buffer, max_len = 256)]
    pub blob: Vec<u8>,
    pub bytes: Vec<u8>,
}

/// Roblox datatypes.
#[derive(Debug, Clone, PartialEq, tether::Replicable)]
pub struct Placement {
    pub position: Vector3,
    pub screen: Vector2,
    pub frame: CFrame,
    pub tint: Color3,
    pub at: DateTime,
}

/// Recursion that can end: through an `Option` or a `Vec`.
#[derive(Debug, Clone, PartialEq, tether::Replicable)]
pub struct Dialogue {
    #[tether(max_len = 200)]
    pub line: String,
    #[tether(max_len = 4)]
    pub choices: Vec<Dialogue>,
    pub next: Option<Box<Dialogue>>,
}

fn round_trip<T>(value: &T)
where
    T: tether::wire::Encode + tether::wire::Decode + PartialEq + std::fmt::Debug,
{
    let (bytes, instances) = encode_message(value).unwrap();
    assert!(instances.is_empty());
    let back: T = decode_message(&bytes, &[]).unwrap();
    assert_eq!(&back, value);
}

fn main() {
    round_trip(&Numbers {
        a: 1,
        b: 2,
        c: 3,
        d: 4,
        e: -1,
        f: -2,
        g: -3,
        h: -4,
        i: 0.5,
        j: 0.25,
        flag: true,
        level: 50,
        offset: -5,
        speed: 16.0,
        ratio: f64::INFINITY,
        bonus: Some(3),
    });
    let item = Item {
        id: 7,
        display_name: "Sword".into(),
    };
    round_trip(&Loadout {
        name: "Main".into(),
        hp: 100,
        primary: item.clone(),
        secondary: None,
        perks: vec!["Swift".into()],
        scores: HashMap::from([("kills".to_string(), 3)]),
        badges: std::collections::HashSet::from([7]),
        team: Team::Blue,
        shape: Shape::Circle { radius: 2.0 },
        blob: vec![1, 2, 3],
        bytes: vec![4, 5],
    });
    round_trip(&Placement {
        position: Vector3::new(1.0, 2.0, 3.0),
        screen: Vector2::new(0.5, 0.5),
        frame: CFrame::new(
            Vector3::new(0.0, 5.0, 0.0),
            tether::types::Matrix3::identity(),
        ),
        tint: Color3::new(1.0, 0.0, 0.0),
        at: DateTime::from_unix_millis(1_700_000_000_000),
    });
    round_trip(&Dialogue {
        line: "Ready?".into(),
        choices: vec![Dialogue {
            line: "Yes".into(),
            choices: Vec::new(),
            next: None,
        }],
        next: Some(Box::new(Dialogue {
            line: "Go".into(),
            choices: Vec::new(),
            next: None,
        })),
    });
    round_trip(&Shape::Point);
    round_trip(&Team::Red);
}
