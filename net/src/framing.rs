//! Packets on a byte stream: each is a length-prefixed frame.
//!
//! ```text
//! length: u32            -- of what follows; at most the reader's cap
//! channel: u8            -- 0 reliable frame, 1 unreliable datagram
//! instance count: u16
//! instances: u64 each    -- InstanceId, 0 for an absent entry
//! bytes                  -- the frame or datagram (docs/wire-format.md, section 7)
//! ```
//!
//! The length is checked against the cap before anything is allocated, and
//! the instance count against the length.

use std::time::Duration;
use tether_runtime::types::InstanceId;
use tether_runtime::{Channel, Packet};

use tokio::io::{AsyncRead, AsyncReadExt};

/// The largest frame a reader accepts by default: 1 MiB.
pub const DEFAULT_MAX_FRAME: u32 = 1 << 20;

/// Why a stream stopped carrying packets.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum FrameError {
    /// A length prefix above the reader's limit; the frame is not read.
    #[error("a frame of {len} bytes, more than the {max} allowed")]
    TooLarge {
        /// The length the prefix announced.
        len: u32,
        /// The reader's limit.
        max: u32,
    },
    /// A frame that breaks the framing (what is wrong with it).
    #[error("a malformed frame: {0}")]
    Malformed(&'static str),
    /// The peer closed the connection between frames.
    #[error("the connection closed")]
    Closed,
    /// The peer stopped partway through a frame for longer than the frame
    /// timeout.
    #[error("the rest of a frame did not come in time")]
    Stalled,
    /// The stream failed.
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
}

/// A packet as the bytes of one frame, length prefix included.
pub fn encode(packet: &Packet) -> Vec<u8> {
    let count = packet.instances.len().min(usize::from(u16::MAX));
    let body = 1 + 2 + 8 * count + packet.bytes.len();
    let mut out = Vec::with_capacity(4 + body);
    out.extend_from_slice(&(body as u32).to_le_bytes());
    out.push(match packet.channel {
        Channel::Reliable => 0,
        Channel::Unreliable => 1,
    });
    write_instances(&mut out, &packet.instances[..count]);
    out.extend_from_slice(&packet.bytes);
    out
}

/// Writes an instance list as frames and datagrams carry it: a `u16` LE
/// count (the caller keeps it within `u16`), then each id as a `u64` LE, 0
/// for an absent entry.
pub(crate) fn write_instances(out: &mut Vec<u8>, instances: &[Option<InstanceId>]) {
    out.extend_from_slice(&(instances.len() as u16).to_le_bytes());
    for instance in instances {
        out.extend_from_slice(&instance.map_or(0, |id| id.0).to_le_bytes());
    }
}

/// Reads the instance list at the start of `input`; returns it and the
/// bytes after it, or what is wrong.
pub(crate) fn read_instances(
    input: &[u8],
) -> Result<(Vec<Option<InstanceId>>, &[u8]), &'static str> {
    let (count, rest) = input.split_at_checked(2).ok_or("no instance count")?;
    let count = usize::from(u16::from_le_bytes([count[0], count[1]]));
    let (ids, rest) = rest
        .split_at_checked(8 * count)
        .ok_or("an instance list longer than the frame")?;
    let instances = ids
        .chunks_exact(8)
        .map(|id| {
            let mut raw = [0u8; 8];
            raw.copy_from_slice(id);
            match u64::from_le_bytes(raw) {
                0 => None,
                id => Some(InstanceId(id)),
            }
        })
        .collect();
    Ok((instances, rest))
}

/// A blob with its length prefix, as it goes on a stream.
pub fn framed(blob: &[u8]) -> Result<Vec<u8>, FrameError> {
    let len = u32::try_from(blob.len()).map_err(|_| FrameError::Malformed("blob too long"))?;
    let mut out = Vec::with_capacity(4 + blob.len());
    out.extend_from_slice(&len.to_le_bytes());
    out.extend_from_slice(blob);
    Ok(out)
}

/// Reads one length-prefixed blob of at most `max` bytes (the handshake's
/// messages travel this way too).
pub async fn read_blob<R: AsyncRead + Unpin>(
    reader: &mut R,
    max: u32,
) -> Result<Vec<u8>, FrameError> {
    read_blob_within(reader, max, Duration::MAX).await
}

