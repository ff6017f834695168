//! Remote functions end to end: `Shop.Buy` and `Shop.Prices` (client →
//! server) and `ConfirmTeleport` (server → client), through the generated
//! API on a `MemoryNetwork`.

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;
use std::time::Duration;

use common::{deliver_to_server, quiet_panics, Game, Log};
use tether_runtime::types::DateTime;
use tether_runtime::{InvokeError, SendError};
use tether_tests::game::Team;

fn price_list() -> HashMap<String, u32> {
    HashMap::from([("Sword".to_owned(), 100), ("Shield".to_owned(), 80)])
}

#[test]
fn invoke_server_resolves_with_the_handlers_result() {
    let mut game = Game::new();
    let (_alice, alice_client) = game.join();
    let (_bob, bob_client) = game.join();
    game.server
        .shop()
        .buy()
        .on_invoke(|player, item, quantity| {
            let receipt = format!("{} bought {quantity} of {item}", player.name);
            Ok((quantity <= 5, Some(receipt)))
        });
    game.server.shop().prices().on_invoke(|_| Ok(price_list()));

    let mut alice_buys = alice_client.shop().buy().invoke_server(3, 2);
    let mut bob_buys = bob_client.shop().buy().invoke_server(4, 9);
    let mut prices = bob_client.shop().prices().invoke_server();
    game.step();
    assert!(alice_buys.try_result().is_none(), "a call takes two steps");
    game.step();
    assert_eq!(
        alice_buys.try_result(),
        Some(Ok((true, Some("Player1 bought 2 of 3".to_owned()))))
    );
    assert_eq!(
        bob_buys.try_result(),
        Some(Ok((false, Some("Player2 bought 9 of 4".to_owned()))))
    );
    assert_eq!(prices.try_result(), Some(Ok(price_list())));
    assert_eq!(alice_buys.try_result(), None, "a result is taken once");
}

#[test]
fn only_the_last_on_invoke_handler_runs() {
    let mut game = Game::new();
    let (_alice, client) = game.join();
    let replaced = Log::default();
    let seen = replaced.clone();
    game.server.shop().buy().on_invoke(move |_, item, _| {
        seen.push(item);
        Ok((false, None))
    });
    game.server
        .shop()
        .buy()
        .on_invoke(|_, _, _| Ok((true, Some("second".into()))));
    let mut call = client.shop().buy().invoke_server(1, 1);
    game.steps(2);
    assert_eq!(call.try_result(), Some(Ok((true, Some("second".into())))));
    assert!(replaced.is_empty());
}

#[test]
fn no_handler_and_handler_errors_reach_the_caller() {
    let mut game = Game::new();
    let (_alice, client) = game.join();
    let mut prices = client.shop().prices().invoke_server();
    game.server
        .shop()
        .buy()
        .on_invoke(|_, _, quantity| Err(format!("not enough gold for {quantity}")));
    let mut buy = client.shop().buy().invoke_server(1, 3);
    game.steps(2);
    assert_eq!(prices.try_result(), Some(Err(InvokeError::NoHandler)));
    assert_eq!(
        buy.try_result(),
        Some(Err(InvokeError::Handler("not enough gold for 3".into())))
    );

    // An error message travels as `string(..255)`, `handler:` included: a
    // longer one is cut at a character boundary.
    game.net.advance(Duration::from_secs(1));
    game.step();
    game.server
        .shop()
        .buy()
        .on_invoke(|_, _, _| Err("é".repeat(200)));
    let mut long = client.shop().buy().invoke_server(1, 1);
    game.steps(2);
    assert_eq!(
        long.try_result(),
        Some(Err(InvokeError::Handler("é".repeat(123))))
    );
}

#[test]
fn calls_over_the_rate_limit_are_refused() {
    let mut game = Game::new();
    let (_alice, client) = game.join();
    game.server
        .shop()
        .buy()
        .on_invoke(|_, _, _| Ok((true, None)));
    // `@rate(2/s)`: the third call in the same second is refused.
    let mut calls: Vec<_> = (1..=3)
        .map(|item| client.shop().buy().invoke_server(item, 1))
        .collect();
    game.steps(2);
    assert_eq!(calls[0].try_result(), Some(Ok((true, None))));
    assert_eq!(calls[1].try_result(), Some(Ok((true, None))));
    assert!(matches!(
        calls[2].try_result(),
        Some(Err(InvokeError::RateLimited))
    ));
    assert_eq!(game.server.runtime().stats().rejected.rate_limited, 1);
    game.net.advance(Duration::from_secs(1));
    game.step();
    let mut later = client.shop().buy().invoke_server(4, 1);
    game.steps(2);
    assert_eq!(later.try_result(), Some(Ok((true, None))));
}

