//! The client side: connects, says hello, and carries packets both ways
//! until either side closes.

use std::time::{Duration, Instant};

use tether_runtime::handshake::{Answer, HandshakeError, Hello};
use tether_runtime::ClientRuntime;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpStream, ToSocketAddrs};
use tokio::sync::watch;

use crate::framing::{self, FrameError, DEFAULT_MAX_FRAME};

/// How a [`NetClient`] runs.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// The largest frame the server may send.
    pub max_frame: u32,
    /// How often the runtime polls and sends.
    pub tick: Duration,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            max_frame: DEFAULT_MAX_FRAME,
            tick: Duration::from_millis(1000 / 60),
        }
    }
}

/// Why a client could not connect.
#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("cannot reach the server: {0}")]
    Io(#[from] std::io::Error),
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
    /// Connects `runtime` to the server at `addr`. A server of another
    /// schema or wire version refuses, and the error says why.
    pub async fn connect(
        addr: impl ToSocketAddrs,
        runtime: ClientRuntime,
        config: ClientConfig,
    ) -> Result<NetClient, ConnectError> {
        let stream = TcpStream::connect(addr).await?;
        let _ = stream.set_nodelay(true);
        let (mut reader, mut writer) = stream.into_split();
        framing::write_blob(&mut writer, &Hello::of(runtime.protocol()).encode()).await?;
        Answer::decode(&framing::read_blob(&mut reader, 1024).await?)?;

        let (stop, stopped) = watch::channel(false);
        let (closed_tx, closed) = watch::channel(None);
        let receiving = runtime.clone();
        let mut stop_receiving = stopped.clone();
        let closed_by_reader = closed_tx.clone();
        tokio::spawn(async move {
            let reason = loop {
                let packet = tokio::select! {
                    packet = framing::read_packet(&mut reader, config.max_frame) => packet,
                    _ = stop_receiving.changed() => break "closed by the client".to_string(),
                };
                match packet {
                    Ok(packet) => receiving.receive_packet(&packet),
                    Err(FrameError::Closed) => {
                        break "the server closed the connection".to_string()
                    }
                    Err(error) => break error.to_string(),
                }
            };
            // Every pending invocation fails at once.
            receiving.disconnect();
            let _ = closed_by_reader.send(Some(reason));
        });
        let mut stop_sending = stopped;
        tokio::spawn(async move {
            let start = Instant::now();
            let mut interval = tokio::time::interval(config.tick);
            interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
            loop {
                tokio::select! {
                    _ = interval.tick() => {}
                    _ = stop_sending.changed() => break,
                }
                runtime.poll(start.elapsed());
                for packet in runtime.take_packets() {
                    if writer.write_all(&framing::encode(&packet)).await.is_err() {
                        let _ = closed_tx.send(Some("the connection broke".to_string()));
                        return;
                    }
                }
            }
            let _ = writer.shutdown().await;
        });
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
