//! Message headers (`docs/wire-format.md`, section 6) and frames (section 7):
//! batching a tick's reliable messages for one receiver into one frame, and
//! decoding a received frame message by message.
//!
//! # Building frames
//!
//! A frame's messages share one instance list, so a message is encoded into a
//! [`Draft`]: a fresh [`Writer`] *seeded* with the instance list the frame has
//! so far (the seed's reference bytes sit before `start` and are cut off). An
//! instance the frame already lists keeps its index; a new one is appended.
//! [`Outbox::commit`] then appends the draft's bytes after `start` to the
//! frame and adopts the draft's list. Encoding thus runs without the runtime
//! lock, and a message that fails to encode leaves no trace in the frame.
//!
//! If the frame's list grew while a draft was out (only possible when a
//! handler, or another thread, sent an instance-carrying message to the same
//! receiver meanwhile), the draft's new indices would clash: the frame so far
//! is then sealed as it is and the draft starts a new one. That receiver gets
//! two reliable frames that tick, in order.

use crate::instances::InstanceRegistry;
use crate::protocol::{Direction, MessageKind, MessageSpec, Payload, Protocol};
use crate::stats::RejectReason;
use crate::transport::Channel;
use crate::types::InstanceId;
use crate::wire::{DecodeError, LenRange, ReadMark, Reader, Writer};

/// Writes a message id as a field of `bits` bits (section 6.1).
pub(crate) fn write_id(w: &mut Writer, bits: u32, id: u16) {
    w.bits(u32::from(id), bits);
}

fn read_id(r: &mut Reader<'_>, bits: u32) -> Result<u16, DecodeError> {
    // Ids have at most 16 bits: a direction holds at most 65,536 messages.
    r.bits(bits.min(16)).map(|id| id as u16)
}

/// The range of an error response's message: `string(..255)`.
pub(crate) const ERROR_RANGE: LenRange = LenRange::new(
    tether_facts::wire::ERROR_MESSAGE_LEN.min,
    Some(tether_facts::wire::ERROR_MESSAGE_LEN.max),
);

/// Messages of one tick for one receiver.
#[derive(Debug, Default)]
pub(crate) struct Outbox {
    frame: Vec<u8>,
    instances: Vec<InstanceId>,
    /// Bumped whenever the frame is sealed or taken: a draft of an older
    /// generation cannot rely on the frame's list.
    generation: u64,
    /// Frames closed early (see the module docs), oldest first.
    sealed: Vec<(Vec<u8>, Vec<InstanceId>)>,
    datagrams: Vec<(Vec<u8>, Vec<InstanceId>)>,
}

/// A reliable message being encoded (see the module docs).
pub(crate) struct Draft {
    writer: Writer,
    start: usize,
    base: usize,
    generation: u64,
}

impl Draft {
    /// The writer, at the start of the message (bit state fresh).
    pub(crate) fn writer(&mut self) -> &mut Writer {
        &mut self.writer
    }
}

/// An outgoing packet before the receiver's view of its instances is made.
pub(crate) struct RawPacket {
    pub(crate) channel: Channel,
    pub(crate) bytes: Vec<u8>,
    pub(crate) instances: Vec<InstanceId>,
}

impl Outbox {
    /// A draft for the next reliable message of this frame.
    pub(crate) fn draft(&self) -> Draft {
        let mut writer = Writer::new();
        for &id in &self.instances {
            writer.instance(Some(id));
        }
        let start = writer.position();
        writer.start_message();
        Draft {
            writer,
            start,
            base: self.instances.len(),
            generation: self.generation,
        }
    }

    /// Appends a finished draft to the frame.
    pub(crate) fn commit(&mut self, draft: Draft) {
        let Draft {
            writer,
            start,
            base,
            generation,
        } = draft;
        let ids = writer.instances();
        let bytes = &writer.as_bytes()[start..];
        let fits = ids.is_empty()
            || (generation == self.generation
                && (ids.len() == base || self.instances.len() == base));
        if fits {
            self.frame.extend_from_slice(bytes);
            if ids.len() > self.instances.len() {
                self.instances = ids.to_vec();
            }
        } else {
            self.seal();
            self.frame.extend_from_slice(bytes);
            self.instances = ids.to_vec();
        }
    }

