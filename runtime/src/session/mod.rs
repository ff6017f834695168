//! The core both runtimes share: peers, handlers, queues and pending calls.
//!
//! [`ServerRuntime`](crate::ServerRuntime) and
//! [`ClientRuntime`](crate::ClientRuntime) are thin faces over a [`Session`]:
//! the server's peers are its players, the client's one peer is the server
//! (player id 0). All state sits behind one mutex that is never held while a
//! handler, a body encoder or a decoder runs.
//!
//! - `mod.rs`: the state, peers, handler registration, stats.
//! - `receive.rs`: accepting or rejecting frames.
//! - `send.rs`: events, invocations and responses going out.
//! - `poll.rs`: the tick: results, timeouts, and running handlers.

mod answer;
mod poll;
mod receive;
pub use receive::{
    CLIENT_MESSAGES_PER_SECOND, MAX_OFFENCES, REFUSALS_PER_SECOND, REPORTS_PER_SECOND,
};
mod send;

pub(crate) use answer::{Answer, Task};
pub use tether_facts::policy::{MAX_WAITING_BYTES, MAX_WAITING_EVENTS};

use std::any::Any;
use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock, Weak};
use std::time::Duration;

use crate::connection::{Connection, HandlerSet};
use crate::frame::{Outbox, RawPacket};
use crate::instances::InstanceRegistry;
use crate::invoke::{InvokeError, Slot};
use crate::lock::lock;
use crate::player::Player;
use crate::protocol::{Bucket, Delivery, Direction, MessageKind, MessageSpec, Payload, Protocol};
use crate::stats::{RejectReason, Stats};
use crate::types::InstanceId;
use crate::wire::Writer;

