//! The runtime's semantics, exercised the way generated code uses it: a
//! hand-built `Protocol` table and hand-written body encoders and decoders
//! over the wire `Writer` and `Reader`.

use std::any::Any;
use std::future::Future;
use std::panic;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::Duration;
use tether_runtime::raw::{RawClient, RawServer};
use tether_runtime::roblox::classes;

use tether_runtime::types::InstanceId;
use tether_runtime::wire::{read_array, DecodeError, EncodeError, LenRange, Reader, Writer};
use tether_runtime::{
    BindableEvent, BindableFunction, Channel, ClientRuntime, Direction, InvokeError, MemoryNetwork,
    MessageKind, MessageSpec, Packet, Payload, Player, Protocol, Rate, SendError, ServerRuntime,
    Typed, Visibility, MAX_WAITING_EVENTS,
};

// ---------------------------------------------------------------------------
// The protocol: what a generator would emit for a small schema.

/// Client → server message ids.
mod up {
    pub const CHAT: u16 = 0; // event (message: string(..64))
    pub const BUY: u16 = 1; // request (item: u16, count: u8) -> (boolean, u32), @timeout(5)
    pub const MOVE: u16 = 2; // @unreliable @ordered event (step: u16)
    pub const SLOW: u16 = 3; // request () -> (), @timeout(1)
    pub const TOUCH: u16 = 4; // event (part: Instance?)
    pub const CONFIRM_RESPONSE: u16 = 5; // response of down::CONFIRM: boolean
    pub const BULK: u16 = 6; // event (values: {u32})
    pub const LIMITED: u16 = 7; // @rate(2 / 1s) event (n: u8)
    pub const LIMITED_CALL: u16 = 8; // @rate(1 / 1s) request () -> ()
}

/// Server → client message ids.
mod down {
    pub const BUY_RESPONSE: u16 = 0;
    pub const SLOW_RESPONSE: u16 = 1;
    pub const ANNOUNCE: u16 = 2; // event (text: string(..64))
    pub const CONFIRM: u16 = 3; // request (prompt: string(..64)) -> boolean, @timeout(2)
    pub const SPAWNED: u16 = 4; // event (part: Instance?, owner: Instance?)
    pub const TICK: u16 = 5; // @unreliable @ordered event (n: u32)
    pub const GUST: u16 = 6; // @unreliable event (strength: u8)
    pub const LIMITED_CALL_RESPONSE: u16 = 7;
}

const TEXT: LenRange = LenRange::up_to(64);

const fn event(name: &'static str, decode: tether_runtime::DecodeFn) -> MessageSpec {
    MessageSpec {
        name,
        kind: MessageKind::Event {
            unreliable: false,
            ordered: false,
            rate: None,
        },
        decode,
    }
}

fn decode_text(r: &mut Reader<'_>) -> Result<Payload, DecodeError> {
    Ok(Box::new(r.string(TEXT)?))
}
fn decode_buy(r: &mut Reader<'_>) -> Result<Payload, DecodeError> {
    Ok(Box::new((r.u16()?, r.u8()?)))
}
fn decode_buy_returns(r: &mut Reader<'_>) -> Result<Payload, DecodeError> {
    Ok(Box::new((r.bool()?, r.u32()?)))
}
fn decode_u16(r: &mut Reader<'_>) -> Result<Payload, DecodeError> {
    Ok(Box::new(r.u16()?))
}
fn decode_u32(r: &mut Reader<'_>) -> Result<Payload, DecodeError> {
    Ok(Box::new(r.u32()?))
}
fn decode_u8(r: &mut Reader<'_>) -> Result<Payload, DecodeError> {
    Ok(Box::new(r.u8()?))
}
fn decode_unit(_: &mut Reader<'_>) -> Result<Payload, DecodeError> {
    Ok(Box::new(()))
}
fn decode_bool(r: &mut Reader<'_>) -> Result<Payload, DecodeError> {
    Ok(Box::new(r.bool()?))
}
fn decode_instance(r: &mut Reader<'_>) -> Result<Payload, DecodeError> {
    Ok(Box::new(r.instance()?))
}
fn decode_two_instances(r: &mut Reader<'_>) -> Result<Payload, DecodeError> {
    Ok(Box::new((r.instance()?, r.instance()?)))
}
fn decode_bulk(r: &mut Reader<'_>) -> Result<Payload, DecodeError> {
    Ok(Box::new(read_array(r, LenRange::UNBOUNDED, 32, |r| {
        r.u32()
    })?))
}

static TO_SERVER: [MessageSpec; 9] = [
    event("Chat", decode_text),
    MessageSpec {
        name: "Shop.Buy (request)",
        kind: MessageKind::Request {
            timeout: Duration::from_secs(5),
            rate: None,
            response_id: down::BUY_RESPONSE,
        },
        decode: decode_buy,
    },
    MessageSpec {
        name: "Move",
        kind: MessageKind::Event {
            unreliable: true,
            ordered: true,
            rate: None,
        },
        decode: decode_u16,
    },
    MessageSpec {
        name: "Slow (request)",
        kind: MessageKind::Request {
            timeout: Duration::from_secs(1),
            rate: None,
            response_id: down::SLOW_RESPONSE,
        },
        decode: decode_unit,
    },
    event("Touch", decode_instance),
    MessageSpec {
        name: "Confirm (response)",
        kind: MessageKind::Response {
            request_id: down::CONFIRM,
        },
        decode: decode_bool,
    },
    event("Bulk", decode_bulk),
    MessageSpec {
        name: "Limited",
        kind: MessageKind::Event {
            unreliable: false,
            ordered: false,
            rate: Some(Rate {
                count: 2,
                per: Duration::from_secs(1),
                burst: 2,
            }),
        },
        decode: decode_u8,
    },
    MessageSpec {
        name: "Limited call (request)",
        kind: MessageKind::Request {
            timeout: Duration::from_secs(5),
            rate: Some(Rate {
                count: 1,
                per: Duration::from_secs(1),
                burst: 1,
            }),
            response_id: down::LIMITED_CALL_RESPONSE,
        },
        decode: decode_unit,
    },
];

static TO_CLIENT: [MessageSpec; 8] = [
    MessageSpec {
        name: "Shop.Buy (response)",
        kind: MessageKind::Response {
            request_id: up::BUY,
        },
        decode: decode_buy_returns,
    },
    MessageSpec {
        name: "Slow (response)",
        kind: MessageKind::Response {
            request_id: up::SLOW,
        },
        decode: decode_unit,
    },
    event("Announce", decode_text),
    MessageSpec {
        name: "Confirm (request)",
        kind: MessageKind::Request {
            timeout: Duration::from_secs(2),
            rate: None,
            response_id: up::CONFIRM_RESPONSE,
        },
        decode: decode_text,
    },
    event("Spawned", decode_two_instances),
    MessageSpec {
        name: "Tick",
        kind: MessageKind::Event {
            unreliable: true,
            ordered: true,
            rate: None,
        },
        decode: decode_u32,
    },
    MessageSpec {
        name: "Gust",
        kind: MessageKind::Event {
            unreliable: true,
            ordered: false,
            rate: None,
        },
        decode: decode_u8,
    },
    MessageSpec {
        name: "Limited call (response)",
        kind: MessageKind::Response {
            request_id: up::LIMITED_CALL,
        },
        decode: decode_unit,
    },
];

static GAME: Protocol = Protocol {
    name: "Game",
    fingerprint: 0x7E7E_7E7E,
    to_server: &TO_SERVER,
    to_client: &TO_CLIENT,
};

