//! The Rust front end — `#[tether::protocol]`, `#[derive(tether::Replicable)]`
//! and `tether::include_schema!` — against the schema front end.
//!
//! - Equivalence: `tests/schemas/mirror.tether` (compiled by the build
//!   script into `tether_tests::mirror`, and again here by
//!   `include_schema!`) and the module [`mirror`] below declare one protocol.
//!   They must resolve to the same IR (one fingerprint), number the same
//!   messages the same way, write the same bytes for the same values, and
//!   talk to each other: a client of one with a server of the other.
//! - Hygiene: expansions under `#[no_implicit_prelude]`, and beside user
//!   items named like the prelude's or the expansion's own.
//! - Derive: standalone types naming each other, with refinements that the
//!   encoder refuses and the decoder rejects.

mod common;

use std::collections::HashMap;
use std::fmt::Debug;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::Log;
use proptest::prelude::*;
use tether::types::{Color3, Vector3};
use tether::wire::{decode_message, encode_message, Decode, DecodeError, Encode, EncodeError};
use tether::{
    ClientRuntime, Direction, InvokeError, MessageKind, Player, Protocol, Rate, SendError,
    ServerRuntime,
};
use tether_tests::mirror as schema;

// ---------------------------------------------------------------------------
// The protocol, declared in Rust
// ---------------------------------------------------------------------------

/// `tests/schemas/mirror.tether`, item for item.
#[tether::protocol]
pub mod mirror {
    use std::collections::HashMap;
    use std::sync::Arc;
    use tether::types::{Color3, Vector3};

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Team {
        Red,
        Blue,
        Spectator,
    }

    #[derive(Debug, Clone, PartialEq)]
    #[tether(rename_all = "PascalCase")]
    pub enum Shape {
        Circle {
            #[tether(range = "0..")]
            radius: f32,
        },
        Rect {
            #[tether(range = "1..1000")]
            width: u16,
            #[tether(range = "1..1000")]
            height: u16,
        },
        Point,
    }

    #[derive(Debug, Clone, PartialEq)]
    #[tether(rename_all = "PascalCase")]
    pub struct Stats {
        #[tether(range = "0..100")]
        pub health: u8,
        #[tether(range = "1..60")]
        pub level: u8,
        #[tether(range = "-50..50")]
        pub armor: i16,
        #[tether(range = "0..50")]
        pub speed: f32,
        pub score: i32,
        pub ratio: f64,
    }

    #[derive(Debug, Clone, PartialEq)]
    #[tether(rename_all = "PascalCase")]
    pub struct Unit {
        pub alive: bool,
        #[tether(range = "0..100")]
        pub hp: u8,
        pub id: u16,
    }

    #[derive(Debug, Clone, PartialEq)]
    #[tether(rename_all = "PascalCase")]
    pub struct Profile {
        #[tether(len = "1..24")]
        pub name: String,
        #[tether(max_len = 32)]
        pub title: Option<String>,
        #[tether(max_len = 8)]
        pub tags: Vec<String>,
        pub stats: Stats,
        #[tether(max_len = 16)]
        pub inventory: HashMap<String, u16>,
        pub home: Vector3,
        pub tint: Option<Color3>,
        pub team: Team,
        #[tether(max_len = 3)]
        pub badges: Option<Vec<Team>>,
        #[tether(buffer, max_len = 64)]
        pub avatar: Vec<u8>,
    }

    pub mod shop {
        use super::Team;

        #[derive(Debug, Clone, PartialEq)]
        #[tether(rename_all = "PascalCase")]
        pub struct Offer {
            pub id: u32,
            #[tether(range = "1..5000")]
            pub price: u16,
            #[tether(range = "..99")]
            pub stock: Option<u8>,
        }

