//! The client side: connects (TCP, WebSocket), says hello, and carries
//! packets both ways until either side closes.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tether_runtime::handshake::{Answer, HandshakeError, Hello};
use tether_runtime::{Channel, ClientRuntime, ReplayWindow};
use tokio::net::{TcpStream, ToSocketAddrs, UdpSocket};
use tokio::sync::watch;

use crate::datagram::{self, Control, Datagram};
use crate::framing::{self, FrameError, DEFAULT_MAX_FRAME};
use crate::link::{Inbound, Outbound};
use crate::{tcp, websocket};

/// How a [`NetClient`] runs.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ClientConfig {
    /// The largest frame the server may send.
    pub max_frame: u32,
    /// How often the runtime polls and sends.
    pub tick: Duration,
    /// How long the rest of a frame may take once its first byte came (TCP).
    pub frame_timeout: Duration,
    /// Takes the server's offer of datagrams (UDP) for `@unreliable` events
    /// (TCP only); without it they travel on the stream.
    pub datagrams: bool,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            max_frame: DEFAULT_MAX_FRAME,
            tick: Duration::from_millis(1000 / 60),
            frame_timeout: Duration::from_secs(10),
            datagrams: true,
        }
    }
}

// `ClientConfig` is non_exhaustive, so code outside the crate cannot write it
// as a struct literal: it starts from `default()` and sets what it needs.
impl ClientConfig {
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

    /// Sets [`frame_timeout`](Self::frame_timeout).
    #[must_use]
    pub fn with_frame_timeout(mut self, frame_timeout: Duration) -> Self {
        self.frame_timeout = frame_timeout;
        self
    }

    /// Sets [`datagrams`](Self::datagrams).
    #[must_use]
    pub fn with_datagrams(mut self, datagrams: bool) -> Self {
        self.datagrams = datagrams;
        self
    }
}

