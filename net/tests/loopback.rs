//! The TCP transport over loopback: the handshake, events and functions
//! both ways, a refused schema, a frame over the cap, and a client that
//! leaves mid-call. Each test stops by itself within a few seconds.

use std::sync::{Arc, Mutex};

use tether_net::{ClientConfig, NetClient, NetEvent, NetServer, ServerConfig};
use tether_runtime::handshake::{HandshakeError, Refusal};
use tether_runtime::{ClientRuntime, InvokeError, Protocol};
use tether_tests::game::{self, Team};
use tokio::io::AsyncWriteExt;

mod common;

use common::{next, server, until};

async fn client(net: &NetServer) -> (NetClient, game::Client) {
    let client = game::Client::new();
    let connection = NetClient::connect(
        net.local_addr(),
        client.runtime().clone(),
        ClientConfig::default(),
    )
    .await
    .expect("connects");
    (connection, client)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn events_and_functions_travel_both_ways() {
    let (mut net, server) = server().await;
    let heard = Arc::new(Mutex::new(Vec::new()));
    let log = heard.clone();
    let _chat = server.chat().connect(move |player, message, team| {
        log.lock().unwrap().push((player.id, message, team));
    });
    server
        .shop()
        .buy()
        .on_invoke(|_, item, quantity| Ok((item == 7, Some(format!("{quantity} x {item}")))));
    let (_connection, client) = client(&net).await;
    let NetEvent::Connected(player) = next(&mut net).await else {
        panic!("a connection first")
    };

    client
        .chat()
        .fire_server("hello".to_string(), Team::Blue)
        .unwrap();
    until(|| !heard.lock().unwrap().is_empty()).await;
    assert_eq!(
        *heard.lock().unwrap(),
        [(player.id, "hello".to_string(), Team::Blue)]
    );

    let answered = Arc::new(Mutex::new(None));
    let slot = answered.clone();
    let purchase = client.shop().buy().invoke_server(7, 3);
    tokio::spawn(async move {
        *slot.lock().unwrap() = Some(purchase.await);
    });
    until(|| answered.lock().unwrap().is_some()).await;
    assert_eq!(
        answered.lock().unwrap().take().unwrap(),
        Ok((true, Some("3 x 7".to_string())))
    );
    assert_eq!(server.runtime().stats().rejected.total(), 0);
}

static STRANGER: Protocol = Protocol {
    name: "stranger",
    fingerprint: 42,
    to_server: &[],
    to_client: &[],
};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_of_another_schema_is_refused_with_the_reason() {
    let (mut net, _server) = server().await;
    let stranger = ClientRuntime::new(&STRANGER);
    let refused = NetClient::connect(net.local_addr(), stranger, ClientConfig::default()).await;
    let Err(tether_net::ConnectError::Handshake(HandshakeError::Refused(reason))) = refused else {
        panic!("refused")
    };
    assert!(
        matches!(reason, Refusal::Schema { ref client, client_fingerprint: 42, .. } if client == "stranger")
    );
    let NetEvent::Refused { reason: said, .. } = next(&mut net).await else {
        panic!("the server says it refused")
    };
    assert_eq!(said, reason.to_string());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_oversized_frame_disconnects_its_sender_only() {
    let config = ServerConfig::default().with_max_frame(4096);
    let server = game::Server::new();
    let mut net = NetServer::bind("127.0.0.1:0", &server, config)
        .await
        .unwrap();
    let heard = Arc::new(Mutex::new(Vec::new()));
    let log = heard.clone();
    let _chat = server
        .chat()
        .connect(move |_, message, _| log.lock().unwrap().push(message));
    let (_good, good_client) = client(&net).await;
    let NetEvent::Connected(_) = next(&mut net).await else {
        panic!()
    };

    // A hostile peer: a proper hello, then a length prefix of 4 GiB.
    let mut raw = tokio::net::TcpStream::connect(net.local_addr())
        .await
        .unwrap();
    let hello = tether_runtime::handshake::Hello::of(&game::PROTOCOL).encode();
    raw.write_all(&(hello.len() as u32).to_le_bytes())
        .await
        .unwrap();
    raw.write_all(&hello).await.unwrap();
    let NetEvent::Connected(hostile) = next(&mut net).await else {
        panic!()
    };
    raw.write_all(&u32::MAX.to_le_bytes()).await.unwrap();
    let NetEvent::Disconnected { player, reason } = next(&mut net).await else {
        panic!("the hostile peer is put out")
    };
    assert_eq!(player, hostile);
    assert!(
        reason.contains("4294967295 bytes, more than the 4096 allowed"),
        "{reason}"
    );

    // The other player is still served.
    good_client
        .chat()
        .fire_server("still here".to_string(), Team::Red)
        .unwrap();
    until(|| !heard.lock().unwrap().is_empty()).await;
    assert_eq!(*heard.lock().unwrap(), ["still here".to_string()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_disconnect_mid_call_fails_the_call_on_both_sides() {
    let (mut net, server) = server().await;
    // The client never answers ConfirmTeleport; it leaves instead.
    let (connection, _client) = client(&net).await;
    let NetEvent::Connected(player) = next(&mut net).await else {
        panic!()
    };
    let pending = Arc::new(Mutex::new(None));
    let slot = pending.clone();
    let call = server
        .confirm_teleport()
        .invoke_client(&player, "Lobby".to_string());
    tokio::spawn(async move {
        *slot.lock().unwrap() = Some(call.await);
    });
    drop(connection);
    let NetEvent::Disconnected { player: left, .. } = next(&mut net).await else {
        panic!("the player leaves")
    };
    assert_eq!(left, player);
    until(|| pending.lock().unwrap().is_some()).await;
    assert_eq!(
        pending.lock().unwrap().take().unwrap(),
        Err(InvokeError::Disconnected)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_sending_garbage_is_put_out_and_the_others_are_served() {
    let (mut net, server) = server().await;
    let heard = Arc::new(Mutex::new(Vec::new()));
    let log = heard.clone();
    let _chat = server
        .chat()
        .connect(move |_, message, _| log.lock().unwrap().push(message));
    let (_good, good_client) = client(&net).await;
    let NetEvent::Connected(_) = next(&mut net).await else {
        panic!()
    };

    let mut raw = tokio::net::TcpStream::connect(net.local_addr())
        .await
        .unwrap();
    let hello = tether_runtime::handshake::Hello::of(&game::PROTOCOL).encode();
    raw.write_all(&(hello.len() as u32).to_le_bytes())
        .await
        .unwrap();
    raw.write_all(&hello).await.unwrap();
    let NetEvent::Connected(hostile) = next(&mut net).await else {
        panic!()
    };
    // Well-framed packets whose message id no schema message has.
    let garbage = tether_runtime::Packet::reliable(vec![0xFF, 0xFF, 0xFF]);
    for _ in 0..=tether_runtime::MAX_OFFENCES {
        raw.write_all(&tether_net::framing::encode(&garbage))
            .await
            .unwrap();
    }
    let NetEvent::Disconnected { player, reason } = next(&mut net).await else {
        panic!("the offender is put out")
    };
    assert_eq!(player, hostile);
    assert!(reason.contains("rejected frames"), "{reason}");
    assert!(server.runtime().stats().rejected.total() > u64::from(tether_runtime::MAX_OFFENCES));

    good_client
        .chat()
        .fire_server("fine".to_string(), Team::Red)
        .unwrap();
    until(|| !heard.lock().unwrap().is_empty()).await;
    assert_eq!(*heard.lock().unwrap(), ["fine".to_string()]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_server_refuses_with_the_reason() {
    let config = ServerConfig::default().with_max_players(1);
    let server = game::Server::new();
    let mut net = NetServer::bind("127.0.0.1:0", &server, config)
        .await
        .expect("binds");
    let (_first, _) = client(&net).await;
    let NetEvent::Connected(_) = next(&mut net).await else {
        panic!("the first player is in")
    };
    let refused = NetClient::connect(
        net.local_addr(),
        game::Client::new().runtime().clone(),
        ClientConfig::default(),
    )
    .await;
    let Err(tether_net::ConnectError::Handshake(HandshakeError::Refused(reason))) = refused else {
        panic!("the second is refused")
    };
    assert_eq!(reason, Refusal::Other("the server is full".to_string()));
    let NetEvent::Refused { reason: said, .. } = next(&mut net).await else {
        panic!("the server says it refused")
    };
    assert_eq!(said, "the server is full");
    assert_eq!(net.stats().players, 1);
    assert_eq!(net.stats().refused, 1);
}

/// A handler that awaits tokio I/O (here a timer standing for a database
/// query) answers over the real transport: the server's tick polls its
/// future inside the tokio runtime.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_async_handler_answers_from_an_awaited_query() {
    let (mut net, server) = server().await;
    server.shop().prices().on_invoke_async(|player| {
        let id = player.id;
        async move {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            Ok([("Sword".to_string(), 100 + id)].into())
        }
    });
    let (_connection, client) = client(&net).await;
    let NetEvent::Connected(player) = next(&mut net).await else {
        panic!("a connection first")
    };
    let answer = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        client.shop().prices().invoke_server(),
    )
    .await
    .expect("answered within the call's timeout");
    assert_eq!(answer, Ok([("Sword".to_string(), 100 + player.id)].into()));
}