/// A remote event handler; the client's ignore the player (the server).
/// False when the payload is not of the type it takes (counted as
/// [`Stats::undelivered`]).
pub(crate) type EventHandler = Box<dyn FnMut(&Player, Delivery<'_>) -> bool + Send>;
/// A handler that returns at once, writing the response body.
pub(crate) type AnswerNow =
    Box<dyn FnMut(&Player, Payload, &mut Writer) -> Result<(), InvokeError> + Send>;
/// A handler that takes the call's [`Answer`] to send when it has one.
pub(crate) type AnswerLater = Box<dyn FnMut(&Player, Payload, Answer) + Send>;

/// A remote function handler.
pub(crate) enum InvokeHandler {
    Now(AnswerNow),
    Later(AnswerLater),
}

pub(crate) struct Session {
    protocol: &'static Protocol,
    /// The direction of the messages this side receives.
    incoming: Direction,
    /// The classes of the instances peers may reference (the server's
    /// registry), to check references against their declared class.
    classes: Option<InstanceRegistry>,
    state: Mutex<State>,
    /// Async handlers' futures, polled at each tick (apart from `state`,
    /// since polling runs user code).
    tasks: Mutex<Vec<Task>>,
    /// The bindables this side owns, polled at each tick while they live.
    bindables: Mutex<Vec<Weak<dyn Pollable>>>,
    /// The generated code's `ServerBindables` or `ClientBindables`, made
    /// once per runtime so every handle sees the same ones.
    generated: OnceLock<Box<dyn Any + Send + Sync>>,
}

/// Something a session polls at each tick besides its own work: a bindable.
pub trait Pollable: Send + Sync {
    /// Runs what is due at time `now`.
    fn poll(&self, now: Duration);
}

#[derive(Default)]
struct State {
    /// The time of the latest `poll` (deadlines count from it).
    now: Duration,
    peers: BTreeMap<u32, Peer>,
    last_peer: u32,
    events: HashMap<u16, EventSlot>,
    invoke_handlers: HashMap<u16, Arc<Mutex<InvokeHandler>>>,
    last_handler: u64,
    /// Handlers to run at the next poll, in arrival order.
    work: VecDeque<Work>,
    /// Invocation results to deliver at the next poll.
    results: Vec<(Slot<Payload>, Result<Payload, InvokeError>)>,
    stats: Stats,
    polling: bool,
    /// Sees rejected frames (server side), a few a second per player.
    rejected_hook: Option<RejectedHook>,
    /// Players put out for repeated offences, for the transport to close.
    expelled: Vec<(Player, String)>,
    /// Whether messages over their rate count against a client's offences.
    expel_for_rate_limits: bool,
}

/// A hook that sees each rejected frame and the player who sent it.
pub(crate) type RejectedHook = Arc<dyn Fn(&Player, &RejectReason) + Send + Sync>;

struct Peer {
    player: Player,
    outbox: Outbox,
    /// Next sequence number per `@ordered @unreliable` event sent.
    send_seq: HashMap<u16, u16>,
    /// Last sequence number accepted per `@ordered @unreliable` event.
    recv_seq: HashMap<u16, u16>,
    /// Calls to this peer awaiting a response, by call id.
    calls: BTreeMap<u16, PendingCall>,
    next_call: u16,
    /// `@rate` windows per message id received.
    rates: HashMap<u16, Bucket>,
    /// The client's messages of all remotes together (server side).
    total: Bucket,
    /// Rejected frames, against [`MAX_OFFENCES`].
    offences: RateWindow,
    /// Rejections shown to the hook, against [`REPORTS_PER_SECOND`].
    reported: RateWindow,
    /// Rate-limited requests answered, against [`REFUSALS_PER_SECOND`].
    refused: RateWindow,
    /// This peer's calls whose answer is not written yet, against
    /// [`MAX_ANSWERING_CALLS`](crate::MAX_ANSWERING_CALLS).
    answering: usize,
}

struct PendingCall {
    /// The response's id in the direction this side receives.
    response_id: u16,
    deadline: Duration,
    slot: Slot<Payload>,
}

#[derive(Default)]
struct RateWindow {
    start: Duration,
    count: u32,
}

#[derive(Default)]
struct EventSlot {
    handlers: Vec<(u64, Arc<Mutex<EventHandler>>)>,
    /// Received while no handler was connected.
    waiting: VecDeque<Received>,
    /// What `waiting` holds, against [`MAX_WAITING_BYTES`].
    waiting_bytes: usize,
}

/// A received event, decoded once on receipt: the first handler gets the
/// payload, each further one a clone.
struct Received {
    from: Player,
    payload: Payload,
    /// The bytes of its message and of its frame's instance list, charged
    /// against [`MAX_WAITING_BYTES`] while it waits for a handler.
    bytes: usize,
}

enum Work {
    Event {
        id: u16,
        target: Target,
        event: Received,
    },
    Request {
        from: Player,
        id: u16,
        call: u16,
        payload: Payload,
    },
}

/// Who a queued event goes to.
#[derive(Clone, Copy)]
enum Target {
    /// The handlers connected when it runs.
    All,
    /// The handler whose connecting released it from the waiting queue (or,
    /// if that one is gone, all).
    Only(u64),
}

impl Peer {
    fn new(player: Player) -> Self {
        Peer {
            player,
            outbox: Outbox::default(),
            send_seq: HashMap::new(),
            recv_seq: HashMap::new(),
            calls: BTreeMap::new(),
            next_call: 0,
            rates: HashMap::new(),
            total: Bucket::default(),
            offences: RateWindow::default(),
            reported: RateWindow::default(),
            refused: RateWindow::default(),
            answering: 0,
        }
    }
}

impl Session {
    /// A session receiving the messages of `incoming`, checking instance
    /// references against `classes` if given.
    pub(crate) fn new(
        protocol: &'static Protocol,
        incoming: Direction,
        classes: Option<InstanceRegistry>,
    ) -> Arc<Self> {
        Arc::new(Session {
            protocol,
            incoming,
            classes,
            state: Mutex::new(State::default()),
            tasks: Mutex::new(Vec::new()),
            bindables: Mutex::new(Vec::new()),
            generated: OnceLock::new(),
        })
    }

    fn state(&self) -> MutexGuard<'_, State> {
        lock(&self.state)
    }

    /// The generated bindables of this side, made by `make` the first time.
    pub(crate) fn generated<T: Any + Send + Sync>(&self, make: impl FnOnce() -> T) -> &T {
        self.generated
            .get_or_init(|| Box::new(make()))
            .downcast_ref::<T>()
            // A runtime serves one protocol (the generated `try_from`
            // checks its fingerprint), so one type of generated bindables.
            .expect("one protocol's bindables per runtime")
    }

    /// Whether messages over their rate count against a client's offences.
    pub(crate) fn set_expel_for_rate_limits(&self, yes: bool) {
        self.state().expel_for_rate_limits = yes;
    }

    /// Polls `bindable` at each tick, as long as it lives.
    pub(crate) fn attach(&self, bindable: Weak<dyn Pollable>) {
        lock(&self.bindables).push(bindable);
    }

    /// Polls the attached bindables that still live, forgetting the others.
    fn poll_bindables(&self, now: Duration) {
        let live: Vec<Arc<dyn Pollable>> = {
            let mut bindables = lock(&self.bindables);
            bindables.retain(|b| b.strong_count() > 0);
            bindables.iter().filter_map(Weak::upgrade).collect()
        };
        for bindable in live {
            bindable.poll(now);
        }
    }

    pub(crate) fn protocol(&self) -> &'static Protocol {
        self.protocol
    }

    fn outgoing(&self) -> Direction {
        self.incoming.reverse()
    }

    /// The spec of message `id` this side sends; panics on an id the
    /// protocol does not have (a bug in the calling code, not bad input).
    fn outgoing_spec(&self, id: u16) -> &'static MessageSpec {
        let direction = self.outgoing();
        self.protocol.message(direction, id).unwrap_or_else(|| {
            panic!(
                "{}: no message {id} in the {direction:?} direction",
                self.protocol.name
            )
        })
    }

    fn incoming_spec(&self, id: u16) -> &'static MessageSpec {
        let direction = self.incoming;
        self.protocol.message(direction, id).unwrap_or_else(|| {
            panic!(
                "{}: no message {id} in the {direction:?} direction",
                self.protocol.name
            )
        })
    }

    /// Adds a peer: the given player, or (server) a new one named
    /// `name` or `Player{id}`, whose `Player` instance is `instance`.
    pub(crate) fn add_peer(
        &self,
        player: Option<Player>,
        name: Option<String>,
        instance: Option<InstanceId>,
    ) -> Player {
        let mut state = self.state();
        let player = player.unwrap_or_else(|| {
            let id = state.last_peer + 1;
            Player {
                id,
                name: name.unwrap_or_else(|| format!("Player{id}")),
                instance,
            }
        });
        state.last_peer = state.last_peer.max(player.id);
        state.peers.insert(player.id, Peer::new(player.clone()));
        player
    }

    /// Removes a peer; its pending invocations fail with `Disconnected` at
    /// once, and what was still to be sent to it is dropped.
    pub(crate) fn remove_peer(&self, id: u32) {
        let peer = self.state().peers.remove(&id);
        if let Some(peer) = peer {
            for call in peer.calls.into_values() {
                call.slot.fill(Err(InvokeError::Disconnected));
            }
        }
    }

    pub(crate) fn has_peer(&self, id: u32) -> bool {
        self.state().peers.contains_key(&id)
    }

    pub(crate) fn peers(&self) -> Vec<Player> {
        let state = self.state();
        state.peers.values().map(|p| p.player.clone()).collect()
    }

    /// Connects an event handler for incoming event `id`. Events that waited
    /// for a handler go to this one at the next poll.
    pub(crate) fn connect(self: &Arc<Self>, id: u16, handler: EventHandler) -> Connection {
        let spec = self.incoming_spec(id);
        assert!(
            matches!(spec.kind, MessageKind::Event { .. }),
            "{}: message {id} ({}) is not an event",
            self.protocol.name,
            spec.name
        );
        let mut state = self.state();
        state.last_handler += 1;
        let handler_id = state.last_handler;
        let State { events, work, .. } = &mut *state;
        let slot = events.entry(id).or_default();
        slot.handlers
            .push((handler_id, Arc::new(Mutex::new(handler))));
        slot.waiting_bytes = 0;
        for event in slot.waiting.drain(..) {
            work.push_back(Work::Event {
                id,
                target: Target::Only(handler_id),
                event,
            });
        }
        drop(state);
        Connection::new(self, handler_id)
    }

    /// Sets the handler of incoming request `id`, replacing any other.
    pub(crate) fn set_invoke_handler(&self, id: u16, handler: InvokeHandler) {
        let spec = self.incoming_spec(id);
        assert!(
            matches!(spec.kind, MessageKind::Request { .. }),
            "{}: message {id} ({}) is not a request",
            self.protocol.name,
            spec.name
        );
        self.state()
            .invoke_handlers
            .insert(id, Arc::new(Mutex::new(handler)));
    }

    /// The packets of this tick, per peer.
    pub(crate) fn take(&self) -> Vec<(Player, RawPacket)> {
        let mut state = self.state();
        let State { peers, stats, .. } = &mut *state;
        let mut out = Vec::new();
        for peer in peers.values_mut() {
            for packet in peer.outbox.take() {
                match packet.channel {
                    crate::transport::Channel::Reliable => stats.frames_sent += 1,
                    crate::transport::Channel::Unreliable => stats.datagrams_sent += 1,
                }
                stats.bytes_sent += packet.bytes.len() as u64;
                out.push((peer.player.clone(), packet));
            }
        }
        out
    }

    pub(crate) fn stats(&self) -> Stats {
        let state = self.state();
        let mut stats = state.stats.clone();
        stats.events_waiting = state
            .events
            .values()
            .map(|slot| slot.waiting.len() as u64)
            .sum();
        stats
    }
}

impl State {
    /// Queues a received event: to run at the next poll if a handler is
    /// connected, else to wait for one (up to [`MAX_WAITING_EVENTS`]).
    fn enqueue_event(&mut self, id: u16, target: Target, event: Received) {
        let slot = self.events.entry(id).or_default();
        if slot.handlers.is_empty() {
            let bytes = event.bytes;
            if slot.waiting.len() >= MAX_WAITING_EVENTS
                || slot.waiting_bytes + bytes > MAX_WAITING_BYTES
            {
                self.stats.events_dropped += 1;
            } else {
                slot.waiting_bytes += bytes;
                slot.waiting.push_back(event);
            }
        } else {
            self.work.push_back(Work::Event { id, target, event });
        }
    }
}

impl HandlerSet for Session {
    fn disconnect(&self, id: u64) {
        let mut state = self.state();
        for slot in state.events.values_mut() {
            slot.handlers.retain(|(handler, _)| *handler != id);
        }
    }

    fn is_connected(&self, id: u64) -> bool {
        let state = self.state();
        state
            .events
            .values()
            .any(|slot| slot.handlers.iter().any(|(handler, _)| *handler == id))
    }
}
