//! Payloads and codecs shared by the wire benchmark (`benches/wire.rs`) and
//! the size table (`examples/sizes.rs`), and the synthetic schemas of the
//! checker benchmark (`benches/check.rs`) and `examples/big_schema.rs`.
//!
//! Each payload exists twice, holding the same data: as the Rust types that
//! Tether generates from `schemas/payloads.tether` ([`payloads`]), and as
//! hand-written mirror structs deriving serde and bitcode ([`mirror`]). A
//! [`Case`] pairs the two and knows how to encode, decode and measure each.
//!
//! Tether bytes are whole messages: the 1-byte message id, then the body
//! (`docs/wire-format.md`, section 6). The other codecs encode the bare
//! struct.
#![forbid(unsafe_code)]

use std::fmt::Debug;
use std::hint::black_box;

use serde::de::DeserializeOwned;
use serde::Serialize;
use tether_runtime::wire::{Decode, Encode, Reader, Writer};
use tether_runtime::Direction;

/// The Rust generated from `schemas/payloads.tether`, plus the glue that
/// ties each benchmarked message to its record type ([`Message`]).
pub mod synthetic;

/// Where criterion writes its results: `$CRITERION_HOME`, else
/// `<target dir>/criterion` (a bench binary is `<target>/<profile>/deps/`).
fn criterion_dir() -> Option<std::path::PathBuf> {
    if let Some(home) = std::env::var_os("CRITERION_HOME") {
        return Some(home.into());
    }
    if let Some(target) = std::env::var_os("CARGO_TARGET_DIR") {
        return Some(std::path::PathBuf::from(target).join("criterion"));
    }
    let exe = std::env::current_exe().ok()?;
    Some(exe.parent()?.parent()?.parent()?.join("criterion"))
}

/// Criterion's typical estimate in ns (the slope, else the mean) of the
/// benchmark `id` (`group/function/parameter`), if the run begun at `since`
/// measured it, for the benches that print a table of their results.
pub fn criterion_estimate(id: &str, since: std::time::SystemTime) -> Option<f64> {
    let file = criterion_dir()?.join(id).join("new/estimates.json");
    if file.metadata().ok()?.modified().ok()? < since {
        return None; // left by an earlier run (filtered out of this one)
    }
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(file).ok()?).ok()?;
    let typical = match &json["slope"] {
        serde_json::Value::Null => &json["mean"],
        slope => slope,
    };
    typical["point_estimate"].as_f64()
}

pub mod payloads {
    include!(concat!(env!("OUT_DIR"), "/payloads.rs"));

    /// Implements [`Message`](crate::Message) for a body record: its message
    /// id, the parameter tuple its protocol decoder yields, and a call of the
    /// generated message body encoder (the one `fire_server`/`fire_client`
    /// run), which lives in the private `__tether` module of this file.
    macro_rules! message {
        (
            $body:ident = $name:literal, $direction:ident, $id:literal,
            $encoder:ident ( $($field:ident: $ty:ty),* ),
            fire: |$msg:ident| $fire:expr
        ) => {
            message!(
                $body = $name, $direction, $id,
                $encoder($($field: $ty),*),
                fire: |$msg| $fire,
                same: |a, b| a == b
            );
        };
        (
            $body:ident = $name:literal, $direction:ident, $id:literal,
            $encoder:ident ( $($field:ident: $ty:ty),* ),
            fire: |$msg:ident| $fire:expr,
            same: |$a:ident, $b:ident| $same:expr
        ) => {
            impl crate::Message for $body {
                const NAME: &'static str = $name;
                const DIRECTION: ::tether_runtime::Direction =
                    ::tether_runtime::Direction::$direction;
                const ID: u8 = $id;
                type Args = ($($ty,)*);

                type Body = __tether::$encoder;

                fn to_args(&self) -> Self::Args {
                    ($(::core::clone::Clone::clone(&self.$field),)*)
                }

                fn from_args(args: Self::Args) -> Self {
                    let ($($field,)*) = args;
                    Self { $($field),* }
                }

                fn fire_through_runtime(&self) -> ::std::vec::Vec<u8> {
                    let $msg = self.clone();
                    $fire
                }

                fn same_after_round_trip(&self, decoded: &Self) -> bool {
                    let ($a, $b) = (self, decoded);
                    $same
                }
            }
        };
    }