/// Why a client could not connect.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConnectError {
    /// The connection could not be opened, or broke during the handshake.
    #[error("cannot reach the server: {0}")]
    Io(#[from] std::io::Error),
    /// The server did not accept the WebSocket upgrade; the reason as text.
    #[error("the WebSocket upgrade failed: {0}")]
    WebSocket(String),
    /// The server's answer did not arrive as a frame.
    #[error("the handshake failed: {0}")]
    Frame(#[from] FrameError),
    /// The server's answer is not a handshake, or it refused the client.
    #[error(transparent)]
    Handshake(#[from] HandshakeError),
}

/// A client connected to a server; the connection lives until this is
/// dropped or either side closes it.
pub struct NetClient {
    closed: watch::Receiver<Option<String>>,
    _stop: watch::Sender<bool>,
}

impl NetClient {
    /// Connects `runtime` to the server at `addr` over TCP. A server of
    /// another schema or wire version refuses, and the error says why.
    pub async fn connect(
        addr: impl ToSocketAddrs,
        runtime: ClientRuntime,
        config: ClientConfig,
    ) -> Result<NetClient, ConnectError> {
        let stream = TcpStream::connect(addr).await?;
        let server = stream.peer_addr()?;
        let (inbound, outbound) = tcp::split(stream, config.frame_timeout);
        NetClient::start(inbound, outbound, Some(server), runtime, config).await
    }

    /// Connects `runtime` to a WebSocket server: `url` is a `ws://` address
    /// (`ws://127.0.0.1:7778/`); `wss://` needs a TLS layer in front.
    pub async fn connect_websocket(
        url: &str,
        runtime: ClientRuntime,
        config: ClientConfig,
    ) -> Result<NetClient, ConnectError> {
        let uri: tokio_tungstenite::tungstenite::http::Uri = url
            .parse()
            .map_err(|error| ConnectError::WebSocket(format!("`{url}`: {error}")))?;
        let host = uri
            .host()
            .ok_or_else(|| ConnectError::WebSocket(format!("`{url}` names no host")))?;
        let port = uri.port_u16().unwrap_or(80);
        let stream = TcpStream::connect((host.trim_matches(['[', ']']), port)).await?;
        let _ = stream.set_nodelay(true);
        let config_ws = websocket::config(config.max_frame);
        let stream = websocket::Timed::new(stream);
        let (socket, _) = tokio_tungstenite::client_async_with_config(url, stream, Some(config_ws))
            .await
            .map_err(|error| ConnectError::WebSocket(error.to_string()))?;
        let (inbound, outbound) = websocket::split(socket, config.frame_timeout);
        NetClient::start(inbound, outbound, None, runtime, config).await
    }

    /// `server`: the server's address, where datagrams go if it offers them.
    async fn start<I: Inbound, O: Outbound>(
        mut inbound: I,
        mut outbound: O,
        server: Option<SocketAddr>,
        runtime: ClientRuntime,
        config: ClientConfig,
    ) -> Result<NetClient, ConnectError> {
        let hello = framing::framed(&Hello::of(runtime.protocol()).encode())?;
        outbound.send(hello).await?;
        Answer::decode(&inbound.recv(1024).await?)?;

        let (stop, stopped) = watch::channel(false);
        let (closed_tx, closed) = watch::channel(None);
        // Made before the receiver runs, so that the tick cannot miss the
        // receiver giving up.
        let given_up = closed.clone();
        let (bound_tx, bound) = watch::channel(None);
        let datagrams = Datagrams {
            server,
            enabled: config.datagrams,
            offered: None,
            bound: bound_tx,
        };
        tokio::spawn(receive(
            inbound,
            runtime.clone(),
            config.max_frame,
            datagrams,
            stopped.clone(),
            closed_tx.clone(),
        ));
        tokio::spawn(tick(
            outbound,
            runtime,
            config.tick,
            bound,
            stopped,
            (closed_tx, given_up),
        ));
        Ok(NetClient {
            closed,
            _stop: stop,
        })
    }

    /// Waits until the connection ends, and says why.
    pub async fn closed(&mut self) -> String {
        loop {
            if let Some(reason) = self.closed.borrow().clone() {
                return reason;
            }
            if self.closed.changed().await.is_err() {
                return "the connection ended".to_string();
            }
        }
    }
}

/// A client's datagram socket, once the server has confirmed its address.
#[derive(Clone)]
struct Bound {
    socket: Arc<UdpSocket>,
    token: u64,
}

/// What the receiving task knows of datagrams.
struct Datagrams {
    /// The server's address, for a link that can pair with datagrams.
    server: Option<SocketAddr>,
    enabled: bool,
    /// The socket and token of the server's offer, while binding.
    offered: Option<Bound>,
    /// Published to the tick once the server confirms.
    bound: watch::Sender<Option<Bound>>,
}

impl Datagrams {
    /// Handles a control frame from the server.
    async fn control(
        &mut self,
        control: Control,
        runtime: &ClientRuntime,
        stopped: &watch::Receiver<bool>,
    ) {
        match control {
            Control::Offer { token, port } => {
                let Some(server) = self
                    .server
                    .filter(|_| self.enabled && self.offered.is_none())
                else {
                    return;
                };
                let server = SocketAddr::new(server.ip(), port);
                let local: SocketAddr = match server {
                    SocketAddr::V4(_) => ([0, 0, 0, 0], 0).into(),
                    SocketAddr::V6(_) => ([0u16; 8], 0).into(),
                };
                let Ok(socket) = UdpSocket::bind(local).await else {
                    return;
                };
                if socket.connect(server).await.is_err() {
                    return;
                }
                let offered = Bound {
                    socket: Arc::new(socket),
                    token,
                };
                tokio::spawn(bind(
                    offered.clone(),
                    self.bound.subscribe(),
                    stopped.clone(),
                ));
                tokio::spawn(receive_datagrams(
                    offered.clone(),
                    runtime.clone(),
                    stopped.clone(),
                ));
                self.offered = Some(offered);
            }
            Control::Bound => {
                if let Some(offered) = &self.offered {
                    let _ = self.bound.send(Some(offered.clone()));
                }
            }
        }
    }
}

/// Sends the bind request until the server confirms it (or gives up after a
/// few seconds: the events then stay on the stream).
async fn bind(
    offered: Bound,
    mut bound: watch::Receiver<Option<Bound>>,
    mut stopped: watch::Receiver<bool>,
) {
    for _ in 0..20 {
        if bound.borrow().is_some() {
            return;
        }
        let _ = offered.socket.send(&offered.token.to_le_bytes()).await;
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_millis(250)) => {}
            _ = bound.changed() => {}
            _ = stopped.changed() => return,
        }
    }
}

