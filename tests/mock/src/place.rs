//! A place: one server VM, one VM per client, and the network between them.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use mlua::{FromLuaMulti, Lua, Value};

use crate::error::MockError;
use crate::network::{apply_faults, Message, Outgoing, Packet, Rng, Target, UnreliableFaults};
use crate::output::{OutputLine, ScriptError};
use crate::replication::RepOp;
use crate::scripts::ScriptCache;
use crate::vm::Vm;
use crate::wire::{Firing, NetId, WireValue};

/// A connected client, numbered from 1 in join order; never reused within a place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ClientId(pub u32);

/// Which VM of the place.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Side {
    /// The server.
    Server,
    /// One client.
    Client(ClientId),
}

/// A client the server kicked (or that kicked itself), with the message it was shown.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kick {
    /// Who.
    pub client: ClientId,
    /// The message passed to `Player:Kick`.
    pub message: String,
}

struct Client {
    vm: Vm,
    player: NetId,
    /// Replication not yet applied (delivered at the next step).
    pending: Vec<RepOp>,
}

/// A Roblox place in one process: a server VM and client VMs, each a separate Luau
/// state with the mock engine, joined by a deterministic network that moves messages
/// only when [`Place::step`] runs.
///
/// Every call that runs Luau collects what the VMs fired into the network in order; a
/// step then delivers, in this order: kicks, replication (server to each client), remote
/// traffic in firing order; then each VM (server first, clients by id) advances its
/// clock, resumes due threads, fires `RunService` events and runs deferred threads.
pub struct Place {
    scripts: Rc<ScriptCache>,
    server: Vm,
    clients: BTreeMap<ClientId, Client>,
    players: HashMap<NetId, ClientId>,
    last_client: u32,
    in_flight: Vec<Packet>,
    pending_kicks: Vec<(ClientId, String)>,
    kicks: Vec<Kick>,
    intercepts: Vec<String>,
    intercepted: Vec<Firing>,
    faults: Option<(UnreliableFaults, Rng)>,
    time: f64,
}

impl Place {
    /// A server VM with the DataModel and its services, and no clients.
    pub fn new() -> Result<Place, MockError> {
        let scripts = Rc::new(ScriptCache::default());
        let server = Vm::new(true, scripts.clone())?;
        Ok(Place {
            scripts,
            server,
            clients: BTreeMap::new(),
            players: HashMap::new(),
            last_client: 0,
            in_flight: Vec::new(),
            pending_kicks: Vec::new(),
            kicks: Vec::new(),
            intercepts: Vec::new(),
            intercepted: Vec::new(),
            faults: None,
            time: 0.0,
        })
    }

    fn vm(&self, side: Side) -> Result<&Vm, MockError> {
        match side {
            Side::Server => Ok(&self.server),
            Side::Client(id) => self
                .clients
                .get(&id)
                .map(|c| &c.vm)
                .ok_or(MockError::UnknownClient(id)),
        }
    }

    /// Installs ModuleScripts `(name, source)` in the folder at `folder_path` (e.g.
    /// `"ReplicatedStorage.Net"`; missing folders are created, the first segment names a
    /// service), replacing modules of the same name. Under a replicated service they
    /// reach the clients at once (and every later client), as a game's
    /// ReplicatedStorage content is there before its scripts run.
    pub fn install_modules(
        &mut self,
        folder_path: &str,
        modules: &[(&str, &str)],
    ) -> Result<(), MockError> {
        self.server.install(folder_path, modules)?;
        self.replicate()?;
        self.collect();
        Ok(())
    }

    /// Connects a client named `name`: the server gets a Player (UserId = the client's
    /// number) under Players and PlayerAdded fires; the new client VM gets the replicated
    /// tree and `Players.LocalPlayer`. Other clients see the Player at the next step.
    pub fn add_client(&mut self, name: &str) -> Result<ClientId, MockError> {
        self.collect();
        self.last_client += 1;
        let id = ClientId(self.last_client);
        let player = self.server.add_player(name, u64::from(id.0))?;
        self.players.insert(player, id);
        self.queue_replication()?;
        let vm = Vm::new(false, self.scripts.clone())?;
        vm.apply_replication(&self.server.snapshot()?)?;
        vm.set_local_player(player)?;
        self.clients.insert(
            id,
            Client {
                vm,
                player,
                pending: Vec::new(),
            },
        );
        self.collect();
        Ok(id)
    }