    /// Appends a message that references no instance.
    pub(crate) fn push_plain(&mut self, bytes: &[u8]) {
        self.frame.extend_from_slice(bytes);
    }

    /// Queues an unreliable datagram (one message, its own instance list).
    pub(crate) fn push_datagram(&mut self, bytes: Vec<u8>, instances: Vec<InstanceId>) {
        self.datagrams.push((bytes, instances));
    }

    fn seal(&mut self) {
        if !self.frame.is_empty() {
            let frame = std::mem::take(&mut self.frame);
            let instances = std::mem::take(&mut self.instances);
            self.sealed.push((frame, instances));
        }
        self.generation += 1;
    }

    /// The tick's packets: the reliable frame (if any message was sent), then
    /// the datagrams in send order.
    pub(crate) fn take(&mut self) -> Vec<RawPacket> {
        self.seal();
        let reliable = self.sealed.drain(..).map(|(bytes, instances)| RawPacket {
            channel: Channel::Reliable,
            bytes,
            instances,
        });
        let unreliable = self
            .datagrams
            .drain(..)
            .map(|(bytes, instances)| RawPacket {
                channel: Channel::Unreliable,
                bytes,
                instances,
            });
        reliable.chain(unreliable).collect()
    }
}

/// One decoded message of a received frame.
pub(crate) enum Decoded {
    Event {
        id: u16,
        seq: Option<u16>,
        /// Where the body starts in the frame, bit state included (the body's
        /// bits share the header's bit byte), to decode it again for each
        /// further handler.
        body: ReadMark,
        /// Where the message ends in the frame.
        end: usize,
        payload: Payload,
    },
    Request {
        id: u16,
        call: u16,
        payload: Payload,
    },
    Response {
        id: u16,
        call: u16,
        /// The returns, or the error response's message.
        result: Result<Payload, String>,
    },
    /// A message whose bytes decode but whose values break their type:
    /// refused alone, the frame's other messages are handled.
    Refused {
        id: u16,
        /// The spec's name.
        message: &'static str,
        /// A request's or response's call id: the call is told at once.
        call: Option<u16>,
        error: DecodeError,
    },
}

/// Decodes every message of a frame (or the one message of a datagram) that
/// travelled in `direction`. A message whose values break their type is
/// refused alone ([`Decoded::Refused`]); bytes that cannot be decoded (the
/// input ending early, an unknown id or tag, ...) reject the whole frame,
/// since where the next message starts is then unknown.
pub(crate) fn decode_frame(
    protocol: &Protocol,
    direction: Direction,
    channel: Channel,
    bytes: &[u8],
    instances: &[Option<InstanceId>],
    classes: Option<&InstanceRegistry>,
) -> Result<Vec<Decoded>, RejectReason> {
    let id_bits = protocol.id_bits(direction);
    let mut reader = Reader::with_instances(bytes, instances);
    if let Some(classes) = classes {
        reader = reader.with_classes(classes);
    }
    let mut messages = Vec::new();
    while !reader.is_empty() {
        if channel == Channel::Unreliable && !messages.is_empty() {
            return Err(RejectReason::TrailingBytes {
                remaining: reader.remaining(),
            });
        }
        reader.start_message();
        let header = |error| RejectReason::Decode {
            message: "header",
            error,
        };
        let id = read_id(&mut reader, id_bits).map_err(header)?;
        let spec = protocol
            .message(direction, id)
            .ok_or(RejectReason::UnknownMessage { id })?;
        if channel == Channel::Unreliable && !spec.kind.is_unreliable() {
            return Err(RejectReason::NotUnreliable { message: spec.name });
        }
        if channel == Channel::Reliable && spec.kind.is_unreliable() {
            return Err(RejectReason::UnreliableInFrame { message: spec.name });
        }
        let body_error = |error| RejectReason::Decode {
            message: spec.name,
            error,
        };
        let message = match spec.kind {
            MessageKind::Event { .. } => {
                let seq = if spec.kind.is_sequenced() {
                    Some(reader.u16().map_err(header)?)
                } else {
                    None
                };
                let body = reader.mark();
                match decode_body(&mut reader, spec)? {
                    Ok(payload) => Decoded::Event {
                        id,
                        seq,
                        body,
                        end: reader.position(),
                        payload,
                    },
                    Err(error) => refused(id, spec, None, error),
                }
            }
            MessageKind::Request { .. } => {
                let call = reader.u16().map_err(header)?;
                match decode_body(&mut reader, spec)? {
                    Ok(payload) => Decoded::Request { id, call, payload },
                    Err(error) => refused(id, spec, Some(call), error),
                }
            }
            MessageKind::Response { .. } => {
                let call = reader.u16().map_err(header)?;
                let ok = reader.bool().map_err(header)?;
                if ok {
                    match decode_body(&mut reader, spec)? {
                        Ok(payload) => Decoded::Response {
                            id,
                            call,
                            result: Ok(payload),
                        },
                        Err(error) => refused(id, spec, Some(call), error),
                    }
                } else {
                    let text = reader.string(ERROR_RANGE).map_err(body_error)?;
                    Decoded::Response {
                        id,
                        call,
                        result: Err(text),
                    }
                }
            }
        };
        messages.push(message);
    }
    Ok(messages)
}

