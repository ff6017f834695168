//! What the loopback tests share: a `game` server on an ephemeral port, and
//! waits bounded by [`LIMIT`].

use std::time::Duration;

use tether_net::{NetEvent, NetServer, ServerConfig};
use tether_tests::game;
use tokio::time::timeout;

/// How long any one wait may take before the test fails.
pub const LIMIT: Duration = Duration::from_secs(10);

/// A `game` server on 127.0.0.1 with the default configuration.
pub async fn server() -> (NetServer, game::Server) {
    let server = game::Server::new();
    let net = NetServer::bind("127.0.0.1:0", &server, ServerConfig::default())
        .await
        .expect("binds on loopback");
    (net, server)
}

/// The server's next connection event.
pub async fn next(net: &mut NetServer) -> NetEvent {
    timeout(LIMIT, net.next_event())
        .await
        .expect("an event in time")
        .expect("the server runs")
}

/// Waits until `done` holds, checking every few milliseconds.
pub async fn until(mut done: impl FnMut() -> bool) {
    timeout(LIMIT, async {
        while !done() {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    })
    .await
    .expect("in time");
}