    /// Disconnects a client: PlayerRemoving fires on the server, its Player is destroyed,
    /// its VM is dropped and whatever was in flight to or from it is lost.
    pub fn remove_client(&mut self, id: ClientId) -> Result<(), MockError> {
        self.collect();
        let client = self
            .clients
            .remove(&id)
            .ok_or(MockError::UnknownClient(id))?;
        self.players.remove(&client.player);
        self.in_flight.retain(|p| !p.involves(id));
        self.pending_kicks.retain(|(c, _)| *c != id);
        let player = client.player;
        drop(client);
        self.server.remove_player(player)?;
        self.collect();
        Ok(())
    }

    /// Runs `source` as a Script (server, under ServerScriptService) or LocalScript
    /// (client, under the local player's PlayerScripts), in a thread of its own with
    /// `script` bound. An error before its first yield is returned; later ones are script
    /// errors. Deferred threads run before this returns.
    pub fn run(&mut self, side: Side, source: &str) -> Result<(), MockError> {
        let result = self.vm(side)?.run(source);
        self.collect();
        result
    }

    /// Evaluates `source` (an expression, else a chunk) synchronously on that side and
    /// returns its values as they would cross the network ([`WireValue`] rules: an
    /// instance is its NetId, or nil when it has none). It must not yield.
    pub fn eval(&mut self, side: Side, source: &str) -> Result<Vec<WireValue>, MockError> {
        let result = self.vm(side)?.eval_wire(source);
        self.collect();
        result
    }

    /// Like [`Place::eval`], converting the results with mlua (`bool`, `f64`, `String`,
    /// `mlua::Function`, tuples, ...).
    pub fn eval_as<R: FromLuaMulti>(&mut self, side: Side, source: &str) -> Result<R, MockError> {
        let result = self.vm(side)?.eval(source);
        self.collect();
        result
    }

    /// Advances simulated time by `dt` seconds (see [`Place`] for what a step does).
    pub fn step(&mut self, dt: f64) -> Result<(), MockError> {
        self.collect();
        for (client, message) in std::mem::take(&mut self.pending_kicks) {
            if self.clients.contains_key(&client) {
                self.kicks.push(Kick { client, message });
                self.remove_client(client)?;
            }
        }
        self.replicate()?;
        self.deliver()?;
        self.time += dt;
        self.server.frame(dt)?;
        for client in self.clients.values() {
            client.vm.frame(dt)?;
        }
        self.collect();
        Ok(())
    }

    /// Steps `count` times by `dt`.
    pub fn step_n(&mut self, count: usize, dt: f64) -> Result<(), MockError> {
        for _ in 0..count {
            self.step(dt)?;
        }
        Ok(())
    }

    /// Simulated seconds since the place started.
    pub fn time(&self) -> f64 {
        self.time
    }

    /// The Luau state of that side, for tests and benchmarks that drive it directly.
    /// What its scripts fire is collected at the next call into the place.
    pub fn lua(&self, side: Side) -> Result<&Lua, MockError> {
        Ok(self.vm(side)?.lua())
    }

    /// The lines printed on that side so far.
    pub fn output(&self, side: Side) -> Result<Vec<OutputLine>, MockError> {
        Ok(self.vm(side)?.output())
    }

    /// The lines printed on that side since the last take.
    pub fn take_output(&self, side: Side) -> Result<Vec<OutputLine>, MockError> {
        Ok(self.vm(side)?.take_output())
    }

    /// Errors raised on that side in threads the engine resumed (handlers, tasks).
    pub fn script_errors(&self, side: Side) -> Result<Vec<ScriptError>, MockError> {
        Ok(self.vm(side)?.script_errors())
    }

    /// Like [`Place::script_errors`], clearing them.
    pub fn take_script_errors(&self, side: Side) -> Result<Vec<ScriptError>, MockError> {
        Ok(self.vm(side)?.take_script_errors())
    }

    /// The connected clients, in join order.
    pub fn clients(&self) -> Vec<ClientId> {
        self.clients.keys().copied().collect()
    }

    /// The kicks carried out so far.
    pub fn kicks(&self) -> &[Kick] {
        &self.kicks
    }

    /// The NetId of a client's Player.
    pub fn player_net_id(&self, client: ClientId) -> Result<NetId, MockError> {
        self.clients
            .get(&client)
            .map(|c| c.player)
            .ok_or(MockError::UnknownClient(client))
    }

