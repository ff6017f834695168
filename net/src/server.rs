//! The server side: accepts connections, runs the handshake, turns each
//! welcomed connection into a player of the runtime, and carries packets
//! both ways until the player leaves or is put out.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use tether_runtime::handshake::{self, Answer};
use tether_runtime::{Player, ServerRuntime};
use tokio::net::tcp::OwnedReadHalf;
use tokio::net::{TcpListener, TcpStream, ToSocketAddrs};
use tokio::sync::{mpsc, watch};

use crate::framing::{self, FrameError, DEFAULT_MAX_FRAME};

/// How a [`NetServer`] runs.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The largest frame a client may send; a larger one disconnects it
    /// before anything is allocated.
    pub max_frame: u32,
    /// How often the runtime polls and sends: the server's tick.
    pub tick: Duration,
    /// How long a new connection has to send its hello.
    pub handshake_timeout: Duration,
    /// Frames waiting to be written to one player; a player that falls this
    /// far behind is disconnected rather than buffered without end.
    pub send_queue: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            max_frame: DEFAULT_MAX_FRAME,
            tick: Duration::from_millis(1000 / 60),
            handshake_timeout: Duration::from_secs(5),
            send_queue: 256,
        }
    }
}

/// What happened to a connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetEvent {
    /// A client passed the handshake and is now this player.
    Connected(Player),
    /// A player left: it closed the connection, broke the framing, or fell
    /// behind; `reason` says which.
    Disconnected { player: Player, reason: String },
    /// A connection was refused at the handshake.
    Refused { addr: SocketAddr, reason: String },
}

/// A server on a TCP listener.
pub struct NetServer {
    local_addr: SocketAddr,
    events: mpsc::UnboundedReceiver<NetEvent>,
    _stop: watch::Sender<bool>,
}

/// The write side of each connected player, by player id.
type Peers = Arc<Mutex<HashMap<u32, Peer>>>;

struct Peer {
    frames: mpsc::Sender<Vec<u8>>,
    kick: watch::Sender<Option<String>>,
}

fn lock(peers: &Peers) -> MutexGuard<'_, HashMap<u32, Peer>> {
    peers.lock().unwrap_or_else(PoisonError::into_inner)
}

impl NetServer {
    /// Listens on `addr` and serves `runtime` until dropped.
    pub async fn bind(
        addr: impl ToSocketAddrs,
        runtime: ServerRuntime,
        config: ServerConfig,
    ) -> std::io::Result<NetServer> {
        let listener = TcpListener::bind(addr).await?;
        let local_addr = listener.local_addr()?;
        let (events_tx, events) = mpsc::unbounded_channel();
        let (stop, stopped) = watch::channel(false);
        let peers: Peers = Arc::default();
        tokio::spawn(tick(
            runtime.clone(),
            peers.clone(),
            config.clone(),
            stopped.clone(),
        ));
        tokio::spawn(accept(listener, runtime, peers, config, events_tx, stopped));
        Ok(NetServer {
            local_addr,
            events,
            _stop: stop,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    /// The next connection event; `None` once the server stopped.
    pub async fn next_event(&mut self) -> Option<NetEvent> {
        self.events.recv().await
    }
}

async fn accept(
    listener: TcpListener,
    runtime: ServerRuntime,
    peers: Peers,
    config: ServerConfig,
    events: mpsc::UnboundedSender<NetEvent>,
    mut stopped: watch::Receiver<bool>,
) {
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            _ = stopped.changed() => return,
        };
        let Ok((stream, addr)) = accepted else {
            continue;
        };
        let _ = stream.set_nodelay(true);
        tokio::spawn(connection(
            stream,
            addr,
            runtime.clone(),
            peers.clone(),
            config.clone(),
            events.clone(),
        ));
    }
}

/// One connection, from its hello to its end.
async fn connection(
    stream: TcpStream,
    addr: SocketAddr,
    runtime: ServerRuntime,
    peers: Peers,
    config: ServerConfig,
    events: mpsc::UnboundedSender<NetEvent>,
) {
    let (mut reader, mut writer) = stream.into_split();
    // A hello is a few dozen bytes: a larger one is not a hello.
    let hello = tokio::time::timeout(
        config.handshake_timeout,
        framing::read_blob(&mut reader, 512),
    );
    let hello = match hello.await {
        Ok(Ok(hello)) => hello,
        Ok(Err(error)) => return refuse(&events, addr, error.to_string()),
        Err(_) => return refuse(&events, addr, "no hello in time".to_string()),
    };
    let answer = match handshake::answer(runtime.protocol(), &hello) {
        Ok(answer) => answer,
        Err(error) => return refuse(&events, addr, error.to_string()),
    };
    if framing::write_blob(&mut writer, &answer.encode())
        .await
        .is_err()
    {
        return;
    }
    if let Answer::Refused(reason) = answer {
        return refuse(&events, addr, reason.to_string());
    }
    let player = runtime.connect_player();
    let (frames_tx, mut frames) = mpsc::channel::<Vec<u8>>(config.send_queue.max(1));
    let (kick, mut kicked) = watch::channel(None);
    lock(&peers).insert(
        player.id,
        Peer {
            frames: frames_tx,
            kick,
        },
    );
    let _ = events.send(NetEvent::Connected(player.clone()));
    tokio::spawn(async move {
        use tokio::io::AsyncWriteExt;
        while let Some(frame) = frames.recv().await {
            if writer.write_all(&frame).await.is_err() {
                break;
            }
        }
    });
    let reason = tokio::select! {
        reason = receive(&mut reader, &runtime, &player, config.max_frame) => reason,
        _ = kicked.changed() => kicked.borrow().clone().unwrap_or_default(),
    };
    lock(&peers).remove(&player.id);
    runtime.disconnect_player(&player);
    let _ = events.send(NetEvent::Disconnected { player, reason });
}

/// Hands every packet of `player` to the runtime; returns why it stopped.
async fn receive(
    reader: &mut OwnedReadHalf,
    runtime: &ServerRuntime,
    player: &Player,
    max_frame: u32,
) -> String {
    loop {
        match framing::read_packet(reader, max_frame).await {
            Ok(packet) => runtime.receive_packet(player, &packet),
            Err(FrameError::Closed) => return "the client closed the connection".to_string(),
            Err(error) => return error.to_string(),
        }
    }
}

fn refuse(events: &mpsc::UnboundedSender<NetEvent>, addr: SocketAddr, reason: String) {
    let _ = events.send(NetEvent::Refused { addr, reason });
}

/// The server's tick: poll the runtime, then send each player its packets.
async fn tick(
    runtime: ServerRuntime,
    peers: Peers,
    config: ServerConfig,
    mut stopped: watch::Receiver<bool>,
) {
    let start = Instant::now();
    let mut interval = tokio::time::interval(config.tick);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tokio::select! {
            _ = interval.tick() => {}
            _ = stopped.changed() => return,
        }
        runtime.poll(start.elapsed());
        let packets = runtime.take_packets();
        let peers = lock(&peers);
        for (player, reason) in runtime.take_expelled() {
            if let Some(peer) = peers.get(&player.id) {
                let _ = peer.kick.send(Some(reason));
            }
        }
        for (player, packet) in packets {
            let Some(peer) = peers.get(&player.id) else {
                continue;
            };
            if peer.frames.try_send(framing::encode(&packet)).is_err() {
                let _ = peer
                    .kick
                    .send(Some("the client fell too far behind".to_string()));
            }
        }
    }
}
