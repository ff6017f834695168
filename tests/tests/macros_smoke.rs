#[tether::protocol]
pub mod arena {
    #[derive(Debug, Clone, PartialEq)]
    pub enum Team {
        Red,
        Blue,
    }

    #[derive(Debug, Clone, PartialEq)]
    #[tether(rename_all = "PascalCase")]
    pub struct Entity {
        #[tether(range = "0..100")]
        pub health: u8,
        pub ammo: u8,
    }

    #[remote(event, client -> server)]
    #[tether(rate(5/s))]
    fn chat(#[tether(len = "1..200")] message: String, channel: Team);

    #[remote(event, server -> client)]
    fn entities(#[tether(max_len = 255)] list: Vec<Entity>);

    #[remote(function, client -> server)]
    #[tether(timeout(2s))]
    fn buy(item: u32, #[tether(range = "1..10")] quantity: u8) -> (bool, Option<String>);

    pub mod shop {
        #[derive(Debug, Clone, PartialEq)]
        pub struct Item {
            pub id: u32,
        }

        #[remote(event, server -> client)]
        fn restocked(#[tether(max_len = 50)] items: Vec<Item>);
    }
}

#[derive(Debug, Clone, PartialEq, tether::Replicable)]
pub struct Loose {
    #[tether(range = "1..5")]
    pub level: u8,
    #[tether(max_len = 24)]
    pub name: String,
}

mod included {
    tether::include_schema!("../schemas/game.tether");
}

#[test]
fn smoke() {
    let server = arena::Server::new();
    let _ = server.chat();
    let (bytes, _) = tether::wire::encode_message(&Loose {
        level: 3,
        name: "x".into(),
    })
    .unwrap();
    assert!(!bytes.is_empty());
    let _ = included::PROTOCOL.name;
}
