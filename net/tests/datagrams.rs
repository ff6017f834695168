//! `@unreliable` events over UDP beside TCP (`tether_net::datagram`): they
//! travel as datagrams once the client has bound its address, on the stream
//! otherwise (a client that declines, a WebSocket client), and the server
//! drops datagrams it cannot tie to the player's bound address. Each test
//! stops by itself within a few seconds.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tether_net::framing;
use tether_net::{ClientConfig, NetClient, NetEvent, NetStats};
use tether_runtime::handshake::Hello;
use tether_runtime::types::Vector3;
use tether_runtime::Channel;
use tether_tests::game;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpStream, UdpSocket};
use tokio::time::timeout;

mod common;

use common::{next, server, until, LIMIT};

/// Records the spreads of the `Combat.Aim` events the server hears.
fn hear_aims(server: &game::Server) -> Arc<Mutex<Vec<f32>>> {
    let heard = Arc::new(Mutex::new(Vec::new()));
    let log = heard.clone();
    // Dropping the connection leaves the handler connected.
    let _ = server.combat().aim().connect(move |_, _, spread| {
        log.lock().expect("lock").push(spread);
    });
    heard
}

fn look() -> Vector3 {
    Vector3::new(0.0, 0.0, -1.0)
}

/// Fires `Combat.Aim` from `client` until the server has heard `n` of them
/// (an unreliable event may be lost; on loopback it rarely is).
async fn aim_until_heard(client: &game::Client, heard: &Arc<Mutex<Vec<f32>>>, n: usize) {
    aim_until(client, || heard.lock().expect("lock").len() >= n).await;
}

