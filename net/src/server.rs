//! The server side: accepts connections (TCP, WebSocket), runs the
//! handshake, turns each welcomed connection into a player of the runtime,
//! and carries packets both ways until the player leaves or is put out.
//!
//! Intake, in order: the frame-size cap (checked from the length, before the
//! bytes are held); the connection's memory budget (a connection whose
//! received bytes reach it is not read again until the next tick has handled
//! them, so a flood slows its sender rather than growing the server); then
//! the runtime's bounded decoding, schema checks, rate limits and handlers.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering::Relaxed};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tether_runtime::handshake::{self, Answer, Refusal};
use tether_runtime::{Channel, Direction, Player, ReplayWindow, ServerRuntime};
use tokio::net::{TcpListener, TcpStream, ToSocketAddrs, UdpSocket};
use tokio::sync::{mpsc, watch};

use crate::datagram::{self, Control, Datagram};
use crate::framing::{self, FrameError, DEFAULT_MAX_FRAME};
use crate::link::{Inbound, Outbound};
use crate::stats::{Counters, NetStats};
use crate::{tcp, websocket};

/// How a [`NetServer`] runs.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ServerConfig {
    /// The largest frame a client may send; a larger one disconnects it
    /// before its bytes are held.
    pub max_frame: u32,
    /// How often the runtime polls and sends: the server's tick.
    pub tick: Duration,
    /// How long a new connection has to send its hello.
    pub handshake_timeout: Duration,
    /// How long the rest of a frame may take once its first byte came (TCP):
    /// a client that stops halfway through a frame is put out.
    pub frame_timeout: Duration,
    /// The bytes one connection may hold each way: received packets waiting
    /// for the tick (the connection is then not read until the tick has
    /// handled them), and packets waiting to be written (a player that falls
    /// further behind is put out). A connection holds at most this plus one
    /// frame being read.
    pub memory_budget: usize,
    /// Players at once; further connections are refused ("the server is
    /// full"). Roblox servers hold at most 700.
    pub max_players: usize,
    /// Offers TCP clients `@unreliable` events over UDP, on the TCP
    /// listener's address ([`datagram`](crate::datagram)); without it, or
    /// when the port is taken, they travel on the stream.
    pub datagrams: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            max_frame: DEFAULT_MAX_FRAME,
            tick: Duration::from_millis(1000 / 60),
            handshake_timeout: Duration::from_secs(5),
            frame_timeout: Duration::from_secs(10),
            memory_budget: 256 * 1024,
            max_players: 700,
            datagrams: true,
        }
    }
}

// `ServerConfig` is non_exhaustive, so code outside the crate cannot write it
// as a struct literal: it starts from `default()` and sets what it needs.
impl ServerConfig {
    /// Sets [`max_frame`](Self::max_frame).
    #[must_use]
    pub fn with_max_frame(mut self, max_frame: u32) -> Self {
        self.max_frame = max_frame;
        self
    }

    /// Sets [`tick`](Self::tick).
    #[must_use]
    pub fn with_tick(mut self, tick: Duration) -> Self {
        self.tick = tick;
        self
    }

    /// Sets [`handshake_timeout`](Self::handshake_timeout).
    #[must_use]
    pub fn with_handshake_timeout(mut self, handshake_timeout: Duration) -> Self {
        self.handshake_timeout = handshake_timeout;
        self
    }

    /// Sets [`frame_timeout`](Self::frame_timeout).
    #[must_use]
    pub fn with_frame_timeout(mut self, frame_timeout: Duration) -> Self {
        self.frame_timeout = frame_timeout;
        self
    }

    /// Sets [`memory_budget`](Self::memory_budget).
    #[must_use]
    pub fn with_memory_budget(mut self, memory_budget: usize) -> Self {
        self.memory_budget = memory_budget;
        self
    }

    /// Sets [`max_players`](Self::max_players).
    #[must_use]
    pub fn with_max_players(mut self, max_players: usize) -> Self {
        self.max_players = max_players;
        self
    }

    /// Sets [`datagrams`](Self::datagrams).
    #[must_use]
    pub fn with_datagrams(mut self, datagrams: bool) -> Self {
        self.datagrams = datagrams;
        self
    }
}