    /// The one frame a fresh client sends after one `fire_server`.
    fn client_frame(fire: impl FnOnce(&Client)) -> Vec<u8> {
        let client = Client::new();
        fire(&client);
        let mut frames = client.runtime().take_outgoing();
        assert_eq!(frames.len(), 1, "one message, one frame");
        frames.remove(0)
    }

    /// The one frame a server sends to its one player after one `fire_client`.
    fn server_frame(fire: impl FnOnce(&Server, &::tether_runtime::Player)) -> Vec<u8> {
        let server = Server::new();
        let player = server.runtime().connect_player();
        fire(&server, &player);
        let mut frames = server.runtime().take_outgoing();
        assert_eq!(frames.len(), 1, "one message, one frame");
        frames.remove(0).1
    }

    message!(
        ChatBody = "Chat", ToServer, 0,
        ToServer0(message: String, channel: Team),
        fire: |m| client_frame(|c| c.chat().fire_server(m.message, m.channel).unwrap())
    );
    message!(
        MoveBody = "Move", ToServer, 1,
        ToServer1(
            position: ::tether_runtime::types::Vector3,
            look: ::tether_runtime::types::CFrame,
            speed: f32
        ),
        fire: |m| client_frame(|c| c.r#move().fire_server(m.position, m.look, m.speed).unwrap()),
        // The CFrame rotation is quantized (16 bits a component): compare it
        // within 1e-4, everything else exactly.
        same: |a, b| {
            let close = |x: f32, y: f32| (x - y).abs() < 1e-4;
            let rows = |m: &::tether_runtime::types::Matrix3| [m.x, m.y, m.z];
            a.position == b.position
                && a.speed == b.speed
                && a.look.position == b.look.position
                && rows(&a.look.orientation)
                    .iter()
                    .zip(rows(&b.look.orientation).iter())
                    .all(|(r, s)| close(r.x, s.x) && close(r.y, s.y) && close(r.z, s.z))
        }
    );
    message!(
        EntitiesBody = "Entities", ToClient, 0,
        ToClient0(list: Vec<Entity>),
        fire: |m| server_frame(|s, p| s.entities().fire_client(p, m.list).unwrap())
    );
    message!(
        RawEntitiesBody = "RawEntities", ToClient, 1,
        ToClient1(list: Vec<RawEntity>),
        fire: |m| server_frame(|s, p| s.raw_entities().fire_client(p, m.list).unwrap())
    );
    message!(
        FlagsBody = "Flags", ToClient, 2,
        ToClient2(bits: Vec<bool>),
        fire: |m| server_frame(|s, p| s.flags().fire_client(p, m.bits).unwrap())
    );
    message!(
        InventoryBody = "InventorySnapshot", ToClient, 3,
        ToClient3(inventory: Inventory),
        fire: |m| server_frame(|s, p| s.inventory_snapshot().fire_client(p, m.inventory).unwrap())
    );
}

/// The same payloads as plain structs for serde (postcard, bitcode's serde
/// mode) and bitcode's native derive. Roblox datatypes become their
/// components: a `CFrame` is its position and full rotation matrix (what
/// `rbx_types::CFrame` holds; Tether alone quantizes the rotation).
pub mod mirror {
    use serde::{Deserialize, Serialize};