/// [`read_blob`], where the rest of a blob must arrive within `timeout` of
/// its first byte: a peer cannot hold a connection open with half a frame.
/// The buffer grows with the bytes that arrive, not with the length the
/// peer announced.
pub async fn read_blob_within<R: AsyncRead + Unpin>(
    reader: &mut R,
    max: u32,
    timeout: Duration,
) -> Result<Vec<u8>, FrameError> {
    let mut prefix = [0u8; 4];
    let first = reader.read(&mut prefix).await?;
    if first == 0 {
        return Err(FrameError::Closed);
    }
    let rest = async {
        reader
            .read_exact(&mut prefix[first..])
            .await
            .map_err(closed_on_eof)?;
        let len = u32::from_le_bytes(prefix);
        if len > max {
            return Err(FrameError::TooLarge { len, max });
        }
        let mut body = Vec::with_capacity((len as usize).min(INITIAL_BUFFER));
        let read = reader.take(u64::from(len)).read_to_end(&mut body).await?;
        if read < len as usize {
            return Err(FrameError::Closed);
        }
        Ok(body)
    };
    match tokio::time::timeout(timeout, rest).await {
        Ok(blob) => blob,
        Err(_) => Err(FrameError::Stalled),
    }
}

/// The buffer a frame starts with; it grows as the frame's bytes arrive.
const INITIAL_BUFFER: usize = 16 * 1024;

fn closed_on_eof(error: std::io::Error) -> FrameError {
    match error.kind() {
        std::io::ErrorKind::UnexpectedEof => FrameError::Closed,
        _ => FrameError::Io(error),
    }
}

/// Reads one packet of at most `max` bytes.
pub async fn read_packet<R: AsyncRead + Unpin>(
    reader: &mut R,
    max: u32,
) -> Result<Packet, FrameError> {
    decode(&read_blob(reader, max).await?)
}

/// A frame's body (after the length) as a packet.
pub fn decode(body: &[u8]) -> Result<Packet, FrameError> {
    let (&channel, rest) = body
        .split_first()
        .ok_or(FrameError::Malformed("an empty frame"))?;
    let channel = match channel {
        0 => Channel::Reliable,
        1 => Channel::Unreliable,
        _ => return Err(FrameError::Malformed("an unknown channel")),
    };
    let (instances, bytes) = read_instances(rest).map_err(FrameError::Malformed)?;
    Ok(Packet {
        channel,
        bytes: bytes.to_vec(),
        instances,
    })
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any frame body decodes to a packet or a `Malformed` error, and a
        /// packet holds no more than the body's bytes.
        #[test]
        fn any_body_decodes_or_is_refused(body in proptest::collection::vec(any::<u8>(), 0..512)) {
            match decode(&body) {
                Ok(packet) => {
                    prop_assert!(packet.bytes.len() + 8 * packet.instances.len() + 3 <= body.len())
                }
                Err(error) => prop_assert!(matches!(error, FrameError::Malformed(_))),
            }
        }

        #[test]
        fn packets_round_trip(
            reliable in any::<bool>(),
            bytes in proptest::collection::vec(any::<u8>(), 0..256),
            ids in proptest::collection::vec(proptest::option::of(1u64..), 0..8),
        ) {
            let packet = Packet {
                channel: if reliable { Channel::Reliable } else { Channel::Unreliable },
                bytes,
                instances: ids.into_iter().map(|id| id.map(InstanceId)).collect(),
            };
            let framed = encode(&packet);
            let len = u32::from_le_bytes(framed[..4].try_into().expect("a prefix"));
            prop_assert_eq!(len as usize, framed.len() - 4);
            let back = decode(&framed[4..]).expect("decodes");
            prop_assert_eq!(back, packet);
        }

        /// A stream cut anywhere, or announcing more than the cap, ends in
        /// an error, never in a partial blob.
        #[test]
        fn cut_streams_are_errors(blob in proptest::collection::vec(any::<u8>(), 1..64), cut in 0usize..68) {
            let framed = framed(&blob).expect("small");
            let cut = cut.min(framed.len());
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .expect("a runtime");
            let mut input = &framed[..cut];
            let read = runtime.block_on(read_blob(&mut input, 1024));
            match cut == framed.len() {
                true => prop_assert_eq!(read.expect("whole"), blob.clone()),
                false => prop_assert!(read.is_err()),
            }
            let mut input = &framed[..];
            let capped = runtime.block_on(read_blob(&mut input, blob.len() as u32 - 1));
            let is_too_large = matches!(capped, Err(FrameError::TooLarge { .. }));
            prop_assert!(is_too_large);
        }
    }
}