    /// The NetId of the instance at `path` on that side: None when there is no such
    /// instance or it has no network identity (made by a client).
    pub fn net_id(&self, side: Side, path: &str) -> Result<Option<NetId>, MockError> {
        Ok(self.vm(side)?.describe(path)?.and_then(|(id, _)| id))
    }

    /// The instance at `path` (dotted, from the DataModel) on that side, or nil.
    pub fn instance(&self, side: Side, path: &str) -> Result<Value, MockError> {
        Ok(self.vm(side)?.find(path)?)
    }

    /// The NetId of a Luau instance of that side (e.g. one `eval_as` returned).
    pub fn net_id_of(&self, side: Side, instance: Value) -> Result<Option<NetId>, MockError> {
        Ok(self.vm(side)?.net_id_of(instance)?)
    }

    /// Makes UnreliableRemoteEvent firings be dropped and reordered at delivery.
    pub fn set_unreliable_faults(&mut self, faults: Option<UnreliableFaults>) {
        self.faults = faults.map(|f| (f, Rng::new(f.seed)));
    }

    /// From now on, firings of the server remote at `remote_path` from clients' scripts
    /// are not delivered to the server VM: the step that would deliver them queues them
    /// for [`Place::take_intercepted`], so a Rust test can play the server.
    pub fn intercept_server_remote(&mut self, remote_path: &str) {
        if !self.intercepts.iter().any(|p| p == remote_path) {
            self.intercepts.push(remote_path.to_owned());
        }
    }

    /// The intercepted firings, in arrival order.
    pub fn take_intercepted(&mut self) -> Vec<Firing> {
        std::mem::take(&mut self.intercepted)
    }

    fn remote_event(&self, path: &str) -> Result<(NetId, bool), MockError> {
        let (id, class) = self
            .server
            .describe(path)?
            .ok_or_else(|| MockError::NotFound(path.to_owned()))?;
        let unreliable = match class.as_str() {
            "RemoteEvent" => false,
            "UnreliableRemoteEvent" => true,
            _ => {
                return Err(MockError::NotARemoteEvent {
                    path: path.to_owned(),
                    class,
                })
            }
        };
        let id = id.ok_or_else(|| MockError::NotFound(path.to_owned()))?;
        Ok((id, unreliable))
    }

    /// Fires the server remote at `remote_path` to a client as if the server's scripts
    /// had; delivered at the next step, after what the VMs fired before this call.
    pub fn fire_client(
        &mut self,
        to: ClientId,
        remote_path: &str,
        args: Vec<WireValue>,
    ) -> Result<(), MockError> {
        let (remote, unreliable) = self.remote_event(remote_path)?;
        if !self.clients.contains_key(&to) {
            return Err(MockError::UnknownClient(to));
        }
        self.collect();
        self.in_flight.push(Packet::ToClient {
            to,
            message: Message::Event {
                remote,
                unreliable,
                args,
                raw: true,
            },
        });
        Ok(())
    }

    /// A hostile client's raw firing of the server remote at `remote_path`, with any
    /// values at all; delivered to the server VM at the next step (never intercepted).
    pub fn fire_server_raw(
        &mut self,
        from: ClientId,
        remote_path: &str,
        args: Vec<WireValue>,
    ) -> Result<(), MockError> {
        let (remote, unreliable) = self.remote_event(remote_path)?;
        if !self.clients.contains_key(&from) {
            return Err(MockError::UnknownClient(from));
        }
        self.collect();
        self.in_flight.push(Packet::ToServer {
            from,
            message: Message::Event {
                remote,
                unreliable,
                args,
                raw: true,
            },
        });
        Ok(())
    }

    // Network ---------------------------------------------------------------------------

    /// Moves what the VMs fired into the network, server first, then clients by id.
    fn collect(&mut self) {
        for out in self.server.take_outbox() {
            self.route_from_server(out);
        }
        let ids: Vec<ClientId> = self.clients.keys().copied().collect();
        for id in ids {
            let outbox = match self.clients.get(&id) {
                Some(c) => c.vm.take_outbox(),
                None => continue,
            };
            for out in outbox {
                self.route_from_client(id, out);
            }
        }
    }

    fn send_to_players(&mut self, target: Target, message: Message) {
        match target {
            Target::Player(player) => {
                if let Some(&to) = self.players.get(&player) {
                    self.in_flight.push(Packet::ToClient { to, message });
                }
            }
            Target::AllPlayers => {
                for &to in self.clients.keys() {
                    self.in_flight.push(Packet::ToClient {
                        to,
                        message: message.clone(),
                    });
                }
            }
            Target::Server => {}
        }
    }