    macro_rules! mirror {
        ($($item:item)*) => {
            $(
                #[derive(
                    Debug, Clone, PartialEq, Serialize, Deserialize, bitcode::Encode, bitcode::Decode,
                )]
                $item
            )*
        };
    }

    mirror! {
        pub enum Team { Red, Blue, Green, Spectator }

        pub struct Chat { pub message: String, pub channel: Team }

        pub struct Vector3 { pub x: f32, pub y: f32, pub z: f32 }

        pub struct CFrame { pub position: Vector3, pub orientation: [Vector3; 3] }

        pub struct Move { pub position: Vector3, pub look: CFrame, pub speed: f32 }

        pub struct Entity {
            pub health: u8,
            pub armor: u8,
            pub ammo: u8,
            pub team: u8,
            pub state: u8,
            pub level: u8,
        }

        pub struct Entities { pub list: Vec<Entity> }

        pub struct Flags { pub bits: Vec<bool> }

        pub enum Rarity { Common, Uncommon, Rare, Epic, Legendary }

        pub struct Color3 { pub r: f32, pub g: f32, pub b: f32 }

        pub struct Enchant { pub name: String, pub level: u8 }

        pub struct ItemStack {
            pub id: u16,
            pub name: String,
            pub rarity: Rarity,
            pub count: u16,
            pub durability: Option<u8>,
            pub enchants: Vec<Enchant>,
            pub tint: Option<Color3>,
        }

        pub struct Inventory {
            pub owner: String,
            pub gold: u32,
            pub slots: Vec<ItemStack>,
            pub hotbar: Vec<u8>,
            pub equipped: Option<ItemStack>,
            /// `DateTime`: Unix milliseconds.
            pub saved: i64,
        }

        pub struct InventorySnapshot { pub inventory: Inventory }
    }
}

/// A benchmarked Tether message: a body record of `payloads.tether` that
/// mirrors the parameters of one remote event.
pub trait Message: Encode + Decode + Clone + PartialEq + Debug + 'static {
    /// The remote event's name in the protocol table.
    const NAME: &'static str;
    const DIRECTION: Direction;
    /// The message id (checked against the protocol by [`check_protocol`]).
    const ID: u8;
    /// The parameter tuple the protocol's decoder boxes.
    type Args: 'static;
    /// The generated message type whose body codec the runtime runs.
    type Body: tether_runtime::__private::Message<Args = Self::Args>;

    /// The parameters as the generated message encoder takes them.
    fn to_args(&self) -> Self::Args;
    fn from_args(args: Self::Args) -> Self;
    /// The bytes the generated remote handle sends for this value
    /// (`fire_server`/`fire_client` through a fresh runtime).
    fn fire_through_runtime(&self) -> Vec<u8>;

    /// Whether `decoded` is what encoding `self` should give back.
    fn same_after_round_trip(&self, decoded: &Self) -> bool;
}

/// Checks each message's id, direction and name against the generated
/// protocol table.
pub fn check_protocol<T: Message>() {
    let protocol = &payloads::PROTOCOL;
    let spec = protocol
        .message(T::DIRECTION, u16::from(T::ID))
        .unwrap_or_else(|| panic!("{}: no message {}", T::NAME, T::ID));
    assert_eq!(
        spec.name,
        T::NAME,
        "message id {} of {:?}",
        T::ID,
        T::DIRECTION
    );
}

/// The bits of a message id in `T`'s direction.
fn id_bits<T: Message>() -> u32 {
    payloads::PROTOCOL.id_bits(T::DIRECTION)
}

/// Tether through the generated `Encode`/`Decode` of the body record: the
/// fastest public path. One reused [`Writer`]; each message is `id, body`.
#[derive(Default)]
pub struct TetherCodec {
    w: Writer,
}

impl TetherCodec {
    pub fn encode<T: Message>(&mut self, value: &T) -> &[u8] {
        self.w.clear();
        self.w.start_message();
        self.w.bits(u32::from(T::ID), id_bits::<T>());
        value.encode(&mut self.w).expect("benchmark values encode");
        self.w.as_bytes()
    }

    pub fn decode<T: Message>(bytes: &[u8]) -> T {
        let mut r = Reader::new(bytes);
        r.start_message();
        let id = r.bits(id_bits::<T>()).expect("a message id");
        assert_eq!(id, u32::from(T::ID), "message id");
        let value = T::decode(&mut r).expect("benchmark bytes decode");
        r.finish().expect("one message");
        value
    }