        #[remote(function, client -> server)]
        #[tether(rate(2/s), timeout(5s))]
        fn buy(item: u32, #[tether(range = "1..10")] quantity: u8) -> (bool, Option<String>);

        #[remote(event, server -> client)]
        fn restocked(#[tether(max_len = 50)] offers: Vec<Offer>, team: Team);
    }

    #[remote(event, client -> server)]
    #[tether(rate(5/s))]
    fn chat(#[tether(len = "1..200")] message: String, team: Team);

    #[remote(event, server -> client)]
    fn snapshot(
        profile: Profile,
        #[tether(max_len = 64)] units: Vec<Unit>,
        shape: Shape,
        #[tether(max_len = 8)] scores: HashMap<String, u32>,
    );

    #[remote(event, client <-> server)]
    #[tether(unreliable, ordered, rate(30/s))]
    fn aim(look: Vector3, #[tether(range = "0..45")] spread: f32);

    #[remote(event, client <-> server)]
    #[tether(rate(10/s))]
    fn ping(seq: u32, #[tether(max_len = 16)] note: Option<String>);

    #[remote(function, server -> client)]
    #[tether(timeout(2s), allow(server-invokes-client))]
    fn confirm(#[tether(max_len = 64)] prompt: String) -> bool;

    #[remote(event, client -> server)]
    #[tether(rate(1/s), deprecated("use Chat"))]
    fn shout(#[tether(max_len = 100)] message: String);

    #[bindable(event, server)]
    fn round_started(round: u32, #[tether(name = "onEnd")] on_end: Arc<dyn Fn() + Send + Sync>);

    #[bindable(function, client)]
    #[tether(timeout(1s))]
    fn validate(
        #[tether(max_len = 64)] text: String,
        check: Arc<dyn Fn(String) -> bool + Send + Sync>,
    ) -> bool;
}

/// The same schema once more, compiled at compile time by the macro rather
/// than by the build script.
mod included {
    tether::include_schema!("../schemas/mirror.tether");
}

/// The example game, with its import, instances and Roblox enums, compiled
/// by the macro.
mod included_game {
    tether::include_schema!("../../schemas/game.tether");
}

// ---------------------------------------------------------------------------
// The same value on both sides
// ---------------------------------------------------------------------------

/// A value of one front end's types and the same value of the other's.
trait Twin {
    type Other;
    fn twin(&self) -> Self::Other;
}

/// Values the two front ends spell with one type.
macro_rules! same_type {
    ($($ty:ty),*) => {$(
        impl Twin for $ty {
            type Other = $ty;
            fn twin(&self) -> $ty {
                self.clone()
            }
        }
    )*};
}

same_type!(bool, u8, u16, i16, u32, i32, f32, f64, String, Vector3, Color3);

impl<T: Twin> Twin for Vec<T> {
    type Other = Vec<T::Other>;
    fn twin(&self) -> Self::Other {
        self.iter().map(Twin::twin).collect()
    }
}

impl<T: Twin> Twin for Option<T> {
    type Other = Option<T::Other>;
    fn twin(&self) -> Self::Other {
        self.as_ref().map(Twin::twin)
    }
}

/// A clone, so that the twin iterates in the same order and writes the
/// entries in the same order.
impl<V: Twin<Other = V> + Clone> Twin for HashMap<String, V> {
    type Other = Self;
    fn twin(&self) -> Self {
        self.clone()
    }
}

/// `Twin` both ways for a record or an enum declared on both sides. The
/// struct literals name every field, so a field missing on one side does
/// not compile.
macro_rules! twins {
    (struct $($name:ident)::+ { $($field:ident),* $(,)? }) => {
        twins!(@struct schema, mirror, $($name)::+, $($field),*);
        twins!(@struct mirror, schema, $($name)::+, $($field),*);
    };
    (@struct $from:ident, $to:ident, $($name:ident)::+, $($field:ident),*) => {
        impl Twin for $from::$($name)::+ {
            type Other = $to::$($name)::+;
            fn twin(&self) -> Self::Other {
                $to::$($name)::+ { $($field: self.$field.twin()),* }
            }
        }
    };
    (enum $name:ident { $($variant:ident $({ $($field:ident),* })?),* $(,)? }) => {
        twins!(@enum schema, mirror, $name, $($variant $({ $($field),* })?),*);
        twins!(@enum mirror, schema, $name, $($variant $({ $($field),* })?),*);
    };
    (@enum $from:ident, $to:ident, $name:ident, $($variant:ident $({ $($field:ident),* })?),*) => {
        impl Twin for $from::$name {
            type Other = $to::$name;
            fn twin(&self) -> Self::Other {
                match self {
                    $($from::$name::$variant $({ $($field),* })? =>
                        $to::$name::$variant $({ $($field: $field.twin()),* })?,)*
                }
            }
        }
    };
}

twins!(
    enum Team {
        Red,
        Blue,
        Spectator,
    }
);
twins!(enum Shape { Circle { radius }, Rect { width, height }, Point });
twins!(struct Stats { health, level, armor, speed, score, ratio });
twins!(struct Unit { alive, hp, id });
twins!(struct Profile { name, title, tags, stats, inventory, home, tint, team, badges, avatar });
twins!(struct shop::Offer { id, price, stock });

/// `value` as a value of `$side`'s types: `schema` or `mirror`.
macro_rules! on {
    (schema, $value:expr) => {
        $value.clone()
    };
    (mirror, $value:expr) => {
        $value.twin()
    };
}

// ---------------------------------------------------------------------------
// Handpicked values: the bounds of every range, empty and full collections
// ---------------------------------------------------------------------------

fn stats_samples() -> Vec<schema::Stats> {
    let stats = |health, level, armor, speed, score, ratio| schema::Stats {
        health,
        level,
        armor,
        speed,
        score,
        ratio,
    };
    vec![
        stats(0, 1, -50, 0.0, i32::MIN, f64::MIN),
        stats(100, 60, 50, 50.0, i32::MAX, f64::MAX),
        stats(57, 30, 0, 12.5, 0, -0.0),
        stats(1, 59, -1, f32::MIN_POSITIVE, -1, f64::MIN_POSITIVE),
    ]
}

fn shape_samples() -> Vec<schema::Shape> {
    vec![
        schema::Shape::Circle { radius: 0.0 },
        schema::Shape::Circle { radius: f32::MAX },
        schema::Shape::Rect {
            width: 1,
            height: 1,
        },
        schema::Shape::Rect {
            width: 1000,
            height: 1000,
        },
        schema::Shape::Point,
    ]
}

fn team_samples() -> Vec<schema::Team> {
    vec![
        schema::Team::Red,
        schema::Team::Blue,
        schema::Team::Spectator,
    ]
}

/// No units, 64 units (the most an array of them holds), and a few.
fn unit_samples() -> Vec<Vec<schema::Unit>> {
    let unit = |i: u16| schema::Unit {
        alive: !i.is_multiple_of(3),
        hp: (i * 7 % 101) as u8,
        id: i.wrapping_mul(1031),
    };
    vec![
        Vec::new(),
        (0..64).map(unit).collect(),
        vec![
            schema::Unit {
                alive: true,
                hp: 100,
                id: u16::MAX,
            },
            schema::Unit {
                alive: false,
                hp: 0,
                id: 0,
            },
        ],
    ]
}

fn offer_samples() -> Vec<Vec<schema::shop::Offer>> {
    let offer = |id, price, stock| schema::shop::Offer { id, price, stock };
    vec![
        Vec::new(),
        vec![
            offer(0, 1, None),
            offer(u32::MAX, 5000, Some(99)),
            offer(7, 250, Some(0)),
        ],
        (0..50)
            .map(|i| offer(i, 1 + i as u16 * 100, None))
            .collect(),
    ]
}

fn map<V>(entries: impl IntoIterator<Item = (String, V)>) -> HashMap<String, V> {
    entries.into_iter().collect()
}

/// The smallest profile, the largest, and one in between.
fn profile_samples() -> Vec<schema::Profile> {
    let stats = stats_samples();
    vec![
        schema::Profile {
            name: "A".into(),
            title: None,
            tags: Vec::new(),
            stats: stats[0].clone(),
            inventory: HashMap::new(),
            home: Vector3::new(0.0, 0.0, 0.0),
            tint: None,
            team: schema::Team::Red,
            badges: None,
            avatar: Vec::new(),
        },
        schema::Profile {
            // 24 bytes of UTF-8 in 12 characters.
            name: "ñ".repeat(12),
            title: Some("t".repeat(32)),
            tags: vec![
                String::new(),
                "x".repeat(300),
                "ü".into(),
                "a".into(),
                "b".into(),
                "c".into(),
                "d".into(),
                "e".into(),
            ],
            stats: stats[1].clone(),
            inventory: map((0..16).map(|i| (format!("item{i}"), u16::MAX - i))),
            home: Vector3::new(f32::MAX, f32::MIN, -0.0),
            tint: Some(Color3::new(1.0, 0.5, 0.0)),
            team: schema::Team::Spectator,
            badges: Some(vec![
                schema::Team::Blue,
                schema::Team::Red,
                schema::Team::Blue,
            ]),
            avatar: (0..64).collect(),
        },
        schema::Profile {
            name: "Ada".into(),
            title: Some(String::new()),
            tags: vec!["founder".into()],
            stats: stats[2].clone(),
            inventory: map([("sword".to_owned(), 1)]),
            home: Vector3::new(1.5, -2.25, 1e6),
            tint: Some(Color3::new(0.0, 0.0, 0.0)),
            team: schema::Team::Blue,
            badges: Some(Vec::new()),
            avatar: vec![0xFF],
        },
    ]
}

fn score_samples() -> Vec<HashMap<String, u32>> {
    vec![
        HashMap::new(),
        map((0..8).map(|i| (format!("player{i}"), u32::MAX - i))),
    ]
}

// ---------------------------------------------------------------------------
// Generated values
// ---------------------------------------------------------------------------

/// Characters cut to at most `max` bytes of UTF-8, padded with ASCII to at
/// least `min`.
fn text(min: usize, max: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>(), 0..=max).prop_map(move |chars| {
        let mut s = String::new();
        for c in chars {
            if s.len() + c.len_utf8() <= max {
                s.push(c);
            }
        }
        while s.len() < min {
            s.push('x');
        }
        s
    })
}

/// Finite floats of every kind: zeros, subnormals, normals, both signs.
fn finite_f64() -> impl Strategy<Value = f64> {
    use proptest::num::f64::*;
    POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO
}

fn finite_f32() -> impl Strategy<Value = f32> {
    use proptest::num::f32::*;
    POSITIVE | NEGATIVE | NORMAL | SUBNORMAL | ZERO
}

fn vector3() -> impl Strategy<Value = Vector3> {
    (finite_f32(), finite_f32(), finite_f32()).prop_map(|(x, y, z)| Vector3::new(x, y, z))
}

fn team() -> impl Strategy<Value = schema::Team> {
    prop_oneof![
        Just(schema::Team::Red),
        Just(schema::Team::Blue),
        Just(schema::Team::Spectator),
    ]
}

fn shape() -> impl Strategy<Value = schema::Shape> {
    prop_oneof![
        (0.0f32..=f32::MAX).prop_map(|radius| schema::Shape::Circle { radius }),
        (1u16..=1000, 1u16..=1000)
            .prop_map(|(width, height)| schema::Shape::Rect { width, height }),
        Just(schema::Shape::Point),
    ]
}

fn stats() -> impl Strategy<Value = schema::Stats> {
    (
        0u8..=100,
        1u8..=60,
        -50i16..=50,
        0.0f32..=50.0,
        any::<i32>(),
        finite_f64(),
    )
        .prop_map(
            |(health, level, armor, speed, score, ratio)| schema::Stats {
                health,
                level,
                armor,
                speed,
                score,
                ratio,
            },
        )
}

fn unit() -> impl Strategy<Value = schema::Unit> {
    (any::<bool>(), 0u8..=100, any::<u16>()).prop_map(|(alive, hp, id)| schema::Unit {
        alive,
        hp,
        id,
    })
}

fn profile() -> impl Strategy<Value = schema::Profile> {
    use proptest::collection::{hash_map, vec};
    (
        text(1, 24),
        proptest::option::of(text(0, 32)),
        vec(text(0, 40), 0..=8),
        stats(),
        hash_map(text(0, 12), any::<u16>(), 0..=16),
        vector3(),
        proptest::option::of((0.0f32..=1.0, 0.0f32..=1.0, 0.0f32..=1.0)),
        team(),
        proptest::option::of(vec(team(), 0..=3)),
        vec(any::<u8>(), 0..=64),
    )
        .prop_map(
            |(name, title, tags, stats, inventory, home, tint, team, badges, avatar)| {
                schema::Profile {
                    name,
                    title,
                    tags,
                    stats,
                    inventory,
                    home,
                    tint: tint.map(|(r, g, b)| Color3::new(r, g, b)),
                    team,
                    badges,
                    avatar,
                }
            },
        )
}

fn offer() -> impl Strategy<Value = schema::shop::Offer> {
    (any::<u32>(), 1u16..=5000, proptest::option::of(0u8..=99))
        .prop_map(|(id, price, stock)| schema::shop::Offer { id, price, stock })
}

// ---------------------------------------------------------------------------
// Checks
// ---------------------------------------------------------------------------

/// `value` and its twin encode to the same bytes, and each side decodes the
/// other's bytes into its own value.
fn assert_same_bytes<T>(value: &T)
where
    T: Twin + Encode + Decode + PartialEq + Debug,
    T::Other: Encode + Decode + PartialEq + Debug,
{
    let twin = value.twin();
    let (from_schema, _) = encode_message(value).expect("the schema's codec encodes it");
    let (from_macro, _) = encode_message(&twin).expect("the macro's codec encodes it");
    assert_eq!(from_schema, from_macro, "{value:?}");
    assert_eq!(decode_message::<T::Other>(&from_schema, &[]), Ok(twin));
    assert_eq!(decode_message::<T>(&from_macro, &[]).as_ref(), Ok(value));
}

/// `value` is refused by both encoders, for the same reason.
fn assert_both_refuse<T>(value: &T) -> EncodeError
where
    T: Twin + Encode + Debug,
    T::Other: Encode,
{
    let from_schema = encode_message(value).expect_err("the schema's codec refuses it");
    let from_macro = encode_message(&value.twin()).expect_err("the macro's codec refuses it");
    assert_eq!(from_schema, from_macro, "{value:?}");
    from_schema
}

/// What a fresh client sends after `fire`: its frame, then its datagrams.
fn client_sends<C>(client: C, fire: impl FnOnce(&C)) -> Vec<Vec<u8>>
where
    for<'a> &'a C: Into<ClientRuntime>,
{
    fire(&client);
    (&client).into().take_outgoing()
}

/// What a fresh server sends its one player after `fire`.
fn server_sends<S>(server: S, fire: impl FnOnce(&S, &Player)) -> Vec<Vec<u8>>
where
    for<'a> &'a S: Into<ServerRuntime>,
{
    let runtime: ServerRuntime = (&server).into();
    let player = runtime.connect_player();
    fire(&server, &player);
    runtime
        .take_outgoing()
        .into_iter()
        .map(|(to, bytes)| {
            assert_eq!(to, player);
            bytes
        })
        .collect()
}

/// The schema's client and the macro's send the same packets.
fn assert_same_client_packets(
    schema_fire: impl FnOnce(&schema::Client),
    macro_fire: impl FnOnce(&mirror::Client),
) -> Vec<Vec<u8>> {
    let from_schema = client_sends(schema::Client::new(), schema_fire);
    let from_macro = client_sends(mirror::Client::new(), macro_fire);
    assert!(!from_schema.is_empty(), "the client sent something");
    assert_eq!(from_schema, from_macro);
    from_schema
}

/// The schema's server and the macro's send the same packets.
fn assert_same_server_packets(
    schema_fire: impl FnOnce(&schema::Server, &Player),
    macro_fire: impl FnOnce(&mirror::Server, &Player),
) -> Vec<Vec<u8>> {
    let from_schema = server_sends(schema::Server::new(), schema_fire);
    let from_macro = server_sends(mirror::Server::new(), macro_fire);
    assert!(!from_schema.is_empty(), "the server sent something");
    assert_eq!(from_schema, from_macro);
    from_schema
}

/// The messages of two protocols agree one for one: names, kinds, order,
/// rates, timeouts and the ids that pair requests with responses; and so
/// do their fingerprints.
fn assert_same_messages(a: &Protocol, b: &Protocol) {
    for direction in [Direction::ToServer, Direction::ToClient] {
        let (left, right) = (a.messages(direction), b.messages(direction));
        let names =
            |specs: &[tether::MessageSpec]| specs.iter().map(|s| s.name).collect::<Vec<_>>();
        assert_eq!(names(left), names(right), "{direction:?}");
        for (id, (l, r)) in left.iter().zip(right).enumerate() {
            assert_eq!(l.kind, r.kind, "{direction:?} message {id} ({})", l.name);
            assert_eq!(
                l.kind.is_unreliable(),
                r.kind.is_unreliable(),
                "{direction:?} message {id}"
            );
            assert_eq!(l.kind.is_sequenced(), r.kind.is_sequenced());
            assert_eq!(l.kind.rate(), r.kind.rate());
        }
        assert_eq!(a.id_bits(direction), b.id_bits(direction));
    }
    assert_eq!(a.fingerprint, b.fingerprint, "{} and {}", a.name, b.name);
}

fn per_second(count: u32) -> Option<Rate> {
    Some(Rate {
        count,
        per: Duration::from_secs(1),
        burst: tether_facts::policy::default_burst(count),
    })
}

fn event(rate: Option<Rate>) -> MessageKind {
    MessageKind::Event {
        unreliable: false,
        ordered: false,
        rate,
    }
}

// ---------------------------------------------------------------------------
// Equivalence: the protocol tables
// ---------------------------------------------------------------------------

#[test]
fn both_front_ends_resolve_the_protocol_to_the_same_ir() {
    assert_eq!(schema::PROTOCOL.fingerprint, mirror::PROTOCOL.fingerprint);
    assert_eq!(schema::PROTOCOL.fingerprint, included::PROTOCOL.fingerprint);
    assert_eq!(schema::PROTOCOL.name, "mirror");
    assert_eq!(mirror::PROTOCOL.name, "mirror");
    assert_eq!(included::PROTOCOL.name, "mirror");
}

#[test]
fn include_schema_compiles_what_the_build_script_does() {
    use tether_tests::game;

    assert_eq!(included_game::PROTOCOL.name, "game");
    assert_same_messages(&game::PROTOCOL, &included_game::PROTOCOL);
    let built = game::Item {
        id: 7,
        name: "Sword".to_owned(),
        rarity: game::Rarity::Legendary,
        stack: 3,
        tint: Some(Color3::new(1.0, 0.0, 0.0)),
    };
    let included = included_game::Item {
        id: 7,
        name: "Sword".to_owned(),
        rarity: included_game::Rarity::Legendary,
        stack: 3,
        tint: Some(Color3::new(1.0, 0.0, 0.0)),
    };
    let (bytes, _) = encode_message(&built).unwrap();
    assert_eq!(encode_message(&included).unwrap().0, bytes);
    assert_eq!(decode_message(&bytes, &[]), Ok(included));
    let material = tether::roblox::enums::Material::Grass;
    let (bytes, _) = encode_message(&material).unwrap();
    assert_eq!(
        decode_message(&bytes, &[]),
        Ok(tether::roblox::enums::Material::Grass)
    );
}

#[test]
fn both_front_ends_number_the_same_messages() {
    assert_same_messages(&schema::PROTOCOL, &mirror::PROTOCOL);
    assert_same_messages(&schema::PROTOCOL, &included::PROTOCOL);

    // And the table is the one the declarations ask for.
    let kinds = |direction| {
        mirror::PROTOCOL
            .messages(direction)
            .iter()
            .map(|spec| (spec.name, spec.kind))
            .collect::<Vec<_>>()
    };
    let aim = MessageKind::Event {
        unreliable: true,
        ordered: true,
        rate: per_second(30),
    };
    assert_eq!(
        kinds(Direction::ToServer),
        [
            (
                "Shop.Buy (request)",
                MessageKind::Request {
                    timeout: Duration::from_secs(5),
                    rate: per_second(2),
                    response_id: 0,
                }
            ),
            ("Chat", event(per_second(5))),
            ("Aim", aim),
            ("Ping", event(per_second(10))),
            (
                "Confirm (response)",
                MessageKind::Response { request_id: 5 }
            ),
            ("Shout", event(per_second(1))),
        ]
    );
    let aim_to_client = MessageKind::Event {
        unreliable: true,
        ordered: true,
        rate: None,
    };
    assert_eq!(
        kinds(Direction::ToClient),
        [
            (
                "Shop.Buy (response)",
                MessageKind::Response { request_id: 0 }
            ),
            ("Shop.Restocked", event(None)),
            ("Snapshot", event(None)),
            ("Aim", aim_to_client),
            ("Ping", event(None)),
            (
                "Confirm (request)",
                MessageKind::Request {
                    timeout: Duration::from_secs(2),
                    rate: None,
                    response_id: 4,
                }
            ),
        ]
    );
}

/// The fingerprints above are equal because the IR is, not because the
/// fingerprint overlooks things: each of these one-word edits of the schema
/// gives another fingerprint.
#[test]
fn the_fingerprint_tells_apart_what_the_front_ends_must_agree_on() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/mirror.tether");
    let source = std::fs::read_to_string(path).expect("the schema is readable");
    let fingerprint = |text: &str| {
        let compilation = tether_compiler::compile_str("mirror.tether", text);
        assert!(!compilation.has_errors(), "{:#?}", compilation.diagnostics);
        tether_compiler::gen::fingerprint(&compilation.schema)
    };
    assert_eq!(fingerprint(&source), mirror::PROTOCOL.fingerprint);
    let edits = [
        ("Health: u8(0..100)", "Health: u8(0..99)"),
        ("Health: u8(0..100)", "health: u8(0..100)"),
        ("Name: string(1..24)", "Name: string(..24)"),
        ("Tags: {string}(..8)", "Tags: {string}(..9)"),
        ("Title: string(..32)?", "Title: string(..32)"),
        ("Ratio: number", "Ratio: f64"),
        ("Avatar: buffer(..64)", "Avatar: {u8}(..64)"),
        (
            "enum Team { Red, Blue, Spectator }",
            "enum Team { Blue, Red, Spectator }",
        ),
        ("@rate(5/s)", "@rate(6/s)"),
        ("@rate(2/s) @timeout(5s)", "@rate(2/s) @timeout(6s)"),
        ("@unreliable @ordered", "@unreliable"),
        ("@deprecated(\"use Chat\")", "@deprecated(\"use Ping\")"),
        ("@allow(server-invokes-client)", ""),
        ("client <-> server (seq", "client -> server (seq"),
        ("onEnd: () -> ()", "on_end: () -> ()"),
        ("check: (string) -> boolean", "check: (string) -> u8"),
        (
            "bindable event RoundStarted: server",
            "bindable event RoundStarted: client",
        ),
    ];
    for (from, to) in edits {
        assert!(source.contains(from), "the schema has `{from}`");
        let edited = source.replacen(from, to, 1);
        assert_ne!(
            fingerprint(&edited),
            mirror::PROTOCOL.fingerprint,
            "`{from}` → `{to}`"
        );
    }
}

// ---------------------------------------------------------------------------
// Equivalence: the bytes of each type
// ---------------------------------------------------------------------------

#[test]
fn records_and_enums_encode_to_the_same_bytes() {
    team_samples().iter().for_each(assert_same_bytes);
    shape_samples().iter().for_each(assert_same_bytes);
    stats_samples().iter().for_each(assert_same_bytes);
    unit_samples().iter().flatten().for_each(assert_same_bytes);
    profile_samples().iter().for_each(assert_same_bytes);
    offer_samples().iter().flatten().for_each(assert_same_bytes);
}

#[test]
fn both_encoders_refuse_the_same_values() {
    let stats = stats_samples().remove(0);
    let with = |edit: fn(&mut schema::Stats)| {
        let mut stats = stats.clone();
        edit(&mut stats);
        stats
    };
    assert!(matches!(
        assert_both_refuse(&with(|s| s.health = 101)),
        EncodeError::OutOfRange(_)
    ));
    assert_both_refuse(&with(|s| s.level = 0));
    assert_both_refuse(&with(|s| s.armor = 51));
    assert_both_refuse(&with(|s| s.speed = 50.5));
    assert_eq!(
        assert_both_refuse(&with(|s| s.ratio = f64::NAN)),
        EncodeError::NonFinite
    );
    assert_both_refuse(&schema::Shape::Rect {
        width: 0,
        height: 1,
    });
    assert_both_refuse(&schema::Shape::Circle { radius: -1.0 });
    assert_both_refuse(&schema::shop::Offer {
        id: 1,
        price: 1,
        stock: Some(100),
    });
    let profile = profile_samples().remove(0);
    let with = |edit: fn(&mut schema::Profile)| {
        let mut profile = profile.clone();
        edit(&mut profile);
        profile
    };
    assert!(matches!(
        assert_both_refuse(&with(|p| p.name = String::new())),
        EncodeError::LengthOutOfRange { len: 0, .. }
    ));
    assert_both_refuse(&with(|p| p.name = "ñ".repeat(12) + "x"));
    assert_both_refuse(&with(|p| p.title = Some("t".repeat(33))));
    assert_both_refuse(&with(|p| p.tags = vec![String::new(); 9]));
    assert_both_refuse(&with(|p| {
        p.inventory = map((0..17).map(|i| (i.to_string(), 0)));
    }));
    assert_both_refuse(&with(|p| p.badges = Some(vec![schema::Team::Red; 4])));
    assert_both_refuse(&with(|p| p.avatar = vec![0; 65]));
    // A datatype's components are taken as they are (docs/wire-format.md,
    // section 4.7): both accept an infinite one.
    assert_same_bytes(&with(|p| p.home = Vector3::new(f32::INFINITY, 0.0, 0.0)));
}

// ---------------------------------------------------------------------------
// Equivalence: the frames of each remote
// ---------------------------------------------------------------------------

#[test]
#[allow(deprecated)]
fn every_remote_sends_the_same_frames_through_both_apis() {
    // Client → server events, one `client <-> server` both ways, and the
    // `@unreliable @ordered` one, which travels as a datagram.
    for team in team_samples() {
        for message in ["x".to_owned(), "é".repeat(100)] {
            assert_same_client_packets(
                |c| c.chat().fire_server(message.clone(), team).unwrap(),
                |c| c.chat().fire_server(message.clone(), team.twin()).unwrap(),
            );
        }
    }
    for (seq, note) in [
        (0, None),
        (u32::MAX, Some("n".repeat(16))),
        (7, Some(String::new())),
    ] {
        assert_same_client_packets(
            |c| c.ping().fire_server(seq, note.clone()).unwrap(),
            |c| c.ping().fire_server(seq, note.clone()).unwrap(),
        );
        assert_same_server_packets(
            |s, p| s.ping().fire_client(p, seq, note.clone()).unwrap(),
            |s, p| s.ping().fire_client(p, seq, note.clone()).unwrap(),
        );
    }
    for spread in [0.0, 22.5, 45.0] {
        let look = Vector3::new(0.0, -1.0, 0.5);
        let datagrams = assert_same_client_packets(
            |c| {
                c.aim().fire_server(look, spread).unwrap();
                c.aim().fire_server(look, spread).unwrap();
            },
            |c| {
                c.aim().fire_server(look, spread).unwrap();
                c.aim().fire_server(look, spread).unwrap();
            },
        );
        assert_eq!(datagrams.len(), 2, "one datagram per unreliable event");
        assert_ne!(
            datagrams[0], datagrams[1],
            "each carries its sequence number"
        );
        assert_same_server_packets(
            |s, p| s.aim().fire_client(p, look, spread).unwrap(),
            |s, p| s.aim().fire_client(p, look, spread).unwrap(),
        );
    }
    for message in [String::new(), "s".repeat(100)] {
        assert_same_client_packets(
            |c| c.shout().fire_server(message.clone()).unwrap(),
            |c| c.shout().fire_server(message.clone()).unwrap(),
        );
    }

    // Server → client events.
    for (i, profile) in profile_samples().iter().enumerate() {
        let units = &unit_samples()[i % 3];
        let shape = &shape_samples()[i];
        let scores = &score_samples()[i % 2];
        let (schema_units, schema_shape) = (units.clone(), shape.clone());
        assert_same_server_packets(
            |s, p| {
                s.snapshot()
                    .fire_client(
                        p,
                        profile.clone(),
                        schema_units,
                        schema_shape,
                        scores.clone(),
                    )
                    .unwrap()
            },
            |s, p| {
                s.snapshot()
                    .fire_client(p, profile.twin(), units.twin(), shape.twin(), scores.twin())
                    .unwrap()
            },
        );
    }
    for (offers, team) in offer_samples().into_iter().zip(team_samples()) {
        assert_same_server_packets(
            |s, p| {
                s.shop()
                    .restocked()
                    .fire_client(p, offers.clone(), team)
                    .unwrap()
            },
            |s, p| {
                s.shop()
                    .restocked()
                    .fire_client(p, offers.twin(), team.twin())
                    .unwrap()
            },
        );
    }
    // Broadcasts too: one frame per player, the same from both.
    let (schema_server, macro_server) = (schema::Server::new(), mirror::Server::new());
    for _ in 0..2 {
        assert_eq!(
            schema_server.runtime().connect_player(),
            macro_server.runtime().connect_player()
        );
    }
    let offers = offer_samples().remove(1);
    schema_server
        .shop()
        .restocked()
        .fire_all_clients(offers.clone(), schema::Team::Blue)
        .unwrap();
    macro_server
        .shop()
        .restocked()
        .fire_all_clients(offers.twin(), mirror::Team::Blue)
        .unwrap();
    let frames = schema_server.runtime().take_outgoing();
    assert_eq!(frames.len(), 2);
    assert_eq!(frames[0].1, frames[1].1);
    assert_eq!(frames, macro_server.runtime().take_outgoing());
}

#[test]
fn both_apis_refuse_the_same_values_and_send_nothing() {
    let refused = |schema_result: Result<(), SendError>, macro_result: Result<(), SendError>| {
        assert!(schema_result.is_err());
        assert_eq!(schema_result, macro_result);
    };
    let (schema_client, macro_client) = (schema::Client::new(), mirror::Client::new());
    refused(
        schema_client
            .chat()
            .fire_server(String::new(), schema::Team::Red),
        macro_client
            .chat()
            .fire_server(String::new(), mirror::Team::Red),
    );
    refused(
        schema_client
            .chat()
            .fire_server("x".repeat(201), schema::Team::Red),
        macro_client
            .chat()
            .fire_server("x".repeat(201), mirror::Team::Red),
    );
    refused(
        schema_client
            .aim()
            .fire_server(Vector3::new(0.0, 0.0, 0.0), 45.5),
        macro_client
            .aim()
            .fire_server(Vector3::new(0.0, 0.0, 0.0), 45.5),
    );
    refused(
        schema_client.ping().fire_server(1, Some("n".repeat(17))),
        macro_client.ping().fire_server(1, Some("n".repeat(17))),
    );
    assert!(schema_client.runtime().take_outgoing().is_empty());
    assert!(macro_client.runtime().take_outgoing().is_empty());

    let (schema_server, macro_server) = (schema::Server::new(), mirror::Server::new());
    let (p, q) = (
        schema_server.runtime().connect_player(),
        macro_server.runtime().connect_player(),
    );
    let mut units = unit_samples().remove(1);
    units.push(units[0].clone());
    refused(
        schema_server.snapshot().fire_client(
            &p,
            profile_samples().remove(0),
            units.clone(),
            schema::Shape::Point,
            HashMap::new(),
        ),
        macro_server.snapshot().fire_client(
            &q,
            profile_samples()[0].twin(),
            units.twin(),
            mirror::Shape::Point,
            HashMap::new(),
        ),
    );
    assert!(schema_server.runtime().take_outgoing().is_empty());
    assert!(macro_server.runtime().take_outgoing().is_empty());
}

/// A remote function's request, and the response each side's handler
/// writes to it, are the same bytes through both APIs.
#[test]
fn remote_functions_send_the_same_requests_and_responses() {
    // Client → server: Shop.Buy.
    for (item, quantity, answer) in [
        (0, 1, (true, None)),
        (u32::MAX, 10, (false, Some("sold out".to_owned()))),
        (5, 3, (true, Some(String::new()))),
    ] {
        let request = assert_same_client_packets(
            |c| drop(c.shop().buy().invoke_server(item, quantity)),
            |c| drop(c.shop().buy().invoke_server(item, quantity)),
        );
        let respond = |server: &ServerRuntime| {
            let player = server.connect_player();
            for frame in &request {
                server.receive(&player, frame);
            }
            server.poll(Duration::ZERO);
            server.take_outgoing()
        };
        let schema_server = schema::Server::new();
        let seen = Log::default();
        let log = seen.clone();
        let reply = answer.clone();
        schema_server
            .shop()
            .buy()
            .on_invoke(move |_, item, quantity| {
                log.push((item, quantity));
                Ok(reply.clone())
            });
        let macro_server = mirror::Server::new();
        let log = seen.clone();
        let reply = answer.clone();
        macro_server
            .shop()
            .buy()
            .on_invoke(move |_, item, quantity| {
                log.push((item, quantity));
                Ok(reply.clone())
            });
        let from_schema = respond(schema_server.runtime());
        assert_eq!(from_schema.len(), 1);
        assert_eq!(from_schema, respond(macro_server.runtime()));
        assert_eq!(seen.take(), [(item, quantity); 2]);
    }

    // Server → client: Confirm, answered and failed.
    for (prompt, answer) in [
        (String::new(), Ok(true)),
        ("p".repeat(64), Ok(false)),
        ("Teleport?".to_owned(), Err("no".to_owned())),
    ] {
        let request = assert_same_server_packets(
            |s, p| drop(s.confirm().invoke_client(p, prompt.clone())),
            |s, p| drop(s.confirm().invoke_client(p, prompt.clone())),
        );
        let respond = |client: &ClientRuntime| {
            for frame in &request {
                client.receive(frame);
            }
            client.poll(Duration::ZERO);
            client.take_outgoing()
        };
        let schema_client = schema::Client::new();
        let reply = answer.clone();
        schema_client.confirm().on_invoke(move |_| reply.clone());
        let macro_client = mirror::Client::new();
        let reply = answer.clone();
        macro_client.confirm().on_invoke(move |_| reply.clone());
        let from_schema = respond(schema_client.runtime());
        assert_eq!(from_schema.len(), 1);
        assert_eq!(from_schema, respond(macro_client.runtime()));
    }
}

// ---------------------------------------------------------------------------
// Interoperation: a client of one front end, a server of the other
// ---------------------------------------------------------------------------

/// One server runtime and one client runtime, each of its own protocol,
/// with the frames carried between them by hand.
struct Link {
    server: ServerRuntime,
    client: ClientRuntime,
    player: Player,
    now: Duration,
}

impl Link {
    fn new(server: &'static Protocol, client: &'static Protocol) -> Link {
        let server = ServerRuntime::new(server);
        let player = server.connect_player();
        Link {
            server,
            client: ClientRuntime::new(client),
            player,
            now: Duration::ZERO,
        }
    }

    /// Carries what each side sent to the other, then polls both, 100 ms
    /// later than the step before.
    fn step(&mut self) {
        for packet in self.client.take_packets() {
            self.server.receive_packet(&self.player, &packet);
        }
        for (to, packet) in self.server.take_packets() {
            assert_eq!(to, self.player);
            self.client.receive_packet(&packet);
        }
        self.now += Duration::from_millis(100);
        self.server.poll(self.now);
        self.client.poll(self.now);
    }

    /// Neither side dropped or rejected anything.
    fn assert_clean(&self) {
        for (side, stats) in [
            ("server", self.server.stats()),
            ("client", self.client.stats()),
        ] {
            assert_eq!(stats.rejected.total(), 0, "{side}: {stats:?}");
            assert_eq!(stats.rejected.rate_limited, 0, "{side}: {stats:?}");
            assert_eq!(stats.unmatched_responses, 0, "{side}: {stats:?}");
            assert_eq!(stats.timeouts, 0, "{side}: {stats:?}");
            assert_eq!(stats.handler_panics, 0, "{side}: {stats:?}");
            assert!(stats.messages_received > 0, "{side}: {stats:?}");
        }
    }
}

/// A conversation between a client of protocol `$client` and a server of
/// protocol `$server` (each `schema` or `mirror`): events both ways, the
/// unreliable one included, and a remote function each way with its
/// response. Values are made as `schema` values and converted with `on!`.
macro_rules! conversation {
    (server: $server:ident, client: $client:ident) => {{
        let mut link = Link::new(&$server::PROTOCOL, &$client::PROTOCOL);
        let server = $server::Server::try_from(link.server.clone()).expect("the same protocol");
        let client = $client::Client::try_from(link.client.clone()).expect("the same protocol");

        // Client → server.
        let chats = Log::default();
        let log = chats.clone();
        let player = link.player.clone();
        server.chat().connect(move |from, message, team| {
            assert_eq!(*from, player);
            log.push((message, team));
        });
        let pings = Log::default();
        let log = pings.clone();
        server
            .ping()
            .connect(move |_, seq, note| log.push((seq, note)));
        let aims = Log::default();
        let log = aims.clone();
        server
            .aim()
            .connect(move |_, look, spread| log.push((look, spread)));
        let shouts = Log::default();
        let log = shouts.clone();
        server.shout().connect(move |_, message| log.push(message));
        let purchases = Log::default();
        let log = purchases.clone();
        server.shop().buy().on_invoke(move |_, item, quantity| {
            log.push((item, quantity));
            match quantity {
                1..=5 => Ok((true, Some(format!("{quantity} of {item}")))),
                _ => Err("too many".to_owned()),
            }
        });

        for team in team_samples() {
            client
                .chat()
                .fire_server("é".repeat(100), on!($client, team))
                .unwrap();
        }
        client
            .ping()
            .fire_server(u32::MAX, Some("n".repeat(16)))
            .unwrap();
        client.ping().fire_server(0, None).unwrap();
        client
            .aim()
            .fire_server(Vector3::new(1.0, 2.0, 3.0), 45.0)
            .unwrap();
        client.shout().fire_server("hey".to_owned()).unwrap();
        let mut bought = client.shop().buy().invoke_server(u32::MAX, 5);
        let mut refused = client.shop().buy().invoke_server(7, 10);
        link.step();
        link.step();

        assert_eq!(
            chats.take(),
            team_samples()
                .into_iter()
                .map(|team| ("é".repeat(100), on!($server, team)))
                .collect::<Vec<_>>()
        );
        assert_eq!(pings.take(), [(u32::MAX, Some("n".repeat(16))), (0, None)]);
        assert_eq!(aims.take(), [(Vector3::new(1.0, 2.0, 3.0), 45.0)]);
        assert_eq!(shouts.take(), ["hey"]);
        assert_eq!(purchases.take(), [(u32::MAX, 5), (7, 10)]);
        assert_eq!(
            bought.try_result(),
            Some(Ok((true, Some(format!("5 of {}", u32::MAX)))))
        );
        assert_eq!(
            refused.try_result(),
            Some(Err(InvokeError::Handler("too many".to_owned())))
        );

        // Server → client.
        let snapshots = Log::default();
        let log = snapshots.clone();
        client
            .snapshot()
            .connect(move |profile, units, shape, scores| {
                log.push((profile, units, shape, scores))
            });
        let restocks = Log::default();
        let log = restocks.clone();
        client
            .shop()
            .restocked()
            .connect(move |offers, team| log.push((offers, team)));
        let aims = Log::default();
        let log = aims.clone();
        client
            .aim()
            .connect(move |look, spread| log.push((look, spread)));
        let pings = Log::default();
        let log = pings.clone();
        client
            .ping()
            .connect(move |seq, note| log.push((seq, note)));
        let prompts = Log::default();
        let log = prompts.clone();
        client.confirm().on_invoke(move |prompt: String| {
            log.push(prompt.clone());
            Ok(prompt.starts_with("Teleport"))
        });

        let player = &link.player;
        let profiles = profile_samples();
        let units = unit_samples();
        let shapes = shape_samples();
        let scores = score_samples();
        for (i, profile) in profiles.iter().enumerate() {
            server
                .snapshot()
                .fire_client(
                    player,
                    on!($server, profile),
                    on!($server, units[i % 3]),
                    on!($server, shapes[i]),
                    scores[i % 2].clone(),
                )
                .unwrap();
        }
        for offers in offer_samples() {
            server
                .shop()
                .restocked()
                .fire_all_clients(on!($server, offers), on!($server, schema::Team::Blue))
                .unwrap();
        }
        server
            .aim()
            .fire_client(player, Vector3::new(-1.0, 0.0, 0.0), 0.0)
            .unwrap();
        server
            .ping()
            .fire_all_clients(42, Some(String::new()))
            .unwrap();
        let mut yes = server
            .confirm()
            .invoke_client(player, "Teleport to spawn?".to_owned());
        let mut no = server.confirm().invoke_client(player, "p".repeat(64));
        link.step();
        link.step();

        let expected = profiles
            .iter()
            .enumerate()
            .map(|(i, profile)| {
                (
                    on!($client, profile),
                    on!($client, units[i % 3]),
                    on!($client, shapes[i]),
                    scores[i % 2].clone(),
                )
            })
            .collect::<Vec<_>>();
        assert_eq!(snapshots.take(), expected);
        assert_eq!(
            restocks.take(),
            offer_samples()
                .into_iter()
                .map(|offers| (on!($client, offers), on!($client, schema::Team::Blue)))
                .collect::<Vec<_>>()
        );
        assert_eq!(aims.take(), [(Vector3::new(-1.0, 0.0, 0.0), 0.0)]);
        assert_eq!(pings.take(), [(42, Some(String::new()))]);
        assert_eq!(
            prompts.take(),
            ["Teleport to spawn?".to_owned(), "p".repeat(64)]
        );
        assert_eq!(yes.try_result(), Some(Ok(true)));
        assert_eq!(no.try_result(), Some(Ok(false)));

        link.assert_clean();
    }};
}

#[test]
#[allow(deprecated)]
fn a_macro_client_talks_to_a_schema_server() {
    conversation!(server: schema, client: mirror);
}

#[test]
#[allow(deprecated)]
fn a_schema_client_talks_to_a_macro_server() {
    conversation!(server: mirror, client: schema);
}

#[test]
fn a_macro_client_talks_to_a_server_of_the_included_schema() {
    let mut link = Link::new(&included::PROTOCOL, &mirror::PROTOCOL);
    let server = included::Server::try_from(link.server.clone()).expect("the same protocol");
    let client = mirror::Client::try_from(link.client.clone()).expect("the same protocol");
    let chats = Log::default();
    let log = chats.clone();
    server
        .chat()
        .connect(move |_, message, team| log.push((message, team)));
    client
        .chat()
        .fire_server("hi".to_owned(), mirror::Team::Blue)
        .unwrap();
    let mut bought = client.shop().buy().invoke_server(1, 1);
    server.shop().buy().on_invoke(|_, _, _| Ok((true, None)));
    link.step();
    link.step();
    assert_eq!(chats.take(), [("hi".to_owned(), included::Team::Blue)]);
    assert_eq!(bought.try_result(), Some(Ok((true, None))));
    link.assert_clean();
}

// ---------------------------------------------------------------------------
// Bindables
// ---------------------------------------------------------------------------

/// The bindables of protocol `$side`: the event with a function-typed
/// parameter, and the function with its `@timeout(1s)`.
macro_rules! bindables {
    ($side:ident) => {{
        let server = $side::ServerBindables::new();
        let ended = Arc::new(AtomicU32::new(0));
        let rounds = Log::default();
        let log = rounds.clone();
        server.round_started.connect(move |round, on_end| {
            log.push(round);
            on_end();
        });
        let counter = ended.clone();
        server.round_started.fire(
            3,
            Arc::new(move || {
                counter.fetch_add(1, Ordering::SeqCst);
            }),
        );
        assert!(rounds.is_empty(), "handlers run on poll");
        server.round_started.poll();
        assert_eq!(rounds.take(), [3]);
        assert_eq!(ended.load(Ordering::SeqCst), 1);

        let client = $side::ClientBindables::new();
        let always = || -> Arc<dyn Fn(String) -> bool + Send + Sync> { Arc::new(|_| true) };
        let mut waiting = client.validate.invoke("early".to_owned(), always());
        let mut late = client.validate.invoke("late".to_owned(), always());
        client.validate.poll(Duration::from_millis(999));
        assert_eq!(waiting.try_result(), None, "waits up to its timeout");
        client.validate.poll(Duration::from_secs(1));
        assert_eq!(waiting.try_result(), Some(Err(InvokeError::Timeout)));
        assert_eq!(late.try_result(), Some(Err(InvokeError::Timeout)));
        client
            .validate
            .set_callback(|text, check| text.len() <= 64 && check(text));
        let short = |text: String| text.len() < 5;
        let mut yes = client.validate.invoke("abc".to_owned(), Arc::new(short));
        let mut no = client.validate.invoke("abcdef".to_owned(), Arc::new(short));
        client.validate.poll(Duration::from_secs(2));
        assert_eq!(yes.try_result(), Some(Ok(true)));
        assert_eq!(no.try_result(), Some(Ok(false)));
    }};
}

#[test]
fn both_front_ends_declare_the_same_bindables() {
    bindables!(schema);
    bindables!(mirror);
}

// ---------------------------------------------------------------------------
// Generated values through everything above
// ---------------------------------------------------------------------------

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn generated_values_encode_to_the_same_bytes(
        profile in profile(),
        units in proptest::collection::vec(unit(), 0..=64),
        shape in shape(),
        offers in proptest::collection::vec(offer(), 0..=50),
        team in team(),
    ) {
        assert_same_bytes(&profile);
        assert_same_bytes(&profile.stats);
        assert_same_bytes(&shape);
        assert_same_bytes(&team);
        units.iter().for_each(assert_same_bytes);
        offers.iter().for_each(assert_same_bytes);
    }

    #[test]
    fn generated_values_travel_between_the_front_ends(
        profile in profile(),
        units in proptest::collection::vec(unit(), 0..=64),
        shape in shape(),
        scores in proptest::collection::hash_map(text(0, 12), any::<u32>(), 0..=8),
        message in text(1, 200),
        team in team(),
    ) {
        // The same frames from both servers and both clients...
        let frames = assert_same_server_packets(
            |s, p| {
                s.snapshot()
                    .fire_client(p, profile.clone(), units.clone(), shape.clone(), scores.clone())
                    .unwrap()
            },
            |s, p| {
                s.snapshot()
                    .fire_client(p, profile.twin(), units.twin(), shape.twin(), scores.clone())
                    .unwrap()
            },
        );
        assert_same_client_packets(
            |c| c.chat().fire_server(message.clone(), team).unwrap(),
            |c| c.chat().fire_server(message.clone(), team.twin()).unwrap(),
        );
        // ... and the schema's frame, received by the macro's client, is
        // the same value.
        let client = mirror::Client::new();
        let seen = Log::default();
        let log = seen.clone();
        client
            .snapshot()
            .connect(move |profile, units, shape, scores| log.push((profile, units, shape, scores)));
        for frame in &frames {
            client.runtime().receive(frame);
        }
        client.runtime().poll(Duration::ZERO);
        prop_assert_eq!(
            seen.take(),
            vec![(profile.twin(), units.twin(), shape.twin(), scores)]
        );
    }
}

// ---------------------------------------------------------------------------
// Hygiene
// ---------------------------------------------------------------------------

/// A protocol where nothing is in scope but what the module declares, and
/// what it declares is named like what the expansion reaches for: every
/// path the expansion writes must be absolute.
#[no_implicit_prelude]
#[allow(dead_code)]
mod hygiene {
    #[::tether::protocol]
    pub mod clash {
        pub type Result = ();
        pub type Vec = ();
        pub type String = ();
        pub type Box = ();
        pub type HashMap = ();
        pub type Arc = ();
        pub type Player = ();
        pub type Typed = ();
        pub type Connection = ();
        pub type ServerRuntime = ();
        pub type ClientRuntime = ();
        pub mod tether {}
        pub mod wire {}
        pub trait Encode {
            fn encode(&self, _: u8) {}
        }
        impl<T> Encode for T {}
        pub trait Decode {
            fn decode(_: u8) {}
        }
        pub fn encode_message() {}
        pub fn write_array() {}

        /// A record named like the prelude's `Option`: where it is named,
        /// it is this record, as in Rust, not an optional.
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
        pub struct Option {}

        /// A record named like the runtime's `Writer`.
        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
        pub struct Writer {
            #[tether(max_len = 8)]
            pub label: ::std::string::String,
            #[tether(range = "1..9")]
            pub level: ::core::option::Option<u8>,
            #[tether(max_len = 4)]
            pub items: ::std::vec::Vec<u16>,
            #[tether(max_len = 2)]
            pub table: ::std::collections::HashMap<::std::string::String, bool>,
        }

        #[derive(::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq)]
        pub enum Reader {
            Empty,
            Full { writer: Writer },
        }

        /// Namespaces named like the crates the expansion names.
        pub mod core {
            use super::Reader;

            #[remote(event, server -> client)]
            fn tick(n: u32, reader: Reader);
        }

        pub mod std {
            #[remote(function, client -> server)]
            #[tether(rate(10/s))]
            fn ask(#[tether(range = "0..3")] n: u8) -> ::core::option::Option<u8>;
        }

        #[remote(event, client -> server)]
        #[tether(rate(10/s), allow(unbounded-client-input))]
        fn send(writer: Writer, reader: Reader);

        #[remote(event, server -> client)]
        fn nothing(none: Option, maybe: ::core::option::Option<Option>);

        #[bindable(function, server)]
        fn local(
            f: ::std::sync::Arc<
                dyn ::core::ops::Fn(u8) -> u8 + ::core::marker::Send + ::core::marker::Sync,
            >,
        ) -> ::std::string::String;
    }
}

/// The prelude's names taken by the user's own items, in the value
/// namespace too, and a trait in scope whose methods are named like those
/// the expansion calls: a method call the expansion makes on something that
/// is not its own would be ambiguous.
#[allow(dead_code, non_upper_case_globals)]
mod shadowed {
    pub const Some: () = ();
    pub const None: () = ();
    pub const Ok: () = ();
    pub const Err: () = ();
    pub trait Everything {
        fn clone(&self) {}
        fn into(&self) {}
        fn from(&self) {}
        fn to_owned(&self) {}
        fn to_string(&self) {}
        fn encode(&self) {}
        fn decode(&self) {}
        fn default(&self) {}
        fn deref(&self) {}
        fn len(&self) {}
        fn iter(&self) {}
        fn map_err(&self) {}
        fn unwrap(&self) {}
        fn downcast(&self) {}
    }
    impl<T: ?Sized> Everything for T {}

    #[tether::protocol]
    pub mod proto {
        // The glob import shadows the prelude with the items above.
        #[allow(unused_imports)]
        use super::*;

        #[derive(Debug, Clone, PartialEq)]
        pub struct Writer {
            #[tether(range = "1..9")]
            pub level: ::core::option::Option<u8>,
            #[tether(max_len = 4)]
            pub items: Vec<String>,
        }

        #[derive(Debug, Clone, PartialEq)]
        pub enum Reader {
            Empty,
            Full { writer: Writer },
        }

        #[remote(event, client -> server)]
        #[tether(rate(10/s), allow(unbounded-client-input))]
        fn send(writer: Writer, reader: Reader);

        #[remote(function, server -> client)]
        #[tether(allow(server-invokes-client))]
        fn ask(#[tether(range = "0..3")] n: u8) -> ::core::option::Option<u8>;
    }

    #[derive(Debug, Clone, PartialEq, tether::Replicable)]
    pub struct Loose {
        #[tether(range = "1..5")]
        pub level: ::core::option::Option<u8>,
        pub mood: Mood,
    }

    #[derive(Debug, Clone, PartialEq, tether::Replicable)]
    pub enum Mood {
        Calm,
        Angry {
            #[tether(max_len = 4)]
            why: String,
        },
    }
}

/// Derives under `#[no_implicit_prelude]`, beside items named like the
/// runtime's.
#[no_implicit_prelude]
#[allow(dead_code)]
mod derive_hygiene {
    pub type Result = ();
    pub mod core {}
    pub mod std {}
    pub mod tether {}
    pub struct Writer;
    pub struct Reader;
    pub trait Encode {
        fn encode(&self, _: u8) {}
    }
    impl<T> Encode for T {}

    #[derive(
        ::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq, ::tether::Replicable,
    )]
    pub struct Tagged {
        #[tether(max_len = 8)]
        pub label: ::std::string::String,
        pub mood: Mood,
        #[tether(range = "10..20")]
        pub level: ::core::option::Option<u8>,
        #[tether(max_len = 3)]
        pub moods: ::std::vec::Vec<Mood>,
    }

    #[derive(
        ::core::fmt::Debug, ::core::clone::Clone, ::core::cmp::PartialEq, ::tether::Replicable,
    )]
    pub enum Mood {
        Calm,
        Angry {
            #[tether(range = "1..10")]
            level: u8,
        },
    }
}

#[test]
fn a_protocol_under_no_implicit_prelude_works() {
    use hygiene::clash;

    let mut link = Link::new(&clash::PROTOCOL, &clash::PROTOCOL);
    let server = clash::Server::try_from(link.server.clone()).expect("the same protocol");
    let client = clash::Client::try_from(link.client.clone()).expect("the same protocol");
    let writer = clash::Writer {
        label: "label".to_owned(),
        level: Some(9),
        items: vec![1, 2, 3, 4],
        table: map([("a".to_owned(), true), ("b".to_owned(), false)]),
    };
    let sent = Log::default();
    let log = sent.clone();
    server
        .send()
        .connect(move |_, writer, reader| log.push((writer, reader)));
    server
        .std()
        .ask()
        .on_invoke(|_, n| Ok(Some(n * 2).filter(|&n| n > 0)));
    let ticks = Log::default();
    let log = ticks.clone();
    client
        .core()
        .tick()
        .connect(move |n, reader| log.push((n, reader)));
    let nothings = Log::default();
    let log = nothings.clone();
    client
        .nothing()
        .connect(move |none, maybe| log.push((none, maybe)));

    let full = clash::Reader::Full {
        writer: writer.clone(),
    };
    client
        .send()
        .fire_server(writer.clone(), full.clone())
        .unwrap();
    let mut zero = client.std().ask().invoke_server(0);
    let mut three = client.std().ask().invoke_server(3);
    assert!(matches!(
        client.std().ask().invoke_server(4).try_result(),
        Some(Err(InvokeError::Encode(EncodeError::OutOfRange(_))))
    ));
    server
        .core()
        .tick()
        .fire_client(&link.player, 7, clash::Reader::Empty)
        .unwrap();
    server
        .nothing()
        .fire_all_clients(clash::Option {}, Some(clash::Option {}))
        .unwrap();
    link.step();
    link.step();
    assert_eq!(sent.take(), [(writer.clone(), full)]);
    assert_eq!(zero.try_result(), Some(Ok(None)));
    assert_eq!(three.try_result(), Some(Ok(Some(6))));
    assert_eq!(ticks.take(), [(7, clash::Reader::Empty)]);
    assert_eq!(
        nothings.take(),
        [(clash::Option {}, Some(clash::Option {}))]
    );
    link.assert_clean();

    let bindables = clash::ServerBindables::new();
    bindables.local.set_callback(|f| f(20).to_string());
    let mut answer = bindables.local.invoke(Arc::new(|n| n + 1));
    bindables.local.poll(Duration::ZERO);
    assert_eq!(answer.try_result(), Some(Ok("21".to_owned())));
}

#[test]
fn a_protocol_beside_shadowed_prelude_names_works() {
    use shadowed::proto;

    let mut link = Link::new(&proto::PROTOCOL, &proto::PROTOCOL);
    let server = proto::Server::try_from(link.server.clone()).expect("the same protocol");
    let client = proto::Client::try_from(link.client.clone()).expect("the same protocol");
    let writer = proto::Writer {
        level: None,
        items: vec!["a".to_owned(); 4],
    };
    let sent = Log::default();
    let log = sent.clone();
    server
        .send()
        .connect(move |_, writer, reader| log.push((writer, reader)));
    client.ask().on_invoke(|n| Ok(Some(n)));
    client
        .send()
        .fire_server(
            writer.clone(),
            proto::Reader::Full {
                writer: writer.clone(),
            },
        )
        .unwrap();
    let mut answer = server.ask().invoke_client(&link.player, 3);
    link.step();
    link.step();
    assert_eq!(
        sent.take(),
        [(writer.clone(), proto::Reader::Full { writer })]
    );
    assert_eq!(answer.try_result(), Some(Ok(Some(3))));
    link.assert_clean();

    let loose = shadowed::Loose {
        level: Some(5),
        mood: shadowed::Mood::Angry { why: "why".into() },
    };
    let (bytes, _) = encode_message(&loose).unwrap();
    assert_eq!(decode_message(&bytes, &[]), Ok(loose));
}

#[test]
fn a_derive_under_no_implicit_prelude_works() {
    use derive_hygiene::{Mood, Tagged};

    for tagged in [
        Tagged {
            label: String::new(),
            mood: Mood::Calm,
            level: None,
            moods: Vec::new(),
        },
        Tagged {
            label: "12345678".to_owned(),
            mood: Mood::Angry { level: 10 },
            level: Some(20),
            moods: vec![Mood::Calm, Mood::Angry { level: 1 }, Mood::Calm],
        },
    ] {
        let (bytes, _) = encode_message(&tagged).unwrap();
        assert_eq!(decode_message(&bytes, &[]), Ok(tagged));
    }
    let out_of_range = Tagged {
        label: String::new(),
        mood: Mood::Angry { level: 11 },
        level: None,
        moods: Vec::new(),
    };
    assert!(matches!(
        encode_message(&out_of_range),
        Err(EncodeError::OutOfRange(_))
    ));
}

// ---------------------------------------------------------------------------
// Derive
// ---------------------------------------------------------------------------

/// A standalone record and a tagged enum that name each other: to each
/// derive the other is an extern type, which encodes itself. The record
/// also holds itself, through an `Option<Box<..>>`.
#[derive(Debug, Clone, PartialEq, tether::Replicable)]
#[tether(rename_all = "PascalCase")]
pub struct Badge {
    #[tether(range = "1..5")]
    pub tier: u8,
    #[tether(len = "1..12")]
    pub label: String,
    pub kind: BadgeKind,
    #[tether(range = "-1..1")]
    pub weight: f32,
    #[tether(max_len = 3)]
    pub history: Vec<BadgeKind>,
    pub next: Option<Box<Badge>>,
}

#[derive(Debug, Clone, PartialEq, tether::Replicable)]
pub enum BadgeKind {
    Plain,
    Ranked {
        #[tether(range = "-10..10")]
        delta: i8,
        #[tether(max_len = 2)]
        holders: Vec<Badge>,
    },
}

/// [`Badge`] and [`BadgeKind`] with wider refinements written in the same
/// number of bits, to forge what the strict types never send.
#[derive(Debug, Clone, PartialEq, tether::Replicable)]
#[tether(rename_all = "PascalCase")]
pub struct LooseBadge {
    /// 3 bits, as `1..5`.
    #[tether(range = "1..8")]
    pub tier: u8,
    /// A 4-bit prefix, as `1..12`.
    #[tether(len = "1..16")]
    pub label: String,
    pub kind: LooseKind,
    pub weight: f32,
    /// A 2-bit count, as `..3`.
    #[tether(max_len = 3)]
    pub history: Vec<LooseKind>,
    pub next: Option<Box<LooseBadge>>,
}

#[derive(Debug, Clone, PartialEq, tether::Replicable)]
pub enum LooseKind {
    Plain,
    Ranked {
        /// 5 bits from -10, as `-10..10`.
        #[tether(range = "-10..21")]
        delta: i8,
        #[tether(max_len = 3)]
        holders: Vec<LooseBadge>,
    },
}

impl Badge {
    fn loose(&self) -> LooseBadge {
        LooseBadge {
            tier: self.tier,
            label: self.label.clone(),
            kind: self.kind.loose(),
            weight: self.weight,
            history: self.history.iter().map(BadgeKind::loose).collect(),
            next: self.next.as_ref().map(|next| Box::new(next.loose())),
        }
    }
}

impl BadgeKind {
    fn loose(&self) -> LooseKind {
        match self {
            BadgeKind::Plain => LooseKind::Plain,
            BadgeKind::Ranked { delta, holders } => LooseKind::Ranked {
                delta: *delta,
                holders: holders.iter().map(Badge::loose).collect(),
            },
        }
    }
}

fn badge(tier: u8, label: &str, kind: BadgeKind) -> Badge {
    Badge {
        tier,
        label: label.to_owned(),
        kind,
        weight: 0.0,
        history: Vec::new(),
        next: None,
    }
}

fn badge_samples() -> Vec<Badge> {
    let low = badge(1, "a", BadgeKind::Plain);
    let high = Badge {
        weight: 1.0,
        history: vec![
            BadgeKind::Plain,
            BadgeKind::Ranked {
                delta: -10,
                holders: Vec::new(),
            },
            BadgeKind::Plain,
        ],
        next: Some(Box::new(Badge {
            weight: -1.0,
            next: Some(Box::new(low.clone())),
            ..badge(3, "ñ".repeat(6).as_str(), BadgeKind::Plain)
        })),
        ..badge(
            5,
            "abcdefghijkl",
            BadgeKind::Ranked {
                delta: 10,
                holders: vec![low.clone(), badge(2, "b", BadgeKind::Plain)],
            },
        )
    };
    vec![low, high]
}

#[test]
fn derived_types_round_trip() {
    for badge in badge_samples() {
        let (bytes, _) = encode_message(&badge).unwrap();
        assert_eq!(decode_message(&bytes, &[]).as_ref(), Ok(&badge));
        // The loose twin writes a valid badge in the same bytes: what it
        // forges below breaks only the refinement.
        assert_eq!(encode_message(&badge.loose()).unwrap().0, bytes);
        let kind = &badge.kind;
        let (bytes, _) = encode_message(kind).unwrap();
        assert_eq!(decode_message(&bytes, &[]).as_ref(), Ok(kind));
    }
}

#[test]
fn derived_types_refuse_values_outside_their_refinements() {
    let valid = badge_samples().remove(1);
    let refused = |edit: fn(&mut Badge)| {
        let mut badge = valid.clone();
        edit(&mut badge);
        encode_message(&badge).expect_err("refused")
    };
    assert!(matches!(
        refused(|b| b.tier = 0),
        EncodeError::OutOfRange(_)
    ));
    assert!(matches!(
        refused(|b| b.tier = 6),
        EncodeError::OutOfRange(_)
    ));
    assert!(matches!(
        refused(|b| b.label = String::new()),
        EncodeError::LengthOutOfRange { len: 0, .. }
    ));
    assert!(matches!(
        refused(|b| b.label = "x".repeat(13)),
        EncodeError::LengthOutOfRange { len: 13, .. }
    ));
    assert!(matches!(
        refused(|b| b.weight = 1.5),
        EncodeError::OutOfRange(_)
    ));
    assert_eq!(refused(|b| b.weight = f32::NAN), EncodeError::NonFinite);
    assert!(matches!(
        refused(|b| b.history = vec![BadgeKind::Plain; 4]),
        EncodeError::LengthOutOfRange { len: 4, .. }
    ));
    // Inside the extern enum, and inside the boxed recursion.
    assert!(matches!(
        refused(|b| b.kind = BadgeKind::Ranked {
            delta: 11,
            holders: Vec::new()
        }),
        EncodeError::OutOfRange(_)
    ));
    assert!(matches!(
        refused(|b| b.next = Some(Box::new(badge(9, "x", BadgeKind::Plain)))),
        EncodeError::OutOfRange(_)
    ));
}

#[test]
fn derived_types_reject_forged_bytes() {
    let valid = badge_samples().remove(1).loose();
    let forged = |edit: fn(&mut LooseBadge)| {
        let mut loose = valid.clone();
        edit(&mut loose);
        let (bytes, _) = encode_message(&loose).expect("the loose type takes it");
        decode_message::<Badge>(&bytes, &[]).expect_err("the strict type rejects it")
    };
    assert!(matches!(forged(|b| b.tier = 6), DecodeError::OutOfRange(_)));
    assert!(matches!(forged(|b| b.tier = 8), DecodeError::OutOfRange(_)));
    assert!(matches!(
        forged(|b| b.label = "x".repeat(13)),
        DecodeError::LengthOutOfRange { len: 13, .. }
    ));
    assert!(matches!(
        forged(|b| b.label = "x".repeat(16)),
        DecodeError::LengthOutOfRange { len: 16, .. }
    ));
    assert!(matches!(
        forged(|b| b.weight = 2.0),
        DecodeError::OutOfRange(_)
    ));
    assert!(matches!(
        forged(|b| b.kind = LooseKind::Ranked {
            delta: 21,
            holders: Vec::new()
        }),
        DecodeError::OutOfRange(_)
    ));
    assert!(matches!(
        forged(|b| b.kind = LooseKind::Ranked {
            delta: 0,
            holders: vec![
                LooseBadge {
                    tier: 7,
                    ..b.clone()
                };
                1
            ]
        }),
        DecodeError::OutOfRange(_)
    ));
    assert!(matches!(
        forged(|b| {
            let inner = b.clone();
            b.next = Some(Box::new(LooseBadge { tier: 8, ..inner }));
        }),
        DecodeError::OutOfRange(_)
    ));
}

/// Types written by relative paths (`Badge` through a `use`, `super::..`)
/// are named from the generated modules too, and a type declared in a
/// nested module shadows a prelude name there only.
mod scoping {
    #[derive(Debug, Clone, PartialEq, tether::Replicable)]
    pub struct Medal {
        #[tether(range = "1..3")]
        pub tier: u8,
    }

    #[tether::protocol]
    pub mod paths {
        use super::Medal;

        #[remote(event, server -> client)]
        fn award(medal: Medal, again: super::Medal);

        pub mod shop {
            #[derive(Debug, Clone, PartialEq)]
            pub struct String {
                pub x: u8,
            }

            #[remote(event, server -> client)]
            fn inner(s: String);
        }

        #[remote(event, server -> client)]
        fn named(#[tether(max_len = 8)] name: String, offer: shop::String);
    }

    #[test]
    fn relative_extern_paths_and_nested_shadowing_compile_and_travel() {
        let server = paths::Server::new();
        let player = server.runtime().connect_player();
        let client = paths::Client::new();
        let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let log = seen.clone();
        let _award = client.award().connect(move |medal, again| {
            log.lock().unwrap().push((medal.tier, again.tier));
        });
        server
            .award()
            .fire_client(&player, Medal { tier: 1 }, Medal { tier: 3 })
            .unwrap();
        server
            .named()
            .fire_client(&player, "gg".to_string(), paths::shop::String { x: 7 })
            .unwrap();
        for (_, frame) in server.runtime().take_outgoing() {
            client.runtime().receive(&frame);
        }
        client.runtime().poll(std::time::Duration::ZERO);
        assert_eq!(*seen.lock().unwrap(), [(1, 3)]);
        assert_eq!(client.runtime().stats().rejected.total(), 0);
        // A tier outside 1..3 is refused by the extern type's own codec.
        assert!(server
            .award()
            .fire_client(&player, Medal { tier: 4 }, Medal { tier: 1 })
            .is_err());
    }
}

/// `rate(20/s, burst 5)` means what the schema's `@rate(20/s, burst 5)`
/// does: the front ends share the attribute's reading.
#[tether::protocol]
mod bursty {
    #[remote(event, client -> server)]
    #[tether(rate(20/s, burst 5))]
    fn step(n: u8);
}

#[test]
fn a_rates_burst_is_read_by_the_macros_as_by_schemas() {
    let rate = bursty::PROTOCOL.to_server[0].kind.rate();
    assert_eq!(
        rate,
        Some(Rate {
            count: 20,
            per: Duration::from_secs(1),
            burst: 5,
        })
    );
    let schema = tether_compiler::compile_str(
        "s.tether",
        "@rate(20/s, burst 5)\nremote event Step: client -> server (n: u8)",
    );
    assert_eq!(
        schema.schema.endpoints[0]
            .attrs
            .rate
            .as_ref()
            .map(|r| r.burst),
        Some(5)
    );
}
