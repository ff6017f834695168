//! A place running a schema's generated Luau, with a client whose scripts
//! capture what arrives, and the Rust end of the wire beside it: Rust frames
//! fired to the Luau client, Luau frames taken back for Rust.

use std::collections::HashMap;

use tether_roblox_mock::{mlua, ClientId, Firing, NetId, Place, Side, WireValue};
use tether_runtime::types::InstanceId;

use super::lv::{Lv, Scope};
use crate::luau;

pub const DT: f64 = 1.0 / 60.0;

/// How far a CFrame's rotation components as the Luau client decodes them
/// may be from Rust's decoding of the same bytes: both compute in binary64
/// from the same quantized components and round to binary32, so only the
/// last bit may differ.
pub const ROTATION_TOLERANCE: f64 = 1e-6;

/// The player's name, so that Luau finds it as `game.Players.Alice`.
const PLAYER: &str = "Alice";

const CROSS_LUAU: &str = include_str!("cross.luau");

/// Every chunk run on a side starts with this, for the helpers of `cross.luau`.
const PRELUDE: &str = "local X = require(game.ReplicatedStorage.Cross.cross)\n";

/// The instances the server makes for the tests, by name under their parent.
const INSTANCES: [(&str, &str, &str); 7] = [
    ("Part", "P1", "Workspace"),
    ("Part", "P2", "Workspace"),
    ("SpawnLocation", "Spawn", "Workspace"),
    ("Model", "M1", "Workspace"),
    ("Model", "M2", "Workspace"),
    ("Folder", "Box", "Workspace"),
    // Under ServerStorage: never replicated, so the client sees nil.
    ("Part", "Hidden", "ServerStorage"),
];

/// The instances of the place as the Rust side names them: an instance's
/// [`InstanceId`] is its NetId.
#[derive(Clone, Debug)]
pub struct Pool {
    /// Instances that are a `Part` (`IsA`): two Parts and a SpawnLocation.
    pub parts: Vec<InstanceId>,
    pub models: Vec<InstanceId>,
    /// A Folder: an instance of no class the schema names.
    pub folder: InstanceId,
    pub player: InstanceId,
    /// A Part the client cannot see.
    pub hidden: InstanceId,
    /// Luau expression of each instance, and whether the client sees it.
    paths: HashMap<InstanceId, (String, bool)>,
    /// Items of a few Roblox enums: (enum, item name, value).
    pub enum_items: Vec<(String, String, u32)>,
}

impl Pool {
    /// Every instance the client sees.
    pub fn visible(&self) -> Vec<InstanceId> {
        let mut all: Vec<InstanceId> = self
            .paths
            .iter()
            .filter(|(_, (_, visible))| *visible)
            .map(|(id, _)| *id)
            .collect();
        all.sort();
        all
    }

    /// The client's view of an instance list: absent what it cannot see.
    pub fn view(&self, ids: &[InstanceId]) -> Vec<Option<InstanceId>> {
        ids.iter()
            .map(|id| self.paths.get(id).filter(|(_, v)| *v).map(|_| *id))
            .collect()
    }

    fn expression(&self, id: InstanceId, client: bool) -> String {
        match self.paths.get(&id) {
            Some((path, visible)) if *visible || !client => path.clone(),
            Some(_) => "nil".to_string(),
            None => panic!("{id:?} is no instance of the place"),
        }
    }
}

/// A frame or datagram as it reached its receiver.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    pub unreliable: bool,
    pub bytes: Vec<u8>,
    /// The instance list as the receiver sees it.
    pub instances: Vec<Option<InstanceId>>,
}

pub struct Cross {
    pub place: Place,
    pub client: ClientId,
    pub pool: Pool,
    protocol: &'static str,
}

impl Cross {
    /// The place of `tests/schemas/types.tether`.
    pub fn types() -> Cross {
        Cross::new("schemas/types.tether", "types")
    }