    fn route_from_server(&mut self, out: Outgoing) {
        match out {
            Outgoing::Event {
                remote,
                target,
                unreliable,
                args,
            } => {
                self.send_to_players(
                    target,
                    Message::Event {
                        remote,
                        unreliable,
                        args,
                        raw: false,
                    },
                );
            }
            Outgoing::Invoke {
                remote,
                target,
                call,
                args,
            } => {
                self.send_to_players(target, Message::Invoke { remote, call, args });
            }
            Outgoing::Return {
                call,
                target,
                values,
            } => {
                self.send_to_players(target, Message::Return { call, values });
            }
            Outgoing::Kick { player, message } => {
                if let Some(&client) = self.players.get(&player) {
                    self.pending_kicks.push((client, message));
                }
            }
        }
    }

    fn route_from_client(&mut self, from: ClientId, out: Outgoing) {
        let message = match out {
            Outgoing::Event {
                remote,
                unreliable,
                args,
                ..
            } => Message::Event {
                remote,
                unreliable,
                args,
                raw: false,
            },
            Outgoing::Invoke {
                remote, call, args, ..
            } => Message::Invoke { remote, call, args },
            Outgoing::Return { call, values, .. } => Message::Return { call, values },
            Outgoing::Kick { player, message } => {
                if self.players.get(&player) == Some(&from) {
                    self.pending_kicks.push((from, message));
                }
                return;
            }
        };
        self.in_flight.push(Packet::ToServer { from, message });
    }

    /// Takes the server's replication log into every client's pending list.
    fn queue_replication(&mut self) -> Result<(), MockError> {
        let ops = self.server.take_replication()?;
        if !ops.is_empty() {
            for client in self.clients.values_mut() {
                client.pending.extend(ops.iter().cloned());
            }
        }
        Ok(())
    }

    fn replicate(&mut self) -> Result<(), MockError> {
        self.queue_replication()?;
        for client in self.clients.values_mut() {
            let ops = std::mem::take(&mut client.pending);
            client.vm.apply_replication(&ops)?;
        }
        Ok(())
    }

    fn resolve_intercepts(&self) -> Result<Vec<(NetId, String)>, MockError> {
        let mut out = Vec::new();
        for path in &self.intercepts {
            if let Some((Some(id), _)) = self.server.describe(path)? {
                out.push((id, path.clone()));
            }
        }
        Ok(out)
    }

    fn deliver(&mut self) -> Result<(), MockError> {
        let mut packets = std::mem::take(&mut self.in_flight);
        if packets.is_empty() {
            return Ok(());
        }
        if let Some((faults, rng)) = &mut self.faults {
            apply_faults(&mut packets, faults, rng);
        }
        let intercepted = if self.intercepts.is_empty() {
            Vec::new()
        } else {
            self.resolve_intercepts()?
        };
        for packet in packets {
            match packet {
                Packet::ToServer { from, message } => {
                    let Some(player) = self.clients.get(&from).map(|c| c.player) else {
                        continue;
                    };
                    match message {
                        Message::Event {
                            remote, args, raw, ..
                        } => {
                            if !raw {
                                if let Some((_, path)) =
                                    intercepted.iter().find(|(id, _)| *id == remote)
                                {
                                    self.intercepted.push(Firing {
                                        from,
                                        remote: path.clone(),
                                        args,
                                    });
                                    continue;
                                }
                            }
                            self.server.deliver_event(remote, Some(player), &args)?;
                        }
                        Message::Invoke { remote, call, args } => {
                            self.server
                                .deliver_invoke(remote, Some(player), call, &args)?
                        }
                        Message::Return { call, values } => {
                            self.server.complete_call(call, &values)?
                        }
                    }
                }
                Packet::ToClient { to, message } => {
                    let Some(client) = self.clients.get(&to) else {
                        continue;
                    };
                    match message {
                        Message::Event { remote, args, .. } => {
                            client.vm.deliver_event(remote, None, &args)?
                        }
                        Message::Invoke { remote, call, args } => {
                            client.vm.deliver_invoke(remote, None, call, &args)?
                        }
                        Message::Return { call, values } => {
                            client.vm.complete_call(call, &values)?
                        }
                    }
                }
            }
        }
        Ok(())
    }
}
