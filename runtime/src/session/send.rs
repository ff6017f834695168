//! Sending: events, invocations and responses. Bodies are encoded without
//! the lock, into drafts (see [`crate::frame`]).

use super::{PendingCall, Session};
use crate::frame::{write_id, ERROR_RANGE};
use crate::invoke::{error_text, Invocation, InvokeError, Slot};
use crate::protocol::{Direction, MessageKind};
use crate::wire::{EncodeError, Writer};
use crate::SendError;

impl Session {
    fn id_bits_out(&self) -> u32 {
        self.protocol.id_bits(self.outgoing())
    }

    /// The response id of incoming request `id`.
    pub(super) fn response_id(&self, id: u16) -> u16 {
        match self.incoming_spec(id).kind {
            MessageKind::Request { response_id, .. } => response_id,
            _ => unreachable!("only requests are answered"),
        }
    }

    /// An error response, whole: header, status 0, message.
    pub(super) fn error_response(&self, response_id: u16, call: u16, text: &str) -> Vec<u8> {
        let mut w = Writer::new();
        w.start_message();
        write_id(&mut w, self.id_bits_out(), response_id);
        w.u16(call);
        w.bool(false);
        if w.string(text, ERROR_RANGE).is_err() {
            // The length is checked before anything is written, and texts
            // are cut to fit; keep the message well-formed regardless.
            let _ = w.string("", ERROR_RANGE);
        }
        w.take().0
    }

    /// The error response for a handler's failure.
    pub(super) fn error_response_for(
        &self,
        response_id: u16,
        call: u16,
        err: &InvokeError,
    ) -> Vec<u8> {
        self.error_response(response_id, call, &error_text(err))
    }

    fn event_kind(&self, id: u16) -> (bool, bool) {
        let spec = self.outgoing_spec(id);
        match spec.kind {
            MessageKind::Event { unreliable, .. } => (unreliable, spec.kind.is_sequenced()),
            _ => panic!(
                "{}: message {id} ({}) is not an event",
                self.protocol.name, spec.name
            ),
        }
    }

    /// Sends event `id` to peer `to`.
    pub(crate) fn send_event(
        &self,
        to: u32,
        id: u16,
        body: impl FnOnce(&mut Writer) -> Result<(), EncodeError>,
    ) -> Result<(), SendError> {
        let (unreliable, sequenced) = self.event_kind(id);
        let id_bits = self.id_bits_out();
        if unreliable {
            let seq = {
                let mut state = self.state();
                let peer = state.peers.get_mut(&to).ok_or(SendError::NotConnected)?;
                sequenced.then(|| next_seq(&mut peer.send_seq, id))
            };
            let mut w = Writer::new();
            w.start_message();
            write_id(&mut w, id_bits, id);
            if let Some(seq) = seq {
                w.u16(seq);
            }
            body(&mut w)?;
            let (bytes, instances) = w.take();
            let mut state = self.state();
            let peer = state.peers.get_mut(&to).ok_or(SendError::NotConnected)?;
            peer.outbox.push_datagram(bytes, instances);
        } else {
            let mut draft = {
                let state = self.state();
                let peer = state.peers.get(&to).ok_or(SendError::NotConnected)?;
                peer.outbox.draft()
            };
            write_id(draft.writer(), id_bits, id);
            body(draft.writer())?;
            let mut state = self.state();
            let peer = state.peers.get_mut(&to).ok_or(SendError::NotConnected)?;
            peer.outbox.commit(draft);
        }
        Ok(())
    }