/// Bits of a message id (section 6.1): 9 messages client → server need 4,
/// 8 server → client need 3. Every message starts with a bit byte holding
/// its id, which the body's bits go on filling.
const UP_ID_BITS: u32 = 4;
const DOWN_ID_BITS: u32 = 3;

#[test]
fn game_ids_take_ceil_log2_bits() {
    assert_eq!(GAME.id_bits(Direction::ToServer), UP_ID_BITS);
    assert_eq!(GAME.id_bits(Direction::ToClient), DOWN_ID_BITS);
}

// Body encoders, as generated code writes them.

fn text(s: &str) -> impl Fn(&mut Writer) -> Result<(), EncodeError> + '_ {
    move |w| w.string(s, TEXT)
}
fn buy(item: u16, count: u8) -> impl FnOnce(&mut Writer) -> Result<(), EncodeError> {
    move |w| {
        w.u16(item);
        w.u8(count);
        Ok(())
    }
}
fn nothing(_: &mut Writer) -> Result<(), EncodeError> {
    Ok(())
}
fn u32_body(n: u32) -> impl Fn(&mut Writer) -> Result<(), EncodeError> {
    move |w| {
        w.u32(n);
        Ok(())
    }
}

/// The `Shop.Buy` handler generated code would wrap around a user function.
fn buy_handler(
    gold_per_item: u32,
) -> impl FnMut(&Player, Payload, &mut Writer) -> Result<(), InvokeError> + Send + 'static {
    move |_player, payload, w| {
        let (item, count) = *payload
            .downcast::<(u16, u8)>()
            .map_err(|_| InvokeError::Protocol("args".into()))?;
        w.bool(true);
        w.u32(u32::from(item) * u32::from(count) * gold_per_item);
        Ok(())
    }
}

// Helpers.

fn network() -> (MemoryNetwork, Player, ClientRuntime) {
    let mut net = MemoryNetwork::new(&GAME);
    let (player, client) = net.connect_client();
    (net, player, client)
}

fn steps(net: &mut MemoryNetwork, n: usize) {
    for _ in 0..n {
        net.step();
    }
}

/// Records what handlers saw.
#[derive(Clone)]
struct Log<T>(Arc<Mutex<Vec<T>>>);

impl<T> Default for Log<T> {
    fn default() -> Self {
        Log(Arc::new(Mutex::new(Vec::new())))
    }
}

impl<T: Clone> Log<T> {
    fn push(&self, value: T) {
        self.0.lock().unwrap().push(value);
    }
    fn take(&self) -> Vec<T> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
    fn len(&self) -> usize {
        self.0.lock().unwrap().len()
    }
}

fn text_of(payload: &(dyn Any + Send)) -> String {
    payload
        .downcast_ref::<String>()
        .expect("a String payload")
        .clone()
}

/// Silences the default panic message for the panics the tests cause on
/// purpose (the runtime catches them).
fn quiet_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let default = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            let on_purpose = info
                .payload()
                .downcast_ref::<&str>()
                .is_some_and(|m| m.starts_with("on purpose"));
            if !on_purpose {
                default(info);
            }
        }));
    });
}

// ---------------------------------------------------------------------------
// RemoteEvent

#[test]
fn server_handler_gets_the_sending_player_from_the_runtime() {
    let mut net = MemoryNetwork::new(&GAME);
    let (alice, alice_client) = net.connect_client();
    let (bob, bob_client) = net.connect_client();
    let log = Log::default();
    let seen = log.clone();
    net.server().connect(up::CHAT, move |player, payload| {
        seen.push((player.clone(), text_of(payload)));
    });
    // The payload names nobody; a client claiming to be another gains nothing.
    alice_client
        .fire_server(up::CHAT, text("I am Bob"))
        .unwrap();
    bob_client.fire_server(up::CHAT, text("hello")).unwrap();
    net.step();
    let got = log.take();
    assert_eq!(
        got,
        vec![(alice, "I am Bob".to_owned()), (bob, "hello".to_owned())]
    );
}

#[test]
fn fire_client_reaches_one_player_and_fire_all_clients_reaches_all() {
    let mut net = MemoryNetwork::new(&GAME);
    let mut logs = Vec::new();
    let mut players = Vec::new();
    for _ in 0..3 {
        let (player, client) = net.connect_client();
        let log = Log::default();
        let seen = log.clone();
        client.connect(down::ANNOUNCE, move |payload| seen.push(text_of(payload)));
        logs.push(log);
        players.push(player);
    }
    net.server()
        .fire_client(&players[1], down::ANNOUNCE, text("just you"))
        .unwrap();
    net.server()
        .fire_all_clients(down::ANNOUNCE, text("everyone"))
        .unwrap();
    net.step();
    assert_eq!(logs[0].take(), ["everyone"]);
    assert_eq!(logs[1].take(), ["just you", "everyone"]);
    assert_eq!(logs[2].take(), ["everyone"]);

    net.disconnect(&players[2]);
    assert_eq!(
        net.server()
            .fire_client(&players[2], down::ANNOUNCE, text("gone")),
        Err(SendError::NotConnected)
    );
}

#[test]
fn several_handlers_each_disconnectable() {
    let (mut net, _player, client) = network();
    let first = Log::default();
    let second = Log::default();
    let (a, b) = (first.clone(), second.clone());
    let one = net
        .server()
        .connect(up::CHAT, move |_, payload| a.push(text_of(payload)));
    let two = net
        .server()
        .connect(up::CHAT, move |_, payload| b.push(text_of(payload)));
    // The body's length starts in the id's bit byte: the second handler
    // decodes it again from there, bit state and all.
    client.fire_server(up::CHAT, text("both")).unwrap();
    net.step();
    assert_eq!(first.take(), ["both"]);
    assert_eq!(second.take(), ["both"], "each handler gets its own payload");

    assert!(one.is_connected());
    one.disconnect();
    client.fire_server(up::CHAT, text("second only")).unwrap();
    net.step();
    assert_eq!(first.take(), Vec::<String>::new());
    assert_eq!(second.take(), ["second only"]);
    assert!(two.is_connected());
    two.disconnect();
}

#[test]
fn events_wait_for_a_handler_up_to_256_then_drop_and_count() {
    let (mut net, _player, client) = network();
    for i in 0..300 {
        client
            .fire_server(up::CHAT, text(&format!("m{i}")))
            .unwrap();
    }
    net.step();
    let stats = net.server().stats();
    assert_eq!(stats.events_waiting, MAX_WAITING_EVENTS as u64);
    assert_eq!(stats.events_dropped, 300 - 256);

    let log = Log::default();
    let seen = log.clone();
    net.server()
        .connect(up::CHAT, move |_, payload| seen.push(text_of(payload)));
    assert_eq!(log.len(), 0, "delivered on the next poll, not in connect");
    net.step();
    let got = log.take();
    assert_eq!(got.len(), 256);
    assert_eq!(got[0], "m0");
    assert_eq!(got[255], "m255");
    assert_eq!(net.server().stats().events_waiting, 0);
}

#[test]
fn handlers_run_during_poll_and_may_call_back_into_the_runtime() {
    let server = ServerRuntime::new(&GAME);
    let client = ClientRuntime::new(&GAME);
    let player = server.connect_player();
    let ran = Arc::new(AtomicU32::new(0));
    let handle = server.clone();
    let count = ran.clone();
    server.connect(up::CHAT, move |player, payload| {
        count.fetch_add(1, Ordering::SeqCst);
        // Firing and invoking from a handler: the runtime lock is not held.
        handle
            .fire_all_clients(down::ANNOUNCE, text(&text_of(payload)))
            .unwrap();
        drop(handle.invoke_client(player, down::CONFIRM, text("sure?")));
        let _ = handle.stats();
    });
    client.fire_server(up::CHAT, text("echo")).unwrap();
    for frame in client.take_outgoing() {
        server.receive(&player, &frame);
    }
    assert_eq!(ran.load(Ordering::SeqCst), 0, "not while receiving");
    server.poll(Duration::ZERO);
    assert_eq!(ran.load(Ordering::SeqCst), 1);
    let out = server.take_outgoing();
    assert_eq!(out.len(), 1, "one frame holding both messages");
    assert_eq!(out[0].0, player);
}

