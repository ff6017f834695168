// `#[tether::protocol]` with every endpoint kind and attribute, namespaces,
// bindables carrying functions, an extern type and `any` sent by the
// server; `main` drives the generated API end to end.
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tether::types::{Color3, DateTime, Value, Vector3};

/// A type declared outside the protocol: an extern type there.
#[derive(Debug, Clone, PartialEq, tether::Replicable)]
pub struct Badge {
    #[tether(max_len = 32)]
    pub title: String,
}

#[tether::protocol]
pub mod game {
    use std::collections::HashMap;
    use std::sync::Arc;

    use tether::types::{CFrame, DateTime, Value, Vector3};

    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
    pub enum Team {
        Red,
        Blue,
    }

    #[derive(Debug, Clone, PartialEq)]
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

    #[derive(Debug, Clone, PartialEq)]
    #[tether(rename_all = "PascalCase")]
    pub struct Stats {
        pub kills: u32,
        pub deaths: u32,
    }

    #[derive(Debug, Clone, PartialEq)]
    #[tether(rename_all = "PascalCase")]
    pub struct Profile {
        #[tether(len = "1..24")]
        pub name: String,
        #[tether(range = "1..100")]
        pub level: u8,
        pub team: Team,
        pub stats: Stats,
        /// A map keyed by a unit enum, which travels as its name.
        pub scores: HashMap<Team, u32>,
        pub titles: HashMap<String, u32>,
        pub friends: Vec<u64>,
        pub badge: Option<crate::Badge>,
    }