/// What happened to a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetEvent {
    /// A client passed the handshake and is now this player.
    Connected(Player),
    /// A player left: it closed the connection, broke the framing, fell
    /// behind, or was put out by the runtime; `reason` says which.
    Disconnected {
        /// The player who left.
        player: Player,
        /// Why, as text.
        reason: String,
    },
    /// A connection was refused at the handshake.
    Refused {
        /// The peer's address.
        addr: SocketAddr,
        /// Why, as text.
        reason: String,
    },
}

/// A server of one runtime on one or more listeners.
pub struct NetServer {
    shared: Arc<Shared>,
    local_addr: SocketAddr,
    events: mpsc::UnboundedReceiver<NetEvent>,
    _stop: watch::Sender<bool>,
}

/// What every task of a server shares.
struct Shared {
    runtime: ServerRuntime,
    config: ServerConfig,
    peers: Mutex<HashMap<u32, Peer>>,
    counters: Counters,
    events: mpsc::UnboundedSender<NetEvent>,
    stopped: watch::Receiver<bool>,
    /// Counts the ticks done, for connections waiting on their budget.
    ticks: watch::Receiver<u64>,
    /// Player ids by datagram token.
    tokens: Mutex<HashMap<u64, u32>>,
    /// Seats taken, by players and by connections welcomed but not yet
    /// players: a seat is taken before the welcome is sent, so that
    /// concurrent hellos cannot pass `max_players`.
    seats: AtomicUsize,
    /// The server's clock: polls and packet arrivals are times since this.
    started: Instant,
}

/// A connected player's side of the connection, as the tick sees it.
struct Peer {
    player: Player,
    frames: mpsc::UnboundedSender<Vec<u8>>,
    /// Bytes received since the last tick began.
    received: Arc<AtomicU64>,
    /// Bytes handed to the writer and not written yet.
    queued: Arc<AtomicU64>,
    kick: watch::Sender<Option<String>>,
    /// Where this player's datagrams go, once it has bound an address.
    datagrams: Option<Route>,
}

/// A player's datagram route: the listener's socket, the token, the
/// address the player bound, and the numbering of datagrams each way.
struct Route {
    socket: Arc<UdpSocket>,
    token: u64,
    addr: Option<SocketAddr>,
    /// The number of the next datagram sent to the player.
    next_number: u32,
    /// The numbers of the player's datagrams taken so far.
    received: ReplayWindow,
}

/// A taken seat, given back when dropped.
struct Seat<'a>(&'a AtomicUsize);

impl Drop for Seat<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Relaxed);
    }
}

impl Shared {
    /// Takes a seat if one is free.
    fn take_seat(&self) -> bool {
        self.seats
            .fetch_update(Relaxed, Relaxed, |taken| {
                (taken < self.config.max_players).then_some(taken + 1)
            })
            .is_ok()
    }

    fn peers(&self) -> MutexGuard<'_, HashMap<u32, Peer>> {
        self.peers.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn tokens(&self) -> MutexGuard<'_, HashMap<u64, u32>> {
        self.tokens.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn budget(&self) -> u64 {
        self.config.memory_budget as u64
    }

    fn refuse(&self, addr: SocketAddr, reason: String) {
        Counters::add(&self.counters.refused, 1);
        let _ = self.events.send(NetEvent::Refused { addr, reason });
    }
}

impl NetServer {
    /// Serves `runtime` (a runtime, or the generated `&Server` over one) on
    /// a TCP listener at `addr` until dropped.
    pub async fn bind(
        addr: impl ToSocketAddrs,
        runtime: impl Into<ServerRuntime>,
        config: ServerConfig,
    ) -> std::io::Result<NetServer> {
        let listener = TcpListener::bind(addr).await?;
        let mut server = NetServer::start(runtime.into(), config, listener.local_addr()?);
        server.serve_tcp(listener).await;
        Ok(server)
    }

    /// Serves `runtime` on a WebSocket listener at `addr` (any path) until
    /// dropped.
    pub async fn bind_websocket(
        addr: impl ToSocketAddrs,
        runtime: impl Into<ServerRuntime>,
        config: ServerConfig,
    ) -> std::io::Result<NetServer> {
        let listener = TcpListener::bind(addr).await?;
        let mut server = NetServer::start(runtime.into(), config, listener.local_addr()?);
        server.serve(listener, Kind::WebSocket);
        Ok(server)
    }

