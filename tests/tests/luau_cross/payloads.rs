//! The wire benchmark's payloads (`bench/schemas/payloads.tether`, data as
//! `bench/src/lib.rs` builds it): the Luau frame of each is byte for byte
//! the Rust runtime's, of the size docs/benchmarks.md gives, and each side
//! decodes the other's.

use std::path::Path;

use std::time::Duration;
use tether_roblox_mock::Side;
use tether_runtime::types::{CFrame, Matrix3, Vector3};

use tether_runtime::{Channel, Packet};

use super::case::hex;
use super::harness::{Cross, Frame, DT};
use super::lv::{Lv, ToLv};

mod p {
    tether::include_schema!("../../../bench/schemas/payloads.tether");
}

impl ToLv for p::Entity {
    fn lv(&self) -> Lv {
        Lv::record([
            ("Health", self.health.lv()),
            ("Armor", self.armor.lv()),
            ("Ammo", self.ammo.lv()),
            ("Team", self.team.lv()),
            ("State", self.state.lv()),
            ("Level", self.level.lv()),
        ])
    }
}

impl ToLv for p::RawEntity {
    fn lv(&self) -> Lv {
        Lv::record([
            ("Health", self.health.lv()),
            ("Armor", self.armor.lv()),
            ("Ammo", self.ammo.lv()),
            ("Team", self.team.lv()),
            ("State", self.state.lv()),
            ("Level", self.level.lv()),
        ])
    }
}

/// bench/src/lib.rs's xorshift64, so the data is the benchmark's.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn range(&mut self, lo: u8, hi: u8) -> u8 {
        let span = u64::from(hi - lo) + 1;
        lo + (self.next_u64() % span) as u8
    }
}

/// Six bytes per entity: the ranged ones (`entities`) or uniform ones.
fn entity_bytes(ranged: bool) -> Vec<[u8; 6]> {
    let mut rng = Rng(0x5EED_0000_E171_7135);
    (0..100)
        .map(|_| {
            if ranged {
                [
                    rng.range(0, 100),
                    rng.range(0, 100),
                    rng.range(0, 255),
                    rng.range(0, 3),
                    rng.range(0, 7),
                    rng.range(1, 60),
                ]
            } else {
                std::array::from_fn(|_| rng.range(0, 255))
            }
        })
        .collect()
}

fn entities() -> Vec<p::Entity> {
    entity_bytes(true)
        .into_iter()
        .map(|[health, armor, ammo, team, state, level]| p::Entity {
            health,
            armor,
            ammo,
            team,
            state,
            level,
        })
        .collect()
}

fn raw_entities() -> Vec<p::RawEntity> {
    entity_bytes(false)
        .into_iter()
        .map(|[health, armor, ammo, team, state, level]| p::RawEntity {
            health,
            armor,
            ammo,
            team,
            state,
            level,
        })
        .collect()
}

fn flags() -> Vec<bool> {
    let mut rng = Rng(0xF1A6_5000_0000_0001);
    (0..1000).map(|_| rng.next_u64() % 100 < 50).collect()
}

/// The benchmark's move: a look CFrame turned 30° about Y, pitched 10° down.
fn movement() -> (Vector3, CFrame, f32) {
    let (yaw, pitch) = (30f32.to_radians(), (-10f32).to_radians());
    let (sy, cy, sp, cp) = (yaw.sin(), yaw.cos(), pitch.sin(), pitch.cos());
    let orientation = Matrix3::new(
        Vector3::new(cy, sy * sp, sy * cp),
        Vector3::new(0.0, cp, -sp),
        Vector3::new(-sy, cy * sp, cy * cp),
    );
    let position = Vector3::new(120.5, 3.25, -48.75);
    let look = CFrame::new(Vector3::new(120.5, 3.25 + 1.5, -48.75), orientation);
    (position, look, 16.0)
}

/// The size docs/benchmarks.md gives a payload: the second column of the
/// row whose label starts with `label`.
fn documented_size(label: &str) -> usize {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/benchmarks.md");
    let doc = std::fs::read_to_string(&path).expect("docs/benchmarks.md");
    let row = doc
        .lines()
        .find(|l| l.starts_with(&format!("| {label}")))
        .unwrap_or_else(|| panic!("docs/benchmarks.md has no row `{label}`"));
    let cell = row.split('|').nth(2).expect("a size column").trim();
    cell.replace(',', "").parse().expect("a size")
}

