//! WebSocket, for browser clients: each blob is one binary message (no
//! length prefix: the message has its own). Text messages are a protocol
//! error. Pings are answered by the library.
//!
//! The frame timeout runs from the first byte read after the last whole
//! message: a message must be whole within it. (Bytes of a message that
//! arrive in the same read as the end of the one before are not timed; they
//! are bounded by the message cap all the same.)

use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{self, Bytes, Message};
use tokio_tungstenite::WebSocketStream;

use crate::framing::FrameError;
use crate::link::{Inbound, Outbound};

pub(crate) struct WsInbound {
    stream: SplitStream<WebSocketStream<Timed>>,
    since: Arc<Since>,
    frame_timeout: Duration,
}

pub(crate) struct WsOutbound(SplitSink<WebSocketStream<Timed>, Message>);

/// When the bytes of the message being read started to arrive.
#[derive(Debug)]
pub(crate) struct Since {
    start: Instant,
    /// Nanoseconds from `start`, plus one; 0 while no message is under way.
    at: AtomicU64,
}

impl Since {
    fn mark(&self) {
        let now = self
            .start
            .elapsed()
            .as_nanos()
            .min(u128::from(u64::MAX - 1)) as u64;
        let _ = self.at.compare_exchange(0, now + 1, Relaxed, Relaxed);
    }

    fn clear(&self) {
        self.at.store(0, Relaxed);
    }

    /// Waits until a message under way has taken longer than `timeout`.
    async fn stalled(&self, timeout: Duration) {
        loop {
            let at = self.at.load(Relaxed);
            let wait = match at {
                0 => timeout,
                at => {
                    let began = Duration::from_nanos(at - 1);
                    let elapsed = self.start.elapsed().saturating_sub(began);
                    if elapsed >= timeout {
                        return;
                    }
                    timeout - elapsed
                }
            };
            tokio::time::sleep(wait).await;
        }
    }
}

/// A TCP stream that marks when bytes arrive (see [`Since`]).
pub(crate) struct Timed {
    inner: TcpStream,
    since: Arc<Since>,
}

impl Timed {
    pub(crate) fn new(inner: TcpStream) -> Timed {
        Timed {
            inner,
            since: Arc::new(Since {
                start: Instant::now(),
                at: AtomicU64::new(0),
            }),
        }
    }
}

impl AsyncRead for Timed {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.inner).poll_read(cx, buf);
        if matches!(polled, Poll::Ready(Ok(()))) && buf.filled().len() > before {
            self.since.mark();
        }
        polled
    }
}

impl AsyncWrite for Timed {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

/// The library's limits, set to the transport's frame cap so that a larger
/// message is refused from its header, before its bytes are held.
pub(crate) fn config(max_frame: u32) -> WebSocketConfig {
    let max = max_frame as usize;
    WebSocketConfig::default()
        .max_message_size(Some(max))
        .max_frame_size(Some(max))
}

/// The halves of an upgraded connection; `since` is its stream's
/// ([`Timed`]) record of arriving bytes.
pub(crate) fn split(
    socket: WebSocketStream<Timed>,
    frame_timeout: Duration,
) -> (WsInbound, WsOutbound) {
    let since = socket.get_ref().since.clone();
    let (sink, stream) = socket.split();
    (
        WsInbound {
            stream,
            since,
            frame_timeout,
        },
        WsOutbound(sink),
    )
}

impl Inbound for WsInbound {
    async fn recv(&mut self, max: u32) -> Result<Vec<u8>, FrameError> {
        loop {
            let next = tokio::select! {
                next = self.stream.next() => next,
                _ = self.since.stalled(self.frame_timeout) => return Err(FrameError::Stalled),
            };
            self.since.clear();
            let message = match next {
                None => return Err(FrameError::Closed),
                Some(Err(error)) => return Err(ws_error(error, max)),
                Some(Ok(message)) => message,
            };
            match message {
                Message::Binary(bytes) => {
                    let len = u32::try_from(bytes.len()).unwrap_or(u32::MAX);
                    if len > max {
                        return Err(FrameError::TooLarge { len, max });
                    }
                    return Ok(bytes.to_vec());
                }
                Message::Close(_) => return Err(FrameError::Closed),
                Message::Ping(_) | Message::Pong(_) | Message::Frame(_) => continue,
                Message::Text(_) => return Err(FrameError::Malformed("a text message")),
            }
        }
    }
}

impl Outbound for WsOutbound {
    async fn send(&mut self, framed: Vec<u8>) -> Result<(), FrameError> {
        let blob = Bytes::from(framed).slice(4..);
        self.0
            .send(Message::Binary(blob))
            .await
            .map_err(|error| ws_error(error, 0))
    }

    async fn close(&mut self) {
        let _ = self.0.close().await;
    }
}

fn ws_error(error: tungstenite::Error, max: u32) -> FrameError {
    use tungstenite::error::CapacityError;
    match error {
        tungstenite::Error::ConnectionClosed | tungstenite::Error::AlreadyClosed => {
            FrameError::Closed
        }
        tungstenite::Error::Io(error) => FrameError::Io(error),
        tungstenite::Error::Capacity(CapacityError::MessageTooLong { size, .. }) => {
            FrameError::TooLarge {
                len: u32::try_from(size).unwrap_or(u32::MAX),
                max,
            }
        }
        tungstenite::Error::Protocol(_) | tungstenite::Error::Capacity(_) => {
            FrameError::Malformed("a WebSocket protocol error")
        }
        _ => FrameError::Malformed("a WebSocket error"),
    }
}
