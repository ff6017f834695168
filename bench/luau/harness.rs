//! Places of the mock Roblox engine (`tether-roblox-mock`) that run the
//! payloads of `schemas/payloads.tether` through Tether's generated Luau, the
//! Zap-style re-creation (`luau/zap_style/`) or no codec at all (the "raw"
//! system of `luau/driver.luau`), for `benches/luau.rs` and
//! `examples/luau_frames.rs`.

#![allow(dead_code)] // each includer uses its own part

use std::fmt::Write;
use std::path::{Path, PathBuf};

use tether_bench::{data, Message};
use tether_compiler::gen::luau::{generate, LuauOptions};
use tether_roblox_mock::mlua::{Function, Table};
use tether_roblox_mock::{ClientId, MockError, OutputKind, Place, Side};

/// One frame of a 60 Hz game loop.
pub const DT: f64 = 1.0 / 60.0;

fn bench_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A benchmarked message of `payloads.tether`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Payload {
    Chat,
    Move,
    Entities,
    RawEntities,
    Flags,
}

impl Payload {
    pub const ALL: [Payload; 5] = [
        Payload::Chat,
        Payload::Move,
        Payload::Entities,
        Payload::RawEntities,
        Payload::Flags,
    ];

    /// The payloads timed in the VM (the Zap-style modules have these four).
    pub const TIMED: [Payload; 4] = [
        Payload::Chat,
        Payload::Move,
        Payload::Entities,
        Payload::Flags,
    ];

    /// The remote event's name in both systems.
    pub fn name(self) -> &'static str {
        match self {
            Payload::Chat => "Chat",
            Payload::Move => "Move",
            Payload::Entities => "Entities",
            Payload::RawEntities => "RawEntities",
            Payload::Flags => "Flags",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Payload::Chat => "Chat(\"hello world\", Team)",
            Payload::Move => "Move(Vector3, CFrame, f32)",
            Payload::Entities => "100 entities (ranged u8)",
            Payload::RawEntities => "100 raw entities (u8)",
            Payload::Flags => "1,000 booleans",
        }
    }

    pub fn sent_by_client(self) -> bool {
        matches!(self, Payload::Chat | Payload::Move)
    }

    pub fn unreliable(self) -> bool {
        self == Payload::Move
    }

    /// Messages fired per step in the loops: enough that the step's own cost
    /// is a small share of the batch's.
    pub fn batch(self) -> usize {
        match self {
            Payload::Chat | Payload::Move => 1_000,
            Payload::Entities | Payload::RawEntities | Payload::Flags => 100,
        }
    }

    /// The frame the Rust runtime sends for the payload's one message.
    pub fn rust_frame(self) -> Vec<u8> {
        match self {
            Payload::Chat => data::chat().tether.fire_through_runtime(),
            Payload::Move => data::movement().tether.fire_through_runtime(),
            Payload::Entities => data::entities().tether.fire_through_runtime(),
            Payload::RawEntities => data::raw_entities().tether.fire_through_runtime(),
            Payload::Flags => data::flags().tether.fire_through_runtime(),
        }
    }
}

/// What carries the payloads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum System {
    Tether,
    ZapStyle,
    /// Prebuilt bytes, batched and flushed like the others, not decoded.
    Raw,
}

impl System {
    pub fn name(self) -> &'static str {
        match self {
            System::Tether => "tether",
            System::ZapStyle => "zap-style",
            System::Raw => "raw",
        }
    }
}

/// The four modules of `tether gen luau`, named as ModuleScripts.
pub type Modules = Vec<(String, String)>;

/// The Luau that `tether gen luau schemas/payloads.tether` writes, unchanged.
pub fn tether_modules() -> Modules {
    let files = tether_compiler::build::generate_luau(bench_dir().join("schemas/payloads.tether"))
        .unwrap_or_else(|e| panic!("payloads.tether does not generate Luau: {e}"));
    modules(&files)
}

/// The Luau of `payloads.tether` for the timed loops, with two changes that
/// keep every message delivered without skipping any check: each `@rate` is
/// raised to 10^9 a second, and the runtime's cap of 500 messages a second
/// from one client is lifted (the benchmark sends hundreds of thousands). The
/// runtime also exports its frame decoder and receiver as `T.__bench`, for
/// the timings without a network.
pub fn tether_bench_modules() -> Modules {
    let mut text = String::new();
    let source = read(&bench_dir().join("schemas/payloads.tether"));
    let mut rest = source.as_str();
    let mut raised = 0;
    while let Some(at) = rest.find("@rate(") {
        let end = at + rest[at..].find(')').expect("a closed @rate") + 1;
        text.push_str(&rest[..at]);
        text.push_str("@rate(1000000000/s)");
        rest = &rest[end..];
        raised += 1;
    }
    text.push_str(rest);
    assert!(raised >= 2, "payloads.tether lost its @rate attributes");
    let compilation = tether_compiler::compile_str("payloads.tether", &text);
    assert!(
        !compilation.has_errors(),
        "payloads.tether with raised rates does not check"
    );
    let mut files = generate(
        &compilation.schema,
        &LuauOptions::default()
            .protocol_name("payloads")
            .source("bench/schemas/payloads.tether"),
    )
    .expect("payloads.tether generates Luau");

    let cap = "local CLIENT_MESSAGES_PER_SECOND =";
    let line = files
        .tether
        .lines()
        .find(|l| l.starts_with(cap))
        .unwrap_or_else(|| panic!("tether.luau no longer declares `{cap}`: update the harness"))
        .to_string();
    files.tether = files.tether.replacen(&line, &format!("{cap} math.huge"), 1);
    let end = files
        .tether
        .rfind("\nreturn T")
        .expect("tether.luau ends with `return T`");
    files.tether.insert_str(
        end,
        "\nT.__bench = { decodeFrame = decodeFrame, receive = receive, begin = begin }",
    );
    modules(&files)
}