// ---------------------------------------------------------------------------
// RemoteFunction

#[test]
fn invoke_server_resolves_with_the_handler_result() {
    let (mut net, _player, client) = network();
    net.server().on_invoke(up::BUY, buy_handler(10));
    let mut call = Typed::<(bool, u32)>::new(client.invoke_server(up::BUY, buy(3, 2)));
    assert_eq!(call.try_result(), None);
    net.step(); // request to the server; its handler answers
    assert_eq!(call.try_result(), None);
    net.step(); // response to the client
    assert_eq!(call.try_result(), Some(Ok((true, 60))));
    assert_eq!(call.try_result(), None, "a result is taken once");
}

#[test]
fn only_the_last_invoke_handler_runs() {
    let (mut net, _player, client) = network();
    net.server().on_invoke(up::BUY, buy_handler(1));
    net.server().on_invoke(up::BUY, buy_handler(100));
    let mut call = Typed::<(bool, u32)>::new(client.invoke_server(up::BUY, buy(1, 1)));
    steps(&mut net, 2);
    assert_eq!(call.try_result(), Some(Ok((true, 100))));
}

#[test]
fn no_handler_is_an_error_not_a_hang() {
    let (mut net, _player, client) = network();
    let mut call = client.invoke_server(up::BUY, buy(1, 1));
    steps(&mut net, 2);
    assert_eq!(
        call.try_result().map(|r| r.err()),
        Some(Some(InvokeError::NoHandler))
    );
}

#[test]
fn timeout_is_measured_with_the_time_given_to_poll() {
    let (mut net, _player, client) = network();
    net.server().on_invoke(up::SLOW, |_, _, _| Ok(()));
    let mut call = client.invoke_server(up::SLOW, nothing);
    // The clock jumps past the 1 s timeout before the answer can come back.
    net.step_by(Duration::from_millis(1500));
    assert_eq!(
        call.try_result().map(|r| r.err()),
        Some(Some(InvokeError::Timeout))
    );
    assert_eq!(client.stats().timeouts, 1);
    // The late response is dropped and counted.
    net.step();
    assert_eq!(client.stats().unmatched_responses, 1);

    // Just inside the timeout, it resolves.
    let mut call = client.invoke_server(up::SLOW, nothing);
    net.step_by(Duration::from_millis(400));
    net.step_by(Duration::from_millis(400));
    assert!(matches!(call.try_result(), Some(Ok(_))));
}

#[test]
fn handler_error_reaches_the_caller() {
    let (mut net, _player, client) = network();
    net.server().on_invoke(up::BUY, |_, _, _| {
        Err(InvokeError::Handler("not enough gold".into()))
    });
    let mut call = client.invoke_server(up::BUY, buy(1, 1));
    steps(&mut net, 2);
    assert_eq!(
        call.try_result().map(|r| r.err()),
        Some(Some(InvokeError::Handler("not enough gold".into())))
    );
}

#[test]
fn handler_panic_is_panicked_and_the_server_keeps_running() {
    quiet_panics();
    let (mut net, _player, client) = network();
    let calls = Arc::new(AtomicU32::new(0));
    let count = calls.clone();
    net.server().on_invoke(up::BUY, move |player, payload, w| {
        if count.fetch_add(1, Ordering::SeqCst) == 0 {
            panic!("on purpose: first call");
        }
        buy_handler(1)(player, payload, w)
    });
    let mut first = client.invoke_server(up::BUY, buy(1, 1));
    steps(&mut net, 2);
    assert_eq!(
        first.try_result().map(|r| r.err()),
        Some(Some(InvokeError::Panicked))
    );
    assert_eq!(net.server().stats().handler_panics, 1);

    let mut second = Typed::<(bool, u32)>::new(client.invoke_server(up::BUY, buy(2, 2)));
    steps(&mut net, 2);
    assert_eq!(second.try_result(), Some(Ok((true, 4))));
}

#[test]
fn a_handler_that_fails_midway_sends_an_error_not_half_a_response() {
    let (mut net, _player, client) = network();
    let announcements = Log::default();
    let seen = announcements.clone();
    client.connect(down::ANNOUNCE, move |p| seen.push(text_of(p)));
    let server = net.server().clone();
    net.server().on_invoke(up::BUY, move |player, _, w| {
        server
            .fire_client(player, down::ANNOUNCE, text("before"))
            .unwrap();
        w.bool(true);
        w.u8(7); // part of the returns, then encoding fails
        Err(InvokeError::Encode(EncodeError::NonFinite))
    });
    let mut call = client.invoke_server(up::BUY, buy(1, 1));
    net.server()
        .fire_client(&net.server().players()[0], down::ANNOUNCE, text("other"))
        .unwrap();
    steps(&mut net, 2);
    assert!(matches!(
        call.try_result(),
        Some(Err(InvokeError::Protocol(m))) if m.contains("could not encode")
    ));
    // The frame around the failed response still decoded.
    assert_eq!(announcements.take(), ["other", "before"]);
    assert_eq!(client.stats().rejected.total(), 0);
}

#[test]
fn a_disconnect_fails_every_pending_invocation_at_once() {
    let (mut net, player, client) = network();
    net.server().on_invoke(up::BUY, buy_handler(1));
    let mut calls: Vec<_> = (0..3)
        .map(|i| client.invoke_server(up::BUY, buy(i, 1)))
        .collect();
    net.step(); // the requests reach the server; the answers are not back yet
    let mut from_server = net
        .server()
        .invoke_client(&player, down::CONFIRM, text("still there?"));
    net.disconnect(&player);
    // No poll needed.
    for call in &mut calls {
        assert_eq!(
            call.try_result().map(|r| r.err()),
            Some(Some(InvokeError::Disconnected))
        );
    }
    assert_eq!(
        from_server.try_result().map(|r| r.err()),
        Some(Some(InvokeError::Disconnected))
    );
    // After the disconnect, calls fail at once too.
    let mut late = client.invoke_server(up::BUY, buy(1, 1));
    assert_eq!(
        late.try_result().map(|r| r.err()),
        Some(Some(InvokeError::Disconnected))
    );
    assert_eq!(
        client.fire_server(up::CHAT, text("hi")),
        Err(SendError::NotConnected)
    );
}

#[test]
fn invoke_client_answers_errors_disconnects_and_timeouts() {
    let (mut net, player, client) = network();
    let server = net.server().clone();

    // An answer.
    client.on_invoke(down::CONFIRM, |payload, w| {
        let prompt = text_of(&*payload);
        w.bool(prompt == "yes?");
        Ok(())
    });
    let mut call = Typed::<bool>::new(server.invoke_client(&player, down::CONFIRM, text("yes?")));
    steps(&mut net, 2);
    assert_eq!(call.try_result(), Some(Ok(true)));

    // The client's error reaches the server as an error.
    client.on_invoke(down::CONFIRM, |_, _| Err(InvokeError::Handler("no".into())));
    let mut call = server.invoke_client(&player, down::CONFIRM, text("yes?"));
    steps(&mut net, 2);
    assert_eq!(
        call.try_result().map(|r| r.err()),
        Some(Some(InvokeError::Handler("no".into())))
    );

    // A client that never answers: the request goes nowhere (as if the
    // client hung), and the server times out after 2 s.
    let mut call = server.invoke_client(&player, down::CONFIRM, text("hello?"));
    let _lost = server.take_packets();
    server.poll(Duration::from_millis(1999));
    assert_eq!(call.try_result().map(|r| r.err()), None);
    server.poll(Duration::from_millis(2000));
    assert_eq!(
        call.try_result().map(|r| r.err()),
        Some(Some(InvokeError::Timeout))
    );

    // A client that leaves.
    let mut call = server.invoke_client(&player, down::CONFIRM, text("yes?"));
    net.disconnect(&player);
    assert_eq!(
        call.try_result().map(|r| r.err()),
        Some(Some(InvokeError::Disconnected))
    );
}