    /// Also accepts TCP clients at `addr`; returns where it listens.
    pub async fn listen_tcp(&mut self, addr: impl ToSocketAddrs) -> std::io::Result<SocketAddr> {
        let listener = TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        self.serve_tcp(listener).await;
        Ok(local)
    }

    /// Also accepts WebSocket clients at `addr`; returns where it listens.
    pub async fn listen_websocket(
        &mut self,
        addr: impl ToSocketAddrs,
    ) -> std::io::Result<SocketAddr> {
        let listener = TcpListener::bind(addr).await?;
        let local = listener.local_addr()?;
        self.serve(listener, Kind::WebSocket);
        Ok(local)
    }

    fn start(runtime: ServerRuntime, config: ServerConfig, local_addr: SocketAddr) -> NetServer {
        let (events_tx, events) = mpsc::unbounded_channel();
        let (stop, stopped) = watch::channel(false);
        let (ticks_tx, ticks) = watch::channel(0);
        let shared = Arc::new(Shared {
            runtime,
            config,
            peers: Mutex::default(),
            counters: Counters::default(),
            events: events_tx,
            stopped,
            ticks,
            tokens: Mutex::default(),
            seats: AtomicUsize::new(0),
            started: Instant::now(),
        });
        tokio::spawn(tick(shared.clone(), ticks_tx));
        NetServer {
            shared,
            local_addr,
            events,
            _stop: stop,
        }
    }

    fn serve(&mut self, listener: TcpListener, kind: Kind) {
        tokio::spawn(accept(listener, kind, self.shared.clone()));
    }

    /// Serves a TCP listener, with a UDP socket on its address if asked for
    /// and free.
    async fn serve_tcp(&mut self, listener: TcpListener) {
        let wanted = self.shared.config.datagrams && has_unreliable(self.shared.runtime.protocol());
        let udp = match (wanted, listener.local_addr()) {
            (true, Ok(addr)) => UdpSocket::bind(addr).await.ok().map(Arc::new),
            _ => None,
        };
        if let Some(socket) = &udp {
            tokio::spawn(receive_datagrams(socket.clone(), self.shared.clone()));
        }
        self.serve(listener, Kind::Tcp(udp));
    }

    /// Where the listener the server was bound with listens.
    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The next connection event; `None` once the server stopped.
    pub async fn next_event(&mut self) -> Option<NetEvent> {
        self.events.recv().await
    }

    /// The transport's counters (the runtime keeps its own:
    /// `ServerRuntime::stats`).
    pub fn stats(&self) -> NetStats {
        self.shared.counters.snapshot()
    }
}

#[derive(Debug, Clone)]
enum Kind {
    /// With the UDP socket datagrams are offered on, if any.
    Tcp(Option<Arc<UdpSocket>>),
    WebSocket,
}

async fn accept(listener: TcpListener, kind: Kind, shared: Arc<Shared>) {
    let mut stopped = shared.stopped.clone();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopped.changed() => return,
        };
        let Ok((stream, addr)) = accepted else {
            continue;
        };
        tokio::spawn(open(stream, addr, kind.clone(), shared.clone()));
    }
}

/// Opens the link of a new connection, then serves it.
async fn open(stream: TcpStream, addr: SocketAddr, kind: Kind, shared: Arc<Shared>) {
    match kind {
        Kind::Tcp(udp) => {
            let (inbound, outbound) = tcp::split(stream, shared.config.frame_timeout);
            connection(inbound, outbound, addr, udp, shared).await;
        }
        Kind::WebSocket => {
            let _ = stream.set_nodelay(true);
            let config = websocket::config(shared.config.max_frame);
            let stream = websocket::Timed::new(stream);
            let upgrade = tokio_tungstenite::accept_async_with_config(stream, Some(config));
            match tokio::time::timeout(shared.config.handshake_timeout, upgrade).await {
                Ok(Ok(socket)) => {
                    let (inbound, outbound) = websocket::split(socket, shared.config.frame_timeout);
                    connection(inbound, outbound, addr, None, shared).await;
                }
                Ok(Err(error)) => shared.refuse(addr, format!("no WebSocket upgrade: {error}")),
                Err(_) => shared.refuse(addr, "no WebSocket upgrade in time".to_string()),
            }
        }
    }
}

