//! Limits both runtimes enforce on what a peer sends and on what they keep
//! for it.
//!
//! They are not part of the format (a peer that ignores them still decodes),
//! but a game's Rust server and its Luau server must treat a client alike:
//! a client that one throttles and the other serves would behave
//! differently against each.

use core::time::Duration;

/// Events of one kind kept while no handler is connected; more are
/// dropped. Roblox queues events for a missing handler too, and a bound
/// keeps a client from filling the server's memory with events nobody
/// takes.
pub const MAX_WAITING_EVENTS: usize = 256;

/// The bytes the waiting events of one kind may hold (their messages and
/// instance lists); more are dropped, so that events no handler takes
/// cannot hold large frames.
pub const MAX_WAITING_BYTES: usize = 1 << 20;

/// The burst of a `@rate(count/per)` that writes none: one period's
/// count, so that what a game sends in one frame passes as it did under a
/// window of `per`. In any span `t`, a sender gets at most
/// `burst + count * t / per` messages through (up to twice the count in a
/// second at `@rate(20/s)`); a schema that wants a tighter bound writes it,
/// `@rate(20/s, burst 5)`.
pub const fn default_burst(count: u32) -> u32 {
    count
}

/// How many events and requests a server accepts from one client in a
/// second, all remotes together, on top of each remote's `@rate`: Roblox
/// throttles a client at about this many remote requests a second.
pub const CLIENT_MESSAGES_PER_SECOND: u32 = 500;

/// How many of one client's rate-limited requests a second are answered
/// with a "rate limited" error; the rest are dropped unanswered (their calls
/// time out), so that a storm of requests cannot make the server send more
/// than it receives.
pub const REFUSALS_PER_SECOND: u32 = 10;

/// How many rejections of one player a second the rejection hook sees (the
/// counts stay exact): logging a flood must not become one.
pub const REPORTS_PER_SECOND: u32 = 10;

/// A client whose frames are rejected more than this many times within ten
/// seconds is disconnected: an honest client's frames always decode.
pub const MAX_OFFENCES: u32 = 10;

/// How many calls a server may await from one client at once; the next
/// fails at once, so that a client that never answers cannot make the
/// server hold unbounded state.
pub const MAX_PENDING_CALLS: usize = 64;

/// How many calls of one client a server answers at once: a handler that
/// yields (an async one, one with a responder, a Luau one that waits) holds
/// its call until it answers, and a client that calls faster than such
/// handlers answer must not make the server hold unbounded state. A further
/// call is answered at once with `busy`. A client never limits the server's
/// calls this way, as it never rate-limits them.
pub const MAX_ANSWERING_CALLS: usize = MAX_PENDING_CALLS;

/// How long a remote or bindable function call waits for its answer when
/// the schema gives no `@timeout`: long enough for a slow handler, short
/// enough that a lost peer does not hang its caller forever.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
