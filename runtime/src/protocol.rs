//! The protocol table: what generated code tells the runtime about a schema's
//! messages (`docs/wire-format.md`, section 6).
//!
//! The generator emits one `static` [`Protocol`] per schema. Message ids are
//! the indices into [`Protocol::to_server`] and [`Protocol::to_client`]; the
//! runtime writes and reads every message header (id, call id, status,
//! sequence number) and generated code writes and reads the bodies only.

use std::any::Any;
use std::time::Duration;

use crate::wire;
pub use tether_facts::policy::DEFAULT_TIMEOUT;

/// A decoded message body: the generated decoder's value, boxed. Typed
/// handles downcast it back (see [`crate::Typed`]); a message with several
/// handlers is decoded once, and each handler but the last gets a clone.
pub type Payload = Box<dyn Any + Send>;

/// A payload as one of its message's handlers gets it: the last handler
/// takes it, the ones before borrow it and clone what they keep. The clone
/// is the typed handler's, so nothing is compiled per message type for a
/// message no handler is connected to.
pub(crate) enum Delivery<'a> {
    Borrowed(&'a (dyn Any + Send)),
    Owned(Payload),
}

impl Delivery<'_> {
    /// The value, if it is a `T`.
    pub(crate) fn value<T: Clone + 'static>(self) -> Option<T> {
        match self {
            Delivery::Borrowed(value) => value.downcast_ref::<T>().cloned(),
            Delivery::Owned(value) => value.downcast::<T>().ok().map(|value| *value),
        }
    }

    /// The value, borrowed.
    pub(crate) fn get(&self) -> &(dyn Any + Send) {
        match self {
            Delivery::Borrowed(value) => *value,
            Delivery::Owned(value) => &**value,
        }
    }
}

/// Decodes one message body (everything after the header) into a [`Payload`].
/// It must read exactly the body: the frame's next message starts where it
/// stops.
pub type DecodeFn = fn(&mut wire::Reader<'_>) -> Result<Payload, wire::DecodeError>;

/// A runtime given to typed handles generated from another schema (or
/// another version of it): they would decode its messages as the wrong
/// types.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the runtime runs protocol `{found}` ({found_fingerprint:#x}), not `{expected}` ({expected_fingerprint:#x})")]
#[non_exhaustive]
pub struct ProtocolMismatch {
    /// The protocol the handles were generated for.
    pub expected: &'static str,
    /// Its fingerprint.
    pub expected_fingerprint: u64,
    /// The protocol the runtime runs.
    pub found: &'static str,
    /// Its fingerprint.
    pub found_fingerprint: u64,
}

impl ProtocolMismatch {
    /// Ok when `found` is `expected`: the same name and fingerprint.
    pub fn check(found: &Protocol, expected: &Protocol) -> Result<(), ProtocolMismatch> {
        match found.name == expected.name && found.fingerprint == expected.fingerprint {
            true => Ok(()),
            false => Err(ProtocolMismatch {
                expected: expected.name,
                expected_fingerprint: expected.fingerprint,
                found: found.name,
                found_fingerprint: found.fingerprint,
            }),
        }
    }
}

/// All messages of one schema, numbered per direction (section 6.1).
#[derive(Debug)]
pub struct Protocol {
    /// The protocol's name (the schema's), for messages.
    pub name: &'static str,
    /// A hash of the schema's IR (the generator computes it): both ends must
    /// be generated from the same schema.
    pub fingerprint: u64,
    /// Client → server messages; the index is the message id.
    pub to_server: &'static [MessageSpec],
    /// Server → client messages; the index is the message id.
    pub to_client: &'static [MessageSpec],
}

/// One message of one direction.
#[derive(Debug)]
pub struct MessageSpec {
    /// For diagnostics: `"Combat.Attack"`, `"Shop.Buy (request)"`, ...
    pub name: &'static str,
    /// What the message is, and how the runtime treats it.
    pub kind: MessageKind,
    /// Decodes the message's body into its payload.
    pub decode: DecodeFn,
}

/// What a message is: an event, or one half of a remote function call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MessageKind {
    /// A remote event.
    Event {
        /// `@unreliable`: travels alone in a datagram that may be lost.
        unreliable: bool,
        /// `@ordered` (with `@unreliable`): one older than the newest
        /// received is dropped.
        ordered: bool,
        /// `@rate`: the receiver's limit per sender.
        rate: Option<Rate>,
    },
    /// A remote function's request.
    Request {
        /// How long the caller waits for the response.
        timeout: Duration,
        /// `@rate`: the receiver's limit per sender.
        rate: Option<Rate>,
        /// The id of its response in the other direction.
        response_id: u16,
    },
    /// A remote function's response; on success its body decodes to the
    /// function's returns.
    Response {
        /// The id of its request in the other direction.
        request_id: u16,
    },
}

impl MessageKind {
    /// Whether the message travels alone in an unreliable datagram.
    pub fn is_unreliable(&self) -> bool {
        matches!(
            self,
            MessageKind::Event {
                unreliable: true,
                ..
            }
        )
    }