/// One connection, from its hello to its end.
async fn connection<I: Inbound, O: Outbound>(
    mut inbound: I,
    mut outbound: O,
    addr: SocketAddr,
    udp: Option<Arc<UdpSocket>>,
    shared: Arc<Shared>,
) {
    // A hello is a few dozen bytes: a larger one is not a hello.
    let hello = tokio::time::timeout(shared.config.handshake_timeout, inbound.recv(512));
    let hello = match hello.await {
        Ok(Ok(hello)) => hello,
        Ok(Err(error)) => return shared.refuse(addr, error.to_string()),
        Err(_) => return shared.refuse(addr, "no hello in time".to_string()),
    };
    let answer = match handshake::answer(shared.runtime.protocol(), &hello) {
        Ok(Answer::Welcome) if !shared.take_seat() => {
            Answer::Refused(Refusal::Other("the server is full".to_string()))
        }
        Ok(answer) => answer,
        Err(error) => return shared.refuse(addr, error.to_string()),
    };
    // From here on a welcomed connection holds a seat, whichever way it ends.
    let _seat = matches!(answer, Answer::Welcome).then(|| Seat(&shared.seats));
    let sent = match framing::framed(&answer.encode()) {
        Ok(framed) => outbound.send(framed).await,
        Err(error) => Err(error),
    };
    if let Answer::Refused(reason) = answer {
        outbound.close().await;
        return shared.refuse(addr, reason.to_string());
    }
    if sent.is_err() {
        return;
    }

    // The offer goes before any packet, so that the client can bind its
    // address while the first tick runs.
    let route = match udp.zip(outbound.local_port()) {
        Some((socket, port)) => {
            let token = datagram::random_token();
            let Ok(offer) = framing::framed(&Control::Offer { token, port }.encode()) else {
                return;
            };
            if outbound.send(offer).await.is_err() {
                return;
            }
            Some(Route {
                socket,
                token,
                addr: None,
                next_number: 0,
                received: ReplayWindow::new(),
            })
        }
        None => None,
    };

    let player = shared.runtime.connect_player();
    let (frames_tx, frames) = mpsc::unbounded_channel::<Vec<u8>>();
    let (kick, mut kicked) = watch::channel(None);
    let received = Arc::new(AtomicU64::new(0));
    let queued = Arc::new(AtomicU64::new(0));
    let token = route.as_ref().map(|route| route.token);
    if let Some(token) = token {
        shared.tokens().insert(token, player.id);
    }
    shared.peers().insert(
        player.id,
        Peer {
            player: player.clone(),
            frames: frames_tx,
            received: received.clone(),
            queued: queued.clone(),
            kick,
            datagrams: route,
        },
    );
    Counters::add(&shared.counters.connected, 1);
    shared.counters.players.fetch_add(1, Relaxed);
    let _ = shared.events.send(NetEvent::Connected(player.clone()));
    let gone = kicked.clone();
    tokio::spawn(write(outbound, frames, gone, queued, shared.clone()));

    let mut stopped = shared.stopped.clone();
    let reason = tokio::select! {
        reason = receive(&mut inbound, &player, &received, &shared) => reason,
        _ = kicked.changed() => kicked.borrow().clone().unwrap_or_default(),
        _ = stopped.changed() => "the server stopped".to_string(),
    };
    // Dropping the peer closes its frame channel, which ends the writer.
    shared.peers().remove(&player.id);
    if let Some(token) = token {
        shared.tokens().remove(&token);
    }
    shared
        .counters
        .buffered_bytes
        .fetch_sub(received.swap(0, Relaxed), Relaxed);
    shared.runtime.disconnect_player(&player);
    shared.counters.players.fetch_sub(1, Relaxed);
    Counters::add(&shared.counters.disconnected, 1);
    let _ = shared
        .events
        .send(NetEvent::Disconnected { player, reason });
}

