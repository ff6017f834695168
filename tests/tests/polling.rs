//! The polling style: a game loop takes events from a queue after each
//! `poll` instead of connecting handlers.

use std::time::Duration;
use tether_runtime::types::{InstanceId, Ref};
use tether_runtime::MemoryNetwork;
use tether_tests::game::{Client, Server, Team};

#[test]
fn a_game_loop_takes_events_from_queues_once_a_frame() {
    let server = Server::new();
    let mut network = MemoryNetwork::with_server(&server);
    let (alice, alice_client) = network.connect_client();
    let (_bob, bob_client) = network.connect_client();
    let (alice_client, bob_client) = (
        Client::try_from(alice_client).expect("the same protocol"),
        Client::try_from(bob_client).expect("the same protocol"),
    );

    let chat = server.chat().queue();
    let announcements = bob_client.announce().queue();

    alice_client
        .chat()
        .fire_server("gg".to_string(), Team::Red)
        .unwrap();
    alice_client
        .chat()
        .fire_server("again".to_string(), Team::Blue)
        .unwrap();
    assert!(chat.is_empty(), "nothing arrives before the network steps");
    network.step_by(Duration::from_millis(16));

    let taken = chat.drain();
    let from: Vec<_> = taken.iter().map(|(player, _)| player.clone()).collect();
    assert_eq!(from, [alice.clone(), alice.clone()]);
    // Each item is the sender and the event's parameters.
    assert_eq!(taken[0].1 .0, "gg");
    assert_eq!(taken[1].1 .1, Team::Blue);
    assert!(chat.try_next().is_none());

    server
        .announce()
        .fire_all_clients(
            "round over".to_string(),
            // An instance the server never registered is visible to no one.
            Some(Ref::new(InstanceId(77))),
            Default::default(),
            Default::default(),
        )
        .unwrap();
    network.step_by(Duration::from_millis(16));
    let (message, from, _, _) = announcements.try_next().expect("announced");
    assert_eq!(message, "round over");
    assert_eq!(from, None);
    assert_eq!(announcements.dropped(), 0);

    // A disconnected queue collects no more: the next event waits for a
    // handler, as any event with none connected does.
    assert!(chat.disconnect().is_empty());
    alice_client
        .chat()
        .fire_server("late".to_string(), Team::Red)
        .unwrap();
    network.step_by(Duration::from_millis(16));
    assert_eq!(server.runtime().stats().events_waiting, 1);
}