/// Hands the server's datagrams to the runtime.
async fn receive_datagrams(
    offered: Bound,
    runtime: ClientRuntime,
    mut stopped: watch::Receiver<bool>,
) {
    let mut buffer = vec![0u8; datagram::MAX_DATAGRAM + 1];
    let mut taken = ReplayWindow::new();
    loop {
        let received = tokio::select! {
            received = offered.socket.recv(&mut buffer) => received,
            _ = stopped.changed() => return,
        };
        let Ok(len) = received else {
            continue;
        };
        if let Some(Datagram::Packet {
            token,
            number,
            packet,
        }) = buffer.get(..len).and_then(datagram::decode)
        {
            if token == offered.token && taken.accept(number) {
                runtime.receive_packet(&packet);
            }
        }
    }
}

/// Hands the server's packets to the runtime until the connection ends;
/// then every pending invocation fails at once.
async fn receive<I: Inbound>(
    mut inbound: I,
    runtime: ClientRuntime,
    max_frame: u32,
    mut datagrams: Datagrams,
    mut stopped: watch::Receiver<bool>,
    closed: watch::Sender<Option<String>>,
) {
    let reason = loop {
        let blob = tokio::select! {
            blob = inbound.recv(max_frame) => blob,
            _ = stopped.changed() => break "closed by the client".to_string(),
        };
        if let Some(control) = blob.as_deref().ok().and_then(Control::decode) {
            datagrams.control(control, &runtime, &stopped).await;
            continue;
        }
        match blob.and_then(|blob| framing::decode(&blob)) {
            Ok(packet) => runtime.receive_packet(&packet),
            Err(FrameError::Closed) => break "the server closed the connection".to_string(),
            Err(error) => break error.to_string(),
        }
    };
    runtime.disconnect();
    let _ = closed.send(Some(reason));
}

/// The client's tick: poll the runtime, then send what it produced:
/// unreliable packets as datagrams once bound, the rest on the stream.
async fn tick<O: Outbound>(
    mut outbound: O,
    runtime: ClientRuntime,
    period: Duration,
    bound: watch::Receiver<Option<Bound>>,
    mut stopped: watch::Receiver<bool>,
    (closed, mut given_up): (
        watch::Sender<Option<String>>,
        watch::Receiver<Option<String>>,
    ),
) {
    let start = Instant::now();
    let mut next_number = 0u32;
    let mut interval = tokio::time::interval(period);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    // Once the receiving side gives up, the socket closes too.
    loop {
        tokio::select! {
            _ = interval.tick() => {}
            _ = stopped.changed() => break,
            _ = given_up.changed() => break,
        }
        runtime.poll(start.elapsed());
        let datagrams = bound.borrow().clone();
        for packet in runtime.take_packets() {
            if let (Channel::Unreliable, Some(bound)) = (packet.channel, &datagrams) {
                // Unreliable: dropped over the limit or when the socket's
                // buffer is full.
                if let Some(bytes) = datagram::encode(bound.token, next_number, &packet) {
                    let _ = bound.socket.try_send(&bytes);
                }
                next_number = next_number.wrapping_add(1);
                continue;
            }
            if outbound.send(framing::encode(&packet)).await.is_err() {
                let _ = closed.send(Some("the connection broke".to_string()));
                return;
            }
        }
    }
    outbound.close().await;
}