/// Hands every packet of `player` to the runtime, within the connection's
/// budget; returns why it stopped.
async fn receive<I: Inbound>(
    inbound: &mut I,
    player: &Player,
    received: &AtomicU64,
    shared: &Shared,
) -> String {
    let mut ticks = shared.ticks.clone();
    loop {
        if received.load(Relaxed) >= shared.budget() {
            Counters::add(&shared.counters.budget_waits, 1);
            // The tick clears `received` once it has handled the packets.
            while received.load(Relaxed) >= shared.budget() {
                if ticks.changed().await.is_err() {
                    return "the server stopped".to_string();
                }
            }
        }
        let blob = match inbound.recv(shared.config.max_frame).await {
            Ok(blob) => blob,
            Err(FrameError::Closed) => return "the client closed the connection".to_string(),
            Err(error) => return error.to_string(),
        };
        let packet = match framing::decode(&blob) {
            Ok(packet) => packet,
            Err(error) => return error.to_string(),
        };
        shared
            .runtime
            .receive_packet_at(player, &packet, shared.started.elapsed());
        // The gauge first: the tick takes `received` off it.
        let len = blob.len() as u64;
        let counters = &shared.counters;
        Counters::add(&counters.buffered_bytes, len);
        let held = received.fetch_add(len, Relaxed) + len;
        counters.held(held);
        Counters::add(&counters.bytes_received, len + 4);
        Counters::add(&counters.frames_received, 1);
    }
}

/// Writes a player's packets in order until the player is gone (`gone`
/// changes or closes): a client that stops reading cannot hold the writer.
async fn write<O: Outbound>(
    mut outbound: O,
    mut frames: mpsc::UnboundedReceiver<Vec<u8>>,
    mut gone: watch::Receiver<Option<String>>,
    queued: Arc<AtomicU64>,
    shared: Arc<Shared>,
) {
    let unqueue = |len: u64| {
        queued.fetch_sub(len, Relaxed);
        shared.counters.buffered_bytes.fetch_sub(len, Relaxed);
    };
    loop {
        let frame = tokio::select! {
            frame = frames.recv() => frame,
            _ = gone.changed() => None,
        };
        let Some(frame) = frame else {
            break;
        };
        let len = frame.len() as u64;
        let sent = tokio::select! {
            sent = outbound.send(frame) => sent.is_ok(),
            _ = gone.changed() => false,
        };
        unqueue(len);
        if !sent {
            break;
        }
        Counters::add(&shared.counters.bytes_sent, len);
        Counters::add(&shared.counters.frames_sent, 1);
    }
    frames.close();
    while let Ok(frame) = frames.try_recv() {
        unqueue(frame.len() as u64);
    }
    outbound.close().await;
}

/// The server's tick: poll the runtime, then hand each player its packets.
async fn tick(shared: Arc<Shared>, ticks: watch::Sender<u64>) {
    let mut interval = tokio::time::interval(shared.config.tick);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut stopped = shared.stopped.clone();
    loop {
        tokio::select! {
            _ = interval.tick() => {}
            _ = stopped.changed() => return,
        }
        // What was received before this point is handled by this poll.
        let released: u64 = shared
            .peers()
            .values()
            .map(|peer| peer.received.swap(0, Relaxed))
            .sum();
        shared.counters.buffered_bytes.fetch_sub(released, Relaxed);
        shared.runtime.poll(shared.started.elapsed());
        ticks.send_modify(|n| *n += 1);
        let packets = shared.runtime.take_packets();
        let expelled = shared.runtime.take_expelled();
        let mut peers = shared.peers();
        for (player, reason) in expelled {
            if let Some(peer) = peers.get(&player.id) {
                let _ = peer.kick.send(Some(reason));
            }
        }
        for (player, packet) in packets {
            let Some(peer) = peers.get_mut(&player.id) else {
                continue;
            };
            match (&packet.channel, &mut peer.datagrams) {
                (Channel::Unreliable, Some(route)) if route.addr.is_some() => {
                    send_datagram(route, &packet, &shared.counters)
                }
                _ => hand_over(peer, framing::encode(&packet), &shared),
            }
        }
    }
}

/// Queues a frame for a player's writer, or puts the player out if its
/// queue would pass the budget (one frame always fits an empty queue).
fn hand_over(peer: &Peer, frame: Vec<u8>, shared: &Shared) {
    let len = frame.len() as u64;
    let waiting = peer.queued.load(Relaxed);
    if waiting > 0 && waiting + len > shared.budget() {
        let _ = peer
            .kick
            .send(Some("the client fell too far behind".to_string()));
        return;
    }
    Counters::add(&shared.counters.buffered_bytes, len);
    let held = peer.queued.fetch_add(len, Relaxed) + len;
    shared.counters.held(held);
    if peer.frames.send(frame).is_err() {
        peer.queued.fetch_sub(len, Relaxed);
        shared.counters.buffered_bytes.fetch_sub(len, Relaxed);
    }
}