fn modules(files: &tether_compiler::gen::luau::LuauFiles) -> Modules {
    files
        .files()
        .iter()
        .map(|(name, text)| (name.trim_end_matches(".luau").to_string(), text.to_string()))
        .collect()
}

/// A Luau number literal that reads back as exactly `x`.
fn num(x: f32) -> String {
    format!("{:?}", f64::from(x))
}

/// `ReplicatedStorage.Bench.data`: the payloads of `tether_bench::data`
/// as Luau values, keyed by [`Payload::name`].
pub fn data_module() -> String {
    let mut out = String::from("return {\n");
    let chat = data::chat().mirror;
    let team = format!("{:?}", chat.channel);
    let _ = writeln!(
        out,
        "\tChat = {{ message = {:?}, channel = {team:?} }},",
        chat.message
    );
    let m = data::movement().mirror;
    let v3 = |v: &tether_bench::mirror::Vector3| {
        format!("Vector3.new({}, {}, {})", num(v.x), num(v.y), num(v.z))
    };
    let rows: Vec<String> = m
        .look
        .orientation
        .iter()
        .flat_map(|r| [num(r.x), num(r.y), num(r.z)])
        .collect();
    let p = &m.look.position;
    let _ = writeln!(
        out,
        "\tMove = {{ position = {}, look = CFrame.new({}, {}, {}, {}), speed = {} }},",
        v3(&m.position),
        num(p.x),
        num(p.y),
        num(p.z),
        rows.join(", "),
        num(m.speed)
    );
    for (name, list) in [
        ("Entities", data::entities().mirror.list),
        ("RawEntities", data::raw_entities().mirror.list),
    ] {
        let _ = writeln!(out, "\t{name} = {{");
        for e in list {
            let _ = writeln!(
                out,
                "\t\t{{ Health = {}, Armor = {}, Ammo = {}, Team = {}, State = {}, Level = {} }},",
                e.health, e.armor, e.ammo, e.team, e.state, e.level
            );
        }
        out.push_str("\t},\n");
    }
    let flags: Vec<&str> = data::flags()
        .mirror
        .bits
        .iter()
        .map(|&b| if b { "true" } else { "false" })
        .collect();
    let _ = writeln!(out, "\tFlags = {{ {} }},", flags.join(", "));
    out.push_str("}\n");
    out
}

/// A place with one server and one client, the system's modules installed
/// and the driver (`luau/driver.luau`) required on both sides as
/// `_G.bench`.
pub struct Bench {
    pub place: Place,
    pub client: ClientId,
    pub system: System,
}

impl Bench {
    /// `tether` gives the Tether modules (ignored by the other systems).
    pub fn new(system: System, tether: &Modules) -> Result<Bench, MockError> {
        let mut place = Place::new()?;
        let dir = bench_dir().join("luau");
        match system {
            System::Tether => {
                let borrowed: Vec<(&str, &str)> = tether
                    .iter()
                    .map(|(name, text)| (name.as_str(), text.as_str()))
                    .collect();
                place.install_modules("ReplicatedStorage.Net", &borrowed)?;
            }
            System::ZapStyle => {
                let server = read(&dir.join("zap_style/server.luau"));
                let client = read(&dir.join("zap_style/client.luau"));
                place.install_modules(
                    "ReplicatedStorage.ZapModules",
                    &[("server", &server), ("client", &client)],
                )?;
            }
            System::Raw => {}
        }
        let driver = read(&dir.join("driver.luau"));
        let data = data_module();
        place.install_modules(
            "ReplicatedStorage.Bench",
            &[("driver", &driver), ("data", &data)],
        )?;
        let client = place.add_client("Bench")?;
        let start = format!(
            "_G.bench = require(game.ReplicatedStorage.Bench.driver)({:?})",
            system.name()
        );
        place.run(Side::Server, &start)?;
        place.step(DT)?;
        place.run(Side::Client(client), &start)?;
        place.step_n(2, DT)?;
        let mut bench = Bench {
            place,
            client,
            system,
        };
        for side in [Side::Server, Side::Client(client)] {
            let ready: bool = bench.place.eval_as(side, "_G.bench ~= nil")?;
            assert!(
                ready,
                "{}: the driver did not start on {side:?}",
                system.name()
            );
        }
        bench.assert_clean();
        Ok(bench)
    }

