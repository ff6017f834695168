//! WebSocket, for browser clients: each blob is one binary message (no
//! length prefix: the message has its own). Text messages are a protocol
//! error. Pings are answered by the library.

use futures_util::stream::{SplitSink, SplitStream};
use futures_util::{SinkExt, StreamExt};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::protocol::WebSocketConfig;
use tokio_tungstenite::tungstenite::{self, Bytes, Message};
use tokio_tungstenite::WebSocketStream;

use crate::framing::FrameError;
use crate::link::{Inbound, Outbound};

pub(crate) struct WsInbound(SplitStream<WebSocketStream<TcpStream>>);

pub(crate) struct WsOutbound(SplitSink<WebSocketStream<TcpStream>, Message>);

/// The library's limits, set to the transport's frame cap so that a larger
/// message is refused from its header, before its bytes are held.
pub(crate) fn config(max_frame: u32) -> WebSocketConfig {
    let max = max_frame as usize;
    WebSocketConfig::default()
        .max_message_size(Some(max))
        .max_frame_size(Some(max))
}

pub(crate) fn split(stream: WebSocketStream<TcpStream>) -> (WsInbound, WsOutbound) {
    let (sink, stream) = stream.split();
    (WsInbound(stream), WsOutbound(sink))
}

impl Inbound for WsInbound {
    async fn recv(&mut self, max: u32) -> Result<Vec<u8>, FrameError> {
        loop {
            let message = match self.0.next().await {
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