/// Whether any message of `protocol` is an `@unreliable` event: without one,
/// no client needs a datagram socket.
fn has_unreliable(protocol: &tether_runtime::Protocol) -> bool {
    [Direction::ToServer, Direction::ToClient]
        .into_iter()
        .any(|direction| {
            protocol
                .messages(direction)
                .iter()
                .any(|spec| spec.kind.is_unreliable())
        })
}

/// Sends an unreliable packet as a datagram, or drops it (over the 1000-byte
/// limit, or the socket's buffer full): it is unreliable.
fn send_datagram(route: &mut Route, packet: &tether_runtime::Packet, counters: &Counters) {
    let Some(addr) = route.addr else {
        return;
    };
    let number = route.next_number;
    route.next_number = number.wrapping_add(1);
    let sent = datagram::encode(route.token, number, packet)
        .filter(|bytes| route.socket.try_send_to(bytes, addr).is_ok())
        .map(|bytes| bytes.len() as u64);
    match sent {
        Some(len) => {
            Counters::add(&counters.datagrams_sent, 1);
            Counters::add(&counters.bytes_sent, len);
        }
        None => Counters::add(&counters.datagrams_dropped, 1),
    }
}

/// Receives the datagrams of one UDP socket: binds players' addresses and
/// hands their unreliable packets to the runtime, within their budget.
async fn receive_datagrams(socket: Arc<UdpSocket>, shared: Arc<Shared>) {
    let mut stopped = shared.stopped.clone();
    // One byte more than the largest datagram: a longer one fills it and is
    // known to be too long.
    let mut buffer = vec![0u8; datagram::MAX_DATAGRAM + 1];
    loop {
        let received = tokio::select! {
            received = socket.recv_from(&mut buffer) => received,
            _ = stopped.changed() => return,
        };
        let Ok((len, from)) = received else {
            continue;
        };
        let accepted = buffer
            .get(..len)
            .and_then(datagram::decode)
            .is_some_and(|datagram| take_datagram(datagram, from, &shared));
        if !accepted {
            Counters::add(&shared.counters.datagrams_dropped, 1);
        }
    }
}

/// Handles one well-formed datagram from `from`; false if it is dropped.
fn take_datagram(datagram: Datagram, from: SocketAddr, shared: &Shared) -> bool {
    let token = match &datagram {
        Datagram::Bind { token } | Datagram::Packet { token, .. } => *token,
    };
    let Some(id) = shared.tokens().get(&token).copied() else {
        return false;
    };
    let mut peers = shared.peers();
    let Some(peer) = peers.get_mut(&id) else {
        return false;
    };
    let Some(route) = peer.datagrams.as_mut() else {
        return false;
    };
    match datagram {
        Datagram::Bind { .. } => {
            // A client repeats its bind until confirmed; a new address (its
            // NAT mapping changed) rebinds.
            if route.addr != Some(from) {
                route.addr = Some(from);
                if let Ok(bound) = framing::framed(&Control::Bound.encode()) {
                    hand_over(peer, bound, shared);
                }
            }
            true
        }
        Datagram::Packet { number, packet, .. } => {
            if route.addr != Some(from) || peer.received.load(Relaxed) >= shared.budget() {
                return false;
            }
            if !route.received.accept(number) {
                Counters::add(&shared.counters.datagram_repeats_dropped, 1);
                return true;
            }
            let player = peer.player.clone();
            let received = peer.received.clone();
            drop(peers);
            shared
                .runtime
                .receive_packet_at(&player, &packet, shared.started.elapsed());
            let len = packet.bytes.len() as u64;
            Counters::add(&shared.counters.buffered_bytes, len);
            let held = received.fetch_add(len, Relaxed) + len;
            shared.counters.held(held);
            Counters::add(&shared.counters.datagrams_received, 1);
            Counters::add(&shared.counters.bytes_received, len);
            true
        }
    }
}
