//! Handlers that yield: a remote function answered later through a
//! `Responder` (from another tick or another thread), or by a future the
//! runtime polls at each tick, through the generated API on a
//! `MemoryNetwork`.

mod common;

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::task::Poll;
use std::time::Duration;

use common::{quiet_panics, Game};
use tether_runtime::{InvokeError, Responder};

/// A reply the test holds on to, as a game loop would while it waits.
type Held<T> = Arc<Mutex<Vec<Responder<T>>>>;

#[test]
fn a_responder_answers_on_a_later_tick_and_from_another_thread() {
    let mut game = Game::new();
    let (_alice, client) = game.join();
    let held: Held<(bool, Option<String>)> = Arc::default();
    let keep = held.clone();
    game.server
        .shop()
        .buy()
        .on_invoke_later(move |player, item, quantity, reply| {
            assert_eq!(player.name, "Player1");
            assert_eq!((item, quantity), (7, 2));
            keep.lock().expect("not poisoned").push(reply);
        });
    let mut first = client.shop().buy().invoke_server(7, 2);
    let mut second = client.shop().buy().invoke_server(7, 2);
    game.steps(4);
    assert_eq!(first.try_result(), None, "not answered yet");
    let mut replies = std::mem::take(&mut *held.lock().expect("not poisoned"));
    assert_eq!(replies.len(), 2);

    // One answer from this thread, a tick later.
    replies.remove(0).respond((true, Some("now".into())));
    game.steps(2);
    assert_eq!(first.try_result(), Some(Ok((true, Some("now".into())))));
    assert_eq!(second.try_result(), None);

    // The other from a worker thread.
    let reply = replies.remove(0);
    std::thread::spawn(move || reply.fail("out of stock"))
        .join()
        .expect("the worker ends");
    game.steps(2);
    assert_eq!(
        second.try_result(),
        Some(Err(InvokeError::Handler("out of stock".into())))
    );
}

#[test]
fn a_dropped_responder_answers_with_an_error_at_once() {
    let mut game = Game::new();
    let (_alice, client) = game.join();
    game.server
        .shop()
        .prices()
        .on_invoke_later(|_, reply| drop(reply));
    let mut call = client.shop().prices().invoke_server();
    game.steps(2);
    match call.try_result() {
        Some(Err(InvokeError::Handler(message))) => {
            assert!(message.contains("without answering"), "{message}")
        }
        other => panic!("expected an error at once, got {other:?}"),
    }
}

#[test]
fn a_panicking_deferred_handler_answers_panicked() {
    quiet_panics();
    let mut game = Game::new();
    let (_alice, client) = game.join();
    game.server
        .shop()
        .prices()
        .on_invoke_later(|_, _reply| panic!("boom"));
    let mut call = client.shop().prices().invoke_server();
    game.steps(2);
    assert_eq!(call.try_result(), Some(Err(InvokeError::Panicked)));
    assert_eq!(game.server.runtime().stats().handler_panics, 1);
}

/// An answer outside the schema's refinements is an encode error for the
/// caller, as a handler's returns would be.
#[test]
fn a_late_answer_is_checked_like_a_return() {
    let mut game = Game::new();
    let (_alice, client) = game.join();
    game.server
        .shop()
        .buy()
        .on_invoke_later(|_, _, _, reply| reply.respond((true, Some("x".repeat(65)))));
    let mut call = client.shop().buy().invoke_server(1, 1);
    game.steps(2);
    match call.try_result() {
        Some(Err(InvokeError::Protocol(m))) => assert!(m.contains("could not encode"), "{m}"),
        other => panic!("expected the peer's encode error, got {other:?}"),
    }
}