    /// The message path of the runtime: the generated message type's body
    /// encoder over the parameter tuple, and the protocol table's decoder,
    /// which boxes the parameters as a [`Payload`](tether_runtime::Payload)
    /// that is then downcast.
    pub fn encode_as_runtime<T: Message>(&mut self, args: &T::Args) -> &[u8] {
        self.w.clear();
        self.w.start_message();
        self.w.bits(u32::from(T::ID), id_bits::<T>());
        tether_runtime::__private::encode_body::<T::Body>(args, &mut self.w)
            .expect("benchmark values encode");
        self.w.as_bytes()
    }

    pub fn decode_as_runtime<T: Message>(bytes: &[u8]) -> T {
        let protocol = &payloads::PROTOCOL;
        let mut r = Reader::new(bytes);
        r.start_message();
        let id = r.bits(id_bits::<T>()).expect("a message id");
        let spec = protocol
            .message(T::DIRECTION, id as u16)
            .expect("a known message");
        let payload = (spec.decode)(&mut r).expect("benchmark bytes decode");
        r.finish().expect("one message");
        let args = payload
            .downcast::<T::Args>()
            .expect("the message's parameters");
        T::from_args(*args)
    }
}

/// What the mirror structs need for every codec.
pub trait Mirror:
    Serialize + DeserializeOwned + bitcode::Encode + bitcode::DecodeOwned + Clone + PartialEq + Debug
{
}

impl<M> Mirror for M where
    M: Serialize
        + DeserializeOwned
        + bitcode::Encode
        + bitcode::DecodeOwned
        + Clone
        + PartialEq
        + Debug
{
}

/// bitcode's native derive, with reused buffers (its fastest mode).
#[derive(Default)]
pub struct BitcodeCodec {
    encoder: bitcode::Buffer,
    decoder: bitcode::Buffer,
}

impl BitcodeCodec {
    pub fn encode<M: Mirror>(&mut self, value: &M) -> &[u8] {
        self.encoder.encode(value)
    }

    pub fn round_trip<M: Mirror>(&mut self, value: &M) -> M {
        let bytes = self.encoder.encode(value);
        self.decoder
            .decode(black_box(bytes))
            .expect("bitcode decodes its own bytes")
    }
}

/// bitcode through serde (no reusable buffer in its serde API).
pub fn bitcode_serde_encode<M: Mirror>(value: &M) -> Vec<u8> {
    bitcode::serialize(value).expect("bitcode serializes")
}

pub fn bitcode_serde_decode<M: Mirror>(bytes: &[u8]) -> M {
    bitcode::deserialize(bytes).expect("bitcode deserializes its own bytes")
}

/// postcard into a reused buffer.
pub struct PostcardCodec {
    buf: Vec<u8>,
}

impl Default for PostcardCodec {
    fn default() -> Self {
        PostcardCodec {
            buf: vec![0; 16 * 1024],
        }
    }
}

impl PostcardCodec {
    pub fn encode<M: Mirror>(&mut self, value: &M) -> &[u8] {
        postcard::to_slice(value, &mut self.buf).expect("the buffer holds any payload here")
    }

    pub fn decode<M: Mirror>(bytes: &[u8]) -> M {
        postcard::from_bytes(bytes).expect("postcard decodes its own bytes")
    }
}

/// Encoded sizes of one payload, in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    /// The whole message: 1-byte id and body.
    pub tether: usize,
    pub bitcode: usize,
    pub bitcode_serde: usize,
    pub postcard: usize,
}

/// One payload: the same data as a Tether message and as a mirror struct.
pub struct Case<T, M> {
    pub name: &'static str,
    pub tether: T,
    pub mirror: M,
}

impl<T: Message, M: Mirror> Case<T, M> {
    pub fn sizes(&self) -> Sizes {
        Sizes {
            tether: TetherCodec::default().encode(&self.tether).len(),
            bitcode: BitcodeCodec::default().encode(&self.mirror).len(),
            bitcode_serde: bitcode_serde_encode(&self.mirror).len(),
            postcard: PostcardCodec::default().encode(&self.mirror).len(),
        }
    }

