// `tether::include_schema!` compiles a `.tether` file at compile time into
// the same API a build script generates.
//
// The path is relative to this file, as with `include_str!`, wherever the
// crate compiling it lives (trybuild's lies under the target directory).
use std::time::Duration;

mod game {
    tether::include_schema!("../../../../schemas/game.tether");
}

fn main() {
    assert_eq!(game::PROTOCOL.name, "game");
    let server = game::Server::new();
    let client = game::Client::new();
    let player = server.runtime().connect_player();
    let _chat = server.chat().connect(|_player, _message, _team| {});
    client
        .chat()
        .fire_server("gg".into(), game::Team::Blue)
        .unwrap();
    for frame in client.runtime().take_outgoing() {
        server.runtime().receive(&player, &frame);
    }
    server.runtime().poll(Duration::ZERO);
    let _bindables = game::ServerBindables::new();
}