    /// `schema` (relative to `tests/`) installed at `ReplicatedStorage.Net`,
    /// its server module running, one client with its client module, and
    /// scripts on both sides capturing every event the modules deliver.
    pub fn new(schema: &'static str, protocol: &'static str) -> Cross {
        let mut place = luau::place(schema);
        place
            .install_modules("ReplicatedStorage.Cross", &[("cross", CROSS_LUAU)])
            .expect("the helpers install");
        let mut setup = format!(
            "{PRELUDE}X.Net = require(game.ReplicatedStorage.Net.server)\n\
             X.T = require(game.ReplicatedStorage.Net.tether)\n\
             {CAPTURE_SERVER}\n"
        );
        for (class, name, parent) in INSTANCES {
            setup.push_str(&format!(
                "do local i = Instance.new({class:?}) i.Name = {name:?} i.Parent = game.{parent} end\n"
            ));
        }
        place.run(Side::Server, &setup).expect("the server starts");
        let client = place.add_client(PLAYER).expect("a client joins");
        place
            .run(Side::Client(client), &client_script(protocol))
            .expect("the client starts");
        place.step(DT).expect("a step");
        luau::assert_no_script_errors(&place, Side::Server);
        luau::assert_no_script_errors(&place, Side::Client(client));

        let mut paths = HashMap::new();
        let mut pool = Pool {
            parts: Vec::new(),
            models: Vec::new(),
            folder: InstanceId(0),
            player: InstanceId(0),
            hidden: InstanceId(0),
            paths: HashMap::new(),
            enum_items: Vec::new(),
        };
        for (class, name, parent) in INSTANCES {
            let path = format!("{parent}.{name}");
            let id = place
                .net_id(Side::Server, &path)
                .expect("the server side exists")
                .unwrap_or_else(|| panic!("{path} has a NetId"));
            let id = InstanceId(id.0);
            let visible = parent != "ServerStorage";
            paths.insert(id, (format!("game.{path}"), visible));
            match (class, name) {
                (_, "Hidden") => pool.hidden = id,
                ("Part" | "SpawnLocation", _) => pool.parts.push(id),
                ("Model", _) => pool.models.push(id),
                _ => pool.folder = id,
            }
        }
        let player = place.player_net_id(client).expect("the client exists");
        pool.player = InstanceId(player.0);
        paths.insert(pool.player, (format!("game.Players.{PLAYER}"), true));
        pool.paths = paths;
        let mut cross = Cross {
            place,
            client,
            pool,
            protocol,
        };
        cross.pool.enum_items = cross.enum_items();
        cross
    }

    fn enum_items(&mut self) -> Vec<(String, String, u32)> {
        let lua: mlua::Table = self
            .place
            .eval_as(
                Side::Server,
                r#"local out = {}
                for _, e in { "Material", "KeyCode", "PartType", "SortOrder" } do
                    for _, item in Enum[e]:GetEnumItems() do
                        table.insert(out, { e, item.Name, item.Value })
                    end
                end
                return out"#,
            )
            .expect("the enums are listed");
        lua.sequence_values::<mlua::Table>()
            .map(|t| {
                let t = t.expect("an item");
                (
                    t.get(1).expect("enum"),
                    t.get(2).expect("name"),
                    t.get(3).expect("value"),
                )
            })
            .collect()
    }

    /// Another client, `game.Players.<name>`, capturing as the first does.
    pub fn add_client(&mut self, name: &str) -> Side {
        let id = self.place.add_client(name).expect("a client joins");
        let side = Side::Client(id);
        self.place
            .run(side, &client_script(self.protocol))
            .expect("the client starts");
        side
    }

    pub fn client_side(&self) -> Side {
        Side::Client(self.client)
    }

    /// The path of the protocol's remote: `"Reliable"` or `"Unreliable"`.
    pub fn remote(&self, channel: &str) -> String {
        format!("ReplicatedStorage.Tether.{}.{channel}", self.protocol)
    }

    /// How a receiver (`expect`) or a sender writes a value in Luau.
    pub fn render(&self, value: &Lv, expect: bool, client: bool) -> String {
        let pool = &self.pool;
        let instance = move |id: InstanceId| pool.expression(id, client);
        value.render(&Scope {
            expect,
            instance: &instance,
            tolerance: ROTATION_TOLERANCE,
        })
    }

    /// Runs a chunk (with the prelude) on a side, returning its results.
    pub fn eval<R: mlua::FromLuaMulti>(&mut self, side: Side, chunk: &str) -> Result<R, String> {
        self.place
            .eval_as(side, &format!("{PRELUDE}{chunk}"))
            .map_err(|e| e.to_string())
    }

    /// Fires a Rust frame to the Luau client, as the server's runtime would,
    /// and lets it arrive.
    pub fn fire_to_client(&mut self, unreliable: bool, bytes: &[u8], instances: &[InstanceId]) {
        let remote = self.remote(if unreliable { "Unreliable" } else { "Reliable" });
        let args = frame_args(bytes, instances);
        self.place
            .fire_client(self.client, &remote, args)
            .expect("the remote exists");
        self.place.step(DT).expect("a step");
    }

