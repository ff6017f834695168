//! Counters a runtime keeps about what it dropped, rejected and sent.

use std::fmt;

use crate::wire::DecodeError;

/// A snapshot of a runtime's counters (`ServerRuntime::stats`,
/// `ClientRuntime::stats`). Counters only grow, except `events_waiting`.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Stats {
    /// Events received while no handler was connected, waiting for one now.
    pub events_waiting: u64,
    /// Events dropped because 256 of that event were already waiting for a
    /// handler.
    pub events_dropped: u64,
    /// Reliable frames and datagrams accepted.
    pub frames_received: u64,
    /// Messages in the accepted frames.
    pub messages_received: u64,
    /// Frames and datagrams dropped whole, and messages over their rate,
    /// by reason.
    pub rejected: Rejected,
    /// Messages refused alone inside accepted frames: their values broke
    /// their types (also counted in `rejected`, by reason).
    pub messages_refused: u64,
    /// The latest rejection, for diagnostics.
    pub last_rejection: Option<RejectReason>,
    /// `@ordered @unreliable` events that arrived after a newer one.
    pub stale_dropped: u64,
    /// Responses that matched no call awaiting one (late, after a timeout,
    /// or made up).
    pub unmatched_responses: u64,
    /// Invocations that timed out.
    pub timeouts: u64,
    /// Calls answered `busy` at once (or, over the budget of refusals,
    /// dropped): their caller already had
    /// [`MAX_ANSWERING_CALLS`](crate::MAX_ANSWERING_CALLS) calls here whose
    /// handlers had not answered.
    pub calls_busy: u64,
    /// Handlers that panicked (each caught; the runtime kept running).
    pub handler_panics: u64,
    /// Events not delivered because their payload was not of the type the
    /// handler takes: a runtime built for another protocol than its typed
    /// handles (which the generated `try_from` refuses).
    pub undelivered: u64,
    /// Reliable frames handed out by `take_outgoing`.
    pub frames_sent: u64,
    /// Unreliable datagrams handed out by `take_outgoing`.
    pub datagrams_sent: u64,
    /// Bytes in those frames and datagrams.
    pub bytes_sent: u64,
}

/// Frames dropped whole, and messages refused alone, by reason.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Rejected {
    /// A message id this direction does not have.
    pub unknown_message: u64,
    /// A header or body that does not decode (a value breaking its type,
    /// input ending early, a bad instance reference, ...).
    pub decode: u64,
    /// A datagram with bytes left after its one message.
    pub trailing_bytes: u64,
    /// A datagram that is not one `@unreliable` event.
    pub not_unreliable: u64,
    /// A reliable frame holding an `@unreliable` event, which travels only
    /// as a datagram of its own.
    pub unreliable_in_frame: u64,
    /// A frame from a player who is not connected.
    pub unknown_sender: u64,
    /// Messages over their `@rate` or the client's limit of messages a
    /// second, one by one (the events dropped, the requests refused); the
    /// frame's other messages are handled.
    pub rate_limited: u64,
}

impl Rejected {
    /// Frames dropped for any reason.
    pub fn total(&self) -> u64 {
        self.unknown_message
            + self.decode
            + self.trailing_bytes
            + self.not_unreliable
            + self.unreliable_in_frame
            + self.unknown_sender
            + self.rate_limited
    }

    pub(crate) fn count(&mut self, reason: &RejectReason) {
        let counter = match reason {
            RejectReason::UnknownMessage { .. } => &mut self.unknown_message,
            RejectReason::Decode { .. } => &mut self.decode,
            RejectReason::TrailingBytes { .. } => &mut self.trailing_bytes,
            RejectReason::NotUnreliable { .. } => &mut self.not_unreliable,
            RejectReason::UnreliableInFrame { .. } => &mut self.unreliable_in_frame,
            RejectReason::UnknownSender => &mut self.unknown_sender,
            RejectReason::RateLimited { .. } => &mut self.rate_limited,
        };
        *counter += 1;
    }
}

/// Why a frame was dropped.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum RejectReason {
    /// A message id this direction does not have.
    UnknownMessage {
        /// The id the frame named.
        id: u16,
    },
    /// A header or body that does not decode.
    Decode {
        /// The spec's name, or `"header"` when the header itself did not
        /// decode.
        message: &'static str,
        /// Why it did not decode.
        error: DecodeError,
    },
    /// A datagram with bytes left after its one message.
    TrailingBytes {
        /// How many bytes were left.
        remaining: usize,
    },
    /// A datagram whose message is not an `@unreliable` event.
    NotUnreliable {
        /// The spec's name of the message.
        message: &'static str,
    },
    /// A reliable frame holding an `@unreliable` event.
    UnreliableInFrame {
        /// The spec's name of the event.
        message: &'static str,
    },
    /// A frame from a player who is not connected.
    UnknownSender,
    /// A message over its `@rate` (or the client's limit of messages a
    /// second).
    RateLimited {
        /// The spec's name of the message.
        message: &'static str,
    },
}

impl fmt::Display for RejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RejectReason::UnknownMessage { id } => write!(f, "unknown message id {id}"),
            RejectReason::Decode { message, error } => write!(f, "{message}: {error}"),
            RejectReason::TrailingBytes { remaining } => {
                write!(
                    f,
                    "{remaining} bytes left over after the datagram's message"
                )
            }
            RejectReason::NotUnreliable { message } => {
                write!(
                    f,
                    "{message} is not an @unreliable event but came as a datagram"
                )
            }
            RejectReason::UnreliableInFrame { message } => {
                write!(
                    f,
                    "{message} is an @unreliable event but came in a reliable frame"
                )
            }
            RejectReason::UnknownSender => f.write_str("the sender is not connected"),
            RejectReason::RateLimited { message } => write!(f, "{message}: over its rate"),
        }
    }
}
