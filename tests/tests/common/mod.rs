//! Helpers shared by the end-to-end tests: a game server on a
//! `MemoryNetwork`, clients joining it through the generated API, and a log
//! for what handlers saw.
#![allow(dead_code)]

use std::panic;
use std::sync::{Arc, Mutex};

use tether_runtime::{
    ClientRuntime, Direction, InstanceRegistry, MemoryNetwork, Player, ServerRuntime,
};
use tether_tests::game;

/// One server and its clients on an in-process network with a manual clock.
/// The clock moves only when a test says so (`net.advance`, `net.step_by`).
pub struct Game {
    pub net: MemoryNetwork,
    pub server: game::Server,
}

impl Game {
    pub fn new() -> Self {
        Game::with_instances(InstanceRegistry::new())
    }

    /// A game whose server sees instances through `instances`.
    pub fn with_instances(instances: InstanceRegistry) -> Self {
        let runtime = ServerRuntime::with_instances(&game::PROTOCOL, instances);
        Game {
            server: game::Server::try_from(runtime.clone()).expect("the same protocol"),
            net: MemoryNetwork::with_server(runtime),
        }
    }

    /// A new client: the server gets a new player.
    pub fn join(&mut self) -> (Player, game::Client) {
        let (player, runtime) = self.net.connect_client();
        (
            player,
            game::Client::try_from(runtime).expect("the same protocol"),
        )
    }

    /// Delivers what everyone sent, then polls everyone, without moving the
    /// clock.
    pub fn step(&mut self) {
        self.net.step();
    }

    pub fn steps(&mut self, n: usize) {
        for _ in 0..n {
            self.net.step();
        }
    }
}

/// The id of message `name` (`"Chat"`, `"Shop.Buy (request)"`) in
/// `direction`, from the generated protocol table.
pub fn message_id(direction: Direction, name: &str) -> u16 {
    let position = game::PROTOCOL
        .messages(direction)
        .iter()
        .position(|spec| spec.name == name)
        .unwrap_or_else(|| panic!("no message {name} in {direction:?}"));
    u16::try_from(position).expect("game has few messages")
}

/// Moves `client`'s packets to the server by hand (the server is not
/// polled).
pub fn deliver_to_server(server: &ServerRuntime, player: &Player, client: &ClientRuntime) {
    for packet in client.take_packets() {
        server.receive_packet(player, &packet);
    }
}

/// Records what handlers saw; a cheap `Clone` handle to move into them.
pub struct Log<T>(Arc<Mutex<Vec<T>>>);

impl<T> Clone for Log<T> {
    fn clone(&self) -> Self {
        Log(self.0.clone())
    }
}

impl<T> Default for Log<T> {
    fn default() -> Self {
        Log(Arc::new(Mutex::new(Vec::new())))
    }
}

impl<T: Clone> Log<T> {
    pub fn push(&self, value: T) {
        self.0.lock().unwrap().push(value);
    }

    /// Everything logged so far, emptying the log.
    pub fn take(&self) -> Vec<T> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }

    /// Everything logged so far, leaving the log as it is.
    pub fn snapshot(&self) -> Vec<T> {
        self.0.lock().unwrap().clone()
    }

    pub fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Silences the default panic message of the panics the tests cause on
/// purpose (their message starts with "on purpose"); the runtime catches
/// them. Other panics still print.
pub fn quiet_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let payload = info.payload();
            let message = payload
                .downcast_ref::<&str>()
                .copied()
                .or_else(|| payload.downcast_ref::<String>().map(String::as_str));
            if !message.is_some_and(|m| m.starts_with("on purpose")) {
                default(info);
            }
        }));
    });
}

/// Whether `values` strictly increase (nothing arrived out of order, nothing
/// twice).
pub fn strictly_increasing<T: PartialOrd>(values: &[T]) -> bool {
    values.windows(2).all(|pair| pair[0] < pair[1])
}