/// The client aims every 40 ms until `done` holds.
async fn aim_until(client: &game::Client, mut done: impl FnMut() -> bool) {
    timeout(LIMIT, async {
        while !done() {
            client
                .combat()
                .aim()
                .fire_server(look(), 10.0)
                .expect("in range");
            tokio::time::sleep(Duration::from_millis(40)).await;
        }
    })
    .await
    .expect("in time");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unreliable_events_travel_as_datagrams_both_ways() {
    let (mut net, server) = server().await;
    let heard = hear_aims(&server);
    let client = game::Client::new();
    let _connection = NetClient::connect(
        net.local_addr(),
        client.runtime().clone(),
        ClientConfig::default(),
    )
    .await
    .expect("connects");
    let NetEvent::Connected(player) = next(&mut net).await else {
        panic!("a connection first")
    };
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let _aims = client
        .combat()
        .aim()
        .connect(move |_, spread| log.lock().expect("lock").push(spread));

    aim_until_heard(&client, &heard, 3).await;
    // The first ones may have gone on the stream while the client bound its
    // address; later ones go as datagrams, so the client aims until one has.
    aim_until(&client, || net.stats().datagrams_received > 0).await;

    timeout(LIMIT, async {
        while seen.lock().expect("lock").is_empty() {
            server
                .combat()
                .aim()
                .fire_client(&player, look(), 5.0)
                .expect("in range");
            tokio::time::sleep(Duration::from_millis(40)).await;
        }
    })
    .await
    .expect("the client hears the server's aim");
    let stats: NetStats = net.stats();
    assert!(stats.datagrams_sent > 0, "{stats:?}");
    assert!(heard.lock().expect("lock").iter().all(|&s| s == 10.0));
    assert!(seen.lock().expect("lock").iter().all(|&s| s == 5.0));
    assert_eq!(server.runtime().stats().rejected.total(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_declines_datagrams_sends_them_on_the_stream() {
    let (mut net, server) = server().await;
    let heard = hear_aims(&server);
    let client = game::Client::new();
    let config = ClientConfig::default().with_datagrams(false);
    let _connection = NetClient::connect(net.local_addr(), client.runtime().clone(), config)
        .await
        .expect("connects");
    let NetEvent::Connected(_) = next(&mut net).await else {
        panic!("a connection first")
    };
    aim_until_heard(&client, &heard, 5).await;
    let stats = net.stats();
    assert_eq!(stats.datagrams_received, 0, "{stats:?}");
    assert!(stats.frames_received >= 5, "{stats:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn websocket_clients_get_unreliable_events_on_the_stream() {
    let (mut net, server) = server().await;
    let ws = net.listen_websocket("127.0.0.1:0").await.expect("listens");
    let heard = hear_aims(&server);
    let client = game::Client::new();
    let _connection = NetClient::connect_websocket(
        &format!("ws://{ws}/"),
        client.runtime().clone(),
        ClientConfig::default(),
    )
    .await
    .expect("connects over WebSocket");
    let NetEvent::Connected(_) = next(&mut net).await else {
        panic!("a connection first")
    };
    aim_until_heard(&client, &heard, 3).await;
    assert_eq!(net.stats().datagrams_received, 0);
}

/// The bytes of one `Combat.Aim` as a client runtime sends it.
fn aim_message() -> Vec<u8> {
    let client = game::Client::new();
    client
        .combat()
        .aim()
        .fire_server(look(), 10.0)
        .expect("in range");
    client.runtime().poll(Duration::ZERO);
    let packets = client.runtime().take_packets();
    let [packet] = packets.as_slice() else {
        panic!("one packet, not {packets:?}")
    };
    assert_eq!(packet.channel, Channel::Unreliable);
    packet.bytes.clone()
}

/// Datagram 0 of a sender: the token, the number, no instances, the message.
fn datagram(token: u64, message: &[u8]) -> Vec<u8> {
    let mut out = token.to_le_bytes().to_vec();
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(message);
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn datagrams_not_from_the_bound_address_are_dropped() {
    let (mut net, server) = server().await;
    let heard = hear_aims(&server);

    // A client by hand: the hello, the answer, then the offer.
    let mut raw = TcpStream::connect(net.local_addr())
        .await
        .expect("connects");
    let hello = framing::framed(&Hello::of(&game::PROTOCOL).encode()).expect("small");
    raw.write_all(&hello).await.expect("sends");
    let answer = framing::read_blob(&mut raw, 1024).await.expect("an answer");
    assert_eq!(answer, [0], "welcome");
    let offer = framing::read_blob(&mut raw, 64).await.expect("an offer");
    let (kind, rest) = offer.split_at(2);
    assert_eq!(kind, [2, 0], "a datagram offer");
    let token = u64::from_le_bytes(rest[..8].try_into().expect("8 bytes"));
    let port = u16::from_le_bytes(rest[8..10].try_into().expect("2 bytes"));
    assert_eq!(port, net.local_addr().port());
    let NetEvent::Connected(_) = next(&mut net).await else {
        panic!("a connection")
    };

    let bound = UdpSocket::bind("127.0.0.1:0").await.expect("binds");
    bound.connect(net.local_addr()).await.expect("connects");
    let stranger = UdpSocket::bind("127.0.0.1:0").await.expect("binds");
    stranger.connect(net.local_addr()).await.expect("connects");

    // Before any bind, nothing is accepted.
    let message = aim_message();
    bound.send(&datagram(token, &message)).await.expect("sends");
    until(|| net.stats().datagrams_dropped >= 1).await;

    bound.send(&token.to_le_bytes()).await.expect("sends");
    let confirmation = framing::read_blob(&mut raw, 64)
        .await
        .expect("a confirmation");
    assert_eq!(confirmation, [2, 1]);

    // The right token from another address, a wrong token, junk, and a
    // message over 1000 bytes: all dropped.
    stranger
        .send(&datagram(token, &message))
        .await
        .expect("sends");
    bound
        .send(&datagram(token ^ 1, &message))
        .await
        .expect("sends");
    bound.send(&[1, 2, 3]).await.expect("sends");
    bound
        .send(&datagram(token, &vec![0; 1001]))
        .await
        .expect("sends");
    until(|| net.stats().datagrams_dropped >= 5).await;
    assert!(heard.lock().expect("lock").is_empty());

    // From the bound address, the same message is heard.
    bound.send(&datagram(token, &message)).await.expect("sends");
    until(|| !heard.lock().expect("lock").is_empty()).await;
    let stats = net.stats();
    assert_eq!(stats.datagrams_received, 1, "{stats:?}");
    assert_eq!(stats.datagrams_dropped, 5, "{stats:?}");

    // The same datagram again is a copy the network made: dropped.
    bound.send(&datagram(token, &message)).await.expect("sends");
    until(|| net.stats().datagram_repeats_dropped == 1).await;
    assert_eq!(net.stats().datagrams_received, 1);
    assert_eq!(heard.lock().expect("lock").len(), 1);
    assert_eq!(server.runtime().stats().rejected.total(), 0);
}
