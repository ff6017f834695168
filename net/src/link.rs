//! A connection as two halves that carry blobs (the handshake's messages,
//! then packets as [`framing`](crate::framing) lays them out), whatever the
//! stream beneath: the server and the client are written once against these.

use std::future::Future;

use crate::framing::FrameError;

/// The receiving half of a connection.
pub(crate) trait Inbound: Send + 'static {
    /// The next blob, of at most `max` bytes: a larger one is an error
    /// before its bytes are held.
    fn recv(&mut self, max: u32) -> impl Future<Output = Result<Vec<u8>, FrameError>> + Send;
}

/// The sending half of a connection.
pub(crate) trait Outbound: Send + 'static {
    /// Sends one blob, given with its length prefix
    /// ([`framing::framed`](crate::framing::framed),
    /// [`framing::encode`](crate::framing::encode)): a stream sends it as it
    /// is, a message-based link without the prefix.
    fn send(&mut self, framed: Vec<u8>) -> impl Future<Output = Result<(), FrameError>> + Send;

    /// Ends the connection politely (a FIN, a close frame).
    fn close(&mut self) -> impl Future<Output = ()> + Send;

    /// The local port of a link that can be paired with datagrams (TCP).
    fn local_port(&self) -> Option<u16> {
        None
    }
}