fn client_frame(fire: impl FnOnce(&p::Client)) -> (Channel, Vec<u8>) {
    let client = p::Client::new();
    fire(&client);
    let mut packets = client.runtime().take_packets();
    assert_eq!(packets.len(), 1, "one message, one packet");
    let packet = packets.remove(0);
    assert!(packet.instances.is_empty());
    (packet.channel, packet.bytes)
}

fn server_frame(fire: impl FnOnce(&p::Server, &tether_runtime::Player)) -> Vec<u8> {
    let server = p::Server::new();
    let player = server.runtime().connect_player();
    fire(&server, &player);
    let mut frames = server.runtime().take_outgoing();
    assert_eq!(frames.len(), 1, "one message, one frame");
    frames.remove(0).1
}

fn one(frames: Vec<Frame>, unreliable: bool) -> Vec<u8> {
    assert_eq!(frames.len(), 1, "{frames:?}");
    assert_eq!(frames[0].unreliable, unreliable);
    assert!(frames[0].instances.is_empty());
    frames[0].bytes.clone()
}

fn payloads() -> Cross {
    let mut cross = Cross::new("../bench/schemas/payloads.tether", "payloads");
    cross.intercept_client_frames();
    cross
}

/// What the Luau client fires: the frame the server would get.
fn luau_client_sends(cross: &mut Cross, chunk: &str, unreliable: bool) -> Vec<u8> {
    let client = cross.client_side();
    cross
        .eval::<()>(client, chunk)
        .unwrap_or_else(|e| panic!("{e}"));
    cross.place.step_n(2, DT).expect("steps");
    one(cross.take_server_frames(), unreliable)
}

#[test]
fn chat_is_the_same_13_bytes_both_ways() {
    let mut cross = payloads();
    let (channel, rust) = client_frame(|c| {
        c.chat()
            .fire_server("hello world".to_string(), p::Team::Blue)
            .expect("sends");
    });
    assert_eq!(channel, Channel::Reliable);
    let luau = luau_client_sends(
        &mut cross,
        r#"X.Net.Chat:FireServer("hello world", "Blue")"#,
        false,
    );
    assert_eq!(hex(&luau), hex(&rust));
    assert_eq!(luau.len(), documented_size("`Chat(\"hello world\", Team)`"));
    assert_eq!(luau.len(), 13);

    cross.fire_to_server(false, &rust, &[]);
    cross
        .expect_args(
            Side::Server,
            "Chat",
            &[Lv::str("hello world"), Lv::str("Blue")],
        )
        .unwrap_or_else(|e| panic!("{e}"));
}

/// The one unreliable payload: a datagram of its own on the
/// UnreliableRemoteEvent, both ways.
#[test]
fn move_is_the_same_35_byte_datagram_both_ways() {
    let mut cross = payloads();
    let (position, look, speed) = movement();
    let (channel, rust) = client_frame(|c| {
        c.r#move()
            .fire_server(position, look, speed)
            .expect("sends");
    });
    assert_eq!(channel, Channel::Unreliable);
    let args = [position.lv(), look.lv(), speed.lv()];
    let source: Vec<String> = args.iter().map(|a| cross.render(a, false, true)).collect();
    let luau = luau_client_sends(
        &mut cross,
        &format!("X.Net.Move:FireServer({})", source.join(", ")),
        true,
    );
    assert_eq!(hex(&luau), hex(&rust));
    assert_eq!(luau.len(), documented_size("`Move(Vector3, CFrame, f32)`"));
    assert_eq!(luau.len(), 35);

    cross.fire_to_server(true, &rust, &[]);
    let decoded = {
        let mut r = tether_runtime::wire::Reader::new(&rust);
        r.start_message();
        assert_eq!(
            r.bits(1),
            Ok(1),
            "Move is the second client → server message"
        );
        let spec = &p::PROTOCOL.to_server[1];
        let payload = (spec.decode)(&mut r).expect("decodes");
        *payload
            .downcast::<(Vector3, CFrame, f32)>()
            .expect("Move's parameters")
    };
    cross
        .expect_args(
            Side::Server,
            "Move",
            &[decoded.0.lv(), decoded.1.lv(), decoded.2.lv()],
        )
        .unwrap_or_else(|e| panic!("{e}"));
}