    pub fn sender(&self, payload: Payload) -> Side {
        if payload.sent_by_client() {
            Side::Client(self.client)
        } else {
            Side::Server
        }
    }

    pub fn receiver(&self, payload: Payload) -> Side {
        if payload.sent_by_client() {
            Side::Server
        } else {
            Side::Client(self.client)
        }
    }

    /// `fire(n)`: n messages through the sending side's public API.
    pub fn fire(&mut self, payload: Payload) -> Result<Function, MockError> {
        let side = self.sender(payload);
        self.place
            .eval_as(side, &format!("_G.bench.fire.{}", payload.name()))
    }

    /// How many times the receiving side's handler ran.
    pub fn count(&mut self, payload: Payload) -> Result<u64, MockError> {
        let side = self.receiver(payload);
        let n: f64 = self
            .place
            .eval_as(side, &format!("_G.bench.counts.{}", payload.name()))?;
        Ok(n as u64)
    }

    /// One step of the loop: `n` messages fired, then a step (which delivers
    /// the previous step's frames and flushes this one's on Heartbeat).
    pub fn cycle(&mut self, fire: &Function, n: usize) -> Result<(), MockError> {
        fire.call::<()>(n)?;
        self.place.step(DT)
    }

    /// The frames that arrive on the receiving side's remote when `n`
    /// messages are fired in one step.
    pub fn capture(&mut self, payload: Payload, n: usize) -> Result<Vec<Vec<u8>>, MockError> {
        let receiver = self.receiver(payload);
        self.place
            .eval_as::<()>(receiver, &format!("_G.bench.record({:?})", payload.name()))?;
        let fire = self.fire(payload)?;
        fire.call::<()>(n)?;
        self.place.step_n(2, DT)?;
        let frames: Table = self.place.eval_as(receiver, "_G.bench.recorded()")?;
        let frames = frames
            .sequence_values::<tether_roblox_mock::mlua::LuaString>()
            .map(|s| s.map(|s| s.as_bytes().to_vec()))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(frames)
    }

    /// Fires a batch, steps until it is delivered and checks that the
    /// handler ran once a message, with no script error on either side.
    pub fn verify(&mut self, payload: Payload) -> Result<(), MockError> {
        let n = payload.batch();
        let before = self.count(payload)?;
        let fire = self.fire(payload)?;
        fire.call::<()>(n)?;
        self.place.step_n(3, DT)?;
        let got = self.count(payload)? - before;
        assert_eq!(
            got,
            n as u64,
            "{} {}: {n} fired, {got} handled",
            self.system.name(),
            payload.name()
        );
        self.assert_clean();
        Ok(())
    }

    /// A closure of the receiving VM that decodes `frame` `times` times (no
    /// handler runs), or with `handlers` decodes and runs the handler of
    /// each message, without a network; None when the system has no such
    /// entry point.
    pub fn decoding(
        &mut self,
        payload: Payload,
        frame: &[u8],
        times: usize,
        handlers: bool,
    ) -> Result<Option<Function>, MockError> {
        let side = self.receiver(payload);
        if self.system == System::Tether {
            let exported: bool = self.place.eval_as(
                side,
                "require(game.ReplicatedStorage.Net.tether).__bench.decodeFrame ~= nil",
            )?;
            if !exported {
                return Ok(None);
            }
        }
        let entry = if handlers { "receiver" } else { "decoder" };
        let make: Function = self.place.eval_as(side, &format!("_G.bench.{entry}"))?;
        let bytes = self.place.lua(side)?.create_string(frame)?;
        Ok(Some(make.call((payload.name(), bytes, times))?))
    }

    /// Raw system: the message both sides copy and count, after what is in
    /// flight (counted by the previous message) has arrived.
    pub fn set_message(&mut self, payload: Payload, bytes: &[u8]) -> Result<(), MockError> {
        self.place.step_n(2, DT)?;
        for side in [Side::Server, Side::Client(self.client)] {
            let set: Function = self.place.eval_as(side, "_G.bench.setMessage")?;
            let bytes = self.place.lua(side)?.create_string(bytes)?;
            set.call::<()>((payload.name(), bytes))?;
        }
        Ok(())
    }

    /// Panics on a script error or warning on either side.
    pub fn assert_clean(&self) {
        for side in [Side::Server, Side::Client(self.client)] {
            let errors = self.place.script_errors(side).expect("the side exists");
            assert!(
                errors.is_empty(),
                "{}: script errors on {side:?}: {errors:#?}",
                self.system.name()
            );
            let warnings: Vec<_> = self
                .place
                .output(side)
                .expect("the side exists")
                .into_iter()
                .filter(|l| l.kind == OutputKind::Warn)
                .collect();
            assert!(
                warnings.is_empty(),
                "{}: warnings on {side:?}: {warnings:#?}",
                self.system.name()
            );
        }
    }
}