    /// Checks every codec round-trips the payload, and that the Tether bytes
    /// are exactly what the generated remote handle sends through the
    /// runtime. Panics otherwise.
    pub fn verify(&self) {
        check_protocol::<T>();
        let mut tether = TetherCodec::default();
        let bytes = tether.encode(&self.tether).to_vec();
        assert_eq!(
            bytes,
            self.tether.fire_through_runtime(),
            "{}: record encoding and the runtime's message differ",
            self.name
        );
        assert_eq!(
            tether.encode_as_runtime::<T>(&self.tether.to_args()),
            &bytes[..],
            "{}: record encoder and message encoder differ",
            self.name
        );
        let decoded: T = TetherCodec::decode(&bytes);
        assert!(
            self.tether.same_after_round_trip(&decoded),
            "{}: tether round trip: {decoded:?}",
            self.name
        );
        let decoded: T = TetherCodec::decode_as_runtime(&bytes);
        assert!(
            self.tether.same_after_round_trip(&decoded),
            "{}: tether protocol round trip",
            self.name
        );
        assert_eq!(
            BitcodeCodec::default().round_trip(&self.mirror),
            self.mirror,
            "{}: bitcode",
            self.name
        );
        let serde_bytes = bitcode_serde_encode(&self.mirror);
        assert_eq!(
            bitcode_serde_decode::<M>(&serde_bytes),
            self.mirror,
            "{}: bitcode serde",
            self.name
        );
        let mut postcard = PostcardCodec::default();
        let postcard_bytes = postcard.encode(&self.mirror).to_vec();
        assert_eq!(
            PostcardCodec::decode::<M>(&postcard_bytes),
            self.mirror,
            "{}: postcard",
            self.name
        );
    }
}

/// The benchmark data, deterministic. Each function returns one [`Case`].
pub mod data {
    use super::{mirror as m, payloads as p, Case};
    use tether_runtime::types as rbx;

    /// xorshift64, so every run sees the same values.
    pub struct Rng(pub u64);

    impl Rng {
        pub fn next_u64(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        /// A value in `lo..=hi`.
        pub fn range(&mut self, lo: u8, hi: u8) -> u8 {
            let span = u64::from(hi - lo) + 1;
            lo + (self.next_u64() % span) as u8
        }

        pub fn chance(&mut self, percent: u64) -> bool {
            self.next_u64() % 100 < percent
        }
    }

    fn team(t: &m::Team) -> p::Team {
        match t {
            m::Team::Red => p::Team::Red,
            m::Team::Blue => p::Team::Blue,
            m::Team::Green => p::Team::Green,
            m::Team::Spectator => p::Team::Spectator,
        }
    }

    fn vector3(v: &m::Vector3) -> rbx::Vector3 {
        rbx::Vector3::new(v.x, v.y, v.z)
    }

    fn cframe(c: &m::CFrame) -> rbx::CFrame {
        let [x, y, z] = &c.orientation;
        rbx::CFrame::new(
            vector3(&c.position),
            rbx::Matrix3::new(vector3(x), vector3(y), vector3(z)),
        )
    }

    /// `Chat("hello world", Blue)`.
    pub fn chat() -> Case<p::ChatBody, m::Chat> {
        let mirror = m::Chat {
            message: "hello world".to_string(),
            channel: m::Team::Blue,
        };
        let tether = p::ChatBody {
            message: mirror.message.clone(),
            channel: team(&mirror.channel),
        };
        Case {
            name: "chat",
            tether,
            mirror,
        }
    }