    #[remote(event, client -> server)]
    #[tether(rate(5/s))]
    fn chat(#[tether(len = "1..200")] message: String, channel: Team);

    #[remote(event, server -> client)]
    fn welcome(profile: Profile, at: DateTime, motd: Option<String>);

    #[remote(event, client <-> server)]
    #[tether(unreliable, ordered, rate(60/s))]
    fn aim(look: Vector3, #[tether(range = "0..45")] spread: f32);

    #[remote(function, client -> server)]
    #[tether(rate(2/s), timeout(5s))]
    fn buy(item: u32, #[tether(range = "1..10")] quantity: u8) -> (bool, Option<String>);

    #[remote(function, client -> server)]
    #[tether(rate(600/min), timeout(250ms))]
    fn ping();

    #[remote(function, server -> client)]
    #[tether(timeout(2s), allow(server-invokes-client))]
    fn confirm_teleport(#[tether(max_len = 64)] destination: String) -> bool;

    #[remote(event, server -> client)]
    fn telemetry(
        payload: Value,
        #[tether(nonfinite)] frame: f64,
        #[tether(buffer, max_len = 512)] blob: Vec<u8>,
        #[tether(binary, max_len = 64)] packed: Vec<u8>,
    );

    // A debug console means to take any value: a policy error accepted on
    // purpose, which compiles (with a note).
    #[remote(event, client -> server)]
    #[tether(rate(5/s), allow(unchecked-client-value))]
    fn console(#[tether(max_len = 200)] line: String, value: Value);

    #[remote(event, client -> server)]
    #[tether(rate(1/s), deprecated("use Chat"))]
    fn legacy_chat(#[tether(max_len = 100)] message: String);

    #[remote(event, server -> client)]
    #[tether(name = "HTTPStatus")]
    fn http_status(code: u16);

    #[bindable(event, server)]
    fn round_started(round: u32, on_end: Arc<dyn Fn(u8) -> bool + Send + Sync>);

    #[bindable(function, client)]
    fn validate(
        #[tether(max_len = 32)] input: String,
        check: Arc<dyn Fn(u8) -> bool + Send + Sync>,
    ) -> bool;

    pub mod combat {
        use tether::types::CFrame;

        use super::Shape;

        #[derive(Debug, Clone, PartialEq)]
        pub struct Hit {
            pub damage: u16,
            pub critical: bool,
            pub shape: Shape,
        }

        #[remote(event, client -> server)]
        #[tether(rate(20/s))]
        fn attack(aim: CFrame, weapon: u32);

        #[remote(event, server -> client)]
        fn hit_confirmed(hit: Hit);

        pub mod effects {
            use tether::types::{Color3, Vector3};

            #[remote(event, server -> client)]
            #[tether(unreliable)]
            fn burst(at: Vector3, tint: Color3);
        }
    }

    /// Items that are not declarations stay as they are.
    pub fn default_aim() -> CFrame {
        CFrame::new(
            Vector3::new(0.0, 0.0, 0.0),
            tether::types::Matrix3::identity(),
        )
    }
}

/// A protocol's own type named `Value` is that record, not Tether's `any`.
#[tether::protocol]
mod store {
    #[derive(Debug, Clone, PartialEq)]
    pub struct Value {
        pub cents: u32,
    }

    #[remote(event, server -> client)]
    fn price(value: Value);
}

fn main() {
    let server = game::Server::new();
    let client = game::Client::new();
    let player = server.runtime().connect_player();

    // client -> server, through the bytes the runtimes exchange.
    let said = Arc::new(Mutex::new(Vec::new()));
    let log = said.clone();
    let _chat = server.chat().connect(move |_player, message, channel| {
        log.lock().unwrap().push((message, channel));
    });
    server
        .buy()
        .on_invoke(|_player, item, quantity| Ok((item > 0 && quantity < 10, None)));
    server.ping().on_invoke(|_player| Ok(()));
    let _attacks = server.combat().attack().queue();
    client
        .chat()
        .fire_server("gg".into(), game::Team::Red)
        .unwrap();
    let _bought = client.buy().invoke_server(7, 2);
    let _pong = client.ping().invoke_server();
    client
        .combat()
        .attack()
        .fire_server(game::default_aim(), 3)
        .unwrap();
    client
        .aim()
        .fire_server(Vector3::new(0.0, 0.0, 1.0), 10.0)
        .unwrap();
    #[allow(deprecated)]
    client.legacy_chat().fire_server("old".into()).unwrap();
    for frame in client.runtime().take_outgoing() {
        server.runtime().receive(&player, &frame);
    }
    server.runtime().poll(Duration::ZERO);
    assert_eq!(*said.lock().unwrap(), [("gg".to_string(), game::Team::Red)]);

    // server -> client.
    let _welcome = client
        .welcome()
        .connect(|profile, _at, _motd| drop(profile));
    client
        .confirm_teleport()
        .on_invoke(|destination| Ok(!destination.is_empty()));
    let profile = game::Profile {
        name: "Ada".into(),
        level: 10,
        team: game::Team::Blue,
        stats: game::Stats {
            kills: 3,
            deaths: 1,
        },
        scores: [(game::Team::Blue, 3)].into(),
        titles: [("champion".to_string(), 1)].into(),
        friends: vec![42],
        badge: Some(Badge {
            title: "First".into(),
        }),
    };
    let at = DateTime::from_unix_millis(0);
    server
        .welcome()
        .fire_client(&player, profile, at, Some("hi".into()))
        .unwrap();
    server
        .telemetry()
        .fire_all_clients(Value::Number(1.5), f64::NAN, vec![1, 2, 3], vec![0xff, 0])
        .unwrap();
    server.http_status().fire_all_clients(200).unwrap();
    let hit = game::combat::Hit {
        damage: 10,
        critical: false,
        shape: game::Shape::Box {
            size: Vector3::new(1.0, 1.0, 1.0),
        },
    };
    server
        .combat()
        .hit_confirmed()
        .fire_all_clients(hit)
        .unwrap();
    server
        .combat()
        .effects()
        .burst()
        .fire_all_clients(Vector3::new(0.0, 1.0, 0.0), Color3::new(1.0, 0.5, 0.0))
        .unwrap();
    let _teleported = server
        .confirm_teleport()
        .invoke_client(&player, "Lobby".into());
    server
        .aim()
        .fire_all_clients(Vector3::new(1.0, 0.0, 0.0), 0.0)
        .unwrap();
    for (_player, frame) in server.runtime().take_outgoing() {
        client.runtime().receive(&frame);
    }
    client.runtime().poll(Duration::ZERO);

    // Bindables carry functions, and never leave their side.
    let server_bindables = game::ServerBindables::new();
    let _round = server_bindables
        .round_started
        .connect(|round, on_end| assert!(on_end(round as u8)));
    server_bindables.round_started.fire(1, Arc::new(|n| n > 0));
    server_bindables.round_started.poll();
    let client_bindables = game::ClientBindables::new();
    client_bindables
        .validate
        .set_callback(|input, check| check(input.len() as u8));
    let _valid = client_bindables
        .validate
        .invoke("name".into(), Arc::new(|len| len < 32));

    let _ = game::PROTOCOL.name;
    let store = store::Server::new();
    store
        .price()
        .fire_all_clients(store::Value { cents: 99 })
        .unwrap();
}