/// The caller's timeout holds whatever the callee does: an answer after it
/// is ignored.
#[test]
fn a_late_answer_after_the_timeout_is_ignored() {
    let mut game = Game::new();
    let (alice, client) = game.join();
    let held: Held<bool> = Arc::default();
    let keep = held.clone();
    client
        .confirm_teleport()
        .on_invoke_later(move |_, reply| keep.lock().expect("not poisoned").push(reply));
    let mut call = game
        .server
        .confirm_teleport()
        .invoke_client(&alice, "Arena".into());
    game.steps(2);
    game.net.step_by(Duration::from_secs(2));
    assert_eq!(call.try_result(), Some(Err(InvokeError::Timeout)));
    let reply = held.lock().expect("not poisoned").pop().expect("held");
    reply.respond(true);
    game.steps(2);
    assert_eq!(call.try_result(), None, "a result is given once");
    assert_eq!(game.server.runtime().stats().handler_panics, 0);
}

/// A future that waits on something outside the runtime (here a channel a
/// "database" thread answers on) is polled at each tick until it ends.
#[test]
fn an_async_handler_answers_when_its_future_completes() {
    let mut game = Game::new();
    let (_alice, client) = game.join();
    let (to_database, requests) = mpsc::channel::<(u32, mpsc::Sender<u32>)>();
    let to_database = Arc::new(Mutex::new(to_database));
    game.server.shop().prices().on_invoke_async(move |player| {
        let (reply_to, reply) = mpsc::channel();
        let sent = to_database
            .lock()
            .expect("not poisoned")
            .send((player.id, reply_to));
        async move {
            sent.map_err(|_| "the database is gone".to_string())?;
            let price = Pending(reply).await;
            Ok([("Sword".to_string(), price)].into())
        }
    });
    let mut call = client.shop().prices().invoke_server();
    game.steps(4);
    assert_eq!(call.try_result(), None, "the database has not answered");
    let (player, reply_to) = requests.try_recv().expect("one query");
    reply_to.send(100 + player).expect("the handler waits");
    game.steps(2);
    assert_eq!(
        call.try_result(),
        Some(Ok([("Sword".to_string(), 101)].into()))
    );
}

#[test]
fn an_async_client_handler_answers_the_server() {
    let mut game = Game::new();
    let (alice, client) = game.join();
    client
        .confirm_teleport()
        .on_invoke_async(|destination| async move { Ok(destination == "Arena") });
    let mut call = game
        .server
        .confirm_teleport()
        .invoke_client(&alice, "Arena".into());
    game.steps(2);
    assert_eq!(call.try_result(), Some(Ok(true)));
}

/// Ready once its channel has a value: a future that needs no executor of
/// its own, since the runtime polls it at every tick.
struct Pending<T>(mpsc::Receiver<T>);

impl<T> std::future::Future for Pending<T> {
    type Output = T;
    fn poll(self: std::pin::Pin<&mut Self>, _: &mut std::task::Context<'_>) -> Poll<T> {
        match self.0.try_recv() {
            Ok(value) => Poll::Ready(value),
            Err(_) => Poll::Pending,
        }
    }
}

/// A bindable function's callback may yield too: it answers through a
/// responder, from a later poll or another thread, or from a future.
#[test]
fn bindable_callbacks_answer_later_or_from_a_future() {
    let server = tether_tests::game::Server::new();
    let score = &server.bindables().score;
    let held: Arc<Mutex<Vec<tether_runtime::BindableResponder<f64>>>> = Arc::default();
    let keep = held.clone();
    score.set_callback_later(move |_, weights, reply| {
        if weights.is_empty() {
            reply.fail("no weights");
        } else {
            keep.lock().expect("not poisoned").push(reply);
        }
    });
    let weights = std::collections::HashMap::from([("kills".to_owned(), 2.0)]);
    let mut later = score.invoke(None, weights.clone());
    let mut empty = score.invoke(None, Default::default());
    assert_eq!(
        empty.try_result(),
        Some(Err(InvokeError::Handler("no weights".into())))
    );
    assert_eq!(later.try_result(), None);
    let reply = held.lock().expect("not poisoned").pop().expect("held");
    std::thread::spawn(move || reply.respond(7.0))
        .join()
        .expect("the worker ends");
    assert_eq!(later.try_result(), Some(Ok(7.0)));

    // From a future, polled by the runtime's poll.
    let (tx, rx) = mpsc::channel::<f64>();
    let rx = Arc::new(Mutex::new(Some(rx)));
    score.set_callback_async(move |_, _| {
        let rx = rx
            .lock()
            .expect("not poisoned")
            .take()
            .expect("called once");
        Pending(rx)
    });
    let mut call = score.invoke(None, weights);
    server.runtime().poll(Duration::ZERO);
    assert_eq!(call.try_result(), None);
    tx.send(3.5).expect("the future waits");
    server.runtime().poll(Duration::ZERO);
    assert_eq!(call.try_result(), Some(Ok(3.5)));
}