    /// Sends event `id` to every peer. The body is encoded once when it
    /// references no instance (the usual case), else once per peer.
    pub(crate) fn broadcast_event(
        &self,
        id: u16,
        body: impl Fn(&mut Writer) -> Result<(), EncodeError>,
    ) -> Result<(), SendError> {
        let (unreliable, sequenced) = self.event_kind(id);
        // The whole message, header included: the body's bits share the
        // header's bit byte. A sequence number is patched in per peer.
        let mut probe = Writer::new();
        probe.start_message();
        write_id(&mut probe, self.id_bits_out(), id);
        let seq_at = probe.position();
        if sequenced {
            probe.u16(0);
        }
        body(&mut probe)?;
        if !probe.instances().is_empty() {
            for player in self.peers() {
                match self.send_event(player.id, id, &body) {
                    Err(SendError::NotConnected) => {} // left meanwhile
                    other => other?,
                }
            }
            return Ok(());
        }
        // Without instances the message means the same to every peer.
        let message = probe.as_bytes();
        let mut state = self.state();
        for peer in state.peers.values_mut() {
            let mut bytes = message.to_vec();
            if sequenced {
                let seq = next_seq(&mut peer.send_seq, id).to_le_bytes();
                if let Some(slot) = bytes.get_mut(seq_at..seq_at + 2) {
                    slot.copy_from_slice(&seq);
                }
            }
            if unreliable {
                peer.outbox.push_datagram(bytes, Vec::new());
            } else {
                peer.outbox.push_plain(&bytes);
            }
        }
        Ok(())
    }

    /// Calls request `id` on peer `to`.
    pub(crate) fn invoke(
        &self,
        to: u32,
        id: u16,
        body: impl FnOnce(&mut Writer) -> Result<(), EncodeError>,
    ) -> Invocation {
        let spec = self.outgoing_spec(id);
        let MessageKind::Request {
            timeout,
            response_id,
            ..
        } = spec.kind
        else {
            panic!(
                "{}: message {id} ({}) is not a request",
                self.protocol.name, spec.name
            );
        };
        let slot = Slot::new();
        let (call, mut draft) = {
            let mut state = self.state();
            let deadline = state.now.saturating_add(timeout);
            let Some(peer) = state.peers.get_mut(&to) else {
                return Invocation::failed(InvokeError::Disconnected);
            };
            // A client is called by the server, which must not pile up calls
            // a client never answers; a client's calls to the server are
            // bounded by the server's rate limits instead.
            if self.incoming == Direction::ToServer
                && peer.calls.len() >= crate::invoke::MAX_PENDING_CALLS
            {
                return Invocation::failed(InvokeError::TooManyPending);
            }
            let Some(call) = free_call_id(peer) else {
                return Invocation::failed(InvokeError::Protocol(
                    "65,536 calls to this peer are already in flight".into(),
                ));
            };
            let pending = PendingCall {
                response_id,
                deadline,
                slot: slot.clone(),
            };
            peer.calls.insert(call, pending);
            (call, peer.outbox.draft())
        };
        write_id(draft.writer(), self.id_bits_out(), id);
        draft.writer().u16(call);
        let encoded = body(draft.writer());
        let mut state = self.state();
        let Some(peer) = state.peers.get_mut(&to) else {
            // Disconnected meanwhile: the slot already holds the error.
            return Invocation::pending(slot);
        };
        match encoded {
            Ok(()) => peer.outbox.commit(draft),
            Err(err) => {
                peer.calls.remove(&call);
                return Invocation::failed(InvokeError::Encode(err));
            }
        }
        Invocation::pending(slot)
    }
}

fn next_seq(seqs: &mut std::collections::HashMap<u16, u16>, id: u16) -> u16 {
    let next = seqs.entry(id).or_insert(0);
    let seq = *next;
    *next = next.wrapping_add(1);
    seq
}

/// Section 6.3: count up modulo 2^16, skipping ids still awaiting a response.
fn free_call_id(peer: &mut super::Peer) -> Option<u16> {
    for _ in 0..=u16::MAX as u32 {
        let call = peer.next_call;
        peer.next_call = peer.next_call.wrapping_add(1);
        if !peer.calls.contains_key(&call) {
            return Some(call);
        }
    }
    None
}
