//! The client side: connects (TCP, WebSocket), says hello, and carries
//! packets both ways until either side closes.

use std::time::{Duration, Instant};

use tether_runtime::handshake::{Answer, HandshakeError, Hello};
use tether_runtime::ClientRuntime;
use tokio::net::{TcpStream, ToSocketAddrs};
use tokio::sync::watch;

use crate::framing::{self, FrameError, DEFAULT_MAX_FRAME};
use crate::link::{Inbound, Outbound};
use crate::{tcp, websocket};

/// How a [`NetClient`] runs.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The largest frame the server may send.
    pub max_frame: u32,
    /// How often the runtime polls and sends.
    pub tick: Duration,
    /// How long the rest of a frame may take once its first byte came (TCP).
    pub frame_timeout: Duration,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            max_frame: DEFAULT_MAX_FRAME,
            tick: Duration::from_millis(1000 / 60),
            frame_timeout: Duration::from_secs(10),
        }
    }
}

/// Why a client could not connect.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("cannot reach the server: {0}")]
    Io(#[from] std::io::Error),
    #[error("the WebSocket upgrade failed: {0}")]
    WebSocket(String),
    #[error("the handshake failed: {0}")]
    Frame(#[from] FrameError),
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
        let (inbound, outbound) = tcp::split(stream, config.frame_timeout);
        NetClient::start(inbound, outbound, runtime, config).await
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
        let (socket, _) = tokio_tungstenite::client_async_with_config(url, stream, Some(config_ws))
            .await
            .map_err(|error| ConnectError::WebSocket(error.to_string()))?;
        let (inbound, outbound) = websocket::split(socket);
        NetClient::start(inbound, outbound, runtime, config).await
    }

    async fn start<I: Inbound, O: Outbound>(
        mut inbound: I,
        mut outbound: O,
        runtime: ClientRuntime,
        config: ClientConfig,
    ) -> Result<NetClient, ConnectError> {
        let hello = framing::framed(&Hello::of(runtime.protocol()).encode())?;
        outbound.send(hello).await?;
        Answer::decode(&inbound.recv(1024).await?)?;

        let (stop, stopped) = watch::channel(false);
        let (closed_tx, closed) = watch::channel(None);
        tokio::spawn(receive(
            inbound,
            runtime.clone(),
            config.max_frame,
            stopped.clone(),
            closed_tx.clone(),
        ));
        tokio::spawn(tick(outbound, runtime, config.tick, stopped, closed_tx));
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

/// Hands the server's packets to the runtime until the connection ends;
/// then every pending invocation fails at once.
async fn receive<I: Inbound>(
    mut inbound: I,
    runtime: ClientRuntime,
    max_frame: u32,
    mut stopped: watch::Receiver<bool>,
    closed: watch::Sender<Option<String>>,
) {
    let reason = loop {
        let blob = tokio::select! {
            blob = inbound.recv(max_frame) => blob,
            _ = stopped.changed() => break "closed by the client".to_string(),
        };
        match blob.and_then(|blob| framing::decode(&blob)) {
            Ok(packet) => runtime.receive_packet(&packet),
            Err(FrameError::Closed) => break "the server closed the connection".to_string(),
            Err(error) => break error.to_string(),
        }
    };
    runtime.disconnect();
    let _ = closed.send(Some(reason));
}

/// The client's tick: poll the runtime, then send what it produced.
async fn tick<O: Outbound>(
    mut outbound: O,
    runtime: ClientRuntime,
    period: Duration,
    mut stopped: watch::Receiver<bool>,
    closed: watch::Sender<Option<String>>,
) {
    let start = Instant::now();
    let mut interval = tokio::time::interval(period);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    loop {
        tokio::select! {
            _ = interval.tick() => {}
            _ = stopped.changed() => break,
        }
        runtime.poll(start.elapsed());
        for packet in runtime.take_packets() {
            if outbound.send(framing::encode(&packet)).await.is_err() {
                let _ = closed.send(Some("the connection broke".to_string()));
                return;
            }
        }
    }
    outbound.close().await;
}
