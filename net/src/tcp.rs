//! TCP: blobs as length-prefixed frames ([`framing`](crate::framing)).

use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::TcpStream;

use crate::framing::{self, FrameError};
use crate::link::{Inbound, Outbound};

pub(crate) struct TcpInbound {
    reader: OwnedReadHalf,
    /// How long the rest of a frame may take once its first byte came.
    frame_timeout: Duration,
}

pub(crate) struct TcpOutbound(OwnedWriteHalf);

pub(crate) fn split(stream: TcpStream, frame_timeout: Duration) -> (TcpInbound, TcpOutbound) {
    let _ = stream.set_nodelay(true);
    let (reader, writer) = stream.into_split();
    (
        TcpInbound {
            reader,
            frame_timeout,
        },
        TcpOutbound(writer),
    )
}

impl Inbound for TcpInbound {
    async fn recv(&mut self, max: u32) -> Result<Vec<u8>, FrameError> {
        framing::read_blob_within(&mut self.reader, max, self.frame_timeout).await
    }
}

impl Outbound for TcpOutbound {
    async fn send(&mut self, framed: Vec<u8>) -> Result<(), FrameError> {
        self.0.write_all(&framed).await?;
        Ok(())
    }

    async fn close(&mut self) {
        let _ = self.0.shutdown().await;
    }

    fn local_port(&self) -> Option<u16> {
        self.0.local_addr().ok().map(|addr| addr.port())
    }
}