    /// A character moving: position, a look CFrame turned 30° about Y and
    /// pitched 10° down, and a speed.
    pub fn movement() -> Case<p::MoveBody, m::Move> {
        let (yaw, pitch) = (30f32.to_radians(), (-10f32).to_radians());
        let (sy, cy, sp, cp) = (yaw.sin(), yaw.cos(), pitch.sin(), pitch.cos());
        // R = Ry(yaw) * Rx(pitch), rows.
        let orientation = [
            m::Vector3 {
                x: cy,
                y: sy * sp,
                z: sy * cp,
            },
            m::Vector3 {
                x: 0.0,
                y: cp,
                z: -sp,
            },
            m::Vector3 {
                x: -sy,
                y: cy * sp,
                z: cy * cp,
            },
        ];
        let position = m::Vector3 {
            x: 120.5,
            y: 3.25,
            z: -48.75,
        };
        let mirror = m::Move {
            look: m::CFrame {
                position: m::Vector3 {
                    y: position.y + 1.5,
                    ..position.clone()
                },
                orientation,
            },
            position,
            speed: 16.0,
        };
        let tether = p::MoveBody {
            position: vector3(&mirror.position),
            look: cframe(&mirror.look),
            speed: mirror.speed,
        };
        Case {
            name: "move",
            tether,
            mirror,
        }
    }

    /// 100 entities of six `u8`, each field in a plausible range (health and
    /// armor 0..=100, team 0..=3, state 0..=7, level 1..=60), which the
    /// schema declares and bitcode's integer packing finds in the data.
    pub fn entities() -> Case<p::EntitiesBody, m::Entities> {
        let mut rng = Rng(0x5EED_0000_E171_7135);
        let list: Vec<m::Entity> = (0..100)
            .map(|_| m::Entity {
                health: rng.range(0, 100),
                armor: rng.range(0, 100),
                ammo: rng.range(0, 255),
                team: rng.range(0, 3),
                state: rng.range(0, 7),
                level: rng.range(1, 60),
            })
            .collect();
        let tether = p::EntitiesBody {
            list: list
                .iter()
                .map(|e| p::Entity {
                    health: e.health,
                    armor: e.armor,
                    ammo: e.ammo,
                    team: e.team,
                    state: e.state,
                    level: e.level,
                })
                .collect(),
        };
        Case {
            name: "entities",
            tether,
            mirror: m::Entities { list },
        }
    }

    /// 100 entities of six `u8`, every byte uniform in 0..=255: nothing for
    /// a schema or a packer to exploit.
    pub fn raw_entities() -> Case<p::RawEntitiesBody, m::Entities> {
        let mut rng = Rng(0x5EED_0000_E171_7135);
        let list: Vec<m::Entity> = (0..100)
            .map(|_| m::Entity {
                health: rng.range(0, 255),
                armor: rng.range(0, 255),
                ammo: rng.range(0, 255),
                team: rng.range(0, 255),
                state: rng.range(0, 255),
                level: rng.range(0, 255),
            })
            .collect();
        let tether = p::RawEntitiesBody {
            list: list
                .iter()
                .map(|e| p::RawEntity {
                    health: e.health,
                    armor: e.armor,
                    ammo: e.ammo,
                    team: e.team,
                    state: e.state,
                    level: e.level,
                })
                .collect(),
        };
        Case {
            name: "entities-uniform",
            tether,
            mirror: m::Entities { list },
        }
    }

    /// 1,000 booleans, each true with probability 1/2.
    pub fn flags() -> Case<p::FlagsBody, m::Flags> {
        let mut rng = Rng(0xF1A6_5000_0000_0001);
        let bits: Vec<bool> = (0..1000).map(|_| rng.chance(50)).collect();
        Case {
            name: "flags",
            tether: p::FlagsBody { bits: bits.clone() },
            mirror: m::Flags { bits },
        }
    }

    fn rarity(r: &m::Rarity) -> p::Rarity {
        match r {
            m::Rarity::Common => p::Rarity::Common,
            m::Rarity::Uncommon => p::Rarity::Uncommon,
            m::Rarity::Rare => p::Rarity::Rare,
            m::Rarity::Epic => p::Rarity::Epic,
            m::Rarity::Legendary => p::Rarity::Legendary,
        }
    }