    /// Fires a Rust frame to the Luau server, as the client's runtime would,
    /// and lets it arrive.
    pub fn fire_to_server(&mut self, unreliable: bool, bytes: &[u8], instances: &[InstanceId]) {
        let remote = self.remote(if unreliable { "Unreliable" } else { "Reliable" });
        let args = frame_args(bytes, instances);
        self.place
            .fire_server_raw(self.client, &remote, args)
            .expect("the remote exists");
        self.place.step(DT).expect("a step");
    }

    /// Checks that the one event the client's module delivered since the
    /// last check is `event`, carrying `expected`.
    pub fn expect_on_client(&mut self, event: &str, expected: &Lv) -> Result<(), String> {
        self.expect(
            self.client_side(),
            "check",
            event,
            std::slice::from_ref(expected),
        )
    }

    /// Checks that the first event the client's module delivered since the
    /// last check is `event`, carrying `expected`, and takes it.
    pub fn expect_next_on_client(&mut self, event: &str, expected: &Lv) -> Result<(), String> {
        self.expect(
            self.client_side(),
            "checkNext",
            event,
            std::slice::from_ref(expected),
        )
    }

    /// Checks that the one event a side's module delivered since the last
    /// check is `event`, with the arguments `expected`.
    pub fn expect_args(&mut self, side: Side, event: &str, expected: &[Lv]) -> Result<(), String> {
        self.expect(side, "check", event, expected)
    }

    fn expect(&mut self, side: Side, check: &str, event: &str, args: &[Lv]) -> Result<(), String> {
        let client = side != Side::Server;
        let source = args
            .iter()
            .map(|a| self.render(a, true, client))
            .collect::<Vec<_>>()
            .join(", ");
        let n = args.len();
        let diff: Option<String> = self.eval(
            side,
            &format!("return X.{check}({event:?}, {n}, {{{source}}})"),
        )?;
        match diff {
            None => Ok(()),
            Some(diff) => Err(format!("{event}: {diff}\n  expected (Luau): {source}")),
        }
    }

    /// The names of the events a side's module delivered since the last take.
    pub fn take_events(&mut self, side: Side) -> Vec<String> {
        self.eval(side, "return X.takeNames()")
            .expect("the events are listed")
    }

    /// The frames a side rejected so far (the runtime's `Stats.rejected`).
    pub fn rejected(&mut self, side: Side) -> u32 {
        self.eval(side, "return X.rejected()")
            .expect("the counters are read")
    }

    /// Runs Luau on the server (with the prelude), then steps until what it
    /// sent reached the client: a Heartbeat flushes the frames, the next step
    /// delivers them.
    pub fn server_sends(&mut self, chunk: &str) -> Result<(), String> {
        self.eval::<()>(Side::Server, chunk)?;
        self.place.step_n(2, DT).map_err(|e| e.to_string())
    }

    /// `Net.<event>:FireClient(player, <value>)` on the server, and the
    /// frames that reached the client (only these).
    pub fn luau_fires(&mut self, event: &str, value: &Lv) -> Result<Vec<Frame>, String> {
        self.take_client_frames();
        let source = self.render(value, false, false);
        self.server_sends(&format!(
            "X.Net.{event}:FireClient(game.Players.{PLAYER}, {source})"
        ))?;
        Ok(self.take_client_frames())
    }

    /// The frames the client received on the protocol's remotes since the
    /// last take, from whichever sender.
    pub fn take_client_frames(&mut self) -> Vec<Frame> {
        self.take_frames(self.client_side())
    }

    /// The frames a client received since the last take.
    pub fn take_frames(&mut self, side: Side) -> Vec<Frame> {
        let frames: mlua::Table = self
            .place
            .eval_as(side, &format!("{PRELUDE}return X.takeFrames()"))
            .expect("the frames are read");
        frames
            .sequence_values::<mlua::Table>()
            .map(|f| {
                let f = f.expect("a frame");
                let bytes = match f.get::<mlua::Value>("b").expect("its bytes") {
                    mlua::Value::Buffer(b) => b.to_vec(),
                    other => panic!("a frame of {other:?}, not a buffer"),
                };
                let list: mlua::Table = f.get("insts").expect("its instance list");
                // Read up to the largest key: the list may have holes.
                let mut entries = HashMap::new();
                for pair in list.pairs::<i64, mlua::Value>() {
                    let (i, v) = pair.expect("an entry");
                    entries.insert(i, v);
                }
                let len = entries.keys().copied().max().unwrap_or(0);
                let instances = (1..=len)
                    .map(|i| {
                        entries.get(&i).and_then(|v| {
                            self.place
                                .net_id_of(side, v.clone())
                                .expect("an instance")
                                .map(|id| InstanceId(id.0))
                        })
                    })
                    .collect();
                Frame {
                    unreliable: f.get("unreliable").expect("its channel"),
                    bytes,
                    instances,
                }
            })
            .collect()
    }

