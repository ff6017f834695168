//! The transport between the Rust server and the Luau clients of one
//! place: the protocol's remotes as a generated Luau server would make
//! them, and a bridge that carries frames between them and the Rust
//! runtime, mapping the mock's instances to the runtime's ids.

use std::collections::HashMap;
use std::time::Duration;

use crate::game::{Game, DT};
use tether_roblox_mock::{ClientId, NetId, Side, WireValue};
use tether_runtime::types::InstanceId;
use tether_runtime::{Channel, Packet, Player, Visibility};
use tether_tests::game;

pub const GAME: &str = "../schemas/game.tether";
pub const RELIABLE: &str = "ReplicatedStorage.Tether.game.Reliable";
pub const UNRELIABLE: &str = "ReplicatedStorage.Tether.game.Unreliable";

/// What a generated Luau server makes (section 7 and `Side.start`): the
/// protocol's folder with its two remotes and the attributes a client
/// checks. Then the world the tests point at.
pub fn protocol_folder(fingerprint: u64) -> String {
    format!(
        r#"
        local root = Instance.new("Folder") root.Name = "Tether"
        local folder = Instance.new("Folder") folder.Name = "game"
        folder:SetAttribute("Fingerprint", "{fingerprint:016x}")
        folder:SetAttribute("WireVersion", {wire})
        Instance.new("RemoteEvent", folder).Name = "Reliable"
        Instance.new("UnreliableRemoteEvent", folder).Name = "Unreliable"
        folder.Parent = root
        root.Parent = game.ReplicatedStorage
        local target = Instance.new("Part") target.Name = "Target" target.Parent = workspace
        local enemy = Instance.new("Model") enemy.Name = "Enemy" enemy.Parent = workspace
        local sword = Instance.new("Tool") sword.Name = "Sword" sword.Parent = game.ReplicatedStorage
        local vault = Instance.new("Model") vault.Name = "Vault" vault.Parent = game.ServerStorage
        "#,
        wire = tether_runtime::WIRE_VERSION,
    )
}

/// The Rust server behind the Luau clients.
pub struct Bridge {
    pub game: Game,
    pub server: game::Server,
    now: Duration,
    players: HashMap<ClientId, Player>,
    to_rust: HashMap<NetId, InstanceId>,
    to_mock: HashMap<InstanceId, NetId>,
}

impl Bridge {
    pub fn new() -> Bridge {
        let mut game = Game::without_server(GAME);
        game.place
            .run(Side::Server, &protocol_folder(game::PROTOCOL.fingerprint))
            .unwrap();
        game.place.intercept_server_remote(RELIABLE);
        game.place.intercept_server_remote(UNRELIABLE);
        let mut bridge = Bridge {
            game,
            server: game::Server::new(),
            now: Duration::ZERO,
            players: HashMap::new(),
            to_rust: HashMap::new(),
            to_mock: HashMap::new(),
        };
        bridge.register("Workspace.Target", "Part", Visibility::Everyone);
        bridge.register("Workspace.Enemy", "Model", Visibility::Everyone);
        bridge.register("ReplicatedStorage.Sword", "Tool", Visibility::Everyone);
        bridge.register("ServerStorage.Vault", "Model", Visibility::ServerOnly);
        bridge
    }

    /// Registers the mock's instance at `path` with the Rust server.
    pub fn register(&mut self, path: &str, class: &str, visibility: Visibility) {
        let net = self.game.place.net_id(Side::Server, path).unwrap().unwrap();
        let id = self
            .server
            .runtime()
            .instances()
            .register_named(class, visibility)
            .expect("a Roblox class");
        self.map(net, id);
    }

    pub fn map(&mut self, net: NetId, id: InstanceId) {
        self.to_rust.insert(net, id);
        self.to_mock.insert(id, net);
    }

    /// The Rust id of the mock's instance at `path`.
    pub fn id(&self, path: &str) -> InstanceId {
        let net = self.game.place.net_id(Side::Server, path).unwrap().unwrap();
        self.to_rust[&net]
    }

    /// A client joins the place (and requires the client module); the Rust
    /// server gets its player, whose Player instance is the mock's.
    pub fn join(&mut self, name: &str) -> (ClientId, Player) {
        let client = self.game.join(name);
        let player = self.server.runtime().connect_player_named(name);
        let net = self.game.place.player_net_id(client).unwrap();
        self.map(net, player.instance.expect("a player has an instance"));
        self.players.insert(client, player.clone());
        (client, player)
    }

    pub fn leave(&mut self, client: ClientId) {
        self.game.place.remove_client(client).unwrap();
        let player = self.players.remove(&client).unwrap();
        self.server.runtime().disconnect_player(&player);
    }

    /// One frame: the place steps; what the clients fired reaches the Rust
    /// server, which polls; what it sends is fired at the clients (they get
    /// it at the next step).
    pub fn step(&mut self) {
        self.game.step();
        for firing in self.game.place.take_intercepted() {
            let channel = if firing.remote == RELIABLE {
                Channel::Reliable
            } else {
                Channel::Unreliable
            };
            let [WireValue::Buffer(bytes), list] = &firing.args[..] else {
                panic!(
                    "a generated client fires a buffer and a list: {:?}",
                    firing.args
                );
            };
            let instances = match list {
                WireValue::Array(items) => items
                    .iter()
                    .map(|v| match v {
                        WireValue::Instance(net) => self.to_rust.get(net).copied(),
                        _ => None,
                    })
                    .collect(),
                WireValue::Dictionary(map) if map.is_empty() => Vec::new(),
                other => panic!("the instance list is a table: {other:?}"),
            };
            let packet = Packet {
                channel,
                bytes: bytes.clone(),
                instances,
            };
            self.server
                .runtime()
                .receive_packet(&self.players[&firing.from], &packet);
        }
        self.now += Duration::from_secs_f64(DT);
        self.server.runtime().poll(self.now);
        for (player, packet) in self.server.runtime().take_packets() {
            let client = *self
                .players
                .iter()
                .find(|(_, p)| p.id == player.id)
                .expect("a connected player")
                .0;
            let list = packet
                .instances
                .iter()
                .map(|id| match id.and_then(|id| self.to_mock.get(&id)) {
                    Some(net) => WireValue::Instance(*net),
                    None => WireValue::Nil,
                })
                .collect();
            let remote = match packet.channel {
                Channel::Reliable => RELIABLE,
                Channel::Unreliable => UNRELIABLE,
            };
            self.game
                .place
                .fire_client(
                    client,
                    remote,
                    vec![WireValue::Buffer(packet.bytes), WireValue::Array(list)],
                )
                .unwrap();
        }
    }

    pub fn steps(&mut self, n: usize) {
        for _ in 0..n {
            self.step();
        }
    }

    pub fn wait(&mut self, seconds: f64) {
        self.steps((seconds / DT).ceil() as usize);
    }
}