#[test]
fn a_panicking_handler_fails_the_call_and_the_server_keeps_serving() {
    quiet_panics();
    let mut game = Game::new();
    let (_alice, client) = game.join();
    let calls = Arc::new(AtomicU32::new(0));
    let counter = calls.clone();
    game.server.shop().prices().on_invoke(move |_| {
        if counter.fetch_add(1, Ordering::SeqCst) == 0 {
            panic!("on purpose: the first call panics");
        }
        Ok(price_list())
    });
    let chats = Log::default();
    let seen = chats.clone();
    game.server
        .chat()
        .connect(move |_, message, _| seen.push(message));

    let mut first = client.shop().prices().invoke_server();
    game.steps(2);
    assert_eq!(first.try_result(), Some(Err(InvokeError::Panicked)));
    assert_eq!(game.server.runtime().stats().handler_panics, 1);

    let mut second = client.shop().prices().invoke_server();
    client
        .chat()
        .fire_server("still here".into(), Team::Red)
        .unwrap();
    game.steps(2);
    assert_eq!(second.try_result(), Some(Ok(price_list())));
    assert_eq!(chats.take(), ["still here"]);
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[test]
fn buy_times_out_after_five_seconds_when_the_server_does_not_answer() {
    let mut game = Game::new();
    let (alice, client) = game.join();
    let handled = Log::default();
    let seen = handled.clone();
    game.server.shop().buy().on_invoke(move |_, item, _| {
        seen.push(item);
        Ok((true, None))
    });
    let mut call = client.shop().buy().invoke_server(5, 1);
    // The request reaches the server, but the server is stalled: it does not
    // poll while the client's clock runs.
    deliver_to_server(game.server.runtime(), &alice, client.runtime());
    game.net.advance(Duration::from_millis(4999));
    client.runtime().poll(game.net.now());
    assert!(call.try_result().is_none(), "still pending before 5 s");
    game.net.advance(Duration::from_millis(1));
    client.runtime().poll(game.net.now());
    assert_eq!(call.try_result(), Some(Err(InvokeError::Timeout)));
    assert_eq!(client.runtime().stats().timeouts, 1);
    assert!(handled.is_empty());

    // The server wakes up and answers; the late response is dropped and
    // counted.
    game.steps(2);
    assert_eq!(handled.take(), [5]);
    assert_eq!(client.runtime().stats().unmatched_responses, 1);
    assert_eq!(call.try_result(), None);
}

#[test]
fn a_client_disconnect_fails_its_pending_calls() {
    let mut game = Game::new();
    let (alice, alice_client) = game.join();
    let (bob, bob_client) = game.join();
    game.server
        .shop()
        .buy()
        .on_invoke(|_, _, _| Ok((true, None)));
    game.server.shop().prices().on_invoke(|_| Ok(price_list()));

    // One call the server has answered (the answer not delivered yet), one
    // not even sent.
    let mut answered = alice_client.shop().buy().invoke_server(1, 1);
    game.step();
    let mut unsent = alice_client.shop().prices().invoke_server();
    let mut bobs = bob_client.shop().prices().invoke_server();
    game.net.disconnect(&alice);
    assert_eq!(answered.try_result(), Some(Err(InvokeError::Disconnected)));
    assert_eq!(unsent.try_result(), Some(Err(InvokeError::Disconnected)));

    assert!(!alice_client.runtime().is_connected());
    let mut after = alice_client.shop().prices().invoke_server();
    assert_eq!(after.try_result(), Some(Err(InvokeError::Disconnected)));
    assert_eq!(
        alice_client.chat().fire_server("hello?".into(), Team::Red),
        Err(SendError::NotConnected)
    );
    assert_eq!(game.server.runtime().players(), [bob]);
    let at = DateTime::from_unix_millis(0);
    assert_eq!(
        game.server
            .shop()
            .restocked()
            .fire_client(&alice, Vec::new(), at),
        Err(SendError::NotConnected)
    );

    game.steps(2);
    assert_eq!(bobs.try_result(), Some(Ok(price_list())));
}

#[test]
fn confirm_teleport_answers_and_errors_reach_the_server() {
    let mut game = Game::new();
    let (alice, alice_client) = game.join();
    let (bob, _bob_client) = game.join(); // never sets a handler
    alice_client
        .confirm_teleport()
        .on_invoke(|destination| match destination.as_str() {
            "Lobby" => Err("busy".into()),
            other => Ok(other == "Arena"),
        });
    let teleport = game.server.confirm_teleport();
    let mut arena = teleport.invoke_client(&alice, "Arena".into());
    let mut desert = teleport.invoke_client(&alice, "Desert".into());
    let mut lobby = teleport.invoke_client(&alice, "Lobby".into());
    let mut unset = teleport.invoke_client(&bob, "Arena".into());
    game.step();
    assert!(arena.try_result().is_none());
    game.step();
    assert_eq!(arena.try_result(), Some(Ok(true)));
    assert_eq!(desert.try_result(), Some(Ok(false)));
    assert_eq!(
        lobby.try_result(),
        Some(Err(InvokeError::Handler("busy".into())))
    );
    assert_eq!(unset.try_result(), Some(Err(InvokeError::NoHandler)));
}

#[test]
fn confirm_teleport_fails_on_disconnect_and_times_out_after_two_seconds() {
    let mut game = Game::new();
    let (alice, alice_client) = game.join();
    let (bob, bob_client) = game.join();
    let asked = Log::default();
    for client in [&alice_client, &bob_client] {
        let seen = asked.clone();
        client.confirm_teleport().on_invoke(move |destination| {
            seen.push(destination);
            Ok(true)
        });
    }
    let teleport = game.server.confirm_teleport();

    // Alice leaves with the call in flight.
    let mut leaving = teleport.invoke_client(&alice, "Arena".into());
    game.step();
    game.net.disconnect(&alice);
    assert_eq!(leaving.try_result(), Some(Err(InvokeError::Disconnected)));
    let mut gone = teleport.invoke_client(&alice, "Arena".into());
    assert_eq!(gone.try_result(), Some(Err(InvokeError::Disconnected)));

    // Bob receives the request but his client never polls, so it never
    // answers: only the server ticks.
    let mut stalled = teleport.invoke_client(&bob, "Desert".into());
    for (player, packet) in game.server.runtime().take_packets() {
        assert_eq!(player, bob);
        bob_client.runtime().receive_packet(&packet);
    }
    assert_eq!(bob_client.runtime().stats().frames_received, 1);
    game.net.advance(Duration::from_millis(1999));
    game.server.runtime().poll(game.net.now());
    assert!(stalled.try_result().is_none(), "still pending before 2 s");
    game.net.advance(Duration::from_millis(1));
    game.server.runtime().poll(game.net.now());
    assert_eq!(stalled.try_result(), Some(Err(InvokeError::Timeout)));
    assert_eq!(game.server.runtime().stats().timeouts, 1);
    assert_eq!(asked.take(), ["Arena"], "bob's handler has not run");

    // Bob's client wakes up and answers; the late answer is dropped.
    game.steps(2);
    assert_eq!(asked.take(), ["Desert"]);
    assert_eq!(game.server.runtime().stats().unmatched_responses, 1);
}

#[tokio::test]
async fn invocations_can_be_awaited_while_another_task_drives_the_network() {
    let mut game = Game::new();
    let (alice, alice_client) = game.join();
    game.server
        .shop()
        .buy()
        .on_invoke(|player, item, quantity| {
            Ok((true, Some(format!("{}: {quantity}x{item}", player.name))))
        });
    game.server.shop().prices().on_invoke(|_| Ok(price_list()));
    alice_client
        .confirm_teleport()
        .on_invoke(|destination| Ok(destination == "Arena"));
    let server = game.server.clone();

    let buy = alice_client.shop().buy().invoke_server(2, 3);
    let prices = alice_client.shop().prices().invoke_server();
    let confirm = server
        .confirm_teleport()
        .invoke_client(&alice, "Arena".into());
    let driver = tokio::spawn(async move {
        let mut steps = 0;
        while steps < 100 {
            game.net.step_by(Duration::from_millis(10));
            steps += 1;
            tokio::task::yield_now().await;
        }
        game.net.now()
    });
    let all = async { tokio::join!(buy, prices, confirm) };
    let (buy, prices, confirm) = tokio::time::timeout(Duration::from_secs(10), all)
        .await
        .expect("the driver resolves every call");
    assert_eq!(buy, Ok((true, Some("Player1: 3x2".to_owned()))));
    assert_eq!(prices, Ok(price_list()));
    assert_eq!(confirm, Ok(true));
    assert_eq!(driver.await.unwrap(), Duration::from_secs(1));
}