/// Decodes a message body. One whose values break their type but whose
/// bytes are all there is read to its end and refused alone
/// (`Ok(Err(..))`); one that cannot be read to its end rejects the frame.
fn decode_body(
    reader: &mut Reader<'_>,
    spec: &MessageSpec,
) -> Result<Result<Payload, DecodeError>, RejectReason> {
    let start = reader.mark();
    let error = match (spec.decode)(reader) {
        Ok(payload) => return Ok(Ok(payload)),
        Err(error) => error,
    };
    reader.reset(start);
    reader.set_skipping(true);
    let past = (spec.decode)(reader);
    reader.set_skipping(false);
    match past {
        Ok(_) => Ok(Err(error)),
        Err(_) => Err(RejectReason::Decode {
            message: spec.name,
            error,
        }),
    }
}

fn refused(id: u16, spec: &MessageSpec, call: Option<u16>, error: DecodeError) -> Decoded {
    Decoded::Refused {
        id,
        message: spec.name,
        call,
        error,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(outbox: &Outbox, instance: u64) -> Draft {
        let mut draft = outbox.draft();
        draft.writer().u8(0);
        draft.writer().instance(Some(InstanceId(instance)));
        draft
    }

    #[test]
    fn drafts_share_the_frame_instance_list() {
        let mut outbox = Outbox::default();
        let first = message(&outbox, 10);
        outbox.commit(first);
        let second = message(&outbox, 20);
        outbox.commit(second);
        let third = message(&outbox, 10);
        outbox.commit(third);
        let packets = outbox.take();
        assert_eq!(packets.len(), 1);
        assert_eq!(
            packets[0].bytes,
            [0, 1, 0, 0, 0, 0, 2, 0, 0, 0, 0, 1, 0, 0, 0]
        );
        assert_eq!(packets[0].instances, [InstanceId(10), InstanceId(20)]);
    }

    #[test]
    fn a_draft_whose_indices_would_clash_starts_a_new_frame() {
        let mut outbox = Outbox::default();
        let slow = message(&outbox, 10); // a handler still running
        let quick = message(&outbox, 20);
        outbox.commit(quick);
        outbox.commit(slow);
        let packets = outbox.take();
        let frames: Vec<_> = packets
            .iter()
            .map(|p| (p.bytes.clone(), p.instances.clone()))
            .collect();
        assert_eq!(
            frames,
            [
                (vec![0, 1, 0, 0, 0], vec![InstanceId(20)]),
                (vec![0, 1, 0, 0, 0], vec![InstanceId(10)]),
            ]
        );
        // A draft from before a take cannot rely on the old list either.
        let before = message(&outbox, 30);
        let _ = outbox.take();
        let other = message(&outbox, 40);
        outbox.commit(other);
        outbox.commit(before);
        assert_eq!(outbox.take().len(), 2);
    }
}
