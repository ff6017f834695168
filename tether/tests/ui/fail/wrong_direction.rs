// A side has no method for what it may not do with a remote, and a
// handle's methods take the schema's types.
mod game {
    tether::include_schema!("../schemas/directions.tether");
}

fn main() {
    let server = game::Server::new();
    let client = game::Client::new();
    let player = server.runtime().connect_player();
    // Chat goes client -> server: the server cannot fire it, the client
    // cannot connect to it.
    let _ = server.chat().fire_client(&player, "hi".into());
    let _ = client.chat().connect(|_message| {});
    // Announce goes server -> client.
    let _ = client.announce().fire_server("hi".into());
    // Only the client invokes Buy.
    let _ = server.buy().invoke_client(&player, 7);
    // Wrong argument types.
    let _ = client.chat().fire_server(42);
    let _ = client.buy().invoke_server("seven".to_string());
}