    fn item(i: &m::ItemStack) -> p::ItemStack {
        p::ItemStack {
            id: i.id,
            name: i.name.clone(),
            rarity: rarity(&i.rarity),
            count: i.count,
            durability: i.durability,
            enchants: i
                .enchants
                .iter()
                .map(|e| p::Enchant {
                    name: e.name.clone(),
                    level: e.level,
                })
                .collect(),
            tint: i.tint.as_ref().map(|c| rbx::Color3::new(c.r, c.g, c.b)),
        }
    }

    /// An inventory snapshot: 12 stacks with names, rarities, optional
    /// durability, enchantments and tints; a hotbar; the equipped item; a
    /// save time.
    pub fn inventory() -> Case<p::InventoryBody, m::InventorySnapshot> {
        const NAMES: [&str; 12] = [
            "Iron Sword",
            "Health Potion",
            "Oak Plank",
            "Dragon Scale",
            "Arrow",
            "Leather Boots",
            "Mana Crystal",
            "Torch",
            "Golden Apple",
            "Steel Shield",
            "Rope",
            "Ancient Map",
        ];
        const ENCHANTS: [&str; 4] = ["Sharpness", "Fire Aspect", "Unbreaking", "Swift"];
        const RARITIES: [m::Rarity; 5] = [
            m::Rarity::Common,
            m::Rarity::Uncommon,
            m::Rarity::Rare,
            m::Rarity::Epic,
            m::Rarity::Legendary,
        ];
        let mut rng = Rng(0x1A7E_4701_0000_0042);
        let slots: Vec<m::ItemStack> = NAMES
            .iter()
            .enumerate()
            .map(|(i, name)| {
                let tool = i % 3 == 0;
                m::ItemStack {
                    id: 1000 + i as u16 * 37,
                    name: (*name).to_string(),
                    rarity: RARITIES[usize::from(rng.range(0, 4))].clone(),
                    count: if tool { 1 } else { u16::from(rng.range(1, 64)) },
                    durability: tool.then(|| rng.range(1, 100)),
                    enchants: (0..if tool { rng.range(0, 2) } else { 0 })
                        .map(|e| m::Enchant {
                            name: ENCHANTS[usize::from(e + rng.range(0, 2))].to_string(),
                            level: rng.range(1, 5),
                        })
                        .collect(),
                    tint: rng.chance(25).then_some(m::Color3 {
                        r: 0.8,
                        g: 0.2,
                        b: 0.1,
                    }),
                }
            })
            .collect();
        let mirror = m::InventorySnapshot {
            inventory: m::Inventory {
                owner: "Builderman_42".to_string(),
                gold: 12_345,
                equipped: Some(slots[0].clone()),
                slots,
                hotbar: vec![0, 3, 6, 9, 1, 2, 4, 5, 7],
                saved: 1_718_000_000_123,
            },
        };
        let inv = &mirror.inventory;
        let tether = p::InventoryBody {
            inventory: p::Inventory {
                owner: inv.owner.clone(),
                gold: inv.gold,
                slots: inv.slots.iter().map(item).collect(),
                hotbar: inv.hotbar.clone(),
                equipped: inv.equipped.as_ref().map(item),
                saved: rbx::DateTime::from_unix_millis(inv.saved),
            },
        };
        Case {
            name: "inventory",
            tether,
            mirror,
        }
    }
}

/// Runs `f` on every benchmarked [`Case`] in table order (with the uniform
/// entities only if `uniform_entities`).
#[macro_export]
macro_rules! for_each_case {
    ($uniform_entities:expr, |$case:ident| $body:expr) => {{
        {
            let $case = $crate::data::chat();
            $body
        }
        {
            let $case = $crate::data::movement();
            $body
        }
        {
            let $case = $crate::data::entities();
            $body
        }
        if $uniform_entities {
            let $case = $crate::data::raw_entities();
            $body
        }
        {
            let $case = $crate::data::flags();
            $body
        }
        {
            let $case = $crate::data::inventory();
            $body
        }
    }};
}