    /// Whether the header carries a sequence number (`@ordered @unreliable`).
    pub fn is_sequenced(&self) -> bool {
        matches!(
            self,
            MessageKind::Event {
                unreliable: true,
                ordered: true,
                ..
            }
        )
    }

    /// The receiver's rate limit for this message, if any.
    pub fn rate(&self) -> Option<Rate> {
        match *self {
            MessageKind::Event { rate, .. } | MessageKind::Request { rate, .. } => rate,
            MessageKind::Response { .. } => None,
        }
    }
}

/// `@rate(count / per, burst b)`: a token bucket per sender that holds
/// `burst` messages and refills at `count` per `per`. In any span of time
/// `t`, at most `burst + count * t / per` messages of one sender are
/// accepted, timed by each packet's arrival (see
/// [`ServerRuntime::receive_packet_at`](crate::ServerRuntime::receive_packet_at)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Messages accepted per `per`, sustained.
    pub count: u32,
    /// The period of `count`.
    pub per: Duration,
    /// Messages accepted at once, after a quiet spell.
    pub burst: u32,
}

/// One sender's bucket for one [`Rate`], kept as the time at which it
/// would be full again (the generic cell rate algorithm): integer time, no
/// refill step.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Bucket {
    /// When the bucket is full again; at or before `now`, it is full.
    full_at: Duration,
}

impl Bucket {
    /// Takes a token at `now` if there is one; false if the message is
    /// over the rate.
    pub(crate) fn take(&mut self, rate: Rate, now: Duration) -> bool {
        let count = rate.count.max(1);
        let interval = rate.per / count;
        // The bucket may run `burst` intervals ahead of the clock.
        let tolerance = interval.saturating_mul(rate.burst.max(1));
        let full_at = self.full_at.max(now);
        let next = full_at.saturating_add(interval);
        if next.saturating_sub(now) > tolerance {
            return false;
        }
        self.full_at = next;
        true
    }
}

/// A direction of travel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// Client → server.
    ToServer,
    /// Server → client.
    ToClient,
}

impl Direction {
    /// The other direction (a response's, for a request).
    pub fn reverse(self) -> Direction {
        match self {
            Direction::ToServer => Direction::ToClient,
            Direction::ToClient => Direction::ToServer,
        }
    }
}

impl Protocol {
    /// The messages sent in `direction`.
    pub fn messages(&self, direction: Direction) -> &'static [MessageSpec] {
        match direction {
            Direction::ToServer => self.to_server,
            Direction::ToClient => self.to_client,
        }
    }

    /// The message `id` of `direction`, if there is one.
    pub fn message(&self, direction: Direction, id: u16) -> Option<&'static MessageSpec> {
        self.messages(direction).get(usize::from(id))
    }

    /// The bits of a message id in `direction` (section 6.1): enough for the
    /// direction's messages, and at least 1 so that every message takes at
    /// least one byte and a frame of messages cannot hide an empty one.
    pub fn id_bits(&self, direction: Direction) -> u32 {
        let count = u64::try_from(self.messages(direction).len()).unwrap_or(u64::MAX);
        tether_facts::wire::message_id_bits(count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(count: u32, burst: u32) -> Rate {
        Rate {
            count,
            per: Duration::from_secs(1),
            burst,
        }
    }

    /// Messages accepted from a sender sending every `gap` from time 0
    /// until `until`.
    fn accepted(rate: Rate, gap: Duration, until: Duration) -> u32 {
        let mut bucket = Bucket::default();
        let mut now = Duration::ZERO;
        let mut n = 0;
        while now < until {
            n += u32::from(bucket.take(rate, now));
            now += gap;
        }
        n
    }

    #[test]
    fn a_full_bucket_gives_its_burst_at_once() {
        let mut bucket = Bucket::default();
        let now = Duration::from_secs(5);
        let taken = (0..10).filter(|_| bucket.take(rate(20, 5), now)).count();
        assert_eq!(taken, 5);
    }

    /// No window edge to straddle: in any second, at most burst + count.
    #[test]
    fn a_flood_gets_the_burst_then_the_rate() {
        let flood = Duration::from_millis(1);
        assert_eq!(
            accepted(rate(20, 5), flood, Duration::from_secs(1)),
            5 + 20 - 1
        );
        assert_eq!(
            accepted(rate(20, 5), flood, Duration::from_secs(10)),
            5 + 200 - 1
        );
        // A sender at the rate is never refused.
        let steady = Duration::from_millis(50);
        assert_eq!(accepted(rate(20, 1), steady, Duration::from_secs(10)), 200);
    }

    #[test]
    fn time_going_backwards_takes_nothing_extra() {
        let mut bucket = Bucket::default();
        let r = rate(1, 1);
        assert!(bucket.take(r, Duration::from_secs(10)));
        assert!(!bucket.take(r, Duration::from_secs(9)));
        assert!(!bucket.take(r, Duration::from_millis(10_500)));
        assert!(bucket.take(r, Duration::from_secs(11)));
    }
}