/// A server → client payload: the Luau server's frame against the Rust
/// server's, and each decoded by the Luau client.
fn server_payload(event: &str, label: &str, size: usize, rust: Vec<u8>, value: Lv) {
    let mut cross = payloads();
    let source = cross.render(&value, false, false);
    cross
        .server_sends(&format!(
            "X.Net.{event}:FireClient(game.Players.Alice, {source})"
        ))
        .unwrap_or_else(|e| panic!("{e}"));
    let luau = one(cross.take_client_frames(), false);
    assert_eq!(hex(&luau), hex(&rust), "{event}");
    assert_eq!(luau.len(), documented_size(label), "{event}");
    assert_eq!(luau.len(), size, "{event}");
    cross
        .expect_on_client(event, &value)
        .unwrap_or_else(|e| panic!("Luau to Luau: {e}"));

    cross.fire_to_client(false, &rust, &[]);
    cross
        .expect_on_client(event, &value)
        .unwrap_or_else(|e| panic!("Rust to Luau: {e}"));
    assert_eq!(cross.rejected(cross.client_side()), 0);
}

#[test]
fn a_hundred_ranged_entities_are_the_same_414_bytes() {
    let list = entities();
    let rust = server_frame(|s, player| {
        s.entities()
            .fire_client(player, list.clone())
            .expect("sends");
    });
    server_payload(
        "Entities",
        "100 entities, six `u8` with declared ranges",
        414,
        rust,
        list.lv(),
    );
}

#[test]
fn a_hundred_uniform_entities_are_the_same_602_bytes() {
    let list = raw_entities();
    let rust = server_frame(|s, player| {
        s.raw_entities()
            .fire_client(player, list.clone())
            .expect("sends");
    });
    server_payload(
        "RawEntities",
        "100 entities, six uniform `u8`",
        602,
        rust,
        list.lv(),
    );
}

#[test]
fn a_thousand_booleans_are_the_same_127_bytes() {
    let bits = flags();
    let rust = server_frame(|s, player| {
        s.flags().fire_client(player, bits.clone()).expect("sends");
    });
    server_payload("Flags", "1,000 booleans", 127, rust, bits.lv());
}

/// A reliable event in a datagram is refused by the receiver, Rust or
/// Luau.
#[test]
fn a_reliable_event_on_the_unreliable_remote_is_refused_by_both() {
    let mut cross = payloads();
    let client = cross.client_side();
    let flags = server_frame(|s, player| {
        s.flags().fire_client(player, vec![true]).expect("sends");
    });
    let rust_client = p::Client::new();
    rust_client.runtime().receive_packet(&Packet {
        channel: Channel::Unreliable,
        bytes: flags.clone(),
        instances: Vec::new(),
    });
    rust_client.runtime().poll(Duration::ZERO);
    assert_eq!(rust_client.runtime().stats().rejected.not_unreliable, 1);
    assert_eq!(rust_client.runtime().stats().messages_received, 0);
    let before = cross.rejected(client);
    cross.fire_to_client(true, &flags, &[]);
    assert_eq!(cross.rejected(client), before + 1);
    assert!(cross.take_events(client).is_empty());
}

/// An @unreliable event in a reliable frame (section 7): both servers
/// refuse it.
#[test]
fn an_unreliable_event_in_a_reliable_frame_is_refused_by_both() {
    let mut cross = payloads();
    let (_, movement) = client_frame(|c| {
        let (position, look, speed) = movement();
        c.r#move()
            .fire_server(position, look, speed)
            .expect("sends");
    });
    let before = cross.rejected(Side::Server);
    cross.fire_to_server(false, &movement, &[]);
    assert_eq!(cross.rejected(Side::Server), before + 1, "Luau");
    assert!(cross.take_events(Side::Server).is_empty());

    let rust_server = p::Server::new();
    let player = rust_server.runtime().connect_player();
    rust_server.runtime().receive_packet(
        &player,
        &Packet {
            channel: Channel::Reliable,
            bytes: movement,
            instances: Vec::new(),
        },
    );
    rust_server.runtime().poll(Duration::ZERO);
    assert_eq!(
        rust_server.runtime().stats().rejected.unreliable_in_frame,
        1,
        "Rust"
    );
}