#[test]
fn arguments_that_cannot_be_encoded_fail_without_sending() {
    let (mut net, _player, client) = network();
    let too_long = "x".repeat(65);
    assert!(matches!(
        client.fire_server(up::CHAT, text(&too_long)),
        Err(SendError::Encode(EncodeError::LengthOutOfRange { .. }))
    ));
    let mut call = client.invoke_server(up::BUY, |w| {
        w.u16(1);
        Err(EncodeError::NonFinite)
    });
    assert_eq!(
        call.try_result().map(|r| r.err()),
        Some(Some(InvokeError::Encode(EncodeError::NonFinite)))
    );
    assert!(
        client.take_outgoing().is_empty(),
        "nothing half-written goes out"
    );
    net.step();
}

// ---------------------------------------------------------------------------
// Invocations as futures

struct CountingWaker(AtomicU32);

impl Wake for CountingWaker {
    fn wake(self: Arc<Self>) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

#[test]
fn an_invocation_stores_the_waker_and_poll_wakes_it() {
    let (mut net, _player, client) = network();
    net.server().on_invoke(up::BUY, buy_handler(2));
    let counter = Arc::new(CountingWaker(AtomicU32::new(0)));
    let waker = Waker::from(counter.clone());
    let mut cx = Context::from_waker(&waker);
    let mut call = std::pin::pin!(Typed::<(bool, u32)>::new(
        client.invoke_server(up::BUY, buy(5, 1))
    ));
    assert!(call.as_mut().poll(&mut cx).is_pending());
    net.step();
    assert_eq!(counter.0.load(Ordering::SeqCst), 0);
    net.step();
    assert_eq!(
        counter.0.load(Ordering::SeqCst),
        1,
        "woken by the client's poll"
    );
    assert_eq!(call.as_mut().poll(&mut cx), Poll::Ready(Ok((true, 10))));
}

#[tokio::test(flavor = "current_thread")]
async fn invoke_server_awaited_under_tokio() {
    let (mut net, _player, client) = network();
    net.server().on_invoke(up::BUY, buy_handler(7));
    let stop = Arc::new(AtomicBool::new(false));
    let driver = tokio::spawn({
        let stop = stop.clone();
        async move {
            while !stop.load(Ordering::SeqCst) {
                net.step_by(Duration::from_millis(1));
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
            net
        }
    });
    let caller = tokio::spawn(async move {
        let first = Typed::<(bool, u32)>::new(client.invoke_server(up::BUY, buy(2, 3))).await;
        let second = Typed::<(bool, u32)>::new(client.invoke_server(up::BUY, buy(1, 1))).await;
        (first, second)
    });
    let results = tokio::time::timeout(Duration::from_secs(10), caller)
        .await
        .expect("the invocations resolve")
        .unwrap();
    stop.store(true, Ordering::SeqCst);
    let net = driver.await.unwrap();
    assert_eq!(results, (Ok((true, 42)), Ok((true, 7))));
    assert_eq!(net.server().stats().handler_panics, 0);
}

#[test]
fn typed_reports_a_payload_of_the_wrong_type_as_a_protocol_error() {
    let (mut net, _player, client) = network();
    net.server().on_invoke(up::BUY, buy_handler(1));
    let mut call = Typed::<String>::new(client.invoke_server(up::BUY, buy(1, 1)));
    steps(&mut net, 2);
    assert!(matches!(
        call.try_result(),
        Some(Err(InvokeError::Protocol(_)))
    ));
}

// ---------------------------------------------------------------------------
// Bindables

#[test]
fn bindable_event_queues_and_isolates_handlers() {
    quiet_panics();
    let event = BindableEvent::<Vec<u32>>::new();
    let log = Log::default();
    let (a, b) = (log.clone(), log.clone());
    event.connect(move |mut v| {
        v.push(1); // its own copy
        a.push(("first", v));
    });
    event.connect(|_| panic!("on purpose: a failing handler"));
    let last = event.connect(move |v| b.push(("third", v)));
    event.fire(vec![0]);
    assert_eq!(log.len(), 0, "fire never runs a handler");
    event.poll();
    assert_eq!(
        log.take(),
        [("first", vec![0, 1]), ("third", vec![0])],
        "the panic did not stop the others; each got its own value"
    );
    assert_eq!(event.panics(), 1);
    last.disconnect();
    event.fire(vec![9]);
    event.poll();
    assert_eq!(log.take(), [("first", vec![9, 1])]);
}

#[test]
fn bindable_function_waits_for_a_callback_until_its_timeout() {
    let f = BindableFunction::<(u32, u32), u32>::new(Some(Duration::from_secs(2)));
    let mut early = f.invoke((2, 3));
    f.poll(Duration::from_secs(1));
    assert_eq!(early.try_result(), None, "waits for a callback");
    f.set_callback(|(a, b)| a + b);
    f.set_callback(|(a, b)| a * b); // only the last one runs
    f.poll(Duration::from_secs(1));
    assert_eq!(early.try_result(), Some(Ok(6)));
    let mut now = f.invoke((4, 5));
    assert_eq!(now.try_result(), Some(Ok(20)), "runs at once when set");

    let g = BindableFunction::<(), u32>::new(Some(Duration::from_secs(2)));
    let mut late = g.invoke(());
    g.poll(Duration::from_millis(1999));
    assert_eq!(late.try_result(), None);
    g.poll(Duration::from_secs(2));
    assert_eq!(late.try_result(), Some(Err(InvokeError::Timeout)));
}

#[test]
fn bindable_function_returning_nothing_and_panicking() {
    quiet_panics();
    let unit = BindableFunction::<(), ()>::new(Some(Duration::from_secs(1)));
    unit.set_callback(|()| ());
    assert_eq!(unit.invoke(()).try_result(), Some(Ok(())));
    let none = BindableFunction::<(u8,), Option<u8>>::new(Some(Duration::from_secs(1)));
    none.set_callback(|(n,)| (n > 0).then_some(n));
    assert_eq!(none.invoke((0,)).try_result(), Some(Ok(None)));
    assert_eq!(none.invoke((3,)).try_result(), Some(Ok(Some(3))));
    let bad = BindableFunction::<(), u8>::new(Some(Duration::from_secs(1)));
    bad.set_callback(|()| panic!("on purpose: a failing callback"));
    assert_eq!(
        bad.invoke(()).try_result(),
        Some(Err(InvokeError::Panicked))
    );
    // A re-entrant call does not deadlock: it runs at the next poll.
    let rec = BindableFunction::<u8, u8>::new(Some(Duration::from_secs(1)));
    let inner = Arc::new(Mutex::new(None));
    let (handle, slot) = (rec.clone(), inner.clone());
    rec.set_callback(move |n| {
        if n > 0 {
            *slot.lock().unwrap() = Some(handle.invoke(n - 1));
        }
        n
    });
    assert_eq!(rec.invoke(1).try_result(), Some(Ok(1)));
    rec.poll(Duration::ZERO);
    let mut nested = inner.lock().unwrap().take().unwrap();
    assert_eq!(nested.try_result(), Some(Ok(0)));
}

// ---------------------------------------------------------------------------
// Frames

#[test]
fn reliable_messages_are_batched_one_frame_per_player_per_tick() {
    let server = ServerRuntime::new(&GAME);
    let alice = server.connect_player();
    let bob = server.connect_player();
    for word in ["a", "bc", "def"] {
        server
            .fire_client(&alice, down::ANNOUNCE, text(word))
            .unwrap();
    }
    server.fire_client(&bob, down::ANNOUNCE, text("b")).unwrap();
    server.fire_all_clients(down::TICK, u32_body(9)).unwrap();
    server.fire_all_clients(down::TICK, u32_body(10)).unwrap();
    let out = server.take_packets();
    let for_alice: Vec<_> = out.iter().filter(|(p, _)| *p == alice).collect();
    let reliable = for_alice
        .iter()
        .filter(|(_, packet)| packet.channel == Channel::Reliable)
        .count();
    assert_eq!(reliable, 1);
    assert_eq!(for_alice.len(), 3, "one frame and two datagrams");
    // Each message: a bit byte holding the 3-bit id 2 (bits 0-2: 0, 1, 0)
    // and the low five bits of the 7-bit length (bits 3-7); a second bit
    // byte for the length's high two bits (0); the bytes. Three messages,
    // concatenated, each with a fresh bit state.
    assert_eq!(
        for_alice[0].1.bytes,
        [
            0b0000_1010, // id 2, length 1
            0,
            b'a',
            0b0001_0010, // id 2, length 2
            0,
            b'b',
            b'c',
            0b0001_1010, // id 2, length 3
            0,
            b'd',
            b'e',
            b'f'
        ]
    );
    // Each datagram: a bit byte holding the id 5 (1, 0, 1), the sequence
    // number, the u32.
    assert_eq!(for_alice[1].1.bytes, [0b101, 0, 0, 9, 0, 0, 0]);
    assert_eq!(for_alice[2].1.bytes, [0b101, 1, 0, 10, 0, 0, 0]);
    assert!(
        server.take_packets().is_empty(),
        "nothing in a tick without messages"
    );

    // The receiver splits the frame with the decoders.
    let client = ClientRuntime::new(&GAME);
    let log = Log::default();
    let seen = log.clone();
    client.connect(down::ANNOUNCE, move |p| seen.push(text_of(p)));
    client.receive_packet(&for_alice[0].1);
    client.poll(Duration::ZERO);
    assert_eq!(log.take(), ["a", "bc", "def"]);
    let stats = client.stats();
    assert_eq!((stats.frames_received, stats.messages_received), (1, 3));
}

#[test]
fn response_status_shares_its_bit_byte_with_the_returns() {
    let server = ServerRuntime::new(&GAME);
    let player = server.connect_player();
    server.on_invoke(up::BUY, buy_handler(1));
    // Request: a bit byte holding the 4-bit id 1, call id 0x0102, item 3,
    // count 4.
    server.receive(&player, &[0b0001, 0x02, 0x01, 3, 0, 4]);
    server.poll(Duration::ZERO);
    let out = server.take_outgoing();
    // Response: one bit byte holding the 3-bit id 0 (bits 0-2), the status
    // 1 (bit 3) and the returned `true` (bit 4); the call id; the u32 12.
    assert_eq!(out, [(player, vec![0b0001_1000, 0x02, 0x01, 12, 0, 0, 0])]);
}

#[test]
fn an_error_response_has_an_8_bit_length() {
    let (mut net, player, client) = network();
    net.server()
        .on_invoke(up::BUY, |_, _, _| Err(InvokeError::Handler("no".into())));
    let mut call = client.invoke_server(up::BUY, buy(1, 1));
    net.step(); // the request reaches the server
    let out = net.server().take_outgoing();
    // A bit byte holding the 3-bit id 0, the status 0 (bit 3) and the low
    // four bits of the error's 8-bit length (string(..255)) in bits 4-7;
    // the call id 0; a second bit byte for the length's high four bits;
    // the message's bytes.
    let [(to, bytes)] = &out[..] else {
        panic!("one response: {out:?}");
    };
    assert_eq!(to, &player);
    let len = bytes.len() - 4;
    assert!(len > 0 && len <= 255, "{bytes:?}");
    assert_eq!(bytes[0], ((len as u8) & 0x0F) << 4);
    assert_eq!(&bytes[1..3], [0, 0]);
    assert_eq!(bytes[3], (len as u8) >> 4);
    assert!(std::str::from_utf8(&bytes[4..]).is_ok());
    client.receive(bytes);
    client.poll(Duration::ZERO);
    assert_eq!(
        call.try_result().map(|r| r.err()),
        Some(Some(InvokeError::Handler("no".into())))
    );
    assert_eq!(client.stats().rejected.total(), 0);
}

#[test]
fn a_bad_frame_is_dropped_whole_and_counted() {
    let server = ServerRuntime::new(&GAME);
    let player = server.connect_player();
    let log = Log::default();
    let seen = log.clone();
    server.connect(up::CHAT, move |_, p| seen.push(text_of(p)));
    // Chat "hi": a bit byte holding the 4-bit id 0 and the low four bits of
    // the 7-bit length 2 (0, 1, 0, 0); a bit byte for its high three (0).
    let good = [0b0010_0000, 0, b'h', b'i'];

    // A good message, then an unknown id: 4 bits hold up to 15, and there
    // are 9 messages.
    server.receive(&player, &[&good[..], &[9]].concat());
    // A good message, then one whose string runs past the end: length 60 =
    // 0b011_1100, then one byte.
    server.receive(&player, &[&good[..], &[0b1100_0000, 0b011, b'x']].concat());
    // A length above the string's range: 65 = 0b100_0001 fits 7 bits, but
    // not `..64`.
    server.receive(&player, &[0b0001_0000, 0b100]);
    // An array claiming 2^32 - 1 elements in a few bytes: rejected before
    // anything is allocated for them. The id's bit byte, then the varint.
    server.receive(
        &player,
        &[up::BULK as u8, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 1, 2],
    );
    // A request without its call id: the id's bit byte, then one byte.
    server.receive(&player, &[up::BUY as u8, 1]);
    server.poll(Duration::ZERO);
    assert!(
        log.take().is_empty(),
        "no message of a bad frame is delivered"
    );
    let stats = server.stats();
    assert_eq!(stats.rejected.unknown_message, 1);
    assert_eq!(stats.rejected.decode, 4);
    assert_eq!(stats.frames_received, 0);
    assert!(stats.last_rejection.is_some());

    // From someone who is not connected.
    let stranger = Player {
        id: 99,
        name: "Stranger".into(),
        instance: None,
    };
    server.receive(&stranger, &good);
    assert_eq!(server.stats().rejected.unknown_sender, 1);

    server.receive(&player, &good);
    server.poll(Duration::ZERO);
    assert_eq!(log.take(), ["hi"]);
}

#[test]
fn datagrams_hold_exactly_one_unreliable_message() {
    let client = ClientRuntime::new(&GAME);
    let log = Log::default();
    let seen = log.clone();
    client.connect(down::GUST, move |p| {
        seen.push(*p.downcast_ref::<u8>().unwrap())
    });
    // The id's bit byte (the 3-bit id, nothing else), then the u8.
    client.receive_packet(&Packet::unreliable(vec![down::GUST as u8, 7]));
    client.receive_packet(&Packet::unreliable(vec![down::GUST as u8, 8, 0]));
    client.receive_packet(&Packet::unreliable(vec![down::ANNOUNCE as u8, 0]));
    client.poll(Duration::ZERO);
    assert_eq!(log.take(), [7]);
    let rejected = client.stats().rejected;
    assert_eq!((rejected.trailing_bytes, rejected.not_unreliable), (1, 1));
}

#[test]
fn random_frames_never_panic() {
    let server = ServerRuntime::new(&GAME);
    let client = ClientRuntime::new(&GAME);
    let mut player = server.connect_player();
    server.connect(up::CHAT, |_, _| {});
    client.connect(down::ANNOUNCE, |_| {});
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for _ in 0..5000 {
        let len = (next() % 24) as usize;
        let bytes: Vec<u8> = (0..len).map(|_| (next() % 10) as u8).collect();
        let channel = if next() % 2 == 0 {
            Channel::Reliable
        } else {
            Channel::Unreliable
        };
        let instances = vec![Some(InstanceId(1)), None];
        let packet = Packet {
            channel,
            bytes,
            instances,
        };
        server.receive_packet(&player, &packet);
        client.receive_packet(&packet);
        // Random bytes are mostly rejected, and repeated offences put the
        // sender out: it comes back as a new player, as a client would.
        if !server.take_expelled().is_empty() {
            player = server.connect_player();
        }
    }
    server.poll(Duration::ZERO);
    client.poll(Duration::ZERO);
    let _ = server.take_outgoing();
    let (s, c) = (server.stats(), client.stats());
    // Every packet is accepted or rejected whole; messages over their rate
    // or refused for their values are counted one by one inside accepted
    // frames.
    let whole = |s: &tether_runtime::Stats| {
        s.frames_received + s.rejected.total() - s.rejected.rate_limited - s.messages_refused
    };
    assert_eq!(whole(&s), 5000, "{s:?}");
    assert_eq!(whole(&c), 5000, "{c:?}");
    assert!(
        s.messages_refused > 0,
        "random values break their types: {s:?}"
    );
    assert!(
        s.messages_received > 0 && c.messages_received > 0,
        "{s:?} {c:?}"
    );
    assert!(s.rejected.total() > 0 && c.rejected.total() > 0);
}

#[test]
fn ordered_unreliable_drops_stale_datagrams() {
    let server = ServerRuntime::new(&GAME);
    let alice = server.connect_player();
    let bob = server.connect_player();
    for n in 0..3 {
        server.fire_client(&alice, down::TICK, u32_body(n)).unwrap();
    }
    server.fire_client(&bob, down::TICK, u32_body(100)).unwrap();
    let out = server.take_packets();
    let to_alice: Vec<&Packet> = out
        .iter()
        .filter(|(p, _)| *p == alice)
        .map(|(_, d)| d)
        .collect();
    let to_bob: Vec<&Packet> = out
        .iter()
        .filter(|(p, _)| *p == bob)
        .map(|(_, d)| d)
        .collect();
    // The id's bit byte, then the sequence number.
    assert_eq!(
        to_bob[0].bytes[1..3],
        [0, 0],
        "sequence numbers count per player"
    );

    let client = ClientRuntime::new(&GAME);
    let log = Log::default();
    let seen = log.clone();
    client.connect(down::TICK, move |p| {
        seen.push(*p.downcast_ref::<u32>().unwrap())
    });
    // They arrive out of order: 1, 0, 2, 1.
    for i in [1, 0, 2, 1] {
        client.receive_packet(to_alice[i]);
    }
    client.poll(Duration::ZERO);
    assert_eq!(log.take(), [1, 2]);
    assert_eq!(client.stats().stale_dropped, 2);

    // Client → server too (unordered unreliable events are not checked).
    let (mut net, _player, client) = network();
    let moves = Log::default();
    let seen = moves.clone();
    net.server().connect(up::MOVE, move |_, p| {
        seen.push(*p.downcast_ref::<u16>().unwrap())
    });
    for step in 0..4 {
        client
            .fire_server(up::MOVE, move |w| {
                w.u16(step);
                Ok(())
            })
            .unwrap();
    }
    let mut datagrams = client.take_packets();
    datagrams.swap(0, 3);
    for d in &datagrams {
        net.server().receive_packet(&net.server().players()[0], d);
    }
    net.step();
    assert_eq!(moves.take(), [3]);
}

fn decode_flag_and_u8(r: &mut Reader<'_>) -> Result<Payload, DecodeError> {
    Ok(Box::new((r.bool()?, r.u8()?)))
}

/// An event `(flag: boolean, n: u8)`.
const FLAG: MessageSpec = event("Flag", decode_flag_and_u8);

/// A protocol of `to_client.len()` server → client messages.
const fn many(to_client: &'static [MessageSpec]) -> Protocol {
    Protocol {
        name: "Many",
        fingerprint: 1,
        to_server: &[],
        to_client,
    }
}

#[test]
fn message_ids_take_ceil_log2_bits_and_at_least_one() {
    static ONE: [MessageSpec; 1] = [FLAG; 1];
    static TWO: [MessageSpec; 2] = [FLAG; 2];
    static THREE: [MessageSpec; 3] = [FLAG; 3];
    static P256: [MessageSpec; 256] = [FLAG; 256];
    static P257: [MessageSpec; 257] = [FLAG; 257];
    static P300: [MessageSpec; 300] = [FLAG; 300];
    static PROTOCOLS: [Protocol; 6] = [
        many(&ONE),
        many(&TWO),
        many(&THREE),
        many(&P256),
        many(&P257),
        many(&P300),
    ];
    // The last message of each, fired with (true, 42): the id's bits, then
    // the flag in the next bit, then the byte.
    let cases: [(u32, &[u8]); 6] = [
        // 1 message: 1 bit (id 0); the flag is bit 1.
        (1, &[0b10, 42]),
        // 2: 1 bit (id 1); the flag is bit 1.
        (1, &[0b11, 42]),
        // 3: 2 bits (id 2 = 0, 1); the flag is bit 2.
        (2, &[0b110, 42]),
        // 256: 8 bits (id 255) fill the bit byte; the flag opens another.
        (8, &[0xFF, 0b1, 42]),
        // 257: 9 bits (id 256 = 0 x 8, 1): bit 8 opens a second bit byte,
        // which the flag shares.
        (9, &[0x00, 0b11, 42]),
        // 300: 9 bits (id 299 = 0b1_0010_1011).
        (9, &[0x2B, 0b11, 42]),
    ];
    for (protocol, (bits, expected)) in PROTOCOLS.iter().zip(cases) {
        let count = protocol.to_client.len();
        assert_eq!(
            protocol.id_bits(Direction::ToClient),
            bits,
            "{count} messages"
        );
        let last = (count - 1) as u16;
        let server = ServerRuntime::new(protocol);
        let player = server.connect_player();
        server
            .fire_client(&player, last, |w| {
                w.bool(true);
                w.u8(42);
                Ok(())
            })
            .unwrap();
        let out = server.take_outgoing();
        assert_eq!(out, [(player, expected.to_vec())], "{count} messages");

        let client = ClientRuntime::new(protocol);
        let log = Log::default();
        let seen = log.clone();
        client.connect(last, move |p| {
            seen.push(*p.downcast_ref::<(bool, u8)>().unwrap())
        });
        client.receive(expected);
        client.poll(Duration::ZERO);
        assert_eq!(log.take(), [(true, 42)], "{count} messages");
        assert_eq!(client.stats().rejected.total(), 0);
    }
    // With no messages at all an id still takes a bit.
    static NONE: Protocol = many(&[]);
    assert_eq!(NONE.id_bits(Direction::ToClient), 1);
    assert_eq!(NONE.id_bits(Direction::ToServer), 1);

    // 257 messages: a 9-bit id above 256 names no message.
    static P257_ONLY: Protocol = many(&P257);
    let client = ClientRuntime::new(&P257_ONLY);
    client.receive(&[0xFF, 0b1, 1, 42]);
    assert_eq!(client.stats().rejected.unknown_message, 1);
}

#[test]
fn a_broadcast_writes_what_a_single_send_writes() {
    // Announce "hi": the body's 7-bit length shares the id's bit byte, so
    // the body cannot be encoded apart from the header.
    let expected = [0b0001_0010, 0, b'h', b'i'];
    let server = ServerRuntime::new(&GAME);
    let alice = server.connect_player();
    let bob = server.connect_player();
    server
        .fire_client(&alice, down::ANNOUNCE, text("hi"))
        .unwrap();
    assert_eq!(server.take_outgoing(), [(alice.clone(), expected.to_vec())]);
    server.fire_all_clients(down::ANNOUNCE, text("hi")).unwrap();
    let mut out = server.take_outgoing();
    out.sort_by_key(|(p, _)| p.id);
    assert_eq!(out, [(alice, expected.to_vec()), (bob, expected.to_vec())]);
}

// ---------------------------------------------------------------------------
// Instances

#[test]
fn instances_a_player_cannot_see_decode_as_none() {
    let mut net = MemoryNetwork::new(&GAME);
    let (alice, alice_client) = net.connect_client();
    let (bob, bob_client) = net.connect_client();
    let registry = net.server().instances().clone();
    let part = registry
        .register::<classes::Part>(Visibility::Everyone)
        .id();
    let secret = registry
        .register::<classes::Folder>(Visibility::ServerOnly)
        .id();
    let gui = registry
        .register::<classes::ScreenGui>(Visibility::player(&alice))
        .id();

    let spawned = |client: &ClientRuntime| {
        let log = Log::default();
        let seen = log.clone();
        client.connect(down::SPAWNED, move |p| {
            seen.push(
                *p.downcast_ref::<(Option<InstanceId>, Option<InstanceId>)>()
                    .unwrap(),
            )
        });
        log
    };
    let (alice_log, bob_log) = (spawned(&alice_client), spawned(&bob_client));
    net.server()
        .fire_all_clients(down::SPAWNED, |w| {
            w.instance(Some(part));
            w.instance(Some(gui));
            Ok(())
        })
        .unwrap();
    net.server()
        .fire_all_clients(down::SPAWNED, |w| {
            w.instance(Some(secret));
            w.instance(None);
            Ok(())
        })
        .unwrap();
    net.step();
    assert_eq!(
        alice_log.take(),
        [(Some(part), Some(gui)), (None, None)],
        "alice sees the part and her gui, not the server's folder"
    );
    assert_eq!(bob_log.take(), [(Some(part), None), (None, None)]);

    // Client → server: the server resolves what the client sent against what
    // that client can see.
    let touched = Log::default();
    let seen = touched.clone();
    net.server().connect(up::TOUCH, move |player, p| {
        seen.push((player.id, *p.downcast_ref::<Option<InstanceId>>().unwrap()))
    });
    for id in [part, gui, secret, InstanceId(12345)] {
        bob_client
            .fire_server(up::TOUCH, move |w| {
                w.instance(Some(id));
                Ok(())
            })
            .unwrap();
    }
    alice_client
        .fire_server(up::TOUCH, move |w| {
            w.instance(Some(gui));
            Ok(())
        })
        .unwrap();
    net.step();
    let bob_id = bob.id;
    assert_eq!(
        touched.take(),
        [
            (alice.id, Some(gui)),
            (bob_id, Some(part)),
            (bob_id, None),
            (bob_id, None),
            (bob_id, None)
        ]
    );
}

#[test]
fn a_frame_shares_one_instance_list() {
    let server = ServerRuntime::new(&GAME);
    let registry = server.instances().clone();
    let player = server.connect_player();
    let a = registry
        .register::<classes::Part>(Visibility::Everyone)
        .id();
    let b = registry
        .register::<classes::Part>(Visibility::Everyone)
        .id();
    for (x, y) in [(a, b), (b, a), (a, a)] {
        server
            .fire_client(&player, down::SPAWNED, |w| {
                w.instance(Some(x));
                w.instance(Some(y));
                Ok(())
            })
            .unwrap();
    }
    let out = server.take_packets();
    assert_eq!(out.len(), 1);
    let packet = &out[0].1;
    assert_eq!(packet.instances, [Some(a), Some(b)]);
    let client = ClientRuntime::new(&GAME);
    let log = Log::default();
    let seen = log.clone();
    client.connect(down::SPAWNED, move |p| {
        seen.push(
            *p.downcast_ref::<(Option<InstanceId>, Option<InstanceId>)>()
                .unwrap(),
        )
    });
    client.receive_packet(packet);
    client.poll(Duration::ZERO);
    assert_eq!(
        log.take(),
        [(Some(a), Some(b)), (Some(b), Some(a)), (Some(a), Some(a))]
    );
}

// ---------------------------------------------------------------------------
// Transport, limits, stats

#[test]
fn the_memory_network_is_deterministic_with_seeded_loss() {
    let run = |seed| {
        let (mut net, _player, client) = network();
        net.set_unreliable_loss(300_000, seed);
        let got = Log::default();
        let seen = got.clone();
        client.connect(down::GUST, move |p| {
            seen.push(*p.downcast_ref::<u8>().unwrap())
        });
        for n in 0..100u8 {
            net.server()
                .fire_all_clients(down::GUST, move |w| {
                    w.u8(n);
                    Ok(())
                })
                .unwrap();
            // Reliable messages are never lost.
            net.server()
                .fire_all_clients(down::ANNOUNCE, text("kept"))
                .unwrap();
            net.step();
        }
        (got.take(), net.stats())
    };
    let (first, stats) = run(7);
    assert_eq!(run(7).0, first, "same seed, same losses");
    assert_ne!(run(8).0, first);
    assert_eq!(stats.datagrams_lost + stats.datagrams_delivered, 100);
    assert!((50..=90).contains(&stats.datagrams_delivered), "{stats:?}");
    assert_eq!(stats.frames_delivered, 100);
}

#[test]
fn rate_limited_events_are_dropped_and_counted() {
    let (mut net, _player, client) = network();
    let got = Log::default();
    let seen = got.clone();
    net.server().connect(up::LIMITED, move |_, p| {
        seen.push(*p.downcast_ref::<u8>().unwrap())
    });
    let fire = |n: u8| {
        client
            .fire_server(up::LIMITED, move |w| {
                w.u8(n);
                Ok(())
            })
            .unwrap()
    };
    (0..5).for_each(fire);
    net.step();
    assert_eq!(got.take(), [0, 1]);
    assert_eq!(net.server().stats().rejected.rate_limited, 3);
    net.step_by(Duration::from_secs(1));
    fire(5);
    net.step();
    assert_eq!(got.take(), [5]);
}

#[test]
fn rate_limited_requests_are_refused_with_an_error() {
    let (mut net, _player, client) = network();
    net.server().on_invoke(up::LIMITED_CALL, |_, _, _| Ok(()));
    let mut first = client.invoke_server(up::LIMITED_CALL, nothing);
    let mut second = client.invoke_server(up::LIMITED_CALL, nothing);
    steps(&mut net, 2);
    assert!(matches!(first.try_result(), Some(Ok(_))));
    assert!(matches!(
        second.try_result(),
        Some(Err(InvokeError::RateLimited))
    ));
    assert_eq!(net.server().stats().rejected.rate_limited, 1);
}

#[test]
fn a_response_nobody_awaits_is_dropped_and_counted() {
    let client = ClientRuntime::new(&GAME);
    // A Buy response for call id 7, which was never made: a bit byte
    // holding the 3-bit id 0, the status 1 (bit 3) and `true` (bit 4); the
    // call id; the u32 1.
    client.receive(&[0b0001_1000, 7, 0, 1, 0, 0, 0]);
    client.poll(Duration::ZERO);
    let stats = client.stats();
    assert_eq!(stats.unmatched_responses, 1);
    assert_eq!(stats.rejected.total(), 0);
}

#[test]
fn runtimes_and_invocations_are_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<ServerRuntime>();
    check::<ClientRuntime>();
    check::<tether_runtime::Invocation>();
    check::<Typed<String>>();
    check::<BindableEvent<String>>();
    check::<BindableFunction<(u8,), String>>();
    check::<tether_runtime::Connection>();
    check::<MemoryNetwork>();
}

#[test]
fn a_client_is_limited_to_500_messages_a_second_over_all_remotes() {
    let (mut net, _player, client) = network();
    let got = Log::default();
    let seen = got.clone();
    // `Chat` has no `@rate` of its own: only the client-wide limit holds.
    net.server().connect(up::CHAT, move |_, _| seen.push(()));
    let limit = tether_runtime::CLIENT_MESSAGES_PER_SECOND as usize;
    for _ in 0..limit + 20 {
        client
            .fire_server(up::CHAT, |w| w.string("hi", TEXT))
            .unwrap();
    }
    net.step();
    assert_eq!(got.take().len(), limit);
    assert_eq!(net.server().stats().rejected.rate_limited, 20);
    // A second later the window starts again.
    net.step_by(Duration::from_secs(1));
    client
        .fire_server(up::CHAT, |w| w.string("hi", TEXT))
        .unwrap();
    net.step();
    assert_eq!(got.take().len(), 1);
    // The server's own sends are never limited by it.
    let heard = Log::default();
    let log = heard.clone();
    client.connect(down::ANNOUNCE, move |_| log.push(()));
    for _ in 0..limit + 20 {
        net.server()
            .fire_all_clients(down::ANNOUNCE, |w| w.string("all", TEXT))
            .unwrap();
    }
    net.step();
    net.step();
    assert_eq!(heard.take().len(), limit + 20);
}

#[test]
fn repeated_offences_expel_the_offender_and_the_hook_sees_a_few() {
    let server = ServerRuntime::new(&GAME);
    let offender = server.connect_player();
    let honest = server.connect_player();
    let reports = Log::default();
    let seen = reports.clone();
    server.on_rejected(move |player, reason| seen.push((player.id, reason.to_string())));
    let log = Log::default();
    let heard = log.clone();
    server.connect(up::CHAT, move |player, p| {
        heard.push((player.id, text_of(p)))
    });
    // Chat "hi" (see a_bad_frame_is_dropped_whole_and_counted).
    let good = [0b0010_0000, 0, b'h', b'i'];
    // An unknown message id (9 of 9 messages), over and over.
    let bad = [9u8];
    let limit = tether_runtime::MAX_OFFENCES as usize;
    for _ in 0..limit {
        server.receive(&offender, &bad);
    }
    assert_eq!(server.take_expelled(), []);
    assert!(server.players().contains(&offender));
    // One more within ten seconds: put out.
    server.receive(&offender, &bad);
    let expelled = server.take_expelled();
    assert_eq!(expelled.len(), 1);
    assert_eq!(expelled[0].0, offender);
    assert!(
        expelled[0].1.contains("rejected frames"),
        "{}",
        expelled[0].1
    );
    assert!(!server.players().contains(&offender));
    assert_eq!(server.take_expelled(), []);
    // Its next frames come from no one the server knows.
    server.receive(&offender, &good);
    assert_eq!(server.stats().rejected.unknown_sender, 1);
    // The hook saw at most REPORTS_PER_SECOND of the 11; the stats count all.
    let seen = reports.take();
    assert_eq!(seen.len(), tether_runtime::REPORTS_PER_SECOND as usize);
    assert!(seen
        .iter()
        .all(|(id, reason)| *id == offender.id && reason.contains("unknown message id 9")));
    assert_eq!(server.stats().rejected.unknown_message, limit as u64 + 1);
    // The honest player is served all along.
    server.receive(&honest, &good);
    server.poll(Duration::ZERO);
    assert_eq!(log.take(), [(honest.id, "hi".to_string())]);
}

#[test]
fn a_panicking_rejection_hook_does_not_stop_the_intake() {
    let server = ServerRuntime::new(&GAME);
    let player = server.connect_player();
    server.on_rejected(|_, _| panic!("a buggy logger"));
    server.receive(&player, &[9]);
    assert_eq!(server.stats().rejected.unknown_message, 1);
    let log = Log::default();
    let heard = log.clone();
    server.connect(up::CHAT, move |_, p| heard.push(text_of(p)));
    server.receive(&player, &[0b0010_0000, 0, b'h', b'i']);
    server.poll(Duration::ZERO);
    assert_eq!(log.take(), ["hi".to_string()]);
}

#[test]
fn the_server_awaits_at_most_max_pending_calls_from_one_client() {
    let server = ServerRuntime::new(&GAME);
    let silent = server.connect_player();
    let other = server.connect_player();
    let limit = tether_runtime::MAX_PENDING_CALLS;
    // A client that never answers: its calls pile up to the cap, no further.
    let mut pending: Vec<_> = (0..limit)
        .map(|_| server.invoke_client(&silent, down::CONFIRM, text("there?")))
        .collect();
    let mut refused = server.invoke_client(&silent, down::CONFIRM, text("there?"));
    assert_eq!(
        refused.try_result().map(|r| r.err()),
        Some(Some(InvokeError::TooManyPending))
    );
    assert!(pending.iter_mut().all(|call| call.try_result().is_none()));
    // Another client is not affected.
    let mut fine = server.invoke_client(&other, down::CONFIRM, text("there?"));
    assert_eq!(fine.try_result().map(|r| r.err()), None);
    // When the pending calls time out (`@timeout(2)`), there is room again.
    server.poll(Duration::from_secs(3));
    assert!(pending
        .iter_mut()
        .all(|call| call.try_result().map(|r| r.err()) == Some(Some(InvokeError::Timeout))));
    let mut again = server.invoke_client(&silent, down::CONFIRM, text("there?"));
    assert_eq!(again.try_result().map(|r| r.err()), None);
}

/// Instances are registered as a Roblox class: typed by the class marker,
/// or by name checked against the reflection data.
#[test]
fn instances_register_as_roblox_classes() {
    use tether_runtime::roblox::classes::{BasePart, Part};
    use tether_runtime::types::{Class, Ref};
    use tether_runtime::{InstanceRegistry, UnknownClass};
    let registry = InstanceRegistry::new();
    let door: Ref<Part> = registry.register::<Part>(Visibility::Everyone);
    assert_eq!(registry.class(door.id()).as_deref(), Some("Part"));
    assert_eq!(registry.is_a(door.id(), BasePart::NAME), Some(true));
    let base: Option<Ref<BasePart>> = registry.cast(door);
    assert_eq!(base.map(Ref::id), Some(door.id()));
    assert!(registry
        .cast::<tether_runtime::roblox::classes::Model>(door)
        .is_none());
    let named = registry
        .register_named("MeshPart", Visibility::ServerOnly)
        .expect("a Roblox class");
    assert_eq!(registry.is_a(named, "BasePart"), Some(true));
    assert_eq!(
        registry.register_named("Prat", Visibility::Everyone),
        Err(UnknownClass("Prat".into()))
    );
    assert_eq!(
        registry.class(tether_runtime::types::InstanceId(3)),
        None,
        "nothing registered for the refusal"
    );
}