/// A client's calls whose handlers have not answered hold the server's
/// memory, so the server runs at most `MAX_ANSWERING_CALLS` of them at
/// once: the next are answered `Busy` at once, without running the handler,
/// and each client has a budget of its own. Once a handler answers, a call
/// runs again.
#[test]
fn a_caller_gets_busy_past_the_calls_its_callee_holds() {
    use tether_runtime::MAX_ANSWERING_CALLS;
    let mut game = Game::new();
    let (_alice, alice) = game.join();
    let (_bob, bob) = game.join();
    let held: Held<std::collections::HashMap<String, u32>> = Arc::default();
    let keep = held.clone();
    game.server
        .shop()
        .prices()
        .on_invoke_later(move |_, reply| keep.lock().expect("not poisoned").push(reply));

    let mut calls: Vec<_> = (0..MAX_ANSWERING_CALLS + 6)
        .map(|_| alice.shop().prices().invoke_server())
        .collect();
    let mut bobs = bob.shop().prices().invoke_server();
    game.steps(3);
    assert_eq!(
        held.lock().expect("not poisoned").len(),
        MAX_ANSWERING_CALLS + 1
    );
    let results: Vec<_> = calls.iter_mut().map(|call| call.try_result()).collect();
    assert!(results[..MAX_ANSWERING_CALLS].iter().all(Option::is_none));
    assert!(
        results[MAX_ANSWERING_CALLS..]
            .iter()
            .all(|r| *r == Some(Err(InvokeError::Busy))),
        "{results:?}"
    );
    assert_eq!(bobs.try_result(), None, "Bob's call runs");
    assert_eq!(game.server.runtime().stats().calls_busy, 6);

    // One answer (Alice's first call) frees one place for Alice.
    let first = held.lock().expect("not poisoned").remove(0);
    first.respond(Default::default());
    let mut again = alice.shop().prices().invoke_server();
    game.steps(3);
    assert_eq!(calls[0].try_result(), Some(Ok(Default::default())));
    assert_eq!(again.try_result(), None, "running, not refused");
    assert_eq!(
        held.lock().expect("not poisoned").len(),
        MAX_ANSWERING_CALLS + 1
    );
    assert_eq!(game.server.runtime().stats().calls_busy, 6);
}

/// The same cap holds for async handlers whose futures never end.
#[test]
fn futures_that_never_end_hold_no_more_than_the_cap() {
    use tether_runtime::MAX_ANSWERING_CALLS;
    let mut game = Game::new();
    let (_alice, alice) = game.join();
    game.server
        .shop()
        .prices()
        .on_invoke_async(|_| std::future::pending());
    let mut calls: Vec<_> = (0..MAX_ANSWERING_CALLS + 2)
        .map(|_| alice.shop().prices().invoke_server())
        .collect();
    game.steps(3);
    let busy = calls
        .iter_mut()
        .map(|call| call.try_result())
        .filter(|result| *result == Some(Err(InvokeError::Busy)))
        .count();
    assert_eq!(busy, 2);
    assert_eq!(game.server.runtime().stats().calls_busy, 2);
}