    /// Intercepts what the client's scripts fire to the server from now on.
    pub fn intercept_client_frames(&mut self) {
        for channel in ["Reliable", "Unreliable"] {
            let remote = self.remote(channel);
            self.place.intercept_server_remote(&remote);
        }
    }

    /// The intercepted firings of the client, as frames (instances as the
    /// server sees them).
    pub fn take_server_frames(&mut self) -> Vec<Frame> {
        let unreliable = self.remote("Unreliable");
        self.place
            .take_intercepted()
            .into_iter()
            .map(|Firing { remote, args, .. }| {
                let bytes = match args.first() {
                    Some(WireValue::Buffer(b)) => b.clone(),
                    other => panic!("a firing of {other:?}, not a buffer"),
                };
                let instances = match args.get(1) {
                    Some(WireValue::Array(items)) => items
                        .iter()
                        .map(|v| match v {
                            WireValue::Instance(id) => Some(InstanceId(id.0)),
                            _ => None,
                        })
                        .collect(),
                    _ => Vec::new(),
                };
                Frame {
                    unreliable: remote == unreliable,
                    bytes,
                    instances,
                }
            })
            .collect()
    }

    /// Forgets whatever a failed case left behind: events, frames, errors.
    pub fn reset(&mut self) {
        self.place.step_n(2, DT).expect("a step");
        let client = self.client_side();
        self.take_events(client);
        self.take_events(Side::Server);
        self.take_client_frames();
        self.place.take_intercepted();
        let _ = self.place.take_script_errors(client);
        let _ = self.place.take_script_errors(Side::Server);
    }

    /// Fails if a script on either side raised an error.
    pub fn script_errors(&self) -> Result<(), String> {
        for side in [Side::Server, self.client_side()] {
            let errors = self.place.script_errors(side).expect("the side exists");
            if !errors.is_empty() {
                return Err(format!("script errors on {side:?}: {errors:#?}"));
            }
        }
        Ok(())
    }
}

/// The LocalScript of a client: its module, and the captures.
fn client_script(protocol: &str) -> String {
    format!(
        "{PRELUDE}X.Net = require(game.ReplicatedStorage.Net.client)\n\
         X.T = require(game.ReplicatedStorage.Net.tether)\n\
         local folder = game.ReplicatedStorage.Tether:WaitForChild({protocol:?})\n\
         {CAPTURE_CLIENT}"
    )
}

/// The two arguments of a firing: the buffer and the instance list.
fn frame_args(bytes: &[u8], instances: &[InstanceId]) -> Vec<WireValue> {
    vec![
        WireValue::Buffer(bytes.to_vec()),
        WireValue::Array(
            instances
                .iter()
                .map(|id| WireValue::Instance(NetId(id.0)))
                .collect(),
        ),
    ]
}

/// The server's capture of the events its module delivers (without the
/// sending player, which is always the one client).
const CAPTURE_SERVER: &str = r#"
X.eachRemote(X.Net, function(name, remote)
    if remote.OnServerEvent then
        remote.OnServerEvent:Connect(function(_player, ...)
            table.insert(X.got, { name = name, args = table.pack(...) })
        end)
    end
end)
"#;

/// The client's capture of the events its module delivers and of the raw
/// firings of the protocol's remotes (`folder`).
const CAPTURE_CLIENT: &str = r#"
X.eachRemote(X.Net, function(name, remote)
    if remote.OnClientEvent then
        remote.OnClientEvent:Connect(function(...)
            table.insert(X.got, { name = name, args = table.pack(...) })
        end)
    end
end)
folder.Reliable.OnClientEvent:Connect(function(b, insts)
    table.insert(X.frames, { unreliable = false, b = b, insts = insts })
end)
local unreliable = folder:FindFirstChild("Unreliable")
if unreliable then
    unreliable.OnClientEvent:Connect(function(b, insts)
        table.insert(X.frames, { unreliable = true, b = b, insts = insts })
    end)
end
"#;
